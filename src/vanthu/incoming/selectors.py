"""Reads of incoming documents: one document for a person (404 when they may not see it), the eight
work queues of issue 5 with their counts, the registers.

Every read starts from ``policies.incoming_visible_to`` (permissions in SQL); a queue narrows it
to the person's part of the work:

- ``to_register`` "Chờ vào sổ": ARRIVED documents of the agencies whose registry (CLERK) they keep;
- ``to_direct`` "Chờ cho ý kiến": REGISTERED documents of the agencies they lead (AGENCY_LEADER);
- ``to_handle`` "Cần xử lý": open LEAD assignments of theirs (or of whoever delegated to them), or
  of the units they lead;
- ``cooperate`` "Phối hợp": the same, co-operating;
- ``inform`` "Để biết": for-information assignments of theirs or of their units;
- ``due_soon`` "Sắp đến hạn": documents in handling whose deadline falls within the next
  ``VANTHU_REMINDER_DAYS_BEFORE`` working days, among those they handle or lead;
- ``overdue`` "Quá hạn": the same, past the deadline (an agency leader sees every one of the agency,
  a unit leader those of the unit);
- ``done`` "Đã xử lý": DONE documents they see.

The counts of all queues come from one aggregate query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.db.models import Count
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vanthu.core import clock
from vanthu.core.errors import NotFoundError
from vanthu.core.selectors import calendar_load
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterScope
from vanthu.incoming import policies
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import AssignmentRole
from vanthu.incoming.models import AssignmentStatus
from vanthu.incoming.models import ExtensionRequest
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.models import TraceEntry
from vanthu.incoming.models import TraceKind
from vanthu.org.models import Person
from vanthu.org.models import Unit


class Queue(StrEnum):
    TO_REGISTER = "to_register"
    TO_DIRECT = "to_direct"
    TO_HANDLE = "to_handle"
    COOPERATE = "cooperate"
    INFORM = "inform"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DONE = "done"


QUEUE_LABELS = {
    Queue.TO_REGISTER: _("Awaiting registration"),
    Queue.TO_DIRECT: _("Awaiting direction"),
    Queue.TO_HANDLE: _("To handle"),
    Queue.COOPERATE: _("Co-operating"),
    Queue.INFORM: _("For information"),
    Queue.DUE_SOON: _("Due soon"),
    Queue.OVERDUE: _("Overdue"),
    Queue.DONE: _("Done"),
}

HANDLING_STATUSES = (IncomingStatus.DIRECTED, IncomingStatus.IN_PROGRESS)


@dataclass(frozen=True)
class QueueFilters:
    """Filters of a queue list: all optional."""

    document_type_id: int | None = None
    urgency: str = ""
    text: str = ""
    source: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class _Scope:
    """Who the person acts as, now: ids they act for, agencies by role, units they lead."""

    acting_ids: frozenset[int]
    clerk_agencies: frozenset[int]
    leader_agencies: frozenset[int]
    led_units: frozenset[int]


def _scope(person: Person, now: datetime) -> _Scope:
    return _Scope(
        acting_ids=frozenset(policies.acting_ids(person, now)),
        clerk_agencies=frozenset(policies.clerk_agency_ids(person, now)),
        leader_agencies=frozenset(policies.leader_agency_ids(person, now)),
        led_units=frozenset(policies.led_unit_ids(person, now)),
    )


def reminder_days() -> int:
    return int(getattr(settings, "VANTHU_REMINDER_DAYS_BEFORE", 2))


def due_soon_limit(now: datetime) -> date:
    """The last day counted as "due soon": N working days after today."""
    return calendar_load().add_working_days(clock.vietnam_date(now), reminder_days())


def _assignments_of(scope: _Scope, roles: tuple[str, ...], *, open_only: bool = True) -> QuerySet[Assignment]:
    """The person's assignments with one of ``roles`` (their own, a delegator's, their units'), as
    the ids of their incoming documents: queues are driven by these (indexed) rows."""
    mine = Q(person_id__in=scope.acting_ids) | Q(unit_id__in=scope.led_units)
    assignments = Assignment.objects.filter(mine, role__in=roles)
    if open_only:
        return assignments.filter(status=AssignmentStatus.OPEN)
    return assignments.exclude(status=AssignmentStatus.CANCELLED)


def _held(assignments: QuerySet[Assignment]) -> Q:
    return Q(pk__in=assignments.values("incoming_id"))


def _due_condition(scope: _Scope, *, before: date | None, after: date | None) -> Q:
    """Documents in handling whose deadline (of the document, or of an open assignment of the
    person's) lies in the window; agency leaders see every one of their agencies."""
    window = Q()
    assignment_window = Q()
    if after is not None:
        window &= Q(due_date__gte=after)
        assignment_window &= Q(due_date__gte=after)
    if before is not None:
        window &= Q(due_date__lte=before) if after is not None else Q(due_date__lt=before)
        assignment_window &= Q(due_date__lte=before) if after is not None else Q(due_date__lt=before)
    handled = _assignments_of(scope, (AssignmentRole.LEAD, AssignmentRole.COOPERATE)).filter(assignment_window)
    return Q(status__in=HANDLING_STATUSES) & (_held(handled) | (Q(agency_id__in=scope.leader_agencies) & window))


def _queue_condition(queue: Queue, scope: _Scope, now: datetime) -> Q:
    if queue == Queue.TO_REGISTER:
        return Q(status=IncomingStatus.ARRIVED, agency_id__in=scope.clerk_agencies)
    if queue == Queue.TO_DIRECT:
        return Q(status=IncomingStatus.REGISTERED, agency_id__in=scope.leader_agencies)
    if queue == Queue.TO_HANDLE:
        return _held(_assignments_of(scope, (AssignmentRole.LEAD,))) & Q(status__in=HANDLING_STATUSES)
    if queue == Queue.COOPERATE:
        return _held(_assignments_of(scope, (AssignmentRole.COOPERATE,))) & Q(status__in=HANDLING_STATUSES)
    if queue == Queue.INFORM:
        return _held(_assignments_of(scope, (AssignmentRole.INFORM,), open_only=False))
    today = clock.vietnam_date(now)
    if queue == Queue.DUE_SOON:
        return _due_condition(scope, before=due_soon_limit(now), after=today)
    if queue == Queue.OVERDUE:
        return _due_condition(scope, before=today, after=None)
    return Q(status=IncomingStatus.DONE)


def _apply_filters(incomings: QuerySet[Incoming], filters: QueueFilters) -> QuerySet[Incoming]:
    if filters.document_type_id is not None:
        incomings = incomings.filter(document__document_type_id=filters.document_type_id)
    if filters.urgency:
        incomings = incomings.filter(document__urgency=filters.urgency)
    if filters.source:
        incomings = incomings.filter(source=filters.source)
    text = filters.text.strip()
    if text:
        condition = (
            Q(document__subject__icontains=text)
            | Q(document__symbol__icontains=text)
            | Q(document__issuer_name__icontains=text)
        )
        number, _slash, symbol = text.partition("/")
        if number.strip().isdigit():
            by_number = Q(document__number=int(number.strip()))
            if symbol.strip():
                by_number &= Q(document__symbol__icontains=symbol.strip())
            condition |= by_number | Q(arrival_number=int(number.strip()))
        incomings = incomings.filter(condition)
    if filters.date_from is not None:
        incomings = incomings.filter(received_at__gte=clock.start_of_vietnam_day(filters.date_from))
    if filters.date_to is not None:
        incomings = incomings.filter(received_at__lte=clock.end_of_vietnam_day(filters.date_to))
    return incomings


def _with_list_data(incomings: QuerySet[Incoming]) -> QuerySet[Incoming]:
    return incomings.select_related("document", "document__document_type", "agency")


def incoming_queue_for(
    *, person: Person, queue: str, now: datetime, filters: QueueFilters | None = None
) -> QuerySet[Incoming]:
    """The documents of one queue of ``person``, newest first. An unknown queue is a 404."""
    try:
        chosen = Queue(queue)
    except ValueError:
        raise NotFoundError() from None
    scope = _scope(person, now)
    incomings = policies.incoming_visible_to(person, now).filter(_queue_condition(chosen, scope, now))
    incomings = _apply_filters(incomings, filters or QueueFilters())
    order = ("due_date", "-id") if chosen in (Queue.DUE_SOON, Queue.OVERDUE) else ("-id",)
    return _with_list_data(incomings).order_by(*order)


def incoming_list_for(*, person: Person, now: datetime, filters: QueueFilters | None = None) -> QuerySet[Incoming]:
    """Every incoming document ``person`` sees (the API list without ``?queue=``)."""
    incomings = _apply_filters(policies.incoming_visible_to(person, now), filters or QueueFilters())
    return _with_list_data(incomings).order_by("-id")


def queue_counts(*, person: Person, now: datetime) -> dict[str, int]:
    """How many documents wait in each queue of ``person`` (one aggregate query)."""
    scope = _scope(person, now)
    visible = policies.incoming_visible_to(person, now)
    aggregates = {queue.value: Count("pk", filter=_queue_condition(queue, scope, now)) for queue in Queue}
    counts = visible.aggregate(**aggregates)
    return {queue.value: int(counts.get(queue.value) or 0) for queue in Queue}


def incoming_get_for(*, person: Person, pk: int, now: datetime) -> Incoming:
    """One incoming document ``person`` may see, with its document; 404 otherwise."""
    incoming = (
        policies.incoming_visible_to(person, now)
        .select_related(
            "document",
            "document__document_type",
            "document__current_version",
            "agency",
            "delivery",
            "register",
            "received_by",
            "registered_by",
            "directed_by",
            "completed_by",
        )
        .filter(pk=pk)
        .first()
    )
    if incoming is None:
        raise NotFoundError()
    return incoming


def assignments_of(*, incoming: Incoming) -> list[Assignment]:
    """Every assignment, parents before their children, with units and people."""
    rows = list(
        Assignment.objects.filter(incoming=incoming)
        .select_related("unit", "person", "assigned_by")
        .prefetch_related(Prefetch("children", queryset=Assignment.objects.select_related("unit", "person")))
        .order_by("id")
    )
    rank: dict[str, int] = {AssignmentRole.LEAD: 0, AssignmentRole.COOPERATE: 1, AssignmentRole.INFORM: 2}
    children: dict[int | None, list[Assignment]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[Assignment] = []

    def walk(parent_id: int | None) -> None:
        for row in sorted(children.get(parent_id, []), key=lambda a: (rank.get(a.role, 9), a.pk)):
            ordered.append(row)
            walk(row.pk)

    walk(None)
    return ordered


def trace_of(*, incoming: Incoming) -> list[TraceEntry]:
    return list(TraceEntry.objects.filter(incoming=incoming).order_by("occurred_at", "id"))


def extension_requests_of(*, incoming: Incoming) -> list[ExtensionRequest]:
    return list(
        ExtensionRequest.objects.filter(incoming=incoming)
        .select_related("requested_by", "decided_by", "assignment__unit", "assignment__person")
        .order_by("-requested_at", "-id")
    )


def agency_units(*, agency_id: int) -> QuerySet[Unit]:
    """The units of the receiving agency (for the direction form)."""
    return Unit.objects.filter(agency_id=agency_id).order_by("name", "id")


def agency_people(*, agency_id: int, now: datetime) -> QuerySet[Person]:
    """The people holding a role in the agency now (for the direction form)."""
    return (
        Person.objects.filter(
            is_active=True,
            roles__agency_id=agency_id,
            roles__valid_from__lte=now,
        )
        .filter(Q(roles__valid_to__isnull=True) | Q(roles__valid_to__gt=now))
        .distinct()
        .order_by("full_name", "id")
    )


def unit_people(*, unit_id: int, now: datetime) -> QuerySet[Person]:
    return (
        Person.objects.filter(is_active=True, roles__unit_id=unit_id, roles__valid_from__lte=now)
        .filter(Q(roles__valid_to__isnull=True) | Q(roles__valid_to__gt=now))
        .distinct()
        .order_by("full_name", "id")
    )


def clerk_agency_ids(*, person: Person, now: datetime) -> set[int]:
    return set(_scope(person, now).clerk_agencies)


def incoming_register_list_for(*, person: Person, now: datetime, year: int | None = None) -> list[Register]:
    """The incoming registers of the year (every year: None) of the agencies whose registry
    ``person`` keeps or which they lead."""
    scope = _scope(person, now)
    registers = Register.objects.filter(
        agency_id__in=scope.clerk_agencies | scope.leader_agencies, scope=RegisterScope.INCOMING
    )
    if year is not None:
        registers = registers.filter(year=year)
    return list(registers.select_related("agency").order_by("agency__name", "code", "id"))


# --- searchable text -------------------------------------------------------------------------------

SEARCHED_KINDS = frozenset(
    {
        TraceKind.DIRECTED,
        TraceKind.ASSIGNED,
        TraceKind.PROGRESS,
        TraceKind.INPUT,
        TraceKind.COMPLETED,
        TraceKind.REOPENED,
    }
)


def document_texts(document_ids: Sequence[int]) -> dict[int, list[str]]:
    """What an incoming document adds to its searchable text: the instructions, reports, inputs and
    results of its trace, and the reason of a refusal (a text source of ``documents``)."""
    texts: dict[int, list[str]] = {}
    rows = Incoming.objects.filter(document_id__in=document_ids).exclude(refused_reason="").order_by()
    for document_id, reason in rows.values_list("document_id", "refused_reason"):
        texts.setdefault(document_id, []).append(reason)
    entries = (
        TraceEntry.objects.filter(incoming__document_id__in=document_ids, kind__in=SEARCHED_KINDS)
        .exclude(text="")
        .order_by("id")
    )
    for document_id, text in entries.values_list("incoming__document_id", "text"):
        texts.setdefault(document_id, []).append(text)
    return texts


def document_links(document_ids: Sequence[int]) -> dict[int, str]:
    """The incoming page of each of ``document_ids`` that is an incoming document (a link provider
    of ``documents.links``)."""
    rows = Incoming.objects.filter(document_id__in=document_ids).order_by().values_list("document_id", "pk")
    return {document_id: reverse("incoming:detail", args=[pk]) for document_id, pk in rows}
