from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

import pytest

from vanthu.audit.models import AuditEvent
from vanthu.core.errors import ConflictError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import ValidationError
from vanthu.org import services
from vanthu.org.models import Agency
from vanthu.org.models import AgencyKind
from vanthu.org.models import Role
from vanthu.org.tests.checks import nothing_written
from vanthu.org.tests.checks import writes_audit_events
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import RoleAssignmentFactory
from vanthu.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def department(**overrides: Any) -> dict[str, Any]:
    fields = {
        "name": "Sở Giáo dục và Đào tạo",
        "abbreviation": "SGDĐT",
        "kind": AgencyKind.DEPARTMENT,
        "code_qcvn102": "000.00.10.H56",
        "place_name": "Thanh Hóa",
    }
    return {**fields, **overrides}


class TestAgencyCreate:
    def test_creates_a_department_under_the_province(self, province, province_admin, now):
        agency = services.agency_create(actor=province_admin, parent=province, now=now, **department())

        assert agency.parent == province
        assert agency.path == f"{province.path}{agency.pk}/"
        assert agency.name_folded == "so giao duc va dao tao"
        assert agency.valid_from == date(2026, 3, 10)
        assert agency.is_active

    def test_writes_one_audit_event_in_the_new_agencys_chain(self, province, province_admin, now):
        with writes_audit_events("org.agency.created") as events:
            agency = services.agency_create(actor=province_admin, parent=province, now=now, **department())

        event = events[0]
        assert event.agency_id == agency.pk
        assert event.actor_id == province_admin.pk
        assert event.target_id == str(agency.pk)
        assert event.data == {"name": "Sở Giáo dục và Đào tạo", "code": "000.00.10.H56", "parent_id": province.pk}

    def test_takes_the_start_date_in_vietnam_time(self, province, province_admin):
        late_evening_utc = datetime(2026, 3, 9, 20, 0, tzinfo=UTC)  # 03:00 on 10 March in Vietnam

        agency = services.agency_create(actor=province_admin, parent=province, now=late_evening_utc, **department())

        assert agency.valid_from == date(2026, 3, 10)

    def test_keeps_the_abbreviation_exactly_as_written(self, province, province_admin, now):
        agency = services.agency_create(actor=province_admin, parent=province, now=now, **department())

        agency.refresh_from_db()
        assert agency.abbreviation == "SGDĐT"

    def test_does_not_confuse_abbreviations_that_differ_only_by_a_mark(self, province, province_admin, now):
        services.agency_create(actor=province_admin, parent=province, now=now, **department())

        other = services.agency_create(
            actor=province_admin,
            parent=province,
            now=now,
            **department(name="Ban Giám sát Dự án Đầu tư", abbreviation="SGDDT", code_qcvn102="000.00.11.H56"),
        )

        assert other.abbreviation == "SGDDT"

    def test_lets_an_agency_administrator_create_below_their_agency(self, agency, admin, now):
        child = services.agency_create(
            actor=admin,
            parent=agency,
            now=now,
            **department(
                name="Trung tâm Tin học",
                abbreviation="TTTH",
                kind=AgencyKind.PUBLIC_SERVICE_UNIT,
                code_qcvn102="000.01.01.H56",
            ),
        )

        assert child.path.startswith(agency.path)

    def test_lets_a_superuser_create_a_root_agency(self, superuser, now):
        root = services.agency_create(
            actor=superuser,
            parent=None,
            now=now,
            **department(
                name="UBND tỉnh Nghệ An", abbreviation="UBND", kind=AgencyKind.PROVINCE, code_qcvn102="000.00.00.H40"
            ),
        )

        assert root.path == f"/{root.pk}/"

    def test_refuses_a_root_agency_to_a_province_administrator(self, province, province_admin, now):
        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.agency_create(
                actor=province_admin, parent=None, now=now, **department(code_qcvn102="000.00.00.H40")
            )

    def test_refuses_an_agency_administrator_outside_their_agency(self, province, admin, now):
        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.agency_create(actor=admin, parent=province, now=now, **department())

    @pytest.mark.parametrize("role_fixture", ["clerk", "agency_leader", "officer", "inspector", "outsider"])
    def test_refuses_people_who_are_not_administrators(self, request, province, agency, role_fixture, now):
        actor = request.getfixturevalue(role_fixture)

        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.agency_create(actor=actor, parent=agency, now=now, **department(code_qcvn102="000.01.01.H56"))

    @pytest.mark.parametrize(
        "code", ["000.00.00.56", "00.00.00.H56", "000.05.00.H56", "001.00.01.H56", "000.00.10.h56", "H56", ""]
    )
    def test_refuses_an_invalid_qcvn102_code(self, province, province_admin, code, now):
        with nothing_written(), pytest.raises(ValidationError) as caught:
            services.agency_create(actor=province_admin, parent=province, now=now, **department(code_qcvn102=code))

        assert "code_qcvn102" in caught.value.details["fields"]
        assert caught.value.http_status == 422

    def test_refuses_a_duplicate_abbreviation_under_one_parent(self, province, agency, province_admin, now):
        with nothing_written(), pytest.raises(ConflictError) as caught:
            services.agency_create(actor=province_admin, parent=province, now=now, **department(abbreviation="STC"))

        assert caught.value.details == {"field": "abbreviation"}
        assert caught.value.http_status == 409
        assert "STC" in str(caught.value.message)

    def test_allows_the_same_abbreviation_under_different_parents(
        self, province, agency, other_agency, province_admin, now
    ):
        first = services.agency_create(
            actor=province_admin,
            parent=agency,
            now=now,
            **department(name="Văn phòng Sở Tài chính", abbreviation="VP", code_qcvn102="000.01.01.H56"),
        )
        second = services.agency_create(
            actor=province_admin,
            parent=other_agency,
            now=now,
            **department(name="Văn phòng Sở Y tế", abbreviation="VP", code_qcvn102="000.01.02.H56"),
        )

        assert first.abbreviation == second.abbreviation == "VP"

    def test_refuses_a_second_root_with_the_same_abbreviation(self, province, superuser, now):
        with nothing_written(), pytest.raises(ConflictError):
            services.agency_create(
                actor=superuser, parent=None, now=now, **department(abbreviation="UBND", code_qcvn102="000.00.00.H40")
            )

    def test_refuses_a_code_another_agency_has(self, province, agency, province_admin, now):
        with nothing_written(), pytest.raises(ConflictError) as caught:
            services.agency_create(
                actor=province_admin, parent=province, now=now, **department(code_qcvn102=agency.code_qcvn102)
            )

        assert caught.value.details == {"field": "code_qcvn102"}

    @pytest.mark.parametrize(
        ("field", "value"),
        [("name", "   "), ("abbreviation", "S GD"), ("abbreviation", ""), ("kind", "COUNTY"), ("place_name", "")],
    )
    def test_refuses_missing_or_malformed_fields(self, province, province_admin, field, value, now):
        with nothing_written(), pytest.raises(ValidationError) as caught:
            services.agency_create(actor=province_admin, parent=province, now=now, **department(**{field: value}))

        assert field in caught.value.details["fields"]

    @pytest.mark.parametrize(
        ("field", "length"), [("name", 256), ("abbreviation", 33), ("place_name", 65), ("code_qd20", 33)]
    )
    def test_refuses_a_value_longer_than_its_column(self, province, province_admin, field, length, now):
        with nothing_written(), pytest.raises(ValidationError) as caught:
            services.agency_create(
                actor=province_admin, parent=province, now=now, **department(**{field: "Đ" * length})
            )

        assert field in caught.value.details["fields"]

    def test_refuses_a_parent_that_has_ceased(self, province, province_admin, now):
        ceased = AgencyFactory(parent=province, valid_to=date(2025, 6, 30))

        with nothing_written(), pytest.raises(ConflictError):
            services.agency_create(
                actor=province_admin, parent=ceased, now=now, **department(code_qcvn102="000.01.09.H56")
            )


