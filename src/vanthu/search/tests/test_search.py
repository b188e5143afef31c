"""Searching real documents: what a person may see and nothing else (results, counts and facets),
the text that other apps add (a leader's instruction), numbers and symbols, keyset pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from vanthu.core.errors import ValidationError
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.services.direction import AssignmentInput
from vanthu.incoming.services.direction import incoming_direct
from vanthu.incoming.tests.factories import deliver
from vanthu.incoming.tests.factories import put_in_status
from vanthu.org.models import Role
from vanthu.org.tests.factories import person_with_role
from vanthu.search.selectors import SearchFilters
from vanthu.search.selectors import Sort
from vanthu.search.selectors import search_documents

pytestmark = pytest.mark.django_db

FLOODS = "Kế hoạch phòng, chống thiên tai, lụt bão và tìm kiếm cứu nạn năm 2026"
BUDGET = "Về việc phân bổ dự toán ngân sách năm 2026"


def _handled_by(incoming: Incoming, officer: Any, leader: Any, now: datetime) -> Incoming:
    return put_in_status(incoming, IncomingStatus.IN_PROGRESS, now=now, lead=officer, leader=leader)


@pytest.fixture
def two_agencies(
    province: Any, agency: Any, other_agency: Any, officer: Any, other_officer: Any, now: datetime
) -> dict[str, Any]:
    """The province sends the flood plan and the budget letter to both departments; at each, its
    officer handles both."""
    leader_a = person_with_role(Role.AGENCY_LEADER, agency)
    leader_b = person_with_role(Role.AGENCY_LEADER, other_agency)
    copies = {}
    for subject in (FLOODS, BUDGET):
        at_a, at_b = sorted(
            deliver(sender=province, recipients=[agency, other_agency], now=now, subject=subject),
            key=lambda i: i.agency_id != agency.pk,
        )
        copies[subject] = (_handled_by(at_a, officer, leader_a, now), _handled_by(at_b, other_officer, leader_b, now))
    return {"copies": copies, "leader_a": leader_a}


class TestPermissions:
    def test_two_officers_of_two_agencies_see_only_their_own_copy_and_counts(
        self, two_agencies: dict[str, Any], officer: Any, other_officer: Any, now: datetime
    ) -> None:
        at_a, at_b = two_agencies["copies"][FLOODS]

        mine = search_documents(person=officer, text="lut bao", now=now)
        theirs = search_documents(person=other_officer, text="lụt bão", now=now)

        assert [d.pk for d in mine.results] == [at_a.document_id]
        assert [d.pk for d in theirs.results] == [at_b.document_id]
        assert (mine.total, theirs.total) == (1, 1)
        assert mine.facets["direction"] == {"INCOMING": 1}

    def test_someone_who_sees_none_of_them_finds_nothing(
        self, two_agencies: dict[str, Any], outsider: Any, now: datetime
    ) -> None:
        page = search_documents(person=outsider, text="năm 2026", now=now)
        assert (page.results, page.total, page.facets) == ([], 0, {})


class TestWhatIsSearched:
    def test_a_leaders_instruction_is_found_with_the_document(
        self, province: Any, agency: Any, officer: Any, agency_leader: Any, now: datetime
    ) -> None:
        incoming = put_in_status(
            deliver(sender=province, recipients=[agency], now=now, subject=BUDGET)[0],
            IncomingStatus.REGISTERED,
            now=now,
        )
        incoming_direct(
            incoming=incoming,
            actor=agency_leader,
            now=now,
            instruction="Giao Phòng Ngân sách khẩn trương rà soát, tham mưu văn bản trả lời.",
            assignments=[AssignmentInput(role="LEAD", person_id=officer.pk)],
            due_working_days=3,
        )

        page = search_documents(person=officer, text="khan truong ra soat", now=now)

        assert [d.pk for d in page.results] == [incoming.document_id]

    def test_the_number_and_symbol_are_looked_up_whole_or_in_part(
        self, two_agencies: dict[str, Any], officer: Any, now: datetime
    ) -> None:
        at_a, _ = two_agencies["copies"][BUDGET]
        number_symbol = at_a.document.number_symbol  # e.g. "103/QĐ-UBND"
        number, symbol = number_symbol.split("/", 1)

        for text in (number_symbol, symbol, f"{number}/{symbol.split('-')[0]}"):
            found = search_documents(person=officer, text=text, now=now)
            assert at_a.document_id in [d.pk for d in found.results], text

    def test_filters_narrow_the_matches(self, two_agencies: dict[str, Any], officer: Any, now: datetime) -> None:
        assert search_documents(person=officer, text="2026", now=now).total == 2
        outgoing_only = search_documents(
            person=officer, text="2026", now=now, filters=SearchFilters(direction="OUTGOING")
        )
        assert outgoing_only.total == 0

    def test_the_status_filter_keeps_the_documents_at_that_stage(
        self, two_agencies: dict[str, Any], officer: Any, now: datetime
    ) -> None:
        at_a, _ = two_agencies["copies"][BUDGET]
        Incoming.objects.filter(pk=at_a.pk).update(status=IncomingStatus.DONE)

        def found(status: str) -> list[str]:
            page = search_documents(person=officer, text="2026", now=now, filters=SearchFilters(status=status))
            assert page.total == len(page.results)
            return [d.subject for d in page.results]

        assert found("INCOMING:DONE") == [BUDGET]
        assert found("INCOMING:IN_PROGRESS") == [FLOODS]
        assert found("OUTGOING:ISSUED") == []

    @pytest.mark.parametrize("status", ["DONE", "INCOMING:", "INCOMING:ISSUED", "SIDEWAYS:DONE", "' OR 1=1 --"])
    def test_a_status_that_is_not_in_the_list_is_a_clear_error(
        self, two_agencies: dict[str, Any], officer: Any, now: datetime, status: str
    ) -> None:
        with pytest.raises(ValidationError) as raised:
            search_documents(person=officer, text="2026", now=now, filters=SearchFilters(status=status))
        assert raised.value.code == "bad_status"


class TestPages:
    @pytest.mark.parametrize("sort", [Sort.RELEVANCE, Sort.NEWEST])
    def test_keyset_pages_walk_every_match_once(
        self, province: Any, agency: Any, clerk: Any, now: datetime, sort: Sort
    ) -> None:
        for index in range(23):
            deliver(
                sender=province,
                recipients=[agency],
                now=now,
                subject=f"Báo cáo công tác phòng cháy số {index}" + " báo cáo" * (index % 3),
            )
        seen: list[int] = []
        cursor = ""
        pages = 0
        while True:
            page = search_documents(
                person=clerk, text="báo cáo phòng cháy", now=now, sort=sort, cursor=cursor, limit=10
            )
            assert page.total == 23
            seen += [d.pk for d in page.results]
            pages += 1
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        assert pages == 3
        assert len(seen) == len(set(seen)) == 23

    def test_a_broken_cursor_is_a_clear_error(self, clerk: Any, now: datetime) -> None:
        with pytest.raises(ValidationError):
            search_documents(person=clerk, text="báo cáo", now=now, cursor="không-phải-con-trỏ")


@pytest.mark.parametrize("many", [0, 50_000], ids=["matches-queried", "matches-read-once"])
@pytest.mark.parametrize("few", [0, 10_000], ids=["whole-index", "within-visible"])
def test_both_plans_find_the_same_documents(  # noqa: PLR0913 - the fixtures and both plans
    two_agencies: dict[str, Any], officer: Any, now: datetime, few: int, many: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person who sees few documents has the text checked within them (PostgreSQL); one who sees
    many goes through the full-text index; the matches' ids are read once or queried each time:
    the same results, counts and facets every way."""
    monkeypatch.setattr("vanthu.search.selectors.FEW_VISIBLE", few)
    monkeypatch.setattr("vanthu.search.selectors.MANY_MATCHES", many)
    at_a, _ = two_agencies["copies"][FLOODS]

    page = search_documents(person=officer, text='"lụt bão" OR "dự toán ngân sách"', now=now)
    second = search_documents(person=officer, text='"lụt bão" OR "dự toán ngân sách"', now=now, limit=1, cursor="")

    assert page.total == second.total == 2
    assert at_a.document_id in [document.pk for document in page.results]
    assert page.facets["direction"] == {"INCOMING": 2}
    rest = search_documents(
        person=officer, text='"lụt bão" OR "dự toán ngân sách"', now=now, limit=1, cursor=second.next_cursor
    )
    assert {d.pk for d in second.results + rest.results} == {d.pk for d in page.results}
