"""Incoming documents (văn bản đến): receipt, verification, registration with the arrival number
(số đến), direction by a leader, assignment to lead / co-operating / for-information units and
people, handling with progress and results, deadline extensions, recall (Decree 30 Art. 20–24;
DOMAIN.md §1.6, §1.7, §9.3). The metadata lives on the receiving agency's own
``documents.Document`` (direction INCOMING); this app keeps the workflow around it.

``status`` is written only by ``incoming.lifecycle.advance``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanthu.documents.models import Document
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.exchange.models import Delivery
from vanthu.org.models import Agency
from vanthu.org.models import Unit


class IncomingStatus(models.TextChoices):
    ARRIVED = "ARRIVED", _("Awaiting registration")
    REFUSED = "REFUSED", _("Refused and returned")
    REGISTERED = "REGISTERED", _("Registered, awaiting direction")
    DIRECTED = "DIRECTED", _("Directed")
    IN_PROGRESS = "IN_PROGRESS", _("In progress")
    DONE = "DONE", _("Done")
    RECALLED = "RECALLED", _("Recalled by the sender")


class IncomingSource(models.TextChoices):
    INTERNAL = "INTERNAL", _("From an agency of the province (this system)")
    ELECTRONIC = "ELECTRONIC", _("Electronic, received by other means")
    PAPER = "PAPER", _("Paper, scanned")
    AXIS = "AXIS", _("National document axis")


class Incoming(models.Model):
    """The workflow of one incoming document in one receiving agency."""

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="incoming")
    agency = models.ForeignKey(Agency, verbose_name=_("receiving agency"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=IncomingStatus.choices, default=IncomingStatus.ARRIVED
    )
    source = models.CharField(_("source"), max_length=16, choices=IncomingSource.choices)
    delivery = models.OneToOneField(
        Delivery, verbose_name=_("delivery"), null=True, blank=True, on_delete=models.PROTECT, related_name="incoming"
    )
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Verification of the signatures on arrival (signing.verification report as JSON).
    verification = models.JSONField(_("signature verification"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    refused_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True, default="")
    register = models.ForeignKey(
        Register, verbose_name=_("register"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    register_entry = models.OneToOneField(
        RegisterEntry,
        verbose_name=_("register entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming",
    )
    arrival_number = models.PositiveIntegerField(_("arrival number"), null=True, blank=True)
    arrival_at = models.DateTimeField(_("arrival date"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    directed_at = models.DateTimeField(_("directed at"), null=True, blank=True)
    directed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("directed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    instruction = models.TextField(_("instruction"), blank=True, default="")
    due_date = models.DateField(_("handling deadline"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.TextField(_("result"), blank=True, default="")
    recall_requested_at = models.DateTimeField(_("recall requested at"), null=True, blank=True)
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        indexes = [
            models.Index(fields=["agency", "status", "-id"], name="incoming_agency_status_idx"),
            models.Index(fields=["agency", "due_date"], name="incoming_agency_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in IncomingStatus]), name="incoming_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=[choice.value for choice in IncomingSource]), name="incoming_source_valid"
            ),
            # Registered (or later, except a refusal before registration) means an arrival number.
            models.CheckConstraint(
                condition=~Q(status__in=["REGISTERED", "DIRECTED", "IN_PROGRESS", "DONE"])
                | Q(arrival_number__isnull=False),
                name="incoming_registered_is_numbered",
            ),
            models.UniqueConstraint(
                fields=["agency", "register", "arrival_number"],
                condition=Q(arrival_number__isnull=False),
                name="incoming_arrival_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.arrival_number or '—'} {self.document}"


class AssignmentRole(models.TextChoices):
    LEAD = "LEAD", _("Lead (chủ trì)")
    COOPERATE = "COOPERATE", _("Co-operating (phối hợp)")
    INFORM = "INFORM", _("For information (để biết)")


class AssignmentStatus(models.TextChoices):
    OPEN = "OPEN", _("Open")
    DONE = "DONE", _("Done")
    CANCELLED = "CANCELLED", _("Cancelled")


class Assignment(models.Model):
    """Who handles an incoming document: a unit and/or a person, as lead, co-operating or for
    information, with a deadline. A unit leader's re-assignment inside their unit is a child row."""

    incoming = models.ForeignKey(Incoming, on_delete=models.CASCADE, related_name="assignments")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("assigned within"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    role = models.CharField(_("role"), max_length=16, choices=AssignmentRole.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.OPEN
    )
    due_date = models.DateField(_("deadline"), null=True, blank=True)
    instruction = models.TextField(_("instruction"), blank=True, default="")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)

    class Meta:
        ordering = ["incoming", "role", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [
            models.Index(fields=["person", "status"], name="assignment_person_idx"),
            models.Index(fields=["unit", "status"], name="assignment_unit_idx"),
            models.Index(fields=["status", "due_date"], name="assignment_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(person__isnull=False), name="assignment_has_target"
            ),
            models.CheckConstraint(condition=Q(role__in=["LEAD", "COOPERATE", "INFORM"]), name="assignment_role_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["OPEN", "DONE", "CANCELLED"]), name="assignment_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incoming_id} {self.role}"


class TraceKind(models.TextChoices):
    RECEIVED = "RECEIVED", _("Received")
    VERIFIED = "VERIFIED", _("Signatures verified")
    REFUSED = "REFUSED", _("Refused")
    REGISTERED = "REGISTERED", _("Registered")
    DIRECTED = "DIRECTED", _("Directed")
    ASSIGNED = "ASSIGNED", _("Assigned")
    PROGRESS = "PROGRESS", _("Progress reported")
    INPUT = "INPUT", _("Co-operating input")
    EXTENSION_REQUESTED = "EXTENSION_REQUESTED", _("Extension requested")
    EXTENSION_DECIDED = "EXTENSION_DECIDED", _("Extension decided")
    REPLY_DRAFTED = "REPLY_DRAFTED", _("Reply drafted")
    COMPLETED = "COMPLETED", _("Completed")
    REOPENED = "REOPENED", _("Reopened")
    RECALL_REQUESTED = "RECALL_REQUESTED", _("Recall requested by the sender")
    RECALL_ACCEPTED = "RECALL_ACCEPTED", _("Recall accepted")
    RECALL_REFUSED = "RECALL_REFUSED", _("Recall refused")
    REMINDED = "REMINDED", _("Reminder sent")


class TraceEntry(models.Model):
    """The trace of instructions and handling (App. VI TraceHeaderList): one row per action."""

    incoming = models.ForeignKey(Incoming, on_delete=models.CASCADE, related_name="trace")
    assignment = models.ForeignKey(Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kind"), max_length=24, choices=TraceKind.choices)
    occurred_at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True, default="")
    from_status = models.CharField(_("from"), max_length=16, blank=True, default="")
    to_status = models.CharField(_("to"), max_length=16, blank=True, default="")
    text = models.TextField(_("text"), blank=True, default="")
    data = models.JSONField(_("data"), null=True, blank=True)

    class Meta:
        ordering = ["incoming", "occurred_at", "id"]
        verbose_name = _("trace entry")
        verbose_name_plural = _("trace")

    def __str__(self) -> str:
        return f"{self.incoming_id} {self.kind}"


class ExtensionStatus(models.TextChoices):
    PENDING = "PENDING", _("Awaiting decision")
    GRANTED = "GRANTED", _("Granted")
    REFUSED = "REFUSED", _("Refused")


class ExtensionRequest(models.Model):
    """A handler asks the leader for a later deadline."""

    incoming = models.ForeignKey(Incoming, on_delete=models.CASCADE, related_name="extension_requests")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extension_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    requested_due_date = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True, default="")

    class Meta:
        ordering = ["incoming", "requested_at", "id"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["PENDING", "GRANTED", "REFUSED"]), name="extension_status_valid"
            ),
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(status="PENDING"), name="extension_one_pending_per_assignment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incoming_id} → {self.requested_due_date}"


