"""Who sees and acts on outgoing documents: roles × states × actions × agencies (ARCHITECTURE §9).

One draft of the officer (drafting unit ``unit``, signer the agency leader) with the circuit
unit head (1) → clerk, format check (2) → agency leader, approval (3), put in every status."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from vanthu.documents.models import EntryStatus
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.models import RegisterScope
from vanthu.org.models import Role
from vanthu.org.tests.factories import DelegationFactory
from vanthu.org.tests.factories import person_with_role
from vanthu.outgoing import policies
from vanthu.outgoing.lifecycle import OutgoingAction
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.models import StepKind
from vanthu.outgoing.models import StepStatus
from vanthu.outgoing.tests.factories import OutgoingFactory
from vanthu.outgoing.tests.factories import ReviewStepFactory

pytestmark = pytest.mark.django_db

S = OutgoingStatus
A = OutgoingAction
ROLES = [
    "officer",
    "colleague",
    "unit_leader",
    "delegate",
    "clerk",
    "agency_leader",
    "archivist",
    "inspector",
    "admin",
    "other_officer",
    "other_clerk",
    "outsider",
    "superuser",
]
ALL = set(S)
ISSUED = {S.ISSUED, S.RECALLED, S.REPLACED}
WITH_CIRCUIT = ALL - {S.DRAFT, S.WITHDRAWN}

# Who sees the draft in each status.
VISIBLE: dict[str, set[str]] = {
    "officer": ALL,  # the drafter
    "colleague": ISSUED,  # a person of the agency, after issuance
    "unit_leader": ALL,  # leader of the drafting unit (and in the circuit)
    "delegate": ALL,  # the unit leader's delegate has their view
    "clerk": WITH_CIRCUIT,  # in the circuit (format check), and the registry from SIGNED on
    "agency_leader": ALL,  # the signer
    "archivist": ISSUED,
    "inspector": set(),  # statistics only, never content
    "admin": set(),  # separation of duties
    "other_officer": set(),
    "other_clerk": set(),
    "outsider": set(),
    "superuser": set(),
}

# What each may do in each status (every other pair: nothing).
ACTIONS: dict[tuple[str, str], set[A]] = {
    ("officer", S.DRAFT): {A.SUBMIT, A.WITHDRAW},
    ("unit_leader", S.IN_REVIEW): {A.REVIEW, A.RETURN_TO_DRAFTER, A.RETURN_TO_PREVIOUS},
    ("delegate", S.IN_REVIEW): {A.REVIEW, A.RETURN_TO_DRAFTER, A.RETURN_TO_PREVIOUS},
    ("agency_leader", S.AWAITING_SIGNATURE): {A.SIGN, A.RETURN_TO_DRAFTER, A.RETURN_TO_PREVIOUS},
    ("clerk", S.SIGNED): {A.START_ISSUE},
    ("clerk", S.ISSUING): {A.ISSUE, A.CANCEL_ISSUE},
    ("clerk", S.ISSUED): {A.RECALL, A.CHANGE_RECIPIENTS},
}


FIXTURE_ROLES = [
    "officer",
    "unit_leader",
    "clerk",
    "agency_leader",
    "archivist",
    "inspector",
    "admin",
    "other_officer",
    "outsider",
    "superuser",
]


@pytest.fixture
def people(request: pytest.FixtureRequest, agency: Any, unit: Any, other_agency: Any) -> dict[str, Any]:
    found = {role: request.getfixturevalue(role) for role in FIXTURE_ROLES}
    unit_leader = found["unit_leader"]
    colleague = person_with_role(Role.OFFICER, agency, unit, full_name="Đinh Văn Đồng Nghiệp")
    delegate = person_with_role(Role.OFFICER, agency, unit, full_name="Mai Thị Cấp Phó")
    DelegationFactory(delegator=unit_leader, delegate=delegate, agency=agency, unit=unit, role=Role.UNIT_LEADER)
    return {
        **found,
        "colleague": colleague,
        "delegate": delegate,
        "other_clerk": person_with_role(Role.CLERK, other_agency, full_name="Lê Văn Văn Thư Khác"),
    }


def _in_status(status: str, *, agency: Any, unit: Any, people: dict[str, Any], now: datetime) -> Outgoing:
    entry = None
    if status in (S.ISSUING, S.ISSUED, S.RECALLED, S.REPLACED):
        register = Register.objects.create(agency=agency, year=2026, scope=RegisterScope.OUTGOING, code="DI", name="Sổ")
        entry = RegisterEntry.objects.create(
            register=register, number=1, status=EntryStatus.RESERVED, allocated_by=people["clerk"], allocated_at=now
        )
    outgoing = OutgoingFactory(
        agency=agency,
        drafter=people["officer"],
        drafting_unit=unit,
        status=status,
        register_entry=entry,
        document__signer=people["agency_leader"],
    )
    if status in (S.DRAFT, S.WITHDRAWN):
        return outgoing
    circuit = [
        (1, StepKind.UNIT_REVIEW, "unit_leader"),
        (2, StepKind.FORMAT_CHECK, "clerk"),
        (3, StepKind.APPROVAL, "agency_leader"),
    ]
    active = {S.IN_REVIEW: 1, S.AWAITING_SIGNATURE: 3}.get(status)
    for ordinal, kind, who in circuit:
        if active is None:
            step_status = StepStatus.DONE
        elif ordinal < active:
            step_status = StepStatus.DONE
        else:
            step_status = StepStatus.ACTIVE if ordinal == active else StepStatus.WAITING
        ReviewStepFactory(outgoing=outgoing, ordinal=ordinal, kind=kind, assignee=people[who], status=step_status)
    return outgoing


@pytest.mark.parametrize("status", list(S))
class TestMatrix:
    def test_available_actions_follow_the_table(
        self, status: str, people: dict[str, Any], agency: Any, unit: Any, now: datetime
    ) -> None:
        outgoing = _in_status(status, agency=agency, unit=unit, people=people, now=now)
        got = {role: set(policies.available_actions(outgoing, people[role], now)) for role in ROLES}
        expected = {role: ACTIONS.get((role, status), set()) for role in ROLES}
        assert got == expected

    def test_visibility_follows_the_table_and_both_shapes_agree(
        self, status: str, people: dict[str, Any], agency: Any, unit: Any, now: datetime
    ) -> None:
        outgoing = _in_status(status, agency=agency, unit=unit, people=people, now=now)
        OutgoingFactory(agency=agency, drafter=people["colleague"])  # someone else's draft, seen by fewer
        visible = {role for role in ROLES if policies.can_view_outgoing(people[role], outgoing, now)}
        assert visible == {role for role in ROLES if status in VISIBLE[role]}
        for role in ROLES:
            queryset = set(policies.outgoing_visible_to(people[role], now).values_list("pk", flat=True))
            for candidate in Outgoing.objects.all():
                assert (candidate.pk in queryset) == policies.can_view_outgoing(people[role], candidate, now)


class TestDelegation:
    def test_an_expired_delegation_gives_nothing(
        self, people: dict[str, Any], agency: Any, unit: Any, now: datetime
    ) -> None:
        outgoing = _in_status(S.IN_REVIEW, agency=agency, unit=unit, people=people, now=now)
        later = datetime(2031, 1, 1, tzinfo=now.tzinfo)
        assert policies.available_actions(outgoing, people["delegate"], later) == []
        assert not policies.can_view_outgoing(people["delegate"], outgoing, later)


class TestCreate:
    def test_drafting_roles_of_the_agency_may_create(self, people: dict[str, Any], agency: Any, now: datetime) -> None:
        allowed = {role for role in ROLES if policies.can_create_outgoing(people[role], agency, now)}
        # the delegate drafts as the officer they are; the unit leader's role adds nothing here
        assert allowed == {"officer", "colleague", "unit_leader", "delegate", "clerk", "agency_leader"}
