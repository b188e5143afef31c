from __future__ import annotations

from datetime import timedelta

import pytest

from vanthu.core.errors import ConflictError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import ValidationError
from vanthu.org import services
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.org.tests.checks import nothing_written
from vanthu.org.tests.checks import writes_audit_events
from vanthu.org.tests.factories import PersonFactory
from vanthu.org.tests.factories import PositionFactory
from vanthu.org.tests.factories import UnitFactory
from vanthu.org.tests.factories import person_with_role

pytestmark = pytest.mark.django_db


class TestPersonCreate:
    def test_creates_a_person_who_cannot_sign_in_until_given_a_password(self, agency, admin, now):
        with writes_audit_events("org.person.created") as events:
            person = services.person_create(
                agency=agency,
                username="nguyenthimai",
                full_name=" Nguyễn Thị Mai ",
                email="Mai.NT@ThanhHoa.gov.vn",
                actor=admin,
                now=now,
            )

        assert person.full_name == "Nguyễn Thị Mai"
        assert person.full_name_folded == "nguyen thi mai"
        assert person.email == "mai.nt@thanhhoa.gov.vn"
        assert not person.has_usable_password()
        assert events[0].agency_id == agency.pk
        assert events[0].data == {"username": "nguyenthimai", "full_name": "Nguyễn Thị Mai"}

    def test_sets_a_strong_password(self, agency, admin, now):
        person = services.person_create(
            agency=agency,
            username="lethanh",
            full_name="Lê Văn Thành",
            password="Hoa-sen-no-ruc-2026",
            actor=admin,
            now=now,
        )

        assert person.check_password("Hoa-sen-no-ruc-2026")

    def test_refuses_a_weak_password(self, agency, admin, now):
        with nothing_written(), pytest.raises(ValidationError):
            services.person_create(
                agency=agency, username="lethanh", full_name="Lê Văn Thành", password="12345678", actor=admin, now=now
            )

    def test_refuses_a_username_taken_in_another_case(self, agency, admin, clerk, now):
        with nothing_written(), pytest.raises(ConflictError) as caught:
            services.person_create(
                agency=agency, username=clerk.username.upper(), full_name="Lê Văn Thành", actor=admin, now=now
            )

        assert caught.value.details == {"field": "username"}

    def test_refuses_a_taken_username_written_with_spaces(self, agency, admin, clerk, now):
        with nothing_written(), pytest.raises(ConflictError):
            services.person_create(
                agency=agency, username=f" {clerk.username} ", full_name="Lê Văn Thành", actor=admin, now=now
            )

    def test_refuses_an_email_another_person_uses(self, agency, admin, clerk, now):
        with nothing_written(), pytest.raises(ConflictError) as caught:
            services.person_create(
                agency=agency,
                username="lethanh",
                full_name="Lê Văn Thành",
                email=clerk.email.upper(),
                actor=admin,
                now=now,
            )

        assert caught.value.details == {"field": "email"}

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"username": "lethanh", "full_name": "  "}, "full_name"),
            ({"username": "lethanh", "full_name": "Lê Văn Thành", "email": "not-an-address"}, "email"),
            ({"username": "lê.thành", "full_name": "Lê Văn Thành"}, "username"),
            ({"username": "lethanh", "full_name": "Đ" * 151}, "full_name"),
        ],
    )
    def test_refuses_invalid_fields(self, agency, admin, fields, field, now):
        with nothing_written(), pytest.raises(ValidationError) as caught:
            services.person_create(agency=agency, actor=admin, now=now, **fields)

        assert field in caught.value.details["fields"]

    @pytest.mark.parametrize("role_fixture", ["clerk", "agency_leader", "other_officer", "inspector", "outsider"])
    def test_refuses_people_who_do_not_administer_the_agency(self, request, agency, role_fixture, now):
        actor = request.getfixturevalue(role_fixture)

        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.person_create(agency=agency, username="lethanh", full_name="Lê Văn Thành", actor=actor, now=now)

    def test_refuses_an_administrator_of_another_agency(self, other_agency, admin, now):
        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.person_create(
                agency=other_agency, username="lethanh", full_name="Lê Văn Thành", actor=admin, now=now
            )


