"""Writes of the signing app: certificates, trust store, revocation settings, signature images.
Each service checks its policy, validates everything before writing, and records its audit event
in the same transaction (a refusal leaves nothing behind)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from cryptography import x509
from django.db import IntegrityError
from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.blobs import blob_store_bytes
from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.org import policies as org_policies
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import RoleAssignment
from vanthu.signing import events
from vanthu.signing import policies
from vanthu.signing import selectors
from vanthu.signing.certificates import SECRET_NAME_PATTERN
from vanthu.signing.certificates import CertificateInfo
from vanthu.signing.certificates import ParsedCertificate
from vanthu.signing.certificates import certificate_parse
from vanthu.signing.certificates import check_signing_usable
from vanthu.signing.certificates import check_trusted
from vanthu.signing.certificates import crls_download
from vanthu.signing.certificates import key_secret
from vanthu.signing.certificates import public_keys_match
from vanthu.signing.images import check_image
from vanthu.signing.models import Certificate
from vanthu.signing.models import CertificateKind
from vanthu.signing.models import KeyStorage
from vanthu.signing.models import RevocationSettings
from vanthu.signing.models import SignatureImage
from vanthu.signing.models import SignatureImageKind
from vanthu.signing.models import TrustAnchor
from vanthu.signing.models import TrustAnchorKind

MAX_URLS = 10


class DuplicateCertificateError(ConflictError):
    code = "certificate_duplicate"


def _home_agency_id(person: Person, now: datetime) -> int | None:
    """The audit chain of a person's own records: their first current agency."""
    assignment = (
        RoleAssignment.objects.filter(person=person, valid_from__lte=now)
        .exclude(valid_to__lte=now)
        .order_by("valid_from", "pk")
        .first()
    )
    return assignment.agency_id if assignment is not None else None


def _certificate_fields(info: CertificateInfo) -> dict[str, object]:
    return {
        "subject": info.subject,
        "common_name": info.common_name,
        "issuer": info.issuer,
        "issuer_common_name": info.issuer_common_name,
        "serial": info.serial,
        "not_before": info.not_before,
        "not_after": info.not_after,
        "key_usage": info.key_usage,
        "extended_key_usage": info.extended_key_usage,
        "fingerprint_sha256": info.fingerprint_sha256,
        "der": info.der,
    }


def _audit_data(certificate: Certificate) -> dict[str, object]:
    return {
        "kind": certificate.kind,
        "subject": certificate.subject,
        "issuer": certificate.issuer,
        "serial": certificate.serial,
        "fingerprint_sha256": certificate.fingerprint_sha256,
        "not_after": certificate.not_after.isoformat(),
        "key_storage": certificate.key_storage,
    }


def _check_trusted(certificate: x509.Certificate, *, crls: Iterable[bytes] | None, now: datetime) -> None:
    """The certificate chains to an active trust anchor and is not revoked. ``crls`` (DER) are
    the CRLs to use; when None, the CRL addresses of the active trust anchors are downloaded if
    the revocation settings allow online checks."""
    if crls is None:
        crls = (
            crls_download(selectors.revocation_urls()[0])
            if selectors.revocation_settings_get().is_online_check_enabled
            else []
        )
    check_trusted(
        certificate,
        trust_roots=selectors.trust_roots(),
        intermediates=selectors.trust_intermediates(),
        crls=crls,
        now=now,
    )


def _create_certificate(**fields: object) -> Certificate:
    try:
        with transaction.atomic():
            return Certificate.objects.create(**fields)
    except IntegrityError as error:
        raise DuplicateCertificateError(_("This certificate is already registered.")) from error


