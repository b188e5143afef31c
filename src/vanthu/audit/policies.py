"""Who may read the audit log (ARCHITECTURE.md §9: "INSPECTOR … with ADMIN, the audit log of
that scope (who did what, when — no file content)").

- A superuser reads every event.
- An ADMIN or INSPECTOR reads the events of the agencies in their scope: the subtrees of the
  agencies where they hold the role (delegations included), with merged predecessors.
- Events attached to no agency (a failed login of an unknown username, calendar changes, …)
  belong to the whole province: only superusers and ADMINs/INSPECTORs whose scope contains a
  top-level agency read them.
- Anybody else has no audit capability: the list is a 403, any single event a 404.

The rule exists twice, as a predicate (``can_view_audit_event``) and as a queryset
(``audit_events_visible_to``), both built from one ``AuditScope``; a test checks they agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vanthu.audit.models import AuditEvent
from vanthu.core.errors import PermissionDeniedError
from vanthu.org import policies as org_policies
from vanthu.org.grants import grants_for
from vanthu.org.grants import scope_agency_ids
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role

AUDIT_ROLES = (Role.ADMIN, Role.INSPECTOR)


@dataclass(frozen=True)
class AuditScope:
    """What part of the log a person reads. ``everything`` overrides the rest."""

    everything: bool = False
    agency_ids: frozenset[int] = frozenset()
    includes_unattached: bool = False

    @property
    def has_capability(self) -> bool:
        return self.everything or bool(self.agency_ids)

    def admits(self, agency_id: int | None) -> bool:
        """The predicate shape: does the scope cover an event of this agency (None: no agency)?"""
        if self.everything:
            return True
        if agency_id is None:
            return self.includes_unattached
        return agency_id in self.agency_ids

    def condition(self) -> Q:
        """The queryset shape of ``admits``, for AuditEvent rows."""
        if self.everything:
            return Q()
        condition = Q(agency_id__in=sorted(self.agency_ids)) if self.agency_ids else Q(pk__in=[])
        if self.includes_unattached:
            condition |= Q(agency_id__isnull=True)
        return condition


def _is_superuser(person: Person) -> bool:
    return bool(person.is_authenticated and person.is_active and person.is_superuser)


def audit_scope_for(person: Person, now: datetime) -> AuditScope:
    if _is_superuser(person):
        return AuditScope(everything=True, includes_unattached=True)
    grants = grants_for(person, now)
    agency_ids: set[int] = set()
    for role in AUDIT_ROLES:
        agency_ids |= scope_agency_ids(grants, role)
    if not agency_ids:
        return AuditScope()
    includes_root = Agency.objects.filter(pk__in=agency_ids, parent__isnull=True).exists()
    return AuditScope(agency_ids=frozenset(agency_ids), includes_unattached=includes_root)


def can_view_audit(person: Person, now: datetime) -> bool:
    """The capability: may the person open the audit log at all?"""
    return audit_scope_for(person, now).has_capability


def audit_events_in_scope(scope: AuditScope) -> QuerySet[AuditEvent]:
    if not scope.has_capability:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(scope.condition())


def audit_events_visible_to(person: Person, now: datetime) -> QuerySet[AuditEvent]:
    return audit_events_in_scope(audit_scope_for(person, now))


def can_view_audit_event(person: Person, event: AuditEvent, now: datetime) -> bool:
    scope = audit_scope_for(person, now)
    return scope.has_capability and scope.admits(event.agency_id)


def require_audit_capability(scope: AuditScope) -> None:
    if not scope.has_capability:
        raise PermissionDeniedError(_("Only administrators and inspectors may read the audit log."))


def can_verify_audit(person: Person, now: datetime) -> bool:
    """Superusers and administrators of a top-level agency (the province) run the verification."""
    scope = org_policies.admin_scope(person, now)
    if scope is None:
        return True
    return Agency.objects.filter(pk__in=sorted(scope), parent__isnull=True).exists()
