"""The statistics of a world whose numbers are known (reports/tests/world.py): every measure for a
month, a quarter, a year and a range of two days across a month's end; the merged agency counted
for its successor; the documents behind each number; the rollups equal to a recomputation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from vanthu.core.errors import PermissionDeniedError
from vanthu.org.models import Agency
from vanthu.org.models import Role
from vanthu.org.tests.factories import person_with_role
from vanthu.reports import facts
from vanthu.reports import selectors
from vanthu.reports import services
from vanthu.reports.models import MonthlyRollup
from vanthu.reports.periods import PeriodKind
from vanthu.reports.periods import month
from vanthu.reports.periods import period_custom
from vanthu.reports.periods import period_of
from vanthu.reports.tests.world import World
from vanthu.reports.tests.world import at

pytestmark = pytest.mark.django_db

LATER = at(11, 26)  # when the reports are read

MARCH = {
    "out_issued": 2, "out_electronic": 2, "out_paper": 0, "out_electronic_rate": 100.0,
    "out_signed_agency": 2, "out_signed_person_rate": 100.0, "out_signed_agency_rate": 100.0,
    "in_received": 2, "in_electronic": 2, "in_paper": 0, "in_electronic_rate": 100.0,
    "in_processed": 1, "in_processed_rate": 50.0,
    "done_on_time": 1, "done_late": 0, "on_time_rate": 100.0, "open_in_time": 0, "open_overdue": 0,
    "avg_days": 5.0,
}  # fmt: skip
APRIL = {
    "out_issued": 2, "out_electronic": 0, "out_paper": 2, "out_electronic_rate": 0.0,
    "out_signed_agency": 0, "out_signed_person_rate": 0.0, "out_signed_agency_rate": 0.0,
    "in_received": 2, "in_electronic": 1, "in_paper": 1, "in_electronic_rate": 50.0,
    "in_processed": 1, "in_processed_rate": 50.0,
    "done_on_time": 0, "done_late": 1, "on_time_rate": 0.0, "open_in_time": 0, "open_overdue": 1,
    "avg_days": 8.0,
}  # fmt: skip
YEAR = {
    "out_issued": 4, "out_electronic": 2, "out_paper": 2, "out_electronic_rate": 50.0,
    "out_signed_agency_rate": 50.0,
    "in_received": 4, "in_electronic": 3, "in_paper": 1, "in_electronic_rate": 75.0,
    "in_processed": 3, "in_processed_rate": 75.0,
    "done_on_time": 1, "done_late": 1, "on_time_rate": 50.0, "open_in_time": 0, "open_overdue": 1,
    "avg_days": 6.5,
}  # fmt: skip
# 31/03 and 01/04: E2 and P1; I2 received on the 31st, directed on the 1st (before the range ends).
TWO_DAYS = {
    "out_issued": 2, "out_electronic": 1, "out_paper": 1, "out_electronic_rate": 50.0,
    "in_received": 1, "in_processed": 1, "in_processed_rate": 100.0, "done_on_time": 0, "done_late": 0,
    "on_time_rate": None, "avg_days": None, "open_in_time": 1, "open_overdue": 0,
}  # fmt: skip


def _row(table: Any, agency_id: int) -> dict[str, Any]:
    return next(row.values for row in table.rows if row.agency_id == agency_id)


def _subset(values: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    return {key: values.get(key) for key in expected}


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (month(2026, 3), MARCH),
        (month(2026, 4), APRIL),
        (period_of(PeriodKind.QUARTER, 2026, 1), MARCH),  # January and February are empty
        (period_of(PeriodKind.YEAR, 2026), YEAR),
        (period_of(PeriodKind.HALF, 2026), YEAR),  # nothing after April
        (period_custom(date(2026, 3, 31), date(2026, 4, 1)), TWO_DAYS),
    ],
    ids=["march", "april", "q1", "year", "six-months", "31-march-to-1-april"],
)
def test_every_measure_of_every_period(world: World, inspector: Any, period: Any, expected: dict[str, Any]) -> None:
    table = selectors.period_table(person=inspector, period=period, now=LATER)

    assert _subset(_row(table, world.stc.pk), expected) == expected


def test_a_merged_agency_counts_for_its_successor_with_a_note(world: World, inspector: Any) -> None:
    table = selectors.period_table(person=inspector, period=month(2026, 4), now=LATER)

    stc = next(row for row in table.rows if row.agency_id == world.stc.pk)
    assert world.old.pk not in [row.agency_id for row in table.rows]
    assert "Sở Kế hoạch và Đầu tư (14/04/2026)" in stc.note
    assert stc.values["out_paper"] == 2  # P1 of STC, P0 of the merged body


def test_totals_by_level_and_for_the_province(world: World, inspector: Any) -> None:
    table = selectors.period_table(person=inspector, period=month(2026, 3), now=LATER)

    totals = [row for row in table.rows if row.is_total]
    assert [row.values["out_issued"] for row in totals] == [2, 2]  # province agencies, then the total
    other = _row(table, world.other.pk)
    assert (other["out_issued"], other["out_electronic_rate"]) == (0, None)  # no base: no rate


LISTS = [
    ("out_electronic", month(2026, 3), ["E1", "E2"]),
    ("out_paper", month(2026, 4), ["P1", "P0"]),
    ("out_issued", month(2026, 4), ["P1", "P0"]),
    ("in_received", month(2026, 3), ["I1", "I2"]),
    ("in_processed", month(2026, 3), ["I1"]),
    ("in_paper", month(2026, 4), ["I3"]),
    ("in_electronic", month(2026, 4), ["I4"]),
    ("done_late", month(2026, 4), ["I2"]),
    ("done_on_time", month(2026, 3), ["I1"]),
    ("open_overdue", month(2026, 4), ["I3"]),
    ("open_in_time", period_custom(date(2026, 3, 31), date(2026, 4, 1)), ["I2"]),
]


def test_every_number_lists_its_documents(world: World, inspector: Any) -> None:
    """One world for every list (it is built through the real services: signing takes time)."""
    for key, period, names in LISTS:
        listed = selectors.documents_behind(person=inspector, key=key, agency_id=world.stc.pk, period=period, now=LATER)
        table = selectors.period_table(person=inspector, period=period, now=LATER)

        assert [document.pk for document in listed.documents] == [world.documents[name] for name in names], key
        assert listed.total == _row(table, world.stc.pk)[key], key


PERIODS = [
    month(2026, 3),
    month(2026, 4),
    period_of(PeriodKind.QUARTER, 2026, 1),
    period_of(PeriodKind.QUARTER, 2026, 2),
    period_of(PeriodKind.HALF, 2026),
    period_of(PeriodKind.YEAR, 2026),
]


def test_rollups_equal_a_recomputation_from_the_events(world: World) -> None:
    scope = set(Agency.objects.values_list("pk", flat=True))
    from_events = [selectors.period_counts(scope=scope, period=period, now=LATER) for period in PERIODS]

    rolled = services.rollups_catch_up(now=LATER)

    assert rolled[0] == date(2025, 10, 1)  # the 13 months over, then the one in progress
    assert rolled[-1] == date(2026, 11, 1)  # the month in progress, counted to the start of today
    november = MonthlyRollup.objects.filter(month=date(2026, 11, 1)).values_list("through", flat=True).distinct()
    assert set(november) <= {at(11, 26, 0)}
    for period, expected in zip(PERIODS, from_events, strict=True):
        from_rollups = selectors.period_counts(scope=scope, period=period, now=LATER)
        assert _nonzero(from_rollups) == _nonzero(expected), period.label
    march = MonthlyRollup.objects.get(month=date(2026, 3, 1), agency=world.stc)
    assert march.through == at(4, 1, 0)
    assert march.values["in_processed_from:2026-03"] == 1  # I1; I2 (registered in March) was directed in April
    april = MonthlyRollup.objects.get(month=date(2026, 4, 1), agency=world.stc)
    assert (april.values["in_processed_from:2026-03"], april.values["in_processed_from:2026-04"]) == (1, 1)


def _nonzero(counts: dict[int, dict[str, int]]) -> dict[int, dict[str, int]]:
    kept = {agency: {k: v for k, v in values.items() if v} for agency, values in counts.items()}
    return {agency: values for agency, values in kept.items() if values}


def test_the_state_of_the_documents_gives_the_snapshot_the_events_give(world: World) -> None:
    from_state = facts.state_snapshot_counts(agency_ids=None, today=date(2026, 11, 26))
    from_events = facts.snapshot_counts(agency_ids=None, ends_before=LATER, last_day=date(2026, 11, 25))

    assert _nonzero(from_state) == _nonzero(from_events) == {world.stc.pk: {"open_overdue": 1}}


def test_a_month_to_come_is_not_rolled_up(world: World) -> None:
    from vanthu.core.errors import ValidationError

    with pytest.raises(ValidationError):
        services.rollup_month(first=date(2026, 12, 1), now=LATER)


class TestWhoReads:
    def test_a_leader_reads_their_agency_only(self, world: World, agency_leader: Any) -> None:
        table = selectors.period_table(person=agency_leader, period=month(2026, 3), now=LATER)
        assert [row.agency_id for row in table.rows if not row.is_total] == [world.stc.pk]

    def test_the_leader_of_another_agency_cannot_open_its_lists(self, world: World) -> None:
        other_leader = person_with_role(Role.AGENCY_LEADER, world.other)
        with pytest.raises(PermissionDeniedError):
            selectors.documents_behind(
                person=other_leader, key="out_electronic", agency_id=world.stc.pk, period=month(2026, 3), now=LATER
            )

    @pytest.mark.parametrize("role", [Role.OFFICER, Role.CLERK, Role.UNIT_LEADER, Role.ADMIN, Role.ARCHIVIST])
    def test_other_roles_read_no_statistics(self, world: World, role: str) -> None:
        person = person_with_role(role, world.stc)
        with pytest.raises(PermissionDeniedError):
            selectors.period_table(person=person, period=month(2026, 3), now=LATER)


def test_the_yearly_it_use_score_applies_the_default_rules(world: World, inspector: Any) -> None:
    from vanthu.reports.scores import scores

    table = selectors.period_table(person=inspector, period=period_of(PeriodKind.YEAR, 2026), now=LATER)
    stc = next(score for score in scores(table) if score.agency_id == world.stc.pk)

    # 50 % issued electronically (-2), 75 % processed in the system (-2), 50 % on time (-1).
    assert stc.points == -5
    assert sorted(points for _label, points in stc.met) == [-2, -2, -1]
