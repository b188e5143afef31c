"""Audit action names of the outgoing app, with their human labels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

OUTGOING_CREATED = "outgoing.document.created"
OUTGOING_UPDATED = "outgoing.document.updated"
OUTGOING_VERSION_ADDED = "outgoing.document.version_added"
OUTGOING_COMMENTED = "outgoing.document.commented"
OUTGOING_SUBMITTED = "outgoing.document.submitted"
OUTGOING_REVIEWED = "outgoing.document.reviewed"
OUTGOING_SENT_BACK = "outgoing.document.sent_back"
OUTGOING_WITHDRAWN = "outgoing.document.withdrawn"
OUTGOING_SIGNING_PREPARED = "outgoing.document.signing_prepared"
OUTGOING_SIGNED = "outgoing.document.signed"
OUTGOING_ISSUE_STARTED = "outgoing.document.issue_started"
OUTGOING_ISSUED = "outgoing.document.issued"
OUTGOING_ISSUE_CANCELLED = "outgoing.document.issue_cancelled"
OUTGOING_RECALLED = "outgoing.document.recalled"
OUTGOING_REPLACED = "outgoing.document.replaced"
OUTGOING_CORRECTED = "outgoing.document.corrected"
OUTGOING_RECIPIENTS_CHANGED = "outgoing.document.recipients_changed"
OUTGOING_PAPER_REGISTERED = "outgoing.document.paper_registered"
COPY_MADE = "outgoing.copy.made"
CIRCUIT_TEMPLATE_SAVED = "outgoing.circuit_template.saved"

ACTION_LABELS: dict[str, Any] = {
    OUTGOING_CREATED: _("Outgoing draft created"),
    OUTGOING_UPDATED: _("Outgoing draft changed"),
    OUTGOING_VERSION_ADDED: _("New draft version"),
    OUTGOING_COMMENTED: _("Comment on a draft"),
    OUTGOING_SUBMITTED: _("Draft submitted"),
    OUTGOING_REVIEWED: _("Draft reviewed"),
    OUTGOING_SENT_BACK: _("Draft sent back"),
    OUTGOING_WITHDRAWN: _("Draft withdrawn"),
    OUTGOING_SIGNING_PREPARED: _("Signature of a draft prepared"),
    OUTGOING_SIGNED: _("Draft approved and signed"),
    OUTGOING_ISSUE_STARTED: _("Number bound, issuance started"),
    OUTGOING_ISSUED: _("Document issued"),
    OUTGOING_ISSUE_CANCELLED: _("Issuance cancelled"),
    OUTGOING_RECALLED: _("Document recalled"),
    OUTGOING_REPLACED: _("Document replaced"),
    OUTGOING_CORRECTED: _("Document corrected"),
    OUTGOING_RECIPIENTS_CHANGED: _("Recipients changed"),
    OUTGOING_PAPER_REGISTERED: _("Document signed on paper registered"),
    COPY_MADE: _("Electronic copy made"),
    CIRCUIT_TEMPLATE_SAVED: _("Review circuit template saved"),
}
