"""Journey in Chromium (issue 4): an officer of Sở Tài chính drafts a Quyết định, the head of their
unit reviews it, the office (the registry clerk) checks its format, the Director approves and signs
it through the signing agent on their computer (``vanthu sign-agent``'s server on a loopback port,
holding the Director's test PKCS#12), the clerk numbers, seals (server-held key) and issues it to
three agencies; each recipient agency's clerk finds it among the arrivals, and the sender sees
"arrived" for each. The issued PDF carries both signatures, valid, and shows its number and date.
Phone-sized looks at the queues, the detail page and the arrivals; screenshots in
``test-artifacts/screenshots/``."""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.layout import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
KEY_PASSWORD = "mat-khau-token"  # noqa: S105 - a test key
SEAL_SECRET = {"STC_SEAL": "mat-khau-con-dau"}
SUBJECT = "Quyết định phê duyệt dự toán chi thường xuyên năm 2026 của Sở Tài chính"
DIRECTOR_NAME = "Phạm Quang Huy"


@dataclass
class OutgoingWorld:
    province: Any
    officer: Any
    unit_leader: Any
    clerk: Any
    director: Any
    recipient_clerks: dict[str, Any]
    pdf: Path
    pki: Any


def _draft_pdf() -> bytes:
    from vanthu.signing.testing import pdfs

    return pdfs.decision_pdf(
        signer_name=DIRECTOR_NAME,
        signer_title="GIÁM ĐỐC",
        subject="Về việc phê duyệt dự toán chi thường xuyên năm 2026",
        number_placeholder="/QĐ-STC",
    )


def _images() -> tuple[bytes, bytes]:
    from vanthu.signing.testing import pdfs

    return pdfs.signature_png(), pdfs.seal_png()


