"""The incoming register (Sổ đăng ký văn bản đến, 10 columns) and the follow-up register (Sổ theo dõi
giải quyết văn bản đến, 7 columns) of Decree 30 Appendix IV (DOMAIN.md §1.7): one row per arrival
number of an incoming register, in number order, and their XLSX export (A4 landscape).

The headings are the legal form's own words, in Vietnamese whatever the interface language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta

from django.db.models import Prefetch

from vanthu.core.clock import start_of_vietnam_day
from vanthu.core.clock import vietnam_date
from vanthu.documents.models import Document
from vanthu.documents.models import Register
from vanthu.documents.register_xlsx import date_text
from vanthu.documents.register_xlsx import register_workbook
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import AssignmentRole
from vanthu.incoming.models import AssignmentStatus
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.models import RecallDecision
from vanthu.incoming.models import RecallRecord

INCOMING_TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
INCOMING_HEADERS = (
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
INCOMING_WIDTHS = (12, 8, 26, 16, 12, 44, 28, 12, 12, 24)

FOLLOW_UP_TITLE = "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN"
FOLLOW_UP_HEADERS = (
    "Số đến",
    "Tên loại, số, ký hiệu, ngày, cơ quan ban hành",
    "Đơn vị hoặc người nhận",
    "Thời hạn giải quyết",
    "Tiến độ giải quyết",
    "Số, ký hiệu văn bản trả lời",
    "Ghi chú",
)
FOLLOW_UP_WIDTHS = (8, 50, 30, 14, 30, 22, 24)

# The progress column in the registry's words.
PROGRESS = {
    IncomingStatus.REGISTERED: "Chờ ý kiến chỉ đạo",
    IncomingStatus.DIRECTED: "Đã giao xử lý",
    IncomingStatus.IN_PROGRESS: "Đang giải quyết",
    IncomingStatus.DONE: "Đã giải quyết",
    IncomingStatus.RECALLED: "Đã thu hồi",
    IncomingStatus.REFUSED: "Đã trả lại",
}


@dataclass(frozen=True)
class IncomingRegisterRow:
    arrival_date: date | None
    arrival_number: int
    author: str
    number_symbol: str
    document_date: date | None
    type_and_subject: str
    receivers: str
    transfer_date: date | None
    signed_for: str
    note: str
    status: str


@dataclass(frozen=True)
class FollowUpRow:
    arrival_number: int
    document: str
    receivers: str
    due_date: date | None
    progress: str
    reply: str
    note: str
    status: str
    is_overdue: bool


def _receivers(incoming: Incoming) -> str:
    parts = []
    for assignment in incoming.assignments.all():
        target = assignment.unit.name if assignment.unit else ""
        if assignment.person is not None:
            person = assignment.person.full_name or assignment.person.username
            target = f"{target} · {person}" if target else person
        marker = {AssignmentRole.LEAD: "chủ trì", AssignmentRole.COOPERATE: "phối hợp"}.get(
            AssignmentRole(assignment.role), "để biết"
        )
        parts.append(f"{target} ({marker})")
    return "; ".join(parts)


def _month_range(year: int, month: int) -> tuple[datetime, datetime]:
    """The moments of a month in Vietnam, first to last."""
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)  # noqa: PLR2004 - December
    return start_of_vietnam_day(first), start_of_vietnam_day(following) - timedelta(microseconds=1)


def _incomings(register: Register, month: int | None = None) -> tuple[list[Incoming], dict[int, RecallRecord]]:
    arrivals = Incoming.objects.filter(register=register, arrival_number__isnull=False)
    if month is not None:
        first, last = _month_range(register.year, month)
        arrivals = arrivals.filter(arrival_at__gte=first, arrival_at__lte=last)
    incomings = list(
        arrivals.select_related("document", "document__document_type")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(parent__isnull=True)
                .exclude(status=AssignmentStatus.CANCELLED)
                .select_related("unit", "person")
                .order_by("role", "id"),
            )
        )
        .order_by("arrival_number")
    )
    recalls = {
        record.incoming_id: record
        for record in RecallRecord.objects.filter(
            incoming_id__in=[i.pk for i in incomings], decision=RecallDecision.ACCEPTED
        )
        if record.incoming_id is not None
    }
    return incomings, recalls


def incoming_register_rows(*, register: Register, month: int | None = None) -> list[IncomingRegisterRow]:
    """Every arrival number of ``register`` in order, or those of one ``month`` (three queries
    whatever its size)."""
    incomings, recalls = _incomings(register, month)
    rows = []
    for incoming in incomings:
        document = incoming.document
        recall = recalls.get(incoming.pk)
        assert incoming.arrival_number is not None  # noqa: S101 - filtered above
        if recall is not None:
            rows.append(
                IncomingRegisterRow(
                    arrival_date=vietnam_date(incoming.arrival_at) if incoming.arrival_at else None,
                    arrival_number=incoming.arrival_number,
                    author=recall.sender_name,
                    number_symbol=recall.number_symbol,
                    document_date=None,
                    type_and_subject="",
                    receivers="",
                    transfer_date=None,
                    signed_for="",
                    note=f"Đã thu hồi ngày {date_text(vietnam_date(recall.decided_at))}",
                    status=incoming.status,
                )
            )
            continue
        rows.append(
            IncomingRegisterRow(
                arrival_date=vietnam_date(incoming.arrival_at) if incoming.arrival_at else None,
                arrival_number=incoming.arrival_number,
                author=document.issuer_name,
                number_symbol=document.number_symbol,
                document_date=document.issued_date,
                type_and_subject=f"{document.document_type.name}: {document.subject}",
                receivers=_receivers(incoming),
                transfer_date=vietnam_date(incoming.directed_at) if incoming.directed_at else None,
                signed_for="",
                note=incoming.get_source_display() if incoming.source == "PAPER" else "",
                status=incoming.status,
            )
        )
    return rows


def follow_up_rows(*, register: Register, today: date, month: int | None = None) -> list[FollowUpRow]:
    """The follow-up register: every registered document (or those that arrived in ``month``) with
    its deadline, progress and reply (four queries)."""
    incomings, recalls = _incomings(register, month)
    replies: dict[int, list[str]] = {}
    for reply_to_id, number, symbol in (
        Document.objects.filter(reply_to_id__in=[i.document_id for i in incomings], number__isnull=False)
        .order_by("issued_date", "id")
        .values_list("reply_to_id", "number", "symbol")
    ):
        if reply_to_id is not None:
            replies.setdefault(reply_to_id, []).append(f"{number:02d}/{symbol}" if symbol else f"{number:02d}")
    rows = []
    for incoming in incomings:
        document = incoming.document
        assert incoming.arrival_number is not None  # noqa: S101 - filtered above
        recall = recalls.get(incoming.pk)
        if recall is not None:
            description = f"{recall.number_symbol}, {recall.sender_name}"
        else:
            parts = [
                document.document_type.name,
                document.number_symbol,
                date_text(document.issued_date),
                document.issuer_name,
            ]
            description = ", ".join(part for part in parts if part)
        progress = PROGRESS.get(IncomingStatus(incoming.status), "") if incoming.status in IncomingStatus.values else ""
        if incoming.status == IncomingStatus.DONE and incoming.completed_at is not None:
            progress = f"{progress} ngày {date_text(vietnam_date(incoming.completed_at))}"
            if incoming.result:
                progress = f"{progress}: {incoming.result}"
        overdue = (
            incoming.due_date is not None
            and incoming.status in (IncomingStatus.DIRECTED, IncomingStatus.IN_PROGRESS)
            and incoming.due_date < today
        )
        rows.append(
            FollowUpRow(
                arrival_number=incoming.arrival_number,
                document=description,
                receivers="" if recall is not None else _receivers(incoming),
                due_date=incoming.due_date,
                progress=progress,
                reply="; ".join(replies.get(document.pk, [])),
                note="Quá hạn" if overdue else "",
                status=incoming.status,
                is_overdue=overdue,
            )
        )
    return rows


def _workbook(
    register: Register, title: str, headers: Sequence[str], widths: Sequence[int], rows: Sequence[Sequence[object]]
) -> bytes:
    return register_workbook(
        register=register, sheet_title=f"So den {register.year}", title=title, headers=headers, widths=widths, rows=rows
    )


def incoming_register_xlsx(*, register: Register, rows: list[IncomingRegisterRow]) -> bytes:
    values = [
        (
            date_text(row.arrival_date),
            row.arrival_number,
            row.author,
            row.number_symbol,
            date_text(row.document_date),
            row.type_and_subject,
            row.receivers,
            date_text(row.transfer_date),
            row.signed_for,
            row.note,
        )
        for row in rows
    ]
    return _workbook(register, INCOMING_TITLE, INCOMING_HEADERS, INCOMING_WIDTHS, values)


def follow_up_xlsx(*, register: Register, rows: list[FollowUpRow]) -> bytes:
    values = [
        (
            row.arrival_number,
            row.document,
            row.receivers,
            date_text(row.due_date),
            row.progress,
            row.reply,
            row.note,
        )
        for row in rows
    ]
    return _workbook(register, FOLLOW_UP_TITLE, FOLLOW_UP_HEADERS, FOLLOW_UP_WIDTHS, values)
