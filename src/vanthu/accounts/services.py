"""Writes of the accounts app: two-factor enrolment and verification, password changes.

A failed code is recorded in its own small transaction before the error is raised, so the
audit trail keeps every failure even though nothing else is written."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanthu.accounts import events
from vanthu.accounts.tokens import primary_agency_id
from vanthu.accounts.two_factor import confirmed_devices
from vanthu.audit import services as audit
from vanthu.core.errors import ConflictError
from vanthu.core.errors import NotAuthenticatedError
from vanthu.core.errors import NotFoundError
from vanthu.org.models import Person

CODE_PATTERN = re.compile(r"^\d{6}$")


class TwoFactorCodeError(NotAuthenticatedError):
    code = "otp_invalid"
    default_message = _("The verification code is not correct or has expired.")


class TwoFactorCodeMissingError(NotAuthenticatedError):
    code = "otp_required"
    default_message = _("Enter the verification code from your authenticator app.")


class TwoFactorNotEnrolledError(NotAuthenticatedError):
    code = "otp_not_enrolled"
    default_message = _(
        "Two-factor sign-in is not set up for this account yet: sign in on the website once to set it up."
    )


def normalise_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "")


def _record(
    *, action: str, person: Person, now: datetime, data: dict[str, Any] | None = None, client_address: str | None = None
) -> None:
    """An audit event of the person about themself, in their primary agency's chain."""
    audit.record(
        action=action,
        actor=person,
        agency=primary_agency_id(person),
        target=person,
        now=now,
        data=data,
        client_address=client_address,
    )


def _record_failure(*, person: Person, now: datetime, stage: str, client_address: str | None) -> None:
    with transaction.atomic():
        _record(
            action=events.TWO_FACTOR_FAILED,
            person=person,
            now=now,
            data={"stage": stage},
            client_address=client_address,
        )


def two_factor_device_prepare(*, person: Person, now: datetime) -> TOTPDevice:
    """The unconfirmed TOTP device the person is enrolling: made once, the same secret on reload."""
    if confirmed_devices(person):
        raise ConflictError(_("Two-factor sign-in is already set up for this account."), code="otp_already_enrolled")
    device = TOTPDevice.objects.filter(user=person, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=person, name="TOTP", confirmed=False)
    return device


def two_factor_enrol(
    *, person: Person, device: TOTPDevice, code: str, now: datetime, client_address: str | None = None
) -> TOTPDevice:
    """Confirm the device with a first code from the person's app."""
    if device.user_id != person.pk:
        raise NotFoundError()
    if device.confirmed:
        raise ConflictError(_("Two-factor sign-in is already set up for this account."), code="otp_already_enrolled")
    code = normalise_code(code)
    if not CODE_PATTERN.match(code) or not device.verify_token(code):
        _record_failure(person=person, now=now, stage="enrolment", client_address=client_address)
        raise TwoFactorCodeError()
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=person, confirmed=False).delete()
        _record(
            action=events.TWO_FACTOR_ENROLLED,
            person=person,
            now=now,
            data={"device": device.persistent_id},
            client_address=client_address,
        )
    return device


def two_factor_verify(
    *, person: Person, code: str | None, now: datetime, client_address: str | None = None
) -> TOTPDevice:
    """The confirmed device that accepts ``code``; each failure is audited."""
    devices = confirmed_devices(person)
    if not devices:
        raise TwoFactorNotEnrolledError()
    code = normalise_code(code or "")
    if not code:
        raise TwoFactorCodeMissingError()
    if CODE_PATTERN.match(code):
        for device in devices:
            if device.verify_token(code):
                with transaction.atomic():
                    _record(
                        action=events.TWO_FACTOR_VERIFIED,
                        person=person,
                        now=now,
                        data={"device": device.persistent_id},
                        client_address=client_address,
                    )
                return device
    _record_failure(person=person, now=now, stage="verification", client_address=client_address)
    raise TwoFactorCodeError()


@transaction.atomic
def person_password_set(*, person: Person, password: str, now: datetime, reset: bool = False) -> Person:
    """The person sets a new password (changed while signed in, or reset through the e-mailed link)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.set_password(password)
    person.save(update_fields=["password"])
    _record(action=events.PASSWORD_RESET if reset else events.PASSWORD_CHANGED, person=person, now=now)
    return person
