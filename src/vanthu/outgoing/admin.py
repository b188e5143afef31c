"""Django admin for the outgoing app: read-only (drafts, circuits and issuance go through the
services, which check who may act and write the audit trail)."""

from __future__ import annotations

from django.contrib import admin

from vanthu.core.admin_base import ReadOnlyModelAdmin
from vanthu.outgoing.models import CircuitTemplate
from vanthu.outgoing.models import CircuitTemplateStep
from vanthu.outgoing.models import DocumentCopy
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingHistory
from vanthu.outgoing.models import ReviewStep


class ReviewStepInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ReviewStep
    extra = 0
    can_delete = False
    fields = ("round", "ordinal", "kind", "assignee", "status", "working_days", "due_at", "decided_by", "decided_at")
    readonly_fields = fields

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Outgoing)
class OutgoingAdmin(ReadOnlyModelAdmin):
    list_display = ("document", "agency", "status", "drafter", "issued_at")
    list_filter = ("status", "is_paper")
    search_fields = ("document__subject", "document__symbol")
    list_select_related = ("document", "agency", "drafter")
    inlines = (ReviewStepInline,)


@admin.register(OutgoingHistory)
class OutgoingHistoryAdmin(ReadOnlyModelAdmin):
    list_display = ("outgoing", "occurred_at", "action", "actor_name", "from_status", "to_status")
    list_filter = ("action",)
    list_select_related = ("outgoing__document",)


class CircuitTemplateStepInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CircuitTemplateStep
    extra = 0
    can_delete = False
    fields = ("ordinal", "kind", "assignee", "unit", "working_days")
    readonly_fields = fields

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(CircuitTemplate)
class CircuitTemplateAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "agency", "document_type", "is_active")
    list_filter = ("is_active",)
    inlines = (CircuitTemplateStepInline,)


@admin.register(DocumentCopy)
class DocumentCopyAdmin(ReadOnlyModelAdmin):
    list_display = ("copy", "kind", "agency", "made_by", "made_at")
    list_filter = ("kind",)
    list_select_related = ("copy", "agency", "made_by")