class TestPersonUpdate:
    def test_an_administrator_updates_a_person_of_their_agency(self, officer, admin, agency, now):
        with writes_audit_events("org.person.updated") as events:
            updated = services.person_update(
                person=officer, actor=admin, now=now, full_name="Hoàng Văn Chuyên", phone="0912345678"
            )

        assert updated.full_name_folded == "hoang van chuyen"
        assert events[0].agency_id == agency.pk
        assert events[0].data == {
            "full_name": ["Hoàng Văn Chuyên Viên", "Hoàng Văn Chuyên"],
            "phone": ["", "0912345678"],
        }

    def test_a_person_updates_themself(self, outsider, now):
        updated = services.person_update(person=outsider, actor=outsider, now=now, phone="0987654321")

        assert updated.phone == "0987654321"

    def test_refuses_someone_else(self, officer, clerk, now):
        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.person_update(person=officer, actor=clerk, now=now, full_name="Ai Đó")

    def test_refuses_an_email_another_person_uses(self, officer, clerk, admin, now):
        with nothing_written(), pytest.raises(ConflictError):
            services.person_update(person=officer, actor=admin, now=now, email=clerk.email)

    def test_refuses_a_malformed_email(self, officer, admin, now):
        with nothing_written(), pytest.raises(ValidationError) as caught:
            services.person_update(person=officer, actor=admin, now=now, email="khong-phai-email")

        assert "email" in caught.value.details["fields"]

    @pytest.mark.parametrize(("field", "value"), [("full_name", " "), ("full_name", "Đ" * 151), ("phone", "0" * 21)])
    def test_refuses_invalid_fields(self, officer, admin, field, value, now):
        with nothing_written(), pytest.raises(ValidationError) as caught:
            services.person_update(person=officer, actor=admin, now=now, **{field: value})

        assert field in caught.value.details["fields"]


class TestPersonDeactivate:
    def test_stops_sign_in_and_ends_open_roles(self, officer, admin, agency, now):
        with writes_audit_events("org.person.deactivated") as events:
            person = services.person_deactivate(person=officer, actor=admin, now=now)

        assert not Person.objects.get(pk=person.pk).is_active
        assert RoleAssignment.objects.get(person=officer).valid_to == now
        assert events[0].agency_id == agency.pk
        assert events[0].data == {"roles_ended": 1}

    def test_drops_a_role_that_had_not_started(self, agency, unit, admin, now):
        person = person_with_role(Role.OFFICER, agency, unit)
        RoleAssignment.objects.filter(person=person).update(valid_from=now + timedelta(days=3))

        services.person_deactivate(person=person, actor=admin, now=now)

        assert not RoleAssignment.objects.filter(person=person).exists()

    def test_refuses_to_deactivate_oneself(self, admin, now):
        with nothing_written(), pytest.raises(ConflictError):
            services.person_deactivate(person=admin, actor=admin, now=now)

    def test_refuses_an_account_already_deactivated(self, officer, admin, now):
        services.person_deactivate(person=officer, actor=admin, now=now)

        with nothing_written(), pytest.raises(ConflictError):
            services.person_deactivate(person=officer, actor=admin, now=now)

    def test_refuses_someone_who_does_not_administer_the_person(self, officer, other_officer, agency_leader, now):
        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.person_deactivate(person=officer, actor=agency_leader, now=now)


