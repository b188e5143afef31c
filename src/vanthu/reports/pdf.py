"""Print-ready PDFs: a small A4-landscape table writer on fpdf2, and the statistical report.

:class:`TablePdf` lays out what Decree 30 asks of a printed register or report: the agency's heading
(with the national heading when the document is an administrative one, such as a report), a title,
the period, a table whose header (one or two levels) is repeated on every page and whose rows wrap
long text, page numbers “Trang x/y”, and a wider left margin for binding. The text is Vietnamese
whatever the interface language: these are the legal forms' own words.

:func:`report_pdf` renders a :class:`~vanthu.reports.tables.ReportTable`; the registers are
rendered by ``reports.registers``."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from typing import cast

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fpdf import FPDF
from fpdf.enums import MethodReturnValue
from fpdf.enums import TableBordersLayout
from fpdf.fonts import FontFace

from vanthu.core.clock import vietnam_date
from vanthu.reports.tables import ReportTable
from vanthu.reports.tables import Row
from vanthu.reports.tables import ValueKind

FONTS = Path(__file__).resolve().parent.parent / "signing" / "fonts"
FAMILY = "NotoSerif"
REGULAR = FONTS / "NotoSerif-Regular.ttf"
BOLD = FONTS / "NotoSerif-Bold.ttf"

# A4 landscape; Decree 30 Appendix I: left 30–35 mm (the bound edge), right 15–20 mm, top and
# bottom 20–25 mm (the bottom one holds the page number).
LEFT_MARGIN = 30.0
RIGHT_MARGIN = 15.0
TOP_MARGIN = 15.0
BOTTOM_MARGIN = 18.0
BODY_SIZE = 9.0
LINE_HEIGHT = 4.2  # mm for a 9 pt line
CELL_PADDING = 1.0  # mm left and right of a cell's text
ROW_LINES = 32  # the most lines of one row on a page (177 mm high, below a header of up to 25 mm)

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
MISSING = "–"  # a value that cannot be computed (a rate over nothing)


@cache
def _covered() -> frozenset[int]:
    """The characters both fonts draw (Latin and Vietnamese, common punctuation)."""
    covered: set[int] | None = None
    for path in (REGULAR, BOLD):
        cmap = set(TTFont(str(path)).getBestCmap())
        covered = cmap if covered is None else covered & cmap
    return frozenset(covered or ())


def clean(text: object) -> str:
    """``text`` as the fonts can draw it: composed Vietnamese letters (NFC), tabs as spaces, and a
    “?” for a character the fonts lack (an emoji, a CJK character) instead of an empty box."""
    value = unicodedata.normalize("NFC", "" if text is None else str(text))
    covered = _covered()
    return "".join(
        character if character == "\n" or ord(character) in covered else (" " if character in "\t\r" else "?")
        for character in value
    )


def vietnamese_date_line(place: str, day: date) -> str:
    """ "Thanh Hóa, ngày 05 tháng 02 năm 2026" — a zero before a day below 10 and the months 1
    and 2 (Decree 30 Appendix I)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)  # noqa: PLR2004 - January, February
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass(frozen=True)
class PdfColumn:
    """A column of a printed table: its heading, its relative width and alignment, and the heading
    of the group above it (consecutive columns with the same group share one heading cell)."""

    heading: str
    width: float
    align: str = "LEFT"
    group: str = ""


@dataclass(frozen=True)
class PdfRow:
    cells: Sequence[object]
    is_bold: bool = False
    is_section: bool = False  # one cell across the table (a group's name)


@dataclass(frozen=True)
class Heading:
    """The heading block: the agency on the left (its governing body above it, if any), the
    national heading on the right when ``is_national``."""

    agency: str
    parent: str = ""
    is_national: bool = False


