"""Django admin for the signing app: read-only (the services write, check and audit)."""

from __future__ import annotations

from django.contrib import admin

from vanthu.core.admin_base import ReadOnlyModelAdmin
from vanthu.signing.models import Certificate
from vanthu.signing.models import RevocationSettings
from vanthu.signing.models import SignatureImage
from vanthu.signing.models import TrustAnchor


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyModelAdmin):
    list_display = ("common_name", "kind", "person", "agency", "serial", "not_after", "key_storage", "disabled_at")
    list_filter = ("kind", "key_storage", ("disabled_at", admin.EmptyFieldListFilter))
    search_fields = ("common_name", "subject", "serial", "fingerprint_sha256")
    list_select_related = ("person", "agency")
    exclude = ("der", "pkcs12")


@admin.register(TrustAnchor)
class TrustAnchorAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "kind", "not_after", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "subject", "fingerprint_sha256")
    exclude = ("der",)


@admin.register(RevocationSettings)
class RevocationSettingsAdmin(ReadOnlyModelAdmin):
    list_display = ("__str__", "is_online_check_enabled", "is_revocation_check_required", "updated_at")


@admin.register(SignatureImage)
class SignatureImageAdmin(ReadOnlyModelAdmin):
    list_display = ("kind", "person", "agency", "width_px", "height_px", "width_mm", "height_mm", "is_current")
    list_filter = ("kind", "is_current")
    list_select_related = ("person", "agency")
