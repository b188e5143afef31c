# mypy: disable-error-code="no-untyped-call"
# (pyHanko's pdf_utils writer and generic objects are not annotated everywhere)
"""Test documents: a realistic two-page "Quyết định" of a provincial department (Vietnamese text in
the shipped Noto Serif font, Decree 30 layout), an encrypted and a truncated PDF, and signature and
seal images. Pure Python: no Django here (the signing engine's tests, demos and benchmarks use it).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from dataclasses import field

from PIL import Image
from PIL import ImageDraw
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import PageObject
from pyhanko.pdf_utils.writer import PdfFileWriter

from vanthu.signing.pades.drawing import Font
from vanthu.signing.pades.drawing import font_bytes

A4 = (595.0, 842.0)
LEFT_COLUMN_CENTRE = 155.0
RIGHT_COLUMN_CENTRE = 410.0
PAGE_CENTRE = A4[0] / 2
LEFT_MARGIN = 85.0  # 30 mm
RIGHT_MARGIN = 57.0  # 20 mm

DEFAULT_SIGNER_NAME = "Nguyễn Văn Hùng"
DEFAULT_SIGNER_TITLE = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
SIGNATURE_BLUE = (20, 40, 170)
SEAL_RED = (220, 20, 30)

_BODY_PAGE_1 = [
    "Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ",
    "về công tác văn thư;",
    "Căn cứ Quyết định số 12/2024/QĐ-UBND ngày 10 tháng 4 năm 2024 của Ủy ban",
    "nhân dân tỉnh Thanh Hóa quy định chức năng, nhiệm vụ của Sở Tài chính;",
    "Theo đề nghị của Trưởng phòng Quản lý ngân sách.",
]
_BODY_PAGE_2 = [
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    "Điều 3. Chánh Văn phòng Sở, Trưởng phòng Quản lý ngân sách, thủ trưởng các",
    "đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
]
_ARTICLE_1 = [
    "Điều 1. Phê duyệt dự toán thu, chi ngân sách năm 2025 của các đơn vị dự toán",
    "trực thuộc Sở Tài chính tỉnh Thanh Hóa (chi tiết tại Phụ lục kèm theo).",
    "Đơn vị có trách nhiệm sử dụng kinh phí đúng mục đích, đúng chế độ, tiết kiệm,",
    "hiệu quả; thực hiện công khai dự toán theo quy định của pháp luật hiện hành.",
]


@dataclass
class _Page:
    """A page being typeset: text lines drawn with one glyph accumulator per (font, size)."""

    writer: PdfFileWriter
    engines: dict[tuple[Font, float], tuple[str, GlyphAccumulator]]
    operations: list[bytes] = field(default_factory=list)

    def _engine(self, font: Font, size: float) -> tuple[str, GlyphAccumulator]:
        key = (font, size)
        if key not in self.engines:
            engine = GlyphAccumulator(writer=self.writer, font_handle=io.BytesIO(font_bytes(font)), font_size=size)
            self.engines[key] = (f"F{len(self.engines) + 1}", engine)
        return self.engines[key]

    def text(self, text: str, *, x: float, y: float, size: float = 13, bold: bool = False, align: str = "left") -> None:
        """One line; each word is its own text object, as office suites write them (so text
        extraction sees words with their own boxes)."""
        name, engine = self._engine(Font.BOLD if bold else Font.REGULAR, size)
        space = float(engine.shape(" ", with_actual_text=False).x_advance) * size
        width = float(engine.shape(text, with_actual_text=False).x_advance) * size
        if align == "centre":
            x -= width / 2
        elif align == "right":
            x -= width
        for word in text.split(" "):
            if word:
                shaped = engine.shape(word)
                self.operations.append(
                    b"BT /%s %g Tf 1 0 0 1 %g %g Tm %s ET" % (name.encode("ascii"), size, x, y, shaped.graphics_ops)
                )
                x += float(shaped.x_advance) * size
            x += space

    def rule(self, *, x0: float, x1: float, y: float) -> None:
        self.operations.append(b"0.6 w %g %g m %g %g l S" % (x0, y, x1, y))

    def finish(self) -> PageObject:
        fonts = generic.DictionaryObject(
            {pdf_name("/" + name): engine.as_resource() for name, engine in self.engines.values()}
        )
        contents = self.writer.add_object(generic.StreamObject(stream_data=b"\n".join(self.operations)))
        return PageObject(
            contents=contents,
            media_box=[0, 0, *A4],
            resources=generic.DictionaryObject({pdf_name("/Font"): fonts}),
        )


def decision_pdf(  # noqa: PLR0913 - one knob per printed part
    *,
    signer_name: str = DEFAULT_SIGNER_NAME,
    signer_title: str = DEFAULT_SIGNER_TITLE,
    number_placeholder: str = "/QĐ-STC",
    pages: int = 2,
    parent_name: str = "UBND TỈNH THANH HÓA",
    agency_name: str = "SỞ TÀI CHÍNH",
    type_title: str = "QUYẾT ĐỊNH",
    subject: str = "Về việc phê duyệt dự toán ngân sách năm 2025",
    issuer_line: str = "GIÁM ĐỐC SỞ TÀI CHÍNH TỈNH THANH HÓA",
) -> bytes:
    """A draft "Quyết định" laid out like Decree 30 App. I: header with "Số:" and the date line left
    blank for issuance, the signer block (title, blank, printed name) at the bottom right of the
    last page. ``pages`` is 1 or 2. The header, type, summary and issuer lines can be changed (the
    demo province makes documents of several agencies with it)."""
    writer = PdfFileWriter()
    engines: dict[tuple[Font, float], tuple[str, GlyphAccumulator]] = {}
    first = _Page(writer=writer, engines=engines)
    first.text(parent_name, x=LEFT_COLUMN_CENTRE, y=780, size=12, align="centre")
    first.text(agency_name, x=LEFT_COLUMN_CENTRE, y=765, size=12, bold=True, align="centre")
    first.rule(x0=LEFT_COLUMN_CENTRE - 30, x1=LEFT_COLUMN_CENTRE + 30, y=760)
    first.text(f"Số:            {number_placeholder}", x=LEFT_COLUMN_CENTRE - 60, y=738, size=13)
    first.text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", x=RIGHT_COLUMN_CENTRE, y=780, size=12, bold=True, align="centre")
    first.text("Độc lập - Tự do - Hạnh phúc", x=RIGHT_COLUMN_CENTRE, y=765, size=13, bold=True, align="centre")
    first.rule(x0=RIGHT_COLUMN_CENTRE - 80, x1=RIGHT_COLUMN_CENTRE + 80, y=760)
    first.text("Thanh Hóa, ngày       tháng       năm 2025", x=RIGHT_COLUMN_CENTRE, y=738, size=13, align="centre")
    first.text(type_title, x=PAGE_CENTRE, y=690, size=14, bold=True, align="centre")
    first.text(subject, x=PAGE_CENTRE, y=672, size=14, bold=True, align="centre")
    first.text(issuer_line, x=PAGE_CENTRE, y=640, size=14, bold=True, align="centre")
    y = 610.0
    for line in _BODY_PAGE_1:
        first.text(line, x=LEFT_MARGIN, y=y)
        y -= 20
    first.text("QUYẾT ĐỊNH:", x=PAGE_CENTRE, y=y - 6, size=14, bold=True, align="centre")
    y -= 34
    body = _ARTICLE_1 * (1 if pages == 1 else 3)
    for line in body:
        first.text(line, x=LEFT_MARGIN, y=y)
        y -= 20

    last = first if pages == 1 else _Page(writer=writer, engines=engines)
    y = y if pages == 1 else 780.0
    for line in _BODY_PAGE_2:
        last.text(line, x=LEFT_MARGIN, y=y)
        y -= 20
    _signer_block(last, top=y - 20, name=signer_name, title=signer_title)
    writer.insert_page(first.finish())
    if last is not first:
        writer.insert_page(last.finish())
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _signer_block(page: _Page, *, top: float, name: str, title: str) -> None:
    page.text("Nơi nhận:", x=LEFT_MARGIN, y=top, size=12, bold=True)
    for number, recipient in enumerate(["- Như Điều 3;", "- UBND tỉnh (để b/c);", "- Lưu: VT, QLNS."]):
        page.text(recipient, x=LEFT_MARGIN, y=top - 14 * (number + 1), size=11)
    y = top
    for line in title.splitlines():
        page.text(line, x=RIGHT_COLUMN_CENTRE, y=y, size=13, bold=True, align="centre")
        y -= 16
    page.text(name, x=RIGHT_COLUMN_CENTRE, y=y - 80, size=13, bold=True, align="centre")


def encrypted_pdf(*, password: str = "secret") -> bytes:  # noqa: S107 - a test fixture
    """A one-page PDF protected with a user password."""
    writer = PdfFileWriter()
    page = _Page(writer=writer, engines={})
    page.text("Tài liệu mật", x=LEFT_MARGIN, y=780)
    writer.insert_page(page.finish())
    writer.encrypt(owner_pass=password, user_pass=password)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def truncated(pdf: bytes, *, fraction: float = 0.6) -> bytes:
    """The first ``fraction`` of ``pdf``: what an interrupted upload leaves."""
    return pdf[: int(len(pdf) * fraction)]


def signature_png(*, width: int = 600, height: int = 300) -> bytes:
    """A blue handwritten-looking signature on a transparent background."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [
        (
            width * (0.08 + 0.84 * step / 199),
            height * (0.5 + 0.28 * math.sin(step / 9.0) * math.cos(step / 31.0)),
        )
        for step in range(200)
    ]
    draw.line(points, fill=(*SIGNATURE_BLUE, 255), width=max(width // 80, 3), joint="curve")
    draw.line([(width * 0.15, height * 0.78), (width * 0.85, height * 0.7)], fill=(*SIGNATURE_BLUE, 255), width=5)
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def seal_png(*, size: int = 500) -> bytes:
    """A red round seal (two rings and a star) on a transparent background."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (*SEAL_RED, 230)
    draw.ellipse([4, 4, size - 5, size - 5], outline=red, width=size // 40)
    draw.ellipse([size * 0.22, size * 0.22, size * 0.78, size * 0.78], outline=red, width=size // 70)
    centre = size / 2
    star = []
    for corner in range(10):
        radius = size * (0.2 if corner % 2 == 0 else 0.08)
        angle = math.pi / 2 + corner * math.pi / 5
        star.append((centre + radius * math.cos(angle), centre - radius * math.sin(angle)))
    draw.polygon(star, fill=red)
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()
