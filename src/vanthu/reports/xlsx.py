"""The statistical report (:class:`ReportTable`) as an XLSX workbook, laid out like the paper one:
the issuer on the left and the national motto on the right, the place and date, the title, the
period and the addressee; a two-level header (a group over its columns); one row per agency and
the totals in bold; rates as percentages and averages with one decimal; the definitions of the
numbers below the table. Printed on A4 landscape, fitted to the width, the header on every page.

The workbook is Vietnamese whatever the interface language, like the paper report it stands for.
"""

from __future__ import annotations

import math
from itertools import groupby

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment  # type: ignore[import-untyped]
from openpyxl.styles import Border
from openpyxl.styles import Font
from openpyxl.styles import PatternFill
from openpyxl.styles import Side
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from vanthu.core.clock import vietnam_time
from vanthu.documents.register_xlsx import date_text
from vanthu.documents.register_xlsx import print_a4_landscape
from vanthu.documents.register_xlsx import workbook_bytes
from vanthu.reports.tables import Column
from vanthu.reports.tables import ReportTable
from vanthu.reports.tables import Row
from vanthu.reports.tables import ValueKind

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NUMBER_HEADING = "STT"
AGENCY_HEADING = "Cơ quan, đơn vị"
NOTE_HEADING = "Ghi chú"
DEFINITIONS_HEADING = "Giải thích số liệu"
NO_VALUE = "—"

TITLE_ROW = 5
HEADER_ROW = 9  # the groups; their columns' labels on the next row
FIRST_DATA_ROW = HEADER_ROW + 2
FIRST_VALUE_COLUMN = 3  # after STT and the agency

NUMBER_FORMATS = {ValueKind.COUNT: "#,##0", ValueKind.RATE: "0.0%", ValueKind.DAYS: "0.0"}
WIDTHS = {"number": 6, "agency": 42, ValueKind.COUNT: 11, ValueKind.RATE: 11, ValueKind.DAYS: 11, "note": 34}

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill(fill_type="solid", start_color="E9ECEF", end_color="E9ECEF")
TOTAL_FILL = PatternFill(fill_type="solid", start_color="F8F9FA", end_color="F8F9FA")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")


def report_xlsx(table: ReportTable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = "Báo cáo"
    workbook.properties.title = table.title
    workbook.properties.creator = "Vanthu"
    has_notes = any(row.note for row in table.rows)
    last_column = max(FIRST_VALUE_COLUMN, FIRST_VALUE_COLUMN + len(table.columns) - 1 + (1 if has_notes else 0))

    _heading(sheet, table, last_column)
    _header(sheet, table.columns, has_notes=has_notes)
    after_table = _rows(sheet, table, has_notes=has_notes)
    widths = _column_widths(table.columns, has_notes=has_notes)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _definitions(sheet, table, first_row=after_table + 1, last_column=last_column, total_width=sum(widths))

    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=FIRST_VALUE_COLUMN)
    print_a4_landscape(sheet, title_rows=f"{HEADER_ROW}:{HEADER_ROW + 1}")
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    return workbook_bytes(workbook)


def date_line(table: ReportTable) -> str:
    """ "Thanh Hóa, ngày 05 tháng 01 năm 2027" (Decree 30: a leading zero on days below 10 and on
    January and February), from when the report was made, in Vietnam time."""
    moment = vietnam_time(table.generated_at)
    month = f"{moment.month:02d}" if moment.month < 3 else str(moment.month)  # noqa: PLR2004 - Decree 30
    return f"{table.place}, ngày {moment.day:02d} tháng {month} năm {moment.year}"


def _merge(sheet: Worksheet, row: int, first: int, last: int, value: object, *, font: Font | None = None) -> None:
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = sheet.cell(row=row, column=first, value=value)
    cell.alignment = CENTRE
    if font is not None:
        cell.font = font


