"""Browser journeys: Playwright (from PyPI) driving Debian's ``chromium`` against pytest-django's
live server. Never ``playwright install``: the browser is the system one.

Screenshots go to ``test-artifacts/screenshots/`` (git-ignored) for a human look at the layout."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "mat-khau-dai-123"  # PersonFactory's password


@pytest.fixture(scope="session")
def chromium_browser(django_db_setup: None) -> Iterator[Any]:
    """One browser for the session, started after the test database exists.

    Playwright's sync API keeps an asyncio loop registered on the main thread while it runs;
    Django would then refuse the ORM calls of the tests themselves (fixtures, assertions, the
    flush between tests). DJANGO_ALLOW_ASYNC_UNSAFE is set for exactly that span, tests only."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is missing: apt-get install -y chromium (never `playwright install`)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def screenshots(request: pytest.FixtureRequest) -> Path:
    folder = Path(str(request.config.rootpath)) / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def open_page(chromium_browser: Any, live_server: Any) -> Iterator[Any]:
    """``open_page(viewport)`` -> a fresh browser context and page on the live server, which fails
    the test on any JavaScript error or Content-Security-Policy violation."""
    contexts: list[Any] = []
    problems: list[str] = []

    def factory(viewport: dict[str, int], *, locale: str = "vi-VN") -> Any:
        context = chromium_browser.new_context(viewport=viewport, locale=locale, base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda message: _console(message, problems, page.url))
        return page

    yield factory
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


def _console(message: Any, problems: list[str], url: str = "") -> None:
    """Console errors fail the test (CSP violations among them), except the browser's own line
    about a 4xx answer, which the journeys provoke on purpose (a refused form is a 422)."""
    if message.type != "error":
        return
    if re.search(r"Failed to load resource: the server responded with a status of 4\d\d", message.text):
        return
    problems.append(f"console {message.type} at {url}: {message.text}")


@pytest.fixture
def sign_in_with_cookie(live_server: Any) -> Any:
    """``sign_in_with_cookie(page, person)``: see ``_sign_in_with_cookie``."""

    def sign_in(page: Any, person: Any, *, verified: bool = True) -> None:
        _sign_in_with_cookie(page, person, live_server, verified=verified)

    return sign_in


def _sign_in_with_cookie(page: Any, person: Any, live_server: Any, *, verified: bool = True) -> None:
    """Sign in without typing (for roles that need a TOTP code): a real session made by the test
    client, marked as having passed the second factor, handed to the browser as its cookie."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(person)
    if verified:
        device = TOTPDevice.objects.create(user=person, name="e2e", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


@dataclass
class Province:
    province: Any
    finance: Any
    health: Any
    ward: Any
    district: Any
    old_ward: Any
    officer: Any
    admin: Any
    inspector: Any


@pytest.fixture
def e2e_province(transactional_db: None, audit_reset_permit: None, now: Any) -> Province:
    """A small Thanh Hóa built through the services, so the audit trail is real: the province,
    two departments, a ward, a historical district and a ward merged in 2025, and people."""
    from vanthu.org import services
    from vanthu.org.models import Role
    from vanthu.org.tests.factories import PersonFactory

    system = PersonFactory(username="he-thong-e2e", full_name="Hệ thống", is_superuser=True)
    system.set_unusable_password()
    system.save()

    def create(parent: Any, name: str, abbreviation: str, kind: str, code: str, valid_from: date | None = None) -> Any:
        return services.agency_create(
            actor=system,
            parent=parent,
            now=now,
            name=name,
            abbreviation=abbreviation,
            kind=kind,
            code_qcvn102=code,
            place_name="Thanh Hóa",
            valid_from=valid_from or date(2015, 1, 1),
        )

    province = create(None, "Ủy ban nhân dân tỉnh Thanh Hóa", "UBND", "PROVINCE", "000.00.00.H56")
    finance = create(province, "Sở Tài chính", "STC", "DEPARTMENT", "000.00.02.H56")
    health = create(province, "Sở Y tế", "SYT", "DEPARTMENT", "000.00.07.H56")
    ward = create(province, "Phường Hạc Thành", "HT", "WARD", "000.01.31.H56", date(2025, 7, 1))
    district = create(province, "Thành phố Thanh Hóa (cũ)", "TPTH", "DISTRICT", "000.00.31.H56")
    old_ward = create(district, "Phường Điện Biên (cũ)", "ĐB", "WARD", "000.02.31.H56")
    services.agency_merge(predecessor=old_ward, successor=ward, actor=system, effective_date=date(2025, 7, 1), now=now)
    services.agency_merge(predecessor=district, successor=ward, actor=system, effective_date=date(2025, 7, 1), now=now)
    budget = services.unit_create(
        agency=finance, name="Phòng Quản lý Ngân sách", abbreviation="QLNS", actor=system, now=now
    )

    def person(username: str, full_name: str, agency: Any, role: str, unit: Any = None) -> Any:
        created = services.person_create(
            agency=agency,
            username=username,
            full_name=full_name,
            email=f"{username}@thanhhoa.gov.vn",
            password=PASSWORD,
            actor=system,
            now=now,
        )
        services.role_assign(person=created, agency=agency, role=role, unit=unit, actor=system, now=now)
        return created

    officer = person("chuyenvien.stc", "Bùi Thị Mai Anh", finance, Role.OFFICER, budget)
    admin = person("quantri", "Lê Minh Quản", province, Role.ADMIN)
    inspector = person("giamsat", "Ngô Thị Bích Ngọc", province, Role.INSPECTOR)
    return Province(province, finance, health, ward, district, old_ward, officer, admin, inspector)


@pytest.fixture
def e2e_person(e2e_province: Province, now: Any) -> Any:
    """``e2e_person(username, full_name, agency, role, unit=None)``: a person with one role, made by
    the province's administrator through the services (the audit trail is real)."""
    from vanthu.org import services

    def make(username: str, full_name: str, agency: Any, role: str, unit: Any = None) -> Any:
        created = services.person_create(
            agency=agency,
            username=username,
            full_name=full_name,
            email=f"{username}@thanhhoa.gov.vn",
            password=PASSWORD,
            actor=e2e_province.admin,
            now=now,
        )
        services.role_assign(person=created, agency=agency, role=role, unit=unit, actor=e2e_province.admin, now=now)
        return created

    return make
