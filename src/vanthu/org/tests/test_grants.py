from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from vanthu.org.grants import Grant
from vanthu.org.grants import agency_ids_in_subtrees
from vanthu.org.grants import agency_ids_with_predecessors
from vanthu.org.grants import grants_cached
from vanthu.org.grants import grants_for
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import DelegationFactory
from vanthu.org.tests.factories import RoleAssignmentFactory
from vanthu.org.tests.factories import person_with_role

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def deputy(agency: Any) -> Person:
    return person_with_role(Role.OFFICER, agency, full_name="Nguyễn Văn Phó")


def leadership(agency: Any) -> Grant:
    return Grant(agency.pk, None, Role.AGENCY_LEADER)


def delegated_leadership(agency: Any, leader: Any) -> Grant:
    return Grant(agency.pk, None, Role.AGENCY_LEADER, leader.pk)


class TestGrantsFor:
    def test_gives_the_roles_a_person_holds(self, unit_leader, agency, unit, now):
        assert grants_for(unit_leader, now) == frozenset({Grant(agency.pk, unit.pk, Role.UNIT_LEADER)})

    def test_leaves_out_a_role_that_has_ended(self, clerk, now):
        RoleAssignment.objects.filter(person=clerk).update(valid_to=now)

        assert grants_for(clerk, now) == frozenset()

    def test_leaves_out_a_role_that_has_not_started(self, agency, outsider, now):
        RoleAssignmentFactory(person=outsider, agency=agency, role=Role.CLERK, valid_from=now + DAY)

        assert grants_for(outsider, now) == frozenset()

    def test_gives_nothing_to_a_deactivated_account(self, clerk, now):
        clerk.is_active = False
        clerk.save()

        assert grants_for(clerk, now) == frozenset()

    def test_gives_nothing_to_an_anonymous_visitor(self, now):
        assert grants_for(AnonymousUser(), now) == frozenset()

    def test_adds_an_active_delegation(self, agency_leader, deputy, agency, now):
        DelegationFactory(
            delegator=agency_leader, delegate=deputy, agency=agency, starts_at=now - DAY, ends_at=now + DAY
        )

        assert delegated_leadership(agency, agency_leader) in grants_for(deputy, now)
        assert Grant(agency.pk, None, Role.OFFICER) in grants_for(deputy, now)

    def test_a_delegation_counts_from_its_first_instant(self, agency_leader, deputy, agency, now):
        DelegationFactory(delegator=agency_leader, delegate=deputy, agency=agency, starts_at=now, ends_at=now + DAY)

        assert delegated_leadership(agency, agency_leader) in grants_for(deputy, now)

    def test_leaves_out_an_expired_delegation(self, agency_leader, deputy, agency, now):
        DelegationFactory(delegator=agency_leader, delegate=deputy, agency=agency, starts_at=now - 2 * DAY, ends_at=now)

        assert delegated_leadership(agency, agency_leader) not in grants_for(deputy, now)

    def test_leaves_out_a_revoked_delegation(self, agency_leader, deputy, agency, now):
        DelegationFactory(
            delegator=agency_leader,
            delegate=deputy,
            agency=agency,
            starts_at=now - DAY,
            ends_at=now + DAY,
            revoked_at=now - DAY / 2,
        )

        assert delegated_leadership(agency, agency_leader) not in grants_for(deputy, now)

    def test_leaves_out_a_future_delegation(self, agency_leader, deputy, agency, now):
        DelegationFactory(
            delegator=agency_leader, delegate=deputy, agency=agency, starts_at=now + DAY, ends_at=now + 2 * DAY
        )

        assert delegated_leadership(agency, agency_leader) not in grants_for(deputy, now)

    def test_a_delegation_gives_nothing_once_the_delegator_lost_the_role(self, agency_leader, deputy, agency, now):
        DelegationFactory(
            delegator=agency_leader, delegate=deputy, agency=agency, starts_at=now - DAY, ends_at=now + DAY
        )
        RoleAssignment.objects.filter(person=agency_leader).update(valid_to=now - DAY / 2)

        assert grants_for(deputy, now) == frozenset({Grant(agency.pk, None, Role.OFFICER)})

    def test_a_delegation_gives_nothing_once_the_delegators_account_is_deactivated(
        self, agency_leader, deputy, agency, now
    ):
        DelegationFactory(
            delegator=agency_leader, delegate=deputy, agency=agency, starts_at=now - DAY, ends_at=now + DAY
        )
        Person.objects.filter(pk=agency_leader.pk).update(is_active=False)

        assert delegated_leadership(agency, agency_leader) not in grants_for(deputy, now)

    def test_a_delegation_of_a_role_held_elsewhere_gives_nothing(self, agency_leader, deputy, other_agency, now):
        DelegationFactory(
            delegator=agency_leader, delegate=deputy, agency=other_agency, starts_at=now - DAY, ends_at=now + DAY
        )

        assert all(grant.agency_id != other_agency.pk for grant in grants_for(deputy, now))

    def test_a_deactivated_delegate_gets_nothing(self, agency_leader, deputy, agency, now):
        DelegationFactory(
            delegator=agency_leader, delegate=deputy, agency=agency, starts_at=now - DAY, ends_at=now + DAY
        )
        deputy.is_active = False

        assert grants_for(deputy, now) == frozenset()


class TestGrantsCachedForARequest:
    def test_answers_each_moment_for_itself(self, agency_leader, deputy, agency, now):
        DelegationFactory(
            delegator=agency_leader, delegate=deputy, agency=agency, starts_at=now - DAY, ends_at=now + DAY
        )

        with grants_cached():
            assert delegated_leadership(agency, agency_leader) in grants_for(deputy, now)
            assert delegated_leadership(agency, agency_leader) not in grants_for(deputy, now + 2 * DAY)

    def test_a_change_through_a_service_is_seen_in_the_same_request(self, agency, admin, outsider, now):
        from vanthu.org import services

        with grants_cached():
            assert grants_for(outsider, now) == frozenset()
            services.role_assign(person=outsider, agency=agency, role=Role.CLERK, actor=admin, now=now)

            assert grants_for(outsider, now) == frozenset({Grant(agency.pk, None, Role.CLERK)})


class TestAgencyScopes:
    def test_a_subtree_holds_every_descendant_and_nothing_else(self, province, agency, other_agency):
        child = AgencyFactory(parent=agency)
        grandchild = AgencyFactory(parent=child)

        assert agency_ids_in_subtrees({agency.pk}) == {agency.pk, child.pk, grandchild.pk}
        assert agency_ids_in_subtrees({province.pk}) == {
            province.pk,
            agency.pk,
            other_agency.pk,
            child.pk,
            grandchild.pk,
        }
        assert agency_ids_in_subtrees(set()) == set()

    def test_a_subtree_does_not_take_an_agency_whose_path_starts_alike(self, province):
        first = AgencyFactory(parent=province)
        lookalike = AgencyFactory(parent=province)
        Agency.objects.filter(pk=lookalike.pk).update(path=f"{first.path.rstrip('/')}9/")  # "/1/5/" and "/1/59/"

        assert agency_ids_in_subtrees({first.pk}) == {first.pk}

    def test_predecessors_are_followed_through_every_merge(self, province):
        today = AgencyFactory(parent=province)
        middle = AgencyFactory(parent=province, successor=today)
        oldest = AgencyFactory(parent=province, successor=middle)

        assert agency_ids_with_predecessors({today.pk}) == {today.pk, middle.pk, oldest.pk}
        assert agency_ids_with_predecessors({middle.pk}) == {middle.pk, oldest.pk}
