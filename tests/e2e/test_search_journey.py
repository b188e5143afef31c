"""Journey in Chromium (issue 7): an officer of Sở Y tế types a few words without diacritics in the
search box of the top bar, finds the flood plan the province sent (the words marked), narrows to
incoming documents, opens it; an officer of Sở Tài chính finds only their own copy. A phone-sized
look at the results. Screenshots in ``test-artifacts/screenshots/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.layout import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
FLOODS = "Kế hoạch phòng, chống thiên tai, lụt bão và tìm kiếm cứu nạn năm 2026"


@pytest.fixture
def flood_plan(e2e_province: Any, e2e_person: Any, now: Any) -> dict[str, Any]:
    from vanthu.incoming.models import IncomingStatus
    from vanthu.incoming.tests.factories import deliver
    from vanthu.incoming.tests.factories import put_in_status
    from vanthu.org.models import Role

    province = e2e_province
    health_officer = e2e_person("chuyenvien.syt", "Phan Đức Long", province.health, Role.OFFICER)
    health_leader = e2e_person("giamdoc.syt", "Trần Văn Minh", province.health, Role.AGENCY_LEADER)
    finance_leader = e2e_person("giamdoc.stc", "Phạm Quang Huy", province.finance, Role.AGENCY_LEADER)
    copies = deliver(sender=province.province, recipients=[province.health, province.finance], now=now, subject=FLOODS)
    deliver(
        sender=province.province,
        recipients=[province.health],
        now=now,
        subject="Về việc tổ chức Hội nghị tổng kết năm 2026",
    )
    at = {item.agency_id: item for item in copies}
    health = put_in_status(
        at[province.health.pk], IncomingStatus.IN_PROGRESS, now=now, lead=health_officer, leader=health_leader
    )
    finance = put_in_status(
        at[province.finance.pk], IncomingStatus.IN_PROGRESS, now=now, lead=province.officer, leader=finance_leader
    )
    return {"health_officer": health_officer, "health": health, "finance": finance}


class TestSearchJourney:
    def test_find_without_diacritics_narrow_and_open(
        self,
        open_page: Any,
        flood_plan: dict[str, Any],
        e2e_province: Any,
        sign_in_with_cookie: Any,
        screenshots: Path,
        frozen_clock: None,
    ) -> None:
        page = open_page(DESKTOP)
        sign_in_with_cookie(page, flood_plan["health_officer"])
        page.goto("/")
        page.locator("#navbar-search-q").fill("ke hoach lut bao")
        page.locator("#navbar-search-q").press("Enter")
        page.locator("#search-results").wait_for()
        assert page.locator("#search-total").get_attribute("data-total") == "1"
        marks = page.locator(".search-row mark").all_inner_texts()
        assert {"Kế", "hoạch", "lụt", "bão"} <= set(marks)
        page.screenshot(path=str(screenshots / "search-results-desktop.png"), full_page=True)

        page.locator("#id_direction").select_option("OUTGOING")
        page.locator("#search-empty").wait_for()
        page.locator("#id_direction").select_option("INCOMING")
        page.locator(".search-row").first.wait_for()
        page.locator(".search-row .search-link").first.click()
        page.wait_for_url(f"**/incoming/{flood_plan['health'].pk}/")
        assert page.locator("#incoming-title").inner_text().endswith(FLOODS)

        page.context.clear_cookies()
        sign_in_with_cookie(page, e2e_province.officer)
        page.goto("/search/?q=lụt+bão")
        page.locator("#search-results").wait_for()
        links = page.locator(".search-row .search-link")
        assert links.count() == 1
        assert links.first.get_attribute("href") == f"/incoming/{flood_plan['finance'].pk}/"

    def test_phone_look_at_the_results(
        self,
        open_page: Any,
        flood_plan: dict[str, Any],
        sign_in_with_cookie: Any,
        screenshots: Path,
        frozen_clock: None,
    ) -> None:
        page = open_page(PHONE)
        sign_in_with_cookie(page, flood_plan["health_officer"])
        page.goto("/search/?q=2026")
        page.locator("#search-list").wait_for()
        assert page.locator(".search-row").count() == 1  # the other arrival is not given to this officer
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / "search-results-phone.png"), full_page=True)
