"""The base counts of the statistics, computed from the audit events only (ARCHITECTURE §3.6: a
report is reproducible from the log), per agency that recorded the event — and the documents
behind any of them, found with the very same conditions.

Flow counts take the events of the period ``[starts_at, ends_before)``; the two snapshot counts
(in progress within deadline / overdue) look at every direction, completion, reopening, recall
and extension before ``ends_before``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from datetime import datetime
from typing import Any

from django.db.models import Count
from django.db.models import Exists
from django.db.models import F
from django.db.models import IntegerField
from django.db.models import Max
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Subquery
from django.db.models import Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.db.models.functions import TruncMonth

from vanthu.audit.models import AuditEvent
from vanthu.core.clock import VIETNAM
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.reports import measures as m

OPENING = (m.DIRECTED, m.REOPENED)
CLOSING = (m.COMPLETED, m.RECALLED)
DEADLINES = (m.DIRECTED, m.EXTENDED)
INCOMING_TARGET = "incoming.incoming"
OPEN_NOW = (IncomingStatus.DIRECTED, IncomingStatus.IN_PROGRESS)

Counts = dict[int, dict[str, int]]  # agency id -> base key -> count


def _window(
    actions: Iterable[str], agency_ids: set[int] | None, starts_at: datetime, ends_before: datetime
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(
        action__in=list(actions), occurred_at__gte=starts_at, occurred_at__lt=ends_before
    )
    if agency_ids is not None:
        events = events.filter(agency_id__in=agency_ids)
    return events.order_by()


def _grouped(events: QuerySet[Any], **aggregates: Any) -> Counts:
    counts: Counts = defaultdict(dict)
    rows: Iterable[Any] = events.values("agency_id").annotate(**aggregates)
    for row in rows:
        agency_id = row.get("agency_id")
        if agency_id is None:
            continue
        for key in aggregates:
            counts[int(agency_id)][key] = int(row.get(key) or 0)
    return counts


def flow_counts(*, agency_ids: set[int] | None, starts_at: datetime, ends_before: datetime) -> Counts:
    """The counts of the period's events, by the agency that recorded them."""
    counts: Counts = defaultdict(dict)

    def count(key: str) -> Count:
        return Count("id", filter=m.event_condition(key, ends_before))

    groups = [
        _grouped(
            _window((m.ISSUED, m.PAPER_ISSUED), agency_ids, starts_at, ends_before),
            out_electronic=count("out_electronic"),
            out_paper=count("out_paper"),
            out_signed_agency=count("out_signed_agency"),
        ),
        _grouped(
            _window((m.REGISTERED,), agency_ids, starts_at, ends_before),
            in_received=count("in_received"),
            in_paper=count("in_paper"),
        ),
        _grouped(
            _window((m.COMPLETED,), agency_ids, starts_at, ends_before),
            done_on_time=count("done_on_time"),
            done_late=count("done_late"),
            days_sum=Sum(Cast(KT("data__working_days"), IntegerField())),
        ),
    ]
    for group in groups:
        for agency_id, values in group.items():
            counts[agency_id].update(values)
    return counts


PROCESSED_FROM = "in_processed_from:"  # + "YYYY-MM": first directions, by the month of registration


def _first_directions(agency_ids: set[int] | None, starts_at: datetime, ends_before: datetime) -> QuerySet[AuditEvent]:
    """The directions of the window that were the document's first, with its registration moment."""
    earlier = AuditEvent.objects.filter(
        action=m.DIRECTED,
        target_type=OuterRef("target_type"),
        target_id=OuterRef("target_id"),
        occurred_at__lt=OuterRef("occurred_at"),
    )
    registered = (
        AuditEvent.objects.filter(
            action=m.REGISTERED, target_type=OuterRef("target_type"), target_id=OuterRef("target_id")
        )
        .order_by("occurred_at")
        .values("occurred_at")[:1]
    )
    return (
        _window((m.DIRECTED,), agency_ids, starts_at, ends_before)
        .filter(~Exists(earlier))
        .annotate(registered_at=Subquery(registered))
    )


def processed_counts(
    *, agency_ids: set[int] | None, starts_at: datetime, ends_before: datetime, registered_from: datetime
) -> Counts:
    """``in_processed``: the first directions of the window of documents registered since
    ``registered_from`` (with the window starting there: received in the period and directed in
    the system before it ended)."""
    rows = _first_directions(agency_ids, starts_at, ends_before).filter(
        registered_at__gte=registered_from  # type: ignore[misc]  # an annotation
    )
    return _grouped(rows, in_processed=Count("id"))


def processed_by_month(*, agency_ids: set[int] | None, starts_at: datetime, ends_before: datetime) -> Counts:
    """The first directions of the window by agency and month of registration (Vietnam time):
    ``in_processed_from:YYYY-MM`` — what a rollup keeps so that any run of whole months adds up."""
    rows = (
        _first_directions(agency_ids, starts_at, ends_before)
        .filter(registered_at__isnull=False)  # type: ignore[misc]  # an annotation
        .annotate(month=TruncMonth("registered_at", tzinfo=VIETNAM))
        .values("agency_id", "month")
        .annotate(n=Count("id"))
    )
    counts: Counts = defaultdict(dict)
    for row in rows:
        month = row["month"]
        key = f"{PROCESSED_FROM}{month:%Y-%m}"
        counts[int(row["agency_id"])][key] = int(row["n"])
    return counts


