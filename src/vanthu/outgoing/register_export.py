"""The outgoing register (Sổ đăng ký văn bản đi, Decree 30 Appendix IV; DOMAIN.md §1.7): one row per
number of a register, in number order — used, reserved and cancelled numbers alike, so the printed,
bound register never shows a silent gap — and its XLSX export (A4 landscape, ready to print).

The headings and the notes are the legal form's own words, in Vietnamese whatever the interface
language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime

from django.db.models import Min
from django.db.models import Prefetch

from vanthu.core.clock import vietnam_date
from vanthu.documents.models import DocumentRecipient
from vanthu.documents.models import EntryStatus
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.register_xlsx import date_text
from vanthu.documents.register_xlsx import register_workbook
from vanthu.exchange.models import Delivery

TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
HEADERS = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
WIDTHS = (16, 12, 44, 22, 30, 18, 9, 12, 12, 26)
REGISTRY = "VT"  # the registry (văn thư) keeps one copy of every document


@dataclass(frozen=True)
class RegisterRow:
    number: int
    number_symbol: str
    document_date: date | None
    type_and_subject: str
    signer: str
    recipients: str
    file_copy: str
    copies_count: int | None
    transfer_date: date | None
    signed_for: str
    note: str
    status: str


def outgoing_register_rows(*, register: Register) -> list[RegisterRow]:
    """Every number of ``register`` in order (four queries whatever its size)."""
    entries = list(
        RegisterEntry.objects.filter(register=register)
        .select_related("document", "document__document_type", "document__drafting_unit")
        .prefetch_related(
            Prefetch("document__recipients", queryset=DocumentRecipient.objects.order_by("ordinal", "id"))
        )
        .order_by("number")
    )
    document_ids = [entry.document_id for entry in entries if entry.document_id is not None]
    first_sent: dict[int, datetime] = dict(
        Delivery.objects.filter(document_id__in=document_ids)
        .values("document_id")
        .annotate(first=Min("sent_at"))
        .values_list("document_id", "first")
    )
    rows = []
    for entry in entries:
        document = entry.document if entry.status != EntryStatus.RESERVED else None
        if entry.status == EntryStatus.CANCELLED:
            note = f"Số đã hủy: {entry.cancelled_reason}"
        elif entry.status == EntryStatus.RESERVED:
            note = f"Số giữ trước: {entry.note}".rstrip(": ")
        else:
            note = entry.note
        if document is None or entry.status == EntryStatus.CANCELLED:
            symbol = (
                f"{entry.number:02d}/{document.symbol}"
                if document is not None and document.symbol
                else f"{entry.number:02d}"
            )
            rows.append(
                RegisterRow(
                    number=entry.number,
                    number_symbol=symbol,
                    document_date=None,
                    type_and_subject=f"{document.document_type.name}: {document.subject}" if document else "",
                    signer="",
                    recipients="",
                    file_copy="",
                    copies_count=None,
                    transfer_date=None,
                    signed_for="",
                    note=note,
                    status=entry.status,
                )
            )
            continue
        unit = document.drafting_unit
        sent = first_sent.get(document.pk)
        rows.append(
            RegisterRow(
                number=entry.number,
                number_symbol=f"{entry.number:02d}/{document.symbol}" if document.symbol else f"{entry.number:02d}",
                document_date=document.issued_date,
                type_and_subject=f"{document.document_type.name}: {document.subject}",
                signer=" ".join(part for part in (document.signer_title, document.signer_name) if part),
                recipients="; ".join(recipient.name for recipient in document.recipients.all()),
                file_copy=", ".join(part for part in (REGISTRY, unit.abbreviation if unit else "") if part),
                copies_count=document.copies_count,
                transfer_date=vietnam_date(sent) if sent is not None else None,
                signed_for="",
                note=note,
                status=entry.status,
            )
        )
    return rows


def outgoing_register_xlsx(*, register: Register, rows: list[RegisterRow]) -> bytes:
    """The register as an XLSX workbook: title, agency and year, the ten columns of Appendix IV."""
    values = [
        (
            row.number_symbol,
            date_text(row.document_date),
            row.type_and_subject,
            row.signer,
            row.recipients,
            row.file_copy,
            row.copies_count,
            date_text(row.transfer_date),
            row.signed_for,
            row.note,
        )
        for row in rows
    ]
    return register_workbook(
        register=register,
        sheet_title=f"So di {register.year}",
        title=TITLE,
        headers=HEADERS,
        widths=WIDTHS,
        rows=values,
    )
