"""Journey in Chromium (issue 8): the province's inspector opens the statistics from the top bar,
reads February, opens the documents behind a number, then the directive's compliance board where
Sở Y tế, still issuing on paper, shows red and is listed among the agencies working on paper; the
same board on a phone. Screenshots in ``test-artifacts/screenshots/``."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.layout import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _at(month: int, day: int, hour: int = 9) -> datetime:
    from vanthu.core.clock import VIETNAM

    return datetime(2026, month, day, hour, tzinfo=VIETNAM)


@pytest.fixture
def history(e2e_province: Any, now: datetime) -> dict[str, Any]:
    """January and February 2026: Sở Tài chính receives, registers and directs its documents in the
    system; Sở Y tế registers two documents signed on paper and directs nothing."""
    from vanthu.documents.models import DocumentType
    from vanthu.incoming.services.direction import AssignmentInput
    from vanthu.incoming.services.direction import incoming_direct
    from vanthu.incoming.services.registration import incoming_register
    from vanthu.incoming.tests.factories import arrived
    from vanthu.org import services
    from vanthu.org.models import Role
    from vanthu.outgoing.services.paper import outgoing_register_paper

    province = e2e_province

    def person(username: str, full_name: str, agency: Any, role: str) -> Any:
        """Holding the role since 1 January (the history happens before the clock's today)."""
        created = services.person_create(
            agency=agency, username=username, full_name=full_name, email=f"{username}@thanhhoa.gov.vn",
            actor=province.admin, now=now,
        )  # fmt: skip
        services.role_assign(
            person=created, agency=agency, role=role, actor=province.admin, now=now, valid_from=_at(1, 1)
        )
        return created

    clerk = person("vanthu.stc", "Lê Thị Hồng", province.finance, Role.CLERK)
    leader = person("giamdoc.stc", "Phạm Quang Huy", province.finance, Role.AGENCY_LEADER)
    officer = person("chuyenvien2.stc", "Vũ Thị Lan", province.finance, Role.OFFICER)
    health_clerk = person("vanthu.syt", "Đỗ Văn Nam", province.health, Role.CLERK)
    for month in (1, 2):
        for day in (5, 12):
            subject = f"Về việc triển khai nhiệm vụ tài chính tháng {month}"
            incoming = arrived(
                sender=province.province, recipient=province.finance, now=_at(month, day, 8), subject=subject
            )
            incoming = incoming_register(incoming=incoming, actor=clerk, now=_at(month, day))
            incoming_direct(
                incoming=incoming,
                actor=leader,
                now=_at(month, day, 14),
                instruction="Giao Phòng Ngân sách.",
                assignments=[AssignmentInput(role="LEAD", person_id=officer.pk)],
                due_date=date(2026, month, day + 7),
            )
        outgoing_register_paper(
            agency=province.health,
            document_type=DocumentType.objects.get(code="CONG_VAN", agency__isnull=True),
            subject=f"Về việc báo cáo công tác y tế tháng {month}",
            signer_name="Trần Văn Minh",
            signer_position="Giám đốc",
            signer_authority="",
            issued_date=date(2026, month, 20),
            scanned=None,
            recipients=[],
            actor=health_clerk,
            now=_at(month, 20),
        )
    return {"finance": province.finance, "health": province.health}


class TestReportsJourney:
    def test_statistics_a_number_and_the_compliance_board(
        self,
        open_page: Any,
        history: dict[str, Any],
        e2e_province: Any,
        sign_in_with_cookie: Any,
        screenshots: Path,
        frozen_clock: None,
    ) -> None:
        page = open_page(DESKTOP)
        sign_in_with_cookie(page, e2e_province.inspector)
        page.goto("/")
        page.locator("a.nav-link[href='/reports/']").first.click()
        page.wait_for_url("**/reports/")
        assert "Tháng 2/2026" in page.locator("#period-label").inner_text()  # the month before
        page.locator("canvas[data-vanthu-chart]").first.wait_for()
        page.screenshot(path=str(screenshots / "reports-statistics-desktop.png"), full_page=True)

        link = page.locator(
            f"#statistics-table a[href*='measure=in_processed'][href*='agency={history['finance'].pk}']"
        )
        assert link.inner_text() == "2"
        link.click()
        page.locator("#documents-table").wait_for()
        assert page.locator("#documents-total").get_attribute("data-total") == "2"

        page.goto("/reports/compliance/")
        health = page.locator(f"#compliance-table tr[data-agency='{history['health'].pk}']")
        assert health.get_attribute("data-light") == "red"
        finance = page.locator(f"#compliance-table tr[data-agency='{history['finance'].pk}']")
        assert finance.get_attribute("data-light") == "green"
        assert "Sở Y tế" in page.locator("#on-paper").inner_text()
        assert page.locator("#compliance-table svg.sparkline").count() >= 2
        page.screenshot(path=str(screenshots / "reports-compliance-desktop.png"), full_page=True)

    def test_phone_look_at_the_compliance_board(
        self,
        open_page: Any,
        history: dict[str, Any],
        e2e_province: Any,
        sign_in_with_cookie: Any,
        screenshots: Path,
        frozen_clock: None,
    ) -> None:
        page = open_page(PHONE)
        sign_in_with_cookie(page, e2e_province.inspector)
        page.goto("/reports/compliance/")
        page.locator("#compliance-table").wait_for()
        page.locator("canvas[data-vanthu-chart]").first.wait_for()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / "reports-compliance-phone.png"), full_page=True)
        page.goto("/reports/")
        page.locator("#statistics-table").wait_for()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / "reports-statistics-phone.png"), full_page=True)
