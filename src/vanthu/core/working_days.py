"""Working-day calendar: Saturdays, Sundays and Vietnamese public holidays are days off, except
the make-up working Saturdays the Government announces with a swapped day off (both come from
the ``holidays`` package), corrected by administrators' overrides (extra days off, make-up
working Saturdays).

``WorkingCalendar`` is pure: it is built from overrides that the caller loads
(``calendar_load()``), so it can be tested and reused without the database."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta
from functools import lru_cache

import holidays

SATURDAY = 5  # date.weekday(): Saturday and Sunday are 5 and 6
DAY_OFF = "DAY_OFF"
WORKING_DAY = "WORKING_DAY"


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


@lru_cache(maxsize=64)
def _weekend_workdays(year: int) -> frozenset[date]:
    """Saturdays worked in exchange for a day off elsewhere (e.g. 22 August 2026 for 31 August)."""
    calendar = holidays.country_holidays("VN", years=year)
    return frozenset(day for day in getattr(calendar, "weekend_workdays", ()) if day.year == year)


@dataclass(frozen=True)
class WorkingCalendar:
    overrides: Mapping[date, str] = field(default_factory=dict)

    def is_working_day(self, day: date) -> bool:
        override = self.overrides.get(day)
        if override == WORKING_DAY:
            return True
        if override == DAY_OFF:
            return False
        if day.weekday() >= SATURDAY:
            return day in _weekend_workdays(day.year)
        return day not in _public_holidays(day.year)

    def holiday_name(self, day: date) -> str | None:
        return holidays.country_holidays("VN", years=day.year).get(day)

    def add_working_days(self, start: date, count: int) -> date:
        """The day ``count`` working days after ``start`` (``start`` itself not counted).

        ``count == 0`` gives ``start`` if it is a working day, else the next working day.
        Negative counts go backwards."""
        day = start
        if count == 0:
            while not self.is_working_day(day):
                day += timedelta(days=1)
            return day
        step = timedelta(days=1 if count > 0 else -1)
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: 0 when end == start; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        days = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                days += 1
        return days

    def working_days_in(self, days: Iterable[date]) -> list[date]:
        return [day for day in days if self.is_working_day(day)]
