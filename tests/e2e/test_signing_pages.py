"""Journeys of the digital-signature pages in Chromium: an officer uploads a signed PDF on
"verify a signed PDF" and reads the Vietnamese report (valid, then an altered copy); a provincial
administrator sees the trust store. Desktop and phone; screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


def assert_no_horizontal_scroll(page: Any) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide in a {widths[1]} px window"


@pytest.fixture
def signing_world(e2e_province: Any, now: Any, tmp_path: Path) -> dict[str, Any]:
    """The test root in the trust store (added by the provincial admin), revocation checked
    offline, and two files on disk: a signed decision and a copy altered after signing."""
    from django.db import transaction

    from vanthu.signing import services
    from vanthu.signing.models import RevocationSettings
    from vanthu.signing.testing.pki import build_test_pki
    from vanthu.signing.tests.verify_helpers import signed_pdf
    from vanthu.signing.tests.verify_helpers import tampered_pdf

    with transaction.atomic():
        services.trust_anchor_add(
            data=build_test_pki(now).root.pem, actor=e2e_province.admin, now=now, name="CA gốc thử nghiệm"
        )
    RevocationSettings.objects.update_or_create(singleton=1, defaults={"is_online_check_enabled": False})
    # The engine runs its own asyncio loop; Playwright's sync API holds one on this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        signed_bytes = pool.submit(signed_pdf).result()
        altered_bytes = pool.submit(tampered_pdf).result()
    signed = tmp_path / "quyet-dinh-da-ky.pdf"
    signed.write_bytes(signed_bytes)
    altered = tmp_path / "quyet-dinh-bi-sua.pdf"
    altered.write_bytes(altered_bytes)
    return {"province": e2e_province, "signed": signed, "altered": altered}


class TestOfficerVerifiesASignedPdf:
    @pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
    def test_reads_the_vietnamese_report(
        self,
        device: str,
        viewport: dict[str, int],
        open_page: Any,
        signing_world: dict[str, Any],
        sign_in_with_cookie: Any,
        screenshots: Path,
        frozen_clock: None,
    ) -> None:
        page = open_page(viewport)
        sign_in_with_cookie(page, signing_world["province"].officer)
        page.goto("/")
        if device == "phone":
            page.locator("button.navbar-toggler").click()
            page.locator("#main-nav.show").wait_for(state="visible")  # unfolded, not still collapsing
        page.locator("#nav-more").click()  # signatures sit under "More" beside the daily sections
        link = page.locator('#main-nav a[href="/signing/"]')
        link.wait_for(state="visible")  # the phone's menu unfolds, then the dropdown
        link.click()
        page.wait_for_url("**/signing/")
        page.locator("#my-certificates").wait_for()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / f"signing-mine-{device}.png"), full_page=True)

        page.locator('#signing-tabs a[href="/signing/verify/"]').click()
        page.wait_for_url("**/signing/verify/")
        page.locator("#verify-form").wait_for()
        assert page.locator("#report").count() == 0
        page.screenshot(path=str(screenshots / f"signing-verify-{device}.png"), full_page=True)

        page.locator('#verify-form input[type="file"]').set_input_files(str(signing_world["signed"]))
        page.locator('#verify-form button[type="submit"]').click()
        page.locator("#report").wait_for()
        assert page.locator("html").get_attribute("lang") == "vi"
        assert "2 chữ ký số" in page.locator("#report-summary").inner_text()
        assert "hợp lệ" in page.locator("#report-summary").inner_text()
        assert page.locator("#report-verdict.text-bg-success").is_visible()
        assert page.locator(".report-signature").count() == 2  # noqa: PLR2004
        assert "hợp lệ" in page.locator(".report-signature").first.inner_text()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / f"signing-report-valid-{device}.png"), full_page=True)

        page.locator('#verify-form input[type="file"]').set_input_files(str(signing_world["altered"]))
        page.locator('#verify-form button[type="submit"]').click()
        page.locator("#report-verdict.text-bg-danger").wait_for()
        assert "KHÔNG" in page.locator(".report-signature").first.inner_text().upper()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / f"signing-report-altered-{device}.png"), full_page=True)


class TestProvinceAdminSeesTheTrustStore:
    @pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
    def test_trust_store(
        self,
        device: str,
        viewport: dict[str, int],
        open_page: Any,
        signing_world: dict[str, Any],
        sign_in_with_cookie: Any,
        screenshots: Path,
        frozen_clock: None,
    ) -> None:
        page = open_page(viewport)
        sign_in_with_cookie(page, signing_world["province"].admin)
        page.goto("/signing/trust-store/")
        page.locator("#trust-anchor-form").wait_for()
        assert "CA gốc thử nghiệm" in page.locator("#trust-anchors").inner_text()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / f"signing-trust-store-{device}.png"), full_page=True)
        page.goto(f"/signing/agencies/{signing_world['province'].province.pk}/")
        page.locator("#seal-form").wait_for()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / f"signing-agency-{device}.png"), full_page=True)
