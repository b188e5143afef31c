"""Badges of delivery statuses (the colour tells how far the recipient went)."""

from __future__ import annotations

from django import template

from vanthu.exchange.models import DeliveryStatus as S

register = template.Library()

BADGES: dict[str, str] = {
    S.PENDING: "text-bg-light border",
    S.ARRIVED: "text-bg-info",
    S.REFUSED: "text-bg-danger",
    S.REGISTERED: "text-bg-primary",
    S.ASSIGNED: "text-bg-primary",
    S.IN_PROGRESS: "text-bg-warning",
    S.DONE: "text-bg-success",
    S.RECALL_REQUESTED: "text-bg-dark",
    S.ACCEPTED: "text-bg-success",
    S.RECALL_REFUSED: "text-bg-danger",
    S.SENT: "text-bg-secondary",
    S.FAILED: "text-bg-danger",
}
URGENCY_BADGES: dict[str, str] = {
    "URGENT": "text-bg-warning",
    "VERY_URGENT": "text-bg-danger",
    "FLASH": "text-bg-danger",
}


@register.filter
def delivery_badge(status: str) -> str:
    return BADGES.get(status, "text-bg-secondary")


@register.filter
def urgency_badge(urgency: str) -> str:
    return URGENCY_BADGES.get(urgency, "")


@register.filter
def status_code(status: str) -> str:
    """ "01" for edXML codes; nothing for the outside-channel statuses (SENT, FAILED)."""
    return status if status.isdigit() else ""
