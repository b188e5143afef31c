"""Reads of outgoing documents: one document for a person (404 when they may not see it) and the
six work queues of DOMAIN §1.5 / issue 4 with their counts.

Every read starts from ``policies.outgoing_visible_to`` (permissions in SQL); a queue narrows it
further to the person's part of the work:

- ``mine`` "Dự thảo của tôi": drafts (new or sent back) the person (or whoever delegated to them) drafts;
- ``opinions`` "Chờ cho ý kiến": documents under review with an ACTIVE non-approval step of theirs;
- ``to_sign`` "Chờ duyệt/ký": documents awaiting signature with their ACTIVE approval step;
- ``to_issue`` "Chờ cấp số, phát hành": SIGNED or ISSUING documents of the agencies whose registry
  (CLERK) they keep;
- ``issued`` "Đã phát hành": issued, recalled or replaced documents they see;
- ``tracking`` "Theo dõi gửi": documents issued by their agencies, with the recipients' statuses.

The counts of all queues come from one aggregate query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from enum import StrEnum

from django.db.models import Count
from django.db.models import IntegerField
from django.db.models import Min
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vanthu.core import clock
from vanthu.core.errors import NotFoundError
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterScope
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryKind
from vanthu.exchange.models import DeliveryStatus
from vanthu.org.grants import grants_for
from vanthu.org.grants import member_agency_ids
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.outgoing import policies
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.models import ReviewStep
from vanthu.outgoing.models import StepKind
from vanthu.outgoing.models import StepStatus


class Queue(StrEnum):
    MINE = "mine"
    OPINIONS = "opinions"
    TO_SIGN = "to_sign"
    TO_ISSUE = "to_issue"
    ISSUED = "issued"
    TRACKING = "tracking"


QUEUE_LABELS = {
    Queue.MINE: _("My drafts"),
    Queue.OPINIONS: _("Awaiting my opinion"),
    Queue.TO_SIGN: _("Awaiting my approval and signature"),
    Queue.TO_ISSUE: _("Awaiting number and issuance"),
    Queue.ISSUED: _("Issued"),
    Queue.TRACKING: _("Delivery tracking"),
}

# Arrived or further along at the recipient (anything but waiting, refused or failed).
REACHED_STATUSES = (
    DeliveryStatus.ARRIVED,
    DeliveryStatus.REGISTERED,
    DeliveryStatus.ASSIGNED,
    DeliveryStatus.IN_PROGRESS,
    DeliveryStatus.DONE,
    DeliveryStatus.SENT,
)
PROBLEM_STATUSES = (DeliveryStatus.REFUSED, DeliveryStatus.FAILED)


@dataclass(frozen=True)
class QueueFilters:
    """Filters of a queue list: all optional."""

    document_type_id: int | None = None
    urgency: str = ""
    text: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _queue_condition(queue: Queue, person: Person, now: datetime) -> Q:
    ids = policies.acting_ids(person, now)
    if queue == Queue.MINE:
        return Q(drafter_id__in=ids, status=OutgoingStatus.DRAFT)
    if queue in (Queue.OPINIONS, Queue.TO_SIGN):
        steps = ReviewStep.objects.filter(status=StepStatus.ACTIVE, assignee_id__in=ids)
        if queue == Queue.OPINIONS:
            waiting = steps.exclude(kind=StepKind.APPROVAL).values("outgoing_id")
            return Q(pk__in=waiting, status=OutgoingStatus.IN_REVIEW)
        approving = steps.filter(kind=StepKind.APPROVAL).values("outgoing_id")
        return Q(pk__in=approving, status=OutgoingStatus.AWAITING_SIGNATURE)
    if queue == Queue.TO_ISSUE:
        return Q(
            agency_id__in=policies.clerk_agency_ids(person, now),
            status__in=[OutgoingStatus.SIGNED, OutgoingStatus.ISSUING],
        )
    if queue == Queue.ISSUED:
        return Q(status__in=policies.ISSUED_STATUSES)
    # TRACKING: what the person's agencies issued.
    return Q(agency_id__in=member_agency_ids(grants_for(person, now)), status__in=policies.ISSUED_STATUSES)


def _apply_filters(outgoings: QuerySet[Outgoing], filters: QueueFilters, *, issued: bool) -> QuerySet[Outgoing]:
    if filters.document_type_id is not None:
        outgoings = outgoings.filter(document__document_type_id=filters.document_type_id)
    if filters.urgency:
        outgoings = outgoings.filter(document__urgency=filters.urgency)
    text = filters.text.strip()
    if text:
        condition = Q(document__subject__icontains=text) | Q(document__symbol__icontains=text)
        number, _slash, symbol = text.partition("/")
        if number.strip().isdigit():
            by_number = Q(document__number=int(number.strip()))
            if symbol.strip():
                by_number &= Q(document__symbol__icontains=symbol.strip())
            condition |= by_number
        outgoings = outgoings.filter(condition)
    if filters.date_from is not None or filters.date_to is not None:
        if issued:
            if filters.date_from is not None:
                outgoings = outgoings.filter(document__issued_date__gte=filters.date_from)
            if filters.date_to is not None:
                outgoings = outgoings.filter(document__issued_date__lte=filters.date_to)
        else:
            if filters.date_from is not None:
                outgoings = outgoings.filter(created_at__gte=clock.start_of_vietnam_day(filters.date_from))
            if filters.date_to is not None:
                outgoings = outgoings.filter(created_at__lte=clock.end_of_vietnam_day(filters.date_to))
    return outgoings


def _with_list_data(outgoings: QuerySet[Outgoing], person: Person, now: datetime) -> QuerySet[Outgoing]:
    """What a queue row shows, in the same query: the document, its type, the drafter, the
    deadline of the person's active step, and the recipients' delivery counts."""
    ids = policies.acting_ids(person, now)
    my_step_due = (
        ReviewStep.objects.filter(outgoing=OuterRef("pk"), status=StepStatus.ACTIVE, assignee_id__in=ids)
        .order_by()
        .values("outgoing")
        .annotate(due=Min("due_at"))
        .values("due")
    )
    originals = Delivery.objects.filter(document=OuterRef("document_id"), kind=DeliveryKind.ORIGINAL).order_by()

    def _count(condition: Q) -> Coalesce:
        counted = originals.filter(condition).values("document").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return outgoings.select_related(
        "document", "document__document_type", "drafter", "drafting_unit", "agency"
    ).annotate(
        my_step_due_at=Subquery(my_step_due),
        deliveries_total=_count(Q()),
        deliveries_reached=_count(Q(status__in=REACHED_STATUSES)),
        deliveries_problem=_count(Q(status__in=PROBLEM_STATUSES)),
    )


def outgoing_queue_for(
    *, person: Person, queue: str, now: datetime, filters: QueueFilters | None = None
) -> QuerySet[Outgoing]:
    """The documents of one queue of ``person``, newest first (issued ones by their issue date).
    An unknown queue is a 404."""
    try:
        chosen = Queue(queue)
    except ValueError:
        raise NotFoundError() from None
    outgoings = policies.outgoing_visible_to(person, now).filter(_queue_condition(chosen, person, now))
    issued = chosen in (Queue.ISSUED, Queue.TRACKING)
    outgoings = _apply_filters(outgoings, filters or QueueFilters(), issued=issued)
    # Issued documents by their issue date (a document registered late keeps its place in time).
    order = ("-issued_at", "-id") if issued else ("-id",)
    return _with_list_data(outgoings, person, now).order_by(*order)


def outgoing_list_for(*, person: Person, now: datetime, filters: QueueFilters | None = None) -> QuerySet[Outgoing]:
    """Every outgoing document ``person`` sees (the API list without ``?queue=``)."""
    outgoings = _apply_filters(policies.outgoing_visible_to(person, now), filters or QueueFilters(), issued=False)
    return _with_list_data(outgoings, person, now).order_by("-id")


def queue_counts(*, person: Person, now: datetime) -> dict[str, int]:
    """How many documents wait in each queue of ``person`` (one aggregate query)."""
    visible = policies.outgoing_visible_to(person, now)
    aggregates = {queue.value: Count("pk", filter=_queue_condition(queue, person, now)) for queue in Queue}
    counts = visible.aggregate(**aggregates)
    return {queue.value: int(counts.get(queue.value) or 0) for queue in Queue}


def outgoing_get_for(*, person: Person, pk: int, now: datetime) -> Outgoing:
    """One outgoing document ``person`` may see, with its document; 404 otherwise."""
    outgoing = (
        policies.outgoing_visible_to(person, now)
        .select_related(
            "document",
            "document__document_type",
            "document__signer",
            "document__reply_to",
            "document__current_version",
            "drafter",
            "drafting_unit",
            "agency",
            "register",
            "register_entry",
            "replaces__document",
            "corrects__document",
        )
        .filter(pk=pk)
        .first()
    )
    if outgoing is None:
        raise NotFoundError()
    return outgoing


def drafting_agencies(*, person: Person, now: datetime) -> list[Agency]:
    """The agencies ``person`` may draft outgoing documents for (current ones first by name)."""
    ids = {grant.agency_id for grant in grants_for(person, now) if grant.role in policies.DRAFTING_ROLES}
    return list(Agency.objects.filter(pk__in=ids, valid_to__isnull=True).order_by("name", "id"))


def issue_preview(*, outgoing: Outgoing, now: datetime) -> tuple[Register | None, int]:
    """The register an issuance would take its number from and that number (a preview: the number
    is taken for real, under a lock, when issuance starts). The type's own register of the year
    wins over the general outgoing register; no register yet means 01."""
    if outgoing.register_entry_id is not None and outgoing.register_entry is not None:
        return outgoing.register, outgoing.register_entry.number
    year = clock.vietnam_year(now)
    registers = Register.objects.filter(agency_id=outgoing.agency_id, year=year, closed_at__isnull=True)
    register = (
        registers.filter(scope=RegisterScope.OUTGOING_TYPE, document_type_id=outgoing.document.document_type_id).first()
        or registers.filter(scope=RegisterScope.OUTGOING).order_by("id").first()
    )
    return register, register.next_number if register is not None else 1


def outgoing_register_list_for(*, person: Person, now: datetime, year: int | None = None) -> list[Register]:
    """The outgoing registers (all, per type, advisory) of the year (every year: None) of the agencies whose registry
    ``person`` keeps, or whose members they lead."""
    agency_ids = policies.clerk_agency_ids(person, now) | {
        grant.agency_id for grant in grants_for(person, now) if grant.role == Role.AGENCY_LEADER
    }
    registers = Register.objects.filter(
        agency_id__in=agency_ids,
        scope__in=[RegisterScope.OUTGOING, RegisterScope.OUTGOING_TYPE, RegisterScope.ADVISORY],
    )
    if year is not None:
        registers = registers.filter(year=year)
    return list(registers.select_related("agency", "document_type").order_by("agency__name", "code", "id"))


def steps_of(*, outgoing: Outgoing) -> QuerySet[ReviewStep]:
    """The review circuit of every round, in order, with the people."""
    return ReviewStep.objects.filter(outgoing=outgoing).select_related("assignee", "decided_by")


def document_links(document_ids: Sequence[int]) -> dict[int, str]:
    """The outgoing page of each of ``document_ids`` that is an outgoing document (a link provider of
    ``documents.links``)."""
    rows = Outgoing.objects.filter(document_id__in=document_ids).order_by().values_list("document_id", "pk")
    return {document_id: reverse("outgoing:detail", args=[pk]) for document_id, pk in rows}
