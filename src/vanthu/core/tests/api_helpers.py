"""Helpers of the API tests: who calls (one of the root conftest's people, or nobody) and a
client acting as them. The root conftest adds the fixtures ``superuser``, ``frozen_clock`` and
``bearer_client``."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

# The root conftest's people: one fixture per role (and the outsider, who has none).
PEOPLE = [
    "clerk",
    "agency_leader",
    "unit_leader",
    "officer",
    "archivist",
    "onestop_officer",
    "inspector",
    "admin",
    "province_admin",
    "other_officer",
    "outsider",
]


def caller(request: pytest.FixtureRequest, name: str) -> Any:
    """The person of the fixture ``name``; None for "anonymous"."""
    return None if name == "anonymous" else request.getfixturevalue(name)


def client_for(person: Any) -> APIClient:
    """An API client signed in as ``person`` (None: not signed in)."""
    client = APIClient()
    if person is not None:
        client.force_authenticate(person)
    return client
