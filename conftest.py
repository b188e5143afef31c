"""Root fixtures: time, a small province, people in every role, and the test tiers.

Tiers: ``-m "not postgres and not heavy and not browser"`` on SQLite (``make test``); every
tier on PostgreSQL (VANTHU_TEST_DATABASE_URL). VANTHU_REQUIRE_ALL=1 turns any skip into a failure."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest

from vanthu.org.models import Role

NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 09:00 on a Tuesday in Vietnam


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL-only tests are deselected (never skipped) when the tests run on SQLite,
    whatever -m says, so a plain `pytest` on SQLite runs no test that cannot pass there."""
    if os.environ.get("VANTHU_TEST_DATABASE_URL"):
        return
    deselected = [item for item in items if item.get_closest_marker("postgres")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("VANTHU_REQUIRE_ALL") == "1" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped while VANTHU_REQUIRE_ALL=1: {report.longrepr}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """After a transactional test's database reset (see ``audit_reset_permit``), take the
    permit back so the audit table is append-only again for the tests that follow."""
    yield
    if "audit_reset_permit" not in getattr(item, "fixturenames", ()):
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    if connection.vendor != "sqlite":
        return
    with item.config.stash[blocking_manager_key].unblock(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_reset_permit")


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests reach only this machine."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in {"127.0.0.1", "localhost", "::1"} and not host.startswith("/"):
            raise RuntimeError(f"network access blocked in tests: {host}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def province(db: None) -> Any:
    from vanthu.org.tests.factories import AgencyFactory

    return AgencyFactory(name="UBND tỉnh Thanh Hóa", abbreviation="UBND", kind="PROVINCE", code_qcvn102="000.00.00.H56")


@pytest.fixture
def agency(province: Any) -> Any:
    from vanthu.org.tests.factories import AgencyFactory

    return AgencyFactory(name="Sở Tài chính", abbreviation="STC", parent=province, code_qcvn102="000.00.01.H56")


@pytest.fixture
def other_agency(province: Any) -> Any:
    from vanthu.org.tests.factories import AgencyFactory

    return AgencyFactory(name="Sở Y tế", abbreviation="SYT", parent=province, code_qcvn102="000.00.02.H56")


@pytest.fixture
def unit(agency: Any) -> Any:
    from vanthu.org.tests.factories import UnitFactory

    return UnitFactory(agency=agency, name="Phòng Ngân sách", abbreviation="NS")


def _person(role: str, agency: Any, unit: Any = None, **fields: Any) -> Any:
    from vanthu.org.tests.factories import person_with_role

    return person_with_role(role, agency, unit, **fields)


@pytest.fixture
def clerk(agency: Any) -> Any:
    return _person(Role.CLERK, agency, full_name="Lê Thị Văn Thư")


@pytest.fixture
def agency_leader(agency: Any) -> Any:
    return _person(Role.AGENCY_LEADER, agency, full_name="Trần Văn Giám Đốc")


@pytest.fixture
def unit_leader(agency: Any, unit: Any) -> Any:
    return _person(Role.UNIT_LEADER, agency, unit, full_name="Phạm Thị Trưởng Phòng")


@pytest.fixture
def officer(agency: Any, unit: Any) -> Any:
    return _person(Role.OFFICER, agency, unit, full_name="Hoàng Văn Chuyên Viên")


@pytest.fixture
def archivist(agency: Any) -> Any:
    return _person(Role.ARCHIVIST, agency, full_name="Đỗ Thị Lưu Trữ")


@pytest.fixture
def onestop_officer(agency: Any) -> Any:
    return _person(Role.ONESTOP_OFFICER, agency, full_name="Vũ Văn Một Cửa")


@pytest.fixture
def inspector(province: Any) -> Any:
    return _person(Role.INSPECTOR, province, full_name="Bùi Thị Giám Sát")


@pytest.fixture
def admin(agency: Any) -> Any:
    return _person(Role.ADMIN, agency, full_name="Ngô Văn Quản Trị")


@pytest.fixture
def province_admin(province: Any) -> Any:
    return _person(Role.ADMIN, province, full_name="Đặng Văn Quản Trị Tỉnh")


@pytest.fixture
def other_officer(other_agency: Any) -> Any:
    return _person(Role.OFFICER, other_agency, full_name="Lý Văn Người Ngoài")


@pytest.fixture
def outsider(db: None) -> Any:
    """An account with no role anywhere."""
    from vanthu.org.tests.factories import PersonFactory

    return PersonFactory(full_name="Người Không Vai Trò")


@pytest.fixture
def audit_reset_permit(request: pytest.FixtureRequest) -> Any:
    """For transactional tests on SQLite: let the database reset delete audit rows at teardown."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_reset_permit")
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO audit_reset_permit (granted) VALUES (1)")


@pytest.fixture
def superuser(db: None) -> Any:
    from vanthu.org.tests.factories import PersonFactory

    return PersonFactory(full_name="Quản Trị Hệ Thống", is_superuser=True, is_staff=True)


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch, now: datetime) -> None:
    """Views and the API read the clock through vanthu.core.clock.now(): pin it to ``now``."""
    monkeypatch.setattr("vanthu.core.clock.now", lambda: now)


@pytest.fixture
def bearer_client(db: None) -> Callable[..., Any]:
    """``bearer_client(person, now=…)``: an API client sending a fresh bearer token of ``person``."""
    from django.db import transaction
    from rest_framework.test import APIClient

    from vanthu.accounts.tokens import api_token_issue

    def make(person: Any, *, now: datetime) -> APIClient:
        with transaction.atomic():
            _token, raw = api_token_issue(person=person, now=now)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return make
