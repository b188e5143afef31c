"""Who reads the statistics (ARCHITECTURE §9): an INSPECTOR those of the agencies in their scope,
an AGENCY_LEADER those of their agency and the agencies under it (merged predecessors included);
the lists behind a number show metadata only — opening a document still needs the right to see it."""

from __future__ import annotations

from datetime import datetime

from vanthu.org import policies as org_policies
from vanthu.org.grants import grants_for
from vanthu.org.grants import scope_agency_ids
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role

require = org_policies.require

STATISTICS_ROLES = (Role.INSPECTOR, Role.AGENCY_LEADER)


def statistics_scope(person: Person, now: datetime) -> set[int]:
    if not (person.is_authenticated and person.is_active):
        return set()
    grants = grants_for(person, now)
    scope: set[int] = set()
    for role in STATISTICS_ROLES:
        scope |= scope_agency_ids(grants, role)
    return scope


def can_view_statistics(person: Person, now: datetime) -> bool:
    return bool(statistics_scope(person, now))


def can_change_targets(person: Person, now: datetime) -> bool:
    """The directive's targets are the province's: changed by an INSPECTOR who oversees its root."""
    roots = set(Agency.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    return bool(roots & scope_agency_ids(grants_for(person, now), Role.INSPECTOR))
