"""The statistics of issue 8 for the province's INSPECTOR: the province-wide report of a year and
of a month through the statistics page, and the directive's compliance board — each beside the
SQL it ran (the aggregates over the audit events) replayed raw."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from vanthu.core.clock import vietnam_date
from vanthu.ops.bench.registry import Category
from vanthu.ops.bench.registry import Request
from vanthu.ops.bench.registry import Scenario
from vanthu.ops.bench.registry import Setting
from vanthu.ops.bench.registry import register
from vanthu.reports.periods import previous_month

ROLE = "inspector"


def _inspector(setting: Setting) -> None:
    if ROLE not in setting.cast.people:
        raise LookupError("nobody is INSPECTOR of the whole province in this database")


def _year(setting: Setting) -> list[Request]:
    _inspector(setting)
    year = vietnam_date(setting.now).year
    query = urlencode({"period": "year", "year": year})
    return [Request(path=f"{reverse('reports:statistics')}?{query}", note=f"năm {year}")]


def _month(setting: Setting) -> list[Request]:
    _inspector(setting)
    month = previous_month(vietnam_date(setting.now))
    query = urlencode({"period": "month", "year": month.start.year, "number": month.start.month})
    return [Request(path=f"{reverse('reports:statistics')}?{query}", note=month.label)]


def _compliance(setting: Setting) -> list[Request]:
    _inspector(setting)
    return [Request(path=reverse("reports:compliance"), note="12 tháng")]


register(
    Scenario(
        screen="report.year",
        title="Statistics: the province's year",
        role=ROLE,
        category=Category.PAGE,
        requests=_year,
        iterations_factor=0.2,
    )
)
register(
    Scenario(
        screen="report.month",
        title="Statistics: the province's last month",
        role=ROLE,
        category=Category.PAGE,
        requests=_month,
        iterations_factor=0.4,
    )
)
register(
    Scenario(
        screen="report.compliance",
        title="Directive compliance board",
        role=ROLE,
        category=Category.PAGE,
        requests=_compliance,
        iterations_factor=0.4,
    )
)
