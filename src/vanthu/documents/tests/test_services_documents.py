from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from vanthu.audit.models import AuditEvent
from vanthu.core.errors import ValidationError
from vanthu.documents.errors import SecretDocumentError
from vanthu.documents.models import Direction
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentType
from vanthu.documents.models import Secrecy
from vanthu.documents.models import TypeKind
from vanthu.documents.services.documents import document_update
from vanthu.documents.tests.factories import make_document

pytestmark = pytest.mark.django_db


class TestDocumentCreate:
    def test_an_outgoing_document_gets_its_issuer_place_and_identifier(
        self, agency: Any, officer: Any, now: datetime
    ) -> None:
        document = make_document(agency=agency, actor=officer, now=now, symbol="QĐ-STC")
        document.refresh_from_db()
        assert document.issuer_name == agency.name
        assert document.issuer_code == agency.code_qcvn102
        assert document.place_name == agency.place_name
        assert document.identifier.startswith(f"{agency.code_qcvn102}.{now.year}.")
        assert len(document.identifier) <= 25
        assert AuditEvent.objects.filter(action="documents.document.created", target_id=str(document.pk)).exists()

    def test_identifiers_are_unique(self, agency: Any, officer: Any, now: datetime) -> None:
        first = make_document(agency=agency, actor=officer, now=now)
        second = make_document(agency=agency, actor=officer, now=now)
        assert first.identifier != second.identifier

    def test_an_incoming_document_keeps_the_issuer_it_was_given(self, agency: Any, clerk: Any, now: datetime) -> None:
        document = make_document(
            agency=agency, actor=clerk, now=now, direction=Direction.INCOMING, issuer_name="Bộ Tài chính"
        )
        assert document.issuer_name == "Bộ Tài chính"
        assert document.identifier == ""

    @pytest.mark.parametrize("secrecy", [Secrecy.SECRET, Secrecy.TOP_SECRET, Secrecy.ABSOLUTE_SECRET])
    def test_a_secret_document_is_refused_and_nothing_is_stored(
        self, agency: Any, officer: Any, now: datetime, secrecy: str
    ) -> None:
        with pytest.raises(SecretDocumentError) as caught:
            make_document(agency=agency, actor=officer, now=now, secrecy=secrecy)
        assert caught.value.code == "secret_document_refused"
        assert "Nghị định 30" in str(caught.value.message)  # in Vietnamese, naming the rule
        assert not Document.objects.exists()

    @pytest.mark.parametrize("subject", ["", "   \n "])
    def test_an_empty_summary_is_refused(self, agency: Any, officer: Any, now: datetime, subject: str) -> None:
        with pytest.raises(ValidationError):
            make_document(agency=agency, actor=officer, now=now, subject=subject)
        assert not Document.objects.exists()

    def test_a_summary_longer_than_appendix_vi_allows_is_refused(
        self, agency: Any, officer: Any, now: datetime
    ) -> None:
        with pytest.raises(ValidationError) as caught:
            make_document(agency=agency, actor=officer, now=now, subject="x" * 501)
        assert caught.value.details["field"] == "Subject"

    def test_a_type_of_another_agency_is_refused(
        self, agency: Any, other_agency: Any, officer: Any, now: datetime
    ) -> None:
        foreign = DocumentType.objects.create(
            code="GCN", name="Giấy chứng nhận", kind=TypeKind.CUSTOM, agency=other_agency
        )
        with pytest.raises(ValidationError):
            make_document(agency=agency, actor=officer, now=now, document_type=foreign)
        make_document(agency=other_agency, actor=officer, now=now, document_type=foreign)  # its own agency may

    def test_an_inactive_type_is_refused(self, agency: Any, officer: Any, now: datetime) -> None:
        DocumentType.objects.filter(code="QĐ").update(is_active=False)
        with pytest.raises(ValidationError):
            make_document(agency=agency, actor=officer, now=now)

    def test_a_drafting_unit_of_another_agency_is_refused(
        self, agency: Any, other_agency: Any, officer: Any, now: datetime
    ) -> None:
        from vanthu.org.tests.factories import UnitFactory

        with pytest.raises(ValidationError):
            make_document(agency=agency, actor=officer, now=now, drafting_unit=UnitFactory(agency=other_agency))


class TestDocumentUpdate:
    def test_changes_the_metadata_and_audits_it(self, agency: Any, officer: Any, now: datetime) -> None:
        document = make_document(agency=agency, actor=officer, now=now)
        document_update(document=document, actor=officer, now=now, subject=" Kế hoạch mới ", urgency="URGENT")
        document.refresh_from_db()
        assert (document.subject, document.urgency) == ("Kế hoạch mới", "URGENT")
        event = AuditEvent.objects.get(action="documents.document.updated")
        assert event.data["urgency"] == "URGENT"

    def test_refuses_to_make_a_document_secret(self, agency: Any, officer: Any, now: datetime) -> None:
        document = make_document(agency=agency, actor=officer, now=now)
        with pytest.raises(SecretDocumentError):
            document_update(document=document, actor=officer, now=now, secrecy=Secrecy.SECRET)
        document.refresh_from_db()
        assert document.secrecy == Secrecy.NORMAL

    def test_refuses_an_empty_summary(self, agency: Any, officer: Any, now: datetime) -> None:
        document = make_document(agency=agency, actor=officer, now=now)
        with pytest.raises(ValidationError):
            document_update(document=document, actor=officer, now=now, subject=" ")
