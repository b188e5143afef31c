"""Django admin for the exchange app: read-only (the services write, check and audit)."""

from __future__ import annotations

from django.contrib import admin

from vanthu.core.admin_base import ReadOnlyModelAdmin
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryEvent


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyModelAdmin):
    list_display = ("id", "document", "kind", "sender_agency", "recipient_name", "channel", "status", "status_at")
    list_filter = ("kind", "channel", "status")
    search_fields = ("recipient_name", "recipient_code", "address", "document__subject")
    list_select_related = ("document", "sender_agency")
    raw_id_fields = ("document", "related")


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(ReadOnlyModelAdmin):
    list_display = ("delivery", "status", "occurred_at", "actor_name", "note")
    list_filter = ("status",)
    list_select_related = ("delivery",)
