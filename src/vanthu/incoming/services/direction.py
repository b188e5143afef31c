"""Direction of an incoming document (Decree 30 Art. 22–23; DOMAIN.md §1.6 step 3): the leader
writes the instruction, names the lead unit or person (chủ trì), the co-operating ones (phối hợp),
those for information (để biết) and a deadline; unit leaders then assign inside their unit.

Deadlines are dates on the working-day calendar (``core.working_days``): "N working days" counts
from today in Vietnam time; a date before today is refused; a date that falls on a day off (a
weekend, Tết, a public holiday) is moved to the next working day and the trace says so.

Also here, used by ``handling`` and ``reminders``: the unit leaders of a set of units, the people
who act on assignments, and notices (urgent documents are e-mailed too)."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.clock import vietnam_date
from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.core.selectors import calendar_load
from vanthu.core.working_days import WorkingCalendar
from vanthu.documents.models import Urgency
from vanthu.exchange.models import DeliveryStatus
from vanthu.incoming import events
from vanthu.incoming import lifecycle
from vanthu.incoming import policies
from vanthu.incoming.lifecycle import IncomingAction
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import AssignmentRole
from vanthu.incoming.models import AssignmentStatus
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import TraceKind
from vanthu.incoming.services.history import sender_report
from vanthu.incoming.services.history import trace_add
from vanthu.notify.services import notification_send
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.org.models import Unit

MAX_DUE_WORKING_DAYS = 250
INSTRUCTION_LENGTH = 4000
NOTIFY_KIND = "incoming.assigned"
URGENT_LEVELS = frozenset({Urgency.URGENT, Urgency.VERY_URGENT, Urgency.FLASH})


@dataclass(frozen=True)
class AssignmentInput:
    """One line of the direction: a role (``AssignmentRole``) and a unit and/or a person."""

    role: str
    unit_id: int | None = None
    person_id: int | None = None


@dataclass(frozen=True)
class Deadline:
    """A resolved deadline: ``due_date`` (a working day, or None) and, when the date asked for was a
    day off, that date in ``moved_from`` and a sentence for the trace in ``note``."""

    due_date: date | None
    moved_from: date | None = None
    note: str = ""


# --- deadlines ------------------------------------------------------------------------------------


def day_label(day: date) -> str:
    return date_format(day, "d/m/Y")


def calendar_around(today: date) -> WorkingCalendar:
    """The working-day calendar with the overrides of last year to two years ahead."""
    return calendar_load(years=range(today.year - 1, today.year + 3))


def deadline_resolve(
    *,
    now: datetime,
    due_date: date | None = None,
    due_working_days: int | None = None,
    calendar: WorkingCalendar | None = None,
    field: str = "due_date",
) -> Deadline:
    """The deadline of a direction or an assignment: a date, or N working days from today.

    Refuses both at once, N < 1, and a date before today; moves a day off to the next working day."""
    today = vietnam_date(now)
    if due_date is not None and due_working_days is not None:
        raise ValidationError(
            _("Give the deadline either as a date or as a number of working days, not both."),
            details={"field": field},
        )
    if due_date is None and due_working_days is None:
        return Deadline(due_date=None)
    working = calendar or calendar_around(today)
    if due_working_days is not None:
        if not 1 <= due_working_days <= MAX_DUE_WORKING_DAYS:
            raise ValidationError(
                _("The deadline is from 1 to %(max)s working days.") % {"max": MAX_DUE_WORKING_DAYS},
                details={"field": "due_working_days"},
            )
        return Deadline(due_date=working.add_working_days(today, due_working_days))
    assert due_date is not None  # noqa: S101 - narrowed above
    if due_date < today:
        raise ValidationError(
            _("The deadline %(date)s is before today.") % {"date": day_label(due_date)},
            code="deadline_in_the_past",
            details={"field": field},
        )
    if working.is_working_day(due_date):
        return Deadline(due_date=due_date)
    moved = working.add_working_days(due_date, 0)
    holiday = working.holiday_name(due_date)
    if holiday:
        note = _("The deadline %(date)s is a day off (%(holiday)s): moved to the next working day, %(moved)s.") % {
            "date": day_label(due_date),
            "holiday": holiday,
            "moved": day_label(moved),
        }
    else:
        note = _("The deadline %(date)s is a day off: moved to the next working day, %(moved)s.") % {
            "date": day_label(due_date),
            "moved": day_label(moved),
        }
    return Deadline(due_date=moved, moved_from=due_date, note=note)


# --- helpers shared by the incoming services ------------------------------------------------------


def incoming_detail_url(incoming: Incoming) -> str:
    """The detail page of ``incoming`` for notifications ("" while the screens are not wired)."""
    try:
        return reverse("incoming:detail", args=[incoming.pk])
    except NoReverseMatch:
        return ""


def unit_leader_ids(unit_ids: Iterable[int], now: datetime) -> dict[int, set[int]]:
    """The UNIT_LEADERs in office of each unit (one query)."""
    wanted = set(unit_ids)
    leaders: dict[int, set[int]] = {unit_id: set() for unit_id in wanted}
    if not wanted:
        return leaders
    rows = (
        RoleAssignment.objects.filter(
            unit_id__in=wanted, role=Role.UNIT_LEADER, valid_from__lte=now, person__is_active=True
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=now))
        .values_list("unit_id", "person_id")
    )
    for unit_id, person_id in rows:
        leaders[unit_id].add(person_id)
    return leaders


def handler_ids(assignments: Iterable[Assignment], now: datetime) -> set[int]:
    """The people who act on ``assignments``: the named person, else the unit's leaders."""
    items = list(assignments)
    leaders = unit_leader_ids({a.unit_id for a in items if a.person_id is None and a.unit_id is not None}, now)
    people: set[int] = set()
    for assignment in items:
        if assignment.person_id is not None:
            people.add(assignment.person_id)
        elif assignment.unit_id is not None:
            people |= leaders.get(assignment.unit_id, set())
    return people


