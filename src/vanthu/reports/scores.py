"""The yearly IT-use evaluation of each agency: bonus and penalty points from the configurable
rules (``ScoreRule``) applied to the agency's statistics of the period."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from vanthu.reports import measures as m
from vanthu.reports.models import ScoreRule
from vanthu.reports.tables import ReportTable


@dataclass(frozen=True)
class Score:
    agency_id: int
    label: str
    points: int
    met: list[tuple[str, int]]  # the rules that gave points (their label, their points)


def active_rules() -> QuerySet[ScoreRule]:
    return ScoreRule.objects.filter(is_active=True, measure__in=list(m.BY_KEY))


def _holds(rule: ScoreRule, value: int | float | None) -> bool:
    if value is None:
        return False
    if rule.comparison == ScoreRule.Comparison.AT_LEAST:
        return float(value) >= rule.threshold
    return float(value) < rule.threshold


def scores(table: ReportTable) -> list[Score]:
    """Each agency row of ``table`` scored by every rule in use; an agency without documents in a
    measure gets neither its bonus nor its penalty."""
    rules = list(active_rules())
    out = []
    for row in table.rows:
        if row.is_total or row.agency_id is None:
            continue
        met = [(rule.label, rule.points) for rule in rules if _holds(rule, row.values.get(rule.measure))]
        out.append(
            Score(agency_id=row.agency_id, label=row.label, points=sum(points for _label, points in met), met=met)
        )
    out.sort(key=lambda score: (-score.points, score.label))
    return out