def processed_from(values: dict[str, int], first_month: date, last_month: date) -> int:
    """The first directions kept in ``values`` of documents registered from ``first_month`` to
    ``last_month`` (their first days)."""
    low, high = f"{PROCESSED_FROM}{first_month:%Y-%m}", f"{PROCESSED_FROM}{last_month:%Y-%m}"
    return sum(value for key, value in values.items() if key.startswith(PROCESSED_FROM) and low <= key <= high)


def state_snapshot_counts(*, agency_ids: set[int] | None, today: date) -> Counts:
    """In progress now (directed or being handled), within deadline or overdue (deadline before
    today), from the documents' state — the same as the events give at this moment (tested)."""
    rows = Incoming.objects.filter(status__in=OPEN_NOW)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    return _grouped(
        rows.order_by(),
        open_overdue=Count("id", filter=Q(due_date__lt=today)),
        open_in_time=Count("id", filter=Q(due_date__isnull=True) | Q(due_date__gte=today)),
    )


def _open_targets(*, agency_ids: set[int] | None, ends_before: datetime) -> QuerySet[Any]:
    """One row per incoming document directed before ``ends_before`` and not completed (or
    recalled) since its last direction or reopening: (agency, target, latest deadline)."""
    events = AuditEvent.objects.filter(
        action__in=[*OPENING, *CLOSING, m.EXTENDED], target_type=INCOMING_TARGET, occurred_at__lt=ends_before
    )
    if agency_ids is not None:
        events = events.filter(agency_id__in=agency_ids)
    rows = (
        events.order_by()
        .values("agency_id", "target_id")
        .annotate(
            opened=Max("occurred_at", filter=Q(action__in=OPENING)),
            closed=Max("occurred_at", filter=Q(action__in=CLOSING)),
            due=Max(KT("data__due_date"), filter=Q(action__in=DEADLINES)),
        )
        .filter(opened__isnull=False)
    )
    return rows.filter(Q(closed__isnull=True) | Q(closed__lt=F("opened")))


def _overdue(due: str | None, last_day: date) -> bool:
    return bool(due) and date.fromisoformat(str(due)) <= last_day


def snapshot_counts(*, agency_ids: set[int] | None, ends_before: datetime, last_day: date) -> Counts:
    """In progress at the end of the period, within deadline (or without one) or overdue."""
    counts: Counts = defaultdict(lambda: {"open_in_time": 0, "open_overdue": 0})
    for row in _open_targets(agency_ids=agency_ids, ends_before=ends_before).values_list("agency_id", "due"):
        agency_id, due = row
        key = "open_overdue" if _overdue(due, last_day) else "open_in_time"
        counts[agency_id][key] += 1
    return counts


def add(into: dict[str, int], values: dict[str, int]) -> None:
    """Add one agency's ``values`` into ``into`` (key by key)."""
    for key, value in values.items():
        into[key] = into.get(key, 0) + value


def merge(into: Counts, more: Counts) -> Counts:
    """Add ``more`` into ``into`` (agency by agency, key by key)."""
    for agency_id, values in more.items():
        add(into.setdefault(agency_id, {}), values)
    return into


def base_counts(*, agency_ids: set[int] | None, starts_at: datetime, ends_before: datetime, last_day: date) -> Counts:
    """Every base count of ``[starts_at, ends_before)`` from the events alone."""
    counts = flow_counts(agency_ids=agency_ids, starts_at=starts_at, ends_before=ends_before)
    merge(
        counts,
        processed_counts(
            agency_ids=agency_ids, starts_at=starts_at, ends_before=ends_before, registered_from=starts_at
        ),
    )
    for agency_id, values in snapshot_counts(agency_ids=agency_ids, ends_before=ends_before, last_day=last_day).items():
        counts.setdefault(agency_id, {}).update(values)
    return counts


def document_ids(
    *, key: str, agency_ids: set[int], starts_at: datetime, ends_before: datetime, last_day: date
) -> list[int]:
    """The documents behind one count (the same conditions as the count), oldest event first."""
    measure = m.BY_KEY[key]
    if key in m.SNAPSHOT_KEYS:
        rows = _open_targets(agency_ids=agency_ids, ends_before=ends_before).values_list("target_id", "due")
        wanted = key == "open_overdue"
        incoming_ids = [int(target) for target, due in rows if _overdue(due, last_day) == wanted]
        return list(Incoming.objects.filter(pk__in=incoming_ids).order_by("pk").values_list("document_id", flat=True))
    keys = measure.parts or (key,)
    ids: list[int] = []
    for part in keys:
        part_measure = m.BY_KEY[part]
        events = _window(part_measure.actions, agency_ids, starts_at, ends_before).filter(
            m.event_condition(part, ends_before)
        )
        values = events.order_by("occurred_at", "id").values_list(KT(f"data__{part_measure.document_key}"), flat=True)
        ids += [int(value) for value in values if value not in (None, "")]
    return ids