class TestAgencyUpdate:
    def test_renames_and_records_what_changed(self, agency, province_admin, now):
        with writes_audit_events("org.agency.updated") as events:
            updated = services.agency_update(
                agency=agency, actor=province_admin, now=now, name="Sở Tài chính tỉnh Thanh Hóa"
            )

        assert updated.name_folded == "so tai chinh tinh thanh hoa"
        assert events[0].agency_id == agency.pk
        assert events[0].data == {"name": ["Sở Tài chính", "Sở Tài chính tỉnh Thanh Hóa"]}

    def test_lets_the_agencys_own_administrator_edit_it(self, agency, admin, now):
        updated = services.agency_update(agency=agency, actor=admin, now=now, place_name="Sầm Sơn")

        assert updated.place_name == "Sầm Sơn"

    @pytest.mark.parametrize("role_fixture", ["clerk", "agency_leader", "other_officer", "inspector", "outsider"])
    def test_refuses_people_who_do_not_administer_it(self, request, agency, role_fixture, now):
        actor = request.getfixturevalue(role_fixture)

        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.agency_update(agency=agency, actor=actor, now=now, name="Sở Tài chính mới")

    def test_refuses_an_abbreviation_a_sibling_uses(self, agency, other_agency, province_admin, now):
        with nothing_written(), pytest.raises(ConflictError):
            services.agency_update(agency=agency, actor=province_admin, now=now, abbreviation="SYT")

    def test_refuses_an_invalid_code(self, agency, province_admin, now):
        with nothing_written(), pytest.raises(ValidationError):
            services.agency_update(agency=agency, actor=province_admin, now=now, code_qcvn102="000.01.00.H56")

    def test_refuses_to_place_an_agency_under_itself(self, agency, province_admin, now):
        with nothing_written(), pytest.raises(ConflictError):
            services.agency_update(agency=agency, actor=province_admin, now=now, parent=agency)

    def test_refuses_to_place_an_agency_under_its_own_descendant(self, province, agency, province_admin, now):
        child = AgencyFactory(parent=agency)
        grandchild = AgencyFactory(parent=child)

        with nothing_written(), pytest.raises(ConflictError) as caught:
            services.agency_update(agency=agency, actor=province_admin, now=now, parent=grandchild)

        assert caught.value.details == {"field": "parent"}

    def test_moving_an_agency_moves_its_whole_subtree(self, province, agency, other_agency, province_admin, now):
        child = AgencyFactory(parent=agency)
        grandchild = AgencyFactory(parent=child)
        unrelated = AgencyFactory(parent=province)

        with writes_audit_events("org.agency.updated") as events:
            moved = services.agency_update(agency=agency, actor=province_admin, now=now, parent=other_agency)

        child.refresh_from_db()
        grandchild.refresh_from_db()
        unrelated_path = unrelated.path
        unrelated.refresh_from_db()
        assert moved.path == f"{other_agency.path}{agency.pk}/"
        assert Agency.objects.get(pk=agency.pk).path == moved.path
        assert child.path == f"{moved.path}{child.pk}/"
        assert grandchild.path == f"{child.path}{grandchild.pk}/"
        assert unrelated.path == unrelated_path
        assert events[0].data == {"parent_id": [province.pk, other_agency.pk]}

    def test_moving_needs_rights_over_the_new_parent(self, province, agency, admin, now):
        child = AgencyFactory(parent=agency)

        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.agency_update(agency=child, actor=admin, now=now, parent=province)

    def test_refuses_to_move_under_an_agency_that_has_ceased(self, province, agency, province_admin, now):
        ceased = AgencyFactory(parent=province, valid_to=date(2025, 6, 30))

        with nothing_written(), pytest.raises(ConflictError):
            services.agency_update(agency=agency, actor=province_admin, now=now, parent=ceased)


