from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from django.db import transaction

from vanthu.audit.models import AuditEvent
from vanthu.core.clock import vietnam_year
from vanthu.core.errors import ConflictError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import TransitionNotAllowedError
from vanthu.core.errors import ValidationError
from vanthu.documents.errors import RegisterClosedError
from vanthu.documents.models import EntryStatus
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.models import RegisterScope
from vanthu.documents.selectors import duplicates_of
from vanthu.documents.services.documents import document_update
from vanthu.documents.services.numbering import number_allocate
from vanthu.documents.services.numbering import number_cancel
from vanthu.documents.services.numbering import number_reserve
from vanthu.documents.services.numbering import number_use_reserved
from vanthu.documents.services.numbering import register_close
from vanthu.documents.services.numbering import register_for
from vanthu.documents.tests.factories import document_type
from vanthu.documents.tests.factories import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(agency: Any, clerk: Any, now: datetime) -> Register:
    return register_for(agency=agency, year=vietnam_year(now), scope=RegisterScope.OUTGOING, actor=clerk, now=now)


class TestRegisterFor:
    def test_opens_the_register_once(self, agency: Any, clerk: Any, now: datetime, register: Register) -> None:
        again = register_for(agency=agency, year=register.year, scope=RegisterScope.OUTGOING, actor=clerk, now=now)
        assert again.pk == register.pk
        assert (register.code, register.name, register.next_number) == ("DI", "Sổ văn bản đi", 1)
        assert AuditEvent.objects.filter(action="documents.register.opened").count() == 1

    @pytest.mark.parametrize(
        ("scope", "extra", "code"),
        [
            (RegisterScope.OUTGOING_TYPE, {"document_type": "QĐ"}, "DI-QĐ"),
            (RegisterScope.COPIES, {}, "SAO"),
            (
                RegisterScope.ADVISORY,
                {"advisory_body": "Hội đồng thi đua khen thưởng"},
                "HD-HOI-DONG-THI-DUA-KHEN-THUONG",
            ),
            (RegisterScope.INCOMING, {}, "DEN"),
        ],
    )
    def test_names_each_scope(
        self, agency: Any, clerk: Any, now: datetime, scope: str, extra: dict[str, Any], code: str
    ) -> None:
        if "document_type" in extra:
            extra = {"document_type": document_type(extra["document_type"])}
        opened = register_for(agency=agency, year=2026, scope=scope, actor=clerk, now=now, **extra)
        assert opened.code == code[:32]

    def test_refuses_a_closed_register(self, agency: Any, clerk: Any, now: datetime, register: Register) -> None:
        register_close(register=register, actor=clerk, now=now)
        with pytest.raises(RegisterClosedError) as caught:
            register_for(agency=agency, year=register.year, scope=RegisterScope.OUTGOING, actor=clerk, now=now)
        assert caught.value.code == "register_closed"


