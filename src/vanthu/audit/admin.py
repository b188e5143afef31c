"""Django admin for the audit log: read-only, like the table itself (triggers refuse UPDATE and
DELETE). The audit page (/audit/) applies the ADMIN/INSPECTOR scope; the admin site is for
superusers."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from vanthu.audit.models import AuditEvent

if TYPE_CHECKING:
    ModelAdminBase = admin.ModelAdmin[AuditEvent]
else:
    ModelAdminBase = admin.ModelAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ModelAdminBase):
    list_display = ("occurred_at", "action", "actor_name", "agency", "target_label", "chain", "seq")
    list_filter = ("action",)
    search_fields = ("action", "actor_name", "target_label", "target_id")
    list_select_related = ("agency",)
    date_hierarchy = "occurred_at"
    show_full_result_count = False  # no COUNT(*) over tens of millions of rows

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
