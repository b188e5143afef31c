"""The role × agency matrix of the organisation's policies (ARCHITECTURE.md §9)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PermissionDeniedError
from vanthu.org import policies
from vanthu.org import selectors
from vanthu.org.models import Agency
from vanthu.org.models import Role
from vanthu.org.tests.factories import DelegationFactory
from vanthu.org.tests.factories import person_with_role

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)

AGENCY_PEOPLE = ["clerk", "agency_leader", "unit_leader", "officer", "archivist", "onestop_officer", "admin"]
PROVINCE_PEOPLE = ["inspector", "province_admin"]
EVERYONE = [*AGENCY_PEOPLE, *PROVINCE_PEOPLE, "other_officer", "outsider", "superuser"]
PLACES = ["own", "other", "province"]

HOME = {
    **dict.fromkeys(AGENCY_PEOPLE, "own"),
    **dict.fromkeys(PROVINCE_PEOPLE, "province"),
    "other_officer": "other",
    "outsider": None,
    "superuser": None,
}


@pytest.fixture
def cast(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {name: request.getfixturevalue(name) for name in EVERYONE}


@pytest.fixture
def places(agency: Agency, other_agency: Agency, province: Agency) -> dict[str, Agency]:
    return {"own": agency, "other": other_agency, "province": province}


def manages(role: str, place: str) -> bool:
    return role in {"superuser", "province_admin"} or (role == "admin" and place == "own")


def sees_person(viewer: str, target: str) -> bool:
    if viewer in {target, "superuser"}:
        return True
    if HOME[target] is None or HOME[viewer] is None:
        return False
    if viewer in PROVINCE_PEOPLE:  # INSPECTOR and ADMIN of the province: its whole tree
        return True
    return HOME[viewer] == HOME[target]


class TestAgencyPolicies:
    @pytest.mark.parametrize("role", EVERYONE)
    @pytest.mark.parametrize("place", PLACES)
    def test_can_view_agency(self, cast, places, role, place, now):
        expected = role != "outsider"

        assert policies.can_view_agency(cast[role], places[place], now) is expected
        assert (places[place] in policies.agencies_visible_to(cast[role], now)) is expected

    @pytest.mark.parametrize("role", EVERYONE)
    @pytest.mark.parametrize("place", PLACES)
    def test_can_manage_agency(self, cast, places, role, place, now):
        assert policies.can_manage_agency(cast[role], places[place], now) is manages(role, place)

    @pytest.mark.parametrize("role", EVERYONE)
    @pytest.mark.parametrize("place", PLACES)
    def test_can_create_agency_under(self, cast, places, role, place, now):
        assert policies.can_create_agency(cast[role], places[place], now) is manages(role, place)

    @pytest.mark.parametrize("role", EVERYONE)
    def test_only_a_superuser_creates_a_root_agency(self, cast, role, now):
        assert policies.can_create_agency(cast[role], None, now) is (role == "superuser")

    def test_an_anonymous_visitor_sees_no_agency(self, places, now):
        assert not policies.can_view_agency(AnonymousUser(), places["own"], now)
        assert not policies.agencies_visible_to(AnonymousUser(), now).exists()

    def test_an_agency_a_person_may_not_see_is_not_found(self, outsider, agency, now):
        with pytest.raises(NotFoundError):
            selectors.agency_get_for(person=outsider, pk=agency.pk, now=now)

    def test_an_administrator_manages_the_sub_agencies_of_their_agency(self, admin, agency, now):
        from vanthu.org.tests.factories import AgencyFactory

        child = AgencyFactory(parent=agency)

        assert policies.can_manage_agency(admin, child, now)

    def test_require_manage_agency_says_no_with_a_permission_error(self, clerk, agency, now):
        with pytest.raises(PermissionDeniedError):
            policies.require_manage_agency(clerk, agency, now)


class TestPeoplePolicies:
    @pytest.mark.parametrize("viewer", EVERYONE)
    def test_can_view_person_follows_the_matrix(self, cast, viewer, now):
        seen = {target for target in EVERYONE if policies.can_view_person(cast[viewer], cast[target], now)}

        assert seen == {target for target in EVERYONE if sees_person(viewer, target)}

    @pytest.mark.parametrize("viewer", EVERYONE)
    def test_the_predicate_and_the_queryset_agree_for_every_pair(self, cast, viewer, now):
        visible = set(policies.people_visible_to(cast[viewer], now).values_list("pk", flat=True))

        for target in EVERYONE:
            person = cast[target]
            assert policies.can_view_person(cast[viewer], person, now) is (person.pk in visible), (viewer, target)

    @pytest.mark.parametrize("viewer", EVERYONE)
    def test_a_person_not_visible_is_not_found(self, cast, viewer, now):
        for target in EVERYONE:
            if sees_person(viewer, target):
                assert selectors.person_get_for(viewer=cast[viewer], pk=cast[target].pk, now=now) == cast[target]
            else:
                with pytest.raises(NotFoundError):
                    selectors.person_get_for(viewer=cast[viewer], pk=cast[target].pk, now=now)

    @pytest.mark.parametrize("actor", EVERYONE)
    def test_can_manage_person(self, cast, actor, now):
        managed = {target for target in EVERYONE if policies.can_manage_person(cast[actor], cast[target], now)}

        if actor == "superuser":
            expected = set(EVERYONE)
        elif actor == "province_admin":
            expected = {target for target in EVERYONE if HOME[target] is not None}
        elif actor == "admin":
            expected = set(AGENCY_PEOPLE)
        else:
            expected = set()
        assert managed == expected

    def test_an_anonymous_visitor_sees_nobody(self, cast, now):
        assert not policies.people_visible_to(AnonymousUser(), now).exists()
        assert not policies.can_view_person(AnonymousUser(), cast["clerk"], now)

    def test_a_former_colleague_stays_visible(self, clerk, officer, now):
        from vanthu.org.models import RoleAssignment

        RoleAssignment.objects.filter(person=officer).update(valid_to=now - DAY)

        assert policies.can_view_person(clerk, officer, now)
        assert officer in policies.people_visible_to(clerk, now)


class TestDelegatePolicy:
    @pytest.mark.parametrize("role", EVERYONE)
    def test_who_may_delegate_the_agency_leaders_role(self, cast, agency, role, now):
        allowed = policies.can_delegate(
            cast[role], delegator=cast["agency_leader"], agency=agency, role=Role.AGENCY_LEADER, now=now
        )

        assert allowed is (role in {"agency_leader", "admin", "province_admin", "superuser"})

    @pytest.mark.parametrize("role", [name for name in EVERYONE if HOME[name] is not None])
    @pytest.mark.parametrize("place", PLACES)
    def test_a_holder_delegates_only_a_role_held_in_that_agency(self, cast, places, role, place, now):
        person = cast[role]
        held = person.roles.get()

        allowed = policies.can_delegate(person, delegator=person, agency=places[place], role=held.role, now=now)

        assert allowed is (HOME[role] == place or manages(role, place))

    def test_a_delegated_admin_role_lets_the_delegate_manage_for_its_period(self, admin, agency, now):
        deputy = person_with_role(Role.OFFICER, agency)
        DelegationFactory(
            delegator=admin, delegate=deputy, agency=agency, role=Role.ADMIN, starts_at=now - DAY, ends_at=now + DAY
        )

        assert policies.can_manage_agency(deputy, agency, now)
        assert not policies.can_manage_agency(deputy, agency, now + 2 * DAY)

    def test_a_delegated_inspector_role_shows_the_people_of_its_scope(
        self, inspector, other_officer, agency, province, now
    ):
        deputy = person_with_role(Role.OFFICER, agency)
        DelegationFactory(
            delegator=inspector,
            delegate=deputy,
            agency=province,
            role=Role.INSPECTOR,
            starts_at=now - DAY,
            ends_at=now + DAY,
        )

        assert policies.can_view_person(deputy, other_officer, now)
        assert not policies.can_view_person(deputy, other_officer, now + 2 * DAY)

    def test_a_delegated_role_may_not_be_delegated_on(self, agency_leader, agency, now):
        deputy = person_with_role(Role.OFFICER, agency)
        DelegationFactory(
            delegator=agency_leader, delegate=deputy, agency=agency, starts_at=now - DAY, ends_at=now + DAY
        )

        assert not policies.can_delegate(deputy, delegator=deputy, agency=agency, role=Role.AGENCY_LEADER, now=now)
