"""Django admin for the kernel: read-only. Calendar corrections go through
org.services.calendar_override_* (policy + audit), never through the admin site."""

from __future__ import annotations

from django.contrib import admin

from vanthu.core.admin_base import ReadOnlyModelAdmin
from vanthu.core.models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ReadOnlyModelAdmin):
    list_display = ("day_date", "kind", "reason", "updated_at")
    list_filter = ("kind",)
    search_fields = ("reason",)
    date_hierarchy = "day_date"
