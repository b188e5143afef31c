from __future__ import annotations

from datetime import date
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from vanthu.core.models import CalendarOverride
from vanthu.core.selectors import calendar_load
from vanthu.core.working_days import DAY_OFF
from vanthu.core.working_days import WORKING_DAY
from vanthu.core.working_days import WorkingCalendar

CALENDAR = WorkingCalendar()


class TestIsWorkingDay:
    @pytest.mark.parametrize(
        "day",
        [
            date(2026, 1, 1),  # New Year
            date(2026, 2, 16),  # Tết: 16-20 February 2026
            date(2026, 2, 17),
            date(2026, 2, 18),
            date(2026, 2, 19),
            date(2026, 2, 20),
            date(2026, 4, 27),  # Hùng Kings (26 April falls on a Sunday; observed Monday)
            date(2026, 4, 30),  # Reunification Day
            date(2026, 5, 1),  # Labour Day
            date(2026, 9, 1),  # National Day (two days)
            date(2026, 9, 2),
        ],
    )
    def test_a_public_holiday_of_2026_is_a_day_off(self, day):
        assert not CALENDAR.is_working_day(day)

    @pytest.mark.parametrize("day", [date(2026, 3, 7), date(2026, 3, 8)])
    def test_saturday_and_sunday_are_days_off(self, day):
        assert not CALENDAR.is_working_day(day)

    @pytest.mark.parametrize("day", [date(2026, 2, 13), date(2026, 2, 23), date(2026, 3, 10), date(2026, 5, 4)])
    def test_an_ordinary_weekday_is_a_working_day(self, day):
        assert CALENDAR.is_working_day(day)

    def test_a_make_up_saturday_announced_by_the_government_is_a_working_day(self):
        # 31 August 2026 is a day off swapped with Saturday 22 August.
        assert not CALENDAR.is_working_day(date(2026, 8, 31))
        assert CALENDAR.is_working_day(date(2026, 8, 22))

    def test_an_extra_day_off_override_makes_a_weekday_a_day_off(self):
        calendar = WorkingCalendar(overrides={date(2026, 3, 11): DAY_OFF})

        assert not calendar.is_working_day(date(2026, 3, 11))

    def test_a_make_up_saturday_override_makes_a_saturday_a_working_day(self):
        calendar = WorkingCalendar(overrides={date(2026, 3, 14): WORKING_DAY})

        assert calendar.is_working_day(date(2026, 3, 14))

    def test_an_override_beats_a_public_holiday(self):
        calendar = WorkingCalendar(overrides={date(2026, 4, 30): WORKING_DAY})

        assert calendar.is_working_day(date(2026, 4, 30))

    def test_names_the_holiday(self):
        assert CALENDAR.holiday_name(date(2026, 9, 2)) == "National Day"
        assert CALENDAR.holiday_name(date(2026, 3, 10)) is None


class TestAddWorkingDays:
    def test_skips_the_tet_holiday_and_its_weekends(self):
        assert CALENDAR.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)

    def test_skips_reunification_and_labour_day(self):
        assert CALENDAR.add_working_days(date(2026, 4, 29), 1) == date(2026, 5, 4)

    def test_counts_ten_working_days_over_a_weekend(self):
        assert CALENDAR.add_working_days(date(2026, 3, 10), 10) == date(2026, 3, 24)

    def test_goes_backwards_over_the_tet_holiday(self):
        assert CALENDAR.add_working_days(date(2026, 2, 23), -1) == date(2026, 2, 13)

    def test_zero_keeps_a_working_day(self):
        assert CALENDAR.add_working_days(date(2026, 3, 10), 0) == date(2026, 3, 10)

    def test_zero_moves_a_day_off_to_the_next_working_day(self):
        assert CALENDAR.add_working_days(date(2026, 2, 14), 0) == date(2026, 2, 23)

    def test_counts_a_make_up_saturday(self):
        calendar = WorkingCalendar(overrides={date(2026, 3, 14): WORKING_DAY})

        assert calendar.add_working_days(date(2026, 3, 13), 1) == date(2026, 3, 14)

    def test_skips_an_extra_day_off(self):
        calendar = WorkingCalendar(overrides={date(2026, 3, 11): DAY_OFF})

        assert calendar.add_working_days(date(2026, 3, 10), 1) == date(2026, 3, 12)

    def test_crosses_the_year_end(self):
        assert CALENDAR.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)


