"""Certificates of people and agencies, the trust store (root and intermediate CAs), the
revocation-checking settings, and the signature and seal images of Decree 30 (Appendix I).

Private keys: a personal certificate is registered without its key (the key stays on the
person's token; the local signing agent signs with it). An agency's seal certificate may have
its key on the server, either as a PKCS#12 file (stored here, encrypted under its own password)
or in a PKCS#11 token/HSM (only its labels are stored). The password or PIN is never stored in
the database: ``key_secret_name`` names an entry of the ``VANTHU_SIGNING_KEY_SECRETS`` setting or
the environment variable ``VANTHU_SIGNING_KEY_SECRET_<NAME>`` (see ``certificates.key_secret``).
Production should prefer PKCS#11 (an HSM) over PKCS#12 files."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanthu.core.models import Blob
from vanthu.org.models import Agency


class CertificateKind(models.TextChoices):
    PERSONAL = "PERSONAL", _("Personal certificate")
    AGENCY = "AGENCY", _("Agency (seal) certificate")


class KeyStorage(models.TextChoices):
    CLIENT = "CLIENT", _("On the signer's token (not on the server)")
    SERVER_PKCS12 = "SERVER_PKCS12", _("On the server, PKCS#12 file")
    SERVER_PKCS11 = "SERVER_PKCS11", _("On the server, PKCS#11 token or HSM")


class Certificate(models.Model):
    """An X.509 signing certificate registered for one person or one agency."""

    kind = models.CharField(_("kind"), max_length=16, choices=CertificateKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    subject = models.TextField(_("subject"))
    common_name = models.CharField(_("common name"), max_length=255)
    issuer = models.TextField(_("issuer"))
    issuer_common_name = models.CharField(_("issuer common name"), max_length=255)
    serial = models.CharField(_("serial number"), max_length=64)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    key_usage = models.JSONField(_("key usage"), default=list)
    extended_key_usage = models.JSONField(_("extended key usage"), default=list)
    fingerprint_sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64)
    der = models.BinaryField(_("certificate (DER)"))
    key_storage = models.CharField(
        _("private key"), max_length=16, choices=KeyStorage.choices, default=KeyStorage.CLIENT
    )
    pkcs12 = models.BinaryField(_("PKCS#12 file"), null=True, blank=True, editable=False)
    pkcs11_token_label = models.CharField(_("PKCS#11 token label"), max_length=64, blank=True, default="")
    pkcs11_key_label = models.CharField(_("PKCS#11 key label"), max_length=64, blank=True, default="")
    key_secret_name = models.CharField(
        _("name of the key password or PIN secret"), max_length=64, blank=True, default=""
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered at"))
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    disabled_reason = models.CharField(_("reason"), max_length=255, blank=True, default="")

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CertificateKind.values), name="certificate_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind="PERSONAL", person__isnull=False, agency__isnull=True))
                | Q(kind="AGENCY", person__isnull=True, agency__isnull=False),
                name="certificate_exactly_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(key_storage__in=KeyStorage.values), name="certificate_key_storage_valid"
            ),
            models.CheckConstraint(
                condition=Q(key_storage="CLIENT") | Q(kind="AGENCY"),
                name="certificate_server_key_only_for_agency",
            ),
            models.CheckConstraint(
                condition=Q(key_storage="SERVER_PKCS12", pkcs12__isnull=False)
                | (~Q(key_storage="SERVER_PKCS12") & Q(pkcs12__isnull=True)),
                name="certificate_pkcs12_only_when_stored",
            ),
            models.UniqueConstraint(
                fields=["person", "fingerprint_sha256"],
                condition=Q(person__isnull=False),
                name="certificate_unique_per_person",
            ),
            models.UniqueConstraint(
                fields=["agency", "fingerprint_sha256"],
                condition=Q(agency__isnull=False),
                name="certificate_unique_per_agency",
            ),
        ]
        indexes = [models.Index(fields=["fingerprint_sha256"], name="certificate_fingerprint_idx")]

    def __str__(self) -> str:
        return f"{self.common_name} ({self.serial})"

    @property
    def has_private_key_on_server(self) -> bool:
        return self.key_storage != KeyStorage.CLIENT

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None and self.revoked_at is None


class TrustAnchorKind(models.TextChoices):
    ROOT = "ROOT", _("Root CA")
    INTERMEDIATE = "INTERMEDIATE", _("Intermediate CA")


class TrustAnchor(models.Model):
    """A CA certificate of the trust store: the government CA chain and licensed public CAs.
    Only roots are trusted by themselves; intermediates help build paths to them."""

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=TrustAnchorKind.choices)
    subject = models.TextField(_("subject"))
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    fingerprint_sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    der = models.BinaryField(_("certificate (DER)"))
    crl_urls = models.JSONField(_("CRL addresses"), default=list, blank=True)
    ocsp_urls = models.JSONField(_("OCSP addresses"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"))
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("trusted CA")
        verbose_name_plural = _("trusted CAs")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TrustAnchorKind.values), name="trust_anchor_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class RevocationSettings(models.Model):
    """The one row of revocation-checking settings (id 1)."""

    singleton = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    is_online_check_enabled = models.BooleanField(
        _("fetch CRL and OCSP answers online"),
        default=True,
        help_text=_("Turn off when the CRL and OCSP servers cannot be reached from this server."),
    )
    is_revocation_check_required = models.BooleanField(
        _("refuse signatures whose revocation status is unknown"), default=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("revocation settings")
        verbose_name_plural = _("revocation settings")
        constraints = [models.CheckConstraint(condition=Q(singleton=1), name="revocation_settings_single_row")]

    def __str__(self) -> str:
        return str(_("Revocation settings"))


class SignatureImageKind(models.TextChoices):
    SIGNATURE = "SIGNATURE", _("Signature image")
    SEAL = "SEAL", _("Seal image")


class SignatureImage(models.Model):
    """A person's handwritten signature (blue) or an agency's seal (red, real size), PNG with a
    transparent background. One current image per owner; older ones stay for the history."""

    kind = models.CharField(_("kind"), max_length=16, choices=SignatureImageKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signature_images",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="seal_images"
    )
    blob = models.ForeignKey(Blob, verbose_name=_("file"), on_delete=models.PROTECT, related_name="+")
    width_px = models.PositiveIntegerField(_("width (pixels)"))
    height_px = models.PositiveIntegerField(_("height (pixels)"))
    width_mm = models.DecimalField(_("printed width (mm)"), max_digits=5, decimal_places=1)
    height_mm = models.DecimalField(_("printed height (mm)"), max_digits=5, decimal_places=1)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("signature or seal image")
        verbose_name_plural = _("signature and seal images")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SignatureImageKind.values), name="signature_image_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind="SIGNATURE", person__isnull=False, agency__isnull=True)
                | Q(kind="SEAL", person__isnull=True, agency__isnull=False),
                name="signature_image_exactly_one_owner",
            ),
            models.CheckConstraint(condition=Q(width_mm__gt=0, height_mm__gt=0), name="signature_image_size_positive"),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(is_current=True, person__isnull=False),
                name="signature_image_one_current_per_person",
            ),
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(is_current=True, agency__isnull=False),
                name="signature_image_one_current_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.blob_id}"


class SigningMethod(models.TextChoices):
    SERVER_KEY = "SERVER_KEY", _("Key held by the server")
    AGENT = "AGENT", _("Signing agent on the signer's computer")
    REMOTE_HASH = "REMOTE_HASH", _("Remote signing of the document hash")


class SigningStatus(models.TextChoices):
    PREPARED = "PREPARED", _("Prepared")
    COMPLETED = "COMPLETED", _("Signed")
    EXPIRED = "EXPIRED", _("Expired")
    FAILED = "FAILED", _("Failed")
    CANCELLED = "CANCELLED", _("Cancelled")


class SigningSession(models.Model):
    """One signature being made on one PDF: prepared by the server, then completed by the server's
    key, by the signing agent's upload or by a remote signature over the hash (see
    ``signing.sessions``; the allowed status changes are in ``signing.lifecycle``).

    The PDF sent for signing is the core Blob ``source_sha256`` and is never changed; the signed file
    is a new Blob ``result_sha256``. Tokens are one-time and only their SHA-256 is stored.
    ``prepared_state`` holds what the remote-hash method needs to finish after a restart (cleared
    once the session ends)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    method = models.CharField(_("signing method"), max_length=16, choices=SigningMethod.choices)
    status = models.CharField(_("status"), max_length=16, choices=SigningStatus.choices, default=SigningStatus.PREPARED)
    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.PROTECT, related_name="signing_sessions"
    )
    signer_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_agency = models.ForeignKey(
        Agency, verbose_name=_("signing agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_sha256 = models.CharField(_("SHA-256 of the file to sign"), max_length=64)
    result_sha256 = models.CharField(_("SHA-256 of the signed file"), max_length=64, blank=True, default="")
    appearance = models.JSONField(_("appearance"), null=True, blank=True)
    field_name = models.CharField(_("signature field"), max_length=64, blank=True, default="")
    prepared_state = models.BinaryField(_("prepared signing state"), null=True, blank=True, editable=False)
    digest_hex = models.CharField(_("digest to sign"), max_length=128, blank=True, default="")
    download_token_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    download_token_used_at = models.DateTimeField(_("document downloaded at"), null=True, blank=True)
    upload_token_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    upload_token_used_at = models.DateTimeField(_("signed file uploaded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    failure_reason = models.CharField(_("reason of failure"), max_length=255, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signing session")
        verbose_name_plural = _("signing sessions")
        constraints = [
            models.CheckConstraint(condition=Q(method__in=SigningMethod.values), name="signing_session_method_valid"),
            models.CheckConstraint(condition=Q(status__in=SigningStatus.values), name="signing_session_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="COMPLETED") | (~Q(result_sha256="") & Q(completed_at__isnull=False)),
                name="signing_session_completed_has_result",
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="signing_session_expiry"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="signing_session_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.id}"


class SignatureVerification(models.Model):
    """One verification of a signed PDF: the file, the stored JSON report (both core Blobs), who and when."""

    pdf = models.ForeignKey(Blob, verbose_name=_("file verified"), on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(Blob, verbose_name=_("report"), on_delete=models.PROTECT, related_name="+")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"))
    signature_count = models.PositiveIntegerField(_("number of signatures"))
    all_valid = models.BooleanField(_("all signatures valid"))

    class Meta:
        ordering = ["-verified_at", "-id"]
        verbose_name = _("signature verification")
        verbose_name_plural = _("signature verifications")
        indexes = [models.Index(fields=["pdf", "-verified_at"], name="signature_verification_pdf_idx")]

    def __str__(self) -> str:
        return f"{self.pdf_id} {self.verified_at:%Y-%m-%d %H:%M}"
