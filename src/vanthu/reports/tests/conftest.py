# ruff: noqa: F401, F811 - the issuance fixtures are imported, then requested by name
from __future__ import annotations

from typing import Any

import pytest

from vanthu.outgoing.tests.issuance_support import key_secrets
from vanthu.outgoing.tests.issuance_support import pki
from vanthu.outgoing.tests.issuance_support import seal_certificate
from vanthu.reports.tests.world import World
from vanthu.reports.tests.world import build_world


@pytest.fixture
def world(  # noqa: PLR0913 - the people and agencies of the world
    province: Any,
    agency: Any,
    other_agency: Any,
    clerk: Any,
    agency_leader: Any,
    officer: Any,
    province_admin: Any,
    seal_certificate: Any,
) -> World:
    return build_world(
        province=province,
        agency=agency,
        other_agency=other_agency,
        clerk=clerk,
        agency_leader=agency_leader,
        officer=officer,
        province_admin=province_admin,
        seal_certificate=seal_certificate,
    )
