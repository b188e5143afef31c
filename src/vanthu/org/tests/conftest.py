from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def superuser(db: None) -> Any:
    from vanthu.org.tests.factories import PersonFactory

    return PersonFactory(full_name="Quản Trị Hệ Thống", is_superuser=True, is_staff=True)
