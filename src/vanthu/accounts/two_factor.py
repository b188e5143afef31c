"""Who must use two-factor (TOTP) sign-in, and the person's TOTP devices."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanthu.org.grants import grants_for
from vanthu.org.models import Person


def two_factor_required(person: Person, now: datetime) -> bool:
    """CLERK, AGENCY_LEADER and ADMIN (VANTHU_TWO_FACTOR_ROLES) and superusers must use a second
    factor. Only demo mode may switch this off; production settings always keep it on."""
    if not settings.VANTHU_TWO_FACTOR_REQUIRED:
        return False
    if person.is_superuser:
        return True
    roles = set(settings.VANTHU_TWO_FACTOR_ROLES)
    return any(grant.role in roles for grant in grants_for(person, now))


def confirmed_devices(person: Person) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=person, confirmed=True).order_by("id"))


def has_confirmed_device(person: Person) -> bool:
    return bool(TOTPDevice.objects.filter(user=person, confirmed=True).exists())


def session_is_verified(user: object) -> bool:
    """True once the session has passed a second factor (django-otp's OTPMiddleware adds
    ``is_verified``; a user just signed in by the password step has not)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False