class TablePdf(FPDF):
    """An A4-landscape document with one footer, “Trang x/y”, on every page."""

    def __init__(self, *, footer_text: str = "") -> None:
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.footer_text = clean(footer_text)
        self.add_font(FAMILY, "", str(REGULAR))
        self.add_font(FAMILY, "B", str(BOLD))
        self.set_margins(LEFT_MARGIN, TOP_MARGIN, RIGHT_MARGIN)
        self.set_auto_page_break(auto=True, margin=BOTTOM_MARGIN)
        self.set_creator("Vanthu")
        self.set_font(FAMILY, "", BODY_SIZE)
        self.add_page()

    def footer(self) -> None:
        self.set_y(-BOTTOM_MARGIN + 6)
        self.set_font(FAMILY, "", 8)
        if self.footer_text:
            text, limit = self.footer_text, self.epw - 30  # leaves room for the page number
            while len(text) > 1 and self.get_string_width(text) > limit:
                text = text[:-2] + "…"
            self.cell(limit, 5, text, align="L")
            self.set_x(self.l_margin)
        self.cell(self.epw, 5, f"Trang {self.page_no()}/{{nb}}", align="R")

    # --- blocks -----------------------------------------------------------------------------

    def heading_block(self, heading: Heading) -> None:
        """Agency left, national heading right, each centred in its half, short rules below."""
        half = self.epw * 0.45 if heading.is_national else self.epw * 0.5
        right_x = self.l_margin + self.epw - half
        top = self.get_y()
        self.set_xy(self.l_margin, top)
        if heading.parent:
            self.set_font(FAMILY, "", 11)
            self.multi_cell(half, 5.5, clean(heading.parent.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, "B", 11)
        self.multi_cell(half, 5.5, clean(heading.agency.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
        self._rule(self.l_margin + half / 2, 30)
        left_bottom = self.get_y()
        if heading.is_national:
            self.set_xy(right_x, top)
            self.set_font(FAMILY, "B", 11)
            self.cell(half, 5.5, NATIONAL_NAME, align="C", new_x="LEFT", new_y="NEXT")
            self.set_font(FAMILY, "B", 12)
            self.cell(half, 6, NATIONAL_MOTTO, align="C", new_x="LEFT", new_y="NEXT")
            self._rule(right_x + half / 2, self.get_string_width(NATIONAL_MOTTO))
        self.set_xy(self.l_margin, max(left_bottom, self.get_y()) + 5)

    def _rule(self, centre: float, width: float) -> None:
        y = self.get_y() + 0.8
        self.set_line_width(0.3)
        self.line(centre - width / 2, y, centre + width / 2, y)
        self.set_line_width(0.2)
        self.set_y(y + 1)

    def title_block(self, title: str, lines: Sequence[str] = ()) -> None:
        self.set_font(FAMILY, "B", 14)
        self.multi_cell(self.epw, 7, clean(title), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, "", 11)
        for line in lines:
            if line:
                self.multi_cell(self.epw, 5.5, clean(line), align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def paragraph(self, text: str, *, is_bold: bool = False, align: str = "LEFT", size: float = 10) -> None:
        self.set_font(FAMILY, "B" if is_bold else "", size)
        self.multi_cell(self.epw, size * 0.48, clean(text), align=align, new_x="LMARGIN", new_y="NEXT")

    def table_block(self, columns: Sequence[PdfColumn], rows: Sequence[PdfRow], *, empty_text: str = "") -> None:
        """The table; its header (two levels when some column has a group) is repeated on every
        page; a cell's text wraps within its column; no rows gives one row saying ``empty_text``."""
        self.set_font(FAMILY, "", BODY_SIZE)
        has_groups = any(column.group for column in columns)
        header_style = FontFace(family=FAMILY, emphasis="BOLD", fill_color=(235, 235, 235))
        with self.table(
            col_widths=[column.width for column in columns],
            width=self.epw,
            align="LEFT",  # from the left margin (CENTER would centre on the page, ignoring the binding margin)
            num_heading_rows=3 if has_groups else 2,  # with the column numbers
            repeat_headings=1,
            headings_style=header_style,
            line_height=LINE_HEIGHT,
            text_align="LEFT",
            v_align="TOP",
            padding=(0.8, CELL_PADDING),
            borders_layout=TableBordersLayout.ALL,
        ) as table:
            if has_groups:
                self._two_level_header(table, columns)
            else:
                heading = table.row()
                for column in columns:
                    heading.cell(clean(column.heading), align="CENTER", v_align="MIDDLE")
            numbers = table.row()  # the column numbers (1), (2)… as on the printed forms
            small = FontFace(family=FAMILY, emphasis="", size_pt=7.5, fill_color=(255, 255, 255))
            for index, _column in enumerate(columns, start=1):
                numbers.cell(f"({index})", align="CENTER", style=small)
            if not rows:
                table.row().cell(clean(empty_text), colspan=len(columns), align="CENTER")
            bold = FontFace(emphasis="BOLD")
            for row in self._fitted(columns, rows):
                line = table.row()
                if row.is_section:
                    line.cell(str(row.cells[0]), colspan=len(columns), style=bold)
                    continue
                for column, value in zip(columns, row.cells, strict=True):
                    line.cell(str(value), align=column.align, style=bold if row.is_bold else None)

    def _fitted(self, columns: Sequence[PdfColumn], rows: Sequence[PdfRow]) -> list[PdfRow]:
        """``rows`` with the text cleaned, a row taller than a page (two hundred recipients) cut
        into rows of at most ``ROW_LINES`` lines that follow one another, marked “(tiếp)”."""
        total = sum(column.width for column in columns)
        widths = [column.width / total * self.epw - 2 * CELL_PADDING - 0.5 for column in columns]
        fitted = []
        for row in rows:
            if row.is_section:
                fitted.append(PdfRow(cells=[clean(row.cells[0] if row.cells else "")], is_section=True))
                continue
            texts = [clean(value) for value in row.cells]
            self.set_font(FAMILY, "B" if row.is_bold else "", BODY_SIZE)
            lines = [
                self._lines(width, text) if len(text) > ROW_LINES * 2 else [text]  # a short text fits
                for width, text in zip(widths, texts, strict=True)
            ]
            if max(len(cell) for cell in lines) <= ROW_LINES:
                fitted.append(PdfRow(cells=texts, is_bold=row.is_bold))
                continue
            for start in range(0, max(len(cell) for cell in lines), ROW_LINES):
                cells = ["\n".join(cell[start : start + ROW_LINES]) for cell in lines]
                if start and not cells[0]:
                    cells[0] = "(tiếp)"
                fitted.append(PdfRow(cells=cells, is_bold=row.is_bold))
        self.set_font(FAMILY, "", BODY_SIZE)
        return fitted

    def _lines(self, width: float, text: str) -> list[str]:
        """``text`` cut into the lines a cell ``width`` wide shows (in the current font)."""
        lines = self.multi_cell(width, LINE_HEIGHT, text, dry_run=True, output=MethodReturnValue.LINES)
        return [str(line) for line in cast(list[str], lines)]

    @staticmethod
    def _two_level_header(table: Any, columns: Sequence[PdfColumn]) -> None:
        top = table.row()
        index = 0
        while index < len(columns):
            column = columns[index]
            if not column.group:
                top.cell(clean(column.heading), rowspan=2, align="CENTER", v_align="MIDDLE")
                index += 1
                continue
            span = 1
            while index + span < len(columns) and columns[index + span].group == column.group:
                span += 1
            top.cell(clean(column.group), colspan=span, align="CENTER", v_align="MIDDLE")
            index += span
        bottom = table.row()
        for column in columns:
            if column.group:
                bottom.cell(clean(column.heading), align="CENTER", v_align="MIDDLE")

    def content(self) -> bytes:
        return bytes(self.output())


# --- the statistical report -------------------------------------------------------------------


def _number(value: float, decimals: int) -> str:
    """Vietnamese notation, halves rounded up: “1.234”, “97,3” (97.25)."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def report_value(value: int | float | None, kind: ValueKind) -> str:
    if value is None:
        return MISSING
    if kind == ValueKind.COUNT:
        return _number(value, 0)
    return _number(value, 1)


def _report_rows(table: ReportTable) -> list[PdfRow]:
    levels = {row.level for row in table.rows if not row.is_total and row.level}
    rows: list[PdfRow] = []
    current_level = ""
    ordinal = 0
    for row in table.rows:
        if len(levels) > 1 and not row.is_total and row.level and row.level != current_level:
            current_level = row.level
            rows.append(PdfRow(cells=[row.level], is_section=True))
        if not row.is_total:
            ordinal += 1
        rows.append(
            PdfRow(
                cells=["" if row.is_total else str(ordinal), _label(row)]
                + [report_value(row.values.get(column.key), column.kind) for column in table.columns],
                is_bold=row.is_total,
            )
        )
    return rows


def _label(row: Row) -> str:
    return f"{row.label}\n({row.note})" if row.note else row.label


def report_pdf(table: ReportTable) -> bytes:
    """The statistical report as a PDF, ready to sign and send: the issuer and the national
    heading, the title, the period and the addressee, the table (totals in bold), the definitions
    of what each number counts, and the date line."""
    document = TablePdf(footer_text=f"{table.title} — {table.period_label}")
    document.set_title(clean(f"{table.title} — {table.period_label}"))
    document.heading_block(Heading(agency=table.issuer, is_national=True))
    period = f"(Từ ngày {table.period_start:%d/%m/%Y} đến ngày {table.period_end:%d/%m/%Y})"
    document.title_block(table.title, [table.period_label, period])
    document.paragraph(f"Kính gửi: {table.addressee}", align="CENTER", size=11)
    document.ln(3)
    value_width = 14.0 if len(table.columns) > 8 else 20.0  # noqa: PLR2004 - narrower when many
    columns = [PdfColumn("STT", 8, align="CENTER"), PdfColumn("Cơ quan, đơn vị", 44)] + [
        PdfColumn(column.label, value_width, align="RIGHT", group=column.group) for column in table.columns
    ]
    document.table_block(columns, _report_rows(table), empty_text="Không có số liệu trong kỳ báo cáo.")
    if table.definitions:
        document.ln(3)
        document.paragraph("Ghi chú:", is_bold=True)
        for definition in table.definitions:
            document.paragraph(f"- {definition.label}: {definition.text}")
    document.ln(4)
    line = vietnamese_date_line(table.place, vietnam_date(table.generated_at))
    document.set_font(FAMILY, "", 11)
    half = document.epw * 0.45
    document.set_x(document.l_margin + document.epw - half)
    document.multi_cell(half, 5.5, clean(line), align="C", new_x="LMARGIN", new_y="NEXT")
    return document.content()