class TestRoleAssign:
    def test_gives_a_person_a_role_in_a_unit(self, agency, unit, admin, outsider, now):
        position = PositionFactory(name="Trưởng phòng", rank=10)

        with writes_audit_events("org.role.assigned") as events:
            assignment = services.role_assign(
                person=outsider,
                agency=agency,
                unit=unit,
                role=Role.UNIT_LEADER,
                position=position,
                actor=admin,
                now=now,
            )

        assert assignment.valid_from == now
        assert assignment.valid_to is None
        assert events[0].agency_id == agency.pk
        assert events[0].data == {"person_id": outsider.pk, "role": "UNIT_LEADER", "unit_id": unit.pk}

    def test_a_unit_leader_needs_a_unit(self, agency, admin, outsider, now):
        with nothing_written(), pytest.raises(ValidationError):
            services.role_assign(person=outsider, agency=agency, role=Role.UNIT_LEADER, actor=admin, now=now)

    def test_refuses_a_unit_of_another_agency(self, agency, other_agency, admin, outsider, now):
        foreign_unit = UnitFactory(agency=other_agency)

        with nothing_written(), pytest.raises(ValidationError):
            services.role_assign(
                person=outsider, agency=agency, unit=foreign_unit, role=Role.OFFICER, actor=admin, now=now
            )

    def test_refuses_a_role_the_person_already_holds_there(self, agency, admin, clerk, now):
        with nothing_written(), pytest.raises(ConflictError):
            services.role_assign(person=clerk, agency=agency, role=Role.CLERK, actor=admin, now=now)

    def test_allows_a_second_role_in_the_same_agency(self, agency, admin, clerk, now):
        assignment = services.role_assign(person=clerk, agency=agency, role=Role.ARCHIVIST, actor=admin, now=now)

        assert assignment.role == Role.ARCHIVIST

    def test_gives_a_role_again_after_it_ended(self, agency, admin, clerk, now):
        services.role_end(assignment=RoleAssignment.objects.get(person=clerk), actor=admin, now=now)

        again = services.role_assign(
            person=clerk, agency=agency, role=Role.CLERK, actor=admin, now=now + timedelta(days=1)
        )

        assert again.valid_to is None

    def test_refuses_an_agency_that_has_ceased(self, agency, admin, outsider, now):
        agency.valid_to = agency.valid_from
        agency.save()

        with nothing_written(), pytest.raises(ConflictError):
            services.role_assign(person=outsider, agency=agency, role=Role.OFFICER, actor=admin, now=now)

    def test_refuses_an_unknown_role(self, agency, admin, outsider, now):
        with nothing_written(), pytest.raises(ValidationError):
            services.role_assign(person=outsider, agency=agency, role="MAYOR", actor=admin, now=now)

    def test_refuses_a_deactivated_account(self, agency, admin, now):
        former = PersonFactory(is_active=False)

        with nothing_written(), pytest.raises(ConflictError):
            services.role_assign(person=former, agency=agency, role=Role.OFFICER, actor=admin, now=now)

    def test_refuses_an_administrator_of_another_agency(self, other_agency, admin, outsider, now):
        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.role_assign(person=outsider, agency=other_agency, role=Role.OFFICER, actor=admin, now=now)

    def test_refuses_a_leader_who_is_not_an_administrator(self, agency, agency_leader, outsider, now):
        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.role_assign(person=outsider, agency=agency, role=Role.OFFICER, actor=agency_leader, now=now)


class TestRoleEnd:
    def test_ends_a_running_role(self, agency, admin, clerk, now):
        assignment = RoleAssignment.objects.get(person=clerk)

        with writes_audit_events("org.role.ended") as events:
            ended = services.role_end(assignment=assignment, actor=admin, now=now)

        assert ended.valid_to == now
        assert events[0].data == {"person_id": clerk.pk, "role": "CLERK"}

    def test_refuses_a_role_already_ended(self, admin, clerk, now):
        assignment = RoleAssignment.objects.get(person=clerk)
        services.role_end(assignment=assignment, actor=admin, now=now)

        with nothing_written(), pytest.raises(ConflictError):
            services.role_end(assignment=assignment, actor=admin, now=now + timedelta(hours=1))

    def test_refuses_a_role_that_has_not_started(self, agency, admin, outsider, now):
        assignment = services.role_assign(
            person=outsider, agency=agency, role=Role.OFFICER, valid_from=now + timedelta(days=1), actor=admin, now=now
        )

        with nothing_written(), pytest.raises(ConflictError):
            services.role_end(assignment=assignment, actor=admin, now=now)

    def test_refuses_someone_who_does_not_administer_the_agency(self, clerk, other_officer, now):
        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.role_end(assignment=RoleAssignment.objects.get(person=clerk), actor=other_officer, now=now)
