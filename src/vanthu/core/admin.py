"""Django admin for the kernel: read-only. Calendar corrections go through
org.services.calendar_override_* (policy + audit), never through the admin site."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from vanthu.core.models import CalendarOverride

if TYPE_CHECKING:
    ModelAdminBase = admin.ModelAdmin[Any]
else:
    ModelAdminBase = admin.ModelAdmin


class ReadOnlyAdmin(ModelAdminBase):
    """Look, search and filter; every change goes through the services and their audit."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ReadOnlyAdmin):
    list_display = ("day_date", "kind", "reason", "updated_at")
    list_filter = ("kind",)
    search_fields = ("reason",)
    date_hierarchy = "day_date"
