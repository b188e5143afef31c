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
from django.db.models import F
from django.db.models import IntegerField
from django.db.models import Max
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from vanthu.audit.models import AuditEvent
from vanthu.incoming.models import Incoming
from vanthu.reports import measures as m

OPENING = (m.DIRECTED, m.REOPENED)
CLOSING = (m.COMPLETED, m.RECALLED)
DEADLINES = (m.DIRECTED, m.EXTENDED)
INCOMING_TARGET = "incoming.incoming"

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


def _grouped(events: QuerySet[AuditEvent], **aggregates: Any) -> Counts:
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
            in_processed=count("in_processed"),
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


def base_counts(*, agency_ids: set[int] | None, starts_at: datetime, ends_before: datetime, last_day: date) -> Counts:
    counts = flow_counts(agency_ids=agency_ids, starts_at=starts_at, ends_before=ends_before)
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
