"""`vanthu demo` end to end: the command a newcomer runs (what `make demo` calls) migrates a fresh
data folder, loads the demo province, serves it with the worker, and the demo clerk signs in
and sees the Vietnamese home page, on a desktop and on a phone."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vanthu.org.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.heavy]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data_dir = tmp_path_factory.mktemp("demo-data")
    port = _free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("VANTHU_", "DJANGO_"))}
    environment.update({"VANTHU_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "vanthu.config.settings.embedded"})
    log_path = data_dir / "demo.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-m", "vanthu.cli", "demo", "--port", str(port)],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 300  # the demo documents are signed for real: about a minute
            while True:
                if process.poll() is not None:
                    pytest.fail(f"vanthu demo exited early:\n{log_path.read_text()}")
                try:
                    with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:  # noqa: S310 - loopback
                        if response.status == 200:  # noqa: PLR2004
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"vanthu demo did not become ready:\n{log_path.read_text()}")
                time.sleep(0.5)
            yield url, log_path
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_prints_the_demo_accounts_and_says_two_factor_is_off(demo_server: tuple[str, Path]) -> None:
    _url, log_path = demo_server
    output = log_path.read_text()
    assert "vanthu.stc" in output
    assert DEMO_PASSWORD in output
    assert "two-factor sign-in is SWITCHED OFF" in output


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_demo_clerk_signs_in_and_sees_the_vietnamese_home_page(
    demo_server: tuple[str, Path], chromium_browser: Any, screenshots: Path, device: str
) -> None:
    url, _log = demo_server
    context = chromium_browser.new_context(viewport=VIEWPORTS[device], locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(f"{url}/")
        page.fill("input[name=username]", "vanthu.stc")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.locator('form[action$="/accounts/login/"] button[type=submit]').click()
        page.wait_for_url(f"{url}/")
        assert "Việc của tôi" in page.locator("h1").first.inner_text()
        assert "Đỗ Thị Hương" in page.content()
        assert "Sở Tài chính" in page.locator("#card-roles").inner_text()
        assert page.locator("html").get_attribute("lang") == "vi"
        page.screenshot(path=str(screenshots / f"demo-clerk-home-{device}.png"), full_page=True)
    finally:
        context.close()


def _sign_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator('form[action$="/accounts/login/"] button[type=submit]').click()
    page.wait_for_url(f"{url}/")


def test_every_outgoing_queue_of_the_demo_roles_has_work(
    demo_server: tuple[str, Path], chromium_browser: Any, screenshots: Path
) -> None:
    """Drafts for the officer, opinions for the unit heads and the office, signatures for the
    Director, issuance for the clerk, issued and recalled documents, arrivals at UBND tỉnh."""
    url, _log = demo_server
    expected = {
        "chuyenvien.qlns.stc": ("mine", "issued"),
        "truongphong.qlns.stc": ("opinions",),
        "truongphong.vp.stc": ("opinions",),
        "giamdoc.stc": ("to_sign",),
        "phogiamdoc.stc": ("to_sign",),
        "vanthu.stc": ("to_issue", "issued", "tracking"),
        "chutich.ubnd": ("to_sign",),
        "chuyenvien.ht": ("mine",),
    }
    context = chromium_browser.new_context(viewport=VIEWPORTS["desktop"], locale="vi-VN")
    try:
        page = context.new_page()
        for username, queues in expected.items():
            context.clear_cookies()
            _sign_in(page, url, username)
            for queue in queues:
                page.goto(f"{url}/outgoing/?queue={queue}")
                assert page.locator("[data-testid=outgoing-row]").count() > 0, f"{username}: queue {queue} is empty"
            if username == "vanthu.stc":
                page.goto(f"{url}/outgoing/?queue=issued")
                assert "Đã thu hồi" in page.content()  # the recalled one
                page.screenshot(path=str(screenshots / "demo-clerk-issued-desktop.png"), full_page=True)
        context.clear_cookies()
        _sign_in(page, url, "vanthu.ubnd")
        page.goto(f"{url}/exchange/")
        assert page.locator(".arrival-row").count() >= 2
        page.screenshot(path=str(screenshots / "demo-ubnd-arrivals-desktop.png"), full_page=True)
    finally:
        context.close()
