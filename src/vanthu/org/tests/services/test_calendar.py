from __future__ import annotations

from datetime import date

import pytest

from vanthu.core.errors import ConflictError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import ValidationError
from vanthu.core.models import CalendarOverride
from vanthu.core.selectors import calendar_load
from vanthu.org import services
from vanthu.org.tests.checks import nothing_written
from vanthu.org.tests.checks import writes_audit_events

pytestmark = pytest.mark.django_db

MAKE_UP_SATURDAY = date(2026, 3, 14)


class TestCalendarOverrideSet:
    def test_a_province_administrator_adds_a_make_up_saturday(self, province, province_admin, now):
        with writes_audit_events("core.calendar.override_set") as events:
            services.calendar_override_set(
                day_date=MAKE_UP_SATURDAY,
                kind="WORKING_DAY",
                reason="Làm bù theo Thông báo 123/TB-VPCP",
                actor=province_admin,
                now=now,
            )

        assert calendar_load().is_working_day(MAKE_UP_SATURDAY)
        assert events[0].agency_id is None
        assert events[0].chain == "global"

    def test_refuses_an_agency_administrator(self, agency, admin, now):
        with nothing_written(), pytest.raises(PermissionDeniedError):
            services.calendar_override_set(
                day_date=MAKE_UP_SATURDAY, kind="WORKING_DAY", reason="Làm bù", actor=admin, now=now
            )

    def test_refuses_a_second_override_of_the_same_day(self, province, province_admin, now):
        services.calendar_override_set(
            day_date=MAKE_UP_SATURDAY, kind="WORKING_DAY", reason="Làm bù", actor=province_admin, now=now
        )

        with nothing_written(), pytest.raises(ConflictError):
            services.calendar_override_set(
                day_date=MAKE_UP_SATURDAY, kind="DAY_OFF", reason="Nghỉ", actor=province_admin, now=now
            )

    @pytest.mark.parametrize(("kind", "reason"), [("HOLIDAY", "Nghỉ"), ("DAY_OFF", "  ")])
    def test_refuses_an_unknown_kind_or_a_missing_reason(self, province, province_admin, kind, reason, now):
        with nothing_written(), pytest.raises(ValidationError):
            services.calendar_override_set(
                day_date=MAKE_UP_SATURDAY, kind=kind, reason=reason, actor=province_admin, now=now
            )


class TestCalendarOverrideRemove:
    def test_removes_an_override(self, province, province_admin, now):
        services.calendar_override_set(
            day_date=MAKE_UP_SATURDAY, kind="WORKING_DAY", reason="Làm bù", actor=province_admin, now=now
        )

        with writes_audit_events("core.calendar.override_removed"):
            services.calendar_override_remove(day_date=MAKE_UP_SATURDAY, actor=province_admin, now=now)

        assert not CalendarOverride.objects.exists()

    def test_reports_a_day_without_an_override(self, province, province_admin, now):
        with nothing_written(), pytest.raises(NotFoundError):
            services.calendar_override_remove(day_date=MAKE_UP_SATURDAY, actor=province_admin, now=now)