def _heading(sheet: Worksheet, table: ReportTable, last_column: int) -> None:
    """Issuer left (over STT and the agency), nation and motto right, then title, period, addressee."""
    left_last = FIRST_VALUE_COLUMN - 1
    right_first = min(last_column, left_last + 1 + (last_column - left_last) // 2)
    _merge(sheet, 1, 1, left_last, table.issuer.upper(), font=Font(bold=True, size=12))
    _merge(sheet, 1, right_first, last_column, NATION, font=Font(bold=True, size=12))
    _merge(sheet, 2, right_first, last_column, MOTTO, font=Font(bold=True, size=13))
    _merge(sheet, 3, right_first, last_column, date_line(table), font=Font(italic=True))
    sheet.row_dimensions[1].height = 32
    dates = f"từ ngày {date_text(table.period_start)} đến ngày {date_text(table.period_end)}"
    period = f"Kỳ báo cáo: {table.period_label} ({dates})"
    _merge(sheet, TITLE_ROW, 1, last_column, table.title, font=Font(bold=True, size=14))
    sheet.row_dimensions[TITLE_ROW].height = 36
    _merge(sheet, TITLE_ROW + 1, 1, last_column, period, font=Font(italic=True))
    _merge(sheet, TITLE_ROW + 2, 1, last_column, f"Kính gửi: {table.addressee}")


def _header_cell(sheet: Worksheet, row: int, column: int, value: object, *, rows: int = 1, columns: int = 1) -> None:
    if rows > 1 or columns > 1:
        sheet.merge_cells(start_row=row, start_column=column, end_row=row + rows - 1, end_column=column + columns - 1)
    for each_row in range(row, row + rows):
        for each_column in range(column, column + columns):
            cell = sheet.cell(row=each_row, column=each_column)
            cell.border = BOX
            cell.fill = HEADER_FILL
    cell = sheet.cell(row=row, column=column, value=value)
    cell.font = Font(bold=True)
    cell.alignment = CENTRE


def _header(sheet: Worksheet, columns: list[Column], *, has_notes: bool) -> None:
    """Row HEADER_ROW: STT, the agency and each group over its (consecutive) columns; the next
    row: the columns' own labels. A column without a group takes both rows."""
    _header_cell(sheet, HEADER_ROW, 1, NUMBER_HEADING, rows=2)
    _header_cell(sheet, HEADER_ROW, 2, AGENCY_HEADING, rows=2)
    column = FIRST_VALUE_COLUMN
    for group, members in groupby(columns, key=lambda item: item.group):
        grouped = list(members)
        if group:
            _header_cell(sheet, HEADER_ROW, column, group, columns=len(grouped))
            for offset, item in enumerate(grouped):
                _header_cell(sheet, HEADER_ROW + 1, column + offset, item.label)
        else:
            for offset, item in enumerate(grouped):
                _header_cell(sheet, HEADER_ROW, column + offset, item.label, rows=2)
        column += len(grouped)
    if has_notes:
        _header_cell(sheet, HEADER_ROW, column, NOTE_HEADING, rows=2)
    sheet.row_dimensions[HEADER_ROW + 1].height = 45


def cell_value(value: int | float | None, kind: ValueKind) -> int | float | str:
    """What the cell holds: a count, a rate as a fraction (shown 12,5%), days; a dash if none."""
    if value is None:
        return NO_VALUE
    if kind == ValueKind.RATE:
        return round(value / 100, 6)
    return value


def _rows(sheet: Worksheet, table: ReportTable, *, has_notes: bool) -> int:
    """The agencies (numbered) and the totals (bold, not numbered); returns the row after them."""
    number = 0
    for index, row in enumerate(table.rows, start=FIRST_DATA_ROW):
        if not row.is_total:
            number += 1
        _row(sheet, index, row, table.columns, number=None if row.is_total else number, has_notes=has_notes)
    return FIRST_DATA_ROW + len(table.rows)


def _row(  # noqa: PLR0913 - one line of the table
    sheet: Worksheet, index: int, row: Row, columns: list[Column], *, number: int | None, has_notes: bool
) -> None:
    font = Font(bold=row.is_total)
    cells = [
        (sheet.cell(row=index, column=1, value=number), CENTRE),
        (sheet.cell(row=index, column=2, value=row.label), LEFT),
    ]
    for offset, column in enumerate(columns):
        value = row.values.get(column.key)
        cell = sheet.cell(row=index, column=FIRST_VALUE_COLUMN + offset, value=cell_value(value, column.kind))
        cell.number_format = NUMBER_FORMATS[column.kind]
        cells.append((cell, CENTRE if value is None else RIGHT))
    if has_notes:
        note = sheet.cell(row=index, column=FIRST_VALUE_COLUMN + len(columns), value=row.note or None)
        cells.append((note, LEFT))
    for cell, alignment in cells:
        cell.border = BOX
        cell.font = font
        cell.alignment = alignment
        if row.is_total:
            cell.fill = TOTAL_FILL


def _definitions(sheet: Worksheet, table: ReportTable, *, first_row: int, last_column: int, total_width: float) -> None:
    """Below the table: what each number counts, one merged and wrapped row each, then when the
    numbers were gathered."""
    row = first_row
    if table.definitions:
        sheet.cell(row=row, column=1, value=f"{DEFINITIONS_HEADING}:").font = Font(bold=True)
        row += 1
        characters_per_line = max(40, int(total_width * 1.1))
        for definition in table.definitions:
            text = f"- {definition.label}: {definition.text}"
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
            cell = sheet.cell(row=row, column=1, value=text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.row_dimensions[row].height = 15 * math.ceil(len(text) / characters_per_line)
            row += 1
    moment = vietnam_time(table.generated_at)
    gathered = f"Số liệu tổng hợp lúc {moment:%H:%M} ngày {date_text(moment.date())}."
    sheet.cell(row=row + 1, column=1, value=gathered).font = Font(italic=True, size=9)


def _column_widths(columns: list[Column], *, has_notes: bool) -> list[float]:
    widths: list[float] = [WIDTHS["number"], WIDTHS["agency"]]
    widths += [WIDTHS[column.kind] for column in columns]
    if has_notes:
        widths.append(WIDTHS["note"])
    return widths
