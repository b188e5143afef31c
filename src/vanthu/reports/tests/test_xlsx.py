"""The statistical report as XLSX: read back with openpyxl as a spreadsheet user would see it."""

from __future__ import annotations

import io
from datetime import UTC
from datetime import date
from datetime import datetime

import pytest
from openpyxl import load_workbook

from vanthu.reports.tables import Column
from vanthu.reports.tables import Definition
from vanthu.reports.tables import ReportTable
from vanthu.reports.tables import Row
from vanthu.reports.tables import ValueKind
from vanthu.reports.xlsx import report_xlsx

COLUMNS = [
    Column("out_issued", "Tổng số", "Văn bản đi"),
    Column("out_electronic", "Điện tử", "Văn bản đi"),
    Column("out_electronic_rate", "Tỷ lệ (%)", "Văn bản đi", ValueKind.RATE),
    Column("in_received", "Tổng số", "Văn bản đến"),
    Column("in_days", "Thời gian xử lý trung bình (ngày)", "Văn bản đến", ValueKind.DAYS),
    Column("signatures", "Chữ ký số", ""),
]


def monthly_report(**changes: object) -> ReportTable:
    fields: dict[str, object] = {
        "title": "BÁO CÁO THỐNG KÊ TÌNH HÌNH GỬI, NHẬN, XỬ LÝ VĂN BẢN ĐIỆN TỬ",
        "period_label": "Tháng 12 năm 2026",
        "period_start": date(2026, 12, 1),
        "period_end": date(2026, 12, 31),
        "issuer": "Ủy ban nhân dân tỉnh Thanh Hóa",
        "addressee": "Sở Tài chính",
        "columns": COLUMNS,
        "rows": [
            Row(
                "Sở Y tế",
                {
                    "out_issued": 1200,
                    "out_electronic": 1110,
                    "out_electronic_rate": 92.5,
                    "in_received": 3400,
                    "in_days": 3.5,
                    "signatures": 980,
                },
                agency_id=7,
                level="Sở, ban, ngành",
            ),
            Row(
                "Phường Hạc Thành",
                {
                    "out_issued": 0,
                    "out_electronic": 0,
                    "out_electronic_rate": None,
                    "in_received": 15,
                    "in_days": None,
                    "signatures": 0,
                },
                agency_id=9,
                level="Xã, phường",
                note="gồm Phường Điện Biên (hợp nhất 01/07/2025)",
            ),
            Row(
                "Toàn tỉnh",
                {
                    "out_issued": 1200,
                    "out_electronic": 1110,
                    "out_electronic_rate": 92.5,
                    "in_received": 3415,
                    "in_days": 3.5,
                    "signatures": 980,
                },
                is_total=True,
            ),
        ],
        "generated_at": datetime(2027, 1, 4, 20, 30, tzinfo=UTC),  # 03:30 on 5 January in Vietnam
        "definitions": [
            Definition("Tỷ lệ (%)", "Số văn bản đi điện tử chia cho tổng số văn bản đi trong kỳ."),
        ],
    }
    fields |= changes
    return ReportTable(**fields)  # type: ignore[arg-type]


@pytest.fixture
def sheet():
    workbook = load_workbook(io.BytesIO(report_xlsx(monthly_report())))
    return workbook.active


def texts(sheet) -> list[str]:
    return [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]


