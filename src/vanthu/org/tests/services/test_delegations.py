from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from vanthu.core.errors import ConflictError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import ValidationError
from vanthu.org import services
from vanthu.org.grants import Grant
from vanthu.org.grants import grants_for
from vanthu.org.models import Delegation
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.org.tests.checks import nothing_written
from vanthu.org.tests.checks import writes_audit_events
from vanthu.org.tests.factories import PersonFactory
from vanthu.org.tests.factories import person_with_role

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def deputy(agency: Any) -> Any:
    return person_with_role(Role.OFFICER, agency, full_name="Nguyễn Văn Phó")


def delegate_leadership(leader: Any, deputy: Any, agency: Any, actor: Any, now: Any, **overrides: Any) -> Delegation:
    arguments = {
        "delegator": leader,
        "delegate": deputy,
        "agency": agency,
        "role": Role.AGENCY_LEADER,
        "starts_at": now,
        "ends_at": now + 7 * DAY,
        "reason": "Giám đốc đi công tác",
        "actor": actor,
        "now": now,
    }
    return services.delegation_create(**{**arguments, **overrides})


class TestDelegationCreate:
    def test_the_holder_delegates_their_role(self, agency_leader, deputy, agency, now):
        with writes_audit_events("org.delegation.created") as events:
            delegation = delegate_leadership(agency_leader, deputy, agency, agency_leader, now)

        assert (delegation.delegator, delegation.delegate, delegation.role) == (
            agency_leader,
            deputy,
            Role.AGENCY_LEADER,
        )
        assert Grant(agency.pk, None, Role.AGENCY_LEADER, agency_leader.pk) in grants_for(deputy, now)
        event = events[0]
        assert event.agency_id == agency.pk
        assert event.actor_id == agency_leader.pk
        assert event.data["delegator_id"] == agency_leader.pk
        assert event.data["delegate_id"] == deputy.pk
        assert event.data["role"] == "AGENCY_LEADER"

    @pytest.mark.parametrize("actor_fixture", ["admin", "province_admin"])
    def test_an_administrator_of_the_agency_delegates_for_the_holder(
        self, request, agency_leader, deputy, agency, actor_fixture, now
    ):
        actor = request.getfixturevalue(actor_fixture)

        delegation = delegate_leadership(agency_leader, deputy, agency, actor, now)

        assert delegation.pk is not None

    @pytest.mark.parametrize(
        "actor_fixture", ["deputy", "clerk", "unit_leader", "other_officer", "inspector", "outsider"]
    )
    def test_refuses_a_stranger_to_the_role(self, request, agency_leader, deputy, agency, actor_fixture, now):
        actor = request.getfixturevalue(actor_fixture)

        with nothing_written(), pytest.raises(PermissionDeniedError):
            delegate_leadership(agency_leader, deputy, agency, actor, now)

    def test_refuses_an_administrator_of_another_agency(self, agency_leader, other_agency, deputy, agency, now):
        other_admin = person_with_role(Role.ADMIN, other_agency)

        with nothing_written(), pytest.raises(PermissionDeniedError):
            delegate_leadership(agency_leader, deputy, agency, other_admin, now)

    def test_refuses_a_delegation_that_ends_before_it_starts(self, agency_leader, deputy, agency, now):
        with nothing_written(), pytest.raises(ValidationError) as caught:
            delegate_leadership(
                agency_leader, deputy, agency, agency_leader, now, starts_at=now + 3 * DAY, ends_at=now + 2 * DAY
            )

        assert "ends_at" in caught.value.details["fields"]

    def test_refuses_a_delegation_that_ends_when_it_starts(self, agency_leader, deputy, agency, now):
        with nothing_written(), pytest.raises(ValidationError):
            delegate_leadership(agency_leader, deputy, agency, agency_leader, now, ends_at=now)

    def test_refuses_a_delegation_that_ended_in_the_past(self, agency_leader, deputy, agency, now):
        with nothing_written(), pytest.raises(ValidationError):
            delegate_leadership(
                agency_leader, deputy, agency, agency_leader, now, starts_at=now - 5 * DAY, ends_at=now - DAY
            )

    def test_refuses_a_delegation_to_oneself(self, agency_leader, agency, now):
        with nothing_written(), pytest.raises(ValidationError) as caught:
            delegate_leadership(agency_leader, agency_leader, agency, agency_leader, now)

        assert "delegate" in caught.value.details["fields"]

    def test_refuses_a_delegation_without_a_reason(self, agency_leader, deputy, agency, now):
        with nothing_written(), pytest.raises(ValidationError):
            delegate_leadership(agency_leader, deputy, agency, agency_leader, now, reason="  ")

    def test_refuses_a_delegator_who_does_not_hold_the_role(self, officer, deputy, agency, admin, now):
        with nothing_written(), pytest.raises(ConflictError):
            delegate_leadership(officer, deputy, agency, admin, now)

    def test_refuses_a_delegator_whose_role_has_ended(self, agency_leader, deputy, agency, admin, now):
        RoleAssignment.objects.filter(person=agency_leader).update(valid_to=now - DAY)

        with nothing_written(), pytest.raises(ConflictError):
            delegate_leadership(agency_leader, deputy, agency, admin, now)

    def test_accepts_a_delegator_whose_role_ends_after_the_delegation(self, agency_leader, deputy, agency, now):
        RoleAssignment.objects.filter(person=agency_leader).update(valid_to=now + 30 * DAY)

        delegation = delegate_leadership(agency_leader, deputy, agency, agency_leader, now)

        assert delegation.pk is not None

    def test_refuses_a_delegation_outlasting_the_delegators_role(self, agency_leader, deputy, agency, now):
        RoleAssignment.objects.filter(person=agency_leader).update(valid_to=now + 3 * DAY)

        with nothing_written(), pytest.raises(ConflictError):
            delegate_leadership(agency_leader, deputy, agency, agency_leader, now)

    def test_refuses_a_delegation_overlapping_one_of_the_same_role(self, agency_leader, deputy, agency, clerk, now):
        delegate_leadership(agency_leader, deputy, agency, agency_leader, now)

        with nothing_written(), pytest.raises(ConflictError):
            delegate_leadership(
                agency_leader, clerk, agency, agency_leader, now, starts_at=now + 6 * DAY, ends_at=now + 9 * DAY
            )

    def test_accepts_a_delegation_starting_when_the_previous_one_ends(self, agency_leader, deputy, agency, clerk, now):
        delegate_leadership(agency_leader, deputy, agency, agency_leader, now)

        following = delegate_leadership(
            agency_leader, clerk, agency, agency_leader, now, starts_at=now + 7 * DAY, ends_at=now + 9 * DAY
        )

        assert following.pk is not None

    def test_accepts_a_delegation_overlapping_a_revoked_one(self, agency_leader, deputy, agency, clerk, now):
        first = delegate_leadership(agency_leader, deputy, agency, agency_leader, now)
        services.delegation_revoke(delegation=first, actor=agency_leader, now=now)

        replacement = delegate_leadership(agency_leader, clerk, agency, agency_leader, now)

        assert replacement.pk is not None

    def test_refuses_a_deactivated_delegate(self, agency_leader, agency, now):
        former = PersonFactory(is_active=False)

        with nothing_written(), pytest.raises(ConflictError):
            delegate_leadership(agency_leader, former, agency, agency_leader, now)

    def test_a_delegate_cannot_pass_the_role_on(self, agency_leader, deputy, agency, clerk, now):
        delegate_leadership(agency_leader, deputy, agency, agency_leader, now)

        with nothing_written(), pytest.raises(PermissionDeniedError):
            delegate_leadership(
                agency_leader, clerk, agency, deputy, now, starts_at=now + 8 * DAY, ends_at=now + 9 * DAY
            )

    def test_a_unit_leader_delegates_the_leadership_of_their_unit(self, unit_leader, officer, agency, unit, now):
        delegation = services.delegation_create(
            delegator=unit_leader,
            delegate=officer,
            agency=agency,
            unit=unit,
            role=Role.UNIT_LEADER,
            starts_at=now,
            ends_at=now + DAY,
            reason="Nghỉ phép",
            actor=unit_leader,
            now=now,
        )

        assert Grant(agency.pk, unit.pk, Role.UNIT_LEADER, unit_leader.pk) in grants_for(officer, now)
        assert delegation.unit == unit


