"""The statistics as people read them: a period's table by agency, level and province; the months
of a year for the charts and the compliance board; the documents behind a number.

Every number comes from ``reports.facts`` (the audit events). An agency merged into another counts
for its successor: its events before the merge appear in the successor's row, with a note."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from vanthu.core.clock import vietnam_date
from vanthu.core.errors import ValidationError
from vanthu.documents.models import Document
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.reports import facts
from vanthu.reports import measures as m
from vanthu.reports.levels import DEFAULT_TARGET_RATE
from vanthu.reports.levels import DIRECTIVE_DEFAULTS
from vanthu.reports.levels import LEVEL_LABELS
from vanthu.reports.levels import Level
from vanthu.reports.levels import level_of
from vanthu.reports.models import DirectiveTarget
from vanthu.reports.models import MonthlyRollup
from vanthu.reports.periods import Period
from vanthu.reports.periods import month as month_period
from vanthu.reports.periods import next_month
from vanthu.reports.policies import require
from vanthu.reports.policies import statistics_scope
from vanthu.reports.tables import Column
from vanthu.reports.tables import Definition
from vanthu.reports.tables import ReportTable
from vanthu.reports.tables import Row

TITLE = "BÁO CÁO THỐNG KÊ TÌNH HÌNH GỬI, NHẬN, XỬ LÝ VĂN BẢN ĐIỆN TỬ"
LIST_LIMIT = 1000


@dataclass(frozen=True)
class AgencyLine:
    agency: Agency
    level: Level
    values: dict[str, int]  # base counts, predecessors folded in
    merged: list[Agency]  # predecessors whose events are counted here


def require_scope(person: Person, now: datetime) -> set[int]:
    scope = statistics_scope(person, now)
    require(bool(scope), _("Only inspectors and agency leaders read the statistics."))
    return scope


@dataclass(frozen=True)
class Agencies:
    """The agencies a report folds into (read once, whatever the number of months it folds)."""

    successors: dict[int, int]
    by_id: dict[int, Agency]

    def current_of(self, agency_id: int) -> int:
        """The agency that carries ``agency_id`` today (itself, or its successor's successor …)."""
        current, seen = agency_id, set()
        while current in self.successors and current not in seen:
            seen.add(current)
            current = self.successors[current]
        return current


def agencies_for(scope: set[int]) -> Agencies:
    successors = dict(Agency.objects.filter(successor__isnull=False).values_list("id", "successor_id"))
    wanted = set(scope)
    wanted |= {successors[agency_id] for agency_id in scope if agency_id in successors}
    return Agencies(successors=successors, by_id=Agency.objects.in_bulk(wanted))


def _current_of(agency_ids: set[int]) -> dict[int, int]:
    known = agencies_for(set())
    return {agency_id: known.current_of(agency_id) for agency_id in agency_ids}


def fold(
    counts: facts.Counts, *, scope: set[int], last_day: date, agencies: Agencies | None = None
) -> list[AgencyLine]:
    """One line per agency that existed at the end of the period (and had begun), its merged
    predecessors' counts added; ordered by level then by the agency tree."""
    known = agencies or agencies_for(scope)
    folded: dict[int, dict[str, int]] = defaultdict(dict)
    merged: dict[int, set[int]] = defaultdict(set)
    for agency_id, values in counts.items():
        if agency_id not in scope:
            continue
        target = known.current_of(agency_id)
        facts.add(folded[target], values)
        if target != agency_id:
            merged[target].add(agency_id)
    alive = {
        agency_id
        for agency_id, agency in known.by_id.items()
        if agency_id in scope
        and agency.valid_from <= last_day
        and (agency.valid_to is None or agency.valid_to >= last_day)
    }
    shown = {known.current_of(agency_id) for agency_id in alive} | set(folded)
    by_id = known.by_id
    lines = [
        AgencyLine(
            agency=by_id[agency_id],
            level=level_of(by_id[agency_id].kind),
            values=folded.get(agency_id, {}),
            merged=sorted((by_id[p] for p in merged.get(agency_id, ()) if p in by_id), key=lambda a: a.name),
        )
        for agency_id in shown
        if agency_id in by_id
    ]
    order = list(Level)
    lines.sort(key=lambda line: (order.index(line.level), line.agency.path))
    return lines


def _merged_note(line: AgencyLine) -> str:
    if not line.merged:
        return ""
    names = ", ".join(
        f"{agency.name} ({agency.valid_to.strftime('%d/%m/%Y')})" if agency.valid_to else agency.name
        for agency in line.merged
    )
    return _("including %(names)s, merged into it") % {"names": names}


def columns() -> list[Column]:
    return [Column(key=x.key, label=str(x.label), group=str(x.group), kind=x.kind) for x in m.MEASURES]


def definitions() -> list[Definition]:
    return [Definition(label=f"{x.group} — {x.label}", text=str(x.definition)) for x in m.MEASURES]


FLOW_KEYS = (
    "out_electronic",
    "out_paper",
    "out_signed_agency",
    "in_received",
    "in_paper",
    "done_on_time",
    "done_late",
    "days_sum",
)
SNAPSHOT = ("open_in_time", "open_overdue")
Rolled = dict[date, tuple[datetime, facts.Counts]]  # month -> (counted until, values by agency)


def _rolled(scope: set[int], months: list[date]) -> Rolled:
    throughs = dict(MonthlyRollup.objects.filter(month__in=months).values_list("month", "through").distinct())
    out: Rolled = {month: (through, {}) for month, through in throughs.items()}
    rows = MonthlyRollup.objects.filter(month__in=months, agency_id__in=scope).values_list(
        "agency_id", "month", "values"
    )
    for agency_id, month, values in rows:
        out[month][1][agency_id] = {key: int(value) for key, value in values.items()}
    return out


def _month_part(  # noqa: PLR0913 - the month, how far, and the run of months it belongs to
    scope: set[int], first: date, *, until: datetime, registered_from: datetime, run: tuple[date, date], rolled: Rolled
) -> facts.Counts:
    """The flow counts of month ``first`` up to ``until`` and its first directions of documents
    registered in the run of months ``run``: the rollup, then the events after it."""
    counts: facts.Counts = {}
    live_from = month_period(first.year, first.month).starts_at
    if first in rolled and rolled[first][0] <= until:
        through, by_agency = rolled[first]
        for agency_id, values in by_agency.items():
            part = {key: values[key] for key in FLOW_KEYS if key in values}
            part["in_processed"] = facts.processed_from(values, *run)
            counts[agency_id] = part
        live_from = through
    if live_from < until:
        facts.merge(counts, facts.flow_counts(agency_ids=scope, starts_at=live_from, ends_before=until))
        facts.merge(
            counts,
            facts.processed_counts(
                agency_ids=scope, starts_at=live_from, ends_before=until, registered_from=registered_from
            ),
        )
    return counts


def _snapshot(scope: set[int], period: Period, *, now: datetime, rolled: Rolled) -> facts.Counts | None:
    """In progress at the end of the period: now (from the documents' state) for a period not
    over, else the last month's final rollup; None when neither applies (the caller then reads
    the events, if it may)."""
    if period.ends_before > now:
        return facts.state_snapshot_counts(agency_ids=scope, today=vietnam_date(now))
    last = period.months()[-1]
    if last in rolled and rolled[last][0] >= period.ends_before:
        return {
            agency_id: {key: values.get(key, 0) for key in SNAPSHOT} for agency_id, values in rolled[last][1].items()
        }
    return None


def period_counts(
    *, scope: set[int], period: Period, now: datetime, live: bool = True, rolled: Rolled | None = None
) -> facts.Counts:
    """The base counts of ``period``: whole months from the rollups (``rolled`` when the caller
    read them already) and the events after them; any other range from the events."""
    if not period.is_whole_months:
        return facts.base_counts(
            agency_ids=scope, starts_at=period.starts_at, ends_before=period.ends_before, last_day=period.end
        )
    until = min(period.ends_before, now)
    months = [first for first in period.months() if month_period(first.year, first.month).starts_at < until]
    rolled = _rolled(scope, months) if rolled is None else rolled
    counts: facts.Counts = {}
    for first in months:
        if not live and first not in rolled:
            continue
        month_until = min(month_period(first.year, first.month).ends_before, until)
        part = _month_part(
            scope,
            first,
            until=month_until,
            registered_from=period.starts_at,
            run=(period.start, period.months()[-1]),
            rolled=rolled,
        )
        facts.merge(counts, part)
    snapshot = _snapshot(scope, period, now=now, rolled=rolled)
    if snapshot is None and live:
        snapshot = facts.snapshot_counts(agency_ids=scope, ends_before=period.ends_before, last_day=period.end)
    for agency_id, values in (snapshot or {}).items():
        counts.setdefault(agency_id, {}).update(values)
    return counts


def period_lines(*, scope: set[int], period: Period, now: datetime) -> list[AgencyLine]:
    return fold(period_counts(scope=scope, period=period, now=now), scope=scope, last_day=period.end)


def table_from_lines(lines: list[AgencyLine], *, period: Period, now: datetime) -> ReportTable:
    rows: list[Row] = []
    grand: dict[str, int] = {}
    for level in Level:
        at_level = [line for line in lines if line.level == level]
        if not at_level:
            continue
        subtotal: dict[str, int] = {}
        for line in at_level:
            facts.add(subtotal, line.values)
            rows.append(
                Row(
                    label=line.agency.name,
                    values=m.derived(line.values),
                    agency_id=line.agency.pk,
                    level=str(LEVEL_LABELS[level]),
                    note=_merged_note(line),
                )
            )
        facts.add(grand, subtotal)
        rows.append(
            Row(
                label=str(LEVEL_LABELS[level]),
                values=m.derived(subtotal),
                level=str(LEVEL_LABELS[level]),
                is_total=True,
            )
        )
    rows.append(Row(label=_("Total"), values=m.derived(grand), is_total=True))
    root = Agency.objects.filter(parent__isnull=True, valid_to__isnull=True).order_by("pk").first()
    return ReportTable(
        title=TITLE,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        issuer=(root.name if root else "").upper(),
        addressee=getattr(settings, "VANTHU_REPORT_ADDRESSEE", "Sở Tài chính"),
        columns=columns(),
        rows=rows,
        generated_at=now,
        definitions=definitions(),
        place=root.place_name if root else "",
    )


def period_table(*, person: Person, period: Period, now: datetime) -> ReportTable:
    """The statistics of ``period`` for the agencies ``person`` oversees."""
    scope = require_scope(person, now)
    return table_from_lines(period_lines(scope=scope, period=period, now=now), period=period, now=now)


def province_table(*, period: Period, now: datetime) -> ReportTable:
    """The whole province (the periodic report sent to the Department of Finance)."""
    scope = set(Agency.objects.values_list("pk", flat=True))
    return table_from_lines(period_lines(scope=scope, period=period, now=now), period=period, now=now)


# --- months (charts, compliance board) -------------------------------------------------------


def closed_months(*, now: datetime, count: int) -> list[date]:
    """The first days of the ``count`` months before the current one, oldest first."""
    first = vietnam_date(now).replace(day=1)
    months: list[date] = []
    for _index in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return sorted(months)


def monthly_counts(
    *, scope: set[int], months: list[date], now: datetime, live_recent: int = 1
) -> dict[date, facts.Counts]:
    """Base counts by month and (event) agency: from the rollups and the events after them; a
    month without any rollup is computed from the events only when it is one of the
    ``live_recent`` latest asked for (the daily job has not run yet), else left empty: older
    months are never recomputed on a page (at province scale that is the job's work)."""
    recent = set(sorted(months)[-live_recent:]) if live_recent > 0 else set()
    rolled = _rolled(scope, months)  # once for all the months
    out: dict[date, facts.Counts] = {}
    for first in months:
        out[first] = period_counts(
            scope=scope, period=month_period(first.year, first.month), now=now, live=first in recent, rolled=rolled
        )
    return out


# --- the documents behind a number ------------------------------------------------------------


@dataclass(frozen=True)
class DocumentList:
    measure: m.Measure
    period: Period
    agencies: list[Agency]
    total: int
    documents: list[Document]


def documents_behind(*, person: Person, key: str, agency_id: int | None, period: Period, now: datetime) -> DocumentList:
    """The documents counted by ``key`` for one agency (its merged predecessors included) or the
    whole scope, in the order of their events; metadata only."""
    scope = require_scope(person, now)
    if key not in m.LISTED_KEYS:
        raise ValidationError(_("This number has no list of documents."), code="bad_measure")
    if agency_id is not None:
        require(agency_id in scope, _("This agency is outside the statistics you may read."))
        current = _current_of(scope)
        agency_ids = {agency for agency, carrier in current.items() if carrier == agency_id} | {agency_id}
        agency_ids &= scope
    else:
        agency_ids = scope
    ids = facts.document_ids(
        key=key, agency_ids=agency_ids, starts_at=period.starts_at, ends_before=period.ends_before, last_day=period.end
    )
    shown = ids[:LIST_LIMIT]
    by_id = Document.objects.select_related("document_type", "agency").in_bulk(shown)
    return DocumentList(
        measure=m.BY_KEY[key],
        period=period,
        agencies=list(Agency.objects.filter(pk__in=agency_ids).order_by("path")) if agency_id else [],
        total=len(ids),
        documents=[by_id[pk] for pk in shown if pk in by_id],
    )


# --- months and the compliance board ---------------------------------------------------------


def monthly_totals(
    *, scope: set[int], months: list[date], now: datetime, live_recent: int = 1
) -> list[tuple[date, dict[str, int | float | None]]]:
    """Every measure, month by month, for all the agencies of ``scope`` together."""
    by_month = monthly_counts(scope=scope, months=months, now=now, live_recent=live_recent)
    out = []
    for first in months:
        total: dict[str, int] = {}
        for agency_id, values in by_month[first].items():
            if agency_id in scope:
                facts.add(total, values)
        out.append((first, m.derived(total)))
    return out


def compliance_rate(values: dict[str, int | float | None]) -> float | None:
    """The lower of the issued-electronically and processed-electronically rates (an agency meets
    the directive only when both sides are electronic); None without documents."""
    rates = [rate for rate in (values.get("out_electronic_rate"), values.get("in_processed_rate")) if rate is not None]
    return float(min(rates)) if rates else None


@dataclass(frozen=True)
class Target:
    level: Level
    starts_on: date
    target_rate: int
    warning_rate: int


def targets() -> dict[Level, Target]:
    out = {level: Target(level, starts_on, DEFAULT_TARGET_RATE, 80) for level, starts_on in DIRECTIVE_DEFAULTS.items()}
    for row in DirectiveTarget.objects.all():
        level = Level(row.level)
        out[level] = Target(level, row.starts_on, row.target_rate, row.warning_rate)
    return out


@dataclass(frozen=True)
class ComplianceLine:
    agency: Agency
    level: Level
    target: Target
    values: dict[str, int | float | None]  # the last closed month
    rate: float | None
    light: str  # "green", "amber", "red", "none" (no documents), "later" (not yet bound)
    trend: list[float | None]  # the compliance rate of each month, oldest first
    merged: list[Agency]


def _light(rate: float | None, target: Target, month_first: date) -> str:
    if month_first < target.starts_on.replace(day=1):
        return "later"
    if rate is None:
        return "none"
    if rate >= target.target_rate:
        return "green"
    return "amber" if rate >= target.warning_rate else "red"


def compliance_board(*, person: Person, now: datetime, months: int = 12) -> tuple[list[date], list[ComplianceLine]]:
    """Each agency of the person's scope against its level's target: the last closed month, its
    light, and the trend of the months before."""
    scope = require_scope(person, now)
    firsts = closed_months(now=now, count=months)
    by_month = monthly_counts(scope=scope, months=firsts, now=now)
    known = agencies_for(scope)
    folded = {
        first: {
            line.agency.pk: line
            for line in fold(
                by_month[first], scope=scope, last_day=next_month(first) - timedelta(days=1), agencies=known
            )
        }
        for first in firsts
    }
    last = firsts[-1]
    goals = targets()
    lines = []
    for agency_id, line in folded[last].items():
        values = m.derived(line.values)
        rate = compliance_rate(values)
        trend = []
        for first in firsts:
            month_line = folded[first].get(agency_id)
            trend.append(compliance_rate(m.derived(month_line.values)) if month_line else None)
        target = goals[line.level]
        lines.append(
            ComplianceLine(
                agency=line.agency,
                level=line.level,
                target=target,
                values=values,
                rate=rate,
                light=_light(rate, target, last),
                trend=trend,
                merged=line.merged,
            )
        )
    order = {"red": 0, "amber": 1, "none": 2, "green": 3, "later": 4}
    lines.sort(key=lambda item: (order[item.light], item.rate if item.rate is not None else 101, item.agency.path))
    return firsts, lines