def notify_people(
    *, person_ids: Iterable[int], incoming: Incoming, title: str, now: datetime, kind: str, body: str = ""
) -> None:
    """In-app notices to ``person_ids``; urgent documents are also e-mailed at once."""
    people = list(Person.objects.filter(pk__in=set(person_ids), is_active=True).only("id", "email"))
    if not people:
        return
    notification_send(
        recipients=people,
        title=title,
        body=body,
        now=now,
        url=incoming_detail_url(incoming),
        kind=kind,
        email=incoming.document.urgency in URGENT_LEVELS,
    )


def subject_of(incoming: Incoming) -> str:
    document = incoming.document
    return document.subject[:120]


def _is_urgent(incoming: Incoming) -> bool:
    return incoming.document.urgency in URGENT_LEVELS


def _people_of_agency(person_ids: set[int], agency_id: int, now: datetime) -> dict[int, set[int | None]]:
    """The people among ``person_ids`` holding a role in the agency now → the units of their roles."""
    found: dict[int, set[int | None]] = {}
    if not person_ids:
        return found
    rows = (
        RoleAssignment.objects.filter(
            person_id__in=person_ids, agency_id=agency_id, valid_from__lte=now, person__is_active=True
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=now))
        .values_list("person_id", "unit_id")
    )
    for person_id, unit_id in rows:
        found.setdefault(person_id, set()).add(unit_id)
    return found


def _check_assignments(*, incoming: Incoming, assignments: Sequence[AssignmentInput], now: datetime) -> None:
    if not assignments:
        raise ValidationError(_("Name the lead unit or person."), details={"field": "assignments"})
    for index, item in enumerate(assignments):
        if item.role not in AssignmentRole.values:
            raise ValidationError(
                _("Unknown role: %(role)s.") % {"role": item.role}, details={"field": "assignments", "index": index}
            )
        if item.unit_id is None and item.person_id is None:
            raise ValidationError(
                _("Each line names a unit or a person."), details={"field": "assignments", "index": index}
            )
    leads = [item for item in assignments if item.role == AssignmentRole.LEAD]
    if len(leads) != 1:
        raise ValidationError(
            _("Name exactly one lead unit or person (chủ trì)."), details={"field": "assignments", "leads": len(leads)}
        )
    targets = [(item.unit_id, item.person_id) for item in assignments]
    if len(set(targets)) != len(targets):
        raise ValidationError(_("The same unit or person is named twice."), details={"field": "assignments"})
    unit_ids = {item.unit_id for item in assignments if item.unit_id is not None}
    own_units = set(
        Unit.objects.filter(pk__in=unit_ids, agency_id=incoming.agency_id, is_active=True).values_list("id", flat=True)
    )
    for index, item in enumerate(assignments):
        if item.unit_id is not None and item.unit_id not in own_units:
            raise ValidationError(
                _("Only units of this agency can handle the document."),
                code="unit_of_another_agency",
                details={"field": "assignments", "index": index, "unit_id": item.unit_id},
            )
    people = _people_of_agency({item.person_id for item in assignments if item.person_id}, incoming.agency_id, now)
    for index, item in enumerate(assignments):
        if item.person_id is None:
            continue
        units = people.get(item.person_id)
        if units is None:
            raise ValidationError(
                _("Only people of this agency can handle the document."),
                code="person_of_another_agency",
                details={"field": "assignments", "index": index, "person_id": item.person_id},
            )
        if item.unit_id is not None and item.unit_id not in units:
            raise ValidationError(
                _("This person does not work in the unit named with them."),
                details={"field": "assignments", "index": index, "person_id": item.person_id},
            )


