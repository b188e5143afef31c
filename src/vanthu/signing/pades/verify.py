"""Verify every signature of a PDF: signer, issuer chain, claimed signing time and timestamp (in
Vietnam time), integrity, trust, coverage and whether later changes are allowed ones. The report
is made of dataclasses of plain values (``as_dict()`` is JSON-serialisable) with a summary in the
site language (Vietnamese), built from translatable English strings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from typing import Literal

from asn1crypto import pem  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509 as crypto_x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import ngettext
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import CertificateValidator
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import InsufficientRevinfoError
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

from vanthu.core.clock import vietnam_time
from vanthu.signing.pades import document
from vanthu.signing.pades.runner import run_coroutine

# A certificate as cryptography or asn1crypto object, or DER/PEM bytes.
CertificateInput = object
# "soft-fail": a certificate whose revocation status cannot be found is accepted;
# "hard-fail": such a signature is not valid (problem ``revocation_unknown``).
RevocationMode = Literal["soft-fail", "hard-fail"]
REVOCATION_MODES: tuple[RevocationMode, ...] = ("soft-fail", "hard-fail")

# A signing certificate must allow digital signatures or non-repudiation (either suffices).
SIGNING_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
# Later changes an approval signature tolerates: new signatures, form filling, annotations.
ALLOWED_LATER_CHANGES = ModificationLevel.ANNOTATIONS

# Problem codes (stable, for the API) and their messages.
PROBLEM_NOT_INTACT = "not_intact"
PROBLEM_INVALID = "invalid_signature"
PROBLEM_UNTRUSTED = "untrusted"
PROBLEM_REVOKED = "revoked"
PROBLEM_REVOCATION_UNKNOWN = "revocation_unknown"
PROBLEM_MODIFIED = "disallowed_changes"
PROBLEM_COVERAGE = "partial_coverage"
PROBLEM_TIMESTAMP = "invalid_timestamp"
PROBLEM_UNREADABLE = "unreadable"


def _problem_message(code: str) -> str:
    messages = {
        PROBLEM_NOT_INTACT: gettext("the document was altered after it was signed"),
        PROBLEM_INVALID: gettext("the signature value or its certificate is not valid"),
        PROBLEM_UNTRUSTED: gettext("the certificate does not lead to a trusted certification authority"),
        PROBLEM_REVOKED: gettext("the certificate has been revoked"),
        PROBLEM_REVOCATION_UNKNOWN: gettext("the revocation status of the certificate is unknown"),
        PROBLEM_MODIFIED: gettext("later changes to the document are not allowed ones"),
        PROBLEM_COVERAGE: gettext("the signature does not cover the whole document"),
        PROBLEM_TIMESTAMP: gettext("the timestamp is not valid"),
        PROBLEM_UNREADABLE: gettext("the signature cannot be read"),
    }
    return messages[code]


@dataclasses.dataclass(frozen=True)
class CertificateInfo:
    subject: str
    common_name: str
    issuer: str
    serial_hex: str
    not_before: str
    not_after: str
    sha256: str


@dataclasses.dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer: CertificateInfo | None
    issuer_chain: list[CertificateInfo]
    signing_time: str | None
    timestamp: str | None
    timestamp_valid: bool | None
    intact: bool
    cryptographically_valid: bool
    trusted: bool
    revoked: bool
    coverage: str
    modification_level: str | None
    modifications_allowed: bool
    valid: bool
    problems: list[str]
    summary: str


@dataclasses.dataclass(frozen=True)
class VerificationReport:
    verified_at: str
    signature_count: int
    all_valid: bool
    signatures: list[SignatureReport]
    summary: str

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def verify_pdf(
    *,
    pdf: bytes,
    trust_roots: Sequence[CertificateInput],
    other_certs: Iterable[CertificateInput] = (),
    now: datetime,
    allow_fetching: bool = False,
    crls: Iterable[bytes] = (),
    language: str | None = None,
    revocation_mode: RevocationMode = "soft-fail",
) -> VerificationReport:
    """Validate each signature of ``pdf`` at ``now`` against ``trust_roots``.

    Revocation: with ``allow_fetching`` the OCSP/CRL addresses in the certificates are used;
    ``crls`` (DER) are used in any case. A revoked certificate is always reported revoked. When
    the status cannot be found, ``revocation_mode="soft-fail"`` accepts the signature and
    ``"hard-fail"`` reports it not valid (``revocation_unknown``); timestamps are always checked
    soft-fail. Refuses a file that is not a PDF, encrypted or broken (see :mod:`.errors`).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if revocation_mode not in REVOCATION_MODES:
        raise ValueError(f"revocation_mode must be one of {REVOCATION_MODES}")
    reader = document.open_pdf(pdf)
    # Requests-based fetchers: not bound to an event loop, nothing left open after the check.
    backend = RequestsFetcherBackend() if allow_fetching else None
    roots = [_asn1(cert) for cert in trust_roots]
    others = [_asn1(cert) for cert in other_certs]
    crl_list = list(crls)

    def context_for(mode: RevocationMode) -> ValidationContext:
        return ValidationContext(
            trust_roots=roots,
            other_certs=others,
            allow_fetching=allow_fetching,
            fetcher_backend=backend,
            moment=now,
            crls=crl_list,
            revocation_mode=mode,
        )

    contexts = _Contexts(
        signer=context_for(revocation_mode),
        timestamp=context_for("soft-fail"),
        hard_fail=revocation_mode == "hard-fail",
    )
    signatures = reader.embedded_regular_signatures
    with translation.override(language or settings.LANGUAGE_CODE):
        reports = run_coroutine(_reports(signatures, contexts, backend))
        all_valid = bool(reports) and all(report.valid for report in reports)
        return VerificationReport(
            verified_at=_vn(now) or "",
            signature_count=len(reports),
            all_valid=all_valid,
            signatures=reports,
            summary=_document_summary(reports),
        )


