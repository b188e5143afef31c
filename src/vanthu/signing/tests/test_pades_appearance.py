"""Where the stamps land (Decree 30 App. I), checked on pages rendered by poppler at 72 dpi (one
pixel = one point), and the text-location helpers."""

from __future__ import annotations

import codecs
import io
import re

import pytest
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils.reader import PdfFileReader

from vanthu.signing.pades import CopyOrAnnexLine
from vanthu.signing.pades import PersonSignature
from vanthu.signing.pades import Placement
from vanthu.signing.pades import Rect
from vanthu.signing.pades import document
from vanthu.signing.pades import locate
from vanthu.signing.pades import sign_pdf
from vanthu.signing.pades.appearance import seal_rect
from vanthu.signing.pades.appearance import signing_time_text
from vanthu.signing.pades.drawing import FONT_DIRECTORY
from vanthu.signing.testing import pdfs
from vanthu.signing.testing.pki import build_test_pki
from vanthu.signing.testing.pki import signer_for
from vanthu.signing.tests.pades_helpers import HAS_POPPLER
from vanthu.signing.tests.pades_helpers import NOW
from vanthu.signing.tests.pades_helpers import changed_pixels_box
from vanthu.signing.tests.pades_helpers import render
from vanthu.signing.tests.pades_helpers import signed_pair

needs_poppler = pytest.mark.skipif(not HAS_POPPLER, reason="poppler-utils not installed")
PAGE_WIDTH, PAGE_HEIGHT = pdfs.A4
VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"


def _widgets(pdf: bytes) -> dict[str, list[document.SignatureWidget]]:
    widgets: dict[str, list[document.SignatureWidget]] = {}
    for widget in document.signature_widgets(PdfFileReader(io.BytesIO(pdf))):
        widgets.setdefault(widget.field_name, []).append(widget)
    return widgets


def _signer_block(pdf: bytes) -> tuple[Rect, Rect]:
    """(title line, name line) of the last page, in PDF points."""
    text = locate.page_text(pdf, page_number=2)
    title = next(line for line in text.lines if "PHÓ GIÁM ĐỐC" in line.text).rect
    name = next(line for line in text.lines if pdfs.DEFAULT_SIGNER_NAME in line.text).rect
    return title, name


@needs_poppler
class TestCopyAndAnnexLine:
    @pytest.mark.parametrize("text", ["15/QĐ-STC", "SAO Y\nSở Tài chính tỉnh Thanh Hóa"], ids=["annex", "copy"])
    def test_writes_a_grey_text_line_at_the_top_right_of_page_one(self, text, tmp_path) -> None:  # type: ignore[no-untyped-def]
        draft = pdfs.decision_pdf()
        signed = sign_pdf(
            pdf=draft, signer=signer_for(build_test_pki(NOW), "agency"), appearance=CopyOrAnnexLine(text=text), now=NOW
        )

        before = render(draft, page=1, directory=tmp_path, name="before")
        after = render(signed, page=1, directory=tmp_path, name="after")
        box = changed_pixels_box(before, after)

        assert box is not None
        left, top, right, bottom = box
        assert left > PAGE_WIDTH * 0.4  # the right part of the page
        assert PAGE_WIDTH - 50 <= right <= PAGE_WIDTH - 40  # right-aligned on the 15 mm right margin
        assert top >= 10  # in the top margin, above the header
        assert bottom <= 40
        assert bottom - top <= 16  # one line of 10-point text
        # black text, no image: the changed pixels are all grey
        region = after.crop(box)
        pixels = region.tobytes()
        assert all(
            abs(pixels[i] - pixels[i + 1]) < 25 and abs(pixels[i + 1] - pixels[i + 2]) < 25
            for i in range(0, len(pixels), 3)
        )
        # and page 2 is untouched
        assert (
            changed_pixels_box(
                render(draft, page=2, directory=tmp_path, name="before2"),
                render(signed, page=2, directory=tmp_path, name="after2"),
            )
            is None
        )

    def test_carries_the_signing_time_in_vietnam_time(self) -> None:
        signed = sign_pdf(
            pdf=pdfs.decision_pdf(),
            signer=signer_for(build_test_pki(NOW), "agency"),
            appearance=CopyOrAnnexLine(text="15/QĐ-STC"),
            now=NOW,
        )
        widget = PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures[0].sig_field
        appearance = widget["/AP"]["/N"].get_object()

        literal = re.search(rb"/ActualText \((.*?)\)\s*>>", appearance.data, re.DOTALL)
        assert literal is not None
        actual_text = codecs.escape_decode(literal.group(1))[0].decode("utf-16")  # type: ignore[attr-defined]
        assert actual_text == "15/QĐ-STC, 2026-03-10T09:00:00+07:00"
        assert "/Image" not in str(appearance.get("/Resources", {}))


