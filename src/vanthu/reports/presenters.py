"""The statistics as shown: cells with their link to the documents behind them, the charts of the
months and of the levels, the compliance board's lights and trend lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanthu.documents.links import detail_links
from vanthu.documents.models import Document
from vanthu.reports import measures as m
from vanthu.reports import selectors
from vanthu.reports.charts import ChartKind
from vanthu.reports.charts import ChartSpec
from vanthu.reports.charts import Series
from vanthu.reports.charts import Tone
from vanthu.reports.levels import LEVEL_LABELS
from vanthu.reports.periods import Period
from vanthu.reports.periods import PeriodKind
from vanthu.reports.policies import statistics_scope
from vanthu.reports.tables import Column
from vanthu.reports.tables import ReportTable
from vanthu.reports.tables import ValueKind

TREND_MONTHS = 12


def period_query(period: Period) -> str:
    if period.kind == PeriodKind.CUSTOM:
        return urlencode(
            {"period": period.kind, "date_from": period.start.isoformat(), "date_to": period.end.isoformat()}
        )
    values: dict[str, Any] = {"period": period.kind, "year": period.start.year}
    if period.kind == PeriodKind.MONTH:
        values["number"] = period.start.month
    elif period.kind == PeriodKind.QUARTER:
        values["number"] = (period.start.month + 2) // 3
    return urlencode(values)


def format_value(value: int | float | None, kind: ValueKind) -> str:
    if value is None:
        return "—"
    if kind == ValueKind.COUNT:
        return f"{int(value):,}".replace(",", ".")
    return f"{float(value):.1f}".replace(".", ",")


@dataclass(frozen=True)
class TableRow:
    label: str
    note: str
    is_total: bool
    cells: SafeString  # the row's <td> cells (hundreds of rows: one string each, not a template loop)
    rate: float | None


def column_groups(columns: list[Column]) -> list[tuple[str, int]]:
    groups: list[tuple[str, int]] = []
    for column in columns:
        if groups and groups[-1][0] == column.group:
            groups[-1] = (column.group, groups[-1][1] + 1)
        else:
            groups.append((column.group, 1))
    return groups


def _cell(text: str, kind: str, url: str) -> str:
    if url:
        return format_html(
            '<td class="text-end text-nowrap" data-kind="{}"><a href="{}" class="statistics-link">{}</a></td>',
            kind,
            url,
            text,
        )
    return format_html('<td class="text-end text-nowrap" data-kind="{}">{}</td>', kind, text)


def table_rows(table: ReportTable, *, query: str) -> list[TableRow]:
    base = f"{reverse('reports:documents')}?{query}&measure="
    listed = [column.key in m.LISTED_KEYS for column in table.columns]
    total_label = _("Total")
    rows = []
    for row in table.rows:
        agency = f"&agency={row.agency_id}" if row.agency_id else ""
        linkable = bool(row.agency_id) or row.label == total_label
        cells = []
        for column, is_listed in zip(table.columns, listed, strict=True):
            value = row.values.get(column.key)
            url = f"{base}{column.key}{agency}" if is_listed and value and linkable else ""
            cells.append(_cell(format_value(value, column.kind), str(column.kind), url))
        rows.append(
            TableRow(
                label=row.label,
                note=row.note,
                is_total=row.is_total,
                cells=mark_safe("".join(cells)),  # noqa: S308 - every cell is built by format_html
                rate=selectors.compliance_rate(row.values),
            )
        )
    return rows


def trend_months(now: datetime) -> list[date]:
    return selectors.closed_months(now=now, count=TREND_MONTHS)


def _month_label(first: date) -> str:
    return f"{first.month:02d}/{first.year}"


def month_charts(totals: list[tuple[date, dict[str, int | float | None]]]) -> list[ChartSpec]:
    labels = [_month_label(first) for first, _values in totals]

    def series(key: str, label: str, **extra: Any) -> Series:
        return Series(label=label, values=[values.get(key) for _first, values in totals], **extra)

    return [
        ChartSpec(
            kind=ChartKind.LINE,
            title=_("Documents handled electronically, month by month"),
            labels=labels,
            series=[
                series("out_electronic_rate", _("Issued electronically")),
                series("in_electronic_rate", _("Received electronically")),
                series("in_processed_rate", _("Processed in the system")),
            ],
            unit="%",
            y_max=100,
            category_label=_("Month"),
        ),
        ChartSpec(
            kind=ChartKind.BAR,
            title=_("Incoming documents in progress at the end of each month"),
            labels=labels,
            series=[
                series("open_in_time", _("Within deadline"), tone=Tone.GREEN),
                series("open_overdue", _("Overdue"), tone=Tone.RED),
            ],
            stacked=True,
            category_label=_("Month"),
        ),
    ]


def level_chart(table: ReportTable) -> ChartSpec:
    totals = [row for row in table.rows if row.is_total and row.level]
    return ChartSpec(
        kind=ChartKind.BAR,
        title=_("Rates by level of government"),
        labels=[row.label for row in totals],
        series=[
            Series(label=_("Issued electronically"), values=[row.values.get("out_electronic_rate") for row in totals]),
            Series(label=_("Received electronically"), values=[row.values.get("in_electronic_rate") for row in totals]),
            Series(label=_("Processed in the system"), values=[row.values.get("in_processed_rate") for row in totals]),
        ],
        unit="%",
        y_max=100,
        category_label=_("Level"),
    )


@dataclass(frozen=True)
class DocumentRow:
    pk: int
    number_symbol: str
    issued_date: date | None
    type_name: str
    subject: str
    agency_name: str
    url: str


def document_rows(documents: list[Document], openable: set[int]) -> list[DocumentRow]:
    links = detail_links([document.pk for document in documents if document.pk in openable])
    return [
        DocumentRow(
            pk=document.pk,
            number_symbol=document.number_symbol,
            issued_date=document.issued_date,
            type_name=document.document_type.name,
            subject=document.subject,
            agency_name=document.agency.name,
            url=links.get(document.pk, ""),
        )
        for document in documents
    ]


# --- the compliance board ----------------------------------------------------------------------

SPARK_WIDTH = 120
SPARK_HEIGHT = 28


SPARK_PAD = 3


def sparkline(values: list[float | None]) -> str:
    """The points of an SVG polyline (0–100 % upwards, inside a small margin) for the months with
    a rate; one month alone is drawn as a short flat line."""
    if not any(value is not None for value in values):
        return ""
    step = SPARK_WIDTH / max(1, len(values) - 1)
    inner = SPARK_HEIGHT - 2 * SPARK_PAD
    points = [
        (index * step, SPARK_PAD + inner - (float(value) / 100) * inner)
        for index, value in enumerate(values)
        if value is not None
    ]
    if len(points) == 1:
        x, y = points[0]
        points = [(max(0.0, x - 6), y), (x, y)]
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


LIGHT_LABELS = {
    "green": gettext_lazy("Meets the target"),
    "amber": gettext_lazy("Below the target"),
    "red": gettext_lazy("Far below the target"),
    "none": gettext_lazy("No document this month"),
    "later": gettext_lazy("Not yet required"),
}


LIGHT_CSS = {
    "green": "text-bg-success",
    "amber": "text-bg-warning",
    "red": "text-bg-danger",
    "none": "text-bg-light border",
    "later": "text-bg-secondary",
}


@dataclass(frozen=True)
class BoardLine:
    line: selectors.ComplianceLine
    points: str
    light_label: str
    light_css: str


def compliance_context(months: list[date], lines: list[selectors.ComplianceLine]) -> dict[str, Any]:
    counts = {light: sum(1 for line in lines if line.light == light) for light in LIGHT_LABELS}
    on_paper = [line for line in lines if (line.values.get("out_paper") or 0) > 0 or line.light == "red"]
    level_series = []
    for level, label in LEVEL_LABELS.items():
        at_level = [line for line in lines if line.level == level]
        if not at_level:
            continue
        monthly: list[float | None] = []
        for index in range(len(months)):
            rates = [rate for rate in (line.trend[index] for line in at_level) if rate is not None]
            monthly.append(round(sum(rates) / len(rates), 1) if rates else None)
        level_series.append(Series(label=str(label), values=monthly))
    target = lines[0].target.target_rate if lines else 100
    chart = ChartSpec(
        kind=ChartKind.LINE,
        title=_("Average compliance rate of the agencies, by level"),
        labels=[_month_label(first) for first in months],
        series=[*level_series, Series(label=_("Directive target"), values=[target] * len(months), tone=Tone.GREY)],
        unit="%",
        y_max=100,
        category_label=_("Month"),
    )
    return {
        "month": months[-1] if months else None,
        "months": months,
        "lines": [
            BoardLine(line, sparkline(line.trend), str(LIGHT_LABELS[line.light]), LIGHT_CSS[line.light])
            for line in lines
        ],
        "badges": [(light, str(label), counts[light], LIGHT_CSS[light]) for light, label in LIGHT_LABELS.items()],
        "on_paper": on_paper,
        "chart": chart,
        "spark_width": SPARK_WIDTH,
        "spark_height": SPARK_HEIGHT,
        "spark_baseline": SPARK_HEIGHT - SPARK_PAD,
    }


def home_dashboard(*, person: Any, now: datetime) -> list[ChartSpec]:
    """The charts on the home page of leaders and inspectors: the months already rolled up (the
    home page never recomputes a month from the events)."""
    scope = statistics_scope(person, now)
    if not scope:
        return []
    totals = selectors.monthly_totals(scope=scope, months=trend_months(now), now=now, live_recent=0)
    if not any(values.get("out_issued") or values.get("in_received") for _first, values in totals):
        return []
    return month_charts(totals)
