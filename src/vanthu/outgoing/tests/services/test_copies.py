# ruff: noqa: F401, F811 - the fixtures of issuance_support are imported, then requested by name
"""Electronic copies: numbered in the copies register (one stream for every form), the invisible
agency signature with the copy line, trích sao of the listed pages, refusals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from vanthu.audit.models import AuditEvent
from vanthu.core.blobs import blob_read
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import ValidationError
from vanthu.documents.models import FileRole
from vanthu.documents.models import RegisterScope
from vanthu.outgoing import events
from vanthu.outgoing.models import CopyKind
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.services import copies
from vanthu.outgoing.services import issuance
from vanthu.outgoing.tests.issuance_support import key_secrets
from vanthu.outgoing.tests.issuance_support import pki
from vanthu.outgoing.tests.issuance_support import seal_certificate
from vanthu.outgoing.tests.issuance_support import signed_outgoing
from vanthu.signing.pades import document as pdf_document
from vanthu.signing.pades import verify_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(clerk: Any, officer: Any, agency: Any, seal_certificate: Any, now: datetime) -> Outgoing:
    outgoing = signed_outgoing(agency=agency, drafter=officer, now=now)
    return issuance.outgoing_issue(outgoing=outgoing, certificate=seal_certificate, actor=clerk, now=now)


def _pdf(document: Any) -> bytes:
    return blob_read(sha256=str(document.current_version.files.get(role=FileRole.MAIN).pdf_id))


class TestCopyMake:
    def test_a_sao_y_is_numbered_and_signed_with_the_copy_line(  # noqa: PLR0913
        self,
        issued: Outgoing,
        clerk: Any,
        seal_certificate: Any,
        pki: Any,
        now: datetime,
    ) -> None:
        made = copies.copy_make(
            source=issued.document, kind=CopyKind.SAO_Y, certificate=seal_certificate, actor=clerk, now=now
        )

        assert made.copy.number_symbol == "01/SY-STC"
        assert made.register_entry.register.scope == RegisterScope.COPIES
        pdf = _pdf(made.copy)
        report = verify_pdf(pdf=pdf, trust_roots=[pki.root.der], other_certs=[pki.intermediate.der], now=now)
        assert len(report.signatures) == 3  # the person, the seal at issuance, the copy
        assert report.all_valid
        assert report.signatures[-1].signer.sha256 == pki.agency.fingerprint_sha256
        assert b"SAO Y" in pdf or "SAO Y".encode("utf-16-be") in pdf or len(pdf) > len(_pdf(issued.document))
        assert AuditEvent.objects.filter(action=events.COPY_MADE, actor_id=clerk.pk).count() == 1

    def test_copies_share_one_stream_and_trich_sao_keeps_the_listed_pages(  # noqa: PLR0913
        self,
        issued: Outgoing,
        clerk: Any,
        seal_certificate: Any,
        now: datetime,
    ) -> None:
        first = copies.copy_make(
            source=issued.document, kind=CopyKind.SAO_Y, certificate=seal_certificate, actor=clerk, now=now
        )
        partial = copies.copy_make(
            source=issued.document,
            kind=CopyKind.TRICH_SAO,
            certificate=seal_certificate,
            actor=clerk,
            now=now,
            pages="2",
        )
        of_copy = copies.copy_make(
            source=first.copy, kind=CopyKind.SAO_LUC, certificate=seal_certificate, actor=clerk, now=now
        )

        assert [first.copy.number, partial.copy.number, of_copy.copy.number] == [1, 2, 3]
        assert partial.copy.number_symbol == "02/TrS-STC"
        assert partial.pages == "2"
        assert pdf_document.page_count(pdf_document.open_pdf(_pdf(partial.copy))) == 1

    def test_a_sao_luc_is_made_from_a_sao_y_only(
        self, issued: Outgoing, clerk: Any, seal_certificate: Any, now: datetime
    ) -> None:
        with pytest.raises(ValidationError):
            copies.copy_make(
                source=issued.document, kind=CopyKind.SAO_LUC, certificate=seal_certificate, actor=clerk, now=now
            )

    def test_refuses_pages_that_do_not_exist(
        self, issued: Outgoing, clerk: Any, seal_certificate: Any, now: datetime
    ) -> None:
        with pytest.raises(ValidationError):
            copies.copy_make(
                source=issued.document,
                kind=CopyKind.TRICH_SAO,
                certificate=seal_certificate,
                actor=clerk,
                now=now,
                pages="2-5",
            )

    def test_refuses_a_person_who_is_not_a_clerk(  # noqa: PLR0913
        self,
        issued: Outgoing,
        agency_leader: Any,
        seal_certificate: Any,
        now: datetime,
    ) -> None:
        with pytest.raises((PermissionDeniedError, NotFoundError)):
            copies.copy_make(
                source=issued.document, kind=CopyKind.SAO_Y, certificate=seal_certificate, actor=agency_leader, now=now
            )


class TestParsePages:
    def test_reads_ranges_and_single_pages(self) -> None:
        assert copies.parse_pages("1-2, 4", page_count=5) == [0, 1, 3]

    @pytest.mark.parametrize("text", ["", "a", "3-1", "0", "6"])
    def test_refuses_what_is_not_a_page_list(self, text: str) -> None:
        with pytest.raises(ValidationError):
            copies.parse_pages(text, page_count=5)


class TestCopyVisibility:
    def test_the_copying_agency_sees_its_copy_and_nobody_else(  # noqa: PLR0913
        self,
        issued: Outgoing,
        clerk: Any,
        officer: Any,
        admin: Any,
        other_officer: Any,
        seal_certificate: Any,
        now: datetime,
    ) -> None:
        from vanthu.documents.policies import can_view_document

        made = copies.copy_make(
            source=issued.document, kind=CopyKind.SAO_Y, certificate=seal_certificate, actor=clerk, now=now
        )

        assert can_view_document(clerk, made.copy, now)
        assert can_view_document(officer, made.copy, now)
        assert not can_view_document(admin, made.copy, now)  # separation of duties
        assert not can_view_document(other_officer, made.copy, now)
