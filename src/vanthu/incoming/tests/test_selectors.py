"""The incoming queues: who sees which document in which queue, the counts of one aggregate query
agreeing with the lists, filters, and nothing across agencies."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vanthu.core.errors import NotFoundError
from vanthu.incoming import selectors
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.tests.factories import arrived
from vanthu.incoming.tests.factories import put_in_status
from vanthu.org.models import Role
from vanthu.org.tests.factories import person_with_role

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)  # conftest NOW, a Tuesday


def queue_pks(person: Any, queue: str, now: datetime, **filters: Any) -> set[int]:
    found = selectors.incoming_queue_for(person=person, queue=queue, now=now, filters=selectors.QueueFilters(**filters))
    return set(found.values_list("pk", flat=True))


def with_due(incoming: Incoming, due: date) -> Incoming:
    Incoming.objects.filter(pk=incoming.pk).update(due_date=due)
    incoming.refresh_from_db()
    return incoming


@pytest.fixture
def world(
    agency: Any, other_agency: Any, unit: Any, officer: Any, unit_leader: Any, agency_leader: Any, clerk: Any, now: Any
) -> dict[str, Any]:
    cooperator = person_with_role(Role.OFFICER, agency, full_name="Nguyễn Văn Phối Hợp")
    reader = person_with_role(Role.OFFICER, agency, full_name="Đinh Thị Để Biết")
    waiting = arrived(sender=other_agency, recipient=agency, now=now)
    registered = put_in_status(
        arrived(sender=other_agency, recipient=agency, now=now), IncomingStatus.REGISTERED, now=now
    )
    handled = put_in_status(
        arrived(sender=other_agency, recipient=agency, now=now),
        IncomingStatus.IN_PROGRESS,
        now=now,
        lead=officer,
        cooperate=cooperator,
        inform=reader,
        leader=agency_leader,
    )
    unit_lead = put_in_status(
        arrived(sender=other_agency, recipient=agency, now=now),
        IncomingStatus.DIRECTED,
        now=now,
        lead_unit=unit,
        leader=agency_leader,
    )
    done = put_in_status(
        arrived(sender=other_agency, recipient=agency, now=now),
        IncomingStatus.DONE,
        now=now,
        lead=officer,
        leader=agency_leader,
    )
    return {
        "cooperator": cooperator,
        "reader": reader,
        "waiting": waiting,
        "registered": registered,
        "handled": handled,
        "unit_lead": unit_lead,
        "done": done,
    }


class TestQueues:
    def test_each_role_finds_its_work_in_its_own_queue(
        self, world: dict[str, Any], clerk: Any, agency_leader: Any, officer: Any, unit_leader: Any, now: Any
    ) -> None:
        assert queue_pks(clerk, "to_register", now) == {world["waiting"].pk}
        assert queue_pks(agency_leader, "to_direct", now) == {world["registered"].pk}
        assert queue_pks(officer, "to_handle", now) == {world["handled"].pk}
        assert queue_pks(unit_leader, "to_handle", now) == {world["unit_lead"].pk}
        assert queue_pks(world["cooperator"], "cooperate", now) == {world["handled"].pk}
        assert queue_pks(world["reader"], "inform", now) == {world["handled"].pk}
        assert queue_pks(officer, "done", now) == {world["done"].pk}

    def test_a_co_operator_and_a_reader_have_nothing_to_handle(self, world: dict[str, Any], now: Any) -> None:
        assert queue_pks(world["cooperator"], "to_handle", now) == set()
        assert queue_pks(world["reader"], "to_handle", now) == set()
        assert queue_pks(world["reader"], "cooperate", now) == set()

    def test_another_agency_sees_none_of_it(self, world: dict[str, Any], other_officer: Any, now: Any) -> None:
        for queue in selectors.Queue:
            assert queue_pks(other_officer, queue.value, now) == set()
        assert not selectors.incoming_list_for(person=other_officer, now=now).exists()

    def test_an_unknown_queue_is_not_found(self, clerk: Any, now: Any) -> None:
        with pytest.raises(NotFoundError):
            selectors.incoming_queue_for(person=clerk, queue="everything", now=now)

    def test_overdue_and_due_soon_follow_the_deadline_on_working_days(
        self, world: dict[str, Any], officer: Any, agency_leader: Any, unit_leader: Any, now: Any
    ) -> None:
        with_due(world["handled"], date(2026, 3, 9))
        with_due(world["unit_lead"], date(2026, 3, 12))  # two working days after Tuesday 10 March
        Assignment.objects.filter(incoming=world["handled"]).update(due_date=date(2026, 3, 9))
        Assignment.objects.filter(incoming=world["unit_lead"]).update(due_date=date(2026, 3, 12))

        assert queue_pks(officer, "overdue", now) == {world["handled"].pk}
        assert queue_pks(officer, "due_soon", now) == set()
        assert queue_pks(unit_leader, "due_soon", now) == {world["unit_lead"].pk}
        # The agency's leader follows every deadline of the agency.
        assert queue_pks(agency_leader, "overdue", now) == {world["handled"].pk}
        assert queue_pks(agency_leader, "due_soon", now) == {world["unit_lead"].pk}

    def test_a_deadline_beyond_the_reminder_window_is_not_due_soon(
        self, world: dict[str, Any], agency_leader: Any, now: Any
    ) -> None:
        with_due(world["unit_lead"], date(2026, 3, 13))

        assert queue_pks(agency_leader, "due_soon", now) == set()

    def test_a_done_document_is_never_overdue(self, world: dict[str, Any], agency_leader: Any, now: Any) -> None:
        with_due(world["done"], date(2026, 1, 5))

        assert queue_pks(agency_leader, "overdue", now) == set()

    def test_filters_find_by_arrival_number_and_source(
        self, world: dict[str, Any], agency_leader: Any, now: Any
    ) -> None:
        number = world["registered"].arrival_number

        assert queue_pks(agency_leader, "to_direct", now, text=str(number)) == {world["registered"].pk}
        assert queue_pks(agency_leader, "to_direct", now, text="không có") == set()
        assert queue_pks(agency_leader, "to_direct", now, source="PAPER") == set()


class TestQueueCounts:
    def test_the_counts_agree_with_the_lists(
        self, world: dict[str, Any], clerk: Any, agency_leader: Any, officer: Any, unit_leader: Any, now: Any
    ) -> None:
        with_due(world["handled"], date(2026, 3, 2))
        for person in (clerk, agency_leader, officer, unit_leader, world["cooperator"], world["reader"]):
            counts = selectors.queue_counts(person=person, now=now)
            for queue in selectors.Queue:
                assert counts[queue.value] == len(queue_pks(person, queue.value, now)), (person, queue)

    def test_the_counts_take_one_query_on_incoming_documents(
        self, world: dict[str, Any], agency_leader: Any, now: Any
    ) -> None:
        selectors.queue_counts(person=agency_leader, now=now)  # grants read once
        with CaptureQueriesContext(connection) as captured:
            selectors.queue_counts(person=agency_leader, now=now)

        on_incoming = [q for q in captured.captured_queries if 'FROM "incoming_incoming"' in q["sql"]]
        assert len(on_incoming) == 1


class TestGetFor:
    def test_someone_of_another_agency_gets_not_found(
        self, world: dict[str, Any], other_officer: Any, now: Any
    ) -> None:
        with pytest.raises(NotFoundError):
            selectors.incoming_get_for(person=other_officer, pk=world["waiting"].pk, now=now)

    def test_the_clerk_gets_the_document(self, world: dict[str, Any], clerk: Any, now: Any) -> None:
        found = selectors.incoming_get_for(person=clerk, pk=world["waiting"].pk, now=now)

        assert found.document.subject == world["waiting"].document.subject