@dataclasses.dataclass(frozen=True)
class _Contexts:
    signer: ValidationContext
    timestamp: ValidationContext
    hard_fail: bool


async def _reports(
    signatures: list[EmbeddedPdfSignature], contexts: _Contexts, backend: RequestsFetcherBackend | None
) -> list[SignatureReport]:
    try:
        return [await _report(embedded, contexts) for embedded in signatures]
    finally:
        if backend is not None:
            await backend.close()  # type: ignore[no-untyped-call]


async def _report(embedded: EmbeddedPdfSignature, contexts: _Contexts) -> SignatureReport:
    field_name = str(embedded.field_name)
    try:
        status = await async_validate_pdf_signature(
            embedded,
            signer_validation_context=contexts.signer,
            ts_validation_context=contexts.timestamp,
            key_usage_settings=SIGNING_KEY_USAGE,
        )
        revocation_unknown = contexts.hard_fail and await _revocation_unknown(embedded, status, contexts.signer)
    except Exception:  # noqa: BLE001 - any failure to parse/validate one signature makes it invalid, not the report
        return _unreadable(embedded, field_name)
    return _from_status(embedded, status, field_name, revocation_unknown=revocation_unknown)


async def _revocation_unknown(
    embedded: EmbeddedPdfSignature, status: PdfSignatureStatus, context: ValidationContext
) -> bool:
    """Whether an intact, valid, not revoked but untrusted signature (hard-fail) failed only for
    want of revocation information. pyHanko's status does not tell this failure from others, so
    the signer's path is validated again to see the error itself."""
    if not (status.intact and status.valid) or status.trusted or status.revoked:
        return False
    validator = CertificateValidator(
        status.signing_cert,
        intermediate_certs=list(embedded.other_embedded_certs),
        validation_context=context,
    )
    try:
        await validator.async_validate_path()
    except InsufficientRevinfoError:
        return True
    except Exception:  # noqa: BLE001 - any other failure is reported as untrusted
        return False
    return False


def _from_status(
    embedded: EmbeddedPdfSignature, status: PdfSignatureStatus, field_name: str, *, revocation_unknown: bool = False
) -> SignatureReport:
    level = status.modification_level
    coverage = status.coverage or SignatureCoverageLevel.UNCLEAR
    modifications_allowed = coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        level is not None and level <= ALLOWED_LATER_CHANGES and status.docmdp_ok is not False
    )
    timestamp = status.timestamp_validity
    timestamp_valid = None if timestamp is None else bool(timestamp.intact and timestamp.valid and timestamp.trusted)
    problems = []
    if not status.intact:
        problems.append(PROBLEM_NOT_INTACT)
    elif not status.valid:
        problems.append(PROBLEM_INVALID)
    if status.revoked:
        problems.append(PROBLEM_REVOKED)
    elif revocation_unknown:
        problems.append(PROBLEM_REVOCATION_UNKNOWN)
    elif status.intact and status.valid and not status.trusted:
        problems.append(PROBLEM_UNTRUSTED)
    if coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        problems.append(PROBLEM_COVERAGE)
    elif not modifications_allowed:
        problems.append(PROBLEM_MODIFIED)
    if timestamp_valid is False:
        problems.append(PROBLEM_TIMESTAMP)
    valid = not problems and bool(status.bottom_line)
    signer = _certificate_info(status.signing_cert)
    signing_time = _vn(status.signer_reported_dt or embedded.self_reported_timestamp)
    report = SignatureReport(
        field_name=field_name,
        signer=signer,
        issuer_chain=_issuer_chain(status, embedded),
        signing_time=signing_time,
        timestamp=_vn(timestamp.timestamp) if timestamp is not None else None,
        timestamp_valid=timestamp_valid,
        intact=bool(status.intact),
        cryptographically_valid=bool(status.valid),
        trusted=bool(status.trusted),
        revoked=bool(status.revoked),
        coverage=coverage.name,
        modification_level=level.name if level is not None else None,
        modifications_allowed=modifications_allowed,
        valid=valid,
        problems=problems,
        summary="",
    )
    return dataclasses.replace(report, summary=_signature_summary(report))


