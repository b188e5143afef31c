"""Handling of an incoming document (Decree 30 Art. 24; DOMAIN.md §1.6 step 4): the lead handler
reports progress and completes it with a result; co-operating handlers give input the lead sees;
handlers ask the leader for more time; the leader reopens a document that is not finished.

The sender sees 05 (in progress) at the lead's first report and 06 (done) at completion, for
documents delivered through this system (``history.sender_report``)."""

from __future__ import annotations

from datetime import date
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.clock import vietnam_date
from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.exchange.models import DeliveryStatus
from vanthu.incoming import events
from vanthu.incoming import lifecycle
from vanthu.incoming import policies
from vanthu.incoming.lifecycle import IncomingAction
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import AssignmentRole
from vanthu.incoming.models import AssignmentStatus
from vanthu.incoming.models import ExtensionRequest
from vanthu.incoming.models import ExtensionStatus
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.models import TraceKind
from vanthu.incoming.services.direction import calendar_around
from vanthu.incoming.services.direction import day_label
from vanthu.incoming.services.direction import deadline_resolve
from vanthu.incoming.services.direction import handler_ids
from vanthu.incoming.services.direction import notify_people
from vanthu.incoming.services.direction import subject_of
from vanthu.incoming.services.history import sender_report
from vanthu.incoming.services.history import trace_add
from vanthu.org.models import Person

TEXT_LENGTH = 4000
NOTIFY_KIND = "incoming.handling"
HANDLING_STATUSES = (IncomingStatus.DIRECTED, IncomingStatus.IN_PROGRESS)


def _lock(incoming: Incoming) -> Incoming:
    return Incoming.objects.select_for_update(of=("self",)).select_related("document").get(pk=incoming.pk)


