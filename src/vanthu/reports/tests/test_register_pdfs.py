"""The registers printed as PDF (/reports/registers/…): the outgoing, incoming, follow-up and post
registers of a period, with the rows of their screens, for exactly those who may read the screens;
a period with nothing gives a PDF saying so, a period that cannot be read a 400 page."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from vanthu.documents.models import Register
from vanthu.documents.models import RegisterScope
from vanthu.exchange.tests.conftest import signed_in
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.register_export import IncomingRegisterRow
from vanthu.incoming.services.registration import incoming_register
from vanthu.incoming.tests.factories import arrived
from vanthu.incoming.tests.factories import put_in_status
from vanthu.org.models import Role
from vanthu.org.tests.factories import person_with_role
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.tests.test_selectors import make_outgoing
from vanthu.reports import registers
from vanthu.reports.tests.pdf_tools import flat
from vanthu.reports.tests.pdf_tools import page_count
from vanthu.reports.tests.pdf_tools import render_png
from vanthu.reports.tests.pdf_tools import text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

SUBJECT = "Về việc hướng dẫn quyết toán ngân sách xã năm 2025"
EMPTY = "Không có văn bản nào trong kỳ này."


def _pdf_text(response: Any) -> str:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return flat(text_of(response.content))


@pytest.fixture
def sent(agency: Any, clerk: Any, other_agency: Any, now: Any) -> Any:
    """A decision of the Sở Tài chính sent to the Sở Y tế (inside the province) and by post to a
    ministry (as in the exchange tests)."""
    from vanthu.documents.models import Channel
    from vanthu.documents.models import DocumentRecipient
    from vanthu.exchange.services import deliveries_send
    from vanthu.exchange.tests.factories import agency_recipient
    from vanthu.exchange.tests.factories import external_recipient
    from vanthu.exchange.tests.factories import issued_document
    from vanthu.exchange.tests.factories import stored_pdf

    document = issued_document(agency=agency, created_by=clerk)
    agency_recipient(document, other_agency)
    external_recipient(document, name="Bộ Tài chính", channel=Channel.POST, address="28 Trần Hưng Đạo", ordinal=1)
    recipients = list(DocumentRecipient.objects.filter(document=document))
    return deliveries_send(
        document=document, recipients=recipients, blob_sha256=stored_pdf(now).sha256, actor=clerk, now=now
    )


@pytest.fixture
def recipient_clerk(other_agency: Any) -> Any:
    return person_with_role(Role.CLERK, other_agency, full_name="Nguyễn Thị Văn Thư Nhận")


@pytest.fixture
def registered(agency: Any, other_agency: Any, clerk: Any, now: Any) -> list[Incoming]:
    """Two documents of the Sở Y tế registered on 10/03/2026 by the Sở Tài chính's clerk."""
    found = []
    for subject in (SUBJECT, "Về việc kiểm tra công tác văn thư"):
        incoming = arrived(sender=other_agency, recipient=agency, now=now, subject=subject)
        found.append(incoming_register(incoming=incoming, actor=clerk, now=now))
    return found


@pytest.fixture
def incoming_register_of(registered: list[Incoming]) -> Register:
    register = registered[0].register
    assert register is not None
    return register


class TestOutgoingRegisterPdf:
    def test_the_clerk_prints_the_register_with_its_numbers(self, agency: Any, officer: Any, clerk: Any) -> None:
        issued = make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.ISSUED)
        issued.document.subject = SUBJECT
        issued.document.save(update_fields=["subject"])

        response = signed_in(clerk).get(reverse("reports:register_outgoing_pdf", args=[issued.register_id]))

        text = _pdf_text(response)
        assert "SỞ TÀI CHÍNH" in text
        assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text
        assert "Sổ văn bản đi — Năm 2026" in text
        assert "Tên loại và trích yếu nội dung văn bản" in text
        assert SUBJECT in text
        assert f"01/{issued.document.symbol}" in text
        assert "Từ số 01 đến số 01" in text
        assert 'filename="so-van-ban-di-2026-' in response["Content-Disposition"]

    def test_the_agency_leader_may_print_it_too(self, agency: Any, officer: Any, agency_leader: Any) -> None:
        issued = make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.ISSUED)

        response = signed_in(agency_leader).get(reverse("reports:register_outgoing_pdf", args=[issued.register_id]))

        assert response.status_code == 200

    def test_is_a_404_for_an_officer_and_for_another_agency(
        self, agency: Any, officer: Any, other_agency: Any, outsider: Any
    ) -> None:
        issued = make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.ISSUED)
        url = reverse("reports:register_outgoing_pdf", args=[issued.register_id])
        stranger = person_with_role(Role.CLERK, other_agency)

        for person in (officer, stranger, outsider):
            response = signed_in(person).get(url)
            assert response.status_code == 404
            assert not response.content.startswith(b"%PDF")

    def test_a_month_keeps_the_numbers_taken_in_it(self, agency: Any, officer: Any, clerk: Any) -> None:
        issued = make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.ISSUED)  # taken 01/03/2026
        url = reverse("reports:register_outgoing_pdf", args=[issued.register_id])

        march = _pdf_text(signed_in(clerk).get(url, {"month": 3}))
        april = _pdf_text(signed_in(clerk).get(url, {"month": 4}))

        assert "Tháng 3 năm 2026" in march
        assert f"01/{issued.document.symbol}" in march
        assert "Tháng 4 năm 2026" in april
        assert f"01/{issued.document.symbol}" not in april
        assert EMPTY in april

    def test_is_refused_when_signed_out(self, agency: Any, officer: Any, client: Any) -> None:
        issued = make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.ISSUED)

        response = client.get(reverse("reports:register_outgoing_pdf", args=[issued.register_id]))

        assert response.status_code == 302
        assert "login" in response["Location"]