class TestNumberAllocate:
    def test_numbers_are_consecutive(
        self, agency: Any, officer: Any, clerk: Any, now: datetime, register: Register
    ) -> None:
        documents = [make_document(agency=agency, actor=officer, now=now) for _ in range(3)]
        entries = [number_allocate(register=register, document=d, actor=clerk, now=now) for d in documents]
        assert [entry.number for entry in entries] == [1, 2, 3]
        assert [d.number for d in documents] == [1, 2, 3]
        documents[2].refresh_from_db()
        assert documents[2].number == 3
        register.refresh_from_db()
        assert register.next_number == 4

    def test_numbering_restarts_on_the_first_of_january_vietnam_time(
        self, agency: Any, officer: Any, clerk: Any
    ) -> None:
        late = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 31 Dec 23:30 in Vietnam
        early = datetime(2026, 12, 31, 17, 10, tzinfo=UTC)  # 1 Jan 00:10 in Vietnam
        numbers = []
        for moment in (late, late, early):
            register = register_for(
                agency=agency, year=vietnam_year(moment), scope=RegisterScope.OUTGOING, actor=clerk, now=moment
            )
            document = make_document(agency=agency, actor=officer, now=moment)
            numbers.append(
                (register.year, number_allocate(register=register, document=document, actor=clerk, now=moment).number)
            )
        assert numbers == [(2026, 1), (2026, 2), (2027, 1)]

    def test_a_rolled_back_transaction_does_not_consume_a_number(
        self, agency: Any, officer: Any, clerk: Any, now: datetime, register: Register
    ) -> None:
        first = make_document(agency=agency, actor=officer, now=now)

        def issue_then_fail() -> None:
            with transaction.atomic():
                number_allocate(register=register, document=first, actor=clerk, now=now)
                raise RuntimeError("the seal signature failed")

        with pytest.raises(RuntimeError):
            issue_then_fail()
        second = make_document(agency=agency, actor=officer, now=now)
        assert number_allocate(register=register, document=second, actor=clerk, now=now).number == 1
        assert not RegisterEntry.objects.filter(document=first).exists()

    def test_refuses_a_second_number_for_the_same_document(
        self, agency: Any, officer: Any, clerk: Any, now: datetime, register: Register
    ) -> None:
        document = make_document(agency=agency, actor=officer, now=now)
        number_allocate(register=register, document=document, actor=clerk, now=now)
        with pytest.raises(ConflictError):
            number_allocate(register=register, document=document, actor=clerk, now=now)
        register.refresh_from_db()
        assert register.next_number == 2

    def test_refuses_a_document_of_another_agency(
        self, other_agency: Any, other_officer: Any, clerk: Any, now: datetime, register: Register
    ) -> None:
        document = make_document(agency=other_agency, actor=other_officer, now=now)
        with pytest.raises(ValidationError):
            number_allocate(register=register, document=document, actor=clerk, now=now)

    def test_refuses_a_closed_register(
        self, agency: Any, officer: Any, clerk: Any, now: datetime, register: Register
    ) -> None:
        register_close(register=register, actor=clerk, now=now)
        with pytest.raises(RegisterClosedError):
            number_allocate(
                register=register, document=make_document(agency=agency, actor=officer, now=now), actor=clerk, now=now
            )


class TestNumberReserve:
    def test_reserves_numbers_ahead_and_allocation_continues_after_them(
        self, agency: Any, officer: Any, clerk: Any, now: datetime, register: Register
    ) -> None:
        reserved = number_reserve(register=register, count=3, note="Cho UBND tỉnh", actor=clerk, now=now)
        assert [(e.number, e.status, e.note) for e in reserved] == [
            (n, EntryStatus.RESERVED, "Cho UBND tỉnh") for n in (1, 2, 3)
        ]
        document = make_document(agency=agency, actor=officer, now=now)
        assert number_allocate(register=register, document=document, actor=clerk, now=now).number == 4

    @pytest.mark.parametrize("count", [0, 51, -1])
    def test_refuses_a_count_outside_1_to_50(self, clerk: Any, now: datetime, register: Register, count: int) -> None:
        with pytest.raises(ValidationError):
            number_reserve(register=register, count=count, note="", actor=clerk, now=now)

    def test_refuses_a_closed_register(self, clerk: Any, now: datetime, register: Register) -> None:
        register_close(register=register, actor=clerk, now=now)
        with pytest.raises(RegisterClosedError):
            number_reserve(register=register, count=1, note="", actor=clerk, now=now)

    @pytest.mark.parametrize(
        ("person", "allowed"),
        [
            ("clerk", True),
            ("other_clerk", False),
            ("officer", False),
            ("agency_leader", False),
            ("admin", False),
            ("outsider", False),
        ],
    )
    def test_only_clerks_of_the_agency_reserve(
        self,
        request: pytest.FixtureRequest,
        other_agency: Any,
        now: datetime,
        register: Register,
        person: str,
        allowed: bool,
    ) -> None:
        if person == "other_clerk":
            from vanthu.org.tests.factories import person_with_role

            actor = person_with_role("CLERK", other_agency, None)
        else:
            actor = request.getfixturevalue(person)
        if allowed:
            assert len(number_reserve(register=register, count=2, note="", actor=actor, now=now)) == 2
        else:
            with pytest.raises(PermissionDeniedError):
                number_reserve(register=register, count=2, note="", actor=actor, now=now)
            assert not RegisterEntry.objects.exists()


