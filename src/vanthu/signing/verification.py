"""Verifying the digital signatures of a PDF and keeping the report with the file.

``signature_verify`` stores the PDF in the blob store (by its SHA-256), validates every signature
against the trust store at ``now`` (the PAdES engine, :func:`pades.verify_pdf`), stores the report
as a JSON blob and records an audit event that ties the two hashes together: the report of a
file can always be found again from the file's SHA-256 (``verification_latest_for``), and the
report's own SHA-256 proves it was not changed since.

Until a dedicated model exists (requested in the signing model requests), the audit event is the
index: action ``signing.signature.verified`` with ``data.pdf_sha256`` and ``data.report_sha256``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.audit.models import AuditEvent
from vanthu.core.blobs import blob_read
from vanthu.core.blobs import blob_store_bytes
from vanthu.core.errors import IntegrityCheckError
from vanthu.core.errors import NotAuthenticatedError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PayloadTooLargeError
from vanthu.core.errors import ValidationError
from vanthu.org.models import Person
from vanthu.org.models import RoleAssignment
from vanthu.signing import selectors
from vanthu.signing.events import SIGNATURE_VERIFIED
from vanthu.signing.pades import verify_pdf
from vanthu.signing.pades.errors import NotAPdfError

REPORT_FORMAT = 1
PDF_TYPES = {"application/pdf"}
SHA256_LENGTH = 64


@dataclass(frozen=True)
class StoredVerification:
    """A verification as stored: the file's and the report's SHA-256 and the report itself
    (the JSON document kept in the blob store)."""

    pdf_sha256: str
    report_sha256: str
    report: dict[str, Any]

    @property
    def summary(self) -> str:
        return str(self.report["report"]["summary"])

    @property
    def all_valid(self) -> bool:
        return bool(self.report["report"]["all_valid"])


def can_verify(person: Person) -> bool:
    """Anyone signed in may check the signatures of a file they hold: it reveals nothing stored."""
    return bool(person.is_authenticated and person.is_active)


def _home_agency_id(person: Person, now: datetime) -> int | None:
    assignment = (
        RoleAssignment.objects.filter(person=person, valid_from__lte=now)
        .exclude(valid_to__lte=now)
        .order_by("valid_from", "pk")
        .first()
    )
    return assignment.agency_id if assignment is not None else None


def _max_bytes() -> int:
    limit: int = settings.VANTHU_MAX_UPLOAD_BYTES
    return limit


def _pdf_bytes(*, pdf: bytes | None, pdf_sha256: str | None) -> bytes:
    if (pdf is None) == (pdf_sha256 is None):
        raise ValueError("give either the PDF's bytes or its sha256")
    if pdf is not None:
        if len(pdf) > _max_bytes():
            raise PayloadTooLargeError(
                _("The file is larger than the limit of %(limit)s MB.") % {"limit": _max_bytes() // (1024 * 1024)},
                details={"max_bytes": _max_bytes()},
            )
        if not pdf.startswith(b"%PDF-"):
            raise NotAPdfError(details={"expected": "application/pdf"})
        return pdf
    assert pdf_sha256 is not None  # noqa: S101 - narrowed above
    return blob_read(sha256=pdf_sha256.lower())


@transaction.atomic
def signature_verify(
    *, actor: Person, now: datetime, pdf: bytes | None = None, pdf_sha256: str | None = None
) -> StoredVerification:
    """Verify every signature of a PDF (given as bytes, or as the SHA-256 of a stored blob) at
    ``now`` against the active trust store, store the PDF and the report, and audit it.

    ``pdf_sha256`` is for callers that have already checked the actor may see that file (the
    documents app); the API and the pages only pass uploaded bytes. The report is written in the
    site's language (Vietnamese), since it is the record kept with the file.

    Refusals: not signed in (401), too large (413), not a PDF (415), encrypted or damaged (422)."""
    if not can_verify(actor):
        raise NotAuthenticatedError()
    data = _pdf_bytes(pdf=pdf, pdf_sha256=pdf_sha256)
    revocation = selectors.revocation_settings_get()
    report = verify_pdf(
        pdf=data,
        trust_roots=selectors.trust_roots(),
        other_certs=selectors.trust_intermediates(),
        now=now,
        allow_fetching=revocation.is_online_check_enabled,
        revocation_mode="hard-fail" if revocation.is_revocation_check_required else "soft-fail",
        language=settings.LANGUAGE_CODE,
    )
    pdf_blob = blob_store_bytes(data=data, now=now, allowed_types=PDF_TYPES)
    document: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "pdf_sha256": pdf_blob.sha256,
        "pdf_size": pdf_blob.size,
        "verified_at": now.isoformat(),
        "verified_by": {"id": actor.pk, "name": actor.full_name or actor.username},
        "language": settings.LANGUAGE_CODE,
        "online_revocation_check": revocation.is_online_check_enabled,
        "revocation_check_required": revocation.is_revocation_check_required,
        "report": report.as_dict(),
    }
    encoded = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1).encode()
    report_blob = blob_store_bytes(data=encoded, now=now)
    audit.record(
        action=SIGNATURE_VERIFIED,
        actor=actor,
        agency=_home_agency_id(actor, now),
        target=pdf_blob,
        now=now,
        data={
            "pdf_sha256": pdf_blob.sha256,
            "report_sha256": report_blob.sha256,
            "signature_count": report.signature_count,
            "all_valid": report.all_valid,
            "signers": [
                signature.signer.sha256 if signature.signer is not None else None for signature in report.signatures
            ],
        },
    )
    return StoredVerification(pdf_sha256=pdf_blob.sha256, report_sha256=report_blob.sha256, report=document)


def verification_report_read(*, report_sha256: str) -> StoredVerification:
    """A stored report, checked against its SHA-256 (the blob store refuses a changed file)."""
    if len(report_sha256) != SHA256_LENGTH or any(c not in "0123456789abcdef" for c in report_sha256.lower()):
        raise NotFoundError()
    raw = blob_read(sha256=report_sha256.lower())
    try:
        document = json.loads(raw)
    except ValueError as error:
        raise IntegrityCheckError(details={"sha256": report_sha256}) from error
    if not isinstance(document, dict) or document.get("format") != REPORT_FORMAT:
        raise ValidationError(_("This stored file is not a signature verification report."))
    return StoredVerification(
        pdf_sha256=str(document["pdf_sha256"]), report_sha256=report_sha256.lower(), report=document
    )


def verification_latest_for(*, pdf_sha256: str) -> StoredVerification | None:
    """The most recent stored report of a file, found by the file's SHA-256 (None if never
    verified). Callers check that the viewer may see the file."""
    event = (
        AuditEvent.objects.filter(action=SIGNATURE_VERIFIED, data__pdf_sha256=pdf_sha256.lower())
        .order_by("-occurred_at", "-pk")
        .first()
    )
    if event is None:
        return None
    return verification_report_read(report_sha256=str(event.data["report_sha256"]))


def report_digest(document: dict[str, Any]) -> str:
    """The SHA-256 the stored JSON of ``document`` has (for tests and checks)."""
    return hashlib.sha256(json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1).encode()).hexdigest()
