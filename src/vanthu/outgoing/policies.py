"""Who sees and acts on outgoing documents (ARCHITECTURE.md §9).

Seen by: its drafter; the people of its review circuit and its signer; the leaders (UNIT_LEADER)
of the drafting unit; the issuing agency's CLERKs once it awaits a number (SIGNED and later); after
issuance, every person of the issuing agency. A delegation gives the delegate the delegator's view
and steps for its period; merged agencies' documents are seen by the successor's role holders.
An ADMIN or superuser sees nothing here without such a role (separation of duties).

Acting: the drafter (or their delegate) edits, submits and withdraws a draft; the person of an
active step (or their delegate) reviews, sends back or — at the approval step — signs; the CLERKs
of the issuing agency number, issue, cancel issuance, recall, change recipients, make copies,
reserve numbers and register documents signed on paper.

Each rule has one source: the queryset ``outgoing_visible_to`` and the predicates built on the same
grants.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.db.models import QuerySet

from vanthu.documents.models import Document
from vanthu.org import policies as org_policies
from vanthu.org.grants import Grant
from vanthu.org.grants import grants_for
from vanthu.org.grants import member_agency_ids
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.outgoing.lifecycle import OutgoingAction
from vanthu.outgoing.lifecycle import actions_from
from vanthu.outgoing.models import DocumentCopy
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.models import ReviewStep
from vanthu.outgoing.models import StepKind
from vanthu.outgoing.models import StepStatus

require = org_policies.require
require_visible = org_policies.require_visible

# From these statuses on, the registry handles the document (number, seal, issuance).
CLERK_STATUSES = (
    OutgoingStatus.SIGNED,
    OutgoingStatus.ISSUING,
    OutgoingStatus.ISSUED,
    OutgoingStatus.RECALLED,
    OutgoingStatus.REPLACED,
)
# After issuance the whole issuing agency sees it.
ISSUED_STATUSES = (OutgoingStatus.ISSUED, OutgoingStatus.RECALLED, OutgoingStatus.REPLACED)
DRAFTING_ROLES = frozenset({Role.OFFICER, Role.UNIT_LEADER, Role.AGENCY_LEADER, Role.CLERK})
# "Every person of the issuing agency" sees an issued document, except through an ADMIN or INSPECTOR
# role alone: administrators and inspectors read no document content (separation of duties, §9).
CONTENT_ROLES = frozenset(set(Role.values) - {Role.ADMIN, Role.INSPECTOR})


def _grants(person: Person, now: datetime) -> frozenset[Grant]:
    return grants_for(person, now)


def acting_ids(person: Person, now: datetime) -> set[int]:
    """The person and everyone who delegated a role to them now: whose drafts and steps they act on."""
    is_authenticated: bool = person.is_authenticated  # an AnonymousUser may ask too
    if not is_authenticated:
        return set()
    return {person.pk} | {grant.delegated_by_id for grant in _grants(person, now) if grant.delegated_by_id}


def _role_agency_ids(person: Person, now: datetime, roles: frozenset[str]) -> set[int]:
    return member_agency_ids(frozenset(grant for grant in _grants(person, now) if grant.role in roles))


def clerk_agency_ids(person: Person, now: datetime) -> set[int]:
    return _role_agency_ids(person, now, frozenset({Role.CLERK}))


def led_unit_ids(person: Person, now: datetime) -> set[int]:
    return {
        grant.unit_id for grant in _grants(person, now) if grant.role == Role.UNIT_LEADER and grant.unit_id is not None
    }


def outgoing_visible_to(person: Person, now: datetime) -> QuerySet[Outgoing]:
    if not (person.is_authenticated and person.is_active):
        return Outgoing.objects.none()
    ids = acting_ids(person, now)
    # Each part is driven by an index of the person's own rows (steps, signatures), never by a
    # probe of every outgoing document (ARCHITECTURE §6: an ordinary officer at province scale).
    in_circuit = ReviewStep.objects.filter(assignee_id__in=ids).values("outgoing_id")
    signed = Outgoing.objects.filter(document__signer_id__in=ids).values("pk")
    condition = Q(drafter_id__in=ids) | Q(pk__in=signed) | Q(pk__in=in_circuit)
    units = led_unit_ids(person, now)
    if units:
        condition |= Q(drafting_unit_id__in=units)
    clerk_agencies = clerk_agency_ids(person, now)
    if clerk_agencies:
        condition |= Q(agency_id__in=clerk_agencies, status__in=CLERK_STATUSES)
    members = _role_agency_ids(person, now, CONTENT_ROLES)
    if members:
        condition |= Q(agency_id__in=members, status__in=ISSUED_STATUSES)
    return Outgoing.objects.filter(condition)


def can_view_outgoing(person: Person, outgoing: Outgoing, now: datetime) -> bool:
    return outgoing_visible_to(person, now).filter(pk=outgoing.pk).exists()


# --- drafting ------------------------------------------------------------------------------


def can_create_outgoing(person: Person, agency: Agency, now: datetime) -> bool:
    return agency.pk in _role_agency_ids(person, now, DRAFTING_ROLES)


def is_drafter(person: Person, outgoing: Outgoing, now: datetime) -> bool:
    return outgoing.drafter_id in acting_ids(person, now)


def can_edit_draft(person: Person, outgoing: Outgoing, now: datetime) -> bool:
    return outgoing.status == OutgoingStatus.DRAFT and is_drafter(person, outgoing, now)


def can_submit_outgoing(person: Person, outgoing: Outgoing, now: datetime) -> bool:
    return can_edit_draft(person, outgoing, now)


def can_withdraw_outgoing(person: Person, outgoing: Outgoing, now: datetime) -> bool:
    return can_edit_draft(person, outgoing, now)


# --- review and signature --------------------------------------------------------------------


def active_step_for(person: Person, outgoing: Outgoing, now: datetime) -> ReviewStep | None:
    """The active step of the current round that ``person`` may act on (own or delegated)."""
    return (
        ReviewStep.objects.filter(outgoing=outgoing, status=StepStatus.ACTIVE, assignee_id__in=acting_ids(person, now))
        .order_by("ordinal", "id")
        .first()
    )


def can_review_outgoing(person: Person, outgoing: Outgoing, now: datetime) -> bool:
    if outgoing.status != OutgoingStatus.IN_REVIEW:
        return False
    step = active_step_for(person, outgoing, now)
    return step is not None and step.kind != StepKind.APPROVAL


def can_send_back_outgoing(person: Person, outgoing: Outgoing, now: datetime) -> bool:
    if outgoing.status not in (OutgoingStatus.IN_REVIEW, OutgoingStatus.AWAITING_SIGNATURE):
        return False
    return active_step_for(person, outgoing, now) is not None


def can_sign_outgoing(person: Person, outgoing: Outgoing, now: datetime) -> bool:
    if outgoing.status != OutgoingStatus.AWAITING_SIGNATURE:
        return False
    step = active_step_for(person, outgoing, now)
    return step is not None and step.kind == StepKind.APPROVAL


def can_comment_outgoing(person: Person, outgoing: Outgoing, now: datetime) -> bool:
    if outgoing.status in (OutgoingStatus.WITHDRAWN, OutgoingStatus.RECALLED, OutgoingStatus.REPLACED):
        return False
    return can_view_outgoing(person, outgoing, now)


# --- registry ----------------------------------------------------------------------------------


def is_clerk_of(person: Person, agency_id: int, now: datetime) -> bool:
    return agency_id in clerk_agency_ids(person, now)


def can_issue_outgoing(person: Person, outgoing: Outgoing, now: datetime) -> bool:
    return outgoing.status in (OutgoingStatus.SIGNED, OutgoingStatus.ISSUING) and is_clerk_of(
        person, outgoing.agency_id, now
    )


def can_manage_issued_outgoing(person: Person, outgoing: Outgoing, now: datetime) -> bool:
    """Recall, change recipients, make copies of an issued document."""
    return outgoing.status == OutgoingStatus.ISSUED and is_clerk_of(person, outgoing.agency_id, now)


def can_draft_follow_up(person: Person, outgoing: Outgoing, now: datetime) -> bool:
    """Draft a replacement or a correction of an issued document: its drafter or a CLERK."""
    return outgoing.status == OutgoingStatus.ISSUED and (
        is_drafter(person, outgoing, now) or is_clerk_of(person, outgoing.agency_id, now)
    )


def can_manage_registers(person: Person, agency: Agency, now: datetime) -> bool:
    """Reserve numbers, cancel reserved ones, register documents signed on paper, make copies."""
    return is_clerk_of(person, agency.pk, now)


Predicate = Callable[[Person, Outgoing, datetime], bool]

# The actions a person may be offered as buttons, with their rule. Internal moves (reach_signer,
# submit_to_signer, replace, correct) are taken by services, never offered.
ACTION_POLICIES: dict[OutgoingAction, Predicate] = {
    OutgoingAction.SUBMIT: can_submit_outgoing,
    OutgoingAction.WITHDRAW: can_withdraw_outgoing,
    OutgoingAction.REVIEW: can_review_outgoing,
    OutgoingAction.RETURN_TO_DRAFTER: can_send_back_outgoing,
    OutgoingAction.RETURN_TO_PREVIOUS: can_send_back_outgoing,
    OutgoingAction.SIGN: can_sign_outgoing,
    OutgoingAction.START_ISSUE: can_issue_outgoing,
    OutgoingAction.ISSUE: can_issue_outgoing,
    OutgoingAction.CANCEL_ISSUE: can_issue_outgoing,
    OutgoingAction.RECALL: can_manage_issued_outgoing,
    OutgoingAction.CHANGE_RECIPIENTS: can_manage_issued_outgoing,
}


def available_actions(outgoing: Outgoing, person: Person, now: datetime) -> list[OutgoingAction]:
    """Lifecycle × policy: what ``person`` may do with ``outgoing`` now (buttons, ``allowed_actions``)."""
    allowed = []
    for action in actions_from(outgoing.status):
        rule = ACTION_POLICIES.get(action)
        if rule is not None and rule(person, outgoing, now):
            allowed.append(action)
    return allowed


def outgoing_document_visibility(person: Person, now: datetime) -> list[QuerySet[Any]]:
    """The documents provider (documents.policies): an outgoing document's Document and files are
    seen by whoever sees the outgoing document (the rules of :func:`outgoing_visible_to`, one id
    source each); an electronic copy (sao y, sao lục, trích sao) is issued by its copying agency
    like its own documents, so every person of that agency holding a content role sees it."""
    if not (person.is_authenticated and person.is_active):
        return []
    ids = acting_ids(person, now)
    sources: list[QuerySet[Any]] = [
        Outgoing.objects.filter(drafter_id__in=ids).values("document_id"),
        Document.objects.filter(signer_id__in=ids, outgoing__isnull=False).values("pk"),
        ReviewStep.objects.filter(assignee_id__in=ids).values("outgoing__document_id"),
    ]
    units = led_unit_ids(person, now)
    if units:
        sources.append(Outgoing.objects.filter(drafting_unit_id__in=units).values("document_id"))
    clerk_agencies = clerk_agency_ids(person, now)
    if clerk_agencies:
        sources.append(
            Outgoing.objects.filter(agency_id__in=clerk_agencies, status__in=CLERK_STATUSES).values("document_id")
        )
    members = _role_agency_ids(person, now, CONTENT_ROLES)
    if members:
        sources.append(Outgoing.objects.filter(agency_id__in=members, status__in=ISSUED_STATUSES).values("document_id"))
        sources.append(DocumentCopy.objects.filter(agency_id__in=members).values("copy_id"))
    return sources
