"""A statistical report as plain data, whatever renders it (the page, XLSX, PDF).

The statistics (``reports.selectors``) fill a :class:`ReportTable`; ``reports.xlsx`` and
``reports.pdf`` write it out. Nothing here reads the database."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from enum import StrEnum


class ValueKind(StrEnum):
    COUNT = "count"  # a number of documents (integer)
    RATE = "rate"  # a percentage 0–100 (float, one decimal), None when its base is 0
    DAYS = "days"  # an average in working days (float, one decimal), None when nothing to average


@dataclass(frozen=True)
class Column:
    key: str  # a measure key ("out_issued", "out_electronic_rate" …)
    label: str  # short heading, Vietnamese ("Tổng số", "Điện tử", "Tỷ lệ (%)")
    group: str  # the heading above a group of columns ("Văn bản đi", "Văn bản đến", "Xử lý")
    kind: ValueKind = ValueKind.COUNT


@dataclass(frozen=True)
class Row:
    label: str  # the agency's name, or a total ("Cấp tỉnh", "Toàn tỉnh")
    values: dict[str, int | float | None]  # by column key
    agency_id: int | None = None  # None for totals
    level: str = ""  # the agency's level label ("Sở, ban, ngành", "Xã, phường") — for grouping
    is_total: bool = False
    note: str = ""  # e.g. "gồm Sở Kế hoạch và Đầu tư (hợp nhất 01/03/2025)"


@dataclass(frozen=True)
class Definition:
    label: str
    text: str  # what the number counts, in Vietnamese


@dataclass(frozen=True)
class ReportTable:
    title: str  # "BÁO CÁO THỐNG KÊ TÌNH HÌNH GỬI, NHẬN, XỬ LÝ VĂN BẢN ĐIỆN TỬ"
    period_label: str  # "Tháng 11 năm 2026", "Quý IV năm 2026", "6 tháng đầu năm 2026" …
    period_start: date
    period_end: date  # inclusive
    issuer: str  # who reports ("ỦY BAN NHÂN DÂN TỈNH THANH HÓA")
    addressee: str  # "Sở Tài chính"
    columns: list[Column]
    rows: list[Row]
    generated_at: datetime
    definitions: list[Definition] = field(default_factory=list)
    place: str = "Thanh Hóa"  # for the date line "Thanh Hóa, ngày … tháng … năm …"
