from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from vanthu.signing.testing.pki import TestPki
from vanthu.signing.testing.pki import build_test_pki


@pytest.fixture
def pki(now: datetime) -> TestPki:
    return build_test_pki(now)


@pytest.fixture
def superuser(db: None) -> Any:
    from vanthu.org.tests.factories import PersonFactory

    return PersonFactory(full_name="Quản Trị Hệ Thống", is_superuser=True, is_staff=True)


@pytest.fixture
def trusted_pki(pki: TestPki, now: datetime, db: None) -> TestPki:
    """The test PKI with its root and intermediate in the trust store: its certificates may be
    registered (registration refuses a certificate that does not chain to an active anchor)."""
    from vanthu.signing.tests.sessions_support import add_trust_store

    add_trust_store(pki, now)
    return pki
