"""Vietnamese text folding: 'Quyết định Đất đai' -> 'quyet dinh dat dai'.

The letter đ/Đ has no Unicode decomposition, so stripping combining marks is not enough; the
look-alike Ð (U+00D0) that old TCVN3 conversions leave for Đ is folded the same way."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D").replace("Ð", "D")
    return _SPACES.sub(" ", stripped).strip().lower()


def exact_form(text: str) -> str:
    """Lower case, composed (NFC), with its diacritics: 'Quyết Định' -> 'quyết định'."""
    return unicodedata.normalize("NFC", text).lower()


def words(text: str) -> list[str]:
    """The words of ``text`` as search keeps them: letters and digits, split at everything else
    ('30/2020/NĐ-CP' -> ['30', '2020', 'NĐ', 'CP']). The stored text and the queries are cut the
    same way, so every database engine sees the same tokens."""
    return _WORD.findall(unicodedata.normalize("NFC", text))


def folded_words(text: str) -> str:
    """The folded words of ``text`` joined by spaces ('Quyết định số 15' -> 'quyet dinh so 15')."""
    return " ".join(words(fold(text)))


def exact_words(text: str) -> str:
    """The words of ``text`` in lower case with their diacritics, joined by spaces."""
    return " ".join(words(exact_form(text)))


def symbol_key(text: str) -> str:
    """A number and symbol as compared: folded, upper case, no spaces ('15/qđ-ubnd ' -> '15/QD-UBND')."""
    return fold(text).replace(" ", "").upper()
