"""Journey in Chromium: an officer signs a PDF with their personal certificate through the local
signing agent (``vanthu sign-agent``'s server, on a free loopback port, holding the test PKI
person's PKCS#12). The page hands the session to the agent, shows "Signed.", then the session page
shows the result, the download link and the verification report. A registry clerk seals a PDF with
the agency key the server holds. Desktop and phone; screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
KEY_PASSWORD = "mat-khau-token"  # noqa: S105 - a test key
SEAL_SECRET = {"STC_SEAL": "mat-khau-con-dau"}


def assert_no_horizontal_scroll(page: Any) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide in a {widths[1]} px window"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class SigningWorld:
    province: Any
    clerk: Any
    pdf: Path
    agent_url: str
    pki: Any


def _build_files() -> tuple[bytes, bytes, bytes]:
    from vanthu.signing.testing import pdfs

    return pdfs.decision_pdf(), pdfs.signature_png(), pdfs.seal_png()


@pytest.fixture
def agent_allowed_by_csp(settings: Any) -> str:
    """A free loopback port for the agent, named in VANTHU_SIGN_AGENT_ORIGIN (the CSP middleware
    reads the setting per request, so the page may connect to it)."""
    origin = f"http://127.0.0.1:{_free_port()}"
    settings.VANTHU_SIGN_AGENT_ORIGIN = origin
    return origin


@pytest.fixture
def signing_world(
    e2e_province: Any, now: Any, tmp_path: Path, live_server: Any, agent_allowed_by_csp: str, settings: Any
) -> Iterator[SigningWorld]:
    """The test PKI in the trust store; the officer's certificate and signature image; the
    finance department's seal (key on the server) and a registry clerk; the agent running."""
    from urllib.parse import urlsplit

    from django.db import transaction

    from vanthu.org import services as org_services
    from vanthu.org.models import Role
    from vanthu.signing import services
    from vanthu.signing.models import RevocationSettings
    from vanthu.signing.sign_agent import AgentConfig
    from vanthu.signing.sign_agent import load_agent_key
    from vanthu.signing.sign_agent import make_server
    from vanthu.signing.testing.pki import build_test_pki
    from vanthu.signing.testing.pki import pkcs12_bytes

    settings.VANTHU_SIGNING_KEY_SECRETS = SEAL_SECRET
    # PDF and images in a worker thread: Playwright's sync API holds an event loop on this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        pdf_bytes, signature_png, seal_png = pool.submit(_build_files).result()
    pki = build_test_pki(now)
    province = e2e_province
    with transaction.atomic():
        services.trust_anchor_add(data=pki.root.pem, actor=province.admin, now=now, name="CA gốc thử nghiệm")
        services.trust_anchor_add(data=pki.intermediate.pem, actor=province.admin, now=now, name="CA trung gian")
    RevocationSettings.objects.update_or_create(singleton=1, defaults={"is_online_check_enabled": False})
    officer = province.officer
    services.certificate_register_for_person(person=officer, data=pki.person.pem, actor=officer, now=now)
    services.signature_image_upload(data=signature_png, person=officer, actor=officer, now=now)
    seal_key = pkcs12_bytes(pki.agency.cert, pki.agency.key, [pki.intermediate.cert], b"mat-khau-con-dau")
    services.certificate_register_for_agency(
        agency=province.finance, data=seal_key, actor=province.admin, now=now, key_secret_name="STC_SEAL"
    )
    services.signature_image_upload(data=seal_png, agency=province.finance, actor=province.admin, now=now)
    clerk = org_services.person_create(
        agency=province.finance,
        username="vanthu.stc",
        full_name="Trịnh Thị Văn Thư",
        email="vanthu.stc@thanhhoa.gov.vn",
        password="mat-khau-dai-123",  # noqa: S106 - PersonFactory's test password
        actor=province.admin,
        now=now,
    )
    org_services.role_assign(person=clerk, agency=province.finance, role=Role.CLERK, actor=province.admin, now=now)
    pdf = tmp_path / "quyet-dinh.pdf"
    pdf.write_bytes(pdf_bytes)

    key = pkcs12_bytes(pki.person.cert, pki.person.key, [pki.intermediate.cert], KEY_PASSWORD.encode())
    config = AgentConfig(origin=live_server.url, key=load_agent_key(key, KEY_PASSWORD), now=lambda: now)
    server = make_server(config, port=urlsplit(agent_allowed_by_csp).port or 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SigningWorld(province, clerk, pdf, agent_allowed_by_csp, pki)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _open_sign_page(page: Any, device: str) -> None:
    page.goto("/signing/")
    page.locator('#signing-tabs a[href="/signing/sign/"]').click()
    page.wait_for_url("**/signing/sign/")
    page.locator("#sign-form").wait_for()


class TestOfficerSignsThroughTheAgent:
    @pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
    def test_signs_from_the_page(
        self,
        device: str,
        viewport: dict[str, int],
        open_page: Any,
        signing_world: SigningWorld,
        sign_in_with_cookie: Any,
        screenshots: Path,
        frozen_clock: None,
        now: Any,
    ) -> None:
        from vanthu.core.blobs import blob_read
        from vanthu.signing.models import SigningMethod
        from vanthu.signing.models import SigningSession
        from vanthu.signing.models import SigningStatus
        from vanthu.signing.pades import verify_pdf

        page = open_page(viewport)
        sign_in_with_cookie(page, signing_world.province.officer)
        _open_sign_page(page, device)
        assert page.locator("html").get_attribute("lang") == "vi"
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / f"signing-sign-form-{device}.png"), full_page=True)

        page.locator('#sign-form input[type="file"]').set_input_files(str(signing_world.pdf))
        page.locator("#id_title").fill("KT. GIÁM ĐỐC")
        page.locator('#sign-form button[type="submit"]').click()
        button = page.locator("#sign-agent-button")
        button.wait_for()
        assert button.get_attribute("data-agent-url") == signing_world.agent_url
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / f"signing-agent-ready-{device}.png"), full_page=True)

        button.click()
        page.locator("#session-status").filter(has_text="Đã ký").wait_for(timeout=60_000)
        page.locator("#report").wait_for()
        assert page.locator("#report-verdict.text-bg-success").is_visible()
        assert page.locator("#signed-download").is_visible()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / f"signing-agent-signed-{device}.png"), full_page=True)

        session = SigningSession.objects.get(created_by=signing_world.province.officer)
        assert session.method == SigningMethod.AGENT
        assert session.status == SigningStatus.COMPLETED
        with page.expect_download() as download_info:
            page.locator("#signed-download").click()
        downloaded = Path(download_info.value.path()).read_bytes()
        assert downloaded == blob_read(sha256=session.result_sha256 or "")
        pki = signing_world.pki
        with ThreadPoolExecutor(max_workers=1) as pool:
            report = pool.submit(
                lambda: verify_pdf(
                    pdf=downloaded, trust_roots=[pki.root.der], other_certs=[pki.intermediate.der], now=now
                )
            ).result()
        assert report.signature_count == 1
        assert report.all_valid


