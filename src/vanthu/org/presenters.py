"""Plain data for the organisation pages: templates never query, and each page does a bounded
number of queries whatever the size of the province (view tests count them)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanthu.org import policies
from vanthu.org import selectors
from vanthu.org.grants import grants_for
from vanthu.org.models import Agency
from vanthu.org.models import Delegation
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment

SEARCH_LIMIT = 100

# Order of the tree's branches: province bodies and departments, then public-service units,
# communes and wards, and last the agencies that no longer exist (merged districts, …).
KIND_GROUPS = {
    "PROVINCE": (0, _("Provincial People's Committee")),
    "PROVINCE_BODY": (1, _("Departments and provincial bodies")),
    "DEPARTMENT": (1, _("Departments and provincial bodies")),
    "PUBLIC_SERVICE_UNIT": (2, _("Public-service units")),
    "DISTRICT": (3, _("Districts")),
    "COMMUNE": (4, _("Communes and wards")),
    "WARD": (4, _("Communes and wards")),
    "OTHER": (5, _("Other agencies")),
}
HISTORICAL_GROUP = (9, _("No longer existing (merged or ceased)"))


@dataclass
class AgencyNode:
    pk: int
    name: str
    abbreviation: str
    code: str
    kind_label: str
    is_active: bool
    parent_name: str = ""
    successor_id: int | None = None
    successor_name: str = ""
    merged_on: date | None = None
    ceased_on: date | None = None
    sort_name: str = ""
    group_rank: int = 0
    group_label: Any = ""
    children: list[AgencyNode] = field(default_factory=list)


def _node(agency: Agency) -> AgencyNode:
    successor = agency.successor if agency.successor_id else None
    group_rank, group_label = (
        KIND_GROUPS.get(agency.kind, KIND_GROUPS["OTHER"]) if agency.valid_to is None else HISTORICAL_GROUP
    )
    return AgencyNode(
        pk=agency.pk,
        name=agency.name,
        abbreviation=agency.abbreviation,
        code=agency.code_qcvn102,
        kind_label=str(agency.get_kind_display()),
        is_active=agency.valid_to is None,
        parent_name=agency.parent.name if agency.parent_id and agency.parent else "",
        successor_id=agency.successor_id,
        successor_name=successor.name if successor else "",
        # The service ends the predecessor the day before the merge takes effect.
        merged_on=agency.valid_to + timedelta(days=1) if agency.valid_to and successor else None,
        ceased_on=agency.valid_to,
        sort_name=agency.name_folded,
        group_rank=group_rank,
        group_label=group_label,
    )


def _sort_key(node: AgencyNode) -> tuple[int, str]:
    return (node.group_rank, node.sort_name)


def agency_tree(*, person: Person, now: datetime) -> list[AgencyNode]:
    """The whole visible tree in one query (ordered by materialised path)."""
    agencies = list(selectors.agency_list_for(person=person, now=now))
    nodes = {agency.pk: _node(agency) for agency in agencies}
    roots: list[AgencyNode] = []
    for agency in agencies:
        node = nodes[agency.pk]
        parent = nodes.get(agency.parent_id) if agency.parent_id else None
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)
    for node in nodes.values():
        # By kind (departments, then communes and wards), the historical ones last; by name.
        node.children.sort(key=_sort_key)
    return roots


def agency_search(*, person: Person, now: datetime, query: str) -> tuple[list[AgencyNode], bool]:
    """Matches of a folded search ("thanh hoa" finds "Thanh Hóa"); True when cut at the limit."""
    agencies = list(selectors.agency_list_for(person=person, now=now, query=query)[: SEARCH_LIMIT + 1])
    nodes = [_node(agency) for agency in agencies[:SEARCH_LIMIT]]
    nodes.sort(key=lambda node: (not node.is_active, node.sort_name))
    return nodes, len(agencies) > SEARCH_LIMIT


@dataclass(frozen=True)
class PersonRoleLine:
    assignment_id: int
    person_id: int
    person_name: str
    username: str
    role: str
    role_label: str
    agency_id: int
    agency_name: str
    unit_name: str
    position: str
    valid_from: datetime
    valid_to: datetime | None
    is_current: bool
    may_end: bool = False


@dataclass(frozen=True)
class DelegationLine:
    pk: int
    delegator_id: int
    delegator_name: str
    delegate_id: int
    delegate_name: str
    agency_id: int
    agency_name: str
    unit_name: str
    role_label: str
    starts_at: datetime
    ends_at: datetime
    reason: str
    may_revoke: bool


def _delegation_lines(
    delegations: list[Delegation], *, viewer: Person, now: datetime, manage_scope: set[int] | None
) -> list[DelegationLine]:
    own_roles = {(grant.agency_id, grant.role) for grant in grants_for(viewer, now) if grant.delegated_by_id is None}
    lines = []
    for delegation in delegations:
        may_revoke = (
            manage_scope is None
            or delegation.agency_id in manage_scope
            or (delegation.delegator_id == viewer.pk and (delegation.agency_id, delegation.role) in own_roles)
        )
        lines.append(
            DelegationLine(
                pk=delegation.pk,
                delegator_id=delegation.delegator_id,
                delegator_name=delegation.delegator.full_name,
                delegate_id=delegation.delegate_id,
                delegate_name=delegation.delegate.full_name,
                agency_id=delegation.agency_id,
                agency_name=delegation.agency.name,
                unit_name=delegation.unit.name if delegation.unit else "",
                role_label=str(delegation.get_role_display()),
                starts_at=delegation.starts_at,
                ends_at=delegation.ends_at,
                reason=delegation.reason,
                may_revoke=may_revoke and delegation.ends_at > now,
            )
        )
    return lines


def _current_delegations() -> Any:
    return Delegation.objects.filter(revoked_at__isnull=True).select_related("delegator", "delegate", "agency", "unit")


def agency_detail(*, agency: Agency, viewer: Person, now: datetime) -> dict[str, Any]:
    manage_scope = policies.admin_scope(viewer, now)
    may_manage = manage_scope is None or agency.pk in manage_scope
    grants = grants_for(viewer, now)
    holds_role_here = any(grant.agency_id == agency.pk and grant.delegated_by_id is None for grant in grants)
    visible_people = policies.people_visible_to(viewer, now)
    assignments = (
        RoleAssignment.objects.filter(
            agency=agency, person__in=visible_people, person__is_active=True, valid_from__lte=now
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=now))
        .select_related("person", "unit", "position")
        .order_by("person__full_name_folded", "role")
    )
    people = [
        PersonRoleLine(
            assignment_id=a.pk,
            person_id=a.person_id,
            person_name=a.person.full_name,
            username=a.person.username,
            role=a.role,
            role_label=str(a.get_role_display()),
            agency_id=agency.pk,
            agency_name=agency.name,
            unit_name=a.unit.name if a.unit else "",
            position=a.position.name if a.position else "",
            valid_from=a.valid_from,
            valid_to=a.valid_to,
            is_current=True,
            may_end=may_manage,
        )
        for a in assignments
    ]
    delegations: list[DelegationLine] = []
    if may_manage or holds_role_here:
        current = _current_delegations().filter(agency=agency, ends_at__gt=now)
        if not may_manage:
            current = current.filter(Q(delegator=viewer) | Q(delegate=viewer))
        delegations = _delegation_lines(list(current), viewer=viewer, now=now, manage_scope=manage_scope)
    children = list(selectors.agency_list_for(person=viewer, now=now, parent_id=agency.pk))
    predecessors = list(agency.predecessors.select_related("successor").order_by("-valid_to", "name"))
    return {
        "agency": agency,
        "node": _node(agency),
        "children": sorted((_node(child) for child in children), key=_sort_key),
        "units": list(agency.units.order_by("-is_active", "name")),
        "people": people,
        "people_hidden": not people and not may_manage and not holds_role_here,
        "delegations": delegations,
        "predecessors": [_node(predecessor) for predecessor in predecessors],
        "may_manage": may_manage,
        "may_add_child": may_manage and agency.valid_to is None,
        "may_delegate": (may_manage or holds_role_here) and agency.valid_to is None,
        "is_active": agency.valid_to is None,
    }


def person_detail(*, person: Person, viewer: Person, now: datetime) -> dict[str, Any]:
    manage_scope = policies.admin_scope(viewer, now)
    assignments = list(
        RoleAssignment.objects.filter(person=person)
        .select_related("agency", "unit", "position")
        .order_by("-valid_from")
    )
    roles = []
    for a in assignments:
        is_current = a.valid_from <= now and (a.valid_to is None or a.valid_to > now)
        roles.append(
            PersonRoleLine(
                assignment_id=a.pk,
                person_id=person.pk,
                person_name=person.full_name,
                username=person.username,
                role=a.role,
                role_label=str(a.get_role_display()),
                agency_id=a.agency_id,
                agency_name=a.agency.name,
                unit_name=a.unit.name if a.unit else "",
                position=a.position.name if a.position else "",
                valid_from=a.valid_from,
                valid_to=a.valid_to,
                is_current=is_current,
                may_end=is_current and a.valid_from < now and (manage_scope is None or a.agency_id in manage_scope),
            )
        )
    current = _current_delegations().filter(Q(delegator=person) | Q(delegate=person), ends_at__gt=now)
    return {
        "person": person,
        "is_me": person.pk == viewer.pk,
        "current_roles": [line for line in roles if line.is_current],
        "past_roles": [line for line in roles if not line.is_current],
        "delegations": _delegation_lines(list(current), viewer=viewer, now=now, manage_scope=manage_scope),
    }


def role_choices_for_delegation(
    *, viewer: Person, agency: Agency, now: datetime, may_manage: bool
) -> list[tuple[str, Any]]:
    """An administrator may delegate any role of the agency; a holder only the roles they hold
    themself (not roles they hold by delegation)."""
    if may_manage:
        return list(Role.choices)
    held = {
        grant.role
        for grant in grants_for(viewer, now)
        if grant.agency_id == agency.pk and grant.delegated_by_id is None
    }
    return [(value, label) for value, label in Role.choices if value in held]


def merge_successors(*, viewer: Person, agency: Agency, now: datetime) -> Any:
    return (
        selectors.agency_list_for(person=viewer, now=now, include_ceased=False)
        .exclude(pk=agency.pk)
        .exclude(path__startswith=agency.path)
        .order_by("path")
    )
