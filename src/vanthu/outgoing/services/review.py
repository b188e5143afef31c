"""Review circuits (Decree 30 Art. 10–12; DOMAIN.md §1.5 steps 1–4): review by the drafting unit's
head, format check by the office, opinions of other units in parallel, approval by the signer.

The circuit is data (Wagtail-like): ``ReviewStep`` rows, one per person and step, each with its own
small status (WAITING → ACTIVE → DONE, or SENT_BACK / CANCELLED). Steps with the same ordinal run in
parallel; the next ordinal starts when every step of the current one is DONE. Each submission opens
a new ``round``; earlier rounds stay as history. The approval step is the last one and belongs to
the document's signer; it is completed by the signature (``services.signing``)."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.clock import end_of_vietnam_day
from vanthu.core.clock import vietnam_date
from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.core.selectors import calendar_load
from vanthu.core.working_days import WorkingCalendar
from vanthu.documents.models import DocumentType
from vanthu.documents.services.files import version_comment_add
from vanthu.notify.services import notification_send
from vanthu.org import policies as org_policies
from vanthu.org.grants import grants_for
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.outgoing import events
from vanthu.outgoing import lifecycle
from vanthu.outgoing import policies
from vanthu.outgoing.lifecycle import OutgoingAction
from vanthu.outgoing.models import CircuitTemplate
from vanthu.outgoing.models import CircuitTemplateStep
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import ReviewStep
from vanthu.outgoing.models import StepKind
from vanthu.outgoing.models import StepStatus
from vanthu.outgoing.services.drafting import current_main_file
from vanthu.outgoing.services.drafting import signer_position_in
from vanthu.outgoing.services.history import history_add

MAX_STEP_WORKING_DAYS = 60
NOTIFY_KIND = "outgoing.review"


@dataclass(frozen=True)
class StepInput:
    """A step of the circuit to run: ``kind`` (StepKind), the person, the order (equal orders run in
    parallel) and the working days allowed from the moment the step starts."""

    kind: str
    assignee_id: int
    ordinal: int
    working_days: int = 1


@dataclass(frozen=True)
class TemplateStepInput:
    """A step of a circuit template: the person may be left empty (chosen on each draft: the
    drafting unit's head, a clerk of the office, the signer, the head of ``unit``)."""

    kind: str
    ordinal: int
    assignee_id: int | None = None
    unit_id: int | None = None
    working_days: int = 1


class StepLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def ordinal(self) -> int: ...
    @property
    def working_days(self) -> int: ...


# --- validation of a circuit -----------------------------------------------------------------------


def _check_shape(steps: Sequence[StepLike]) -> None:
    """Known kinds, positive orders, sane days, exactly one APPROVAL, alone and last."""
    if not steps:
        raise ValidationError(_("The review circuit has no step."), details={"field": "steps"})
    for index, step in enumerate(steps):
        if step.kind not in StepKind.values:
            raise ValidationError(
                _("Unknown kind of step: %(kind)s.") % {"kind": step.kind}, details={"index": index, "field": "kind"}
            )
        if step.ordinal < 1:
            raise ValidationError(_("Step orders start at 1."), details={"index": index, "field": "ordinal"})
        if not 1 <= step.working_days <= MAX_STEP_WORKING_DAYS:
            raise ValidationError(
                _("A step lasts from 1 to %(max)s working days.") % {"max": MAX_STEP_WORKING_DAYS},
                details={"index": index, "field": "working_days"},
            )
    approvals = [step for step in steps if step.kind == StepKind.APPROVAL]
    if len(approvals) != 1:
        raise ValidationError(
            _("The circuit ends with exactly one approval by the signer."), details={"field": "steps"}
        )
    approval = approvals[0]
    if any(step.ordinal >= approval.ordinal for step in steps if step is not approval):
        raise ValidationError(_("The approval by the signer is the last step, alone."), details={"field": "steps"})


def _people_with_role_in(person_ids: Iterable[int], agency_id: int, now: datetime) -> set[int]:
    return set(
        RoleAssignment.objects.filter(
            person_id__in=set(person_ids), person__is_active=True, agency_id=agency_id, valid_from__lte=now
        )
        .exclude(valid_to__lte=now)
        .values_list("person_id", flat=True)
    )


def _deadline(calendar: WorkingCalendar, start: datetime, working_days: int) -> datetime:
    """The end (Vietnam time) of the working day ``working_days`` after the day the step starts."""
    return end_of_vietnam_day(calendar.add_working_days(vietnam_date(start), working_days))


def _activate(steps: Sequence[ReviewStep], outgoing: Outgoing, now: datetime, calendar: WorkingCalendar) -> None:
    """Start ``steps`` now: their deadline is counted from today (Vietnam time)."""
    for step in steps:
        step.status = StepStatus.ACTIVE
        step.activated_at = now
        step.due_at = _deadline(calendar, now, step.working_days)
        step.save(update_fields=["status", "activated_at", "due_at"])


def _notify_steps(steps: Sequence[ReviewStep], outgoing: Outgoing, now: datetime) -> None:
    people = Person.objects.filter(pk__in={step.assignee_id for step in steps})
    notification_send(
        recipients=people,
        title=_("A draft awaits you: %(subject)s") % {"subject": outgoing.document.subject[:200]},
        url=reverse("outgoing:detail", args=[outgoing.pk]),
        kind=NOTIFY_KIND,
        now=now,
        email=True,
    )


def _lock(outgoing: Outgoing) -> Outgoing:
    return Outgoing.objects.select_for_update().select_related("document").get(pk=outgoing.pk)


# --- templates and proposals -----------------------------------------------------------------------


def _can_manage_templates(person: Person, agency: Agency, now: datetime) -> bool:
    if org_policies.can_manage_agency(person, agency, now):
        return True
    return any(grant.agency_id == agency.pk and grant.role == Role.AGENCY_LEADER for grant in grants_for(person, now))


@transaction.atomic
def circuit_template_save(
    *,
    agency: Agency,
    name: str,
    document_type: DocumentType | None,
    steps: Sequence[TemplateStepInput | StepInput],
    actor: Person,
    now: datetime,
) -> CircuitTemplate:
    """Create or replace the agency's template called ``name`` for ``document_type`` (None: every
    type without its own template). ADMINs of the agency and AGENCY_LEADERs."""
    policies.require(
        _can_manage_templates(actor, agency, now),
        _("Only an administrator or a leader of the agency sets review circuits."),
    )
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the circuit a name."), details={"field": "name"})
    _check_shape(steps)
    assignee_ids = {step.assignee_id for step in steps if step.assignee_id is not None}
    missing = assignee_ids - _people_with_role_in(assignee_ids, agency.pk, now)
    if missing:
        raise ValidationError(
            _("Every person of the circuit must hold a role in the agency."), details={"person_ids": sorted(missing)}
        )
    unit_ids: set[int] = {unit_id for step in steps if (unit_id := getattr(step, "unit_id", None)) is not None}
    if unit_ids and agency.units.filter(pk__in=unit_ids).count() != len(unit_ids):
        raise ValidationError(_("The unit must belong to the agency."), details={"unit_ids": sorted(unit_ids)})
    template, created = CircuitTemplate.objects.select_for_update().get_or_create(
        agency=agency, document_type=document_type, name=name, defaults={"created_at": now}
    )
    template.is_active = True
    template.save(update_fields=["is_active"])
    template.steps.all().delete()
    CircuitTemplateStep.objects.bulk_create(
        CircuitTemplateStep(
            template=template,
            ordinal=step.ordinal,
            kind=step.kind,
            assignee_id=step.assignee_id,
            unit_id=getattr(step, "unit_id", None),
            working_days=step.working_days,
        )
        for step in steps
    )
    audit.record(
        action=events.CIRCUIT_TEMPLATE_SAVED,
        actor=actor,
        agency=agency,
        now=now,
        target=template,
        data={
            "created": created,
            "document_type": document_type.code if document_type is not None else None,
            "steps": [[step.ordinal, step.kind, step.assignee_id] for step in steps],
        },
    )
    return template


def _holder(
    agency_id: int, role: str, now: datetime, *, unit_id: int | None = None, exclude: int | None = None
) -> int | None:
    holders = RoleAssignment.objects.filter(
        agency_id=agency_id, role=role, person__is_active=True, valid_from__lte=now
    ).exclude(valid_to__lte=now)
    if unit_id is not None:
        holders = holders.filter(unit_id=unit_id)
    if exclude is not None:
        holders = holders.exclude(person_id=exclude)
    return holders.order_by("id").values_list("person_id", flat=True).first()


def _resolve(kind: str, outgoing: Outgoing, now: datetime, unit_id: int | None) -> int | None:
    """Who takes a template step left without a person."""
    if kind == StepKind.APPROVAL:
        return outgoing.document.signer_id
    if kind == StepKind.FORMAT_CHECK:
        return _holder(outgoing.agency_id, Role.CLERK, now, exclude=outgoing.drafter_id)
    unit = unit_id if unit_id is not None else outgoing.drafting_unit_id
    if unit is None:
        return None
    return _holder(outgoing.agency_id, Role.UNIT_LEADER, now, unit_id=unit, exclude=outgoing.drafter_id)


def circuit_proposal(*, outgoing: Outgoing, now: datetime) -> list[StepInput]:
    """The circuit proposed for a draft: the agency's template for its type, else the agency's
    general template, else UNIT_REVIEW by the drafting unit's head → FORMAT_CHECK by a clerk →
    APPROVAL by the signer. Steps nobody can take (no unit head, no signer chosen yet) are left out."""
    templates = CircuitTemplate.objects.filter(agency_id=outgoing.agency_id, is_active=True)
    template = (
        templates.filter(document_type_id=outgoing.document.document_type_id).order_by("id").first()
        or templates.filter(document_type__isnull=True).order_by("id").first()
    )
    if template is not None:
        rows = [
            (step.kind, step.assignee_id, step.unit_id, step.ordinal, step.working_days)
            for step in template.steps.order_by("ordinal", "id")
        ]
    else:
        rows = [
            (StepKind.UNIT_REVIEW, None, None, 1, 1),
            (StepKind.FORMAT_CHECK, None, None, 2, 1),
            (StepKind.APPROVAL, None, None, 3, 1),
        ]
    proposal = []
    for kind, assignee_id, unit_id, ordinal, days in rows:
        person = assignee_id if assignee_id is not None else _resolve(kind, outgoing, now, unit_id)
        if person is not None:
            proposal.append(StepInput(kind=kind, assignee_id=person, ordinal=ordinal, working_days=days))
    return proposal


# --- submitting, reviewing, sending back -----------------------------------------------------------


def _check_ready(outgoing: Outgoing) -> None:
    document = outgoing.document
    main = current_main_file(document)
    if main is None:
        raise ConflictError(_("The draft has no main file yet."), code="main_file_missing")
    if main.pdf_id is None:
        raise ConflictError(
            _("The main file is still being converted to PDF (or its conversion failed): wait, or upload a PDF."),
            code="main_file_not_ready",
            details={"conversion_status": main.conversion_status},
        )
    if not document.subject.strip():
        raise ValidationError(_("The summary must not be empty."), details={"field": "subject"})
    if not document.recipients.exists():
        raise ValidationError(_("Add at least one recipient."), details={"field": "recipients"})


@transaction.atomic
def outgoing_submit(
    *, outgoing: Outgoing, actor: Person, now: datetime, steps: Sequence[StepInput] | None = None
) -> Outgoing:
    """Send a draft into its review circuit (``steps``, or the proposal): a new round, the first
    order ACTIVE (SUBMIT), or straight to the signer when the circuit is the approval alone."""
    outgoing = _lock(outgoing)
    policies.require(policies.can_submit_outgoing(actor, outgoing, now), _("Only the drafter submits a draft."))
    _check_ready(outgoing)
    if steps is None:
        steps = circuit_proposal(outgoing=outgoing, now=now)
    _check_shape(steps)
    document = outgoing.document
    approval = next(step for step in steps if step.kind == StepKind.APPROVAL)
    if document.signer_id is not None and approval.assignee_id != document.signer_id:
        raise ValidationError(
            _("The approval step belongs to the document's signer."),
            details={"field": "steps", "signer": document.signer_id},
        )
    assignee_ids = {step.assignee_id for step in steps}
    missing = assignee_ids - _people_with_role_in(assignee_ids, outgoing.agency_id, now)
    if missing:
        raise ValidationError(
            _("Every person of the circuit must hold a role in the agency."), details={"person_ids": sorted(missing)}
        )
    if document.signer_id is None:
        signer = Person.objects.get(pk=approval.assignee_id)
        document.signer = signer
        document.signer_name = document.signer_name or signer.full_name[:50]
        document.signer_position = document.signer_position or signer_position_in(signer, outgoing.agency, now)[:100]
        document.save(update_fields=["signer", "signer_name", "signer_position", "updated_at"])
    last_round = ReviewStep.objects.filter(outgoing=outgoing).aggregate(last=Max("round"))["last"] or 0
    calendar = calendar_load()
    first = min(step.ordinal for step in steps)
    rows = ReviewStep.objects.bulk_create(
        ReviewStep(
            outgoing=outgoing,
            round=last_round + 1,
            ordinal=step.ordinal,
            kind=step.kind,
            assignee_id=step.assignee_id,
            status=StepStatus.WAITING,
            working_days=step.working_days,
        )
        for step in sorted(steps, key=lambda item: (item.ordinal, item.kind, item.assignee_id))
    )
    outgoing.submitted_at = now
    active = [row for row in rows if row.ordinal == first]
    _activate(active, outgoing, now, calendar)
    action = OutgoingAction.SUBMIT_TO_SIGNER if active[0].kind == StepKind.APPROVAL else OutgoingAction.SUBMIT
    source, target = lifecycle.advance(outgoing, action)
    outgoing.save(update_fields=["status", "submitted_at"])
    history_add(outgoing, action=action, actor=actor, now=now, from_status=source, to_status=target)
    audit.record(
        action=events.OUTGOING_SUBMITTED,
        actor=actor,
        agency=outgoing.agency_id,
        now=now,
        target=outgoing,
        data={
            "round": last_round + 1,
            "steps": [[step.ordinal, step.kind, step.assignee_id, step.working_days] for step in steps],
        },
    )
    _notify_steps(active, outgoing, now)
    return outgoing


def _round_steps(outgoing: Outgoing, round_number: int) -> list[ReviewStep]:
    return list(
        ReviewStep.objects.select_for_update().filter(outgoing=outgoing, round=round_number).order_by("ordinal", "id")
    )


def _acting_step(outgoing: Outgoing, actor: Person, now: datetime) -> ReviewStep:
    step = policies.active_step_for(actor, outgoing, now)
    if step is None:  # the policy said yes a moment ago under the same lock: only a race ends here
        raise ConflictError(_("You have no step open on this draft."))
    return ReviewStep.objects.select_for_update().get(pk=step.pk)


def _comment_on_version(outgoing: Outgoing, actor: Person, text: str, now: datetime) -> None:
    version = outgoing.document.current_version
    if version is not None:
        version_comment_add(version=version, author=actor, text=text, now=now)


@transaction.atomic
def outgoing_review(*, outgoing: Outgoing, actor: Person, now: datetime, comment: str = "") -> Outgoing:
    """The actor (or their delegate) completes their active step. When every step of that order is
    done, the next order starts (REVIEW), or the signer's approval (REACH_SIGNER)."""
    outgoing = _lock(outgoing)
    policies.require(
        policies.can_review_outgoing(actor, outgoing, now), _("You have no review step open on this draft.")
    )
    step = _acting_step(outgoing, actor, now)
    comment = comment.strip()
    step.status = StepStatus.DONE
    step.decided_at = now
    step.decided_by = actor
    step.comment = comment
    step.save(update_fields=["status", "decided_at", "decided_by", "comment"])
    if comment:
        _comment_on_version(outgoing, actor, comment, now)
    steps = _round_steps(outgoing, step.round)
    open_here = [other for other in steps if other.ordinal == step.ordinal and other.status in _OPEN]
    started: list[ReviewStep] = []
    action = OutgoingAction.REVIEW
    if not open_here:
        waiting = [other for other in steps if other.status == StepStatus.WAITING and other.ordinal > step.ordinal]
        if waiting:
            following = min(other.ordinal for other in waiting)
            started = [other for other in waiting if other.ordinal == following]
            _activate(started, outgoing, now, calendar_load())
            if any(other.kind == StepKind.APPROVAL for other in started):
                action = OutgoingAction.REACH_SIGNER
    source, target = lifecycle.advance(outgoing, action)
    outgoing.save(update_fields=["status"])
    history_add(
        outgoing,
        action=action,
        actor=actor,
        now=now,
        from_status=source,
        to_status=target,
        note=_step_note(step, comment),
    )
    audit.record(
        action=events.OUTGOING_REVIEWED,
        actor=actor,
        agency=outgoing.agency_id,
        now=now,
        target=outgoing,
        data={
            "step_id": step.pk,
            "kind": step.kind,
            "assignee_id": step.assignee_id,
            "round": step.round,
            "ordinal": step.ordinal,
            "comment": comment,
            "started": [other.pk for other in started],
        },
    )
    if started:
        _notify_steps(started, outgoing, now)
    return outgoing


_OPEN = (StepStatus.ACTIVE, StepStatus.WAITING)


def _step_note(step: ReviewStep, text: str) -> str:
    label = StepKind(step.kind).label
    return f"{label}: {text}" if text else str(label)


@transaction.atomic
def outgoing_send_back(
    *, outgoing: Outgoing, actor: Person, now: datetime, reason: str, to_previous: bool = False
) -> Outgoing:
    """Send the draft back with a reason: to the drafter (the round ends: open steps SENT_BACK,
    waiting ones CANCELLED; DRAFT), or to the previous order (its steps run again, then this one);
    from the first order "previous" is the drafter."""
    outgoing = _lock(outgoing)
    policies.require(policies.can_send_back_outgoing(actor, outgoing, now), _("You have no step open on this draft."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for sending the draft back."), details={"field": "reason"})
    step = _acting_step(outgoing, actor, now)
    steps = _round_steps(outgoing, step.round)
    earlier = [other for other in steps if other.ordinal < step.ordinal and other.status == StepStatus.DONE]
    to_drafter = not to_previous or not earlier
    current = [other for other in steps if other.ordinal == step.ordinal and other.status == StepStatus.ACTIVE]
    for other in current:
        other.status = StepStatus.SENT_BACK
        other.decided_at = now
        if other.pk == step.pk:
            other.decided_by = actor
            other.comment = reason
        other.save(update_fields=["status", "decided_at", "decided_by", "comment"])
    started: list[ReviewStep] = []
    if to_drafter:
        ReviewStep.objects.filter(pk__in=[other.pk for other in steps if other.status == StepStatus.WAITING]).update(
            status=StepStatus.CANCELLED
        )
        action = OutgoingAction.RETURN_TO_DRAFTER
    else:
        calendar = calendar_load()
        previous = max(other.ordinal for other in earlier)
        # This order runs again after the previous one: waiting copies of its sent-back steps.
        ReviewStep.objects.bulk_create(
            _copy(other, outgoing, calendar, now, status=StepStatus.WAITING) for other in current
        )
        started = ReviewStep.objects.bulk_create(
            _copy(other, outgoing, calendar, now, status=StepStatus.ACTIVE)
            for other in earlier
            if other.ordinal == previous
        )
        action = OutgoingAction.RETURN_TO_PREVIOUS
    _comment_on_version(outgoing, actor, reason, now)
    source, target = lifecycle.advance(outgoing, action)
    outgoing.save(update_fields=["status"])
    history_add(outgoing, action=action, actor=actor, now=now, from_status=source, to_status=target, note=reason)
    audit.record(
        action=events.OUTGOING_SENT_BACK,
        actor=actor,
        agency=outgoing.agency_id,
        now=now,
        target=outgoing,
        data={
            "to": "drafter" if to_drafter else "previous",
            "reason": reason,
            "step_id": step.pk,
            "round": step.round,
            "ordinal": step.ordinal,
        },
    )
    if to_drafter:
        notification_send(
            recipients=Person.objects.filter(pk=outgoing.drafter_id),
            title=_("Your draft was sent back: %(subject)s") % {"subject": outgoing.document.subject[:200]},
            body=reason,
            url=reverse("outgoing:detail", args=[outgoing.pk]),
            kind=NOTIFY_KIND,
            now=now,
            email=True,
        )
    else:
        _notify_steps(started, outgoing, now)
    return outgoing


def _copy(step: ReviewStep, outgoing: Outgoing, calendar: WorkingCalendar, now: datetime, *, status: str) -> ReviewStep:
    """A new step like ``step`` (same round, order, kind, person, allowance), ACTIVE from now or WAITING."""
    copy = ReviewStep(
        outgoing=outgoing,
        round=step.round,
        ordinal=step.ordinal,
        kind=step.kind,
        assignee_id=step.assignee_id,
        status=status,
        working_days=step.working_days,
    )
    if status == StepStatus.ACTIVE:
        copy.activated_at = now
        copy.due_at = _deadline(calendar, now, step.working_days)
    return copy
