"""Audit action names of the exchange app, with their human labels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

DELIVERIES_SENT = "exchange.deliveries.sent"
DELIVERY_STATUS_REPORTED = "exchange.delivery.status_reported"
DELIVERY_FAILED = "exchange.delivery.failed"

ACTION_LABELS: dict[str, Any] = {
    DELIVERIES_SENT: _("Document sent to its recipients"),
    DELIVERY_STATUS_REPORTED: _("Delivery status reported by the recipient"),
    DELIVERY_FAILED: _("Delivery failed"),
}
