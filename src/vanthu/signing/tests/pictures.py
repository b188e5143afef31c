"""PNG (and JPEG) pictures for the image tests, drawn with Pillow."""

from __future__ import annotations

import io
import os

from PIL import Image
from PIL import ImageDraw

BLUE = (20, 40, 200, 255)
RED = (210, 20, 30, 255)
BLACK = (10, 10, 10, 255)


def signature_png(
    *, width: int = 480, height: int = 240, colour: tuple[int, int, int, int] = BLUE, transparent: bool = True
) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0) if transparent else (255, 255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.line([(10, height - 30), (width // 3, 20), (width // 2, height - 40), (width - 20, 30)], fill=colour, width=12)
    draw.ellipse([width // 4, height // 4, width // 2, height // 2 + 40], outline=colour, width=10)
    return _png(image)


def seal_png(*, side: int = 430, colour: tuple[int, int, int, int] = RED) -> bytes:
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([5, 5, side - 5, side - 5], outline=colour, width=18)
    draw.ellipse([60, 60, side - 60, side - 60], outline=colour, width=8)
    draw.rectangle([side // 3, side // 2 - 15, 2 * side // 3, side // 2 + 15], fill=colour)
    return _png(image)


def rgb_png(*, width: int = 480, height: int = 240) -> bytes:
    """No alpha channel at all."""
    image = Image.new("RGB", (width, height), (255, 255, 255))
    ImageDraw.Draw(image).line([(0, 0), (width, height)], fill=(20, 40, 200), width=10)
    return _png(image)


def jpeg(*, width: int = 480, height: int = 240) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 40, 200)).save(out, format="JPEG")
    return out.getvalue()


def huge_png() -> bytes:
    """Over 2 MB: noise does not compress."""
    side = 1024
    image = Image.frombytes("RGBA", (side, side), os.urandom(side * side * 4))
    return _png(image)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
