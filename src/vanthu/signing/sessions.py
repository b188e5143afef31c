"""Signing sessions: the ways a PDF gets signed (issue 3, item 4) behind one service interface.

``signature_prepare`` opens a session on a stored PDF (a core Blob) for one certificate:

- ``SERVER_KEY``: an agency's key held by the server (PKCS#12 file or PKCS#11 token/HSM);
  ``signature_apply`` signs at once.
- ``AGENT``: the signing agent on the signer's computer downloads the PDF with a one-time download
  token, signs it with the key on the USB token, and uploads the result with a one-time upload
  token; ``signature_apply`` accepts it only after ``pades.incremental.check_agent_upload``.
- ``REMOTE_HASH``: the server prepares the signed file with an empty signature and hands out the
  digest (``digest_hex``) for a remote signer; ``signature_apply`` with the signature value
  finishes it from ``prepared_state`` alone, so it survives a restart of the server.

The stored original is never changed: the signed file is a new Blob. Each signature writes an
audit event (who, which certificate, file SHA-256 before and after) in its transaction. Tokens are
handed out once and only their SHA-256 is kept. Status changes follow ``signing.lifecycle``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any
from typing import Literal

from cryptography import x509
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from pyhanko.sign.timestamps import HTTPTimeStamper

from vanthu.audit import services as audit
from vanthu.core.blobs import blob_read
from vanthu.core.blobs import blob_store_bytes
from vanthu.core.errors import ConflictError
from vanthu.core.errors import DomainError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PayloadTooLargeError
from vanthu.core.errors import UnsupportedMediaTypeError
from vanthu.core.errors import ValidationError
from vanthu.org.models import Person
from vanthu.signing import events
from vanthu.signing import lifecycle
from vanthu.signing import policies
from vanthu.signing import signers
from vanthu.signing.certificates import certificate_info
from vanthu.signing.certificates import check_signing_usable
from vanthu.signing.certificates import key_secret
from vanthu.signing.lifecycle import SessionAction
from vanthu.signing.models import Certificate
from vanthu.signing.models import CertificateKind
from vanthu.signing.models import KeyStorage
from vanthu.signing.models import SigningMethod
from vanthu.signing.models import SigningSession
from vanthu.signing.models import SigningStatus
from vanthu.signing.models import TrustAnchor
from vanthu.signing.models import TrustAnchorKind
from vanthu.signing.pades import document
from vanthu.signing.pades.appearance import AgencySignature
from vanthu.signing.pades.appearance import Appearance
from vanthu.signing.pades.appearance import CopyOrAnnexLine
from vanthu.signing.pades.appearance import IssuanceStamp
from vanthu.signing.pades.appearance import PersonSignature
from vanthu.signing.pades.appearance import Placement
from vanthu.signing.pades.drawing import Rect
from vanthu.signing.pades.sign import _free_field_name
from vanthu.signing.pades.sign import sign_pdf
from vanthu.signing.services import _home_agency_id

DEFAULT_TTL = timedelta(minutes=15)
MAX_TTL = timedelta(hours=24)
MAX_CHAIN_LENGTH = 6
PDF_TYPES = {"application/pdf"}
TSA_TIMEOUT_SECONDS = 10
TIMESTAMP_FAILED = "timestamp_failed"


class SigningSessionExpiredError(ConflictError):
    code = "signing_session_expired"


class SigningTokenError(NotFoundError):
    """A wrong, used or missing one-time token: answered like an unknown session."""

    code = "signing_token_invalid"


class CertificateNotUsableError(ConflictError):
    code = "certificate_not_usable"


class SigningMethodError(ValidationError):
    code = "signing_method_not_possible"


@dataclass(frozen=True)
class PreparedSignature:
    session: SigningSession
    download_token: str | None
    upload_token: str | None
    digest_hex: str | None


# --- appearance as JSON (stored on the session, sent to the signing agent) ---------------------


def _placement_data(placement: Placement | None) -> dict[str, Any] | None:
    if placement is None:
        return None
    return {"page": placement.page, "rect": list(placement.rect.as_tuple())}


def _placement(data: dict[str, Any] | None) -> Placement | None:
    if data is None:
        return None
    x0, y0, x1, y1 = (float(value) for value in data["rect"])
    return Placement(page=int(data["page"]), rect=Rect(x0, y0, x1, y1))


def _png(data: bytes) -> str:
    return base64.b64encode(data).decode()


def appearance_to_data(appearance: Appearance | None) -> dict[str, Any] | None:
    """The appearance as JSON-able data (images in base64); ``appearance_from_data`` reverses it."""
    if appearance is None:
        return None
    if isinstance(appearance, PersonSignature):
        return {
            "type": "person",
            "image_png": _png(appearance.image_png),
            "name": appearance.name,
            "title": appearance.title,
            "box": _placement_data(appearance.box),
            "fallback_box": _placement_data(appearance.fallback_box),
            "show_caption": appearance.show_caption,
            "max_image_height_mm": appearance.max_image_height_mm,
        }
    if isinstance(appearance, AgencySignature):
        issuance = appearance.issuance
        return {
            "type": "agency",
            "seal_png": _png(appearance.seal_png),
            "agency_name": appearance.agency_name,
            "seal_width_mm": appearance.seal_width_mm,
            "person_field_name": appearance.person_field_name,
            "box": _placement_data(appearance.box),
            "issuance": None
            if issuance is None
            else {
                "number_symbol": issuance.number_symbol,
                "issue_date_text": issuance.issue_date_text,
                "number_box": _placement_data(issuance.number_box),
                "date_box": _placement_data(issuance.date_box),
                "font_size": issuance.font_size,
            },
        }
    return {"type": "line", "text": appearance.text}


def appearance_from_data(data: dict[str, Any] | None) -> Appearance | None:
    if data is None:
        return None
    kind = data.get("type")
    if kind == "person":
        fallback = _placement(data.get("fallback_box"))
        person = PersonSignature(
            image_png=base64.b64decode(data["image_png"]),
            name=str(data["name"]),
            title=str(data["title"]),
            box=_placement(data.get("box")),
            show_caption=bool(data.get("show_caption", False)),
            max_image_height_mm=float(data.get("max_image_height_mm", 28.0)),
        )
        if fallback is not None:
            person = PersonSignature(**{**person.__dict__, "fallback_box": fallback})
        return person
    if kind == "agency":
        issuance_data = data.get("issuance")
        issuance = (
            None
            if issuance_data is None
            else IssuanceStamp(
                number_symbol=str(issuance_data["number_symbol"]),
                issue_date_text=str(issuance_data["issue_date_text"]),
                number_box=_placement(issuance_data.get("number_box")),
                date_box=_placement(issuance_data.get("date_box")),
                font_size=float(issuance_data.get("font_size", 13.0)),
            )
        )
        return AgencySignature(
            seal_png=base64.b64decode(data["seal_png"]),
            agency_name=str(data["agency_name"]),
            seal_width_mm=float(data.get("seal_width_mm", 36.0)),
            person_field_name=data.get("person_field_name"),
            box=_placement(data.get("box")),
            issuance=issuance,
        )
    if kind == "line":
        return CopyOrAnnexLine(text=str(data["text"]))
    raise ValidationError(_("Unknown signature appearance."), details={"type": kind})


# --- helpers -----------------------------------------------------------------------------------


def _token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hashlib.sha256(token.encode()).hexdigest()


def _token_matches(token: str | None, stored_hash: str) -> bool:
    if not token or not stored_hash:
        return False
    return hmac.compare_digest(hashlib.sha256(token.encode()).hexdigest(), stored_hash)


def can_sign_with(actor: Person, certificate: Certificate, now: datetime) -> bool:
    """A personal certificate signs for its owner only; an agency's seal is applied by the CLERKs
    of the agency (the registry keeps the seal, Decree 30 Art. 32-33)."""
    if not (actor.is_authenticated and actor.is_active):
        return False
    if certificate.kind == CertificateKind.PERSONAL:
        return certificate.person_id == actor.pk
    return certificate.agency_id in policies.clerk_agency_ids(actor, now)


def _check_certificate(certificate: Certificate, now: datetime) -> None:
    if certificate.revoked_at is not None:
        raise CertificateNotUsableError(
            _("This certificate has been revoked; it cannot sign."), code="certificate_revoked"
        )
    if certificate.disabled_at is not None:
        raise CertificateNotUsableError(
            _("This certificate has been disabled; it cannot sign."), code="certificate_disabled"
        )
    check_signing_usable(certificate_info(x509.load_der_x509_certificate(bytes(certificate.der))), now)


def _check_method(method: str, certificate: Certificate) -> None:
    if method not in SigningMethod.values:
        raise SigningMethodError(_("Unknown signing method."), details={"method": method})
    if method == SigningMethod.SERVER_KEY and not certificate.has_private_key_on_server:
        raise SigningMethodError(_("The server does not hold the key of this certificate."))
    if method != SigningMethod.SERVER_KEY and certificate.has_private_key_on_server:
        raise SigningMethodError(_("The key of this certificate is on the server: sign with the server's key."))


def _chain_der(certificate: Certificate) -> list[bytes]:
    """The certificate's CA chain from the trust store (issuer by issuer, up to a root)."""
    chain: list[bytes] = []
    issuer = certificate.issuer
    for _step in range(MAX_CHAIN_LENGTH):
        anchor = TrustAnchor.objects.filter(subject=issuer, is_active=True).order_by("-not_after").first()
        if anchor is None or bytes(anchor.der) in chain:
            break
        chain.append(bytes(anchor.der))
        if anchor.kind == TrustAnchorKind.ROOT:
            break
        issuer = certificate_info(x509.load_der_x509_certificate(bytes(anchor.der))).issuer
    return chain


