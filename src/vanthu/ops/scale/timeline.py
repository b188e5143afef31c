"""Moments of the synthetic year: working days of the Vietnamese calendar (with the administrator's
overrides), office hours in Vietnam time, returned as aware UTC datetimes."""

from __future__ import annotations

import random
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

from vanthu.core.working_days import WorkingCalendar

VIETNAM_OFFSET_HOURS = 7  # Asia/Ho_Chi_Minh has no daylight saving time
# Office hours in Vietnam time, in minutes after midnight: 07:30-11:30 and 13:30-17:00.
OFFICE_MINUTES = [*range(7 * 60 + 30, 11 * 60 + 30), *range(13 * 60 + 30, 17 * 60)]


class Timeline:
    """Working days from ``first`` to well after ``last``; ``index_of`` maps every calendar day to
    the index of the first working day on or after it, so adding N working days is a lookup."""

    def __init__(self, calendar: WorkingCalendar, first: date, last: date):
        self.days: list[date] = []
        self.index_of: dict[date, int] = {}
        pending: list[date] = []
        day = first
        end = last + timedelta(days=240)
        while day <= end:
            pending.append(day)
            if calendar.is_working_day(day):
                for waiting in pending:
                    self.index_of[waiting] = len(self.days)
                pending = []
                self.days.append(day)
            day += timedelta(days=1)

    def add(self, day: date, count: int) -> date:
        """``count`` working days after ``day`` (0: ``day`` itself if it is a working day)."""
        index = self.index_of[day]
        if count > 0 and self.days[index] == day:
            return self.days[index + count]
        return self.days[index + max(count - 1, 0)] if count > 0 else self.days[index]

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end], as ``WorkingCalendar.working_days_between``: a lookup."""
        if end < start:
            return -self.working_days_between(end, start)
        one = timedelta(days=1)
        return self.index_of[end + one] - self.index_of[start + one]

    @staticmethod
    def at(day: date, minutes: int) -> datetime:
        """The moment ``minutes`` after midnight, Vietnam time, of ``day``, in UTC."""
        hours, minute = divmod(minutes - VIETNAM_OFFSET_HOURS * 60, 60)
        return datetime(day.year, day.month, day.day, hours, minute, tzinfo=UTC)

    def moment(self, rng: random.Random, day: date) -> datetime:
        return self.at(day, rng.choice(OFFICE_MINUTES))

    @staticmethod
    def local_date(moment: datetime) -> date:
        return (moment + timedelta(hours=VIETNAM_OFFSET_HOURS)).date()

    def later(self, rng: random.Random, moment: datetime, low: int, high: int) -> datetime:
        """A moment ``low``-``high`` working days after ``moment`` (0: later the same day)."""
        count = rng.randint(low, high)
        if count == 0:
            return moment + timedelta(minutes=rng.randint(3, 150), seconds=rng.randint(0, 59))
        return self.moment(rng, self.add(self.local_date(moment), count)) + timedelta(seconds=rng.randint(0, 59))
