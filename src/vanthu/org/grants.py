"""Effective roles of a person at a moment: own role assignments plus delegations received.

Everything that decides "who sees what" starts from ``grants_for(person, now)``; policies turn the
grants into predicates and querysets so both shapes come from the same code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from vanthu.org.models import Agency
from vanthu.org.models import Delegation
from vanthu.org.models import Person
from vanthu.org.models import RoleAssignment


@dataclass(frozen=True)
class Grant:
    agency_id: int
    unit_id: int | None
    role: str
    delegated_by_id: int | None = None


def _active_assignments(person_ids: list[int], now: datetime) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(person_id__in=person_ids, person__is_active=True, valid_from__lte=now)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=now))
        .only("person_id", "agency_id", "unit_id", "role")
    )


# Within one request the grants of a person are read once (the request is one moment);
# services that change roles or delegations clear the cache.
# Keyed by person and moment: one request asks about "now", but a service may ask about another time.
_request_cache: ContextVar[dict[tuple[int, datetime], frozenset[Grant]] | None] = ContextVar(
    "vanthu_grants_cache", default=None
)
# The map of merged agencies to their successors, read once a request (it changes only by a merge).
_successors_cache: ContextVar[dict[int, int] | None] = ContextVar("vanthu_successors_cache", default=None)
_REQUEST_SUCCESSORS_UNREAD: dict[int, int] = {}


@contextmanager
def grants_cached() -> Iterator[None]:
    token = _request_cache.set({})
    successors_token = _successors_cache.set(_REQUEST_SUCCESSORS_UNREAD)
    try:
        yield
    finally:
        _request_cache.reset(token)
        _successors_cache.reset(successors_token)


def grants_changed() -> None:
    cache = _request_cache.get()
    if cache is not None:
        cache.clear()
    if _successors_cache.get() is not None:
        _successors_cache.set(_REQUEST_SUCCESSORS_UNREAD)


def grants_for(person: Person, now: datetime) -> frozenset[Grant]:
    if not person.is_authenticated or not person.is_active:
        return frozenset()
    cache = _request_cache.get()
    if cache is not None:
        # One request is one moment: the view's, the navigation's and the menu's readings of the
        # clock (milliseconds apart) share their grants; another time asked by a service does not.
        key = (person.pk, now.replace(microsecond=0))
        if key not in cache:
            cache[key] = _grants_at(person, now)
        return cache[key]
    return _grants_at(person, now)


def _grants_at(person: Person, now: datetime) -> frozenset[Grant]:
    grants = {Grant(a.agency_id, a.unit_id, a.role) for a in _active_assignments([person.pk], now)}
    delegations = list(
        Delegation.objects.filter(
            delegate_id=person.pk, starts_at__lte=now, ends_at__gt=now, revoked_at__isnull=True
        ).only("delegator_id", "agency_id", "unit_id", "role")
    )
    if delegations:
        held = {
            (a.person_id, a.agency_id, a.unit_id, a.role)
            for a in _active_assignments([d.delegator_id for d in delegations], now)
        }
        for delegation in delegations:
            if (delegation.delegator_id, delegation.agency_id, delegation.unit_id, delegation.role) in held:
                grants.add(Grant(delegation.agency_id, delegation.unit_id, delegation.role, delegation.delegator_id))
    return frozenset(grants)


def _successors() -> dict[int, int]:
    cached = _successors_cache.get()
    if cached is not None and cached is not _REQUEST_SUCCESSORS_UNREAD:
        return cached
    successors = dict(Agency.objects.filter(successor__isnull=False).values_list("id", "successor_id"))
    if cached is not None:
        _successors_cache.set(successors)
    return successors


def agency_ids_with_predecessors(agency_ids: set[int]) -> set[int]:
    """The agencies and, transitively, every agency merged into them."""
    covered = set(agency_ids)
    successors = _successors()
    changed = True
    while changed:
        changed = False
        for agency_id, successor_id in successors.items():
            if successor_id in covered and agency_id not in covered:
                covered.add(agency_id)
                changed = True
    return covered


def agency_ids_in_subtrees(agency_ids: set[int]) -> set[int]:
    """The agencies and all their descendants (by materialised path)."""
    if not agency_ids:
        return set()
    paths = list(Agency.objects.filter(id__in=agency_ids).values_list("path", flat=True))
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return set(Agency.objects.filter(condition).values_list("id", flat=True))


def scope_agency_ids(grants: frozenset[Grant], role: str) -> set[int]:
    """Agencies a role holder oversees: their agencies' subtrees, with merged predecessors."""
    roots = {grant.agency_id for grant in grants if grant.role == role}
    return agency_ids_with_predecessors(agency_ids_in_subtrees(roots))


def member_agency_ids(grants: frozenset[Grant]) -> set[int]:
    """Agencies the person works in (any role), with merged predecessors."""
    return agency_ids_with_predecessors({grant.agency_id for grant in grants})
