"""The PDF writer and the statistical report: A4 landscape, Vietnamese text drawn and extractable,
the header on every page, long cells wrapped inside their column, page numbers, and the report's
heading, table, definitions and date line."""

from __future__ import annotations

import warnings
from datetime import UTC
from datetime import date
from datetime import datetime
from pathlib import Path

import pytest

from vanthu.reports.pdf import LEFT_MARGIN
from vanthu.reports.pdf import RIGHT_MARGIN
from vanthu.reports.pdf import PdfColumn
from vanthu.reports.pdf import PdfRow
from vanthu.reports.pdf import TablePdf
from vanthu.reports.pdf import clean
from vanthu.reports.pdf import report_pdf
from vanthu.reports.pdf import report_value
from vanthu.reports.pdf import vietnamese_date_line
from vanthu.reports.tables import Column
from vanthu.reports.tables import Definition
from vanthu.reports.tables import ReportTable
from vanthu.reports.tables import Row
from vanthu.reports.tables import ValueKind
from vanthu.reports.tests.pdf_tools import POINTS_PER_MM
from vanthu.reports.tests.pdf_tools import flat
from vanthu.reports.tests.pdf_tools import page_count
from vanthu.reports.tests.pdf_tools import page_size
from vanthu.reports.tests.pdf_tools import render_png
from vanthu.reports.tests.pdf_tools import text_of
from vanthu.reports.tests.pdf_tools import words_of

SUMMARY = (
    "Về việc triển khai thực hiện Kế hoạch chuyển đổi số năm 2026 của Ủy ban nhân dân tỉnh, bảo đảm "
    "100% văn bản được gửi, nhận dưới dạng điện tử, ký số đầy đủ, lưu trữ đúng quy định; đồng thời rà "
    "soát, cập nhật danh mục hồ sơ, thời hạn bảo quản và báo cáo kết quả thực hiện về Sở Tài chính trước "
    "ngày 15 hằng tháng"
)
COLUMNS = [
    PdfColumn("Số đến", 8, align="CENTER"),
    PdfColumn("Tác giả", 26),
    PdfColumn("Tên loại và trích yếu nội dung", 50),
    PdfColumn("Đơn vị hoặc người nhận", 28),
    PdfColumn("Ghi chú", 20),
]


def _table(rows: list[PdfRow], *, columns: list[PdfColumn] = COLUMNS) -> bytes:
    document = TablePdf(footer_text="SỔ THỬ")
    document.title_block("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", ["Năm 2026"])
    document.table_block(columns, rows, empty_text="Không có văn bản nào trong kỳ này.")
    return document.content()


def _rows(count: int) -> list[PdfRow]:
    return [
        PdfRow(cells=(f"{number:02d}", "Sở Y tế", f"Công văn số {number}: {SUMMARY}", "Phòng Ngân sách", ""))
        for number in range(1, count + 1)
    ]


def _report(rows: list[Row] | None = None) -> ReportTable:
    columns = [
        Column("out_issued", "Tổng số", "Văn bản đi"),
        Column("out_electronic_rate", "Tỷ lệ (%)", "Văn bản đi", ValueKind.RATE),
        Column("in_received", "Tổng số", "Văn bản đến"),
        Column("in_days", "Thời gian xử lý (ngày)", "Xử lý", ValueKind.DAYS),
    ]
    if rows is None:
        rows = [
            Row("Sở Y tế", {"out_issued": 1234, "out_electronic_rate": 97.25, "in_received": 0, "in_days": None}, 1),
            Row(
                "Sở Tài chính",
                {"out_issued": 56, "out_electronic_rate": None, "in_received": 7, "in_days": 2.0},
                2,
                note="gồm Sở Kế hoạch và Đầu tư (hợp nhất 01/03/2025)",
            ),
            Row("Toàn tỉnh", {"out_issued": 1290, "out_electronic_rate": 96.1, "in_received": 7}, is_total=True),
        ]
    return ReportTable(
        title="BÁO CÁO THỐNG KÊ TÌNH HÌNH GỬI, NHẬN, XỬ LÝ VĂN BẢN ĐIỆN TỬ",
        period_label="Tháng 11 năm 2026",
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        issuer="ỦY BAN NHÂN DÂN TỈNH THANH HÓA",
        addressee="Sở Tài chính",
        columns=columns,
        rows=rows,
        generated_at=datetime(2026, 11, 30, 20, 0, tzinfo=UTC),  # 1 December, 03:00 in Vietnam
        definitions=[Definition("Tỷ lệ (%)", "số văn bản điện tử chia cho tổng số văn bản đi, nhân 100.")],
    )


