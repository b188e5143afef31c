"""The 2025 reform end to end: two communes merged into a new ward."""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection

from vanthu.audit.models import AuditEvent
from vanthu.core.errors import ConflictError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import ValidationError
from vanthu.org import policies
from vanthu.org import selectors
from vanthu.org import services
from vanthu.org.grants import grants_for
from vanthu.org.models import Agency
from vanthu.org.models import AgencyKind
from vanthu.org.models import Delegation
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.org.signals import agency_merged
from vanthu.org.tests.checks import nothing_written
from vanthu.org.tests.checks import writes_audit_events
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import DelegationFactory
from vanthu.org.tests.factories import person_with_role

pytestmark = pytest.mark.django_db

REFORM = date(2025, 7, 1)


@pytest.fixture
def district(province: Any) -> Agency:
    return AgencyFactory(name="UBND huyện Đông Sơn", abbreviation="UBND-DS", kind=AgencyKind.DISTRICT, parent=province)


@pytest.fixture
def commune_a(district: Agency) -> Agency:
    return AgencyFactory(name="UBND xã Đông Hòa", abbreviation="UBND-DH", kind=AgencyKind.COMMUNE, parent=district)


@pytest.fixture
def commune_b(district: Agency) -> Agency:
    return AgencyFactory(name="UBND xã Đông Minh", abbreviation="UBND-DM", kind=AgencyKind.COMMUNE, parent=district)


@pytest.fixture
def ward(province: Any) -> Agency:
    return AgencyFactory(
        name="UBND phường Đông Sơn", abbreviation="UBND-PDS", kind=AgencyKind.WARD, parent=province, valid_from=REFORM
    )


@pytest.fixture
def receiver_calls() -> Any:
    calls: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        predecessor = kwargs["predecessor"]
        calls.append(
            {
                **kwargs,
                "sender": sender,
                "atomic_depth": len(connection.atomic_blocks),
                "stored_valid_to": Agency.objects.get(pk=predecessor.pk).valid_to,
            }
        )

    agency_merged.connect(receiver, dispatch_uid="test-merge-receiver")
    yield calls
    agency_merged.disconnect(dispatch_uid="test-merge-receiver")


def merge(predecessor: Agency, successor: Agency, actor: Any, now: Any, effective_date: date = REFORM) -> Agency:
    return services.agency_merge(
        predecessor=predecessor, successor=successor, actor=actor, effective_date=effective_date, now=now
    )