class TestIncomingRegisterPdf:
    def test_has_the_ten_columns_and_the_registered_documents(self, incoming_register_of: Register, clerk: Any) -> None:
        response = signed_in(clerk).get(reverse("reports:register_incoming_pdf", args=[incoming_register_of.pk]))

        text = _pdf_text(response)
        assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text
        for heading in ("Ngày đến", "Số đến", "Tác giả", "Đơn vị hoặc người nhận", "Ký nhận", "Ghi chú"):
            assert heading in text
        assert "(10)" in text
        assert "Sở Y tế" in text
        assert SUBJECT in text
        assert "Về việc kiểm tra công tác văn thư" in text
        assert "Từ số 01 đến số 02" in text

    def test_a_range_of_days_keeps_what_arrived_in_it(self, incoming_register_of: Register, clerk: Any) -> None:
        url = reverse("reports:register_incoming_pdf", args=[incoming_register_of.pk])
        client = signed_in(clerk)

        inside = _pdf_text(client.get(url, {"from": "2026-03-10", "to": "10/03/2026"}))
        before = _pdf_text(client.get(url, {"from": "01/03/2026", "to": "09/03/2026"}))

        assert "Từ ngày 10/03/2026 đến ngày 10/03/2026" in inside
        assert SUBJECT in inside
        assert SUBJECT not in before
        assert EMPTY in before

    def test_an_officer_and_another_agency_get_a_404(
        self, incoming_register_of: Register, officer: Any, other_agency: Any
    ) -> None:
        url = reverse("reports:register_incoming_pdf", args=[incoming_register_of.pk])
        for person in (officer, person_with_role(Role.CLERK, other_agency)):
            assert signed_in(person).get(url).status_code == 404
            assert (
                signed_in(person)
                .get(reverse("reports:register_follow_up_pdf", args=[incoming_register_of.pk]))
                .status_code
                == 404
            )

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ({"month": "13"}, "The month must be a number from 1 to 12."),
            ({"month": "x"}, "The month must be a number from 1 to 12."),
            ({"from": "2026-02-30"}, "A date must be written as 31/12/2026 or 2026-12-31."),
            ({"from": "ngày mai"}, "A date must be written as 31/12/2026 or 2026-12-31."),
            ({"from": "01/01/2025"}, "The period must lie within the year of the register."),
            ({"from": "2026-05-01", "to": "2026-04-01"}, "The first day of the period comes after its last day."),
            ({"month": "3", "from": "2026-03-01"}, "Choose either a month or a range of dates, not both."),
        ],
    )
    def test_a_period_that_cannot_be_read_is_a_400_page_saying_why(
        self, incoming_register_of: Register, clerk: Any, query: dict[str, str], message: str
    ) -> None:
        response = signed_in(clerk).get(reverse("reports:register_incoming_pdf", args=[incoming_register_of.pk]), query)

        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        assert 'id="error-page"' in response.content.decode()
        assert gettext(message) in response.content.decode()

    def test_a_long_register_repeats_its_header_on_every_page(self, agency: Any) -> None:
        register = Register.objects.create(
            agency=agency, year=2026, scope=RegisterScope.INCOMING, code="DEN", name="Sổ văn bản đến"
        )
        rows = [
            IncomingRegisterRow(
                arrival_date=date(2026, 3, 10),
                arrival_number=number,
                author="Sở Y tế",
                number_symbol=f"{number}/SYT-VP",
                document_date=date(2026, 3, 9),
                type_and_subject=f"Công văn: {SUBJECT} (lần {number}), đề nghị các cơ quan, đơn vị phối hợp thực hiện",
                receivers="Phòng Ngân sách (chủ trì)",
                transfer_date=None,
                signed_for="",
                note="",
                status=IncomingStatus.REGISTERED,
            )
            for number in range(1, 61)
        ]
        period = registers.period_parse({}, year=2026)

        content = registers.incoming_register_pdf(register=register, rows=rows, period=period)

        pages = page_count(content)
        assert pages >= 3
        for page in range(2, pages + 1):
            text = flat(text_of(content, page=page))
            assert "Tên loại và trích yếu nội dung" in text
            assert "Đơn vị hoặc người nhận" in text
            assert f"Trang {page}/{pages}" in text
        assert "(lần 60)" in flat(text_of(content, page=pages))


