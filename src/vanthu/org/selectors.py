"""Reads of the organisation. Every list starts from the policy's queryset; ``*_get_for``
returns the object or raises NotFoundError for one the person may not see."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.db.models import QuerySet

from vanthu.core.errors import NotFoundError
from vanthu.core.text import fold
from vanthu.org import policies
from vanthu.org.grants import Grant
from vanthu.org.grants import grants_for
from vanthu.org.models import Agency
from vanthu.org.models import Delegation
from vanthu.org.models import Person
from vanthu.org.models import RoleAssignment
from vanthu.org.models import Unit


def agency_list_for(
    *,
    person: Person,
    now: datetime,
    query: str = "",
    code: str = "",
    parent_id: int | None = None,
    roots_only: bool = False,
    include_ceased: bool = True,
) -> QuerySet[Agency]:
    agencies = policies.agencies_visible_to(person, now).select_related("parent", "successor")
    if query:
        folded = fold(query)
        agencies = agencies.filter(
            Q(name_folded__contains=folded) | Q(abbreviation__iexact=query.strip()) | Q(code_qcvn102=query.strip())
        )
    if code:
        agencies = agencies.filter(Q(code_qcvn102=code.strip()) | Q(code_qd20=code.strip()))
    if parent_id is not None:
        agencies = agencies.filter(parent_id=parent_id)
    if roots_only:
        agencies = agencies.filter(parent__isnull=True)
    if not include_ceased:
        agencies = agencies.filter(valid_to__isnull=True)
    return agencies


def agency_get_for(*, person: Person, pk: int, now: datetime) -> Agency:
    agency = policies.agencies_visible_to(person, now).select_related("parent", "successor").filter(pk=pk).first()
    if agency is None:
        raise NotFoundError()
    return agency


def agency_current(agency: Agency) -> Agency:
    """Follow successor links to the agency that carries the work today.

    The links are read from the database, not from ``agency``: an instance loaded before a merge
    still says it has no successor."""
    current_id = agency.pk
    seen = {current_id}
    while True:
        successor_id = Agency.objects.filter(pk=current_id).values_list("successor_id", flat=True).first()
        if successor_id is None or successor_id in seen:
            break
        seen.add(successor_id)
        current_id = successor_id
    return agency if current_id == agency.pk else Agency.objects.get(pk=current_id)


def person_list_for(
    *, viewer: Person, now: datetime, query: str = "", agency_id: int | None = None
) -> QuerySet[Person]:
    people = policies.people_visible_to(viewer, now).filter(is_active=True)
    if query:
        folded = fold(query)
        people = people.filter(
            Q(full_name_folded__contains=folded) | Q(username__iexact=query.strip()) | Q(email__iexact=query.strip())
        )
    if agency_id is not None:
        people = people.filter(roles__agency_id=agency_id).distinct()
    return people.order_by("full_name_folded", "id")


def person_get_for(*, viewer: Person, pk: int, now: datetime) -> Person:
    person = policies.people_visible_to(viewer, now).filter(pk=pk).first()
    if person is None:
        raise NotFoundError()
    return person


def roles_of(*, person: Person, now: datetime) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(person=person, valid_from__lte=now)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=now))
        .select_related("agency", "unit", "position")
    )


def delegations_received(*, person: Person, now: datetime) -> QuerySet[Delegation]:
    return Delegation.objects.filter(
        delegate=person, starts_at__lte=now, ends_at__gt=now, revoked_at__isnull=True
    ).select_related("delegator", "agency", "unit")


def effective_grants(*, person: Person, now: datetime) -> frozenset[Grant]:
    return grants_for(person, now)


def has_role(*, person: Person, role: str, now: datetime) -> bool:
    return any(grant.role == role for grant in grants_for(person, now))


def roles_current(*, now: datetime) -> QuerySet[RoleAssignment]:
    """Role assignments in force at ``now`` (for prefetching onto people)."""
    return (
        RoleAssignment.objects.filter(valid_from__lte=now)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=now))
        .select_related("agency", "unit", "position")
        .order_by("agency__path", "role", "id")
    )


def unit_list_for(*, person: Person, agency: Agency, now: datetime) -> QuerySet[Unit]:
    """The agency's units, or NotFoundError for a person who may not see them."""
    if not policies.can_view_units_of(person, agency, now):
        raise NotFoundError()
    return Unit.objects.filter(agency=agency).order_by("-is_active", "name", "id")


def units_by_id(ids: set[int]) -> dict[int, Unit]:
    return Unit.objects.in_bulk(ids)


def agencies_by_id(ids: set[int]) -> dict[int, Agency]:
    return Agency.objects.in_bulk(ids)


def people_by_id(ids: set[int]) -> dict[int, Person]:
    return Person.objects.in_bulk(ids)
