"""Writes of the reports app: the monthly rollups (recomputed from the events, never edited), the
directive's targets, the periodic reports (kept as generated). Each write is audited."""

from __future__ import annotations

import hashlib
from datetime import date
from datetime import datetime
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.clock import start_of_vietnam_day
from vanthu.core.clock import vietnam_date
from vanthu.core.errors import ValidationError
from vanthu.core.selectors import calendar_load
from vanthu.org.models import Person
from vanthu.reports import events
from vanthu.reports import facts
from vanthu.reports.levels import Level
from vanthu.reports.measures import MEASURES
from vanthu.reports.models import DirectiveTarget
from vanthu.reports.models import GeneratedReport
from vanthu.reports.models import MonthlyRollup
from vanthu.reports.models import ScoreRule
from vanthu.reports.pdf import report_pdf
from vanthu.reports.periods import month as month_period
from vanthu.reports.periods import periods_ending_with
from vanthu.reports.periods import previous_month
from vanthu.reports.policies import can_change_targets
from vanthu.reports.policies import require
from vanthu.reports.selectors import province_table
from vanthu.reports.tables import ReportTable
from vanthu.reports.xlsx import report_xlsx


def rollup_values(*, first: date, through: datetime) -> facts.Counts:
    """One month's base counts of every agency, from its first moment to ``through``."""
    period = month_period(first.year, first.month)
    counts = facts.flow_counts(agency_ids=None, starts_at=period.starts_at, ends_before=through)
    facts.merge(counts, facts.processed_by_month(agency_ids=None, starts_at=period.starts_at, ends_before=through))
    last_day = vietnam_date(through - timedelta(microseconds=1))
    for agency_id, values in facts.snapshot_counts(agency_ids=None, ends_before=through, last_day=last_day).items():
        counts.setdefault(agency_id, {}).update(values)
    return counts


@transaction.atomic
def rollup_month(*, first: date, now: datetime) -> int:
    """Recompute one month's counts for every agency from the events: to its end once it is
    over, to the start of today for the month in progress (a month still to come is refused).
    Returns the number of agencies with a row."""
    period = month_period(first.year, first.month)
    through = min(period.ends_before, start_of_vietnam_day(vietnam_date(now)))
    if through <= period.starts_at:
        raise ValidationError(_("The month has not begun yet."), code="month_not_begun")
    counts = rollup_values(first=period.start, through=through)
    MonthlyRollup.objects.filter(month=period.start).delete()
    MonthlyRollup.objects.bulk_create(
        [
            MonthlyRollup(agency_id=agency_id, month=period.start, values=values, through=through, computed_at=now)
            for agency_id, values in counts.items()
            if any(values.values())
        ]
    )
    audit.record(
        action=events.ROLLUP_COMPUTED,
        actor=None,
        agency=None,
        now=now,
        data={"month": period.start.isoformat(), "through": through.isoformat(), "agencies": len(counts)},
    )
    return len(counts)


@transaction.atomic
def directive_target_set(
    *, level: str, starts_on: date, target_rate: int, warning_rate: int, actor: Person, now: datetime
) -> DirectiveTarget:
    """An inspector of the whole province changes a level's target (the directive: 100 %)."""
    require(can_change_targets(actor, now), _("Only the province's inspectors change the directive's targets."))
    if level not in Level.__members__.values():
        raise ValidationError(_("This level is not known."), details={"field": "level"})
    if not 0 <= warning_rate <= target_rate <= 100:  # noqa: PLR2004 - percentages
        raise ValidationError(
            _("The red threshold must be between 0 and the target, the target at most 100 %."),
            details={"field": "warning_rate"},
        )
    target, _created = DirectiveTarget.objects.update_or_create(
        level=level,
        defaults={
            "starts_on": starts_on,
            "target_rate": target_rate,
            "warning_rate": warning_rate,
            "updated_at": now,
            "updated_by": actor,
        },
    )
    audit.record(
        action=events.TARGET_CHANGED,
        actor=actor,
        agency=None,
        now=now,
        target=target,
        data={"level": level, "starts_on": starts_on.isoformat(), "target": target_rate, "red_below": warning_rate},
    )
    return target


