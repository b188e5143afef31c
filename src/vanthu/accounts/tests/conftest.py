"""Fixtures of the accounts tests: a frozen clock for TOTP codes, enrolled devices, sign-in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp import models as otp_totp_models
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "mat-khau-dai-123"  # PersonFactory's password


class FrozenTotpClock:
    """Replaces ``time`` inside django-otp's TOTP plugin, so codes do not roll over mid-test."""

    def __init__(self, value: float) -> None:
        self.value = value

    def time(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += seconds


@pytest.fixture
def totp_clock(monkeypatch: pytest.MonkeyPatch, now: Any) -> FrozenTotpClock:
    clock = FrozenTotpClock(now.timestamp())
    monkeypatch.setattr(otp_totp_models, "time", clock)
    return clock


def totp_code(device: TOTPDevice, at: float) -> str:
    """The code an authenticator app shows at ``at`` for this device's key (RFC 6238)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = at
    return f"{totp.token():0{device.digits}d}"


def enrolled_device(person: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=person, name="TOTP", confirmed=True)


def sign_in(client: Client, login: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(reverse("accounts:login"), {"username": login, "password": password, **extra})