class TestAgencyMerge:
    def test_the_predecessor_ends_the_day_before_and_points_to_its_successor(
        self, commune_a, ward, province_admin, now
    ):
        merged = merge(commune_a, ward, province_admin, now)

        commune_a.refresh_from_db()
        assert merged.valid_to == commune_a.valid_to == date(2025, 6, 30)
        assert commune_a.successor == ward
        assert not commune_a.is_active

    def test_two_communes_merge_into_one_ward(self, commune_a, commune_b, ward, province_admin, now):
        merge(commune_a, ward, province_admin, now)
        merge(commune_b, ward, province_admin, now)

        assert set(ward.predecessors.all()) == {commune_a, commune_b}

    def test_ends_the_roles_and_delegations_held_in_the_predecessor(self, commune_a, ward, province_admin, now):
        chairman = person_with_role(Role.AGENCY_LEADER, commune_a)
        deputy = person_with_role(Role.OFFICER, commune_a)
        delegation = DelegationFactory(delegator=chairman, delegate=deputy, agency=commune_a, role=Role.AGENCY_LEADER)

        merge(commune_a, ward, province_admin, now)

        assert RoleAssignment.objects.get(person=chairman).valid_to == now
        assert Delegation.objects.get(pk=delegation.pk).revoked_at == now
        assert grants_for(chairman, now) == frozenset()
        assert grants_for(deputy, now) == frozenset()

    def test_drops_a_role_in_the_predecessor_that_had_not_started(self, commune_a, ward, province_admin, now):
        newcomer = person_with_role(Role.OFFICER, commune_a)
        RoleAssignment.objects.filter(person=newcomer).update(valid_from=now + timedelta(days=7))

        merged = merge(commune_a, ward, province_admin, now)

        assert merged.valid_to == date(2025, 6, 30)
        assert not RoleAssignment.objects.filter(person=newcomer).exists()

    def test_writes_an_event_in_each_agencys_chain(self, commune_a, ward, province_admin, now):
        with writes_audit_events("org.agency.merged", "org.agency.received_merge") as events:
            merge(commune_a, ward, province_admin, now)

        merged, received = events
        assert merged.agency_id == commune_a.pk
        assert merged.data["successor_id"] == ward.pk
        assert merged.data["effective_date"] == "2025-07-01"
        assert received.agency_id == ward.pk
        assert received.data == {"predecessor_id": commune_a.pk, "predecessor": "UBND xã Đông Hòa"}
        assert merged.chain != received.chain

    def test_announces_the_merge_once_inside_the_transaction(
        self, commune_a, ward, province_admin, now, receiver_calls
    ):
        depth_outside = len(connection.atomic_blocks)

        merge(commune_a, ward, province_admin, now)

        assert len(receiver_calls) == 1
        call = receiver_calls[0]
        assert call["sender"] is Agency
        assert call["predecessor"] == commune_a
        assert call["successor"] == ward
        assert call["actor"] == province_admin
        assert call["now"] == now
        assert call["atomic_depth"] > depth_outside
        assert call["stored_valid_to"] == date(2025, 6, 30)

    def test_a_failing_receiver_undoes_the_whole_merge(self, commune_a, ward, province_admin, now):
        def failing(sender: Any, **kwargs: Any) -> None:
            raise ConflictError("open work could not be moved")

        agency_merged.connect(failing, dispatch_uid="test-failing-receiver")
        try:
            with nothing_written(), pytest.raises(ConflictError):
                merge(commune_a, ward, province_admin, now)
        finally:
            agency_merged.disconnect(dispatch_uid="test-failing-receiver")

    def test_the_old_agency_stays_readable_under_its_old_name(self, commune_a, ward, province_admin, now):
        ward_officer = person_with_role(Role.OFFICER, ward)

        merge(commune_a, ward, province_admin, now)

        old = selectors.agency_get_for(person=ward_officer, pk=commune_a.pk, now=now)
        assert old.name == "UBND xã Đông Hòa"
        assert old.successor == ward
        assert commune_a.pk in {a.pk for a in selectors.agency_list_for(person=ward_officer, now=now, query="dong hoa")}
        assert commune_a.pk not in {
            a.pk for a in selectors.agency_list_for(person=ward_officer, now=now, include_ceased=False)
        }

    def test_the_old_agencys_history_stays(self, commune_a, ward, province_admin, now):
        services.unit_create(
            agency=commune_a, name="Văn phòng HĐND và UBND", abbreviation="VP", actor=province_admin, now=now
        )

        merge(commune_a, ward, province_admin, now)

        history = AuditEvent.objects.filter(agency_id=commune_a.pk).order_by("seq")
        assert [event.action for event in history] == ["org.unit.created", "org.agency.merged"]

    def test_new_work_goes_to_the_successor(self, commune_a, ward, province_admin, now):
        merge(commune_a, ward, province_admin, now)

        assert selectors.agency_current(commune_a) == ward
        assert selectors.agency_current(ward) == ward

    def test_follows_successive_merges_to_the_agency_of_today(self, province, commune_a, ward, province_admin, now):
        city = AgencyFactory(
            name="UBND phường Hạc Thành", kind=AgencyKind.WARD, parent=province, valid_from=date(2025, 8, 1)
        )
        merge(commune_a, ward, province_admin, now)
        merge(ward, city, province_admin, now, effective_date=date(2025, 8, 1))

        assert selectors.agency_current(commune_a) == city

    def test_the_ceased_agency_takes_no_new_roles_or_units(self, commune_a, ward, province_admin, officer, now):
        merge(commune_a, ward, province_admin, now)

        with nothing_written():
            with pytest.raises(ConflictError):
                services.role_assign(person=officer, agency=commune_a, role=Role.OFFICER, actor=province_admin, now=now)
            with pytest.raises(ConflictError):
                services.unit_create(
                    agency=commune_a, name="Phòng Kinh tế", abbreviation="KT", actor=province_admin, now=now
                )

    def test_people_of_the_successor_see_the_predecessors_people(self, commune_a, ward, province_admin, now):
        former_clerk = person_with_role(Role.CLERK, commune_a)
        ward_clerk = person_with_role(Role.CLERK, ward)
        assert not policies.can_view_person(ward_clerk, former_clerk, now)

        merge(commune_a, ward, province_admin, now)

        assert policies.can_view_person(ward_clerk, former_clerk, now)
        assert former_clerk in policies.people_visible_to(ward_clerk, now)

    def test_the_successors_administrator_manages_the_predecessor(self, commune_a, ward, province_admin, now):
        ward_admin = person_with_role(Role.ADMIN, ward)

        merge(commune_a, ward, province_admin, now)

        assert policies.can_manage_agency(ward_admin, commune_a, now)