def _timestamper() -> HTTPTimeStamper | None:
    """The configured time-stamping authority (``VANTHU_SIGNING_TSA_URL``), or None (PAdES B-B)."""
    url: str = getattr(settings, "VANTHU_SIGNING_TSA_URL", "") or ""
    return HTTPTimeStamper(url, timeout=TSA_TIMEOUT_SECONDS) if url else None


def trust_roots_der() -> list[bytes]:
    return [
        bytes(der)
        for der in TrustAnchor.objects.filter(is_active=True, kind=TrustAnchorKind.ROOT).values_list("der", flat=True)
    ]


def _audit_agency(session: SigningSession, now: datetime) -> int | None:
    if session.signer_agency_id is not None:
        return session.signer_agency_id
    return _home_agency_id(session.created_by, now)


def _certificate_data(certificate: Certificate) -> dict[str, object]:
    return {
        "certificate_id": certificate.pk,
        "certificate_kind": certificate.kind,
        "certificate_subject": certificate.subject,
        "certificate_serial": certificate.serial,
        "certificate_fingerprint_sha256": certificate.fingerprint_sha256,
    }


def _lock(session: SigningSession) -> SigningSession:
    return (
        SigningSession.objects.select_for_update(of=("self",))
        .select_related("certificate", "created_by")
        .get(pk=session.pk)
    )


