"""The 29 administrative document types of Decree 30/2020 (Art. 7; Appendix III §I) and the three
copy kinds, with their case-exact abbreviations (DOMAIN.md §1.2). ``code`` is the abbreviation, or
CONG_VAN / THU_CONG for the two types that have none."""

from __future__ import annotations

from django.db import migrations

ADMINISTRATIVE = [
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
COPIES = [
    ("SY", "Bản sao y", "SY"),
    ("TrS", "Bản trích sao", "TrS"),
    ("SL", "Bản sao lục", "SL"),
]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    rows = [(entry, "ADMINISTRATIVE") for entry in ADMINISTRATIVE] + [(entry, "COPY") for entry in COPIES]
    for ordinal, ((code, name, abbreviation), kind) in enumerate(rows, start=1):
        DocumentType.objects.update_or_create(
            code=code,
            agency=None,
            defaults={"name": name, "abbreviation": abbreviation, "kind": kind, "ordinal": ordinal},
        )


def unseed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    codes = [code for code, _name, _abbreviation in ADMINISTRATIVE + COPIES]
    DocumentType.objects.filter(agency=None, code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
