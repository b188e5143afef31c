"""Who must use two-factor (TOTP) sign-in."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from vanthu.org.grants import grants_for
from vanthu.org.models import Person


def two_factor_required(person: Person, now: datetime) -> bool:
    if not settings.VANTHU_TWO_FACTOR_REQUIRED:
        return False
    if person.is_superuser:
        return True
    roles = set(settings.VANTHU_TWO_FACTOR_ROLES)
    return any(grant.role in roles for grant in grants_for(person, now))