class RecallDecision(models.TextChoices):
    ACCEPTED = "ACCEPTED", _("Accepted: the copy was destroyed")
    REFUSED = "REFUSED", _("Refused")


class RecallRecord(models.Model):
    """What stays of a recall after the recalled copy is destroyed (Decree 30 Art. 18.4; App. VI
    §III.8): who recalled what, who decided, when."""

    agency = models.ForeignKey(Agency, verbose_name=_("receiving agency"), on_delete=models.PROTECT, related_name="+")
    incoming = models.ForeignKey(Incoming, null=True, blank=True, on_delete=models.SET_NULL, related_name="recalls")
    sender_name = models.CharField(_("sender"), max_length=200)
    sender_code = models.CharField(_("sender code"), max_length=13, blank=True, default="")
    document_identifier = models.CharField(_("document identifier"), max_length=64, blank=True, default="")
    number_symbol = models.CharField(_("number and symbol"), max_length=50, blank=True, default="")
    arrival_number = models.PositiveIntegerField(_("arrival number"), null=True, blank=True)
    recall_delivery = models.ForeignKey(Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("sender's reason"), blank=True, default="")
    decision = models.CharField(_("decision"), max_length=16, choices=RecallDecision.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("recall record")
        verbose_name_plural = _("recall records")
        constraints = [
            models.CheckConstraint(condition=Q(decision__in=["ACCEPTED", "REFUSED"]), name="recall_decision_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.number_symbol} {self.decision}"
