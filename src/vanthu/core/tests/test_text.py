from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vanthu.core.text import fold


class TestFold:
    @pytest.mark.parametrize(
        ("text", "folded"),
        [
            ("Thanh Hóa", "thanh hoa"),
            ("Đà Nẵng", "da nang"),
            ("đường Lê Lợi", "duong le loi"),
            ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "so giao duc va dao tao"),
            ("SGDĐT", "sgddt"),
            ("  Quyết   định\tsố 12 ", "quyet dinh so 12"),
            ("Ủy ban nhân dân", "uy ban nhan dan"),
        ],
    )
    def test_drops_marks_and_case(self, text, folded):
        assert fold(text) == folded

    def test_treats_precomposed_and_decomposed_letters_alike(self):
        composed = unicodedata.normalize("NFC", "Thanh Hóa")
        decomposed = unicodedata.normalize("NFD", "Thanh Hóa")

        assert fold(composed) == fold(decomposed) == "thanh hoa"

    def test_folds_the_look_alike_eth_typed_for_d_with_stroke(self):
        # Old TCVN3 conversions often leave U+00D0 (Ð) where Đ (U+0110) was meant.
        assert fold("ÐÀO TẠO") == "dao tao"

    @given(st.text())
    def test_is_idempotent(self, text):
        assert fold(fold(text)) == fold(text)
