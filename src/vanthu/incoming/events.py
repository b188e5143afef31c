"""Audit action names of the incoming app, with their human labels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

INCOMING_ARRIVED = "incoming.document.arrived"
INCOMING_RECEIVED = "incoming.document.received"
INCOMING_VERIFIED = "incoming.document.verified"
INCOMING_REGISTERED = "incoming.document.registered"
INCOMING_REFUSED = "incoming.document.refused"
INCOMING_DIRECTED = "incoming.document.directed"
INCOMING_ASSIGNED = "incoming.document.assigned"
INCOMING_REPORTED = "incoming.document.reported"
INCOMING_COMPLETED = "incoming.document.completed"
INCOMING_REOPENED = "incoming.document.reopened"
INCOMING_EXTENSION_REQUESTED = "incoming.extension.requested"
INCOMING_EXTENSION_DECIDED = "incoming.extension.decided"
INCOMING_RECALL_REQUESTED = "incoming.recall.requested"
INCOMING_RECALL_ACCEPTED = "incoming.recall.accepted"
INCOMING_RECALL_REFUSED = "incoming.recall.refused"
INCOMING_REMINDERS_SENT = "incoming.reminders.sent"

ACTION_LABELS: dict[str, Any] = {
    INCOMING_ARRIVED: _("Documents arrived from agencies of the province"),
    INCOMING_RECEIVED: _("Incoming document received"),
    INCOMING_VERIFIED: _("Signatures of an incoming document verified"),
    INCOMING_REGISTERED: _("Incoming document registered"),
    INCOMING_REFUSED: _("Incoming document refused and returned"),
    INCOMING_DIRECTED: _("Incoming document directed"),
    INCOMING_ASSIGNED: _("Incoming document assigned in a unit"),
    INCOMING_REPORTED: _("Progress on an incoming document reported"),
    INCOMING_COMPLETED: _("Incoming document completed"),
    INCOMING_REOPENED: _("Incoming document reopened"),
    INCOMING_EXTENSION_REQUESTED: _("Deadline extension requested"),
    INCOMING_EXTENSION_DECIDED: _("Deadline extension decided"),
    INCOMING_RECALL_REQUESTED: _("Recall of an incoming document requested"),
    INCOMING_RECALL_ACCEPTED: _("Recall accepted, copy destroyed"),
    INCOMING_RECALL_REFUSED: _("Recall refused"),
    INCOMING_REMINDERS_SENT: _("Deadline reminders sent"),
}
