"""Vietnamese text folding: 'Quyết định Đất đai' -> 'quyet dinh dat dai'.

The letter đ/Đ has no Unicode decomposition, so stripping combining marks is not enough; the
look-alike Ð (U+00D0) that old TCVN3 conversions leave for Đ is folded the same way."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D").replace("Ð", "D")
    return _SPACES.sub(" ", stripped).strip().lower()
