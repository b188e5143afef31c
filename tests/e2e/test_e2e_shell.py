"""Journeys of the UI shell in Chromium: sign in and see "Việc của tôi" on a desktop and a phone,
browse and search the organisation, read the audit trail. Screenshots of every step land in
test-artifacts/screenshots/ for a look at the layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.layout import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
PASSWORD = "mat-khau-dai-123"


class TestOfficerSignsIn:
    @pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
    def test_sees_the_vietnamese_home_page(
        self, device: str, viewport: dict[str, int], open_page: Any, e2e_province: Any, screenshots: Path
    ) -> None:
        page = open_page(viewport)
        page.goto("/")
        page.wait_for_url("**/accounts/login/**")
        page.screenshot(path=str(screenshots / f"login-{device}.png"), full_page=True)
        page.fill('input[name="username"]', "chuyenvien.stc")
        page.fill('input[name="password"]', PASSWORD)
        page.locator('form[action$="/accounts/login/"] button[type="submit"]').click()
        page.locator("#home-person-name").wait_for()
        assert page.locator("html").get_attribute("lang") == "vi"
        assert "Việc của tôi" in page.locator("h1").first.inner_text()
        assert "Vai trò của tôi" in page.locator("#card-roles-title").inner_text()
        assert page.locator("#home-person-name").inner_text() == "Bùi Thị Mai Anh"
        assert page.locator("#card-roles").get_by_text("Sở Tài chính").is_visible()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / f"home-{device}.png"), full_page=True)
        if device == "phone":
            # The navigation collapses behind the menu button and opens on a tap.
            assert not page.locator("#main-nav").is_visible()
            page.locator("button.navbar-toggler").click()
            page.locator("#main-nav").wait_for(state="visible")
            page.screenshot(path=str(screenshots / "home-phone-menu.png"), full_page=True)
            assert_no_horizontal_scroll(page)
        # The bell's dropdown loads by htmx.
        page.locator("#bell").click()
        page.locator("#notification-menu-body .bi-bell-slash, #notification-menu-body form").first.wait_for()
        page.screenshot(path=str(screenshots / f"bell-{device}.png"))
        assert_no_horizontal_scroll(page)
        page.keyboard.press("Escape")
        # The account menu: name, language switcher, and signing out (a POST form).
        page.locator("#user-menu-toggle").click()
        page.locator("#sign-out").wait_for(state="visible")
        assert page.locator("#user-full-name").inner_text() == "Bùi Thị Mai Anh"
        page.screenshot(path=str(screenshots / f"user-menu-{device}.png"))
        assert_no_horizontal_scroll(page)
        page.locator("#sign-out").click()
        page.wait_for_url("**/accounts/login/**")


class TestAdminBrowsesTheOrganisation:
    @pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
    def test_tree_search_and_agency(
        self,
        device: str,
        viewport: dict[str, int],
        open_page: Any,
        e2e_province: Any,
        sign_in_with_cookie: Any,
        screenshots: Path,
    ) -> None:
        page = open_page(viewport)
        sign_in_with_cookie(page, e2e_province.admin)
        page.goto("/org/")
        tree = page.locator("#agency-tree")
        assert tree.get_by_text("Ủy ban nhân dân tỉnh Thanh Hóa").is_visible()
        assert tree.get_by_text("Sở Tài chính").is_visible()
        # The historical district is greyed, with its successor and date.
        ceased = tree.locator(f'li[data-agency="{e2e_province.district.pk}"]')
        assert "agency-ceased" in (ceased.get_attribute("class") or "")
        assert "Phường Hạc Thành" in ceased.locator(".agency-merged-note").first.inner_text()
        assert "01/07/2025" in ceased.locator(".agency-merged-note").first.inner_text()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / f"org-tree-{device}.png"), full_page=True)

        # Folded search by htmx: "thanh hoa" finds "Thanh Hóa" without a page load.
        page.fill("#agency-search-q", "thanh hoa")
        page.locator(".agency-result").first.wait_for()
        results = page.locator("#agency-results")
        province_link = results.get_by_role("link", name="Ủy ban nhân dân tỉnh Thanh Hóa", exact=True)
        assert province_link.is_visible()
        assert results.get_by_role("link", name="Sở Tài chính").count() == 0
        assert "q=thanh%20hoa" in page.url or "q=thanh+hoa" in page.url  # pushed into the history
        page.screenshot(path=str(screenshots / f"org-search-{device}.png"), full_page=True)

        province_link.click()
        page.wait_for_url(f"**/org/agencies/{e2e_province.province.pk}/")
        assert page.locator("h1").inner_text() == "Ủy ban nhân dân tỉnh Thanh Hóa"
        assert page.locator("#agency-actions").is_visible()  # an administrator's buttons
        assert page.locator("#agency-people").get_by_text("Lê Minh Quản").is_visible()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / f"org-agency-{device}.png"), full_page=True)

        page.goto(f"/org/agencies/{e2e_province.ward.pk}/")
        assert page.locator("#merge-history").get_by_text("Thành phố Thanh Hóa (cũ)").is_visible()
        page.screenshot(path=str(screenshots / f"org-merged-{device}.png"), full_page=True)

    def test_refused_agency_code_shows_a_form_error(
        self, open_page: Any, e2e_province: Any, sign_in_with_cookie: Any, screenshots: Path
    ) -> None:
        page = open_page(PHONE)
        sign_in_with_cookie(page, e2e_province.admin)
        page.goto(f"/org/agencies/new/?parent={e2e_province.province.pk}")
        page.fill("#id_name", "Sở Thử nghiệm")
        page.fill("#id_abbreviation", "STN")
        page.select_option("#id_kind", "DEPARTMENT")
        page.fill("#id_code_qcvn102", "H56")
        page.fill("#id_place_name", "Thanh Hóa")
        page.locator('main form button[type="submit"]').click()
        page.locator("#id_code_qcvn102_error").wait_for()
        assert page.locator("#id_code_qcvn102").get_attribute("aria-invalid") == "true"
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / "org-form-error-phone.png"), full_page=True)


class TestAuditTrail:
    @pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
    def test_inspector_reads_events_and_filters(
        self,
        device: str,
        viewport: dict[str, int],
        open_page: Any,
        e2e_province: Any,
        sign_in_with_cookie: Any,
        screenshots: Path,
    ) -> None:
        page = open_page(viewport)
        sign_in_with_cookie(page, e2e_province.inspector)
        page.goto("/audit/")
        rows = page.locator("#audit-table tbody tr.audit-row")
        assert rows.count() > 5
        assert page.locator("#audit-table").get_by_text("org.agency.merged").first.is_visible()
        # A row expands to show its data.
        rows.first.locator("button[data-bs-toggle=collapse]").click()
        page.locator("tr.audit-data.show pre").wait_for()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / f"audit-{device}.png"), full_page=True)
        # Filter by action prefix.
        if page.locator("#audit-filters").get_attribute("open") is None:
            page.locator("#audit-filters summary").click()
        page.fill("#id_action", "org.agency.merged")
        page.locator('#audit-filters button[type="submit"]').click()
        page.wait_for_url("**action=org.agency.merged**")
        page.locator("#audit-table").wait_for()
        actions = page.locator("#audit-table tbody tr.audit-row code").all_inner_texts()
        assert actions
        assert set(actions) == {"org.agency.merged"}

    def test_admin_verifies_the_chain(
        self, open_page: Any, e2e_province: Any, sign_in_with_cookie: Any, screenshots: Path
    ) -> None:
        page = open_page(DESKTOP)
        sign_in_with_cookie(page, e2e_province.admin)
        page.goto("/audit/")
        page.locator("#audit-verify-button").click()
        page.locator("#audit-verify-ok").wait_for()
        page.screenshot(path=str(screenshots / "audit-verified-desktop.png"))
