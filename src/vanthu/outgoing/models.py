"""Outgoing documents (văn bản đi): drafting, review circuits, signing, numbering, issuance,
recall, replacement, correction and electronic copies (Decree 30 Art. 10–19, 25–27; DOMAIN.md §1.5,
§9.2). The metadata lives on ``documents.Document``; this app keeps the workflow around it.

``status`` is written only by ``outgoing.lifecycle.advance`` (see its transition table)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanthu.documents.models import Document
from vanthu.documents.models import DocumentType
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.org.models import Agency
from vanthu.org.models import Unit


class OutgoingStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    IN_REVIEW = "IN_REVIEW", _("Under review")
    AWAITING_SIGNATURE = "AWAITING_SIGNATURE", _("Awaiting approval and signature")
    SIGNED = "SIGNED", _("Signed, awaiting number and issuance")
    ISSUING = "ISSUING", _("Being issued")
    ISSUED = "ISSUED", _("Issued")
    RECALLED = "RECALLED", _("Recalled")
    REPLACED = "REPLACED", _("Replaced")
    WITHDRAWN = "WITHDRAWN", _("Withdrawn")


class Outgoing(models.Model):
    """The workflow of one outgoing document."""

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="outgoing")
    agency = models.ForeignKey(Agency, verbose_name=_("issuing agency"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=24, choices=OutgoingStatus.choices, default=OutgoingStatus.DRAFT)
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafter"), on_delete=models.PROTECT, related_name="+"
    )
    drafting_unit = models.ForeignKey(
        Unit, verbose_name=_("drafting unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    register = models.ForeignKey(
        Register, verbose_name=_("register"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    register_entry = models.OneToOneField(
        RegisterEntry,
        verbose_name=_("register entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outgoing",
    )
    is_paper = models.BooleanField(_("signed on paper"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signing_session_id = models.UUIDField(_("signing session"), null=True, blank=True)
    issuing_started_at = models.DateTimeField(_("issuance started at"), null=True, blank=True)
    sealing_session_id = models.UUIDField(_("agency signature session"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    recall_reason = models.CharField(_("reason for recall"), max_length=500, blank=True, default="")
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacements",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        indexes = [
            models.Index(fields=["agency", "status", "-id"], name="outgoing_agency_status_idx"),
            models.Index(fields=["drafter", "status"], name="outgoing_drafter_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in OutgoingStatus]), name="outgoing_status_valid"
            ),
            # Issued (or later) means numbered: the register entry is bound when issuance starts.
            models.CheckConstraint(
                condition=~Q(status__in=["ISSUING", "ISSUED", "RECALLED", "REPLACED"])
                | Q(register_entry__isnull=False),
                name="outgoing_issued_is_numbered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.document)


class StepKind(models.TextChoices):
    UNIT_REVIEW = "UNIT_REVIEW", _("Review by the unit head")
    FORMAT_CHECK = "FORMAT_CHECK", _("Format check by the office")
    OPINION = "OPINION", _("Opinion of another unit")
    APPROVAL = "APPROVAL", _("Approval and signature by the signer")


class CircuitTemplate(models.Model):
    """A review circuit an agency uses, optionally for one document type."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("document type"), null=True, blank=True, on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = _("review circuit template")
        verbose_name_plural = _("review circuit templates")

    def __str__(self) -> str:
        return self.name


class CircuitTemplateStep(models.Model):
    """A step of a template. Steps with the same ``ordinal`` run in parallel (opinions). The person
    is fixed, or left empty to be chosen on the draft (e.g. "the drafting unit's head")."""

    template = models.ForeignKey(CircuitTemplate, on_delete=models.CASCADE, related_name="steps")
    ordinal = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT)
    working_days = models.PositiveSmallIntegerField(_("working days allowed"), default=1)

    class Meta:
        ordering = ["template", "ordinal", "id"]
        verbose_name = _("template step")
        verbose_name_plural = _("template steps")

    def __str__(self) -> str:
        return f"{self.ordinal}. {self.get_kind_display()}"


class StepStatus(models.TextChoices):
    WAITING = "WAITING", _("Waiting")
    ACTIVE = "ACTIVE", _("In progress")
    DONE = "DONE", _("Done")
    SENT_BACK = "SENT_BACK", _("Sent back")
    CANCELLED = "CANCELLED", _("Cancelled")


class ReviewStep(models.Model):
    """A step of the review circuit of one outgoing document (a round: sending back starts a new
    round of steps; earlier rounds stay as history)."""

    outgoing = models.ForeignKey(Outgoing, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    ordinal = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=StepStatus.choices, default=StepStatus.WAITING)
    working_days = models.PositiveSmallIntegerField(_("working days allowed"), default=1)
    due_at = models.DateTimeField(
        _("deadline"), null=True, blank=True, help_text=_("Set when the step starts: its working days from that day.")
    )
    activated_at = models.DateTimeField(_("started at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The assignee, or the person they delegated to."),
    )
    comment = models.TextField(_("comment"), blank=True, default="")

    class Meta:
        ordering = ["outgoing", "round", "ordinal", "id"]
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        indexes = [models.Index(fields=["assignee", "status"], name="review_step_assignee_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in StepStatus]), name="review_step_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in StepKind]), name="review_step_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outgoing_id} r{self.round}.{self.ordinal} {self.kind}"


class OutgoingHistory(models.Model):
    """The timeline of an outgoing document: one row per action, written with the action."""

    outgoing = models.ForeignKey(Outgoing, on_delete=models.CASCADE, related_name="history")
    occurred_at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True, default="")
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from"), max_length=24, blank=True, default="")
    to_status = models.CharField(_("to"), max_length=24, blank=True, default="")
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        ordering = ["outgoing", "occurred_at", "id"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")

    def __str__(self) -> str:
        return f"{self.outgoing_id} {self.action}"


class CopyKind(models.TextChoices):
    SAO_Y = "SY", _("Sao y (full copy)")
    SAO_LUC = "SL", _("Sao lục (copy of a copy)")
    TRICH_SAO = "TrS", _("Trích sao (partial copy)")


class DocumentCopy(models.Model):
    """An electronic copy (Decree 30 Art. 25–27) made by an agency: its own number in the copies
    register, the invisible agency signature with the copy line (App. I box 14)."""

    agency = models.ForeignKey(Agency, verbose_name=_("copying agency"), on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(
        Document, verbose_name=_("copied document"), on_delete=models.PROTECT, related_name="copies"
    )
    copy = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="copy_of")
    kind = models.CharField(_("copy form"), max_length=4, choices=CopyKind.choices)
    register_entry = models.OneToOneField(RegisterEntry, on_delete=models.PROTECT, related_name="+")
    pages = models.CharField(_("pages copied"), max_length=100, blank=True, default="")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(_("made at"))

    class Meta:
        ordering = ["-made_at"]
        verbose_name = _("electronic copy")
        verbose_name_plural = _("electronic copies")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["SY", "SL", "TrS"]), name="document_copy_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.copy}"
