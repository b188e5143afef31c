"""Deliveries between agencies: one row per recipient of a sent document, with the edXML status
codes (QCVN 102:2016; DOMAIN.md §3.2.2; ARCHITECTURE.md §9) from the start, inside the province or
outside it.

A delivery inside the province is to an agency of this system (same database): it arrives at once
(status 01). A delivery outside the province goes by the national axis (a later issue), e-mail or
post (the post register, Sổ gửi văn bản đi bưu điện).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanthu.core.models import Blob
from vanthu.documents.models import Channel
from vanthu.documents.models import Document
from vanthu.org.models import Agency


class DeliveryStatus(models.TextChoices):
    """edXML status codes (QCVN 102:2016 Status message)."""

    PENDING = "00", _("Waiting to be sent")
    ARRIVED = "01", _("Arrived")
    REFUSED = "02", _("Refused")
    REGISTERED = "03", _("Registered")
    ASSIGNED = "04", _("Assigned")
    IN_PROGRESS = "05", _("In progress")
    DONE = "06", _("Done")
    RECALL_REQUESTED = "13", _("Recall requested")
    ACCEPTED = "15", _("Recall or update accepted")
    RECALL_REFUSED = "16", _("Recall or update refused")
    SENT = "SENT", _("Sent (outside the system)")
    FAILED = "FAILED", _("Sending failed")


class DeliveryKind(models.TextChoices):
    """What the delivery carries (edXML BusinessDocType: 0 new, 1 recall, 2 replacement, 3 update)."""

    ORIGINAL = "ORIGINAL", _("Document")
    RECALL = "RECALL", _("Recall")
    REPLACEMENT = "REPLACEMENT", _("Replacement")
    CORRECTION = "CORRECTION", _("Correction")
    RECIPIENTS_CHANGE = "RECIPIENTS_CHANGE", _("Change of recipients")


class Delivery(models.Model):
    """One document sent to one recipient."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="deliveries")
    kind = models.CharField(_("kind"), max_length=20, choices=DeliveryKind.choices, default=DeliveryKind.ORIGINAL)
    sender_agency = models.ForeignKey(
        Agency, verbose_name=_("sender"), on_delete=models.PROTECT, related_name="deliveries_sent"
    )
    recipient_agency = models.ForeignKey(
        Agency,
        verbose_name=_("recipient agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries_received",
    )
    recipient_name = models.CharField(_("recipient"), max_length=200)
    recipient_code = models.CharField(_("recipient code"), max_length=13, blank=True, default="")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    address = models.CharField(_("address or e-mail"), max_length=255, blank=True, default="")
    # The file sent: recipients inside the province share the sender's blob (no copy of the bytes).
    blob = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    related = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followers",
        help_text=_("The delivery a recall, replacement or correction refers to."),
    )
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices)
    status_at = models.DateTimeField(_("status since"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    envelope_count = models.PositiveSmallIntegerField(_("number of envelopes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-sent_at", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["recipient_agency", "status", "-sent_at"], name="delivery_recipient_idx"),
            models.Index(fields=["sender_agency", "-sent_at"], name="delivery_sender_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in DeliveryStatus]), name="delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in DeliveryKind]), name="delivery_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(channel="INTERNAL") | Q(recipient_agency__isnull=False),
                name="delivery_internal_has_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.recipient_name} ({self.status})"


class DeliveryEvent(models.Model):
    """Each status a delivery went through (the sender's "Theo dõi gửi" timeline)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices)
    occurred_at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True, default="")
    note = models.CharField(_("note"), max_length=500, blank=True, default="")

    class Meta:
        ordering = ["delivery", "occurred_at", "id"]
        verbose_name = _("delivery status")
        verbose_name_plural = _("delivery statuses")

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status}"
