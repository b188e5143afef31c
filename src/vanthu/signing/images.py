"""Checking signature and seal images (Decree 30, Appendix I): PNG with a transparent
background, at most 2 MB, sharp enough to print at its physical size at 300 dpi, and of the
right colour (a signature blue, a seal red). Pure: no database."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from PIL import Image

from vanthu.core.errors import PayloadTooLargeError
from vanthu.core.errors import UnsupportedMediaTypeError
from vanthu.core.errors import ValidationError

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # far above what 300 dpi needs; refuses decompression bombs
PRINT_DPI = 300
MM_PER_INCH = Decimal("25.4")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MIN_TRANSPARENT_SHARE = 0.05  # at least 5 % of the pixels fully transparent (the background)
MIN_COLOUR_SHARE = 0.5  # at least half of the ink of the expected colour
SAMPLE_SIDE = 256  # colour analysis runs on a thumbnail

DEFAULT_WIDTH_MM = {"SIGNATURE": Decimal("40.0"), "SEAL": Decimal("36.0")}


class ImageTransparencyError(ValidationError):
    code = "image_not_transparent"


class ImageTooSmallError(ValidationError):
    code = "image_too_small"


class ImageColourError(ValidationError):
    code = "image_wrong_colour"


@dataclass(frozen=True)
class CheckedImage:
    width_px: int
    height_px: int
    width_mm: Decimal
    height_mm: Decimal


def required_pixels(millimetres: Decimal) -> int:
    """Pixels needed to print ``millimetres`` at 300 dpi."""
    return math.ceil(millimetres / MM_PER_INCH * PRINT_DPI)


def _open_png(data: bytes) -> Image.Image:
    if not data.startswith(PNG_SIGNATURE):
        raise UnsupportedMediaTypeError(
            _("The image must be a PNG file with a transparent background."), details={"expected": "image/png"}
        )
    try:
        image = Image.open(io.BytesIO(data), formats=["PNG"])
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise ValidationError(_("The image has too many pixels."))
        image.load()
    except (OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise UnsupportedMediaTypeError(_("The PNG file is damaged.")) from error
    return image


def _rgba(image: Image.Image) -> Image.Image:
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or (image.mode in {"P", "L", "RGB"} and "transparency" in image.info)
    if not has_alpha:
        raise ImageTransparencyError(_("The image has no transparent background (it needs an alpha channel)."))
    return image.convert("RGBA")


def _classify(rgba: Image.Image) -> tuple[float, float, float]:
    """Shares of (transparent pixels, blue ink, red ink) — ink = the mostly opaque pixels."""
    sample = rgba.copy()
    sample.thumbnail((SAMPLE_SIDE, SAMPLE_SIDE), Image.Resampling.NEAREST)
    raw = sample.tobytes()  # RGBA, 4 bytes a pixel
    pixels = [tuple(raw[index : index + 4]) for index in range(0, len(raw), 4)]
    transparent = blue = red = ink = 0
    for red_value, green_value, blue_value, alpha in pixels:
        if alpha == 0:
            transparent += 1
        if alpha < 128:  # noqa: PLR2004 - half opacity
            continue
        ink += 1
        if blue_value > red_value + 40 and blue_value > green_value:  # noqa: PLR2004
            blue += 1
        elif red_value > green_value + 60 and red_value > blue_value + 40:  # noqa: PLR2004
            red += 1
    total = max(len(pixels), 1)
    return transparent / total, blue / max(ink, 1), red / max(ink, 1)


def check_image(
    data: bytes, *, kind: str, width_mm: Decimal | None = None, height_mm: Decimal | None = None
) -> CheckedImage:
    """Check a signature (``kind="SIGNATURE"``) or seal (``"SEAL"``) image; the physical size
    defaults to the usual one, the height following the image's proportions."""
    if len(data) > MAX_IMAGE_BYTES:
        raise PayloadTooLargeError(
            _("The image is larger than %(limit)s MB.") % {"limit": MAX_IMAGE_BYTES // (1024 * 1024)},
            details={"max_bytes": MAX_IMAGE_BYTES},
        )
    image = _open_png(data)
    rgba = _rgba(image)
    width_px, height_px = image.size
    width = width_mm if width_mm is not None else DEFAULT_WIDTH_MM[kind]
    height = height_mm if height_mm is not None else (width * height_px / width_px).quantize(Decimal("0.1"))
    if width <= 0 or height <= 0:
        raise ValidationError(_("The printed size must be greater than zero."))
    need_width, need_height = required_pixels(width), required_pixels(height)
    if width_px < need_width or height_px < need_height:
        raise ImageTooSmallError(
            _(
                "The image is too small to print at %(width)s × %(height)s mm at 300 dpi: it needs at least "
                "%(need_width)s × %(need_height)s pixels, it has %(width_px)s × %(height_px)s."
            )
            % {
                "width": width,
                "height": height,
                "need_width": need_width,
                "need_height": need_height,
                "width_px": width_px,
                "height_px": height_px,
            },
            details={"required_px": [need_width, need_height], "actual_px": [width_px, height_px]},
        )
    transparent_share, blue_share, red_share = _classify(rgba)
    if transparent_share < MIN_TRANSPARENT_SHARE:
        raise ImageTransparencyError(_("The image has no transparent background."))
    if kind == "SIGNATURE" and blue_share < MIN_COLOUR_SHARE:
        raise ImageColourError(_("A signature image must be blue (Decree 30/2020/NĐ-CP, Appendix I)."))
    if kind == "SEAL" and red_share < MIN_COLOUR_SHARE:
        raise ImageColourError(_("A seal image must be red (Decree 30/2020/NĐ-CP, Appendix I)."))
    return CheckedImage(width_px=width_px, height_px=height_px, width_mm=width, height_mm=height)
