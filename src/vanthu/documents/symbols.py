"""How numbers, symbols and dates are written on a document (Decree 30/2020 Appendix I §II.3–§II.4).

Pure functions: no database, no clock."""

from __future__ import annotations

from datetime import date


def symbol_for(*, type_abbreviation: str, agency_abbreviation: str, unit_abbreviation: str = "") -> str:
    """The symbol (ký hiệu): type + agency ("QĐ-UBND"); a công văn (no type abbreviation) carries the
    agency and the drafting unit instead ("UBND-VX"). Letters keep their case (QyĐ, CTr, TTr); no spaces."""

    def clean(part: str) -> str:
        return "".join(part.split())

    type_part, agency_part, unit_part = clean(type_abbreviation), clean(agency_abbreviation), clean(unit_abbreviation)
    parts = [type_part, agency_part] if type_part else [agency_part, unit_part]
    return "-".join(part for part in parts if part)


def number_text(n: int) -> str:
    """A number with a leading zero below 10: 5 -> "05", 123 -> "123"."""
    if n < 1:
        raise ValueError("document numbers start at 1")
    return f"{n:02d}"


def issue_date_text(day: date) -> str:
    """ "ngày 05 tháng 01 năm 2026": days below 10 and months 1 and 2 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)  # noqa: PLR2004 - Jan, Feb padded
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date_line(place: str, day: date) -> str:
    """ "Thanh Hóa, ngày 05 tháng 01 năm 2026"."""
    return f"{place.strip()}, {issue_date_text(day)}" if place.strip() else issue_date_text(day)
