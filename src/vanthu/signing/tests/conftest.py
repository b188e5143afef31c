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
