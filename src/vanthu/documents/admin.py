"""Django admin for the documents app: read-only (the services write, check and audit)."""

from __future__ import annotations

from django.contrib import admin

from vanthu.core.admin_base import ReadOnlyModelAdmin
from vanthu.documents.models import DocumentType
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry


@admin.register(DocumentType)
class DocumentTypeAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "abbreviation", "code", "kind", "agency", "ordinal", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "abbreviation", "code")
    list_select_related = ("agency",)


@admin.register(Register)
class RegisterAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "code", "agency", "year", "scope", "next_number", "closed_at")
    list_filter = ("scope", "year")
    search_fields = ("name", "code", "agency__name")
    list_select_related = ("agency",)


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyModelAdmin):
    list_display = ("register", "number", "status", "document", "allocated_by", "allocated_at", "cancelled_reason")
    list_filter = ("status",)
    search_fields = ("register__name", "document__subject", "cancelled_reason")
    list_select_related = ("register__agency", "document", "allocated_by")
    raw_id_fields = ("document",)
