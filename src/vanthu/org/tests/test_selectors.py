from __future__ import annotations

from datetime import timedelta

import pytest

from vanthu.core.errors import NotFoundError
from vanthu.org import selectors
from vanthu.org.models import Agency
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import DelegationFactory
from vanthu.org.tests.factories import person_with_role

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


class TestAgencyListFor:
    def test_finds_an_agency_by_its_folded_name(self, officer, province, now):
        found = selectors.agency_list_for(person=officer, now=now, query="thanh hoa")

        assert list(found) == [province]

    def test_finds_an_agency_by_name_with_marks_and_capitals(self, officer, agency, now):
        assert list(selectors.agency_list_for(person=officer, now=now, query="SỞ TÀI CHÍNH")) == [agency]

    def test_finds_an_agency_by_abbreviation_or_code(self, officer, agency, other_agency, now):
        assert list(selectors.agency_list_for(person=officer, now=now, query="syt")) == [other_agency]
        assert list(selectors.agency_list_for(person=officer, now=now, code="000.00.01.H56")) == [agency]

    def test_finds_an_agency_by_its_qd20_code(self, officer, agency, now):
        Agency.objects.filter(pk=agency.pk).update(code_qd20="G12.34.56")

        assert list(selectors.agency_list_for(person=officer, now=now, code="G12.34.56")) == [agency]

    def test_lists_the_children_of_a_parent_or_the_roots(self, officer, province, agency, other_agency, now):
        assert set(selectors.agency_list_for(person=officer, now=now, parent_id=province.pk)) == {agency, other_agency}
        assert list(selectors.agency_list_for(person=officer, now=now, roots_only=True)) == [province]

    def test_leaves_out_ceased_agencies_on_request(self, officer, province, agency, now):
        ceased = AgencyFactory(parent=province, valid_to=province.valid_from, successor=agency)

        assert ceased in selectors.agency_list_for(person=officer, now=now)
        assert ceased not in selectors.agency_list_for(person=officer, now=now, include_ceased=False)

    def test_an_outsider_gets_an_empty_list(self, outsider, agency, now):
        assert not selectors.agency_list_for(person=outsider, now=now).exists()


class TestAgencyGetFor:
    def test_returns_a_visible_agency(self, clerk, other_agency, now):
        assert selectors.agency_get_for(person=clerk, pk=other_agency.pk, now=now) == other_agency

    def test_an_unknown_agency_is_not_found(self, clerk, now):
        with pytest.raises(NotFoundError):
            selectors.agency_get_for(person=clerk, pk=999_999, now=now)


class TestPersonListFor:
    def test_lists_the_colleagues_found_by_folded_name(self, clerk, officer, other_officer, now):
        found = selectors.person_list_for(viewer=clerk, now=now, query="hoang van")

        assert list(found) == [officer]

    def test_leaves_out_deactivated_accounts(self, clerk, officer, now):
        officer.is_active = False
        officer.save()

        assert officer not in selectors.person_list_for(viewer=clerk, now=now)

    def test_filters_by_agency_without_duplicates(self, province_admin, clerk, agency, now):
        RoleAssignment.objects.create(person=clerk, agency=agency, role=Role.ARCHIVIST, valid_from=now - DAY)

        assert list(selectors.person_list_for(viewer=province_admin, now=now, agency_id=agency.pk)).count(clerk) == 1


class TestRolesAndDelegations:
    def test_roles_of_lists_running_roles_only(self, clerk, agency, now):
        RoleAssignment.objects.create(person=clerk, agency=agency, role=Role.ARCHIVIST, valid_from=now + DAY)

        assert [assignment.role for assignment in selectors.roles_of(person=clerk, now=now)] == [Role.CLERK]

    def test_delegations_received_lists_the_running_ones(self, agency_leader, agency, now):
        deputy = person_with_role(Role.OFFICER, agency)
        running = DelegationFactory(
            delegator=agency_leader, delegate=deputy, agency=agency, starts_at=now - DAY, ends_at=now + DAY
        )
        DelegationFactory(
            delegator=agency_leader, delegate=deputy, agency=agency, starts_at=now + 2 * DAY, ends_at=now + 3 * DAY
        )

        assert list(selectors.delegations_received(person=deputy, now=now)) == [running]
        assert selectors.has_role(person=deputy, role=Role.AGENCY_LEADER, now=now)
        assert not selectors.has_role(person=deputy, role=Role.AGENCY_LEADER, now=now + 1.5 * DAY)
