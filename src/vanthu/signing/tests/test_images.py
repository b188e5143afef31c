"""Signature and seal images: what is accepted and every refusal (pure, no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from vanthu.core.errors import PayloadTooLargeError
from vanthu.core.errors import UnsupportedMediaTypeError
from vanthu.signing.images import ImageColourError
from vanthu.signing.images import ImageTooSmallError
from vanthu.signing.images import ImageTransparencyError
from vanthu.signing.images import check_image
from vanthu.signing.images import required_pixels
from vanthu.signing.tests import pictures


class TestCheckImage:
    def test_accepts_a_blue_transparent_signature(self) -> None:
        checked = check_image(pictures.signature_png(), kind="SIGNATURE")
        assert (checked.width_px, checked.height_px) == (480, 240)
        assert checked.width_mm == Decimal("40.0")
        assert checked.height_mm == Decimal("20.0")  # follows the proportions

    def test_accepts_a_red_transparent_seal_at_real_size(self) -> None:
        checked = check_image(pictures.seal_png(), kind="SEAL", width_mm=Decimal(36))
        assert checked.width_mm == Decimal(36)

    def test_needs_300_dpi_at_the_physical_size(self) -> None:
        assert required_pixels(Decimal("25.4")) == 300
        assert required_pixels(Decimal(36)) == 426

    def test_refuses_a_jpeg(self) -> None:
        with pytest.raises(UnsupportedMediaTypeError):
            check_image(pictures.jpeg(), kind="SIGNATURE")

    def test_refuses_bytes_that_are_not_an_image(self) -> None:
        with pytest.raises(UnsupportedMediaTypeError):
            check_image(b"%PDF-1.7\n", kind="SIGNATURE")

    def test_refuses_a_damaged_png(self) -> None:
        with pytest.raises(UnsupportedMediaTypeError):
            check_image(pictures.signature_png()[:200], kind="SIGNATURE")

    def test_refuses_a_png_without_alpha_channel(self) -> None:
        with pytest.raises(ImageTransparencyError):
            check_image(pictures.rgb_png(), kind="SIGNATURE")

    def test_refuses_an_alpha_channel_without_transparent_pixels(self) -> None:
        with pytest.raises(ImageTransparencyError):
            check_image(pictures.signature_png(transparent=False), kind="SIGNATURE")

    def test_refuses_over_2_mb(self) -> None:
        data = pictures.huge_png()
        assert len(data) > 2 * 1024 * 1024
        with pytest.raises(PayloadTooLargeError):
            check_image(data, kind="SIGNATURE")

    def test_refuses_too_small_for_its_physical_size_and_says_how_many_pixels(self) -> None:
        with pytest.raises(ImageTooSmallError) as refused:
            check_image(pictures.signature_png(width=200, height=100), kind="SIGNATURE")
        assert "473" in str(refused.value.message)  # 40 mm at 300 dpi
        assert refused.value.details["required_px"] == [473, 237]

    def test_refuses_a_seal_configured_bigger_than_its_pixels_allow(self) -> None:
        with pytest.raises(ImageTooSmallError):
            check_image(pictures.seal_png(side=430), kind="SEAL", width_mm=Decimal(40), height_mm=Decimal(40))

    def test_refuses_a_red_signature(self) -> None:
        with pytest.raises(ImageColourError):
            check_image(pictures.signature_png(colour=pictures.RED), kind="SIGNATURE")

    def test_refuses_a_black_signature(self) -> None:
        with pytest.raises(ImageColourError):
            check_image(pictures.signature_png(colour=pictures.BLACK), kind="SIGNATURE")

    def test_refuses_a_blue_seal(self) -> None:
        with pytest.raises(ImageColourError):
            check_image(pictures.seal_png(colour=pictures.BLUE), kind="SEAL")