class TestClerkSealsWithTheServerKey:
    @pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
    def test_seals_at_once(
        self,
        device: str,
        viewport: dict[str, int],
        open_page: Any,
        signing_world: SigningWorld,
        sign_in_with_cookie: Any,
        screenshots: Path,
        frozen_clock: None,
    ) -> None:
        page = open_page(viewport)
        sign_in_with_cookie(page, signing_world.clerk)
        _open_sign_page(page, device)
        page.locator('#sign-form input[type="file"]').set_input_files(str(signing_world.pdf))
        page.locator('#sign-form input[name="appearance"][value="seal"]').check()
        page.locator("#id_number_symbol").fill("15/QĐ-STC")
        page.locator("#id_issue_date_text").fill("ngày 15 tháng 01 năm 2025")
        page.locator('#sign-form button[type="submit"]').click()
        page.locator("#report").wait_for(timeout=60_000)
        assert page.locator("#report-verdict.text-bg-success").is_visible()
        assert page.locator("#signed-download").is_visible()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / f"signing-seal-signed-{device}.png"), full_page=True)

    def test_not_a_pdf_is_refused_on_the_form(
        self, open_page: Any, signing_world: SigningWorld, sign_in_with_cookie: Any, screenshots: Path, tmp_path: Path
    ) -> None:
        not_pdf = tmp_path / "ghi-chu.pdf"
        not_pdf.write_bytes(b"just some notes")
        page = open_page(PHONE)
        sign_in_with_cookie(page, signing_world.clerk)
        _open_sign_page(page, "phone")
        page.locator('#sign-form input[type="file"]').set_input_files(str(not_pdf))
        page.locator('#sign-form button[type="submit"]').click()
        page.locator("#form-errors").wait_for()
        assert "PDF" in page.locator("#form-errors").inner_text()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / "signing-sign-refused-phone.png"), full_page=True)
