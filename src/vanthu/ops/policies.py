"""Who may see the backups: they concern the whole installation, so superusers and the
administrators of a top-level agency (the province) — not an agency's own administrator, and
never anybody for the content of documents (the page shows sizes, times and results only)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from vanthu.core.errors import PermissionDeniedError
from vanthu.org import policies as org_policies
from vanthu.org.models import Agency
from vanthu.org.models import Person


def can_view_backups(person: Person, now: datetime) -> bool:
    scope = org_policies.admin_scope(person, now)
    if scope is None:
        return True
    return bool(scope) and Agency.objects.filter(pk__in=sorted(scope), parent__isnull=True).exists()


def can_verify_backups(person: Person, now: datetime) -> bool:
    return can_view_backups(person, now)


def require_view_backups(person: Person, now: datetime) -> None:
    if not can_view_backups(person, now):
        raise PermissionDeniedError(_("Only a province administrator may see the backups."))
