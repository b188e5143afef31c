"""The few real PDF files of the synthetic province, made once and shared by content: for each of a
handful of layouts a draft, a signed and an issued file (Decree 30 layout, Vietnamese text), and a
few paper scans (an image of a page, as a scanner makes it)."""

# ruff: noqa: PLR2004, S311 - the shares and chances of synthetic data, drawn from a seeded generator

from __future__ import annotations

import io
import random
import time
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from functools import lru_cache

from PIL import Image
from PIL import ImageDraw

from vanthu.core.blobs import blob_store_bytes
from vanthu.signing.testing.pdfs import decision_pdf

# (parent, agency, type title, summary, issuer line, symbol)
LAYOUTS = [
    (
        "UBND TỈNH THANH HÓA",
        "SỞ TÀI CHÍNH",
        "QUYẾT ĐỊNH",
        "Về việc phê duyệt dự toán ngân sách năm 2026",
        "GIÁM ĐỐC SỞ TÀI CHÍNH TỈNH THANH HÓA",
        "/QĐ-STC",
    ),
    (
        "UBND TỈNH THANH HÓA",
        "SỞ Y TẾ",
        "KẾ HOẠCH",
        "Triển khai tiêm chủng mở rộng năm 2026",
        "GIÁM ĐỐC SỞ Y TẾ TỈNH THANH HÓA",
        "/KH-SYT",
    ),
    (
        "",
        "ỦY BAN NHÂN DÂN TỈNH THANH HÓA",
        "CÔNG VĂN",
        "V/v triển khai chuyển đổi số năm 2026",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH",
        "/UBND-KGVX",
    ),
    (
        "UBND TỈNH THANH HÓA",
        "SỞ NỘI VỤ",
        "BÁO CÁO",
        "Kết quả cải cách hành chính quý III năm 2026",
        "GIÁM ĐỐC SỞ NỘI VỤ TỈNH THANH HÓA",
        "/BC-SNV",
    ),
    (
        "UBND TỈNH THANH HÓA",
        "UBND PHƯỜNG HẠC THÀNH",
        "THÔNG BÁO",
        "Kết luận của Chủ tịch UBND phường",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG",
        "/TB-UBND",
    ),
    (
        "UBND TỈNH THANH HÓA",
        "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
        "GIẤY MỜI",
        "Dự hội nghị phòng, chống thiên tai",
        "GIÁM ĐỐC SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
        "/GM-SNNMT",
    ),
]
SCAN_COUNT = 3
FIXED_DATE = time.gmtime(datetime(2026, 1, 1, tzinfo=UTC).timestamp())


@dataclass
class PdfSet:
    """SHA-256 of each stored file; index i of drafts, signed, issued and pages is one layout."""

    drafts: list[str] = field(default_factory=list)
    signed: list[str] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    scans: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.drafts, *self.signed, *self.issued, *self.scans]


def _scan(seed: int) -> bytes:
    """A grey page with lines of "text" and speckles, saved as a one-page PDF at 100 dpi."""
    rng = random.Random(seed)
    page = Image.new("L", (827, 1170), 246)
    draw = ImageDraw.Draw(page)
    y = 120
    while y < 1050:
        width = rng.randint(380, 680)
        draw.rectangle((80, y, 80 + width, y + 9), fill=rng.randint(40, 90))
        y += rng.randint(22, 34)
    for _index in range(1500):
        x, dot_y = rng.randrange(827), rng.randrange(1170)
        draw.point((x, dot_y), fill=rng.randint(150, 220))
    output = io.BytesIO()
    page.save(output, format="PDF", resolution=100.0, creationDate=FIXED_DATE, modDate=FIXED_DATE)
    return output.getvalue()


@lru_cache(maxsize=1)
def _pdf_bytes() -> tuple[tuple[tuple[bytes, bytes, bytes, int], ...], tuple[bytes, ...]]:
    """The bytes of every file, made once per process (laying out the text takes seconds)."""
    layouts = []
    for index, (parent, agency, title, subject, issuer, symbol) in enumerate(LAYOUTS):
        pages = 1 + index % 2
        common = {
            "pages": pages,
            "parent_name": parent,
            "agency_name": agency,
            "type_title": title,
            "subject": subject,
            "issuer_line": issuer,
        }
        draft = decision_pdf(number_placeholder=symbol, **common)  # type: ignore[arg-type]
        signed = decision_pdf(number_placeholder=f" {symbol}", **common)  # type: ignore[arg-type]
        issued = decision_pdf(number_placeholder=f"{12 + index}{symbol}", **common)  # type: ignore[arg-type]
        layouts.append((draft, signed, issued, pages))
    return tuple(layouts), tuple(_scan(index) for index in range(SCAN_COUNT))


def pdfs_store(*, now: datetime) -> PdfSet:
    """Store the files (once: a blob is kept under its SHA-256) and return their hashes."""
    pdfs = PdfSet()
    layouts, scans = _pdf_bytes()
    for draft, signed, issued, pages in layouts:
        pdfs.drafts.append(blob_store_bytes(data=draft, now=now).sha256)
        pdfs.signed.append(blob_store_bytes(data=signed, now=now).sha256)
        pdfs.issued.append(blob_store_bytes(data=issued, now=now).sha256)
        pdfs.pages.append(pages)
    for scan in scans:
        pdfs.scans.append(blob_store_bytes(data=scan, now=now).sha256)
    return pdfs


@lru_cache(maxsize=len(LAYOUTS))
def _issued_bytes(index: int) -> tuple[bytes, int]:
    parent, agency, title, subject, issuer, symbol = LAYOUTS[index]
    pages = 1 + index % 2
    data = decision_pdf(
        number_placeholder=f"{12 + index}{symbol}",
        pages=pages,
        parent_name=parent,
        agency_name=agency,
        type_title=title,
        subject=subject,
        issuer_line=issuer,
    )
    return data, pages


def pdfs_store_light(*, now: datetime, layouts: int = 2) -> PdfSet:
    """Fewer files, made in a second or two: the issued file of the first ``layouts`` layouts stands
    for the draft, the signed and the issued file alike (for documents nobody reviews file by file,
    e.g. the demo's past); the scans as ``pdfs_store``'s."""
    pdfs = PdfSet()
    for index in range(min(layouts, len(LAYOUTS))):
        data, pages = _issued_bytes(index)
        sha256 = blob_store_bytes(data=data, now=now).sha256
        pdfs.drafts.append(sha256)
        pdfs.signed.append(sha256)
        pdfs.issued.append(sha256)
        pdfs.pages.append(pages)
    for index in range(SCAN_COUNT):
        pdfs.scans.append(blob_store_bytes(data=_scan(index), now=now).sha256)
    return pdfs