def _describe(assignments: Sequence[Assignment]) -> list[dict[str, Any]]:
    return [
        {"id": a.pk, "role": a.role, "unit": a.unit_id, "person": a.person_id, "due_date": _iso(a.due_date)}
        for a in assignments
    ]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# --- services -------------------------------------------------------------------------------------


@transaction.atomic
def incoming_direct(
    *,
    incoming: Incoming,
    actor: Person,
    now: datetime,
    instruction: str,
    assignments: Sequence[AssignmentInput],
    due_date: date | None = None,
    due_working_days: int | None = None,
) -> Incoming:
    """The leader's direction: instruction, exactly one lead, co-operating and for-information units
    or people of this agency, and the deadline. A second direction replaces the first (open
    assignments are cancelled). The sender is told 04 (assigned)."""
    locked = Incoming.objects.select_for_update(of=("self",)).select_related("document").get(pk=incoming.pk)
    policies.require_visible(policies.can_view_incoming(actor, locked, now))
    policies.require(
        policies.can_direct(actor, locked, now), _("Only a leader of the agency may direct this document.")
    )
    lifecycle.next_status(locked.status, IncomingAction.DIRECT)  # refuse before validating the input
    instruction = (instruction or "").strip()
    if not instruction:
        raise ValidationError(_("Write the instruction."), details={"field": "instruction"})
    if len(instruction) > INSTRUCTION_LENGTH:
        raise ValidationError(
            _("The instruction is at most %(max)s characters.") % {"max": INSTRUCTION_LENGTH},
            details={"field": "instruction"},
        )
    _check_assignments(incoming=locked, assignments=assignments, now=now)
    deadline = deadline_resolve(now=now, due_date=due_date, due_working_days=due_working_days)

    cancelled = list(
        Assignment.objects.filter(incoming=locked, status=AssignmentStatus.OPEN).values_list("id", flat=True)
    )
    if cancelled:
        Assignment.objects.filter(pk__in=cancelled).update(status=AssignmentStatus.CANCELLED, completed_at=now)
    created = Assignment.objects.bulk_create(
        [
            Assignment(
                incoming=locked,
                role=item.role,
                unit_id=item.unit_id,
                person_id=item.person_id,
                due_date=None if item.role == AssignmentRole.INFORM else deadline.due_date,
                instruction=instruction,
                assigned_by=actor,
                assigned_at=now,
            )
            for item in sorted(assignments, key=lambda item: list(AssignmentRole.values).index(item.role))
        ]
    )
    if any(a.pk is None for a in created):  # backends without RETURNING on bulk insert
        created = list(Assignment.objects.filter(incoming=locked, assigned_at=now, status=AssignmentStatus.OPEN))

    source, target = lifecycle.advance(locked, IncomingAction.DIRECT)
    locked.instruction = instruction
    locked.directed_at = now
    locked.directed_by = actor
    locked.due_date = deadline.due_date
    locked.save(update_fields=["status", "instruction", "directed_at", "directed_by", "due_date"])

    text = instruction if not deadline.note else f"{instruction}\n{deadline.note}"
    data: dict[str, Any] = {
        "assignments": _describe(created),
        "due_date": _iso(deadline.due_date),
        "due_working_days": due_working_days,
        "urgent": _is_urgent(locked),
    }
    if deadline.moved_from:
        data["due_date_moved_from"] = deadline.moved_from.isoformat()
        data["deadline_note"] = deadline.note
    if cancelled:
        data["cancelled_assignments"] = cancelled
    trace_add(
        locked,
        kind=TraceKind.DIRECTED,
        actor=actor,
        now=now,
        from_status=source,
        to_status=target,
        text=text,
        data=data,
    )
    audit.record(
        action=events.INCOMING_DIRECTED,
        actor=actor,
        agency=locked.agency_id,
        now=now,
        target=locked,
        data={k: v for k, v in data.items() if k != "deadline_note"},
    )
    sender_report(locked, status=DeliveryStatus.ASSIGNED, actor=actor, now=now)
    title = (
        _("Urgent document to handle: %(subject)s") if _is_urgent(locked) else _("Document to handle: %(subject)s")
    ) % {"subject": subject_of(locked)}
    notify_people(
        person_ids=handler_ids(created, now) - {actor.pk},
        incoming=locked,
        title=title,
        body=text,
        now=now,
        kind=NOTIFY_KIND,
    )
    return locked


