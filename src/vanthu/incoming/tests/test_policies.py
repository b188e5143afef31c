"""Who sees and acts on incoming documents: roles × actions × agencies (ARCHITECTURE.md §9)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from vanthu.documents.policies import documents_visible_to
from vanthu.incoming import policies
from vanthu.incoming.lifecycle import IncomingAction
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import AssignmentStatus
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.tests.factories import arrived
from vanthu.incoming.tests.factories import put_in_status
from vanthu.incoming.tests.factories import sender_clerk
from vanthu.org.models import Role
from vanthu.org.tests.factories import DelegationFactory
from vanthu.org.tests.factories import UnitFactory
from vanthu.org.tests.factories import person_with_role

A = IncomingAction


@pytest.fixture
def people(  # noqa: PLR0917 - the root fixtures, one per role
    agency: Any,
    other_agency: Any,
    unit: Any,
    clerk: Any,
    agency_leader: Any,
    unit_leader: Any,
    officer: Any,
    archivist: Any,
    admin: Any,
    inspector: Any,
    other_officer: Any,
    outsider: Any,
    superuser: Any,
) -> dict[str, Any]:
    other_unit = UnitFactory(agency=agency, name="Phòng Hành chính", abbreviation="HC")
    return {
        "clerk": clerk,
        "agency_leader": agency_leader,
        "unit_leader": unit_leader,
        "officer": officer,
        "cooperator": person_with_role(Role.OFFICER, agency, unit, full_name="Người Phối Hợp"),
        "reader": person_with_role(Role.OFFICER, agency, other_unit, full_name="Người Để Biết"),
        "other_unit_leader": person_with_role(Role.UNIT_LEADER, agency, other_unit),
        "archivist": archivist,
        "admin": admin,
        "inspector": inspector,
        "other_officer": other_officer,
        "other_clerk": person_with_role(Role.CLERK, other_agency),
        "other_leader": person_with_role(Role.AGENCY_LEADER, other_agency),
        "outsider": outsider,
        "superuser": superuser,
    }


@pytest.fixture
def incoming(agency: Any, other_agency: Any, now: datetime) -> Incoming:
    return arrived(sender=other_agency, recipient=agency, now=now, clerk=sender_clerk(other_agency))


def directed(incoming: Incoming, people: dict[str, Any], unit: Any, now: datetime, status: str) -> Incoming:
    return put_in_status(
        incoming,
        status,
        now=now,
        lead_unit=unit,
        cooperate=people["cooperator"],
        inform=people["reader"],
        leader=people["agency_leader"],
    )


def visible(person: Any, incoming: Incoming, now: datetime) -> bool:
    seen = policies.can_view_incoming(person, incoming, now)
    assert seen == policies.incoming_visible_to(person, now).filter(pk=incoming.pk).exists()
    assert seen == documents_visible_to(person, now).filter(pk=incoming.document_id).exists()
    return seen


class TestVisibility:
    def test_an_arrival_is_seen_by_the_receiving_registry_and_leaders_only(
        self, people: dict[str, Any], incoming: Incoming, now: datetime
    ) -> None:
        seen = {name for name, person in people.items() if visible(person, incoming, now)}
        assert seen == {"clerk", "agency_leader"}

    def test_a_directed_document_is_seen_by_the_lead_units_leader_and_the_assignees(
        self, people: dict[str, Any], incoming: Incoming, unit: Any, now: datetime
    ) -> None:
        directed(incoming, people, unit, now, IncomingStatus.DIRECTED)
        seen = {name for name, person in people.items() if visible(person, incoming, now)}
        # Not the officer of the lead unit until the unit's leader assigns them; nobody outside.
        assert seen == {"clerk", "agency_leader", "unit_leader", "cooperator", "reader"}

    def test_a_cancelled_assignment_no_longer_shows_the_document(
        self, people: dict[str, Any], incoming: Incoming, unit: Any, now: datetime
    ) -> None:
        directed(incoming, people, unit, now, IncomingStatus.DIRECTED)
        Assignment.objects.filter(incoming=incoming, person=people["reader"]).update(status=AssignmentStatus.CANCELLED)
        assert not visible(people["reader"], incoming, now)
        assert visible(people["cooperator"], incoming, now)

    def test_a_delegate_sees_and_acts_as_the_delegator_for_the_period_only(
        self, people: dict[str, Any], incoming: Incoming, agency: Any, unit: Any, now: datetime
    ) -> None:
        directed(incoming, people, unit, now, IncomingStatus.IN_PROGRESS)
        deputy = person_with_role(Role.OFFICER, agency, unit, full_name="Cấp Phó")
        DelegationFactory(
            delegator=people["unit_leader"], delegate=deputy, agency=agency, unit=unit, role=Role.UNIT_LEADER
        )
        assert visible(deputy, incoming, now)
        assert policies.can_complete(deputy, incoming, now)
        later = datetime(2031, 1, 1, tzinfo=now.tzinfo)
        assert not policies.can_view_incoming(deputy, incoming, later)

    def test_the_senders_people_never_see_the_recipients_handling(
        self, people: dict[str, Any], incoming: Incoming, unit: Any, now: datetime
    ) -> None:
        directed(incoming, people, unit, now, IncomingStatus.DONE)
        for name in ("other_clerk", "other_leader", "other_officer"):
            assert not visible(people[name], incoming, now), name

    def test_admin_inspector_and_superuser_see_no_content(
        self, people: dict[str, Any], incoming: Incoming, unit: Any, now: datetime
    ) -> None:
        directed(incoming, people, unit, now, IncomingStatus.DIRECTED)
        for name in ("admin", "inspector", "superuser", "outsider", "archivist"):
            assert not visible(people[name], incoming, now), name


# The expected actions per person and status; every other pair is refused.
MATRIX: dict[str, dict[str, set[A]]] = {
    IncomingStatus.ARRIVED: {"clerk": {A.REGISTER, A.REFUSE}},
    IncomingStatus.REGISTERED: {"agency_leader": {A.DIRECT}},
    IncomingStatus.DIRECTED: {
        "agency_leader": {A.DIRECT},
        "unit_leader": {A.ASSIGN, A.START, A.REPORT, A.COMPLETE},
        "cooperator": {A.REPORT},
    },
    IncomingStatus.IN_PROGRESS: {
        "unit_leader": {A.ASSIGN, A.REPORT, A.COMPLETE},
        "cooperator": {A.REPORT},
    },
    IncomingStatus.DONE: {"agency_leader": {A.REOPEN}},
    IncomingStatus.REFUSED: {},
    IncomingStatus.RECALLED: {},
}


class TestAvailableActions:
    @pytest.mark.parametrize("status", list(MATRIX))
    def test_lifecycle_times_policy_for_every_person(
        self, people: dict[str, Any], incoming: Incoming, unit: Any, now: datetime, status: str
    ) -> None:
        if status in (IncomingStatus.ARRIVED, IncomingStatus.REGISTERED, IncomingStatus.REFUSED):
            put_in_status(incoming, status, now=now)
        else:
            directed(incoming, people, unit, now, status)
        for name, person in people.items():
            expected = MATRIX[status].get(name, set())
            assert set(policies.available_actions(incoming, person, now)) == expected, name

    def test_a_pending_recall_is_decided_by_the_clerk_even_when_done(
        self, people: dict[str, Any], incoming: Incoming, unit: Any, now: datetime
    ) -> None:
        directed(incoming, people, unit, now, IncomingStatus.DONE)
        Incoming.objects.filter(pk=incoming.pk).update(recall_requested_at=now)
        incoming.refresh_from_db()
        assert set(policies.available_actions(incoming, people["clerk"], now)) == {A.REFUSE_RECALL}
        assert A.REFUSE_RECALL not in policies.available_actions(incoming, people["agency_leader"], now)


class TestHandlingRules:
    def test_co_operators_report_but_cannot_complete(
        self, people: dict[str, Any], incoming: Incoming, unit: Any, now: datetime
    ) -> None:
        directed(incoming, people, unit, now, IncomingStatus.IN_PROGRESS)
        cooperator = people["cooperator"]
        assert policies.can_report(cooperator, incoming, now)
        assert policies.can_request_extension(cooperator, incoming, now)
        assert not policies.can_complete(cooperator, incoming, now)

    def test_for_information_readers_cannot_act(
        self, people: dict[str, Any], incoming: Incoming, unit: Any, now: datetime
    ) -> None:
        directed(incoming, people, unit, now, IncomingStatus.IN_PROGRESS)
        reader = people["reader"]
        assert visible(reader, incoming, now)
        assert policies.available_actions(incoming, reader, now) == []
        assert not policies.can_report(reader, incoming, now)
        assert not policies.can_request_extension(reader, incoming, now)

    def test_the_lead_person_completes_and_their_assignment_is_the_acting_one(
        self, people: dict[str, Any], incoming: Incoming, now: datetime
    ) -> None:
        put_in_status(
            incoming,
            IncomingStatus.DIRECTED,
            now=now,
            lead=people["officer"],
            cooperate=people["cooperator"],
            leader=people["agency_leader"],
        )
        assignment = policies.acting_assignment(people["officer"], incoming, now)
        assert assignment is not None
        assert assignment.role == "LEAD"
        assert policies.can_complete(people["officer"], incoming, now)
        assert not policies.can_complete(people["unit_leader"], incoming, now)  # the unit was not assigned

    def test_a_unit_leader_assigns_only_inside_the_assigned_unit(
        self, people: dict[str, Any], incoming: Incoming, unit: Any, now: datetime
    ) -> None:
        directed(incoming, people, unit, now, IncomingStatus.DIRECTED)
        unit_assignment = Assignment.objects.get(incoming=incoming, unit=unit)
        assert policies.can_assign_in_unit(people["unit_leader"], incoming, unit_assignment, now)
        assert not policies.can_assign_in_unit(people["other_unit_leader"], incoming, unit_assignment, now)
        Assignment.objects.filter(pk=unit_assignment.pk).update(status=AssignmentStatus.DONE)
        unit_assignment.refresh_from_db()
        assert not policies.can_assign_in_unit(people["unit_leader"], incoming, unit_assignment, now)

    def test_extensions_are_decided_by_the_directing_leader_or_an_agency_leader(
        self, people: dict[str, Any], incoming: Incoming, unit: Any, agency: Any, now: datetime
    ) -> None:
        directed(incoming, people, unit, now, IncomingStatus.IN_PROGRESS)
        second_leader = person_with_role(Role.AGENCY_LEADER, agency)
        assert policies.can_decide_extension(people["agency_leader"], incoming, now)
        assert policies.can_decide_extension(second_leader, incoming, now)
        assert not policies.can_decide_extension(people["unit_leader"], incoming, now)
        assert not policies.can_decide_extension(people["other_leader"], incoming, now)