class TestWorkingDaysBetween:
    def test_is_zero_for_the_same_day(self):
        assert CALENDAR.working_days_between(date(2026, 3, 10), date(2026, 3, 10)) == 0

    def test_counts_one_working_day_across_tet(self):
        assert CALENDAR.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1

    def test_counts_a_full_week(self):
        assert CALENDAR.working_days_between(date(2026, 3, 9), date(2026, 3, 16)) == 5

    def test_is_negative_when_the_end_is_before_the_start(self):
        assert CALENDAR.working_days_between(date(2026, 3, 16), date(2026, 3, 9)) == -5

    def test_counts_the_override_days(self):
        calendar = WorkingCalendar(overrides={date(2026, 3, 11): DAY_OFF, date(2026, 3, 14): WORKING_DAY})

        assert calendar.working_days_between(date(2026, 3, 9), date(2026, 3, 16)) == 5  # -1 weekday +1 Saturday


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
overrides = st.dictionaries(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    st.sampled_from([DAY_OFF, WORKING_DAY]),
    max_size=20,
)


class TestWorkingDayProperties:
    @settings(max_examples=150, deadline=None)
    @given(start=days, count=st.integers(min_value=-60, max_value=60), calendar_overrides=overrides)
    def test_adding_then_counting_gives_the_count_back(self, start, count, calendar_overrides):
        calendar = WorkingCalendar(overrides=calendar_overrides)
        if count <= 0:
            # Counting covers (start, end]: backwards it holds from a working day.
            start = calendar.add_working_days(start, 0)

        end = calendar.add_working_days(start, count)

        assert calendar.working_days_between(start, end) == count

    @settings(max_examples=150, deadline=None)
    @given(start=days, count=st.integers(min_value=1, max_value=60), calendar_overrides=overrides)
    def test_adding_forwards_round_trips_from_any_day(self, start, count, calendar_overrides):
        calendar = WorkingCalendar(overrides=calendar_overrides)

        assert calendar.working_days_between(start, calendar.add_working_days(start, count)) == count

    @settings(max_examples=150, deadline=None)
    @given(start=days, count=st.integers(min_value=-60, max_value=60), calendar_overrides=overrides)
    def test_the_result_is_always_a_working_day(self, start, count, calendar_overrides):
        calendar = WorkingCalendar(overrides=calendar_overrides)

        assert calendar.is_working_day(calendar.add_working_days(start, count))

    @settings(max_examples=150, deadline=None)
    @given(start=days, first=st.integers(min_value=-40, max_value=40), extra=st.integers(min_value=1, max_value=40))
    def test_more_working_days_from_a_working_day_end_strictly_later(self, start, first, extra):
        start = CALENDAR.add_working_days(start, 0)

        assert CALENDAR.add_working_days(start, first) < CALENDAR.add_working_days(start, first + extra)

    @settings(max_examples=100, deadline=None)
    @given(start=days, span=st.integers(min_value=0, max_value=400), calendar_overrides=overrides)
    def test_counting_is_monotonic_in_the_end_date(self, start, span, calendar_overrides):
        calendar = WorkingCalendar(overrides=calendar_overrides)
        end = start + timedelta(days=span)

        assert calendar.working_days_between(start, end) <= calendar.working_days_between(
            start, end + timedelta(days=1)
        )


@pytest.mark.django_db
class TestCalendarLoad:
    def test_applies_the_administrators_overrides(self):
        CalendarOverride.objects.create(day_date=date(2026, 3, 11), kind=DAY_OFF, reason="Bão số 3")
        CalendarOverride.objects.create(day_date=date(2026, 3, 14), kind=WORKING_DAY, reason="Làm bù")

        calendar = calendar_load()

        assert not calendar.is_working_day(date(2026, 3, 11))
        assert calendar.is_working_day(date(2026, 3, 14))

    def test_loads_only_the_years_asked_for(self):
        CalendarOverride.objects.create(day_date=date(2025, 3, 11), kind=DAY_OFF, reason="Năm trước")
        CalendarOverride.objects.create(day_date=date(2026, 3, 11), kind=DAY_OFF, reason="Năm nay")

        calendar = calendar_load(years=range(2026, 2027))

        assert set(calendar.overrides) == {date(2026, 3, 11)}
