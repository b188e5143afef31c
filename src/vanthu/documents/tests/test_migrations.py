from __future__ import annotations

import pytest

from vanthu.documents.models import DocumentType
from vanthu.documents.models import TypeKind

pytestmark = pytest.mark.django_db


class TestSeededTypes:
    def test_the_29_administrative_types_exist(self) -> None:
        assert DocumentType.objects.filter(agency=None, kind=TypeKind.ADMINISTRATIVE).count() == 29

    def test_the_three_copy_kinds_exist(self) -> None:
        copies = dict(DocumentType.objects.filter(kind=TypeKind.COPY).values_list("name", "abbreviation"))
        assert copies == {"Bản sao y": "SY", "Bản trích sao": "TrS", "Bản sao lục": "SL"}

    @pytest.mark.parametrize(
        ("name", "abbreviation"),
        [("Quy định", "QyĐ"), ("Chương trình", "CTr"), ("Tờ trình", "TTr"), ("Quyết định", "QĐ"), ("Công điện", "CĐ")],
    )
    def test_abbreviations_are_case_exact(self, name: str, abbreviation: str) -> None:
        assert DocumentType.objects.get(name=name, agency=None).abbreviation == abbreviation

    @pytest.mark.parametrize("name", ["Công văn", "Thư công"])
    def test_cong_van_and_thu_cong_have_no_abbreviation(self, name: str) -> None:
        assert DocumentType.objects.get(name=name, agency=None).abbreviation == ""