@pytest.fixture
def outgoing_world(  # noqa: PLR0913, PLR0915 - the province, its people, the agent and its settings
    e2e_province: Any,
    e2e_person: Any,
    now: Any,
    tmp_path: Path,
    live_server: Any,
    agent_allowed_by_csp: str,
    settings: Any,
) -> Iterator[OutgoingWorld]:
    """Sở Tài chính's people (officer, head of the budget unit, clerk, Director with a personal
    certificate and signature image), its seal with the key on the server, a clerk in each recipient
    agency (UBND tỉnh, Sở Y tế, Phường Hạc Thành), the test PKI trusted, the agent running."""
    from urllib.parse import urlsplit

    from django.db import transaction

    from vanthu.org.models import Role
    from vanthu.org.models import Unit
    from vanthu.signing import services
    from vanthu.signing.models import RevocationSettings
    from vanthu.signing.sign_agent import AgentConfig
    from vanthu.signing.sign_agent import load_agent_key
    from vanthu.signing.sign_agent import make_server
    from vanthu.signing.testing.pki import build_test_pki
    from vanthu.signing.testing.pki import pkcs12_bytes

    settings.VANTHU_SIGNING_KEY_SECRETS = SEAL_SECRET
    with ThreadPoolExecutor(max_workers=1) as pool:  # Playwright holds an event loop on this thread
        pdf_bytes = pool.submit(_draft_pdf).result()
        signature_png, seal_png = pool.submit(_images).result()
    province = e2e_province
    admin = province.admin
    finance = province.finance
    budget = Unit.objects.get(agency=finance, abbreviation="QLNS")

    person = e2e_person

    unit_leader = person("truongphong.stc", "Vũ Văn Cường", finance, Role.UNIT_LEADER, budget)
    clerk = person("vanthu.stc", "Đỗ Thị Hương", finance, Role.CLERK)
    director = person("giamdoc.stc", DIRECTOR_NAME, finance, Role.AGENCY_LEADER)
    recipient_clerks = {
        "UBND": person("vanthu.ubnd", "Trịnh Thị Thu Hà", province.province, Role.CLERK),
        "SYT": person("vanthu.syt", "Lê Thị Hồng", province.health, Role.CLERK),
        "HT": person("vanthu.ht", "Nguyễn Thị Lan", province.ward, Role.CLERK),
    }

    pki = build_test_pki(now)
    with transaction.atomic():
        services.trust_anchor_add(data=pki.root.pem, actor=admin, now=now, name="CA gốc thử nghiệm")
        services.trust_anchor_add(data=pki.intermediate.pem, actor=admin, now=now, name="CA trung gian")
    RevocationSettings.objects.update_or_create(singleton=1, defaults={"is_online_check_enabled": False})
    services.certificate_register_for_person(person=director, data=pki.person.pem, actor=director, now=now)
    services.signature_image_upload(data=signature_png, person=director, actor=director, now=now)
    seal_key = pkcs12_bytes(pki.agency.cert, pki.agency.key, [pki.intermediate.cert], b"mat-khau-con-dau")
    services.certificate_register_for_agency(
        agency=finance, data=seal_key, actor=admin, now=now, key_secret_name="STC_SEAL"
    )
    services.signature_image_upload(data=seal_png, agency=finance, actor=admin, now=now)
    pdf = tmp_path / "du-thao-quyet-dinh.pdf"
    pdf.write_bytes(pdf_bytes)

    key = pkcs12_bytes(pki.person.cert, pki.person.key, [pki.intermediate.cert], KEY_PASSWORD.encode())
    config = AgentConfig(origin=live_server.url, key=load_agent_key(key, KEY_PASSWORD), now=lambda: now)
    server = make_server(config, port=urlsplit(agent_allowed_by_csp).port or 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield OutgoingWorld(province, province.officer, unit_leader, clerk, director, recipient_clerks, pdf, pki)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def agent_allowed_by_csp(settings: Any) -> str:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    origin = f"http://127.0.0.1:{port}"
    settings.VANTHU_SIGN_AGENT_ORIGIN = origin
    return origin


def _as(page: Any, sign_in_with_cookie: Any, person: Any) -> None:
    page.context.clear_cookies()
    sign_in_with_cookie(page, person)


def _open_detail(page: Any, pk: int) -> None:
    page.goto(f"/outgoing/{pk}/")
    page.locator("#outgoing-status").wait_for()


def _status(pk: int) -> str:
    from vanthu.outgoing.models import Outgoing

    return str(Outgoing.objects.get(pk=pk).status)


class TestOutgoingJourney:
    def test_draft_review_sign_issue_and_arrive(  # noqa: PLR0915 - one journey, step by step
        self,
        open_page: Any,
        outgoing_world: OutgoingWorld,
        sign_in_with_cookie: Any,
        screenshots: Path,
        frozen_clock: None,
        now: Any,
    ) -> None:
        from vanthu.core.blobs import blob_read
        from vanthu.exchange.models import Delivery
        from vanthu.outgoing.models import Outgoing
        from vanthu.signing.pades import verify_pdf

        world = outgoing_world
        province = world.province
        page = open_page(DESKTOP)

        # 1. The officer drafts a Quyết định addressed to three agencies.
        _as(page, sign_in_with_cookie, world.officer)
        page.goto("/outgoing/new/")
        form = page.locator("#draft-form")
        form.wait_for()
        page.locator("#id_document_type").select_option(label="Quyết định")
        page.locator("#id_subject").fill(SUBJECT)
        page.locator("#id_signer").select_option(value=str(world.director.pk))
        page.locator("#id_signer_position").fill("Giám đốc")
        for agency in (province.province, province.health, province.ward):
            page.locator("#recipient-agency-search").fill(agency.name.split()[-1])
            page.locator(f"#recipient-agency-{agency.pk}").check()
        page.locator("#id_main_file").set_input_files(str(world.pdf))
        page.screenshot(path=str(screenshots / "outgoing-draft-form-desktop.png"), full_page=True)
        page.locator("#draft-save").click()
        page.locator("#outgoing-status").wait_for()
        outgoing = Outgoing.objects.get(document__subject=SUBJECT)
        assert outgoing.status == "DRAFT"
        assert outgoing.document.recipients.count() == 3

        # … and submits it into the proposed circuit: unit head, office's format check, Director.
        page.locator("#action-submit").click()
        page.locator("#submit-form").wait_for()
        kinds = [page.locator(f"#id_step-{index}-kind").input_value() for index in range(3)]
        assert kinds == ["UNIT_REVIEW", "FORMAT_CHECK", "APPROVAL"]
        assert page.locator("#id_step-0-assignee").input_value() == str(world.unit_leader.pk)
        assert page.locator("#id_step-2-assignee").input_value() == str(world.director.pk)
        page.screenshot(path=str(screenshots / "outgoing-submit-desktop.png"), full_page=True)
        page.locator("#submit-form #action-submit").click()
        page.locator("#outgoing-status").wait_for()
        assert _status(outgoing.pk) == "IN_REVIEW"

        # 2. The head of the unit reviews; 3. the office checks the format.
        for reviewer, note in ((world.unit_leader, "Nội dung phù hợp."), (world.clerk, "Đúng thể thức.")):
            _as(page, sign_in_with_cookie, reviewer)
            _open_detail(page, outgoing.pk)
            page.locator("#action-review").click()
            page.locator("#action-form").wait_for()
            page.locator("#id_comment").fill(note)
            page.locator("#action-form #action-submit").click()
            page.locator("#outgoing-status").wait_for()
        assert _status(outgoing.pk) == "AWAITING_SIGNATURE"

        # 4. The Director approves and signs through the signing agent.
        _as(page, sign_in_with_cookie, world.director)
        page.goto("/outgoing/?queue=to_sign")
        page.locator(f"a[href='/outgoing/{outgoing.pk}/']").first.click()
        page.locator("#action-sign").click()
        page.locator("#sign-form").wait_for()
        page.locator("#sign-form #action-submit").click()
        button = page.locator("#sign-agent-button")
        button.wait_for()
        page.screenshot(path=str(screenshots / "outgoing-sign-agent-desktop.png"), full_page=True)
        button.click()
        page.wait_for_url(re.compile(rf"/outgoing/{outgoing.pk}/$"), timeout=60_000)
        assert _status(outgoing.pk) == "SIGNED"

        # 5. The clerk numbers, seals and issues it.
        _as(page, sign_in_with_cookie, world.clerk)
        page.goto("/outgoing/?queue=to_issue")
        page.locator(f"a[href='/outgoing/{outgoing.pk}/']").first.click()
        page.locator("#action-start_issue").click()
        page.locator("#issue-card").wait_for()
        assert page.locator("#issue-number-preview").inner_text().strip() == "01"
        page.screenshot(path=str(screenshots / "outgoing-issue-desktop.png"), full_page=True)
        page.locator("#issue-form #action-submit").click()
        page.wait_for_url(re.compile(rf"/outgoing/{outgoing.pk}/$"), timeout=60_000)
        page.locator("#outgoing-status").wait_for()
        outgoing.refresh_from_db()
        document = outgoing.document
        assert outgoing.status == "ISSUED"
        assert document.number == 1
        assert document.number_symbol == "01/QĐ-STC"

        # The sender sees "arrived" for each recipient.
        page.reload()
        deliveries = page.locator(".delivery-line")
        deliveries.first.wait_for()
        assert deliveries.count() == 3
        for index in range(3):
            assert deliveries.nth(index).locator(".delivery-status").inner_text().startswith("01")
        page.screenshot(path=str(screenshots / "outgoing-issued-detail-desktop.png"), full_page=True)
        assert Delivery.objects.filter(document=document, status="01").count() == 3

        # 6. Each recipient agency's clerk finds it among the arrivals.
        for abbreviation, recipient_clerk in world.recipient_clerks.items():
            _as(page, sign_in_with_cookie, recipient_clerk)
            page.goto("/exchange/")
            row = page.locator(".arrival-row", has_text="01/QĐ-STC")
            row.first.wait_for()
            assert row.count() == 1, abbreviation
        page.screenshot(path=str(screenshots / "outgoing-arrivals-desktop.png"), full_page=True)

        # The issued PDF: both signatures valid; page 1 shows the number and the date.
        issued_sha256 = document.current_version.files.get(role="MAIN").pdf_id  # type: ignore[union-attr]
        issued = blob_read(sha256=issued_sha256)
        pki = world.pki
        with ThreadPoolExecutor(max_workers=1) as pool:
            report = pool.submit(
                lambda: verify_pdf(pdf=issued, trust_roots=[pki.root.der], other_certs=[pki.intermediate.der], now=now)
            ).result()
        assert report.signature_count == 2
        assert report.all_valid
        text = subprocess.run(  # noqa: S603 - poppler's pdftotext on our own bytes
            ["pdftotext", "-f", "1", "-l", "1", "-", "-"],  # noqa: S607 - poppler from the Debian packages
            input=issued,
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert "01/QĐ-STC" in text
        assert re.search(r"ngày \d\d tháng (0[12]|[3-9]|1[0-2]) năm \d{4}", text)  # months 1, 2 padded (App. I)

    def test_phone_look_at_the_main_screens(
        self,
        open_page: Any,
        outgoing_world: OutgoingWorld,
        sign_in_with_cookie: Any,
        screenshots: Path,
        frozen_clock: None,
        now: Any,
    ) -> None:
        """The queues, a draft's detail page, the draft form and the arrivals, on a phone."""
        from vanthu.documents.models import DocumentType
        from vanthu.documents.uploads import Upload
        from vanthu.outgoing.services.drafting import outgoing_create

        world = outgoing_world
        with world.pdf.open("rb") as content:
            outgoing = outgoing_create(
                agency=world.province.finance,
                document_type=DocumentType.objects.get(code="QĐ", agency__isnull=True),
                subject=SUBJECT,
                actor=world.officer,
                now=now,
                signer=world.director,
                signer_position="Giám đốc",
                signer_name=DIRECTOR_NAME,
                main=Upload(name="du-thao.pdf", content=content),
            )
        page = open_page(PHONE)
        sign_in_with_cookie(page, world.officer)
        page.goto("/outgoing/")
        page.locator("[data-testid=queue-mine]").wait_for()
        assert page.locator(f"a[href='/outgoing/{outgoing.pk}/']").count() >= 1
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / "outgoing-queues-phone.png"), full_page=True)
        _open_detail(page, outgoing.pk)
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / "outgoing-detail-phone.png"), full_page=True)
        page.goto("/outgoing/new/")
        page.locator("#draft-form").wait_for()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / "outgoing-draft-form-phone.png"), full_page=True)
        for person, path, form_id, name in (
            (world.clerk, "/outgoing/paper/", "#paper-form", "outgoing-paper-form-phone.png"),
            (world.director, "/outgoing/circuits/", "#circuit-form", "outgoing-circuits-phone.png"),
        ):
            page.context.clear_cookies()
            sign_in_with_cookie(page, person)
            page.goto(path)
            page.locator(form_id).wait_for()
            assert_no_horizontal_scroll(page)
            page.screenshot(path=str(screenshots / name), full_page=True)
        page.context.clear_cookies()
        sign_in_with_cookie(page, world.recipient_clerks["HT"])
        page.goto("/exchange/")
        page.locator("main").wait_for()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / "exchange-arrivals-phone.png"), full_page=True)
