"""Audit action names of the signing app, with their human labels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

CERTIFICATE_REGISTERED = "signing.certificate.registered"
CERTIFICATE_DISABLED = "signing.certificate.disabled"
TRUST_ANCHOR_ADDED = "signing.trust_anchor.added"
TRUST_ANCHOR_UPDATED = "signing.trust_anchor.updated"
TRUST_ANCHOR_DISABLED = "signing.trust_anchor.disabled"
REVOCATION_SETTINGS_UPDATED = "signing.revocation_settings.updated"
SIGNATURE_IMAGE_UPLOADED = "signing.signature_image.uploaded"
SIGNATURE_PREPARED = "signing.signature.prepared"
SIGNATURE_APPLIED = "signing.signature.applied"
SIGNATURE_FAILED = "signing.signature.failed"
SIGNATURE_SESSION_EXPIRED = "signing.signature.expired"
SIGNATURE_SESSION_CANCELLED = "signing.signature.cancelled"
SIGNATURE_VERIFIED = "signing.signature.verified"

ACTION_LABELS: dict[str, Any] = {
    CERTIFICATE_REGISTERED: _("Certificate registered"),
    CERTIFICATE_DISABLED: _("Certificate disabled"),
    TRUST_ANCHOR_ADDED: _("Trusted CA added"),
    TRUST_ANCHOR_UPDATED: _("Trusted CA changed"),
    TRUST_ANCHOR_DISABLED: _("Trusted CA disabled"),
    REVOCATION_SETTINGS_UPDATED: _("Revocation checking settings changed"),
    SIGNATURE_IMAGE_UPLOADED: _("Signature or seal image uploaded"),
    SIGNATURE_PREPARED: _("Signature prepared"),
    SIGNATURE_APPLIED: _("Document signed"),
    SIGNATURE_FAILED: _("Signature refused"),
    SIGNATURE_SESSION_EXPIRED: _("Signing session expired"),
    SIGNATURE_SESSION_CANCELLED: _("Signing session cancelled"),
    SIGNATURE_VERIFIED: _("Digital signatures of a PDF verified"),
}