class TestTablePdf:
    def test_is_an_a4_landscape_pdf_that_poppler_renders(self, tmp_path: Path) -> None:
        content = _table(_rows(3))

        assert content.startswith(b"%PDF-")
        width, height = page_size(content)
        assert (round(width), round(height)) == (842, 595)
        png = render_png(content, tmp_path / "page.png")
        assert png.stat().st_size > 1000

    def test_the_vietnamese_text_is_drawn_and_extractable(self) -> None:
        text = flat(text_of(_table(_rows(1))))

        assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text
        assert "Tên loại và trích yếu nội dung" in text
        assert "Đơn vị hoặc người nhận" in text
        assert "Phòng Ngân sách" in text

    def test_a_300_character_summary_wraps_inside_its_column_and_nothing_is_lost(self) -> None:
        assert len(SUMMARY) >= 300
        content = _table(_rows(1))

        assert SUMMARY in flat(text_of(content))
        summary_words = [word for word in words_of(content) if word.text in {"ngày", "Về", "hằng", "tháng"}]
        assert len({round(word.y_min) for word in summary_words}) > 1  # on several lines
        width, _height = page_size(content)
        for word in words_of(content):
            assert word.x_min >= LEFT_MARGIN * POINTS_PER_MM - 1, word
            assert word.x_max <= width - RIGHT_MARGIN * POINTS_PER_MM + 1, word

    def test_a_long_word_is_broken_rather_than_overflowing(self) -> None:
        symbol = "12345/QĐ-UBND-" + "X" * 120
        content = _table([PdfRow(cells=("01", symbol, "Ngắn", "", ""))])

        width, _height = page_size(content)
        assert all(word.x_max <= width - RIGHT_MARGIN * POINTS_PER_MM + 1 for word in words_of(content))
        assert symbol in flat(text_of(content)).replace(" ", "")

    def test_a_row_taller_than_a_page_continues_on_the_next_pages_without_losing_text(self) -> None:
        recipients = "; ".join(f"Ủy ban nhân dân xã số {number}" for number in range(1, 201))
        content = _table([PdfRow(cells=("01", "Sở Y tế", "Về việc", recipients, "")), *_rows(1)])

        assert page_count(content) >= 3
        total = sum(column.width for column in COLUMNS)
        epw = 297 - LEFT_MARGIN - RIGHT_MARGIN
        left = (LEFT_MARGIN + 84 / total * epw) * POINTS_PER_MM  # the fourth column
        right = left + 28 / total * epw * POINTS_PER_MM
        words = words_of(content)
        numbers_row = {word.page: word.y_min for word in words if word.text == "(4)"}  # the header ends
        column = [
            word.text
            for word in words
            if left <= word.x_min and word.x_max <= right and word.y_min > numbers_row[word.page]
        ]
        assert " ".join(column) == f"{recipients} Phòng Ngân sách"  # then the next row
        assert "(tiếp)" in flat(text_of(content, page=2))
        assert "Tên loại và trích yếu nội dung" in flat(text_of(content, page=2))

    def test_the_header_is_repeated_on_every_page_with_page_numbers(self) -> None:
        content = _table(_rows(40))

        pages = page_count(content)
        assert pages >= 2
        for page in range(1, pages + 1):
            text = flat(text_of(content, page=page))
            assert "Tên loại và trích yếu nội dung" in text
            assert "(1) (2) (3) (4) (5)" in text
            assert f"Trang {page}/{pages}" in text
        assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" not in flat(text_of(content, page=2))  # the title only once
        assert "Công văn số 40:" in flat(text_of(content, page=pages))

    def test_the_left_margin_is_wider_for_binding(self) -> None:
        content = _table(_rows(2))

        width, _height = page_size(content)
        left = min(word.x_min for word in words_of(content))
        right = width - max(word.x_max for word in words_of(content))
        assert left >= 30 * POINTS_PER_MM - 1
        assert left > right

    def test_groups_give_a_two_level_header(self) -> None:
        columns = [
            PdfColumn("Cơ quan", 40),
            PdfColumn("Tổng số", 15, group="Văn bản đi"),
            PdfColumn("Điện tử", 15, group="Văn bản đi"),
            PdfColumn("Tổng số", 15, group="Văn bản đến"),
        ]
        content = _table([PdfRow(cells=("Sở Y tế", 3, 2, 1))], columns=columns)

        text = flat(text_of(content))
        assert text.count("Văn bản đi") == 1
        assert text.count("Văn bản đến") == 1
        assert text.count("Tổng số") == 2

    def test_no_rows_still_gives_a_pdf_saying_so(self) -> None:
        text = flat(text_of(_table([])))

        assert "Không có văn bản nào trong kỳ này." in text
        assert "Trang 1/1" in text

    def test_characters_the_fonts_lack_become_a_question_mark_without_a_warning(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            content = _table([PdfRow(cells=("01", "Sở Y tế 🏥", "Về việc 会议", "e\u0301", ""))])

        text = flat(text_of(content))
        assert "Sở Y tế ?" in text
        assert "Về việc ??" in text
        assert clean("e\u0301") == "é"  # a decomposed accent is composed before drawing


class TestReportPdf:
    def test_has_the_heading_title_period_and_addressee(self) -> None:
        text = flat(text_of(report_pdf(_report())))

        assert "ỦY BAN NHÂN DÂN TỈNH THANH HÓA" in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Độc lập - Tự do - Hạnh phúc" in text
        assert "BÁO CÁO THỐNG KÊ TÌNH HÌNH GỬI, NHẬN, XỬ LÝ VĂN BẢN ĐIỆN TỬ" in text
        assert "Tháng 11 năm 2026" in text
        assert "Từ ngày 01/11/2026 đến ngày 30/11/2026" in text
        assert "Kính gửi: Sở Tài chính" in text

    def test_the_table_shows_each_agency_with_its_values_in_vietnamese_notation(self) -> None:
        text = flat(text_of(report_pdf(_report())))

        assert "Văn bản đi" in text
        assert "Văn bản đến" in text
        assert "1 Sở Y tế 1.234 97,3 0 –" in text
        assert "2 Sở Tài chính (gồm Sở Kế hoạch và Đầu tư (hợp nhất 01/03/2025)) 56 – 7 2,0" in text
        assert "Toàn tỉnh 1.290 96,1 7 –" in text

    def test_definitions_follow_the_table_and_the_date_line_is_in_vietnam_time(self) -> None:
        text = flat(text_of(report_pdf(_report())))

        assert "Ghi chú: - Tỷ lệ (%): số văn bản điện tử chia cho tổng số văn bản đi, nhân 100." in text
        assert "Thanh Hóa, ngày 01 tháng 12 năm 2026" in text
        assert text.index("Toàn tỉnh") < text.index("Ghi chú:") < text.index("Thanh Hóa, ngày")

    def test_agencies_are_grouped_by_level_and_the_header_repeats_on_a_long_report(self) -> None:
        rows = [Row(f"Sở số {n}", {"out_issued": n}, n, level="Sở, ban, ngành") for n in range(1, 31)]
        rows += [Row(f"Xã số {n}", {"out_issued": n}, 100 + n, level="Xã, phường") for n in range(1, 31)]
        content = report_pdf(_report(rows))

        pages = page_count(content)
        assert pages >= 2
        assert "Văn bản đi" in flat(text_of(content, page=2))
        text = flat(text_of(content))
        assert text.index("Sở, ban, ngành 1 Sở số 1") < text.index("Xã, phường 31 Xã số 1")

    def test_an_empty_report_says_there_is_no_data(self) -> None:
        text = flat(text_of(report_pdf(_report(rows=[]))))

        assert "Không có số liệu trong kỳ báo cáo." in text


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (1234567, ValueKind.COUNT, "1.234.567"),
        (0, ValueKind.COUNT, "0"),
        (97.25, ValueKind.RATE, "97,3"),
        (100.0, ValueKind.RATE, "100,0"),
        (None, ValueKind.RATE, "–"),
        (2.04, ValueKind.DAYS, "2,0"),
    ],
)
def test_report_values_are_written_the_vietnamese_way(value: float | None, kind: ValueKind, expected: str) -> None:
    assert report_value(value, kind) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 2, 5), "Thanh Hóa, ngày 05 tháng 02 năm 2026"),
        (date(2026, 11, 12), "Thanh Hóa, ngày 12 tháng 11 năm 2026"),
        (date(2026, 3, 9), "Thanh Hóa, ngày 09 tháng 3 năm 2026"),
    ],
)
def test_the_date_line_follows_decree_30(day: date, expected: str) -> None:
    assert vietnamese_date_line("Thanh Hóa", day) == expected