@transaction.atomic
def incoming_assign(
    *,
    incoming: Incoming,
    parent: Assignment,
    person: Person,
    actor: Person,
    now: datetime,
    instruction: str = "",
    due_date: date | None = None,
) -> Assignment:
    """A unit leader assigns a person of the unit to the unit's part (lead, co-operating or for
    information): a child assignment with the same role and the unit's deadline (or an earlier one)."""
    locked = Incoming.objects.select_for_update(of=("self",)).select_related("document").get(pk=incoming.pk)
    policies.require_visible(policies.can_view_incoming(actor, locked, now))
    parent = Assignment.objects.select_for_update().get(pk=parent.pk)
    if parent.incoming_id != locked.pk:
        raise ValidationError(_("This assignment belongs to another document."), details={"field": "parent"})
    policies.require(
        policies.can_assign_in_unit(actor, locked, parent, now),
        _("Only the leader of the unit may assign inside it."),
    )
    lifecycle.next_status(locked.status, IncomingAction.ASSIGN)
    if parent.status != AssignmentStatus.OPEN:
        raise ConflictError(_("This assignment is no longer open."))
    if parent.unit_id is None:
        raise ValidationError(_("Only a unit's assignment is shared out inside the unit."), details={"field": "parent"})
    units = _people_of_agency({person.pk}, locked.agency_id, now).get(person.pk, set())
    if parent.unit_id not in units:
        raise ValidationError(
            _("%(person)s does not work in this unit.") % {"person": person.full_name or person.username},
            code="person_of_another_unit",
            details={"field": "person"},
        )
    if Assignment.objects.filter(parent=parent, person=person, status=AssignmentStatus.OPEN).exists():
        raise ConflictError(_("%(person)s is already assigned.") % {"person": person.full_name or person.username})
    deadline = deadline_resolve(now=now, due_date=due_date) if due_date else Deadline(due_date=parent.due_date)
    if deadline.due_date and parent.due_date and deadline.due_date > parent.due_date:
        raise ValidationError(
            _("The deadline cannot be later than the unit's deadline, %(date)s.")
            % {"date": day_label(parent.due_date)},
            details={"field": "due_date"},
        )
    instruction = (instruction or "").strip()[:INSTRUCTION_LENGTH]
    child = Assignment.objects.create(
        incoming=locked,
        parent=parent,
        role=parent.role,
        unit_id=parent.unit_id,
        person=person,
        due_date=None if parent.role == AssignmentRole.INFORM else deadline.due_date,
        instruction=instruction,
        assigned_by=actor,
        assigned_at=now,
    )
    source, target = lifecycle.advance(locked, IncomingAction.ASSIGN)
    locked.save(update_fields=["status"])
    text = instruction if not deadline.note else f"{instruction}\n{deadline.note}".strip()
    data: dict[str, Any] = {
        "parent": parent.pk,
        "role": child.role,
        "unit": child.unit_id,
        "person": person.pk,
        "due_date": _iso(child.due_date),
    }
    if deadline.moved_from:
        data["due_date_moved_from"] = deadline.moved_from.isoformat()
    trace_add(
        locked,
        kind=TraceKind.ASSIGNED,
        actor=actor,
        now=now,
        from_status=source,
        to_status=target,
        text=text,
        data=data,
        assignment=child,
    )
    audit.record(
        action=events.INCOMING_ASSIGNED, actor=actor, agency=locked.agency_id, now=now, target=locked, data=data
    )
    if person.pk != actor.pk:
        title = (
            _("Urgent document to handle: %(subject)s") if _is_urgent(locked) else _("Document to handle: %(subject)s")
        ) % {"subject": subject_of(locked)}
        notify_people(person_ids={person.pk}, incoming=locked, title=title, body=text, now=now, kind=NOTIFY_KIND)
    return child
