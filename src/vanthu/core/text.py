"""Vietnamese text folding: 'Quyết định Đất đai' -> 'quyet dinh dat dai'.

The letter đ/Đ has no Unicode decomposition, so stripping combining marks is not enough."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped).strip().lower()