class TestAgencyMergeRefusals:
    def test_refuses_to_merge_an_agency_into_itself(self, commune_a, province_admin, now):
        with nothing_written(), pytest.raises(ValidationError):
            merge(commune_a, commune_a, province_admin, now)

    def test_refuses_a_successor_that_has_ceased(self, commune_a, commune_b, ward, province_admin, now):
        merge(commune_b, ward, province_admin, now)

        with nothing_written(), pytest.raises(ConflictError):
            merge(commune_a, commune_b, province_admin, now)

    def test_refuses_an_agency_that_has_already_ceased(self, commune_a, ward, province, province_admin, now):
        merge(commune_a, ward, province_admin, now)
        other_ward = AgencyFactory(parent=province, kind=AgencyKind.WARD)

        with nothing_written(), pytest.raises(ConflictError):
            merge(commune_a, other_ward, province_admin, now)

    def test_refuses_a_predecessor_with_active_sub_agencies(self, district, commune_a, ward, province_admin, now):
        with nothing_written(), pytest.raises(ConflictError):
            merge(district, ward, province_admin, now)

    def test_accepts_a_predecessor_whose_sub_agencies_have_all_ceased(
        self, district, commune_a, commune_b, ward, province_admin, now
    ):
        merge(commune_a, ward, province_admin, now)
        merge(commune_b, ward, province_admin, now)

        merged = merge(district, ward, province_admin, now)

        assert merged.successor == ward

    def test_refuses_a_successor_inside_the_predecessor(self, district, commune_a, commune_b, province_admin, now):
        merge(commune_b, commune_a, province_admin, now)

        with nothing_written(), pytest.raises(ConflictError):
            merge(district, commune_a, province_admin, now)

    def test_refuses_a_date_before_the_agency_began(self, commune_a, ward, province_admin, now):
        with nothing_written(), pytest.raises(ValidationError):
            merge(commune_a, ward, province_admin, now, effective_date=commune_a.valid_from)

    def test_refuses_a_date_before_the_successor_began(self, commune_a, ward, province_admin, now):
        with nothing_written(), pytest.raises(ValidationError):
            merge(commune_a, ward, province_admin, now, effective_date=REFORM - timedelta(days=1))

    def test_refuses_an_administrator_of_only_one_side(self, commune_a, ward, now):
        ward_admin = person_with_role(Role.ADMIN, ward)

        with nothing_written(), pytest.raises(PermissionDeniedError):
            merge(commune_a, ward, ward_admin, now)

    @pytest.mark.parametrize("role_fixture", ["clerk", "agency_leader", "inspector", "outsider"])
    def test_refuses_people_who_are_not_administrators(self, request, commune_a, ward, role_fixture, now):
        actor = request.getfixturevalue(role_fixture)

        with nothing_written(), pytest.raises(PermissionDeniedError):
            merge(commune_a, ward, actor, now)
