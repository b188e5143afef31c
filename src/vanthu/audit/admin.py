"""Django admin for the audit log: read-only, like the table itself (triggers refuse UPDATE and
DELETE). The audit page (/audit/) applies the ADMIN/INSPECTOR scope; the admin site is for
superusers."""

from __future__ import annotations

from django.contrib import admin

from vanthu.audit.models import AuditEvent
from vanthu.core.admin_base import ReadOnlyModelAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    list_display = ("occurred_at", "action", "actor_name", "agency", "target_label", "chain", "seq")
    list_filter = ("action",)
    search_fields = ("action", "actor_name", "target_label", "target_id")
    list_select_related = ("agency",)
    date_hierarchy = "occurred_at"
    show_full_result_count = False  # no COUNT(*) over tens of millions of rows
