"""Signed-in sessions for the benchmarks: Django's test client logged in as the person, the session
marked as having passed the second factor (a confirmed TOTP device named ``bench``), so the
request goes through every middleware, the permission checks and the templates as a real one.

The same session cookie serves the HTTP throughput run against gunicorn."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client

BENCH_DEVICE = "bench"
HOST = "127.0.0.1"


def signed_in_client(person: Any) -> Client:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST=HOST)
    client.force_login(person)
    device = TOTPDevice.objects.filter(user=person, name=BENCH_DEVICE, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=person, name=BENCH_DEVICE, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def session_cookie(client: Client) -> str:
    """``name=value`` of the client's session cookie, for another HTTP client."""
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