class TestReportXlsxHeading:
    def test_has_the_issuer_on_the_left_and_the_national_motto_on_the_right(self, sheet):
        assert sheet["A1"].value == "ỦY BAN NHÂN DÂN TỈNH THANH HÓA"
        right = [cell.value for row in sheet.iter_rows(min_row=1, max_row=3, min_col=4) for cell in row if cell.value]
        assert right == [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Thanh Hóa, ngày 05 tháng 01 năm 2027",  # the date in Vietnam, Decree 30 zeros
        ]

    def test_has_the_title_period_and_addressee(self, sheet):
        assert sheet["A5"].value == "BÁO CÁO THỐNG KÊ TÌNH HÌNH GỬI, NHẬN, XỬ LÝ VĂN BẢN ĐIỆN TỬ"
        assert sheet["A5"].font.bold
        assert sheet["A6"].value == "Kỳ báo cáo: Tháng 12 năm 2026 (từ ngày 01/12/2026 đến ngày 31/12/2026)"
        assert sheet["A7"].value == "Kính gửi: Sở Tài chính"
        assert "A5:I5" in {str(merged) for merged in sheet.merged_cells.ranges}

    def test_puts_each_group_over_its_columns(self, sheet):
        merged = {str(cells) for cells in sheet.merged_cells.ranges}
        assert sheet["C9"].value == "Văn bản đi"
        assert "C9:E9" in merged
        assert sheet["F9"].value == "Văn bản đến"
        assert "F9:G9" in merged
        assert [sheet.cell(row=10, column=column).value for column in range(3, 8)] == [
            "Tổng số",
            "Điện tử",
            "Tỷ lệ (%)",
            "Tổng số",
            "Thời gian xử lý trung bình (ngày)",
        ]

    def test_a_column_without_group_and_the_fixed_columns_take_both_header_rows(self, sheet):
        merged = {str(cells) for cells in sheet.merged_cells.ranges}
        assert (sheet["A9"].value, sheet["B9"].value, sheet["H9"].value, sheet["I9"].value) == (
            "STT",
            "Cơ quan, đơn vị",
            "Chữ ký số",
            "Ghi chú",
        )
        assert {"A9:A10", "B9:B10", "H9:H10", "I9:I10"} <= merged


class TestReportXlsxRows:
    def test_an_agency_row_holds_its_numbers(self, sheet):
        values = [cell.value for cell in sheet[11]]
        assert values == [1, "Sở Y tế", 1200, 1110, 0.925, 3400, 3.5, 980, None]

    def test_rates_are_percentages_with_one_decimal(self, sheet):
        assert sheet["E11"].number_format == "0.0%"
        assert sheet["E11"].value == pytest.approx(0.925)  # shown 92.5%

    def test_averages_have_one_decimal_and_counts_none(self, sheet):
        assert sheet["G11"].number_format == "0.0"
        assert sheet["C11"].number_format == "#,##0"

    def test_a_rate_without_base_is_a_dash_not_zero(self, sheet):
        assert sheet["E12"].value == "—"
        assert sheet["G12"].value == "—"
        assert sheet["C12"].value == 0

    def test_keeps_the_note_of_a_merged_agency(self, sheet):
        assert sheet["I12"].value == "gồm Phường Điện Biên (hợp nhất 01/07/2025)"

    def test_totals_are_bold_and_not_numbered(self, sheet):
        assert sheet["B13"].value == "Toàn tỉnh"
        assert sheet["A13"].value is None
        assert all(cell.font.bold for cell in sheet[13])
        assert not any(cell.font.bold for cell in sheet[11])

    def test_without_notes_there_is_no_note_column(self):
        rows = [Row("Sở Y tế", {"out_issued": 1})]
        sheet = load_workbook(io.BytesIO(report_xlsx(monthly_report(rows=rows)))).active

        assert "Ghi chú" not in texts(sheet)
        assert sheet.max_column == 8


class TestReportXlsxLayout:
    def test_the_header_and_agency_names_stay_in_view(self, sheet):
        assert sheet.freeze_panes == "C11"

    def test_prints_on_a4_landscape_fitted_to_the_width_with_the_header_on_each_page(self, sheet):
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$9:$10"

    def test_columns_have_widths_for_their_content(self, sheet):
        assert (
            sheet.column_dimensions["B"].width > sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width
        )

    def test_explains_the_numbers_below_the_table(self, sheet):
        lines = texts(sheet)
        assert "Giải thích số liệu:" in lines
        assert "- Tỷ lệ (%): Số văn bản đi điện tử chia cho tổng số văn bản đi trong kỳ." in lines
        assert "Số liệu tổng hợp lúc 03:30 ngày 05/01/2027." in lines
        assert sheet["A15"].value == "Giải thích số liệu:"  # a blank row after the table's last (13)
