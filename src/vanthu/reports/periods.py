"""The periods of the province's reports: a month, a quarter, the first 6 or 9 months, a year,
or any range of days — in Vietnam time, each day whole."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta
from enum import StrEnum

from django.utils.translation import gettext as _

from vanthu.core.clock import start_of_vietnam_day
from vanthu.core.errors import ValidationError

MAX_CUSTOM_DAYS = 3 * 366
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"  # 6 tháng đầu năm
    NINE = "nine"  # 9 tháng đầu năm
    YEAR = "year"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date
    end: date  # inclusive

    @property
    def starts_at(self) -> datetime:
        return start_of_vietnam_day(self.start)

    @property
    def ends_before(self) -> datetime:
        """The first moment after the period (events strictly before it count)."""
        return start_of_vietnam_day(self.end + timedelta(days=1))

    @property
    def label(self) -> str:
        year = self.start.year
        if self.kind == PeriodKind.MONTH:
            return _("Month %(month)s/%(year)s") % {"month": self.start.month, "year": year}
        if self.kind == PeriodKind.QUARTER:
            return _("Quarter %(quarter)s/%(year)s") % {"quarter": ROMAN[(self.start.month + 2) // 3], "year": year}
        if self.kind == PeriodKind.HALF:
            return _("First 6 months of %(year)s") % {"year": year}
        if self.kind == PeriodKind.NINE:
            return _("First 9 months of %(year)s") % {"year": year}
        if self.kind == PeriodKind.YEAR:
            return _("Year %(year)s") % {"year": year}
        return _("From %(start)s to %(end)s") % {
            "start": self.start.strftime("%d/%m/%Y"),
            "end": self.end.strftime("%d/%m/%Y"),
        }

    @property
    def slug(self) -> str:
        """For file names: thang-11-2026, quy-4-2026, 6-thang-2026, 9-thang-2026, nam-2026, 2026-11-01_2026-11-15."""
        year = self.start.year
        return {
            PeriodKind.MONTH: f"thang-{self.start.month:02d}-{year}",
            PeriodKind.QUARTER: f"quy-{(self.start.month + 2) // 3}-{year}",
            PeriodKind.HALF: f"6-thang-{year}",
            PeriodKind.NINE: f"9-thang-{year}",
            PeriodKind.YEAR: f"nam-{year}",
        }.get(self.kind, f"{self.start.isoformat()}_{self.end.isoformat()}")

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        months = []
        month = self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = next_month(month)
        return months

    @property
    def is_whole_months(self) -> bool:
        return self.start.day == 1 and next_month(self.end.replace(day=1)) - timedelta(days=1) == self.end


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _months(year: int, first: int, last: int, kind: PeriodKind) -> Period:
    return Period(kind, date(year, first, 1), next_month(date(year, last, 1)) - timedelta(days=1))


def month(year: int, number: int) -> Period:
    return _months(year, number, number, PeriodKind.MONTH)


def period_of(kind: str, year: int, number: int | None = None) -> Period:
    """A standard period: ``number`` is the month (1–12) or the quarter (1–4) where it applies."""
    if not 2000 <= year <= 2100:  # noqa: PLR2004 - the years a report can be about
        raise ValidationError(_("Choose a year between 2000 and 2100."), code="bad_period", details={"field": "year"})
    if kind == PeriodKind.MONTH:
        if number is None or not 1 <= number <= 12:  # noqa: PLR2004
            raise ValidationError(_("Choose a month from 1 to 12."), code="bad_period", details={"field": "number"})
        return month(year, number)
    if kind == PeriodKind.QUARTER:
        if number is None or not 1 <= number <= 4:  # noqa: PLR2004
            raise ValidationError(_("Choose a quarter from 1 to 4."), code="bad_period", details={"field": "number"})
        return _months(year, 3 * number - 2, 3 * number, PeriodKind.QUARTER)
    if kind == PeriodKind.HALF:
        return _months(year, 1, 6, PeriodKind.HALF)
    if kind == PeriodKind.NINE:
        return _months(year, 1, 9, PeriodKind.NINE)
    if kind == PeriodKind.YEAR:
        return _months(year, 1, 12, PeriodKind.YEAR)
    raise ValidationError(_("This kind of period is not known."), code="bad_period", details={"field": "period"})


def period_custom(start: date, end: date) -> Period:
    if end < start:
        raise ValidationError(
            _("The end of the period is before its start."), code="bad_period", details={"field": "end"}
        )
    if (end - start).days > MAX_CUSTOM_DAYS:
        raise ValidationError(_("A period can span at most three years."), code="bad_period", details={"field": "end"})
    return Period(PeriodKind.CUSTOM, start, end)


def previous_month(today: date) -> Period:
    first = today.replace(day=1) - timedelta(days=1)
    return month(first.year, first.month)


def periods_ending_with(last_month: Period) -> list[Period]:
    """The reports due once ``last_month`` is over: the month, and the quarter, 6, 9 or 12 months
    that end with it."""
    year, number = last_month.start.year, last_month.start.month
    due = [last_month]
    if number % 3 == 0:
        due.append(period_of(PeriodKind.QUARTER, year, number // 3))
    extra = {6: PeriodKind.HALF, 9: PeriodKind.NINE, 12: PeriodKind.YEAR}.get(number)
    if extra is not None:
        due.append(period_of(extra, year))
    return due