@transaction.atomic
def report_keep(*, table: ReportTable, kind: str, xlsx: bytes, pdf: bytes, now: datetime) -> GeneratedReport:
    """Keep a generated periodic report (once per period: a second generation keeps the first)."""
    report, created = GeneratedReport.objects.get_or_create(
        kind=kind,
        period_start=table.period_start,
        period_end=table.period_end,
        defaults={
            "label": f"{table.title} — {table.period_label}"[:200],
            "generated_at": now,
            "xlsx": xlsx,
            "pdf": pdf,
            "xlsx_sha256": hashlib.sha256(xlsx).hexdigest(),
            "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
        },
    )
    if created:
        audit.record(
            action=events.REPORT_GENERATED,
            actor=None,
            agency=None,
            now=now,
            target=report,
            data={"period": table.period_label, "pdf_sha256": report.pdf_sha256, "xlsx_sha256": report.xlsx_sha256},
        )
    return report


def rollups_catch_up(*, now: datetime, months: int = 13) -> list[date]:
    """The daily job: each of the last ``months`` months over without a final rollup gets one
    (a month's events do not change once it is over), and the month in progress is counted to
    the start of today. The months rolled up."""
    today = vietnam_date(now)
    current = today.replace(day=1)
    kept = set(MonthlyRollup.objects.values_list("month", "through").distinct())
    done = {month for month, through in kept if through >= month_period(month.year, month.month).ends_before}
    rolled = []
    first = current
    for _index in range(months):
        first = (first - timedelta(days=1)).replace(day=1)
        if first not in done:
            rollup_month(first=first, now=now)
            rolled.append(first)
    if start_of_vietnam_day(today) > month_period(current.year, current.month).starts_at:
        rollup_month(first=current, now=now)
        rolled.append(current)
    return sorted(rolled)


def is_first_working_day(day: date) -> bool:
    calendar = calendar_load(years=range(day.year, day.year + 1))
    return calendar.add_working_days(day.replace(day=1), 0) == day


def periodic_reports_generate(*, now: datetime, force: bool = False) -> list[GeneratedReport]:
    """On the first working day of a month (or when forced), the reports due for the Department
    of Finance: last month, and the quarter, 6, 9 or 12 months that end with it (kept once)."""
    today = vietnam_date(now)
    if not (force or is_first_working_day(today)):
        return []
    kept = []
    for period in periods_ending_with(previous_month(today)):
        if GeneratedReport.objects.filter(kind=period.kind, period_start=period.start, period_end=period.end).exists():
            continue
        table = province_table(period=period, now=now)
        kept.append(report_keep(table=table, kind=period.kind, xlsx=report_xlsx(table), pdf=report_pdf(table), now=now))
    return kept


@transaction.atomic
def score_rule_save(  # noqa: PLR0913 - the fields of a rule
    *,
    pk: int | None,
    label: str,
    measure: str,
    comparison: str,
    threshold: float,
    points: int,
    is_active: bool,
    actor: Person,
    now: datetime,
) -> ScoreRule:
    """Add or change a rule of the yearly IT-use evaluation (the province's inspectors)."""
    require(can_change_targets(actor, now), _("Only the province's inspectors change the evaluation's rules."))
    label = " ".join((label or "").split())[:200]
    if not label:
        raise ValidationError(_("Name the criterion."), details={"field": "label"})
    if measure not in {item.key for item in MEASURES}:
        raise ValidationError(_("Choose a measure from the list."), details={"field": "measure"})
    if comparison not in ScoreRule.Comparison.values:
        raise ValidationError(_("Choose “at least” or “below”."), details={"field": "comparison"})
    if not -10 <= points <= 10 or points == 0:  # noqa: PLR2004 - a sensible scale of points
        raise ValidationError(_("Give between -10 and 10 points, not 0."), details={"field": "points"})
    rule = ScoreRule.objects.select_for_update().filter(pk=pk).first() if pk else ScoreRule()
    if rule is None:
        raise ValidationError(_("This rule no longer exists."), code="not_found")
    before = {"label": rule.label, "measure": rule.measure, "threshold": rule.threshold, "points": rule.points}
    rule.label, rule.measure, rule.comparison = label, measure, comparison
    rule.threshold, rule.points, rule.is_active = float(threshold), int(points), is_active
    if not rule.pk:
        rule.ordinal = (ScoreRule.objects.order_by("-ordinal").values_list("ordinal", flat=True).first() or 0) + 1
    rule.save()
    audit.record(
        action=events.SCORE_RULE_SAVED,
        actor=actor,
        agency=None,
        now=now,
        target=rule,
        data={"before": before if pk else None, "label": label, "measure": measure, "comparison": comparison,
              "threshold": rule.threshold, "points": rule.points, "active": is_active},
    )  # fmt: skip
    return rule