@transaction.atomic
def certificate_register_for_person(
    *, person: Person, data: bytes, actor: Person, now: datetime, crls: Iterable[bytes] | None = None
) -> Certificate:
    """Register a person's own signing certificate: the public certificate only (PEM or DER);
    the private key stays on their token. It must chain to an active trust anchor and not be
    revoked (``crls``: the CRLs to check, see ``_check_trusted``)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    policies.require_visible(org_policies.can_view_person(actor, person, now))
    policies.require(
        policies.can_register_personal_certificate(actor, person, now),
        _("Only the person or an administrator of their agency may register their certificate."),
    )
    parsed = certificate_parse(data)
    if parsed.has_private_key:
        raise ValidationError(
            _("A personal certificate is registered without its private key: the key stays on your token.")
        )
    check_signing_usable(parsed.info, now)
    _check_trusted(parsed.certificate, crls=crls, now=now)
    if Certificate.objects.filter(person=person, fingerprint_sha256=parsed.info.fingerprint_sha256).exists():
        raise DuplicateCertificateError(_("This certificate is already registered."))
    certificate = _create_certificate(
        kind=CertificateKind.PERSONAL,
        person=person,
        key_storage=KeyStorage.CLIENT,
        registered_by=actor,
        registered_at=now,
        **_certificate_fields(parsed.info),
    )
    audit.record(
        action=events.CERTIFICATE_REGISTERED,
        actor=actor,
        agency=_home_agency_id(person, now),
        target=certificate,
        now=now,
        data={**_audit_data(certificate), "person_id": person.pk},
    )
    return certificate


def _server_key_fields(
    parsed: ParsedCertificate,
    *,
    data: bytes,
    key_secret_name: str,
    pkcs11_token_label: str,
    pkcs11_key_label: str,
) -> dict[str, object]:
    if pkcs11_token_label or pkcs11_key_label:
        if parsed.has_private_key:
            raise ValidationError(_("Give either a PKCS#12 file or PKCS#11 labels, not both."))
        if not (pkcs11_token_label and pkcs11_key_label and key_secret_name):
            raise ValidationError(_("A PKCS#11 key needs the token label, the key label and the PIN's secret name."))
        if not SECRET_NAME_PATTERN.match(key_secret_name):
            raise ValidationError(_("The key secret name may use only A–Z, 0–9 and _."))
        return {
            "key_storage": KeyStorage.SERVER_PKCS11,
            "pkcs11_token_label": pkcs11_token_label[:64],
            "pkcs11_key_label": pkcs11_key_label[:64],
            "key_secret_name": key_secret_name,
        }
    if not parsed.has_private_key:
        return {"key_storage": KeyStorage.CLIENT}
    if parsed.private_key is None or not public_keys_match(parsed.certificate, parsed.private_key):
        raise ValidationError(_("The private key in the PKCS#12 file does not belong to its certificate."))
    return {"key_storage": KeyStorage.SERVER_PKCS12, "pkcs12": data, "key_secret_name": key_secret_name}


@transaction.atomic
def certificate_register_for_agency(  # noqa: PLR0913 - the ways an agency key can be held
    *,
    agency: Agency,
    data: bytes,
    actor: Person,
    now: datetime,
    key_secret_name: str = "",
    pkcs11_token_label: str = "",
    pkcs11_key_label: str = "",
    crls: Iterable[bytes] | None = None,
) -> Certificate:
    """Register an agency's seal certificate (it must chain to an active trust anchor and not be
    revoked; ``crls`` as for a personal certificate). ``data`` is PEM/DER (the key on a token elsewhere),
    or PKCS#12 with the private key held on the server: its password is the server secret named
    ``key_secret_name`` (never stored here). With PKCS#11 labels the key is in the server's
    token or HSM, its PIN the secret named ``key_secret_name``."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    policies.require(
        policies.can_manage_agency_signing(actor, agency, now),
        _("Only an administrator of this agency may register its certificates."),
    )
    if agency.valid_to is not None:
        raise ConflictError(_("An agency that no longer exists cannot receive certificates."))
    password = key_secret(key_secret_name) if key_secret_name and not pkcs11_token_label else None
    parsed = certificate_parse(data, password=password)
    check_signing_usable(parsed.info, now)
    _check_trusted(parsed.certificate, crls=crls, now=now)
    key_fields = _server_key_fields(
        parsed,
        data=data,
        key_secret_name=key_secret_name,
        pkcs11_token_label=pkcs11_token_label,
        pkcs11_key_label=pkcs11_key_label,
    )
    if Certificate.objects.filter(agency=agency, fingerprint_sha256=parsed.info.fingerprint_sha256).exists():
        raise DuplicateCertificateError(_("This certificate is already registered."))
    certificate = _create_certificate(
        kind=CertificateKind.AGENCY,
        agency=agency,
        registered_by=actor,
        registered_at=now,
        **key_fields,
        **_certificate_fields(parsed.info),
    )
    audit.record(
        action=events.CERTIFICATE_REGISTERED,
        actor=actor,
        agency=agency,
        target=certificate,
        now=now,
        data=_audit_data(certificate),
    )
    return certificate


