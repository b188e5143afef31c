"""Navigation by role (filled by each app's section as it lands)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vanthu.core import clock
from vanthu.org.grants import grants_for
from vanthu.org.models import Role


@dataclass(frozen=True)
class NavItem:
    label: Any
    url: str
    icon: str


def navigation_for(*, person: Any) -> list[NavItem]:
    roles = {grant.role for grant in grants_for(person, clock.now())}
    items = [NavItem(_("My work"), reverse("home"), "house")]
    items.append(NavItem(_("Organisation"), reverse("org:agency_list"), "diagram-3")) if roles or person.is_superuser else None
    if roles & {Role.ADMIN, Role.INSPECTOR} or person.is_superuser:
        items.append(NavItem(_("Audit trail"), reverse("audit:event_list"), "shield-check"))
    if person.is_staff:
        items.append(NavItem(_("Administration"), reverse("admin:index"), "gear"))
    return items