class TestNumberUseReserved:
    def test_gives_the_reserved_number_to_the_document(
        self, agency: Any, officer: Any, clerk: Any, now: datetime, register: Register
    ) -> None:
        entry = number_reserve(register=register, count=1, note="", actor=clerk, now=now)[0]
        document = make_document(agency=agency, actor=officer, now=now)
        used = number_use_reserved(entry=entry, document=document, actor=clerk, now=now)
        document.refresh_from_db()
        assert (used.status, used.document_id, document.number) == (EntryStatus.USED, document.pk, 1)
        with pytest.raises(TransitionNotAllowedError):
            number_use_reserved(
                entry=used, document=make_document(agency=agency, actor=officer, now=now), actor=clerk, now=now
            )


class TestNumberCancel:
    def test_cancels_a_reserved_number_with_its_reason(self, clerk: Any, now: datetime, register: Register) -> None:
        entry = number_reserve(register=register, count=1, note="", actor=clerk, now=now)[0]
        cancelled = number_cancel(entry=entry, reason=" Không dùng đến ", actor=clerk, now=now)
        assert (cancelled.status, cancelled.cancelled_reason, cancelled.cancelled_by_id) == (
            EntryStatus.CANCELLED,
            "Không dùng đến",
            clerk.pk,
        )
        assert AuditEvent.objects.filter(action="documents.number.cancelled").exists()

    def test_refuses_a_cancellation_without_reason(self, clerk: Any, now: datetime, register: Register) -> None:
        entry = number_reserve(register=register, count=1, note="", actor=clerk, now=now)[0]
        with pytest.raises(ValidationError):
            number_cancel(entry=entry, reason="  ", actor=clerk, now=now)
        entry.refresh_from_db()
        assert entry.status == EntryStatus.RESERVED

    def test_a_used_number_of_a_document_not_issued_can_be_cancelled(
        self, agency: Any, officer: Any, clerk: Any, now: datetime, register: Register
    ) -> None:
        document = make_document(agency=agency, actor=officer, now=now)
        entry = number_allocate(register=register, document=document, actor=clerk, now=now)
        number_cancel(entry=entry, reason="Hủy phát hành", actor=clerk, now=now)
        document.refresh_from_db()
        assert document.number is None

    def test_the_number_of_an_issued_document_cannot_be_cancelled(
        self, agency: Any, officer: Any, clerk: Any, now: datetime, register: Register
    ) -> None:
        document = make_document(agency=agency, actor=officer, now=now)
        entry = number_allocate(register=register, document=document, actor=clerk, now=now)
        document_update(document=document, actor=clerk, now=now, issued_date=now.date())
        with pytest.raises(TransitionNotAllowedError):
            number_cancel(entry=entry, reason="Nhầm", actor=clerk, now=now)

    def test_an_officer_cannot_cancel(self, officer: Any, clerk: Any, now: datetime, register: Register) -> None:
        entry = number_reserve(register=register, count=1, note="", actor=clerk, now=now)[0]
        with pytest.raises(PermissionDeniedError):
            number_cancel(entry=entry, reason="x", actor=officer, now=now)


class TestRegisterClose:
    def test_refuses_while_numbers_are_reserved(self, clerk: Any, now: datetime, register: Register) -> None:
        entry = number_reserve(register=register, count=1, note="", actor=clerk, now=now)[0]
        with pytest.raises(ConflictError):
            register_close(register=register, actor=clerk, now=now)
        number_cancel(entry=entry, reason="Hết năm", actor=clerk, now=now)
        assert register_close(register=register, actor=clerk, now=now).closed_at == now


class TestDuplicatesOf:
    def test_finds_documents_with_the_same_number_symbol_and_issuer(
        self, agency: Any, officer: Any, clerk: Any, now: datetime
    ) -> None:
        first = make_document(
            agency=agency,
            actor=clerk,
            now=now,
            direction="INCOMING",
            symbol="QĐ-BTC",
            issuer_name="Bộ Tài chính",
            number=5,
        )
        make_document(
            agency=agency, actor=clerk, now=now, direction="INCOMING", symbol="QĐ-BTC", issuer_name="Bộ Y tế", number=5
        )
        found = duplicates_of(number=5, symbol=" QĐ-BTC ", issuer_code="", issuer_name="Bộ Tài chính")
        assert list(found) == [first]
        assert not duplicates_of(
            number=5, symbol="QĐ-BTC", issuer_code="", issuer_name="Bộ Tài chính", exclude_pk=first.pk
        ).exists()
