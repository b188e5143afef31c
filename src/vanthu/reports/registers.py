"""The registers of Decree 30 Appendix IV printed for binding: the outgoing register (Sổ đăng ký văn
bản đi), the incoming register (Sổ đăng ký văn bản đến), the follow-up register (Sổ theo dõi giải
quyết văn bản đến) and the post register (Sổ gửi văn bản đi bưu điện), for a period of a register's
year (the whole year, a month, or from one day to another).

The rows are those of the register screens and their XLSX (the same row builders, the same
columns); who may print a register is decided by the caller with the apps' own selectors and
policies, exactly as for the screens."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vanthu.core.clock import end_of_vietnam_day
from vanthu.core.clock import start_of_vietnam_day
from vanthu.core.clock import vietnam_date
from vanthu.core.errors import DomainError
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.register_xlsx import date_text
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryKind
from vanthu.incoming.models import Incoming
from vanthu.incoming.register_export import FOLLOW_UP_HEADERS
from vanthu.incoming.register_export import FOLLOW_UP_TITLE
from vanthu.incoming.register_export import INCOMING_HEADERS
from vanthu.incoming.register_export import INCOMING_TITLE
from vanthu.incoming.register_export import FollowUpRow
from vanthu.incoming.register_export import IncomingRegisterRow
from vanthu.incoming.register_export import follow_up_rows
from vanthu.incoming.register_export import incoming_register_rows
from vanthu.org.models import Agency
from vanthu.outgoing.register_export import HEADERS as OUTGOING_HEADERS
from vanthu.outgoing.register_export import TITLE as OUTGOING_TITLE
from vanthu.outgoing.register_export import RegisterRow
from vanthu.outgoing.register_export import outgoing_register_rows
from vanthu.reports.pdf import Heading
from vanthu.reports.pdf import PdfColumn
from vanthu.reports.pdf import PdfRow
from vanthu.reports.pdf import TablePdf

POST_TITLE = "SỔ GỬI VĂN BẢN ĐI BƯU ĐIỆN"
POST_HEADERS = (
    "Ngày chuyển",
    "Số, ký hiệu văn bản",
    "Nơi nhận văn bản",
    "Số lượng bì",
    "Ký nhận và dấu bưu điện",
    "Ghi chú",
)
# Widths in mm across the 252 mm between the margins: a date (“02/03/2026”) fits on one line.
OUTGOING_WIDTHS = (26, 19, 56, 24, 30, 19, 12, 19, 16, 31)
INCOMING_WIDTHS = (19, 12, 28, 24, 19, 58, 32, 19, 16, 25)
FOLLOW_UP_WIDTHS = (12, 70, 40, 20, 45, 30, 35)
POST_WIDTHS = (19, 30, 88, 16, 50, 49)
# Short columns (numbers, dates) are centred, as on the printed forms.
CENTRED = frozenset({"Ngày đến", "Số đến", "Ngày tháng văn bản", "Ngày chuyển", "Số lượng bản", "Số lượng bì"})
EMPTY = "Không có văn bản nào trong kỳ này."
MIN_YEAR, MAX_YEAR = 2000, 2100
AGENCY_UNREADABLE = _("The agency must be given by its number.")
DECEMBER = 12


class RegisterQueryError(DomainError):
    """The period or the agency asked for a printed register cannot be read (a 400 page saying why)."""

    code = "bad_register_query"
    http_status = 400
    default_message = _("The period of the register could not be read.")


@dataclass(frozen=True)
class Period:
    """Days of one year, first to last (inclusive), in Vietnam time."""

    start: date
    end: date
    month: int | None = None  # the period is exactly this month
    is_whole_year: bool = False

    @property
    def label(self) -> str:
        if self.is_whole_year:
            return f"Năm {self.start.year}"
        if self.month is not None:
            return f"Tháng {self.month} năm {self.start.year}"
        return f"Từ ngày {date_text(self.start)} đến ngày {date_text(self.end)}"

    @property
    def moments(self) -> tuple[datetime, datetime]:
        return start_of_vietnam_day(self.start), end_of_vietnam_day(self.end)

    @property
    def slug(self) -> str:
        if self.is_whole_year:
            return str(self.start.year)
        if self.month is not None:
            return f"{self.start.year}-{self.month:02d}"
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"


def year_parse(value: str | None, *, default: int) -> int:
    """``?year=``: a year from 2000 to 2100, ``default`` when absent."""
    if not value:
        return default
    if not value.isdigit() or not MIN_YEAR <= int(value) <= MAX_YEAR:
        raise RegisterQueryError(_("The year must be a number from 2000 to 2100."))
    return int(value)


def _day_parse(value: str, year: int) -> date:
    """A day as 2026-03-05 or 05/03/2026, inside ``year``."""
    try:
        if "/" in value:
            day, month, full_year = (int(part) for part in value.split("/"))
            parsed = date(full_year, month, day)
        else:
            parsed = date.fromisoformat(value)
    except ValueError as error:
        raise RegisterQueryError(_("A date must be written as 31/12/2026 or 2026-12-31.")) from error
    if parsed.year != year:
        raise RegisterQueryError(_("The period must lie within the year of the register."))
    return parsed


def period_parse(query: Mapping[str, str], *, year: int) -> Period:
    """The period of ``year`` that ``?month=`` (1–12, or “all”) or ``?from=&to=`` ask for (the
    whole year when nothing is asked), as the register screens take it."""
    month = (query.get("month") or "").strip()
    first = (query.get("from") or "").strip()
    last = (query.get("to") or "").strip()
    whole = Period(start=date(year, 1, 1), end=date(year, DECEMBER, 31), is_whole_year=True)
    if month and month != "all":
        if first or last:
            raise RegisterQueryError(_("Choose either a month or a range of dates, not both."))
        if not month.isdigit() or not 1 <= int(month) <= DECEMBER:
            raise RegisterQueryError(_("The month must be a number from 1 to 12."))
        number = int(month)
        days = calendar.monthrange(year, number)[1]
        return Period(start=date(year, number, 1), end=date(year, number, days), month=number)
    if not first and not last:
        return whole
    start = _day_parse(first, year) if first else whole.start
    end = _day_parse(last, year) if last else whole.end
    if start > end:
        raise RegisterQueryError(_("The first day of the period comes after its last day."))
    if start == whole.start and end == whole.end:
        return whole
    return Period(start=start, end=end)


# --- rows of a period ---------------------------------------------------------------------------


def outgoing_rows_of(*, register: Register, period: Period) -> list[RegisterRow]:
    """The numbers taken in the period (used, reserved or cancelled alike: numbers are taken in
    order of time, so the period's numbers follow one another without a gap)."""
    rows = outgoing_register_rows(register=register)
    if period.is_whole_year:
        return rows
    start, end = period.moments
    numbers = set(
        RegisterEntry.objects.filter(register=register, allocated_at__gte=start, allocated_at__lte=end).values_list(
            "number", flat=True
        )
    )
    return [row for row in rows if row.number in numbers]


def _arrival_numbers(register: Register, period: Period) -> set[int]:
    start, end = period.moments
    return {
        number
        for number in Incoming.objects.filter(
            register=register, arrival_number__isnull=False, arrival_at__gte=start, arrival_at__lte=end
        ).values_list("arrival_number", flat=True)
        if number is not None
    }


def incoming_rows_of(*, register: Register, period: Period) -> list[IncomingRegisterRow]:
    rows = incoming_register_rows(register=register, month=period.month)
    if period.is_whole_year or period.month is not None:
        return rows
    numbers = _arrival_numbers(register, period)
    return [row for row in rows if row.arrival_number in numbers]


def follow_up_rows_of(*, register: Register, period: Period, today: date) -> list[FollowUpRow]:
    rows = follow_up_rows(register=register, today=today, month=period.month)
    if period.is_whole_year or period.month is not None:
        return rows
    numbers = _arrival_numbers(register, period)
    return [row for row in rows if row.arrival_number in numbers]


def post_rows_of(*, deliveries: QuerySet[Delivery], period: Period) -> list[Delivery]:
    """``deliveries`` (the agency's post register of the year) that left in the period."""
    start, end = period.moments
    return list(deliveries.filter(sent_at__gte=start, sent_at__lte=end))


# --- the PDFs -------------------------------------------------------------------------------------


def _columns(headers: Sequence[str], widths: Sequence[int]) -> list[PdfColumn]:
    return [
        PdfColumn(heading, width, align="CENTER" if heading in CENTRED else "LEFT")
        for heading, width in zip(headers, widths, strict=True)
    ]


def _register_pdf(  # noqa: PLR0913 - the parts of a printed register
    *,
    agency: Agency,
    title: str,
    name: str,
    period: Period,
    numbers: Sequence[int],
    columns: Sequence[PdfColumn],
    rows: Sequence[PdfRow],
) -> bytes:
    """Appendix IV's register: the agency (and its governing body) above, the title, the register,
    the period and the numbers it runs from and to, then the table."""
    document = TablePdf(footer_text=f"{title} — {agency.name} — {period.label}")
    document.set_title(f"{title} — {agency.name} — {period.label}")
    parent = agency.parent.name if agency.parent is not None else ""
    document.heading_block(Heading(agency=agency.name, parent=parent))
    lines = [f"{name} — {period.label}" if name else period.label]
    if period.month is not None:  # a range of days already says its days
        lines.append(f"(Từ ngày {date_text(period.start)} đến ngày {date_text(period.end)})")
    if numbers:
        lines.append(f"Từ số {min(numbers):02d} đến số {max(numbers):02d}")
    document.title_block(title, lines)
    document.table_block(columns, rows, empty_text=EMPTY)
    return document.content()


def outgoing_register_pdf(*, register: Register, rows: Sequence[RegisterRow], period: Period) -> bytes:
    values = [
        PdfRow(
            cells=(
                row.number_symbol,
                date_text(row.document_date),
                row.type_and_subject,
                row.signer,
                row.recipients,
                row.file_copy,
                "" if row.copies_count is None else row.copies_count,
                date_text(row.transfer_date),
                row.signed_for,
                row.note,
            )
        )
        for row in rows
    ]
    return _register_pdf(
        agency=register.agency,
        title=OUTGOING_TITLE,
        name=register.name,
        period=period,
        numbers=[row.number for row in rows],
        columns=_columns(OUTGOING_HEADERS, OUTGOING_WIDTHS),
        rows=values,
    )


def incoming_register_pdf(*, register: Register, rows: Sequence[IncomingRegisterRow], period: Period) -> bytes:
    values = [
        PdfRow(
            cells=(
                date_text(row.arrival_date),
                f"{row.arrival_number:02d}",
                row.author,
                row.number_symbol,
                date_text(row.document_date),
                row.type_and_subject,
                row.receivers,
                date_text(row.transfer_date),
                row.signed_for,
                row.note,
            )
        )
        for row in rows
    ]
    return _register_pdf(
        agency=register.agency,
        title=INCOMING_TITLE,
        name=register.name,
        period=period,
        numbers=[row.arrival_number for row in rows],
        columns=_columns(INCOMING_HEADERS, INCOMING_WIDTHS),
        rows=values,
    )


def follow_up_register_pdf(*, register: Register, rows: Sequence[FollowUpRow], period: Period) -> bytes:
    values = [
        PdfRow(
            cells=(
                f"{row.arrival_number:02d}",
                row.document,
                row.receivers,
                date_text(row.due_date),
                row.progress,
                row.reply,
                row.note,
            )
        )
        for row in rows
    ]
    return _register_pdf(
        agency=register.agency,
        title=FOLLOW_UP_TITLE,
        name=register.name,
        period=period,
        numbers=[row.arrival_number for row in rows],
        columns=_columns(FOLLOW_UP_HEADERS, FOLLOW_UP_WIDTHS),
        rows=values,
    )


def _post_note(delivery: Delivery) -> str:
    kind = "" if delivery.kind == DeliveryKind.ORIGINAL else f"{delivery.get_kind_display()}. "
    return f"{kind}{delivery.note}".strip()


def post_register_pdf(*, agency: Agency, deliveries: Sequence[Delivery], period: Period) -> bytes:
    values = [
        PdfRow(
            cells=(
                date_text(vietnam_date(delivery.sent_at)),
                delivery.document.number_symbol,
                f"{delivery.recipient_name}\n{delivery.address}" if delivery.address else delivery.recipient_name,
                delivery.envelope_count or 1,
                "",
                _post_note(delivery),
            )
        )
        for delivery in deliveries
    ]
    return _register_pdf(
        agency=agency,
        title=POST_TITLE,
        name="",
        period=period,
        numbers=[],
        columns=_columns(POST_HEADERS, POST_WIDTHS),
        rows=values,
    )
