"""The incoming register (10 columns) and the follow-up register (7 columns) of Appendix IV: rows in
arrival-number order, receivers, deadlines, progress, replies, and their XLSX."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest

from vanthu.documents.models import Direction
from vanthu.documents.tests.factories import make_document
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.register_export import FOLLOW_UP_HEADERS
from vanthu.incoming.register_export import INCOMING_HEADERS
from vanthu.incoming.register_export import follow_up_rows
from vanthu.incoming.register_export import follow_up_xlsx
from vanthu.incoming.register_export import incoming_register_rows
from vanthu.incoming.register_export import incoming_register_xlsx
from vanthu.incoming.services.registration import incoming_register
from vanthu.incoming.tests.factories import arrived
from vanthu.incoming.tests.factories import put_in_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(agency: Any, other_agency: Any, clerk: Any, now: Any) -> list[Incoming]:
    found = []
    for subject in ("Về việc thứ nhất", "Về việc thứ hai"):
        incoming = arrived(sender=other_agency, recipient=agency, now=now, subject=subject)
        found.append(incoming_register(incoming=incoming, actor=clerk, now=now))
    return found


class TestIncomingRegister:
    def test_the_rows_follow_the_arrival_numbers_with_the_sender_and_the_summary(
        self, registered: list[Incoming], other_agency: Any
    ) -> None:
        assert registered[0].register is not None
        rows = incoming_register_rows(register=registered[0].register)

        assert [row.arrival_number for row in rows] == [1, 2]
        assert rows[0].author == other_agency.name
        assert rows[0].arrival_date == date(2026, 3, 10)
        assert rows[1].type_and_subject.endswith("Về việc thứ hai")

    def test_the_xlsx_has_the_ten_columns_of_appendix_iv(self, registered: list[Incoming]) -> None:
        register = registered[0].register
        assert register is not None
        content = incoming_register_xlsx(register=register, rows=incoming_register_rows(register=register))

        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert sheet["A2"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
        assert [sheet.cell(row=5, column=c).value for c in range(1, 11)] == list(INCOMING_HEADERS)
        assert len(INCOMING_HEADERS) == 10
        assert sheet.cell(row=6, column=2).value == 1
        assert sheet.cell(row=7, column=2).value == 2


class TestFollowUpRegister:
    def test_progress_deadline_and_the_reply_are_followed(
        self, registered: list[Incoming], agency: Any, agency_leader: Any, officer: Any, clerk: Any, now: Any
    ) -> None:
        first, second = registered
        put_in_status(first, IncomingStatus.IN_PROGRESS, now=now, lead=officer, leader=agency_leader)
        Incoming.objects.filter(pk=first.pk).update(due_date=date(2026, 3, 6))
        make_document(
            agency=agency,
            actor=clerk,
            now=now,
            direction=Direction.OUTGOING,
            number=7,
            symbol="STC-NS",
            reply_to=second.document,
            subject="Trả lời",
        )
        assert first.register is not None

        rows = follow_up_rows(register=first.register, today=date(2026, 3, 10))

        assert rows[0].is_overdue
        assert rows[0].note == "Quá hạn"
        assert "Hoàng Văn Chuyên Viên (chủ trì)" in rows[0].receivers
        assert rows[0].progress == "Đang giải quyết"
        assert rows[1].reply == "07/STC-NS"
        assert not rows[1].is_overdue

    def test_the_xlsx_has_the_seven_columns(self, registered: list[Incoming]) -> None:
        register = registered[0].register
        assert register is not None
        content = follow_up_xlsx(register=register, rows=follow_up_rows(register=register, today=date(2026, 3, 10)))

        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert [sheet.cell(row=5, column=c).value for c in range(1, 8)] == list(FOLLOW_UP_HEADERS)
        assert sheet.cell(row=7, column=1).value == 2
