# mypy: disable-error-code="no-untyped-call"
# (pyHanko's pdf_utils writer and generic objects are not annotated everywhere)
"""A small canvas for appearance streams: PNG images, text lines in the shipped Noto Serif font,
white patches. Each canvas becomes one form XObject (a widget's normal appearance).

Text is shaped by pyHanko's GlyphAccumulator (HarfBuzz) and embedded as a subset with a ToUnicode
map, so the Vietnamese letters render and can be copied. One accumulator per (font, size): the
accumulator's size must equal the ``Tf`` size (DEPENDENCIES.md pitfall), and the font must have
1000 units per em (checked when the font is first loaded).
"""

from __future__ import annotations

import enum
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PIL import Image
from PIL import UnidentifiedImageError
from pyhanko.pdf_utils.content import ResourceType
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp.base import BaseStamp
from pyhanko.stamp.base import BaseStampStyle

from vanthu.signing.pades.errors import SignatureImageError

FONT_DIRECTORY = Path(__file__).resolve().parent.parent / "fonts"
POINTS_PER_MM = 72 / 25.4
BLACK = (0.0, 0.0, 0.0)
# Largest decoded image we accept (a 2 MB PNG can decode to far more).
MAX_IMAGE_PIXELS = 4096 * 4096
# pyHanko lays text out correctly only for fonts with 1000 units per em (DEPENDENCIES.md).
UNITS_PER_EM = 1000

Colour = tuple[float, float, float]
Align = Literal["left", "centre", "right"]


class Font(enum.Enum):
    REGULAR = "NotoSerif-Regular.ttf"
    BOLD = "NotoSerif-Bold.ttf"


@dataclass(frozen=True)
class Rect:
    """A rectangle in PDF points (origin at the bottom left of the page or of the appearance)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def centre_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def centre_y(self) -> float:
        return (self.y0 + self.y1) / 2

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)

    def translated(self, dx: float, dy: float) -> Rect:
        return Rect(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def contains(self, other: Rect, *, tolerance: float = 0.5) -> bool:
        return (
            other.x0 >= self.x0 - tolerance
            and other.y0 >= self.y0 - tolerance
            and other.x1 <= self.x1 + tolerance
            and other.y1 <= self.y1 + tolerance
        )


@lru_cache(maxsize=4)
def font_bytes(font: Font) -> bytes:
    """The font file, read once per process; refuses a font whose unitsPerEm is not 1000."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    data = (FONT_DIRECTORY / font.value).read_bytes()
    units_per_em = TTFont(io.BytesIO(data), lazy=True)["head"].unitsPerEm
    if units_per_em != UNITS_PER_EM:  # pragma: no cover - guards against a wrong font being shipped
        raise RuntimeError(f"{font.value} has unitsPerEm={units_per_em}; stamp fonts need 1000")
    return data


