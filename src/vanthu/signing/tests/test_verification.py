"""signature_verify: the report against the trust store, stored with the file under its SHA-256,
audited; bad input refused with nothing stored."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import pytest

from vanthu.audit.models import AuditEvent
from vanthu.core.blobs import blob_read
from vanthu.core.errors import NotAuthenticatedError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PayloadTooLargeError
from vanthu.core.models import Blob
from vanthu.signing import verification
from vanthu.signing.pades.errors import BrokenPdfError
from vanthu.signing.pades.errors import EncryptedPdfError
from vanthu.signing.pades.errors import NotAPdfError
from vanthu.signing.testing import pdfs
from vanthu.signing.tests.verify_helpers import revocation_offline
from vanthu.signing.tests.verify_helpers import signed_pdf
from vanthu.signing.tests.verify_helpers import tampered_pdf
from vanthu.signing.tests.verify_helpers import trust_the_test_root

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _offline(db: None) -> None:
    revocation_offline()


@pytest.fixture
def trusted(superuser: Any) -> None:
    trust_the_test_root(superuser)


class TestSignatureVerify:
    def test_reports_two_valid_signatures_and_stores_file_and_report(
        self, trusted: None, officer: Any, now: datetime
    ) -> None:
        pdf = signed_pdf()
        stored = verification.signature_verify(pdf=pdf, actor=officer, now=now)
        assert stored.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
        assert stored.all_valid
        body = stored.report["report"]
        assert body["signature_count"] == 2  # noqa: PLR2004
        assert all(signature["valid"] and signature["trusted"] for signature in body["signatures"])
        assert blob_read(sha256=stored.pdf_sha256) == pdf
        raw = blob_read(sha256=stored.report_sha256)
        assert json.loads(raw) == stored.report
        assert stored.report["verified_by"] == {"id": officer.pk, "name": officer.full_name}
        assert stored.report["pdf_size"] == len(pdf)

    def test_is_audited_in_the_actors_agency_and_found_again_by_the_files_hash(
        self, trusted: None, officer: Any, agency: Any, now: datetime
    ) -> None:
        stored = verification.signature_verify(pdf=signed_pdf(), actor=officer, now=now)
        event = AuditEvent.objects.get(action=verification.SIGNATURE_VERIFIED)
        assert event.actor_id == officer.pk
        assert event.agency_id == agency.pk
        assert event.data["pdf_sha256"] == stored.pdf_sha256
        assert event.data["report_sha256"] == stored.report_sha256
        assert event.data["signature_count"] == 2  # noqa: PLR2004
        assert event.data["all_valid"] is True
        again = verification.verification_latest_for(pdf_sha256=stored.pdf_sha256.upper())
        assert again == stored

    def test_verifies_a_stored_file_by_its_hash(self, trusted: None, officer: Any, now: datetime) -> None:
        first = verification.signature_verify(pdf=signed_pdf(), actor=officer, now=now)
        second = verification.signature_verify(pdf_sha256=first.pdf_sha256, actor=officer, now=now)
        assert second.pdf_sha256 == first.pdf_sha256
        assert second.all_valid

    def test_without_the_root_in_the_trust_store_signatures_are_untrusted(self, officer: Any, now: datetime) -> None:
        stored = verification.signature_verify(pdf=signed_pdf(), actor=officer, now=now)
        assert not stored.all_valid
        assert all("untrusted" in signature["problems"] for signature in stored.report["report"]["signatures"])

    def test_a_flipped_byte_is_reported_as_altered(self, trusted: None, officer: Any, now: datetime) -> None:
        stored = verification.signature_verify(pdf=tampered_pdf(), actor=officer, now=now)
        assert not stored.all_valid
        assert all(not signature["intact"] for signature in stored.report["report"]["signatures"])

    def test_a_pdf_without_signatures_gives_a_report_saying_so(self, officer: Any, now: datetime) -> None:
        stored = verification.signature_verify(pdf=pdfs.decision_pdf(), actor=officer, now=now)
        assert stored.report["report"]["signature_count"] == 0
        assert not stored.all_valid

    def test_never_verified_file_has_no_report(self, db: None) -> None:
        assert verification.verification_latest_for(pdf_sha256="0" * 64) is None

    @pytest.mark.parametrize(
        ("make", "error"),
        [
            (lambda: b"GIF89a not a pdf", NotAPdfError),
            (pdfs.encrypted_pdf, EncryptedPdfError),
            (lambda: pdfs.truncated(pdfs.decision_pdf(), fraction=0.3), BrokenPdfError),
        ],
        ids=["not-a-pdf", "encrypted", "broken"],
    )
    def test_refuses_bad_files_and_stores_nothing(self, make: Any, error: type, officer: Any, now: datetime) -> None:
        with pytest.raises(error):
            verification.signature_verify(pdf=make(), actor=officer, now=now)
        assert not Blob.objects.exists()
        assert not AuditEvent.objects.filter(action=verification.SIGNATURE_VERIFIED).exists()

    def test_refuses_a_file_above_the_limit(self, officer: Any, now: datetime, settings: pytest.FixtureRequest) -> None:
        settings.VANTHU_MAX_UPLOAD_BYTES = 1000  # type: ignore[attr-defined]
        with pytest.raises(PayloadTooLargeError):
            verification.signature_verify(pdf=signed_pdf(), actor=officer, now=now)
        assert not Blob.objects.exists()

    def test_refuses_someone_not_signed_in(self, now: datetime, db: None) -> None:
        from django.contrib.auth.models import AnonymousUser

        with pytest.raises(NotAuthenticatedError):
            verification.signature_verify(pdf=signed_pdf(), actor=AnonymousUser(), now=now)  # type: ignore[arg-type]

    def test_a_missing_stored_file_is_not_found(self, officer: Any, now: datetime) -> None:
        with pytest.raises(NotFoundError):
            verification.signature_verify(pdf_sha256="ab" * 32, actor=officer, now=now)

    def test_a_report_hash_that_is_not_a_hash_is_not_found(self, db: None) -> None:
        with pytest.raises(NotFoundError):
            verification.verification_report_read(report_sha256="../../etc/passwd")
