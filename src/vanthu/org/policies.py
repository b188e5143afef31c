"""Who may see and do what in the organisation (ARCHITECTURE.md §9).

- The agency directory (names, codes, tree) is open to every person holding a role: they need
  it to address documents. A person with no role sees none of it (404).
- People are seen by those who work in the same agencies (merged predecessors included), and
  by ADMINs and INSPECTORs of a scope that covers one of their agencies; everyone sees
  themself. Anybody else is a 404.
- ADMINs manage agencies, units, people, roles and delegations inside their scope (their
  agency's subtree); a superuser everywhere. A holder of a role may delegate it themself.
Every rule has a predicate and a queryset built from the same grants."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PermissionDeniedError
from vanthu.org.grants import grants_for
from vanthu.org.grants import member_agency_ids
from vanthu.org.grants import scope_agency_ids
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment


def require(allowed: bool, message: str | None = None) -> None:  # noqa: FBT001 - require(can_…(…)) reads as a sentence
    if not allowed:
        raise PermissionDeniedError(message)


def require_visible(visible: bool) -> None:  # noqa: FBT001 - as require()
    if not visible:
        raise NotFoundError()


def is_superuser(person: Person) -> bool:
    return bool(person.is_authenticated and person.is_active and person.is_superuser)


# --- agencies ---------------------------------------------------------------------------


def agencies_visible_to(person: Person, now: datetime) -> QuerySet[Agency]:
    if is_superuser(person) or grants_for(person, now):
        return Agency.objects.all()
    return Agency.objects.none()


def can_view_agency(person: Person, agency: Agency, now: datetime) -> bool:
    return is_superuser(person) or bool(grants_for(person, now))


def admin_scope(person: Person, now: datetime) -> set[int] | None:
    """Agency ids the person administers; None means everywhere (superuser)."""
    if is_superuser(person):
        return None
    return scope_agency_ids(grants_for(person, now), Role.ADMIN)


def can_manage_agency(person: Person, agency: Agency, now: datetime) -> bool:
    scope = admin_scope(person, now)
    return scope is None or agency.pk in scope


def can_create_agency(person: Person, parent: Agency | None, now: datetime) -> bool:
    if parent is None:
        return is_superuser(person)
    return can_manage_agency(person, parent, now)


# --- people -----------------------------------------------------------------------------


def _people_agency_ids(person: Person, now: datetime) -> set[int] | None:
    if is_superuser(person):
        return None
    grants = grants_for(person, now)
    return member_agency_ids(grants) | scope_agency_ids(grants, Role.ADMIN) | scope_agency_ids(grants, Role.INSPECTOR)


def people_visible_to(person: Person, now: datetime) -> QuerySet[Person]:
    agency_ids = _people_agency_ids(person, now)
    if agency_ids is None:
        return Person.objects.all()
    is_authenticated: bool = person.is_authenticated  # an AnonymousUser may ask too
    if not is_authenticated:
        return Person.objects.none()
    in_agencies = RoleAssignment.objects.filter(person=OuterRef("pk"), agency_id__in=agency_ids)
    return Person.objects.filter(Q(pk=person.pk) | Q(Exists(in_agencies)))


def can_view_person(viewer: Person, person: Person, now: datetime) -> bool:
    if viewer.pk == person.pk and viewer.is_authenticated:
        return True
    agency_ids = _people_agency_ids(viewer, now)
    if agency_ids is None:
        return True
    return RoleAssignment.objects.filter(person=person, agency_id__in=agency_ids).exists()


def can_manage_people_of(actor: Person, agency: Agency, now: datetime) -> bool:
    return can_manage_agency(actor, agency, now)


def can_manage_person(actor: Person, person: Person, now: datetime) -> bool:
    scope = admin_scope(actor, now)
    if scope is None:
        return True
    return RoleAssignment.objects.filter(person=person, agency_id__in=scope).exists()


def can_delegate(actor: Person, *, delegator: Person, agency: Agency, role: str, now: datetime) -> bool:
    if can_manage_agency(actor, agency, now):
        return True
    if actor.pk != delegator.pk:
        return False
    return any(
        grant.agency_id == agency.pk and grant.role == role and grant.delegated_by_id is None
        for grant in grants_for(actor, now)
    )


def require_manage_agency(actor: Person, agency: Agency, now: datetime) -> None:
    require(can_manage_agency(actor, agency, now), _("Only an administrator of this agency may do this."))


def can_view_units_of(person: Person, agency: Agency, now: datetime) -> bool:
    """An agency's units are seen by those who see its people: its members (merged
    predecessors included), ADMINs and INSPECTORs whose scope covers it, superusers."""
    agency_ids = _people_agency_ids(person, now)
    return agency_ids is None or agency.pk in agency_ids