def _require_creator(session: SigningSession, actor: Person) -> None:
    policies.require_visible(bool(actor.is_authenticated) and session.created_by_id == actor.pk)


def _refuse_if_expired(session: SigningSession, now: datetime) -> None:
    if session.status == SigningStatus.PREPARED and now >= session.expires_at:
        raise SigningSessionExpiredError(
            _("This signing session expired; prepare the signature again."),
            details={"expires_at": session.expires_at.isoformat()},
        )


def _move(session: SigningSession, action: SessionAction) -> None:
    session.status = lifecycle.next_status(session.status, action)


# --- services ----------------------------------------------------------------------------------


@transaction.atomic
def signature_prepare(  # noqa: PLR0913
    *,
    pdf_sha256: str,
    method: str,
    certificate: Certificate,
    appearance: Appearance | None,
    actor: Person,
    now: datetime,
    ttl: timedelta = DEFAULT_TTL,
) -> PreparedSignature:
    """Open a signing session on the stored PDF ``pdf_sha256`` with ``certificate``.

    Returns the one-time tokens of the AGENT method and the digest of the REMOTE_HASH method
    (handed out here only; the session keeps their hashes)."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",)).select_related("person", "agency").get(pk=certificate.pk)
    )
    policies.require_visible(policies.can_view_certificate(actor, certificate, now))
    policies.require(can_sign_with(actor, certificate, now), _("You may not sign with this certificate."))
    if not timedelta(0) < ttl <= MAX_TTL:
        raise ValidationError(_("A signing session lasts from a few seconds up to one day."))
    _check_method(method, certificate)
    _check_certificate(certificate, now)
    pdf = blob_read(sha256=pdf_sha256)
    reader = document.open_pdf(pdf)
    field_name = _free_field_name(reader, appearance)
    session = SigningSession(
        method=method,
        status=SigningStatus.PREPARED,
        certificate=certificate,
        signer_person=certificate.person if certificate.kind == CertificateKind.PERSONAL else actor,
        signer_agency=certificate.agency,
        source_sha256=pdf_sha256,
        appearance=appearance_to_data(appearance),
        field_name=field_name,
        created_by=actor,
        created_at=now,
        expires_at=now + ttl,
    )
    download_token = upload_token = digest_hex = None
    if method == SigningMethod.AGENT:
        download_token, session.download_token_hash = _token()
        upload_token, session.upload_token_hash = _token()
    elif method == SigningMethod.REMOTE_HASH:
        prepared = signers.remote_prepare(
            pdf=pdf,
            certificate_der=bytes(certificate.der),
            chain_der=_chain_der(certificate),
            appearance=appearance,
            now=now,
            field_name=field_name,
            reserve_timestamp=bool(getattr(settings, "VANTHU_SIGNING_TSA_URL", "")),
        )
        session.prepared_state = prepared.state
        session.digest_hex = digest_hex = prepared.digest_hex
    session.save()
    audit.record(
        action=events.SIGNATURE_PREPARED,
        actor=actor,
        agency=_audit_agency(session, now),
        target=session,
        now=now,
        data={
            "session_id": str(session.pk),
            "method": method,
            "source_sha256": pdf_sha256,
            "expires_at": session.expires_at.isoformat(),
            **_certificate_data(certificate),
        },
    )
    return PreparedSignature(
        session=session, download_token=download_token, upload_token=upload_token, digest_hex=digest_hex
    )


def signing_session_check_token(
    *, session: SigningSession, token: str | None, purpose: Literal["download", "upload"], now: datetime
) -> SigningSession:
    """The session if ``token`` is its unused token for ``purpose`` and it is still open
    (does not use the token up). Anything else is "not found"."""
    session = SigningSession.objects.select_related("certificate").get(pk=session.pk)
    stored = session.download_token_hash if purpose == "download" else session.upload_token_hash
    used = session.download_token_used_at if purpose == "download" else session.upload_token_used_at
    if session.method != SigningMethod.AGENT or not _token_matches(token, stored) or used is not None:
        raise SigningTokenError()
    lifecycle.next_status(session.status, SessionAction.APPLY)
    _refuse_if_expired(session, now)
    return session


@transaction.atomic
def signature_document_fetch(*, session: SigningSession, token: str | None, now: datetime) -> bytes:
    """The PDF to sign, for the signing agent: the download token works once."""
    session = _lock(session)
    signing_session_check_token(session=session, token=token, purpose="download", now=now)
    session.download_token_used_at = now
    session.save(update_fields=["download_token_used_at"])
    return blob_read(sha256=session.source_sha256)


def _signed_by_server(session: SigningSession, now: datetime) -> bytes:
    certificate = session.certificate
    pdf = blob_read(sha256=session.source_sha256)
    appearance = appearance_from_data(session.appearance)
    chain = _chain_der(certificate)
    secret = key_secret(certificate.key_secret_name) if certificate.key_secret_name else None
    if certificate.key_storage == KeyStorage.SERVER_PKCS12:
        signer = signers.pkcs12_signer(
            pkcs12_data=bytes(certificate.pkcs12 or b""),
            password=secret,
            certificate_der=bytes(certificate.der),
            chain_der=chain,
        )
        return sign_pdf(
            pdf=pdf,
            signer=signer,
            appearance=appearance,
            now=now,
            field_name=session.field_name,
            timestamper=_timestamper(),
        )
    with signers.pkcs11_signer(
        module_path=getattr(settings, "VANTHU_SIGNING_PKCS11_MODULE", ""),
        token_label=certificate.pkcs11_token_label,
        key_label=certificate.pkcs11_key_label,
        pin=secret or "",
        certificate_der=bytes(certificate.der),
        chain_der=chain,
    ) as signer:
        return sign_pdf(
            pdf=pdf,
            signer=signer,
            appearance=appearance,
            now=now,
            field_name=session.field_name,
            timestamper=_timestamper(),
        )


def _signed_by_agent(session: SigningSession, uploaded_pdf: bytes, now: datetime) -> bytes:
    from vanthu.signing.pades.incremental import check_agent_upload

    check_agent_upload(
        sent=blob_read(sha256=session.source_sha256),
        uploaded=uploaded_pdf,
        expected_certificate_der=bytes(session.certificate.der),
        trust_roots=trust_roots_der(),
        other_certs=_chain_der(session.certificate),
        now=now,
    )
    return uploaded_pdf


def _check_inputs(
    session: SigningSession, *, uploaded_pdf: bytes | None, signature_value: bytes | None, upload_token: str | None
) -> None:
    if session.method == SigningMethod.AGENT:
        if not _token_matches(upload_token, session.upload_token_hash) or session.upload_token_used_at is not None:
            raise SigningTokenError()
        if uploaded_pdf is None:
            raise ValidationError(_("The signed file is missing."))
        if len(uploaded_pdf) > settings.VANTHU_MAX_UPLOAD_BYTES:
            raise PayloadTooLargeError(details={"max_bytes": settings.VANTHU_MAX_UPLOAD_BYTES})
    elif session.method == SigningMethod.REMOTE_HASH and not signature_value:
        raise ValidationError(_("The signature value is missing."))


def signature_apply(  # noqa: PLR0913
    *,
    session: SigningSession,
    actor: Person,
    now: datetime,
    uploaded_pdf: bytes | None = None,
    signature_value: bytes | None = None,
    upload_token: str | None = None,
) -> SigningSession:
    """Finish the signature of a PREPARED session and store the signed file (a new Blob).

    SERVER_KEY signs now; AGENT takes ``uploaded_pdf`` with the one-time ``upload_token`` (the
    agent's upload is made on behalf of the session's creator: pass them as ``actor``);
    REMOTE_HASH takes ``signature_value`` (DER or raw r‖s ECDSA, or RSA PKCS#1 v1.5, over
    ``digest_hex``). A refused upload or signature value ends the session as FAILED (recorded)
    and is raised; other refusals change nothing."""
    refusal: DomainError | None = None
    with transaction.atomic():
        session = _lock(session)
        _require_creator(session, actor)
        lifecycle.next_status(session.status, SessionAction.APPLY)
        _refuse_if_expired(session, now)
        _check_inputs(session, uploaded_pdf=uploaded_pdf, signature_value=signature_value, upload_token=upload_token)
        _check_certificate(session.certificate, now)
        try:
            if session.method == SigningMethod.SERVER_KEY:
                result = _signed_by_server(session, now)
            elif session.method == SigningMethod.AGENT:
                session.upload_token_used_at = now
                result = _signed_by_agent(session, uploaded_pdf or b"", now)
            else:
                result = signers.remote_finish(
                    state=bytes(session.prepared_state or b""),
                    signature_value=signature_value or b"",
                    timestamper=_timestamper(),
                )
        except (ValidationError, UnsupportedMediaTypeError) as error:
            if session.method == SigningMethod.SERVER_KEY or error.code == TIMESTAMP_FAILED:
                # Nothing was wrong with the input: the session stays open (try again later).
                raise
            _fail(session, actor=actor, now=now, reason=str(error.message), code=error.code)
            refusal = error
        else:
            _complete(session, actor=actor, now=now, result=result)
    if refusal is not None:
        raise refusal
    return session


def _complete(session: SigningSession, *, actor: Person, now: datetime, result: bytes) -> None:
    blob = blob_store_bytes(data=result, now=now, allowed_types=PDF_TYPES)
    _move(session, SessionAction.APPLY)
    session.result_sha256 = blob.sha256
    session.completed_at = now
    session.prepared_state = None
    session.save()
    audit.record(
        action=events.SIGNATURE_APPLIED,
        actor=actor,
        agency=_audit_agency(session, now),
        target=session,
        now=now,
        data={
            "session_id": str(session.pk),
            "method": session.method,
            "field_name": session.field_name,
            "signer_person_id": session.signer_person_id,
            "signer_agency_id": session.signer_agency_id,
            "sha256_before": session.source_sha256,
            "sha256_after": blob.sha256,
            **_certificate_data(session.certificate),
        },
    )


def _fail(session: SigningSession, *, actor: Person | None, now: datetime, reason: str, code: str) -> None:
    _move(session, SessionAction.FAIL)
    session.failure_reason = reason[:255]
    session.prepared_state = None
    session.save()
    audit.record(
        action=events.SIGNATURE_FAILED,
        actor=actor,
        agency=_audit_agency(session, now),
        target=session,
        now=now,
        data={
            "session_id": str(session.pk),
            "method": session.method,
            "code": code,
            "reason": session.failure_reason,
            "sha256_before": session.source_sha256,
            **_certificate_data(session.certificate),
        },
    )


@transaction.atomic
def signature_session_expire(*, session: SigningSession, now: datetime, actor: Person | None = None) -> SigningSession:
    """End a PREPARED session whose time is over (the periodic sweep or a late caller)."""
    session = _lock(session)
    lifecycle.next_status(session.status, SessionAction.EXPIRE)
    if now < session.expires_at:
        raise ConflictError(_("This signing session has not expired yet."))
    return _close_unsigned(
        session, action=SessionAction.EXPIRE, event=events.SIGNATURE_SESSION_EXPIRED, actor=actor, now=now
    )


def signature_sessions_expire_due(*, now: datetime) -> int:
    """Expire every PREPARED session past its time; returns how many."""
    due = SigningSession.objects.filter(status=SigningStatus.PREPARED, expires_at__lte=now).values_list("pk", flat=True)
    count = 0
    for pk in list(due[:1000]):
        try:
            signature_session_expire(session=SigningSession(pk=pk), now=now)
        except ConflictError:
            continue  # finished meanwhile
        count += 1
    return count


@transaction.atomic
def signature_session_cancel(*, session: SigningSession, actor: Person, now: datetime) -> SigningSession:
    """The creator gives up a PREPARED session; its tokens and digest stop working."""
    session = _lock(session)
    _require_creator(session, actor)
    return _close_unsigned(
        session, action=SessionAction.CANCEL, event=events.SIGNATURE_SESSION_CANCELLED, actor=actor, now=now
    )


def _close_unsigned(
    session: SigningSession, *, action: SessionAction, event: str, actor: Person | None, now: datetime
) -> SigningSession:
    """End a session that was never signed: its prepared state goes, the end is audited."""
    _move(session, action)
    session.prepared_state = None
    session.save()
    audit.record(
        action=event,
        actor=actor,
        agency=_audit_agency(session, now),
        target=session,
        now=now,
        data={"session_id": str(session.pk), "method": session.method, "sha256_before": session.source_sha256},
    )
    return session