class TestAgencyDelete:
    def test_deletes_an_agency_created_by_mistake(self, province, province_admin, now):
        mistake = services.agency_create(actor=province_admin, parent=province, now=now, **department())

        with writes_audit_events("org.agency.deleted") as events:
            services.agency_delete(agency=mistake, actor=province_admin, now=now)

        assert not Agency.objects.filter(pk=mistake.pk).exists()
        assert events[0].agency_id == province.pk  # recorded in the parent's chain
        assert events[0].target_id == str(mistake.pk)
        assert AuditEvent.objects.filter(agency_id=mistake.pk, action="org.agency.created").exists()

    def test_refuses_an_agency_with_units(self, agency, province_admin, now):
        UnitFactory(agency=agency)

        with nothing_written(), pytest.raises(ConflictError):
            services.agency_delete(agency=agency, actor=province_admin, now=now)

        assert Agency.objects.filter(pk=agency.pk).exists()

    def test_refuses_an_agency_where_people_held_roles(self, province, province_admin, now):
        target = AgencyFactory(parent=province)
        RoleAssignmentFactory(agency=target, role=Role.OFFICER)

        with nothing_written(), pytest.raises(ConflictError):
            services.agency_delete(agency=target, actor=province_admin, now=now)

    def test_refuses_an_agency_with_sub_agencies(self, province, agency, province_admin, now):
        AgencyFactory(parent=agency)

        with nothing_written(), pytest.raises(ConflictError):
            services.agency_delete(agency=agency, actor=province_admin, now=now)

    def test_refuses_an_agency_with_audit_history(self, province, province_admin, now):
        target = services.agency_create(actor=province_admin, parent=province, now=now, **department())
        services.agency_update(agency=target, actor=province_admin, now=now, place_name="Sầm Sơn")

        with nothing_written(), pytest.raises(ConflictError):
            services.agency_delete(agency=target, actor=province_admin, now=now)

        assert Agency.objects.filter(pk=target.pk).exists()

    def test_refuses_an_agency_others_were_merged_into(self, province, province_admin, now):
        successor = AgencyFactory(parent=province)
        AgencyFactory(parent=province, valid_to=date(2025, 6, 30), successor=successor)

        with nothing_written(), pytest.raises(ConflictError):
            services.agency_delete(agency=successor, actor=province_admin, now=now)

    def test_refuses_someone_who_does_not_administer_it(self, province, province_admin, admin, now):
        target = services.agency_create(actor=province_admin, parent=province, now=now, **department())

        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.agency_delete(agency=target, actor=admin, now=now)


