from __future__ import annotations

from datetime import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.core.models import fields_too_long
from vanthu.org import policies
from vanthu.org.grants import grants_changed
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Position
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.org.models import Unit


def role_assignments_close(*, assignments: QuerySet[RoleAssignment], now: datetime) -> int:
    """End every role of ``assignments`` still running at ``now``; one that has not started yet
    is dropped (a role cannot end before it begins). Returns how many were closed.

    A helper of services that audit the closing themselves (merge, deactivation)."""
    running = assignments.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=now))
    not_started, _details = running.filter(valid_from__gte=now).delete()
    ended = running.filter(valid_from__lt=now).update(valid_to=now)
    return ended + not_started


def _primary_agency_id(person: Person) -> int | None:
    assignment = person.roles.order_by("valid_to", "id").values_list("agency_id", flat=True).first()
    return assignment


@transaction.atomic
def person_create(
    *,
    agency: Agency,
    username: str,
    full_name: str,
    actor: Person,
    now: datetime,
    email: str = "",
    phone: str = "",
    password: str | None = None,
) -> Person:
    """A new person is always created in an agency; give them roles with ``role_assign``."""
    policies.require(
        policies.can_manage_people_of(actor, agency, now), _("Only an administrator of this agency may add people.")
    )
    username, email = username.strip(), email.strip()
    errors: dict[str, str] = {}
    if not full_name.strip():
        errors["full_name"] = _("The full name is required.")
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors["email"] = _("The e-mail address is not valid.")
    if errors:
        raise ValidationError(details={"fields": errors})
    if Person.objects.filter(username__iexact=username).exists():
        raise ConflictError(
            _("The username %(username)s is taken.") % {"username": username}, details={"field": "username"}
        )
    if email and Person.objects.filter(email__iexact=email).exists():
        raise ConflictError(_("Another person already uses this e-mail address."), details={"field": "email"})
    person = Person(username=username, full_name=full_name.strip(), email=email, phone=phone.strip())
    try:
        person.full_clean(exclude=["password"])
    except DjangoValidationError as error:
        raise ValidationError(
            details={"fields": {k: [str(m) for m in v] for k, v in error.message_dict.items()}}
        ) from error
    if password:
        try:
            validate_password(password, person)
        except DjangoValidationError as error:
            raise ValidationError(_("The password is too weak."), details={"password": list(error.messages)}) from error
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.save()
    audit.record(
        action="org.person.created",
        actor=actor,
        agency=agency,
        target=person,
        now=now,
        data={"username": person.username, "full_name": person.full_name},
    )
    return person


@transaction.atomic
def person_update(
    *,
    person: Person,
    actor: Person,
    now: datetime,
    full_name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if actor.pk != person.pk:
        policies.require(policies.can_manage_person(actor, person, now))
    before = {"full_name": person.full_name, "email": person.email, "phone": person.phone}
    errors: dict[str, str] = {}
    if full_name is not None:
        full_name = full_name.strip()
        if not full_name:
            errors["full_name"] = _("The full name is required.")
        person.full_name = full_name
    if email is not None:
        email = email.strip()
        if email:
            try:
                validate_email(email)
            except DjangoValidationError:
                errors["email"] = _("The e-mail address is not valid.")
        person.email = email
    if phone is not None:
        person.phone = phone.strip()
    lengths = {key: getattr(person, key) for key in ("full_name", "email", "phone")}
    errors = {**fields_too_long(Person, lengths), **errors}
    if errors:
        raise ValidationError(details={"fields": errors})
    if email and Person.objects.filter(email__iexact=email).exclude(pk=person.pk).exists():
        raise ConflictError(_("Another person already uses this e-mail address."), details={"field": "email"})
    person.save()
    after = {"full_name": person.full_name, "email": person.email, "phone": person.phone}
    audit.record(
        action="org.person.updated",
        actor=actor,
        agency=_primary_agency_id(person),
        target=person,
        now=now,
        data={key: [before[key], after[key]] for key in before if before[key] != after[key]},
    )
    return person


@transaction.atomic
def person_deactivate(*, person: Person, actor: Person, now: datetime) -> Person:
    """People are never deleted (their names stay in the history); they stop signing in and
    their open roles end."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    policies.require(policies.can_manage_person(actor, person, now))
    if actor.pk == person.pk:
        raise ConflictError(_("You cannot deactivate your own account."))
    if not person.is_active:
        raise ConflictError(_("This account is already deactivated."))
    person.is_active = False
    person.save(update_fields=["is_active"])
    ended = role_assignments_close(assignments=RoleAssignment.objects.filter(person=person), now=now)
    audit.record(
        action="org.person.deactivated",
        actor=actor,
        agency=_primary_agency_id(person),
        target=person,
        now=now,
        data={"roles_ended": ended},
    )
    grants_changed()
    return person


@transaction.atomic
def role_assign(
    *,
    person: Person,
    agency: Agency,
    role: str,
    actor: Person,
    now: datetime,
    unit: Unit | None = None,
    position: Position | None = None,
    valid_from: datetime | None = None,
) -> RoleAssignment:
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    policies.require_manage_agency(actor, agency, now)
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), details={"role": role})
    if agency.valid_to is not None:
        raise ConflictError(_("An agency that no longer exists cannot receive new roles."))
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError(_("The unit does not belong to this agency."))
    if role == Role.UNIT_LEADER and unit is None:
        raise ValidationError(_("A unit leader must be given a unit."))
    if not person.is_active:
        raise ConflictError(_("This account is deactivated."))
    existing = RoleAssignment.objects.filter(person=person, agency=agency, unit=unit, role=role, valid_to__isnull=True)
    if existing.exists():
        raise ConflictError(_("This person already holds this role here."))
    assignment = RoleAssignment.objects.create(
        person=person, agency=agency, unit=unit, role=role, position=position, valid_from=valid_from or now
    )
    audit.record(
        action="org.role.assigned",
        actor=actor,
        agency=agency,
        target=assignment,
        now=now,
        data={"person_id": person.pk, "role": role, "unit_id": unit.pk if unit else None},
    )
    grants_changed()
    return assignment


@transaction.atomic
def role_end(*, assignment: RoleAssignment, actor: Person, now: datetime) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().select_related("agency").get(pk=assignment.pk)
    policies.require_manage_agency(actor, assignment.agency, now)
    if assignment.valid_to is not None and assignment.valid_to <= now:
        raise ConflictError(_("This role has already ended."))
    if assignment.valid_from >= now:
        raise ConflictError(_("This role has not started yet; remove it instead."))
    assignment.valid_to = now
    assignment.save(update_fields=["valid_to", "updated_at"])
    audit.record(
        action="org.role.ended",
        actor=actor,
        agency=assignment.agency,
        target=assignment,
        now=now,
        data={"person_id": assignment.person_id, "role": assignment.role},
    )
    grants_changed()
    return assignment
