"""Drafting: creating a draft (metadata, symbol, signer, files, recipients), changing it, new
versions, comments, withdrawal, the reply to an incoming document; each refusal changes nothing."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

import pytest

from vanthu.audit.models import AuditEvent
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import TransitionNotAllowedError
from vanthu.core.errors import ValidationError
from vanthu.documents import policies as document_policies
from vanthu.documents.errors import SecretDocumentError
from vanthu.documents.models import Channel
from vanthu.documents.models import Direction
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentRecipient
from vanthu.documents.models import FileRole
from vanthu.documents.models import RecipientKind
from vanthu.documents.models import Secrecy
from vanthu.documents.models import VersionComment
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import PositionFactory
from vanthu.org.tests.factories import UnitFactory
from vanthu.outgoing import events
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingHistory
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.services.drafting import RecipientInput
from vanthu.outgoing.services.drafting import draft_reply_to
from vanthu.outgoing.services.drafting import outgoing_comment
from vanthu.outgoing.services.drafting import outgoing_create
from vanthu.outgoing.services.drafting import outgoing_new_version
from vanthu.outgoing.services.drafting import outgoing_update
from vanthu.outgoing.services.drafting import outgoing_withdraw
from vanthu.outgoing.services.drafting import recipients_set
from vanthu.outgoing.tests.factories import DocumentFactory
from vanthu.outgoing.tests.factories import document_type
from vanthu.outgoing.tests.factories import pdf_upload

pytestmark = pytest.mark.django_db


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def _create(officer: Any, agency: Any, now: datetime, **fields: Any) -> Outgoing:
    fields.setdefault("document_type", document_type("QĐ"))
    fields.setdefault("subject", "Về việc phê duyệt dự toán ngân sách năm 2026")
    fields.setdefault("main", pdf_upload())
    return outgoing_create(agency=agency, actor=officer, now=now, **fields)


class TestOutgoingCreate:
    def test_creates_a_draft_with_its_symbol_first_version_and_recipients(
        self, officer: Any, agency: Any, unit: Any, other_agency: Any, now: datetime
    ) -> None:
        outgoing = _create(
            officer,
            agency,
            now,
            annexes=[pdf_upload("phu-luc.pdf")],
            recipients=[
                RecipientInput(kind=RecipientKind.AGENCY, agency_id=other_agency.pk),
                RecipientInput(kind=RecipientKind.UNIT, unit_id=unit.pk, is_for_information=True),
                RecipientInput(
                    kind=RecipientKind.EXTERNAL, name="Báo Thanh Hóa", channel=Channel.EMAIL, address="toasoan@bao.vn"
                ),
            ],
        )
        document = outgoing.document
        assert outgoing.status == OutgoingStatus.DRAFT
        assert (outgoing.drafter, outgoing.drafting_unit, outgoing.created_at) == (officer, unit, now)
        assert (document.direction, document.symbol, document.drafting_unit) == (Direction.OUTGOING, "QĐ-STC", unit)
        version = document.current_version
        assert version is not None
        assert version.number == 1
        assert sorted(version.files.values_list("role", flat=True)) == [FileRole.ANNEX, FileRole.MAIN]
        rows = list(document.recipients.order_by("ordinal"))
        assert [(row.kind, row.name, row.channel) for row in rows] == [
            (RecipientKind.AGENCY, "Sở Y tế", Channel.INTERNAL),
            (RecipientKind.UNIT, "Phòng Ngân sách", Channel.INTERNAL),
            (RecipientKind.EXTERNAL, "Báo Thanh Hóa", Channel.EMAIL),
        ]
        assert rows[0].code == other_agency.code_qcvn102
        assert rows[1].is_for_information
        assert list(OutgoingHistory.objects.filter(outgoing=outgoing).values_list("action", "to_status")) == [
            ("create", "DRAFT")
        ]
        [event] = _events(events.OUTGOING_CREATED)
        assert (event.actor_id, event.agency_id, event.target_id) == (officer.pk, agency.pk, str(outgoing.pk))

    def test_a_cong_van_symbol_is_agency_and_drafting_unit(self, officer: Any, agency: Any, now: datetime) -> None:
        outgoing = _create(officer, agency, now, document_type=document_type("CONG_VAN"))
        assert outgoing.document.symbol == "STC-NS"

    def test_the_signer_brings_their_name_and_position(
        self, officer: Any, agency: Any, agency_leader: Any, now: datetime
    ) -> None:
        assignment = agency_leader.roles.get()
        assignment.position = PositionFactory(name="Giám đốc", rank=1)
        assignment.save()
        outgoing = _create(officer, agency, now, signer=agency_leader)
        document = outgoing.document
        assert (document.signer, document.signer_name, document.signer_position) == (
            agency_leader,
            "Trần Văn Giám Đốc",
            "GIÁM ĐỐC",
        )

    def test_refuses_a_signer_from_another_agency(
        self, officer: Any, agency: Any, other_officer: Any, now: datetime
    ) -> None:
        with pytest.raises(ValidationError):
            _create(officer, agency, now, signer=other_officer)
        assert not Outgoing.objects.exists()

    def test_refuses_a_secret_document_and_stores_nothing(self, officer: Any, agency: Any, now: datetime) -> None:
        with pytest.raises(SecretDocumentError) as refused:
            _create(officer, agency, now, secrecy=Secrecy.SECRET)
        assert refused.value.code == "secret_document_refused"
        assert not Document.objects.exists()
        assert not Outgoing.objects.exists()

    def test_refuses_an_empty_summary(self, officer: Any, agency: Any, now: datetime) -> None:
        with pytest.raises(ValidationError):
            _create(officer, agency, now, subject="   ")
        assert not Outgoing.objects.exists()

    def test_routes_a_merged_recipient_to_its_successor_and_says_so(
        self, officer: Any, agency: Any, province: Any, now: datetime
    ) -> None:
        successor = AgencyFactory(name="Sở Tài nguyên và Môi trường mới", parent=province)
        merged = AgencyFactory(name="Sở Kế hoạch và Đầu tư", parent=province, successor=successor)
        merged.valid_to = date(2025, 3, 1)
        merged.save()
        outgoing = _create(
            officer,
            agency,
            now,
            recipients=[
                RecipientInput(kind=RecipientKind.AGENCY, agency_id=merged.pk),
                RecipientInput(kind=RecipientKind.AGENCY, agency_id=successor.pk),
            ],
        )
        assert list(outgoing.document.recipients.values_list("agency_id", flat=True)) == [successor.pk]
        assert outgoing.recipient_notices == [  # type: ignore[attr-defined]
            "Sở Kế hoạch và Đầu tư đã hợp nhất vào Sở Tài nguyên và Môi trường mới; "
            "văn bản sẽ gửi đến Sở Tài nguyên và Môi trường mới."
        ]

    def test_refuses_a_recipient_agency_that_does_not_exist(self, officer: Any, agency: Any, now: datetime) -> None:
        with pytest.raises(ValidationError) as refused:
            _create(officer, agency, now, recipients=[RecipientInput(kind=RecipientKind.AGENCY, agency_id=987654)])
        assert refused.value.details["agency_id"] == 987654
        assert "987654" in str(refused.value.message)
        assert not Outgoing.objects.exists()

    def test_refuses_a_reply_deadline_in_the_past(self, officer: Any, agency: Any, now: datetime) -> None:
        with pytest.raises(ValidationError) as refused:
            _create(officer, agency, now, reply_due_date=date(2026, 3, 9))
        assert refused.value.details == {"field": "reply_due_date"}
        assert _create(officer, agency, now, reply_due_date=date(2026, 3, 10)).document.reply_due_date

    @pytest.mark.parametrize(
        "line",
        [
            RecipientInput(kind=RecipientKind.EXTERNAL, name="", channel=Channel.POST, address="12 Lê Lợi"),
            RecipientInput(kind=RecipientKind.EXTERNAL, name="Báo", channel=Channel.EMAIL, address="khong-phai-thu"),
            RecipientInput(kind=RecipientKind.EXTERNAL, name="Báo", channel=Channel.POST, address=""),
            RecipientInput(kind=RecipientKind.EXTERNAL, name="Bộ Nội vụ", channel=Channel.AXIS, address="BNV"),
            RecipientInput(kind=RecipientKind.EXTERNAL, name="Báo", channel=Channel.INTERNAL),
            RecipientInput(kind="PIGEON", name="Báo"),
        ],
    )
    def test_refuses_a_bad_outside_recipient(self, officer: Any, agency: Any, now: datetime, line: Any) -> None:
        with pytest.raises(ValidationError):
            _create(officer, agency, now, recipients=[line])

    def test_refuses_a_unit_of_another_agency(
        self, officer: Any, agency: Any, other_agency: Any, now: datetime
    ) -> None:
        elsewhere = UnitFactory(agency=other_agency)
        with pytest.raises(ValidationError):
            _create(officer, agency, now, recipients=[RecipientInput(kind=RecipientKind.UNIT, unit_id=elsewhere.pk)])

    def test_keeps_the_axis_code_of_an_outside_agency(self, officer: Any, agency: Any, now: datetime) -> None:
        line = RecipientInput(
            kind=RecipientKind.EXTERNAL, name="Bộ Nội vụ", channel=Channel.AXIS, address="000.00.00.G12"
        )
        outgoing = _create(officer, agency, now, recipients=[line])
        assert outgoing.document.recipients.get().code == "000.00.00.G12"

    @pytest.mark.parametrize("role", ["archivist", "admin", "inspector", "other_officer", "outsider", "superuser"])
    def test_refuses_who_does_not_draft_in_the_agency(
        self, role: str, request: pytest.FixtureRequest, agency: Any, now: datetime
    ) -> None:
        with pytest.raises(PermissionDeniedError):
            _create(request.getfixturevalue(role), agency, now)
        assert not Document.objects.exists()


class TestRecipientsSet:
    def test_uses_a_bounded_number_of_queries(
        self, officer: Any, agency: Any, province: Any, now: datetime, django_assert_max_num_queries: Any
    ) -> None:
        outgoing = _create(officer, agency, now)
        agencies = [AgencyFactory(parent=province) for _ in range(30)]
        lines = [RecipientInput(kind=RecipientKind.AGENCY, agency_id=item.pk) for item in agencies]
        with django_assert_max_num_queries(12):
            recipients_set(document=outgoing.document, recipients=lines, actor=officer, now=now)
        assert DocumentRecipient.objects.filter(document=outgoing.document).count() == 30


class TestOutgoingUpdate:
    def test_changes_the_metadata_and_the_symbol(self, officer: Any, agency: Any, now: datetime) -> None:
        outgoing = _create(officer, agency, now)
        updated = outgoing_update(
            outgoing=outgoing, actor=officer, now=now, subject="Về việc mới", document_type=document_type("KH")
        )
        updated.document.refresh_from_db()
        assert (updated.document.subject, updated.document.symbol) == ("Về việc mới", "KH-STC")
        assert len(_events(events.OUTGOING_UPDATED)) == 1

    def test_refuses_another_person(self, officer: Any, unit_leader: Any, agency: Any, now: datetime) -> None:
        outgoing = _create(officer, agency, now)
        with pytest.raises(PermissionDeniedError):
            outgoing_update(outgoing=outgoing, actor=unit_leader, now=now, subject="Khác")

    def test_refuses_unknown_fields(self, officer: Any, agency: Any, now: datetime) -> None:
        outgoing = _create(officer, agency, now)
        with pytest.raises(ValidationError) as refused:
            outgoing_update(outgoing=outgoing, actor=officer, now=now, number=5)
        assert refused.value.details == {"fields": ["number"]}


class TestOutgoingNewVersion:
    def test_keeps_the_annexes_when_only_the_main_file_changes(self, officer: Any, agency: Any, now: datetime) -> None:
        outgoing = _create(officer, agency, now, annexes=[pdf_upload("phu-luc.pdf")])
        first = outgoing.document.current_version
        assert first is not None
        annex = first.files.get(role=FileRole.ANNEX)
        outgoing = outgoing_new_version(
            outgoing=outgoing, actor=officer, now=now, main=pdf_upload(subject="Bản sửa"), note="Sửa theo góp ý"
        )
        second = outgoing.document.current_version
        assert second is not None
        assert second.number == 2
        assert second.files.get(role=FileRole.ANNEX).source_id == annex.source_id
        assert second.files.get(role=FileRole.MAIN).source_id != first.files.get(role=FileRole.MAIN).source_id
        assert len(_events(events.OUTGOING_VERSION_ADDED)) == 1

    def test_refuses_an_empty_version(self, officer: Any, agency: Any, now: datetime) -> None:
        outgoing = _create(officer, agency, now)
        with pytest.raises(ValidationError):
            outgoing_new_version(outgoing=outgoing, actor=officer, now=now)


class TestOutgoingComment:
    def test_comments_on_the_current_version(self, officer: Any, unit_leader: Any, agency: Any, now: datetime) -> None:
        outgoing = _create(officer, agency, now)
        outgoing_comment(outgoing=outgoing, actor=unit_leader, now=now, text="Cần bổ sung căn cứ")
        comment = VersionComment.objects.get()
        assert (comment.author, comment.version_id) == (unit_leader, outgoing.document.current_version_id)
        assert len(_events(events.OUTGOING_COMMENTED)) == 1

    def test_someone_who_cannot_see_it_gets_404(
        self, officer: Any, other_officer: Any, agency: Any, now: datetime
    ) -> None:
        outgoing = _create(officer, agency, now)
        with pytest.raises(NotFoundError):
            outgoing_comment(outgoing=outgoing, actor=other_officer, now=now, text="?")


class TestOutgoingWithdraw:
    def test_withdraws_with_a_reason(self, officer: Any, agency: Any, now: datetime) -> None:
        outgoing = outgoing_withdraw(outgoing=_create(officer, agency, now), actor=officer, now=now, reason="Trùng")
        assert outgoing.status == OutgoingStatus.WITHDRAWN
        assert outgoing.history.last().note == "Trùng"  # type: ignore[union-attr]
        assert len(_events(events.OUTGOING_WITHDRAWN)) == 1

    def test_needs_a_reason(self, officer: Any, agency: Any, now: datetime) -> None:
        with pytest.raises(ValidationError):
            outgoing_withdraw(outgoing=_create(officer, agency, now), actor=officer, now=now, reason=" ")

    def test_a_withdrawn_draft_cannot_be_withdrawn_again(self, officer: Any, agency: Any, now: datetime) -> None:
        outgoing = outgoing_withdraw(outgoing=_create(officer, agency, now), actor=officer, now=now, reason="Trùng")
        with pytest.raises((PermissionDeniedError, TransitionNotAllowedError)):
            outgoing_withdraw(outgoing=outgoing, actor=officer, now=now, reason="Lần hai")


class TestDraftReplyTo:
    @pytest.fixture
    def incoming(self, agency: Any, other_agency: Any, clerk: Any, monkeypatch: pytest.MonkeyPatch) -> Document:
        """An incoming document of ``agency`` sent by ``other_agency``; the test's provider lets the
        agency's people see incoming documents (the incoming app registers the real one later)."""
        from vanthu.org.grants import grants_for

        def provider(person: Any, now: datetime) -> list[Any]:
            agencies = {grant.agency_id for grant in grants_for(person, now)}
            return [Document.objects.filter(direction=Direction.INCOMING, agency_id__in=agencies).values("pk")]

        monkeypatch.setitem(document_policies._providers, "test_incoming", provider)
        return DocumentFactory(
            direction=Direction.INCOMING,
            agency=agency,
            number=12,
            symbol="SYT-KHTC",
            issued_date=date(2026, 3, 2),
            issuer_name=other_agency.name,
            issuer_code=other_agency.code_qcvn102,
            created_by=clerk,
        )

    def test_drafts_a_cong_van_answering_the_incoming_document(
        self, officer: Any, agency: Any, other_agency: Any, incoming: Document, now: datetime
    ) -> None:
        outgoing = draft_reply_to(document=incoming, actor=officer, now=now)
        document = outgoing.document
        assert (outgoing.agency, document.reply_to, document.document_type.code) == (agency, incoming, "CONG_VAN")
        assert document.subject == "V/v trả lời văn bản số 12/SYT-KHTC ngày 02/03/2026 của Sở Y tế"
        assert list(document.recipients.values_list("agency_id", flat=True)) == [other_agency.pk]
        assert len(_events(events.OUTGOING_CREATED)) == 1

    def test_someone_who_cannot_see_the_document_gets_404(
        self, other_officer: Any, incoming: Document, now: datetime
    ) -> None:
        with pytest.raises(NotFoundError):
            draft_reply_to(document=incoming, actor=other_officer, now=now)
        assert not Outgoing.objects.exists()