class TestAgencyUniquenessInTheDatabase:
    """The explicit checks give the message; the constraints still hold when two requests race."""

    @pytest.fixture(autouse=True)
    def skip_the_explicit_check(self, monkeypatch):
        from vanthu.org.services import agencies

        monkeypatch.setattr(agencies, "_check_unique", lambda agency: None)

    def test_a_duplicate_abbreviation_is_a_conflict(self, province, agency, province_admin, now):
        with nothing_written(), pytest.raises(ConflictError) as caught:
            services.agency_create(actor=province_admin, parent=province, now=now, **department(abbreviation="STC"))

        assert caught.value.details == {"field": "abbreviation"}

    def test_a_duplicate_root_abbreviation_is_a_conflict(self, province, superuser, now):
        with nothing_written(), pytest.raises(ConflictError) as caught:
            services.agency_create(
                actor=superuser, parent=None, now=now, **department(abbreviation="UBND", code_qcvn102="000.00.00.H40")
            )

        assert caught.value.details == {"field": "abbreviation"}

    def test_a_duplicate_code_is_a_conflict(self, province, agency, province_admin, now):
        with nothing_written(), pytest.raises(ConflictError) as caught:
            services.agency_create(
                actor=province_admin, parent=province, now=now, **department(code_qcvn102=agency.code_qcvn102)
            )

        assert caught.value.details == {"field": "code_qcvn102"}