def _unreadable(embedded: EmbeddedPdfSignature, field_name: str) -> SignatureReport:
    try:
        signer = _certificate_info(embedded.signer_cert)
    except Exception:  # noqa: BLE001 - the CMS itself may be garbage
        signer = None
    report = SignatureReport(
        field_name=field_name,
        signer=signer,
        issuer_chain=[],
        signing_time=None,
        timestamp=None,
        timestamp_valid=None,
        intact=False,
        cryptographically_valid=False,
        trusted=False,
        revoked=False,
        coverage=SignatureCoverageLevel.UNCLEAR.name,
        modification_level=None,
        modifications_allowed=False,
        valid=False,
        problems=[PROBLEM_UNREADABLE],
        summary="",
    )
    return dataclasses.replace(report, summary=_signature_summary(report))


def _issuer_chain(status: PdfSignatureStatus, embedded: EmbeddedPdfSignature) -> list[CertificateInfo]:
    """Issuer first, up to the root: from the validation path, else from the embedded certificates."""
    path = status.validation_path
    if path is not None:
        certificates = [cert for cert in path if isinstance(cert, asn1_x509.Certificate)]
        return [_certificate_info(cert) for cert in reversed(certificates[:-1])]
    chain: list[CertificateInfo] = []
    current = status.signing_cert
    others = list(embedded.other_embedded_certs)
    while len(chain) < len(others):
        issuer = next((cert for cert in others if cert.subject == current.issuer and cert != current), None)
        if issuer is None:
            break
        chain.append(_certificate_info(issuer))
        if issuer.subject == issuer.issuer:
            break
        current = issuer
    return chain


def _certificate_info(cert: asn1_x509.Certificate) -> CertificateInfo:
    validity = cert["tbs_certificate"]["validity"]
    common_name = cert.subject.native.get("common_name", "")
    return CertificateInfo(
        subject=cert.subject.human_friendly,
        common_name=common_name if isinstance(common_name, str) else ", ".join(common_name),
        issuer=cert.issuer.human_friendly,
        serial_hex=format(cert.serial_number, "x"),
        not_before=_vn(validity["not_before"].native) or "",
        not_after=_vn(validity["not_after"].native) or "",
        sha256=cert.sha256.hex(),
    )


def _vn(moment: datetime | None) -> str | None:
    return vietnam_time(moment).isoformat(timespec="seconds") if moment is not None else None


def _asn1(cert: CertificateInput) -> Any:
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    if isinstance(cert, crypto_x509.Certificate):
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    if not isinstance(cert, bytes | bytearray):
        raise TypeError("a certificate must be a cryptography or asn1crypto certificate, or DER/PEM bytes")
    data = bytes(cert)
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return asn1_x509.Certificate.load(data)


def _signer_label(report: SignatureReport) -> str:
    if report.signer is None:
        return gettext("an unknown signer")
    return report.signer.common_name or report.signer.subject


def _human_time(iso: str | None) -> str | None:
    """An ISO 8601 time of the report (already in Vietnam time) as "09:00 on 10/03/2026"."""
    if iso is None:
        return None
    moment = vietnam_time(datetime.fromisoformat(iso))
    return gettext("%(time)s on %(date)s") % {"time": moment.strftime("%H:%M"), "date": moment.strftime("%d/%m/%Y")}


def _signature_summary(report: SignatureReport) -> str:
    params = {
        "signer": _signer_label(report),
        "time": _human_time(report.timestamp or report.signing_time) or gettext("an unknown time"),
    }
    if report.valid:
        return gettext("Signed by %(signer)s at %(time)s: valid.") % params
    problems = "; ".join(_problem_message(code) for code in report.problems) or gettext("not valid")
    return gettext("Signed by %(signer)s at %(time)s: NOT valid (%(problems)s).") % {**params, "problems": problems}


def _document_summary(reports: list[SignatureReport]) -> str:
    if not reports:
        return gettext("The document carries no digital signature.")
    count = len(reports)
    invalid = sum(1 for report in reports if not report.valid)
    if invalid == 0:
        head = ngettext(
            "The document carries %(count)d digital signature; it is valid.",
            "The document carries %(count)d digital signatures; all are valid.",
            count,
        ) % {"count": count}
    else:
        head = ngettext(
            "%(invalid)d of %(count)d digital signatures is not valid.",
            "%(invalid)d of %(count)d digital signatures are not valid.",
            invalid,
        ) % {"invalid": invalid, "count": count}
    lines = [head] + [f"{number}. {report.summary}" for number, report in enumerate(reports, start=1)]
    return "\n".join(lines)


__all__ = [
    "PROBLEM_REVOCATION_UNKNOWN",
    "REVOCATION_MODES",
    "CertificateInfo",
    "RevocationMode",
    "SignatureReport",
    "VerificationReport",
    "verify_pdf",
]
