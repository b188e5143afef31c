"""Journey in Chromium (issue 5): Sở Tài chính issues a Công văn to Sở Y tế through the system; Sở Y
tế's clerk registers it (arrival no. 1), the Director directs it to the Nghiệp vụ Y unit with two
co-operating units and a deadline of 5 working days that spans the Hùng Kings' day, 30 April and
1 May; the head of the unit assigns an officer, who reports progress, drafts the reply (an outgoing
draft linked to this document) and completes it. After each step the sender's clerk opens the
issued document and sees the new status of the delivery (01 → 03 → 04 → 05 → 06). A co-operating
unit's head sees it among "Phối hợp" and may give input but not complete it.
Phone-sized looks at the queues, the detail page and the direction form; screenshots in
``test-artifacts/screenshots/``."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.layout import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
SUBJECT = "Về việc rà soát, báo cáo tình hình sử dụng kinh phí phòng, chống dịch năm 2026"
SEAL_SECRET = {"STC_SEAL": "mat-khau-con-dau"}
# Friday 24 April 2026, 09:00 in Vietnam: five working days later is Wednesday 6 May — Monday 27 April
# (Hùng Kings, observed), Thursday 30 April and Friday 1 May are public holidays.
FRIDAY_BEFORE_THE_HOLIDAYS = datetime(2026, 4, 24, 2, 0, tzinfo=UTC)
DEADLINE = date(2026, 5, 6)


@pytest.fixture
def now() -> datetime:
    return FRIDAY_BEFORE_THE_HOLIDAYS


@dataclass
class IncomingWorld:
    outgoing: Any
    sender_clerk: Any
    clerk: Any
    director: Any
    unit_leader: Any
    officer: Any
    cooperating_leader: Any
    units: dict[str, Any]


def _signed_pdf() -> bytes:
    from vanthu.outgoing.tests.issuance_support import person_signed_pdf

    return person_signed_pdf()


@pytest.fixture
def incoming_world(
    e2e_province: Any, e2e_person: Any, now: datetime, settings: Any, frozen_clock: None
) -> IncomingWorld:  # noqa: PLR0915 - a province's people
    """Sở Tài chính's clerk and its seal (key on the server); Sở Y tế's clerk, Director, three units
    with their heads and an officer; the Công văn signed by Sở Tài chính's Director, issued to Sở Y tế
    through the services (the outgoing journey drives issuance in the browser)."""
    from django.db import transaction

    from vanthu.documents.models import DocumentType
    from vanthu.org import services as org_services
    from vanthu.org.models import Role
    from vanthu.outgoing.services.issuance import outgoing_issue
    from vanthu.outgoing.tests.issuance_support import signed_outgoing
    from vanthu.signing import services
    from vanthu.signing.models import RevocationSettings
    from vanthu.signing.testing.pki import build_test_pki
    from vanthu.signing.testing.pki import pkcs12_bytes
    from vanthu.signing.tests import sessions_support
    from vanthu.signing.tests.pades_helpers import NOW as SIGNED_AT

    settings.VANTHU_SIGNING_KEY_SECRETS = SEAL_SECRET
    with ThreadPoolExecutor(max_workers=1) as pool:  # Playwright holds an event loop on this thread
        pool.submit(_signed_pdf).result()
        seal_png = pool.submit(sessions_support.seal_png).result()
    province = e2e_province
    admin = province.admin
    finance, health = province.finance, province.health

    person = e2e_person

    units = {
        abbreviation: org_services.unit_create(
            agency=health, name=name, abbreviation=abbreviation, actor=admin, now=now
        )
        for abbreviation, name in (
            ("NVY", "Phòng Nghiệp vụ Y"),
            ("KHTC", "Phòng Kế hoạch - Tài chính"),
            ("VP", "Văn phòng Sở"),
        )
    }
    sender_clerk = person("vanthu.stc", "Đỗ Thị Hương", finance, Role.CLERK)
    clerk = person("vanthu.syt", "Lê Thị Hồng", health, Role.CLERK)
    director = person("giamdoc.syt", "Trần Văn Minh", health, Role.AGENCY_LEADER)
    unit_leader = person("truongphong.nvy.syt", "Hoàng Thị Thanh", health, Role.UNIT_LEADER, units["NVY"])
    officer = person("chuyenvien.nvy.syt", "Phan Đức Long", health, Role.OFFICER, units["NVY"])
    cooperating_leader = person("truongphong.khtc.syt", "Mai Văn Tùng", health, Role.UNIT_LEADER, units["KHTC"])
    person("truongphong.vp.syt", "Lưu Thị Nga", health, Role.UNIT_LEADER, units["VP"])

    pki = build_test_pki(now)
    with transaction.atomic():
        sessions_support.add_trust_store(pki, now)
        if build_test_pki(SIGNED_AT).root.fingerprint_sha256 != pki.root.fingerprint_sha256:
            sessions_support.add_trust_store(build_test_pki(SIGNED_AT), now)  # the Director signed in March
    RevocationSettings.objects.update_or_create(singleton=1, defaults={"is_online_check_enabled": False})
    seal_key = pkcs12_bytes(pki.agency.cert, pki.agency.key, [pki.intermediate.cert], b"mat-khau-con-dau")
    seal = services.certificate_register_for_agency(
        agency=finance, data=seal_key, actor=admin, now=now, key_secret_name="STC_SEAL"
    )
    services.signature_image_upload(data=seal_png, agency=finance, actor=admin, now=now)
    outgoing = signed_outgoing(
        agency=finance,
        drafter=province.officer,
        now=now,
        recipients=[health],
        document_type=DocumentType.objects.get(code="CONG_VAN", agency__isnull=True),
        subject=SUBJECT,
    )
    outgoing.document.symbol = "STC-QLNS"  # a Công văn: the agency's and the drafting unit's abbreviations
    outgoing.document.save(update_fields=["symbol"])
    outgoing = outgoing_issue(outgoing=outgoing, certificate=seal, actor=sender_clerk, now=now)
    assert outgoing.status == "ISSUED"
    return IncomingWorld(outgoing, sender_clerk, clerk, director, unit_leader, officer, cooperating_leader, units)


def _as(page: Any, sign_in_with_cookie: Any, person: Any) -> None:
    page.context.clear_cookies()
    sign_in_with_cookie(page, person)


def _open_detail(page: Any, pk: int) -> None:
    page.goto(f"/incoming/{pk}/")
    page.locator("#incoming-status").wait_for()


def _act(page: Any, action: str) -> None:
    page.locator(f"#incoming-actions #action-{action}").click()
    page.locator("#action-form").wait_for()


def _submit(page: Any, pk: int) -> None:
    page.locator("#action-form #action-submit").click()
    page.wait_for_url(re.compile(rf"/incoming/{pk}/$"))
    page.locator("#incoming-status").wait_for()


def _sender_sees(page: Any, sign_in_with_cookie: Any, world: IncomingWorld, code: str) -> str:
    """The sender's clerk opens the issued document: the delivery's status badge starts with ``code``."""
    _as(page, sign_in_with_cookie, world.sender_clerk)
    page.goto(f"/outgoing/{world.outgoing.pk}/")
    badge = page.locator(".delivery-line .delivery-status")
    badge.first.wait_for()
    assert badge.count() == 1
    text = str(badge.first.inner_text()).strip()
    assert text.startswith(code), text
    return text


class TestIncomingJourney:
    def test_arrive_register_direct_assign_reply_and_complete(  # noqa: PLR0915 - one journey, step by step
        self,
        open_page: Any,
        incoming_world: IncomingWorld,
        sign_in_with_cookie: Any,
        screenshots: Path,
        frozen_clock: None,
        now: datetime,
    ) -> None:
        from vanthu.documents.models import Document
        from vanthu.incoming.models import Incoming

        world = incoming_world
        page = open_page(DESKTOP)
        incoming = Incoming.objects.get(document__subject=SUBJECT)
        assert incoming.status == "ARRIVED"
        assert incoming.document.number_symbol == "01/STC-QLNS"
        pk = incoming.pk
        statuses = [_sender_sees(page, sign_in_with_cookie, world, "01")]

        # 1. The clerk of Sở Y tế finds it in "Chờ vào sổ", sees the verified signatures, registers it.
        _as(page, sign_in_with_cookie, world.clerk)
        page.goto("/incoming/?queue=to_register")
        page.locator(f"#queue-list a[href='/incoming/{pk}/']").first.click()
        page.locator("#incoming-status").wait_for()
        lines = page.locator("#incoming-verification [data-valid]")
        assert lines.count() >= 2  # the Director's signature and Sở Tài chính's seal
        assert page.locator("#incoming-verification [data-valid=false]").count() == 0
        page.screenshot(path=str(screenshots / "incoming-arrived-detail-desktop.png"), full_page=True)
        _act(page, "register")
        assert page.locator("#id_subject").input_value() == SUBJECT  # prefilled from the delivered document
        page.screenshot(path=str(screenshots / "incoming-register-form-desktop.png"), full_page=True)
        _submit(page, pk)
        incoming.refresh_from_db()
        assert incoming.status == "REGISTERED"
        assert incoming.arrival_number == 1
        statuses.append(_sender_sees(page, sign_in_with_cookie, world, "03"))

        # 2. The Director directs it: Nghiệp vụ Y leads, two units co-operate, 5 working days.
        _as(page, sign_in_with_cookie, world.director)
        page.goto("/incoming/?queue=to_direct")
        page.locator(f"#queue-list a[href='/incoming/{pk}/']").first.click()
        page.locator("#incoming-status").wait_for()
        _act(page, "direct")
        page.locator("#id_instruction").fill(
            "Giao Phòng Nghiệp vụ Y chủ trì, phối hợp Phòng Kế hoạch - Tài chính và Văn phòng Sở rà soát, "
            "tham mưu văn bản trả lời Sở Tài chính."
        )
        page.locator("#id_lead_unit").select_option(value=str(world.units["NVY"].pk))
        for abbreviation in ("KHTC", "VP"):
            page.locator(f"input[name=cooperate_units][value='{world.units[abbreviation].pk}']").check()
        page.locator("#id_due_working_days").fill("5")
        page.screenshot(path=str(screenshots / "incoming-direct-form-desktop.png"), full_page=True)
        _submit(page, pk)
        incoming.refresh_from_db()
        assert incoming.status == "DIRECTED"
        assert incoming.due_date == DEADLINE
        assert "06/05/2026" in page.locator("#incoming-due").inner_text()
        roles = sorted(
            page.locator("#incoming-assignments [data-role]").evaluate_all("els => els.map(e => e.dataset.role)")
        )
        assert roles == ["COOPERATE", "COOPERATE", "LEAD"]
        statuses.append(_sender_sees(page, sign_in_with_cookie, world, "04"))

        # 3. The head of Nghiệp vụ Y assigns the officer.
        _as(page, sign_in_with_cookie, world.unit_leader)
        page.goto("/incoming/?queue=to_handle")
        page.locator(f"#queue-list a[href='/incoming/{pk}/']").first.click()
        page.locator("#incoming-status").wait_for()
        _act(page, "assign")
        page.locator("#id_person").select_option(value=str(world.officer.pk))
        page.locator("#id_instruction").fill("Đồng chí Long dự thảo văn bản trả lời, trình trước ngày 05/5.")
        _submit(page, pk)
        assert (
            page.locator(f"#incoming-assignments [data-role=LEAD]:has-text('{world.officer.full_name}')").count() == 1
        )

        # 4. A co-operating unit's head sees it under "Phối hợp", may give input, may not complete.
        _as(page, sign_in_with_cookie, world.cooperating_leader)
        page.goto("/incoming/?queue=cooperate")
        page.locator(f"#queue-list a[href='/incoming/{pk}/']").first.click()
        page.locator("#incoming-status").wait_for()
        assert page.locator("#incoming-actions #action-complete").count() == 0
        _act(page, "report")
        page.locator("#id_text").fill(
            "Phòng KH-TC đã tổng hợp số liệu kinh phí quý I, gửi kèm để phòng chủ trì tổng hợp."
        )
        _submit(page, pk)
        assert page.request.get(f"/incoming/{pk}/act/complete/").status == 403

        # 5. The officer reports progress (the sender sees "in progress"), drafts the reply, completes.
        _as(page, sign_in_with_cookie, world.officer)
        page.goto("/incoming/?queue=to_handle")
        page.locator(f"#queue-list a[href='/incoming/{pk}/']").first.click()
        page.locator("#incoming-status").wait_for()
        assert page.locator("#incoming-trace [data-kind]").count() >= 4
        _act(page, "report")
        page.locator("#id_text").fill("Đã rà soát số liệu, đang dự thảo văn bản trả lời.")
        _submit(page, pk)
        incoming.refresh_from_db()
        assert incoming.status == "IN_PROGRESS"
        statuses.append(_sender_sees(page, sign_in_with_cookie, world, "05"))

        _as(page, sign_in_with_cookie, world.officer)
        _open_detail(page, pk)
        page.locator("#incoming-actions #action-reply").click()
        page.locator("#reply-create").click()
        page.wait_for_url(re.compile(r"/outgoing/\d+/edit/$"))
        reply = Document.objects.get(reply_to=incoming.document)
        assert reply.direction == "OUTGOING"
        assert reply.agency_id == incoming.agency_id
        _open_detail(page, pk)
        _act(page, "complete")
        page.locator("#id_result").fill("Đã dự thảo Công văn trả lời Sở Tài chính, trình lãnh đạo Sở ký ban hành.")
        _submit(page, pk)
        incoming.refresh_from_db()
        assert incoming.status == "DONE"
        assert page.locator("#incoming-result").count() == 1
        page.screenshot(path=str(screenshots / "incoming-done-detail-desktop.png"), full_page=True)
        statuses.append(_sender_sees(page, sign_in_with_cookie, world, "06"))
        page.screenshot(path=str(screenshots / "incoming-sender-sees-done-desktop.png"), full_page=True)
        assert [status[:2] for status in statuses] == ["01", "03", "04", "05", "06"]
        timeline = page.locator(".delivery-timeline li")
        assert timeline.count() >= 5  # every status change is in the sender's timeline

    def test_phone_look_at_the_main_screens(
        self,
        open_page: Any,
        incoming_world: IncomingWorld,
        sign_in_with_cookie: Any,
        screenshots: Path,
        frozen_clock: None,
        now: datetime,
    ) -> None:
        """The clerk's and the Director's queues, the detail page and the direction form, on a phone."""
        from vanthu.incoming.models import Incoming
        from vanthu.incoming.services.registration import incoming_register

        world = incoming_world
        incoming = Incoming.objects.get(document__subject=SUBJECT)
        page = open_page(PHONE)
        sign_in_with_cookie(page, world.clerk)
        page.goto("/incoming/?queue=to_register")
        page.locator("#queue-list").wait_for()
        assert page.locator(f"#queue-list a[href='/incoming/{incoming.pk}/']").count() >= 1
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / "incoming-queues-phone.png"), full_page=True)
        _open_detail(page, incoming.pk)
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / "incoming-detail-phone.png"), full_page=True)
        page.goto("/incoming/receive/paper/")
        page.locator("main form").first.wait_for()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / "incoming-paper-form-phone.png"), full_page=True)
        incoming_register(incoming=incoming, actor=world.clerk, now=now)
        page.context.clear_cookies()
        sign_in_with_cookie(page, world.director)
        page.goto(f"/incoming/{incoming.pk}/act/direct/")
        page.locator("#action-form").wait_for()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / "incoming-direct-form-phone.png"), full_page=True)
        page.goto("/incoming/register/")
        page.locator("main").wait_for()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / "incoming-register-phone.png"), full_page=True)
