"""Who sees and acts on incoming documents (ARCHITECTURE.md §9).

Seen by: the receiving agency's CLERKs and AGENCY_LEADERs (every status); the leaders
(UNIT_LEADER) of the units it is assigned to; the persons it is assigned to as lead, co-operating
or for information (a cancelled assignment no longer counts); nobody in any other agency. A
delegation gives the delegate the delegator's view and steps for its period (through ``grants_for``
for roles, through ``acting_ids`` for personal assignments); merged agencies' documents are seen by
the successor's holders of the same roles. An ADMIN or INSPECTOR sees no content through that role.

Acting: the CLERKs receive, register, refuse and decide recalls; the AGENCY_LEADERs direct, decide
extensions and reopen (so does the leader who directed it); a unit's leader assigns inside the
unit; the lead and co-operating handlers (and their units' leaders) report and ask for more time;
only the lead (a person or the lead unit's leader) completes. For-information readers only read.

The predicates answer "who": the status is the lifecycle's question (``lifecycle.advance`` refuses
with its own message); ``available_actions`` combines both for buttons and ``allowed_actions``.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.db.models import QuerySet

from vanthu.incoming.lifecycle import IncomingAction
from vanthu.incoming.lifecycle import actions_from
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import AssignmentRole
from vanthu.incoming.models import AssignmentStatus
from vanthu.incoming.models import Incoming
from vanthu.org import policies as org_policies
from vanthu.org.grants import Grant
from vanthu.org.grants import grants_for
from vanthu.org.grants import member_agency_ids
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role

require = org_policies.require
require_visible = org_policies.require_visible

# Assignments that still give a view (a re-direction cancels the old ones).
LIVE_ASSIGNMENT = (AssignmentStatus.OPEN, AssignmentStatus.DONE)
HANDLING_ROLES = (AssignmentRole.LEAD, AssignmentRole.COOPERATE)


def _grants(person: Person, now: datetime) -> frozenset[Grant]:
    return grants_for(person, now)


def acting_ids(person: Person, now: datetime) -> set[int]:
    """The person and everyone who delegated a role to them now: whose assignments they act on."""
    is_authenticated: bool = person.is_authenticated  # an AnonymousUser may ask too
    if not is_authenticated:
        return set()
    return {person.pk} | {grant.delegated_by_id for grant in _grants(person, now) if grant.delegated_by_id}


def _role_agency_ids(person: Person, now: datetime, role: str) -> set[int]:
    return member_agency_ids(frozenset(grant for grant in _grants(person, now) if grant.role == role))


def clerk_agency_ids(person: Person, now: datetime) -> set[int]:
    return _role_agency_ids(person, now, Role.CLERK)


def leader_agency_ids(person: Person, now: datetime) -> set[int]:
    return _role_agency_ids(person, now, Role.AGENCY_LEADER)


def led_unit_ids(person: Person, now: datetime) -> set[int]:
    return {
        grant.unit_id for grant in _grants(person, now) if grant.role == Role.UNIT_LEADER and grant.unit_id is not None
    }


def is_clerk_of(person: Person, agency_id: int, now: datetime) -> bool:
    return agency_id in clerk_agency_ids(person, now)


def is_agency_leader_of(person: Person, agency_id: int, now: datetime) -> bool:
    return agency_id in leader_agency_ids(person, now)


def _assignment_condition(person: Person, now: datetime) -> Q | None:
    """Assignments (over ``Assignment``) the person holds: their own or a delegator's as a person,
    or a unit they lead."""
    ids = acting_ids(person, now)
    if not ids:
        return None
    condition = Q(person_id__in=ids)
    units = led_unit_ids(person, now)
    if units:
        condition |= Q(unit_id__in=units)
    return condition


def incoming_visible_to(person: Person, now: datetime) -> QuerySet[Incoming]:
    if not (person.is_authenticated and person.is_active):
        return Incoming.objects.none()
    condition = Q(pk__in=[])
    registry = clerk_agency_ids(person, now) | leader_agency_ids(person, now)
    if registry:
        condition |= Q(agency_id__in=registry)
    held = _assignment_condition(person, now)
    if held is not None:
        # Driven by the person's own assignments (index on person / unit), not by probing every
        # incoming document of the province: an ordinary officer's lists stay fast at any size.
        assigned = Assignment.objects.filter(held, status__in=LIVE_ASSIGNMENT).values("incoming_id")
        condition |= Q(pk__in=assigned)
    return Incoming.objects.filter(condition)


def can_view_incoming(person: Person, incoming: Incoming, now: datetime) -> bool:
    return incoming_visible_to(person, now).filter(pk=incoming.pk).exists()


def incoming_document_visibility(person: Person, now: datetime) -> list[QuerySet[Any]]:
    """The documents provider (documents.policies): the receiving agency's Document of an incoming
    document and its files are seen by whoever sees the incoming document — the same rules as
    :func:`incoming_visible_to`, one id source each."""
    if not (person.is_authenticated and person.is_active):
        return []
    sources: list[QuerySet[Any]] = []
    registry = clerk_agency_ids(person, now) | leader_agency_ids(person, now)
    if registry:
        sources.append(Incoming.objects.filter(agency_id__in=registry).values("document_id"))
    held = _assignment_condition(person, now)
    if held is not None:
        assigned = Assignment.objects.filter(held, status__in=LIVE_ASSIGNMENT).values("incoming_id")
        sources.append(Incoming.objects.filter(pk__in=assigned).values("document_id"))
    return sources


# --- assignments the person acts on --------------------------------------------------------------


def held_assignments(
    person: Person, incoming: Incoming, now: datetime, roles: Iterable[str] = HANDLING_ROLES
) -> list[Assignment]:
    """The OPEN assignments of ``incoming`` with one of ``roles`` that ``person`` acts on (their own,
    a delegator's, or one of a unit they lead); personal ones first, then LEAD before COOPERATE."""
    held = _assignment_condition(person, now)
    if held is None:
        return []
    rows = list(
        Assignment.objects.filter(held, incoming=incoming, status=AssignmentStatus.OPEN, role__in=list(roles)).order_by(
            "id"
        )
    )
    order = {AssignmentRole.LEAD: 0, AssignmentRole.COOPERATE: 1, AssignmentRole.INFORM: 2}
    ids = acting_ids(person, now)
    rows.sort(key=lambda row: (0 if row.person_id in ids else 1, order.get(AssignmentRole(row.role), 3), row.pk))
    return rows


def acting_assignment(
    person: Person, incoming: Incoming, now: datetime, roles: Iterable[str] = HANDLING_ROLES
) -> Assignment | None:
    """The assignment a report, an input or an extension request of ``person`` belongs to."""
    rows = held_assignments(person, incoming, now, roles)
    return rows[0] if rows else None


# --- registry (văn thư) --------------------------------------------------------------------------


def can_receive(person: Person, agency: Agency, now: datetime) -> bool:
    """Upload a document received by other electronic means, or a scanned paper one."""
    return is_clerk_of(person, agency.pk, now)


def can_register(person: Person, incoming: Incoming, now: datetime) -> bool:
    return is_clerk_of(person, incoming.agency_id, now)


def can_refuse(person: Person, incoming: Incoming, now: datetime) -> bool:
    return is_clerk_of(person, incoming.agency_id, now)


def can_decide_recall(person: Person, incoming: Incoming, now: datetime) -> bool:
    """Accept or refuse a recall the sender asked for (only while one is pending)."""
    return incoming.recall_requested_at is not None and is_clerk_of(person, incoming.agency_id, now)


# --- direction -----------------------------------------------------------------------------------


def can_direct(person: Person, incoming: Incoming, now: datetime) -> bool:
    return is_agency_leader_of(person, incoming.agency_id, now)


def is_directing_leader(person: Person, incoming: Incoming, now: datetime) -> bool:
    return incoming.directed_by_id is not None and incoming.directed_by_id in acting_ids(person, now)


def can_assign_in_unit(person: Person, incoming: Incoming, assignment: Assignment, now: datetime) -> bool:
    """The leader of the assignment's unit passes it on to people of that unit."""
    return (
        assignment.incoming_id == incoming.pk
        and assignment.status == AssignmentStatus.OPEN
        and assignment.unit_id is not None
        and assignment.unit_id in led_unit_ids(person, now)
    )


def can_assign(person: Person, incoming: Incoming, now: datetime) -> bool:
    """Whether one of the incoming document's open unit assignments is the person's to pass on."""
    units = led_unit_ids(person, now)
    return (
        bool(units)
        and Assignment.objects.filter(incoming=incoming, status=AssignmentStatus.OPEN, unit_id__in=units).exists()
    )


# --- handling ------------------------------------------------------------------------------------


def can_report(person: Person, incoming: Incoming, now: datetime) -> bool:
    """Lead or co-operating assignees (or their units' leaders) report progress or give input."""
    return acting_assignment(person, incoming, now, HANDLING_ROLES) is not None


def can_complete(person: Person, incoming: Incoming, now: datetime) -> bool:
    """Only the lead: the lead person, or the lead unit's leader (co-operators cannot close it)."""
    return acting_assignment(person, incoming, now, (AssignmentRole.LEAD,)) is not None


def can_request_extension(person: Person, incoming: Incoming, now: datetime) -> bool:
    return can_report(person, incoming, now)


def can_decide_extension(person: Person, incoming: Incoming, now: datetime) -> bool:
    return is_directing_leader(person, incoming, now) or is_agency_leader_of(person, incoming.agency_id, now)


def can_reopen(person: Person, incoming: Incoming, now: datetime) -> bool:
    return can_decide_extension(person, incoming, now)


Predicate = Callable[[Person, Incoming, datetime], bool]

# The actions a person may be offered as buttons, with their rule.
ACTION_POLICIES: dict[IncomingAction, Predicate] = {
    IncomingAction.REGISTER: can_register,
    IncomingAction.REFUSE: can_refuse,
    IncomingAction.DIRECT: can_direct,
    IncomingAction.ASSIGN: can_assign,
    IncomingAction.START: can_complete,
    IncomingAction.REPORT: can_report,
    IncomingAction.COMPLETE: can_complete,
    IncomingAction.REOPEN: can_reopen,
    IncomingAction.ACCEPT_RECALL: can_decide_recall,
    IncomingAction.REFUSE_RECALL: can_decide_recall,
}


def available_actions(incoming: Incoming, person: Person, now: datetime) -> list[IncomingAction]:
    """Lifecycle × policy: what ``person`` may do with ``incoming`` now (buttons, ``allowed_actions``)."""
    allowed = []
    for action in actions_from(incoming.status):
        rule = ACTION_POLICIES.get(action)
        if rule is not None and rule(person, incoming, now):
            allowed.append(action)
    return allowed
