"""A register (sổ) as an XLSX workbook, Decree 30 Appendix IV style: the agency, the title, the
register's name and year, one bold header row with the given columns, wrapped cells, the header
repeated on every printed page, A4 landscape fitted to the width. The outgoing, incoming and
follow-up registers give their own columns and rows."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment  # type: ignore[import-untyped]
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from vanthu.documents.models import Register

HEADER_ROW = 5


def date_text(day: date | None) -> str:
    """ "05/01/2026", or empty."""
    return day.strftime("%d/%m/%Y") if day is not None else ""


def register_workbook(  # noqa: PLR0913 - the sheet's parts
    *,
    register: Register,
    sheet_title: str,
    title: str,
    headers: Sequence[str],
    widths: Sequence[int],
    rows: Sequence[Sequence[object]],
) -> bytes:
    return table_workbook(
        heading=register.agency.name.upper(),
        title=title,
        subtitle=f"{register.name} — Năm {register.year}",
        sheet_title=sheet_title,
        headers=headers,
        widths=widths,
        rows=rows,
    )


def table_workbook(  # noqa: PLR0913 - the sheet's parts
    *,
    heading: str,
    title: str,
    subtitle: str,
    sheet_title: str,
    headers: Sequence[str],
    widths: Sequence[int],
    rows: Sequence[Sequence[object]],
) -> bytes:
    """A table with a heading (the agency), a title and a subtitle above its header row."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = sheet_title
    last = get_column_letter(len(headers))
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = heading
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"] = title
    sheet["A2"].font = Font(bold=True, size=14)
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A3:{last}3")
    sheet["A3"] = subtitle
    sheet["A3"].alignment = Alignment(horizontal="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=HEADER_ROW + offset, column=column, value=value).alignment = wrap
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    print_a4_landscape(sheet, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    return workbook_bytes(workbook)


def print_a4_landscape(sheet: Worksheet, *, title_rows: str) -> None:
    """Printed on A4 landscape, fitted to the page's width, the header rows on every page."""
    sheet.print_title_rows = title_rows
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def workbook_bytes(workbook: Workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
