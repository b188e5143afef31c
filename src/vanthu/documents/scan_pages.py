"""Pages as a scanner gives them: an A4 sheet of Vietnamese text drawn at a given resolution.

The demo province's paper letters and the OCR tests use them, so what the digitisation pipeline
reads is a real image of real Vietnamese text (Noto Serif, shipped with the signing fonts)."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

from PIL import Image
from PIL import ImageDraw
from PIL import ImageFont

FONT = Path(__file__).resolve().parent.parent / "signing" / "fonts" / "NotoSerif-Regular.ttf"
POINTS = 13  # the body size of an administrative letter (Decree 30, Appendix I)
WRAP = 70  # letters per line at that size on an A4 page with its margins


def render_page(
    text: str, *, dpi: int = 300, fmt: str = "PNG", mode: str = "L", record_dpi: bool = True, heading: str = ""
) -> bytes:
    """An A4 page with ``heading`` (bold-looking capitals, centred) and ``text`` in 13 pt, as a
    scanner at ``dpi`` would give it (``record_dpi`` False: the file says nothing of its resolution)."""
    width, height = round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)
    image = Image.new(mode, (width, height), "white")
    draw = ImageDraw.Draw(image)
    size = round(POINTS / 72 * dpi)
    font = ImageFont.truetype(str(FONT), size)
    top = dpi
    left = round(1.2 * dpi)
    if heading:
        for line in textwrap.wrap(heading, 50):
            line_width = draw.textlength(line, font=font)
            draw.text(((width - line_width) / 2, top), line, font=font, fill="black", stroke_width=1)
            top += round(size * 1.6)
        top += size
    for paragraph in text.split("\n") if text else []:
        for line in textwrap.wrap(paragraph, WRAP):
            draw.text((left, top), line, font=font, fill="black")
            top += round(size * 1.5)
    out = io.BytesIO()
    options: dict[str, Any] = {"dpi": (dpi, dpi)} if record_dpi else {}
    image.save(out, fmt, **options)
    return out.getvalue()
