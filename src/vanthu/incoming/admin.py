"""Django admin for the incoming app: read-only (receipt, registration, direction and handling go
through the services, which check who may act and write the audit trail)."""

from __future__ import annotations

from django.contrib import admin

from vanthu.core.admin_base import ReadOnlyModelAdmin
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import ExtensionRequest
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import RecallRecord
from vanthu.incoming.models import TraceEntry


class AssignmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Assignment
    extra = 0
    can_delete = False
    fields = ("role", "unit", "person", "status", "due_date", "assigned_by", "assigned_at")
    readonly_fields = fields

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Incoming)
class IncomingAdmin(ReadOnlyModelAdmin):
    list_display = ("arrival_number", "document", "agency", "status", "source", "received_at", "due_date")
    list_filter = ("status", "source")
    search_fields = ("document__subject", "document__symbol", "document__issuer_name")
    list_select_related = ("document", "agency")
    inlines = (AssignmentInline,)


@admin.register(TraceEntry)
class TraceEntryAdmin(ReadOnlyModelAdmin):
    list_display = ("incoming", "occurred_at", "kind", "actor_name", "from_status", "to_status")
    list_filter = ("kind",)


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyModelAdmin):
    list_display = ("incoming", "requested_by", "requested_due_date", "status", "decided_by")
    list_filter = ("status",)


@admin.register(RecallRecord)
class RecallRecordAdmin(ReadOnlyModelAdmin):
    list_display = ("number_symbol", "sender_name", "agency", "decision", "decided_by", "decided_at")
    list_filter = ("decision",)
