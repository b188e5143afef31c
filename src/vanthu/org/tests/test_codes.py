from __future__ import annotations

import pytest

from vanthu.org.codes import is_valid_qcvn102
from vanthu.org.codes import parse_qcvn102


class TestQcvn102Code:
    @pytest.mark.parametrize(
        ("code", "depth"),
        [
            ("000.00.00.H56", 1),  # UBND tỉnh Thanh Hóa
            ("000.00.01.H56", 2),  # a department
            ("000.01.01.H56", 3),
            ("001.01.01.H56", 4),
            ("000.00.99.G01", 2),
        ],
    )
    def test_accepts_a_well_formed_code(self, code, depth):
        parsed = parse_qcvn102(code)

        assert parsed is not None
        assert parsed.depth == depth
        assert str(parsed) == code

    @pytest.mark.parametrize(
        "code",
        [
            "000.00.00.56",  # level 1 without its letter
            "00.00.00.H56",  # level 4 needs three digits
            "000.0.00.H56",
            "000.00.00.h56",  # the letter is upper-case
            "000.00.00.H5",
            "000.00.00.H567",
            "000-00-00-H56",
            "",
            " 000.00.00.H56",
            "000.00.00.H56 ",
            "000.00.00.H56\n",  # "$" alone would let a trailing newline through
            "000.05.00.H56",  # level 3 used while level 2 is empty
            "001.00.01.H56",  # level 4 used while level 3 is empty
            "001.00.00.H56",
            "٠٠٠.٠٠.٠١.H٥٦",  # Arabic-Indic digits are digits to Python's \d, not to QCVN 102
        ],
    )
    def test_refuses_a_malformed_code(self, code):
        assert parse_qcvn102(code) is None
        assert not is_valid_qcvn102(code)
