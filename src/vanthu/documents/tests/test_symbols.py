from __future__ import annotations

from datetime import date

import pytest

from vanthu.documents.symbols import issue_date_text
from vanthu.documents.symbols import number_text
from vanthu.documents.symbols import place_date_line
from vanthu.documents.symbols import symbol_for


class TestSymbolFor:
    def test_joins_the_type_and_the_agency(self) -> None:
        assert symbol_for(type_abbreviation="QĐ", agency_abbreviation="UBND") == "QĐ-UBND"

    @pytest.mark.parametrize("abbreviation", ["QyĐ", "CTr", "TTr"])
    def test_keeps_the_case_of_mixed_case_abbreviations(self, abbreviation: str) -> None:
        assert symbol_for(type_abbreviation=abbreviation, agency_abbreviation="STC") == f"{abbreviation}-STC"

    def test_a_cong_van_carries_the_agency_and_the_drafting_unit(self) -> None:
        assert symbol_for(type_abbreviation="", agency_abbreviation="UBND", unit_abbreviation="VX") == "UBND-VX"

    def test_a_named_type_ignores_the_drafting_unit(self) -> None:
        assert symbol_for(type_abbreviation="QĐ", agency_abbreviation="UBND", unit_abbreviation="VX") == "QĐ-UBND"

    def test_removes_spaces(self) -> None:
        assert symbol_for(type_abbreviation=" QĐ ", agency_abbreviation="UB ND") == "QĐ-UBND"


class TestNumberText:
    @pytest.mark.parametrize(("number", "text"), [(1, "01"), (5, "05"), (10, "10"), (123, "123")])
    def test_pads_numbers_below_ten(self, number: int, text: str) -> None:
        assert number_text(number) == text

    def test_refuses_zero(self) -> None:
        with pytest.raises(ValueError, match="start at 1"):
            number_text(0)


class TestIssueDateText:
    @pytest.mark.parametrize(
        ("day", "text"),
        [
            (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
            (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
            (date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
            (date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
        ],
    )
    def test_pads_days_below_ten_and_january_and_february(self, day: date, text: str) -> None:
        assert issue_date_text(day) == text

    def test_place_date_line_puts_the_place_first(self) -> None:
        assert place_date_line("Thanh Hóa", date(2026, 1, 5)) == "Thanh Hóa, ngày 05 tháng 01 năm 2026"
