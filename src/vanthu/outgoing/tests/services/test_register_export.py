"""The outgoing register: every number in order (used, reserved, cancelled with its reason) and the
XLSX with the ten columns of Appendix IV."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from vanthu.documents.models import EntryStatus
from vanthu.documents.services import numbering
from vanthu.outgoing.register_export import HEADERS
from vanthu.outgoing.register_export import outgoing_register_rows
from vanthu.outgoing.register_export import outgoing_register_xlsx
from vanthu.outgoing.services import issuance
from vanthu.outgoing.tests.issuance_support import signed_outgoing

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(clerk: Any, officer: Any, agency: Any, other_agency: Any, now: datetime) -> Any:
    first = signed_outgoing(agency=agency, drafter=officer, now=now, recipients=[other_agency])
    first = issuance.outgoing_issue_start(outgoing=first, actor=clerk, now=now)
    cancelled = issuance.outgoing_issue_start(
        outgoing=signed_outgoing(agency=agency, drafter=officer, now=now), actor=clerk, now=now
    )
    issuance.outgoing_issue_cancel(outgoing=cancelled, reason="Sai thể thức", actor=clerk, now=now)
    numbering.number_reserve(register=first.register, count=1, note="Cho Chỉ thị", actor=clerk, now=now)
    return first.register


class TestOutgoingRegisterRows:
    def test_lists_every_number_with_the_cancelled_one_explained(self, register: Any) -> None:
        with CaptureQueriesContext(connection) as queries:
            rows = outgoing_register_rows(register=register)

        assert len(queries) <= 4
        assert [row.number for row in rows] == [1, 2, 3]
        assert [row.status for row in rows] == [EntryStatus.USED, EntryStatus.CANCELLED, EntryStatus.RESERVED]
        assert rows[0].number_symbol == "01/QĐ-STC"
        assert rows[0].recipients == "Sở Y tế"
        assert rows[0].type_and_subject.startswith("Quyết định: ")
        assert rows[1].note == "Số đã hủy: Sai thể thức"
        assert rows[2].note == "Số giữ trước: Cho Chỉ thị"


class TestOutgoingRegisterXlsx:
    def test_opens_with_the_title_and_the_ten_headers(self, register: Any) -> None:
        data = outgoing_register_xlsx(register=register, rows=outgoing_register_rows(register=register))

        sheet = load_workbook(io.BytesIO(data)).active
        assert sheet["A2"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
        assert tuple(cell.value for cell in sheet[5]) == HEADERS
        assert len(HEADERS) == 10
        assert sheet["A6"].value == "01/QĐ-STC"
        assert sheet["J7"].value == "Số đã hủy: Sai thể thức"
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.freeze_panes == "A6"
