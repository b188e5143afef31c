"""Fixtures of the kill tests (PostgreSQL, heavy): a clerk who signs in to the real server with
a password and a TOTP code, data committed for the server processes to see, and the production
processes stopped (never left behind) when a test ends."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "mat-khau-dai-123"


@dataclass
class Account:
    person: Any
    username: str
    password: str
    otp_key: str


def make_account(person: Any) -> Account:
    """Give ``person`` an argon2 password (the production hasher: the test settings hash with MD5)
    and a confirmed TOTP device."""
    from django.contrib.auth.hashers import Argon2PasswordHasher
    from django_otp.plugins.otp_totp.models import TOTPDevice

    hasher = Argon2PasswordHasher()
    person.password = hasher.encode(PASSWORD, hasher.salt())
    person.save(update_fields=["password"])
    device = TOTPDevice.objects.create(user=person, name="faults", confirmed=True)
    return Account(person=person, username=person.username, password=PASSWORD, otp_key=device.key)


@pytest.fixture
def clerk_account(clerk: Any) -> Account:
    return make_account(clerk)


@pytest.fixture
def processes(tmp_path: Path, transactional_db: None, audit_reset_permit: None) -> Iterator[list[Any]]:
    """Register every started process here: each is stopped at the end of the test, before the
    test database is emptied. Redis db of the tests emptied before and after."""
    from faultkit import redis_flush

    started: list[Any] = []
    redis_flush()
    yield started
    for process in started:
        process.stop()
    redis_flush()


@pytest.fixture
def document_type() -> Any:
    """The seeded "Công văn" type (created again if a transactional test emptied the table)."""
    from vanthu.documents.models import DocumentType
    from vanthu.documents.models import TypeKind

    found = DocumentType.objects.filter(code="CONG_VAN", agency=None).first()
    return found or DocumentType.objects.create(code="CONG_VAN", name="Công văn", kind=TypeKind.ADMINISTRATIVE)
