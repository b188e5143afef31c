from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from django.db.models import QuerySet
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanthu.documents import policies
from vanthu.documents.models import Document
from vanthu.org.models import Person


def _creator_sees_it(person: Person, now: datetime) -> list[QuerySet[Document]]:
    return [Document.objects.filter(created_by=person).values("pk")]


@pytest.fixture
def creator_visibility() -> Iterator[None]:
    """A visibility provider for these tests only: a document is seen by the person who created it."""
    policies.register_visibility("documents-tests", _creator_sees_it)
    yield
    policies._providers.pop("documents-tests", None)


def signed_in(person: Person) -> Client:
    """A session that has passed the second factor (CLERKs require it)."""
    client = Client()
    client.force_login(person)
    device = TOTPDevice.objects.create(user=person, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
