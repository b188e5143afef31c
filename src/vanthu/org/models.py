from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.models import PermissionsMixin
from django.contrib.auth.models import UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from vanthu.core.models import TimeStampedModel
from vanthu.core.text import fold
from vanthu.org.codes import QCVN102_PATTERN


class AgencyKind(models.TextChoices):
    PROVINCE = "PROVINCE", _("Provincial People's Committee")
    PROVINCE_BODY = "PROVINCE_BODY", _("Provincial body")
    DEPARTMENT = "DEPARTMENT", _("Department")
    DISTRICT = "DISTRICT", _("District (before 1 July 2025)")
    COMMUNE = "COMMUNE", _("Commune")
    WARD = "WARD", _("Ward")
    PUBLIC_SERVICE_UNIT = "PUBLIC_SERVICE_UNIT", _("Public-service unit")
    OTHER = "OTHER", _("Other")


class Role(models.TextChoices):
    CLERK = "CLERK", _("Clerk")
    AGENCY_LEADER = "AGENCY_LEADER", _("Agency leader")
    UNIT_LEADER = "UNIT_LEADER", _("Unit leader")
    OFFICER = "OFFICER", _("Officer")
    ARCHIVIST = "ARCHIVIST", _("Archivist")
    ONESTOP_OFFICER = "ONESTOP_OFFICER", _("One-stop officer")
    INSPECTOR = "INSPECTOR", _("Inspector")
    ADMIN = "ADMIN", _("Administrator")


qcvn102_validator = RegexValidator(QCVN102_PATTERN, _("The agency code must look like 000.00.00.H56 (QCVN 102:2016)."))


class Agency(TimeStampedModel):
    """A state body. A tree of any depth; merged or abolished bodies stay, with ``valid_to`` and
    a ``successor``, so their history remains readable under their old names."""

    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=32)
    kind = models.CharField(_("kind"), max_length=24, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "/1/4/17/": ids from the root down to this agency, for subtree queries in SQL.
    path = models.CharField(max_length=512, editable=False, db_index=True, default="")
    code_qcvn102 = models.CharField(_("QCVN 102 code"), max_length=13, unique=True, validators=[qcvn102_validator])
    code_qd20 = models.CharField(_("QĐ 20/2020 code"), max_length=32, blank=True, default="")
    place_name = models.CharField(_("place name used in dates"), max_length=64)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    class Meta:
        ordering = ["path"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["parent", "abbreviation"], name="agency_abbreviation_unique_under_parent"),
            models.UniqueConstraint(
                fields=["abbreviation"],
                condition=models.Q(parent__isnull=True),
                name="agency_abbreviation_unique_at_root",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=AgencyKind.values), name="agency_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="agency_validity_ordered",
            ),
            models.CheckConstraint(condition=~models.Q(successor=models.F("id")), name="agency_not_its_own_successor"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.valid_to is None

    @property
    def path_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Unit(TimeStampedModel):
    """A unit (phòng, ban) inside an agency."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=255)
    abbreviation = models.CharField(_("abbreviation"), max_length=32)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["agency_id", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["agency", "abbreviation"], name="unit_abbreviation_unique_in_agency")
        ]

    def __str__(self) -> str:
        return self.name


class Position(TimeStampedModel):
    """A title (chức vụ) such as Giám đốc, Phó Chủ tịch, Chuyên viên."""

    name = models.CharField(_("name"), max_length=128, unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"), default=100, help_text=_("Smaller ranks come first."))

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name


class PersonManager(UserManager["Person"]):
    def get_by_natural_key(self, username: str | None) -> Person:
        return self.get(username__iexact=username)


class Person(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: staff of an agency (their roles say where and what)."""

    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        validators=[RegexValidator(r"^[a-zA-Z0-9_.@+-]+$", _("Letters without accents, digits and . _ @ + - only."))],
    )
    email = models.EmailField(_("e-mail"), blank=True, default="")
    full_name = models.CharField(_("full name"), max_length=150)
    full_name_folded = models.CharField(max_length=150, editable=False, db_index=True, default="")
    phone = models.CharField(_("phone"), max_length=20, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may open the admin site"), default=False)
    date_joined = models.DateTimeField(_("date joined"), auto_now_add=True)

    objects = PersonManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name", "email"]

    class Meta:
        ordering = ["full_name_folded", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="person_username_unique_ci"),
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="person_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_name_folded = fold(self.full_name)
        if self.email:
            self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[-1] if self.full_name else self.username


class RoleAssignment(TimeStampedModel):
    """A person holds a role in an agency (and optionally a unit) for a period."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="roles")
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    position = models.ForeignKey(Position, verbose_name=_("position"), null=True, blank=True, on_delete=models.PROTECT)
    valid_from = models.DateTimeField(_("valid from"))
    valid_to = models.DateTimeField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["agency_id", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="role_assignment_role_valid"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                name="role_assignment_validity_ordered",
            ),
            models.UniqueConstraint(
                fields=["person", "agency", "unit", "role"],
                condition=models.Q(valid_to__isnull=True),
                name="role_assignment_one_open_per_role",
            ),
        ]
        indexes = [models.Index(fields=["person", "valid_to"], name="role_assignment_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} — {self.agency}"


class Delegation(TimeStampedModel):
    """Ủy quyền: the delegate acts in the delegator's role in an agency for a bounded period."""

    delegator = models.ForeignKey(
        Person, verbose_name=_("delegator"), on_delete=models.PROTECT, related_name="delegations_given"
    )
    delegate = models.ForeignKey(
        Person, verbose_name=_("delegate"), on_delete=models.PROTECT, related_name="delegations_received"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="delegations")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT)
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    reason = models.CharField(_("reason"), max_length=255)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="delegation_ends_after_start"
            ),
            models.CheckConstraint(condition=~models.Q(delegator=models.F("delegate")), name="delegation_not_to_self"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="delegation_role_valid"),
        ]
        indexes = [models.Index(fields=["delegate", "ends_at"], name="delegation_delegate_idx")]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate} ({self.get_role_display()})"
