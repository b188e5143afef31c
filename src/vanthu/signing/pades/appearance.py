"""What a signature looks like on the page (Decree 30/2020, Appendix I; DOMAIN.md §1.9).

- :class:`PersonSignature`: the competent person's signature image (blue PNG, transparent) in the
  signer box, between the title line and the printed name of the last page.
- :class:`AgencySignature`: the agency's seal image (red PNG, transparent, real size) overlapping
  about a third of the person's signature image on its left; at issuance it may also write the
  number and symbol and the issue date into their boxes on page 1 (:class:`IssuanceStamp`).
- :class:`CopyOrAnnexLine`: annexes in separate files and electronic copies: no image, a size-10
  text line at the top right of page 1 with the number and symbol (or the copy form and copying
  agency) and the signing time in ISO 8601 with +07:00.

Positions are in PDF points; pages are 0-based indexes, negative ones count from the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vanthu.core.clock import vietnam_time
from vanthu.signing.pades.drawing import POINTS_PER_MM
from vanthu.signing.pades.drawing import Rect

__all__ = [
    "Appearance",
    "AgencySignature",
    "CopyOrAnnexLine",
    "IssuanceStamp",
    "PersonSignature",
    "Placement",
    "Rect",
    "signing_time_text",
]

# Decree 30 App. I: Times New Roman (we ship Noto Serif, which covers every Vietnamese letter), 10 pt.
ANNEX_LINE_FONT_SIZE = 10.0
ANNEX_LINE_LEADING = 12.0
# Right margin 15–20 mm (App. I §I.5); the line sits in the top margin above the header.
ANNEX_LINE_RIGHT_MARGIN_MM = 15.0
ANNEX_LINE_TOP_MARGIN_MM = 7.0
# Wider than this share of the page, the time goes on a second line.
ANNEX_LINE_MAX_WIDTH_FRACTION = 0.55


@dataclass(frozen=True)
class Placement:
    """A rectangle on one page (``page`` 0-based; ``-1`` is the last page)."""

    page: int
    rect: Rect


# Where the signer box is assumed to be when the last page's text does not reveal it: the
# signature block of an A4 page, right column, lower half.
DEFAULT_SIGNER_BOX = Placement(page=-1, rect=Rect(330.0, 300.0, 530.0, 380.0))


@dataclass(frozen=True)
class PersonSignature:
    """The competent person's signature: their image, centred in the signer box.

    ``box`` forces the signer box; otherwise it is found on the last page from ``name`` and
    ``title`` (e.g. "GIÁM ĐỐC" or "KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC"), else ``fallback_box`` is used.
    ``show_caption`` adds a small line with the name and signing time under the image (Decree 30
    asks for none; some agencies like one).
    """

    image_png: bytes
    name: str
    title: str
    box: Placement | None = None
    fallback_box: Placement = DEFAULT_SIGNER_BOX
    show_caption: bool = False
    max_image_height_mm: float = 28.0


@dataclass(frozen=True)
class IssuanceStamp:
    """Number and symbol and issue date, written into their boxes on page 1 by the agency signature.

    ``issue_date_text`` replaces the header's date line from "ngày" on, e.g.
    "ngày 15 tháng 01 năm 2025". Boxes are found from page 1's text ("Số:" and the "ngày … tháng …
    năm …" line) unless given.
    """

    number_symbol: str
    issue_date_text: str
    number_box: Placement | None = None
    date_box: Placement | None = None
    font_size: float = 13.0


@dataclass(frozen=True)
class AgencySignature:
    """The agency's seal over the left third of the person's signature image (real size).

    The person's signature is the visible signature field ``person_field_name`` or, by default, the
    last visible signature on the last page; without one the seal goes to ``box`` (or the default
    signer box).
    """

    seal_png: bytes
    agency_name: str
    seal_width_mm: float = 36.0
    person_field_name: str | None = None
    box: Placement | None = None
    issuance: IssuanceStamp | None = None


@dataclass(frozen=True)
class CopyOrAnnexLine:
    """Agency signature without image: a size-10 text line at the top right of page 1.

    ``text``: "15/QĐ-UBND" for an annex, or "SAO Y\\nUBND tỉnh Thanh Hóa" for a copy (its lines are
    joined with " — "); the signing time follows after a comma, e.g. "SAO Y — UBND tỉnh Thanh Hóa,
    2025-01-15T09:30:00+07:00". A line too long for the top right puts the time on a second line.
    """

    text: str


Appearance = PersonSignature | AgencySignature | CopyOrAnnexLine


def signing_time_text(now: datetime) -> str:
    """ISO 8601 in Vietnam time with its offset, e.g. ``2025-01-15T09:30:00+07:00``."""
    return vietnam_time(now).isoformat(timespec="seconds")


def seal_rect(*, person_image: Rect, seal_width: float, seal_height: float) -> Rect:
    """The seal's rectangle: its right part covers the left third of the person's image, centred
    vertically on it."""
    right = person_image.x0 + person_image.width / 3
    bottom = person_image.centre_y - seal_height / 2
    return Rect(right - seal_width, bottom, right, bottom + seal_height)


def seal_size(*, width_mm: float, pixel_width: int, pixel_height: int) -> tuple[float, float]:
    width = width_mm * POINTS_PER_MM
    return width, width * pixel_height / max(pixel_width, 1)


def fit_image(*, box: Rect, pixel_width: int, pixel_height: int, max_height: float) -> Rect:
    """The largest rectangle with the image's aspect ratio inside ``box`` (and at most
    ``max_height`` high), centred in it."""
    aspect = pixel_width / max(pixel_height, 1)
    height = min(box.height, max_height)
    width = height * aspect
    if width > box.width:
        width = box.width
        height = width / aspect
    x0 = box.centre_x - width / 2
    y0 = box.centre_y - height / 2
    return Rect(x0, y0, x0 + width, y0 + height)


def annex_line_rect(*, crop: Rect, line_widths: list[float]) -> Rect:
    """Top right of page 1, right-aligned with the right margin."""
    right = crop.x1 - ANNEX_LINE_RIGHT_MARGIN_MM * POINTS_PER_MM
    top = crop.y1 - ANNEX_LINE_TOP_MARGIN_MM * POINTS_PER_MM
    width = max(line_widths) + 4
    height = ANNEX_LINE_LEADING * len(line_widths) + 4
    return Rect(right - width, top - height, right, top)
