"""Navigation by role (filled by each app's section as it lands), and the user menu."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vanthu.core import clock
from vanthu.ops import policies as ops_policies
from vanthu.org import selectors as org_selectors
from vanthu.org.grants import grants_for
from vanthu.org.models import Role


@dataclass(frozen=True)
class NavItem:
    label: Any
    url: str
    icon: str  # a Bootstrap Icons name without the "bi-" prefix
    secondary: bool = False  # shown under "More" in the bar (the daily work stays in sight)


@dataclass(frozen=True)
class UserMenu:
    full_name: str
    username: str
    roles: list[str] = field(default_factory=list)


def navigation_for(*, person: Any, now: datetime | None = None) -> list[NavItem]:
    moment = now or clock.now()
    roles = {grant.role for grant in grants_for(person, moment)}
    items = [NavItem(_("My work"), reverse("home"), "house")]
    if roles or person.is_superuser:
        items.append(NavItem(_("Incoming documents"), reverse("incoming:queues"), "inbox"))
        items.append(NavItem(_("Outgoing documents"), reverse("outgoing:queues"), "send"))
        items.append(NavItem(_("Document exchange"), reverse("exchange:index"), "arrow-left-right"))
    if Role.CLERK in roles:
        items.append(NavItem(_("Numbering registers"), reverse("documents:registers"), "journal-text"))
    if roles & {Role.INSPECTOR, Role.AGENCY_LEADER}:
        items.append(NavItem(_("Statistics"), reverse("reports:statistics"), "bar-chart-line"))
    if roles or person.is_superuser:
        items.append(NavItem(_("Organisation"), reverse("org:agency_list"), "diagram-3", secondary=True))
        items.append(NavItem(_("Digital signatures"), reverse("signing:mine"), "pen", secondary=True))
    if roles & {Role.ADMIN, Role.INSPECTOR} or person.is_superuser:
        items.append(NavItem(_("Audit trail"), reverse("audit:event_list"), "shield-check", secondary=True))
    if (Role.ADMIN in roles or person.is_superuser) and ops_policies.can_view_backups(person, moment):
        items.append(NavItem(_("Backups"), reverse("ops:backup_list"), "cloud-arrow-up", secondary=True))
    if person.is_staff:
        items.append(NavItem(_("Administration"), reverse("admin:index"), "gear", secondary=True))
    return items


def user_menu_for(*, person: Any, now: datetime | None = None) -> UserMenu:
    """The account menu: name and the roles held now ("Officer — Phòng Ngân sách, STC")."""
    moment = now or clock.now()
    lines = []
    for assignment in org_selectors.roles_of(person=person, now=moment):
        where = assignment.agency.abbreviation
        if assignment.unit is not None:
            where = f"{assignment.unit.name}, {where}"
        lines.append(f"{assignment.get_role_display()} — {where}")
    for delegation in org_selectors.delegations_received(person=person, now=moment):
        lines.append(
            str(_("%(role)s — %(agency)s (delegated by %(delegator)s)"))
            % {
                "role": delegation.get_role_display(),
                "agency": delegation.agency.abbreviation,
                "delegator": delegation.delegator.full_name,
            }
        )
    return UserMenu(full_name=person.full_name or person.username, username=person.username, roles=lines)