class TestDelegationRevoke:
    @pytest.mark.parametrize("actor_fixture", ["agency_leader", "admin"])
    def test_the_holder_or_an_administrator_revokes(self, request, agency_leader, deputy, agency, actor_fixture, now):
        delegation = delegate_leadership(agency_leader, deputy, agency, agency_leader, now)
        actor = request.getfixturevalue(actor_fixture)
        later = now + DAY

        with writes_audit_events("org.delegation.revoked") as events:
            revoked = services.delegation_revoke(delegation=delegation, actor=actor, now=later)

        assert revoked.revoked_at == later
        assert events[0].agency_id == agency.pk
        assert not any(grant.delegated_by_id for grant in grants_for(deputy, later))

    def test_the_delegate_cannot_revoke(self, agency_leader, deputy, agency, now):
        delegation = delegate_leadership(agency_leader, deputy, agency, agency_leader, now)

        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.delegation_revoke(delegation=delegation, actor=deputy, now=now)

    def test_refuses_a_delegation_already_revoked(self, agency_leader, deputy, agency, now):
        delegation = delegate_leadership(agency_leader, deputy, agency, agency_leader, now)
        services.delegation_revoke(delegation=delegation, actor=agency_leader, now=now)

        with nothing_written(), pytest.raises(ConflictError):
            services.delegation_revoke(delegation=delegation, actor=agency_leader, now=now + DAY)

    def test_refuses_a_delegation_that_has_ended(self, agency_leader, deputy, agency, now):
        delegation = delegate_leadership(agency_leader, deputy, agency, agency_leader, now)

        with nothing_written(), pytest.raises(ConflictError):
            services.delegation_revoke(delegation=delegation, actor=agency_leader, now=now + 8 * DAY)
