"""Reference data every installation has: the 29 administrative document types of Decree 30/2020
(Art. 7; Appendix III §I) and the three copy kinds, with their case-exact abbreviations (DOMAIN.md
§1.2). ``code`` is the abbreviation, or CONG_VAN / THU_CONG for the two types that have none.

The data migration ``0002_seed_document_types`` wrote them once (with its own frozen copy of this
list); ``document_types_ensure`` puts back any that are missing after ``migrate`` and after a
``flush`` (both send ``post_migrate``), so a database emptied by a test or by hand keeps them."""

from __future__ import annotations

from typing import Any

from vanthu.documents.models import DocumentType
from vanthu.documents.models import TypeKind

ADMINISTRATIVE_TYPES = [
    ("NQ", "Nghị quyết", "NQ"),
    ("QĐ", "Quyết định", "QĐ"),
    ("CT", "Chỉ thị", "CT"),
    ("QC", "Quy chế", "QC"),
    ("QyĐ", "Quy định", "QyĐ"),
    ("TC", "Thông cáo", "TC"),
    ("TB", "Thông báo", "TB"),
    ("HD", "Hướng dẫn", "HD"),
    ("CTr", "Chương trình", "CTr"),
    ("KH", "Kế hoạch", "KH"),
    ("PA", "Phương án", "PA"),
    ("ĐA", "Đề án", "ĐA"),
    ("DA", "Dự án", "DA"),
    ("BC", "Báo cáo", "BC"),
    ("BB", "Biên bản", "BB"),
    ("TTr", "Tờ trình", "TTr"),
    ("HĐ", "Hợp đồng", "HĐ"),
    ("CONG_VAN", "Công văn", ""),
    ("CĐ", "Công điện", "CĐ"),
    ("BGN", "Bản ghi nhớ", "BGN"),
    ("BTT", "Bản thỏa thuận", "BTT"),
    ("GUQ", "Giấy ủy quyền", "GUQ"),
    ("GM", "Giấy mời", "GM"),
    ("GGT", "Giấy giới thiệu", "GGT"),
    ("GNP", "Giấy nghỉ phép", "GNP"),
    ("PG", "Phiếu gửi", "PG"),
    ("PC", "Phiếu chuyển", "PC"),
    ("PB", "Phiếu báo", "PB"),
    ("THU_CONG", "Thư công", ""),
]
COPY_KINDS = [
    ("SY", "Bản sao y", "SY"),
    ("TrS", "Bản trích sao", "TrS"),
    ("SL", "Bản sao lục", "SL"),
]


def document_types_ensure() -> int:
    """Create the standard types that are missing (never changes an existing one); returns how many."""
    rows = [(entry, TypeKind.ADMINISTRATIVE) for entry in ADMINISTRATIVE_TYPES]
    rows += [(entry, TypeKind.COPY) for entry in COPY_KINDS]
    existing = set(DocumentType.objects.filter(agency__isnull=True).values_list("code", flat=True))
    missing = [
        DocumentType(code=code, name=name, abbreviation=abbreviation, kind=kind, ordinal=ordinal)
        for ordinal, ((code, name, abbreviation), kind) in enumerate(rows, start=1)
        if code not in existing
    ]
    DocumentType.objects.bulk_create(missing)
    return len(missing)


def on_post_migrate(sender: Any, **kwargs: Any) -> None:
    """Receiver of ``post_migrate`` for this app (after ``migrate`` and ``flush``)."""
    using = kwargs.get("using", "default")
    if using == "default":
        document_types_ensure()