def load_png(data: bytes) -> Image.Image:
    """Decode a PNG signature/seal image to RGBA (keeping its transparency)."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.format != "PNG":
                raise SignatureImageError()
            if opened.width * opened.height > MAX_IMAGE_PIXELS:
                raise SignatureImageError()
            image = opened.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise SignatureImageError() from error
    return image


@lru_cache(maxsize=4)
def _measuring_engine(font: Font) -> GlyphAccumulator:
    from pyhanko.pdf_utils.writer import PdfFileWriter

    return GlyphAccumulator(writer=PdfFileWriter(), font_handle=io.BytesIO(font_bytes(font)), font_size=1)


def text_width(text: str, *, size: float, font: Font = Font.REGULAR) -> float:
    """Width in points of one line of ``text`` (shaped by HarfBuzz, as it will be drawn)."""
    shaped = _measuring_engine(font).shape(unicodedata.normalize("NFC", text), with_actual_text=False)
    return float(shaped.x_advance) * size


class FontBook:
    """The glyph accumulators of one PDF writer, shared by all canvases of one signing, so each
    (font, size) is embedded once."""

    def __init__(self, writer: BasePdfFileWriter) -> None:
        self.writer = writer
        self._engines: dict[tuple[Font, float], tuple[str, GlyphAccumulator]] = {}

    def engine(self, font: Font, size: float) -> tuple[str, GlyphAccumulator]:
        key = (font, size)
        if key not in self._engines:
            writer = self.writer
            engine = GlyphAccumulator(
                writer=writer,
                font_handle=io.BytesIO(font_bytes(font)),
                font_size=size,
                obj_stream=writer.prepare_object_stream() if writer.stream_xrefs else None,
            )
            self._engines[key] = (f"VF{len(self._engines) + 1}", engine)
        return self._engines[key]


class Canvas(BaseStamp):
    """A fixed-size appearance: draw on it, then hand it to pyHanko (or ``apply_appearance``)."""

    def __init__(
        self, writer: BasePdfFileWriter, *, width: float, height: float, fonts: FontBook | None = None
    ) -> None:
        super().__init__(writer=writer, style=None, box=BoxConstraints(width=width, height=height))
        self._operations: list[bytes] = []
        self._fonts = fonts if fonts is not None and fonts.writer is writer else FontBook(writer)
        self._used: dict[str, GlyphAccumulator] = {}

    @property
    def width(self) -> float:
        return float(self.box.width)

    @property
    def height(self) -> float:
        return float(self.box.height)

    def _engine(self, font: Font, size: float) -> tuple[str, GlyphAccumulator]:
        name, engine = self._fonts.engine(font, size)
        self._used[name] = engine
        return name, engine

    def text(
        self,
        text: str,
        *,
        x: float,
        baseline: float,
        size: float,
        font: Font = Font.REGULAR,
        colour: Colour = BLACK,
        align: Align = "left",
    ) -> float:
        """Draw one line; ``x`` is the left, centre or right end per ``align``. Returns its width."""
        name, engine = self._engine(font, size)
        shaped = engine.shape(unicodedata.normalize("NFC", text))
        width = float(shaped.x_advance) * size
        if align == "right":
            x -= width
        elif align == "centre":
            x -= width / 2
        self._operations.append(
            b"q %g %g %g rg BT /%s %g Tf 1 0 0 1 %g %g Tm %s ET Q"
            % (*colour, name.encode("ascii"), size, x, baseline, shaped.graphics_ops)
        )
        return width

    def image(self, image: Image.Image, rect: Rect) -> None:
        pdf_image = PdfImage(
            image, writer=self._ensure_writer, box=BoxConstraints(width=rect.width, height=rect.height)
        )
        draw = pdf_image.render()
        self.import_resources(pdf_image.resources)
        self._operations.append(b"q 1 0 0 1 %g %g cm %s Q" % (rect.x0, rect.y0, draw))

    def fill(self, rect: Rect, *, colour: Colour = (1.0, 1.0, 1.0)) -> None:
        self._operations.append(
            b"q %g %g %g rg %g %g %g %g re f Q" % (*colour, rect.x0, rect.y0, rect.width, rect.height)
        )

    def render(self) -> bytes:
        for name, engine in self._used.items():
            self.set_resource(category=ResourceType.FONT, name=pdf_name("/" + name), value=engine.as_resource())
        return b" ".join(self._operations)


Painter = Callable[[BasePdfFileWriter, float, float], Canvas]
"""``painter(writer, width, height) -> Canvas``: draws one widget's appearance."""


@dataclass(frozen=True)
class CanvasStyle(BaseStampStyle):
    """A pyHanko stamp style whose stamp is a :class:`Canvas` we drew beforehand for the widget.

    pyHanko asks the style for the signature widget's appearance while it prepares the signature;
    ``painter`` receives the writer and the widget size and returns the finished canvas.
    """

    painter: Painter | None = None

    def create_stamp(self, writer: BasePdfFileWriter, box: BoxConstraints, text_params: dict[str, object]) -> BaseStamp:
        if self.painter is None:  # pragma: no cover - always set by sign.py
            raise RuntimeError("CanvasStyle needs a painter")
        return self.painter(writer, float(box.width), float(box.height))
