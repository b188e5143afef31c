from __future__ import annotations

import pytest

from vanthu.core.errors import ConflictError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import ValidationError
from vanthu.org import services
from vanthu.org.tests.checks import nothing_written
from vanthu.org.tests.checks import writes_audit_events

pytestmark = pytest.mark.django_db


class TestUnitCreate:
    def test_creates_a_unit_in_the_agency(self, agency, admin, now):
        with writes_audit_events("org.unit.created") as events:
            unit = services.unit_create(
                agency=agency, name=" Phòng Tin học ", abbreviation=" TH ", actor=admin, now=now
            )

        assert (unit.name, unit.abbreviation, unit.is_active) == ("Phòng Tin học", "TH", True)
        assert events[0].agency_id == agency.pk
        assert events[0].data == {"name": "Phòng Tin học", "abbreviation": "TH"}

    def test_refuses_an_abbreviation_the_agency_already_uses(self, agency, unit, admin, now):
        with nothing_written(), pytest.raises(ConflictError) as caught:
            services.unit_create(
                agency=agency, name="Phòng Nông sản", abbreviation=unit.abbreviation, actor=admin, now=now
            )

        assert caught.value.details == {"field": "abbreviation"}

    def test_allows_the_same_abbreviation_in_another_agency(self, agency, other_agency, unit, province_admin, now):
        other = services.unit_create(
            agency=other_agency, name="Phòng Nghiệp vụ", abbreviation=unit.abbreviation, actor=province_admin, now=now
        )

        assert other.abbreviation == unit.abbreviation

    @pytest.mark.parametrize(
        ("name", "abbreviation"), [("", "TH"), ("Phòng Tin học", " "), ("Đ" * 256, "TH"), ("Phòng Tin học", "T" * 33)]
    )
    def test_refuses_a_missing_or_overlong_name_or_abbreviation(self, agency, admin, name, abbreviation, now):
        with nothing_written(), pytest.raises(ValidationError):
            services.unit_create(agency=agency, name=name, abbreviation=abbreviation, actor=admin, now=now)

    def test_refuses_an_agency_that_has_ceased(self, agency, admin, now):
        agency.valid_to = agency.valid_from
        agency.save()

        with nothing_written(), pytest.raises(ConflictError):
            services.unit_create(agency=agency, name="Phòng Tin học", abbreviation="TH", actor=admin, now=now)

    @pytest.mark.parametrize("role_fixture", ["clerk", "unit_leader", "other_officer", "outsider"])
    def test_refuses_people_who_do_not_administer_the_agency(self, request, agency, role_fixture, now):
        actor = request.getfixturevalue(role_fixture)

        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.unit_create(agency=agency, name="Phòng Tin học", abbreviation="TH", actor=actor, now=now)


class TestUnitUpdate:
    def test_renames_and_closes_a_unit(self, unit, admin, now):
        with writes_audit_events("org.unit.updated") as events:
            updated = services.unit_update(
                unit=unit, actor=admin, now=now, name="Phòng Ngân sách Nhà nước", is_active=False
            )

        assert (updated.name, updated.is_active) == ("Phòng Ngân sách Nhà nước", False)
        assert events[0].data == {"name": ["Phòng Ngân sách", "Phòng Ngân sách Nhà nước"], "is_active": [True, False]}

    def test_refuses_an_abbreviation_of_another_unit(self, agency, unit, admin, now):
        services.unit_create(agency=agency, name="Phòng Tin học", abbreviation="TH", actor=admin, now=now)

        with nothing_written(), pytest.raises(ConflictError):
            services.unit_update(unit=unit, actor=admin, now=now, abbreviation="TH")

    def test_refuses_an_officer_of_the_unit(self, unit, officer, now):
        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.unit_update(unit=unit, actor=officer, now=now, name="Phòng mới")