@needs_poppler
class TestPersonAndSeal:
    def test_person_stamp_lands_in_the_signer_box(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        pair = signed_pair()
        title, name = _signer_block(pair.draft)

        box = changed_pixels_box(
            render(pair.draft, page=2, directory=tmp_path, name="draft"),
            render(pair.person, page=2, directory=tmp_path, name="person"),
        )

        assert box is not None
        left, top, right, bottom = box
        assert PAGE_HEIGHT - title.y0 <= top  # between title and name
        assert bottom <= PAGE_HEIGHT - name.y1
        assert abs((left + right) / 2 - name.centre_x) < 5  # centred on the printed name
        person = _widgets(pair.person)["PersonSignature1"][0]
        assert person.page == 1
        assert person.rect.y0 >= name.y1
        assert person.rect.y1 <= title.y0

    def test_seal_covers_the_left_third_of_the_signature(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        pair = signed_pair()
        widgets = _widgets(pair.agency)
        person = widgets["PersonSignature1"][0].rect
        seal = next(widget for widget in widgets["AgencySignature1"] if widget.page == 1).rect

        assert abs(seal.x1 - (person.x0 + person.width / 3)) <= 1.5
        assert abs(seal.centre_y - person.centre_y) <= 1.5
        assert abs(seal.width - 36 * 72 / 25.4) <= 1.5  # real size: 36 mm
        image = render(pair.agency, page=2, directory=tmp_path, name="agency")
        red = [
            (x, y)
            for x in range(int(seal.x0), int(seal.x1))
            for y in range(int(PAGE_HEIGHT - seal.y1), int(PAGE_HEIGHT - seal.y0))
            if (pixel := image.getpixel((x, y)))[0] > 150 and pixel[1] < 100 and pixel[2] < 100  # type: ignore[index]
        ]
        assert len(red) > 300

    def test_issuance_writes_number_and_date_over_their_placeholders(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        pair = signed_pair()
        page_one = [widget for widget in _widgets(pair.agency)["AgencySignature1"] if widget.page == 0]
        number, date = sorted(page_one, key=lambda widget: widget.rect.x0)

        header = locate.page_text(pair.draft, page_number=1)
        number_label = next(line for line in header.lines if line.text.startswith("Số:")).rect
        date_line = next(line for line in header.lines if "ngày" in line.text and "tháng" in line.text).rect
        assert abs(number.rect.centre_y - number_label.centre_y) < 2
        assert number.rect.x0 >= number_label.x0 + 15
        assert abs(date.rect.centre_y - date_line.centre_y) < 2
        assert date.rect.x1 >= date_line.x1
        box = changed_pixels_box(
            render(pair.person, page=1, directory=tmp_path, name="person"),
            render(pair.agency, page=1, directory=tmp_path, name="agency"),
        )
        assert box is not None
        assert box[3] <= PAGE_HEIGHT - date_line.y0 + 2  # nothing changed below the header line

    def test_falls_back_to_configured_box_without_the_name_on_the_page(self) -> None:
        fallback = Placement(page=-1, rect=Rect(320, 200, 520, 280))
        appearance = PersonSignature(
            image_png=pdfs.signature_png(), name="Người Không Có Tên", title="GIÁM ĐỐC", fallback_box=fallback
        )

        signed = sign_pdf(
            pdf=pdfs.decision_pdf(), signer=signer_for(build_test_pki(NOW), "person"), appearance=appearance, now=NOW
        )

        widget = _widgets(signed)["PersonSignature1"][0]
        assert widget.page == 1
        assert fallback.rect.contains(widget.rect, tolerance=1)


class TestGeometry:
    def test_seal_rect_overlaps_a_third_on_the_left(self) -> None:
        seal = seal_rect(person_image=Rect(300, 100, 420, 160), seal_width=100, seal_height=100)

        assert seal == Rect(240, 80, 340, 180)

    def test_signing_time_text_is_vietnam_time_in_iso_8601(self) -> None:
        assert signing_time_text(NOW) == "2026-03-10T09:00:00+07:00"

    def test_finds_the_signer_box_between_title_and_name(self) -> None:
        xhtml = (
            '<page width="595" height="842">'
            '<word xMin="360" yMin="100" xMax="460" yMax="116">KT. GIÁM ĐỐC</word>'
            '<word xMin="355" yMin="116" xMax="465" yMax="132">PHÓ GIÁM ĐỐC</word>'
            '<word xMin="85" yMin="100" xMax="140" yMax="116">Nơi nhận:</word>'
            '<word xMin="350" yMin="220" xMax="400" yMax="236">Nguyễn</word>'
            '<word xMin="403" yMin="220" xMax="430" yMax="236">Văn</word>'
            '<word xMin="433" yMin="220" xMax="470" yMax="236">Hùng</word>'
            "</page>"
        )
        text = locate.parse_bbox_layout(xhtml)

        box = locate.find_signer_box(text, name="Nguyễn Văn Hùng", title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC")

        assert box == Rect(350, 842 - 220 + 2, 470, 842 - 132 - 2)

    def test_finds_no_signer_box_without_the_name(self) -> None:
        text = locate.parse_bbox_layout(
            '<page width="595" height="842"><word xMin="1" yMin="1" xMax="9" yMax="9">x</word></page>'
        )

        assert locate.find_signer_box(text, name="Nguyễn Văn Hùng", title="GIÁM ĐỐC") is None

    @pytest.mark.parametrize("name", ["NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf"])
    def test_shipped_fonts_cover_vietnamese_with_1000_units_per_em(self, name: str) -> None:
        font = TTFont(FONT_DIRECTORY / name)
        cmap = font.getBestCmap()

        assert font["head"].unitsPerEm == 1000
        assert [letter for letter in VIETNAMESE + VIETNAMESE.upper() if ord(letter) not in cmap] == []
        assert (FONT_DIRECTORY / "OFL.txt").exists()