def _required_text(value: str, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(message, details={"field": field})
    if len(text) > TEXT_LENGTH:
        raise ValidationError(
            _("The text is at most %(max)s characters.") % {"max": TEXT_LENGTH}, details={"field": field}
        )
    return text


def _lead_handlers(incoming: Incoming, now: datetime) -> set[int]:
    leads = Assignment.objects.filter(incoming=incoming, role=AssignmentRole.LEAD, status=AssignmentStatus.OPEN)
    return handler_ids(leads, now)


@transaction.atomic
def incoming_report(*, incoming: Incoming, actor: Person, now: datetime, text: str) -> Incoming:
    """The lead reports progress (the first report moves DIRECTED → IN_PROGRESS and tells the
    sender 05); a co-operating handler gives input that the lead sees (the status stays)."""
    locked = _lock(incoming)
    policies.require_visible(policies.can_view_incoming(actor, locked, now))
    policies.require(
        policies.can_report(actor, locked, now),
        _("Only the lead and co-operating handlers report on this document."),
    )
    lifecycle.next_status(locked.status, IncomingAction.REPORT)
    text = _required_text(text, "text", _("Write what was done."))
    lead = policies.acting_assignment(actor, locked, now, (AssignmentRole.LEAD,))
    if lead is not None:
        source, target = lifecycle.advance(locked, IncomingAction.REPORT)
        locked.save(update_fields=["status"])
        trace_add(
            locked,
            kind=TraceKind.PROGRESS,
            actor=actor,
            now=now,
            from_status=source,
            to_status=target,
            text=text,
            assignment=lead,
        )
        audit.record(
            action=events.INCOMING_REPORTED,
            actor=actor,
            agency=locked.agency_id,
            now=now,
            target=locked,
            data={"kind": TraceKind.PROGRESS, "assignment": lead.pk, "from": source, "to": target},
        )
        if source == IncomingStatus.DIRECTED:
            sender_report(locked, status=DeliveryStatus.IN_PROGRESS, actor=actor, now=now)
        return locked
    assignment = policies.acting_assignment(actor, locked, now)
    assert assignment is not None  # noqa: S101 - can_report said so
    trace_add(locked, kind=TraceKind.INPUT, actor=actor, now=now, text=text, assignment=assignment)
    audit.record(
        action=events.INCOMING_REPORTED,
        actor=actor,
        agency=locked.agency_id,
        now=now,
        target=locked,
        data={"kind": TraceKind.INPUT, "assignment": assignment.pk},
    )
    notify_people(
        person_ids=_lead_handlers(locked, now) - {actor.pk},
        incoming=locked,
        title=_("Co-operating input on: %(subject)s") % {"subject": subject_of(locked)},
        body=text,
        now=now,
        kind=NOTIFY_KIND,
    )
    return locked


def completion_facts(incoming: Incoming, now: datetime) -> dict[str, object]:
    """What the statistics read from a completion event (reports): the document, its deadline then,
    whether it was late, and the working days from registration to completion."""
    day = vietnam_date(now)
    start = vietnam_date(incoming.arrival_at or incoming.received_at)
    return {
        "document": incoming.document_id,
        "due_date": incoming.due_date.isoformat() if incoming.due_date else None,
        "late": bool(incoming.due_date and day > incoming.due_date),
        "working_days": max(0, calendar_around(day).working_days_between(start, day)),
    }


@transaction.atomic
def incoming_complete(*, incoming: Incoming, actor: Person, now: datetime, result: str) -> Incoming:
    """The lead completes the document with its result (06 to the sender). Every open assignment
    ends with it; pending extension requests are closed."""
    locked = _lock(incoming)
    policies.require_visible(policies.can_view_incoming(actor, locked, now))
    policies.require(
        policies.can_complete(actor, locked, now),
        _("Only the lead handler completes this document; co-operating and informed people cannot close it."),
    )
    lifecycle.next_status(locked.status, IncomingAction.COMPLETE)
    result = _required_text(result, "result", _("Write the result of the handling."))
    lead = policies.acting_assignment(actor, locked, now, (AssignmentRole.LEAD,))
    source, target = lifecycle.advance(locked, IncomingAction.COMPLETE)
    locked.completed_at = now
    locked.completed_by = actor
    locked.result = result
    locked.save(update_fields=["status", "completed_at", "completed_by", "result"])
    closed = Assignment.objects.filter(incoming=locked, status=AssignmentStatus.OPEN).update(
        status=AssignmentStatus.DONE, completed_at=now
    )
    ExtensionRequest.objects.filter(incoming=locked, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REFUSED,
        decided_by=actor,
        decided_at=now,
        decision_note=_("Closed: the document was completed."),
    )
    trace_add(
        locked,
        kind=TraceKind.COMPLETED,
        actor=actor,
        now=now,
        from_status=source,
        to_status=target,
        text=result,
        assignment=lead,
    )
    audit.record(
        action=events.INCOMING_COMPLETED,
        actor=actor,
        agency=locked.agency_id,
        now=now,
        target=locked,
        data={"from": source, "assignments_closed": closed, **completion_facts(locked, now)},
    )
    sender_report(locked, status=DeliveryStatus.DONE, actor=actor, now=now)
    if locked.directed_by_id is not None:
        notify_people(
            person_ids={locked.directed_by_id} - {actor.pk},
            incoming=locked,
            title=_("Completed: %(subject)s") % {"subject": subject_of(locked)},
            body=result,
            now=now,
            kind=NOTIFY_KIND,
        )
    return locked


@transaction.atomic
def incoming_reopen(*, incoming: Incoming, actor: Person, now: datetime, reason: str) -> Incoming:
    """The leader finds the document not finished: back to IN_PROGRESS, the assignments closed by
    the completion open again. The sender keeps "done" (its status only moves forward)."""
    locked = _lock(incoming)
    policies.require_visible(policies.can_view_incoming(actor, locked, now))
    policies.require(
        policies.can_reopen(actor, locked, now), _("Only the directing leader or the agency's leader may reopen it.")
    )
    lifecycle.next_status(locked.status, IncomingAction.REOPEN)
    reason = _required_text(reason, "reason", _("Say why the document is reopened."))
    completed_at = locked.completed_at
    source, target = lifecycle.advance(locked, IncomingAction.REOPEN)
    locked.completed_at = None
    locked.completed_by = None
    locked.save(update_fields=["status", "completed_at", "completed_by"])
    reopened = 0
    if completed_at is not None:
        reopened = Assignment.objects.filter(
            incoming=locked, status=AssignmentStatus.DONE, completed_at=completed_at
        ).update(status=AssignmentStatus.OPEN, completed_at=None, reminded_on=None)
    trace_add(
        locked,
        kind=TraceKind.REOPENED,
        actor=actor,
        now=now,
        from_status=source,
        to_status=target,
        text=reason,
        data={"reopened": True, "assignments_reopened": reopened},
    )
    audit.record(
        action=events.INCOMING_REOPENED,
        actor=actor,
        agency=locked.agency_id,
        now=now,
        target=locked,
        data={"reason": reason, "assignments_reopened": reopened},
    )
    notify_people(
        person_ids=_lead_handlers(locked, now) - {actor.pk},
        incoming=locked,
        title=_("Reopened: %(subject)s") % {"subject": subject_of(locked)},
        body=reason,
        now=now,
        kind=NOTIFY_KIND,
    )
    return locked


@transaction.atomic
def extension_request(
    *, incoming: Incoming, actor: Person, now: datetime, due_date: date, reason: str
) -> ExtensionRequest:
    """A lead or co-operating handler asks the leader for a later deadline on their assignment."""
    locked = _lock(incoming)
    policies.require_visible(policies.can_view_incoming(actor, locked, now))
    policies.require(
        policies.can_request_extension(actor, locked, now),
        _("Only the lead and co-operating handlers may ask for more time."),
    )
    if locked.status not in HANDLING_STATUSES:
        raise ConflictError(_("More time can only be asked for while the document is being handled."))
    reason = _required_text(reason, "reason", _("Say why more time is needed."))
    assignment = policies.acting_assignment(actor, locked, now)
    assert assignment is not None  # noqa: S101 - can_request_extension said so
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if ExtensionRequest.objects.filter(assignment=assignment, status=ExtensionStatus.PENDING).exists():
        raise ConflictError(_("An extension is already awaiting the leader's decision."))
    deadline = deadline_resolve(now=now, due_date=due_date)
    assert deadline.due_date is not None  # noqa: S101 - a date was given
    current = assignment.due_date or locked.due_date
    if current is not None and deadline.due_date <= current:
        raise ValidationError(
            _("The new deadline must be later than the current one, %(date)s.") % {"date": day_label(current)},
            details={"field": "due_date"},
        )
    request = ExtensionRequest.objects.create(
        incoming=locked,
        assignment=assignment,
        requested_by=actor,
        requested_at=now,
        requested_due_date=deadline.due_date,
        reason=reason,
    )
    text = reason if not deadline.note else f"{reason}\n{deadline.note}"
    data = {
        "request": request.pk,
        "current_due_date": current.isoformat() if current else None,
        "requested_due_date": deadline.due_date.isoformat(),
    }
    if deadline.moved_from:
        data["due_date_moved_from"] = deadline.moved_from.isoformat()
    trace_add(
        locked, kind=TraceKind.EXTENSION_REQUESTED, actor=actor, now=now, text=text, data=data, assignment=assignment
    )
    audit.record(
        action=events.INCOMING_EXTENSION_REQUESTED,
        actor=actor,
        agency=locked.agency_id,
        now=now,
        target=locked,
        data=data,
    )
    deciders = {locked.directed_by_id} if locked.directed_by_id else set()
    notify_people(
        person_ids=deciders - {actor.pk},
        incoming=locked,
        title=_("More time asked for (until %(date)s): %(subject)s")
        % {"date": day_label(deadline.due_date), "subject": subject_of(locked)},
        body=text,
        now=now,
        kind=NOTIFY_KIND,
    )
    return request


@transaction.atomic
def extension_decide(
    *, request: ExtensionRequest, actor: Person, now: datetime, grant: bool, note: str = ""
) -> ExtensionRequest:
    """The leader grants (the assignment — and the assignments above it, and the document's deadline
    for the lead — move to the new date) or refuses the request."""
    locked = _lock(request.incoming)
    policies.require_visible(policies.can_view_incoming(actor, locked, now))
    policies.require(
        policies.can_decide_extension(actor, locked, now),
        _("Only the directing leader or the agency's leader decides on more time."),
    )
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ExtensionStatus.PENDING:
        raise ConflictError(_("This request has already been decided."))
    if locked.status not in HANDLING_STATUSES:
        raise ConflictError(_("The document is no longer being handled."))
    note = (note or "").strip()[:TEXT_LENGTH]
    new_date = request.requested_due_date
    moved: list[int] = []
    if grant:
        chain: list[Assignment] = []
        current: Assignment | None = Assignment.objects.select_for_update().get(pk=request.assignment_id)
        while current is not None:
            chain.append(current)
            current = Assignment.objects.select_for_update().get(pk=current.parent_id) if current.parent_id else None
        for assignment in chain:
            if assignment.due_date is None or assignment.due_date < new_date:
                old = assignment.due_date
                assignment.due_date = new_date
                assignment.reminded_on = None
                assignment.save(update_fields=["due_date", "reminded_on"])
                moved.append(assignment.pk)
                # Children that had the unit's deadline keep following it.
                Assignment.objects.filter(parent=assignment, status=AssignmentStatus.OPEN, due_date=old).exclude(
                    pk__in=[a.pk for a in chain]
                ).update(due_date=new_date, reminded_on=None)
        root = chain[-1]
        if root.role == AssignmentRole.LEAD and (locked.due_date is None or locked.due_date < new_date):
            locked.due_date = new_date
            locked.save(update_fields=["due_date"])
    request.status = ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED
    request.decided_by = actor
    request.decided_at = now
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if grant:
        summary = _("More time granted until %(date)s.") % {"date": day_label(new_date)}
    else:
        summary = _("More time refused; the deadline stays.")
    text = f"{summary}\n{note}" if note else summary
    data = {
        "request": request.pk,
        "granted": grant,
        "requested_due_date": new_date.isoformat(),
        "assignments_moved": moved,
        "due_date": locked.due_date.isoformat() if locked.due_date else None,  # the document's, after
    }
    trace_add(
        locked,
        kind=TraceKind.EXTENSION_DECIDED,
        actor=actor,
        now=now,
        text=text,
        data=data,
        assignment=request.assignment,
    )
    audit.record(
        action=events.INCOMING_EXTENSION_DECIDED,
        actor=actor,
        agency=locked.agency_id,
        now=now,
        target=locked,
        data=data,
    )
    notify_people(
        person_ids={request.requested_by_id} - {actor.pk},
        incoming=locked,
        title=(summary + " " + subject_of(locked)),
        body=note,
        now=now,
        kind=NOTIFY_KIND,
    )
    return request