class TestFollowUpRegisterPdf:
    def test_shows_the_deadline_and_the_progress(
        self, registered: list[Incoming], incoming_register_of: Register, agency_leader: Any, officer: Any, now: Any
    ) -> None:
        put_in_status(registered[0], IncomingStatus.IN_PROGRESS, now=now, lead=officer, leader=agency_leader)
        Incoming.objects.filter(pk=registered[0].pk).update(due_date=date(2026, 3, 6))

        response = signed_in(agency_leader).get(
            reverse("reports:register_follow_up_pdf", args=[incoming_register_of.pk]), {"month": "3"}
        )

        text = _pdf_text(response)
        assert "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN" in text
        assert "Thời hạn giải quyết" in text
        assert "Tiến độ giải quyết" in text
        assert "06/03/2026" in text
        assert "Đang giải quyết" in text
        assert "Quá hạn" in text
        assert "Hoàng Văn Chuyên Viên (chủ trì)" in text


class TestPostRegisterPdf:
    def test_lists_the_letters_sent_by_post(self, sent: Any, clerk: Any, agency: Any) -> None:
        response = signed_in(clerk).get(reverse("reports:register_post_pdf"), {"agency": agency.pk, "year": 2026})

        text = _pdf_text(response)
        assert "SỔ GỬI VĂN BẢN ĐI BƯU ĐIỆN" in text
        assert "Ký nhận và dấu bưu điện" in text
        assert "Bộ Tài chính 28 Trần Hưng Đạo" in text
        assert "05/QĐ-STC" in text
        assert "Sở Y tế" not in text.split("Ghi chú")[-1]  # delivered electronically, not by post

    def test_another_year_gives_a_pdf_saying_it_is_empty(self, sent: Any, clerk: Any) -> None:
        text = _pdf_text(signed_in(clerk).get(reverse("reports:register_post_pdf"), {"year": 2025}))

        assert "Năm 2025" in text
        assert EMPTY in text

    def test_is_a_404_for_an_officer_and_for_another_agency(
        self, sent: Any, officer: Any, agency: Any, recipient_clerk: Any
    ) -> None:
        url = reverse("reports:register_post_pdf")
        assert signed_in(officer).get(url, {"agency": agency.pk}).status_code == 404
        assert signed_in(recipient_clerk).get(url, {"agency": agency.pk}).status_code == 404

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ({"year": "abc"}, "The year must be a number from 2000 to 2100."),
            ({"year": "1999"}, "The year must be a number from 2000 to 2100."),
            ({"agency": "STC"}, "The agency must be given by its number."),
        ],
    )
    def test_bad_parameters_are_a_400_page(self, sent: Any, clerk: Any, query: dict[str, str], message: str) -> None:
        response = signed_in(clerk).get(reverse("reports:register_post_pdf"), query)

        assert response.status_code == 400
        assert gettext(message) in response.content.decode()


class TestPrintButtons:
    def test_each_register_screen_offers_its_pdf(
        self, sent: Any, incoming_register_of: Register, agency: Any, officer: Any, clerk: Any
    ) -> None:
        issued = make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.ISSUED)
        client = signed_in(clerk)
        expected = {
            reverse("outgoing:register") + "?year=2026": reverse(
                "reports:register_outgoing_pdf", args=[issued.register_id]
            ),
            reverse("incoming:register") + "?year=2026&month=3": reverse(
                "reports:register_incoming_pdf", args=[incoming_register_of.pk]
            )
            + "?month=3",
            reverse("incoming:register") + "?year=2026&month=3&kind=follow_up": reverse(
                "reports:register_follow_up_pdf", args=[incoming_register_of.pk]
            )
            + "?month=3",
            reverse("exchange:post_register") + "?year=2026": reverse("reports:register_post_pdf")
            + f"?agency={agency.pk}&amp;year=2026",
        }
        for screen, pdf in expected.items():
            html = client.get(screen).content.decode()
            assert f'href="{pdf}"' in html, screen
            assert 'id="register-pdf"' in html


def test_the_first_page_renders_as_an_image(incoming_register_of: Register, clerk: Any, tmp_path: Any) -> None:
    response = signed_in(clerk).get(reverse("reports:register_incoming_pdf", args=[incoming_register_of.pk]))

    png = render_png(response.content, tmp_path / "so-den.png")

    assert png.read_bytes().startswith(b"\x89PNG")


def test_the_period_moments_are_days_in_vietnam() -> None:
    period = registers.period_parse({"month": "2"}, year=2028)  # a leap year

    start, end = period.moments
    assert period.end == date(2028, 2, 29)
    assert start.astimezone(UTC) == datetime(2028, 1, 31, 17, 0, tzinfo=UTC)  # 00:00 on 1 February in Vietnam
    assert end.astimezone(UTC) == datetime(2028, 2, 29, 16, 59, 59, 999999, tzinfo=UTC)
