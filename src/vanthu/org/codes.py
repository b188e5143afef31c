"""Agency identifiers (QCVN 102:2016): ``V1V2V3.Z1Z2.Y1Y2.MX1X2``, e.g. ``000.00.00.H56``.

Read right to left from the top level: ``MX1X2`` the level-1 body (one letter, two digits),
``Y1Y2`` level 2, ``Z1Z2`` level 3, ``V1V2V3`` level 4; zeros mean "level not used"."""

from __future__ import annotations

import re
from dataclasses import dataclass

QCVN102_PATTERN = re.compile(r"^(?P<l4>\d{3})\.(?P<l3>\d{2})\.(?P<l2>\d{2})\.(?P<l1>[A-Z]\d{2})$")


@dataclass(frozen=True)
class AgencyCode:
    level1: str
    level2: str
    level3: str
    level4: str

    @property
    def depth(self) -> int:
        """1 for the level-1 body itself, up to 4."""
        if self.level4 != "000":
            return 4
        if self.level3 != "00":
            return 3
        if self.level2 != "00":
            return 2
        return 1

    def __str__(self) -> str:
        return f"{self.level4}.{self.level3}.{self.level2}.{self.level1}"


def parse_qcvn102(code: str) -> AgencyCode | None:
    # fullmatch: "$" alone accepts a trailing newline; isascii: "\d" alone accepts any script's digits.
    match = QCVN102_PATTERN.fullmatch(code) if code.isascii() else None
    if match is None:
        return None
    parsed = AgencyCode(match["l1"], match["l2"], match["l3"], match["l4"])
    # A lower level cannot be used while a higher one is empty (e.g. 000.05.00.H56).
    if parsed.level2 == "00" and (parsed.level3 != "00" or parsed.level4 != "000"):
        return None
    if parsed.level3 == "00" and parsed.level4 != "000":
        return None
    return parsed


def is_valid_qcvn102(code: str) -> bool:
    return parse_qcvn102(code) is not None
