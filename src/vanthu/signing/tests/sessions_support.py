"""Shared helpers of the signing-session tests (not fixtures: each test module declares its own)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from vanthu.core.blobs import blob_store_bytes
from vanthu.signing.models import TrustAnchor
from vanthu.signing.models import TrustAnchorKind
from vanthu.signing.testing import pdfs
from vanthu.signing.testing.pki import TestPki


@lru_cache(maxsize=1)
def decision_pdf() -> bytes:
    return pdfs.decision_pdf()


@lru_cache(maxsize=1)
def signature_png() -> bytes:
    return pdfs.signature_png()


@lru_cache(maxsize=1)
def seal_png() -> bytes:
    return pdfs.seal_png()


def store_pdf(now: datetime, data: bytes | None = None) -> str:
    return blob_store_bytes(data=data or decision_pdf(), now=now).sha256


def add_trust_store(pki: TestPki, now: datetime) -> None:
    for issued, kind in ((pki.root, TrustAnchorKind.ROOT), (pki.intermediate, TrustAnchorKind.INTERMEDIATE)):
        TrustAnchor.objects.create(
            name=issued.cert.subject.rfc4514_string()[:255],
            kind=kind,
            subject=issued.cert.subject.rfc4514_string(),
            not_before=issued.cert.not_valid_before_utc,
            not_after=issued.cert.not_valid_after_utc,
            fingerprint_sha256=issued.fingerprint_sha256,
            der=issued.der,
            added_at=now,
        )


def verify(pki: TestPki, pdf: bytes, now: datetime) -> Any:
    from vanthu.signing.pades import verify_pdf

    return verify_pdf(pdf=pdf, trust_roots=[pki.root.der], other_certs=[pki.intermediate.der], now=now)