@transaction.atomic
def certificate_disable(
    *, certificate: Certificate, actor: Person, now: datetime, reason: str = "", revoked: bool = False
) -> Certificate:
    """Stop using a certificate (no longer used, or revoked by its CA). Past signatures stay."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",)).select_related("person", "agency").get(pk=certificate.pk)
    )
    policies.require_visible(policies.can_view_certificate(actor, certificate, now))
    policies.require(
        policies.can_disable_certificate(actor, certificate, now),
        _("You may not disable this certificate."),
    )
    if not certificate.is_active:
        raise ConflictError(_("This certificate is already disabled."))
    certificate.disabled_at = now
    if revoked:
        certificate.revoked_at = now
    certificate.disabled_reason = reason.strip()[:255]
    certificate.save(update_fields=["disabled_at", "revoked_at", "disabled_reason"])
    agency_id = certificate.agency_id if certificate.person is None else _home_agency_id(certificate.person, now)
    audit.record(
        action=events.CERTIFICATE_DISABLED,
        actor=actor,
        agency=agency_id,
        target=certificate,
        now=now,
        data={**_audit_data(certificate), "reason": certificate.disabled_reason, "revoked": revoked},
    )
    return certificate


# --- trust store ------------------------------------------------------------------------


def _clean_urls(urls: list[str]) -> list[str]:
    cleaned = [url.strip() for url in urls if url.strip()]
    if len(cleaned) > MAX_URLS:
        raise ValidationError(_("At most %(count)s addresses.") % {"count": MAX_URLS})
    for url in cleaned:
        if not url.startswith(("http://", "https://")) or len(url) > 500:  # noqa: PLR2004
            raise ValidationError(_("%(url)s is not an http(s) address.") % {"url": url[:100]})
    return cleaned


def _require_trust_store(actor: Person, now: datetime) -> None:
    policies.require(
        policies.can_manage_trust_store(actor, now),
        _("Only a provincial administrator may manage the trusted certificate authorities."),
    )


@transaction.atomic
def trust_anchor_add(  # noqa: PLR0913
    *,
    data: bytes,
    actor: Person,
    now: datetime,
    name: str = "",
    crl_urls: list[str] | None = None,
    ocsp_urls: list[str] | None = None,
) -> TrustAnchor:
    """Add a root or intermediate CA certificate (PEM or DER) to the trust store."""
    _require_trust_store(actor, now)
    parsed = certificate_parse(data)
    if parsed.has_private_key:
        raise ValidationError(_("A trusted CA is added without any private key."))
    info = parsed.info
    if not info.is_ca:
        raise ValidationError(_("This is not a certificate authority's certificate."))
    if now >= info.not_after:
        raise ValidationError(_("The certificate expired on %(date)s.") % {"date": info.not_after.date().isoformat()})
    kind = (
        TrustAnchorKind.ROOT
        if parsed.certificate.issuer == parsed.certificate.subject
        else TrustAnchorKind.INTERMEDIATE
    )
    if TrustAnchor.objects.filter(fingerprint_sha256=info.fingerprint_sha256).exists():
        raise DuplicateCertificateError(_("This certificate authority is already in the trust store."))
    try:
        with transaction.atomic():
            anchor = TrustAnchor.objects.create(
                name=(name.strip() or info.common_name or info.subject)[:255],
                kind=kind,
                subject=info.subject,
                not_before=info.not_before,
                not_after=info.not_after,
                fingerprint_sha256=info.fingerprint_sha256,
                der=info.der,
                crl_urls=_clean_urls(crl_urls or []),
                ocsp_urls=_clean_urls(ocsp_urls or []),
                added_by=actor,
                added_at=now,
            )
    except IntegrityError as error:
        raise DuplicateCertificateError(_("This certificate authority is already in the trust store.")) from error
    audit.record(
        action=events.TRUST_ANCHOR_ADDED,
        actor=actor,
        agency=None,
        target=anchor,
        now=now,
        data={
            "name": anchor.name,
            "kind": anchor.kind,
            "subject": anchor.subject,
            "fingerprint_sha256": anchor.fingerprint_sha256,
        },
    )
    return anchor


@transaction.atomic
def trust_anchor_update(
    *,
    anchor: TrustAnchor,
    actor: Person,
    now: datetime,
    name: str | None = None,
    crl_urls: list[str] | None = None,
    ocsp_urls: list[str] | None = None,
) -> TrustAnchor:
    _require_trust_store(actor, now)
    anchor = TrustAnchor.objects.select_for_update().get(pk=anchor.pk)
    before = {"name": anchor.name, "crl_urls": anchor.crl_urls, "ocsp_urls": anchor.ocsp_urls}
    if name is not None:
        if not name.strip():
            raise ValidationError(_("The trusted CA needs a name."))
        anchor.name = name.strip()[:255]
    if crl_urls is not None:
        anchor.crl_urls = _clean_urls(crl_urls)
    if ocsp_urls is not None:
        anchor.ocsp_urls = _clean_urls(ocsp_urls)
    anchor.save(update_fields=["name", "crl_urls", "ocsp_urls"])
    after = {"name": anchor.name, "crl_urls": anchor.crl_urls, "ocsp_urls": anchor.ocsp_urls}
    audit.record(
        action=events.TRUST_ANCHOR_UPDATED,
        actor=actor,
        agency=None,
        target=anchor,
        now=now,
        data={"before": before, "after": after},
    )
    return anchor


@transaction.atomic
def trust_anchor_disable(*, anchor: TrustAnchor, actor: Person, now: datetime) -> TrustAnchor:
    _require_trust_store(actor, now)
    anchor = TrustAnchor.objects.select_for_update().get(pk=anchor.pk)
    if not anchor.is_active:
        raise ConflictError(_("This certificate authority is already disabled."))
    anchor.is_active = False
    anchor.disabled_at = now
    anchor.save(update_fields=["is_active", "disabled_at"])
    audit.record(
        action=events.TRUST_ANCHOR_DISABLED,
        actor=actor,
        agency=None,
        target=anchor,
        now=now,
        data={"name": anchor.name, "fingerprint_sha256": anchor.fingerprint_sha256},
    )
    return anchor


@transaction.atomic
def revocation_settings_update(
    *,
    actor: Person,
    now: datetime,
    is_online_check_enabled: bool | None = None,
    is_revocation_check_required: bool | None = None,
) -> RevocationSettings:
    _require_trust_store(actor, now)
    RevocationSettings.objects.get_or_create(singleton=1)
    current = RevocationSettings.objects.select_for_update().get(singleton=1)
    before = {
        "is_online_check_enabled": current.is_online_check_enabled,
        "is_revocation_check_required": current.is_revocation_check_required,
    }
    if is_online_check_enabled is not None:
        current.is_online_check_enabled = is_online_check_enabled
    if is_revocation_check_required is not None:
        current.is_revocation_check_required = is_revocation_check_required
    current.updated_by = actor
    current.updated_at = now
    current.save()
    after = {
        "is_online_check_enabled": current.is_online_check_enabled,
        "is_revocation_check_required": current.is_revocation_check_required,
    }
    audit.record(
        action=events.REVOCATION_SETTINGS_UPDATED,
        actor=actor,
        agency=None,
        target=current,
        now=now,
        data={"before": before, "after": after},
    )
    return current


# --- signature and seal images ----------------------------------------------------------


def _store_image(
    *,
    data: bytes,
    kind: str,
    actor: Person,
    now: datetime,
    width_mm: Decimal | None,
    height_mm: Decimal | None,
    person: Person | None = None,
    agency: Agency | None = None,
) -> SignatureImage:
    checked = check_image(data, kind=kind, width_mm=width_mm, height_mm=height_mm)
    blob = blob_store_bytes(data=data, now=now, allowed_types={"image/png"})
    owner = {"person": person} if person is not None else {"agency": agency}
    SignatureImage.objects.filter(is_current=True, **owner).update(is_current=False)
    image = SignatureImage.objects.create(
        kind=kind,
        blob=blob,
        width_px=checked.width_px,
        height_px=checked.height_px,
        width_mm=checked.width_mm,
        height_mm=checked.height_mm,
        uploaded_by=actor,
        uploaded_at=now,
        is_current=True,
        **owner,
    )
    audit.record(
        action=events.SIGNATURE_IMAGE_UPLOADED,
        actor=actor,
        agency=agency.pk if agency is not None else (_home_agency_id(person, now) if person is not None else None),
        target=image,
        now=now,
        data={
            "kind": kind,
            "sha256": blob.sha256,
            "width_px": checked.width_px,
            "height_px": checked.height_px,
            "width_mm": str(checked.width_mm),
            "height_mm": str(checked.height_mm),
        },
    )
    return image


@transaction.atomic
def signature_image_upload(  # noqa: PLR0913
    *,
    data: bytes,
    actor: Person,
    now: datetime,
    person: Person | None = None,
    agency: Agency | None = None,
    width_mm: Decimal | None = None,
    height_mm: Decimal | None = None,
) -> SignatureImage:
    """Upload a person's signature image (``person``; only themself) or an agency's seal image
    (``agency``; its ADMINs). It becomes the current one; the previous stays for the history."""
    if (person is None) == (agency is None):
        raise ValidationError(_("An image belongs to either a person or an agency."))
    if person is not None:
        person = Person.objects.select_for_update().get(pk=person.pk)
        policies.require_visible(org_policies.can_view_person(actor, person, now))
        policies.require(
            policies.can_upload_signature_image(actor, person),
            _("Only the person may upload their own signature image."),
        )
        return _store_image(
            data=data,
            kind=SignatureImageKind.SIGNATURE,
            actor=actor,
            now=now,
            width_mm=width_mm,
            height_mm=height_mm,
            person=person,
        )
    assert agency is not None  # noqa: S101 - narrowed above
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    policies.require(
        policies.can_manage_agency_signing(actor, agency, now),
        _("Only an administrator of this agency may upload its seal image."),
    )
    return _store_image(
        data=data,
        kind=SignatureImageKind.SEAL,
        actor=actor,
        now=now,
        width_mm=width_mm,
        height_mm=height_mm,
        agency=agency,
    )
