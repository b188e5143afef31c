"""The search language on both engines: the same queries over the same small corpus give the same
documents on SQLite (FTS5) and PostgreSQL (tsvector), whichever database this run uses.

The corpus lives in a table made for the test (the folded and exact words and the number-and-symbol
key, as the index keeps them), so these cases test the language and its compilation; the search
over real documents and permissions is tested with the search service."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from vanthu.core.text import exact_words
from vanthu.core.text import folded_words
from vanthu.core.text import symbol_key
from vanthu.search import compile as compiler
from vanthu.search.query import EmptyQueryError
from vanthu.search.query import parse

pytestmark = pytest.mark.django_db

CORPUS = {
    "qd-dat-dai": ("15/QĐ-UBND", "Quyết định về việc giao đất, cho thuê đất đai tại phường Hạc Thành"),
    "ct-chuyen-doi-so": ("15/CT-UBND", "Chỉ thị về đẩy mạnh chuyển đổi số trong cơ quan nhà nước tỉnh Thanh Hóa"),
    "kh-lut-bao": ("102/KH-UBND", "Kế hoạch phòng, chống thiên tai, lụt bão và tìm kiếm cứu nạn năm 2026"),
    "cv-du-toan": ("356/STC-QLNS", "Về việc hướng dẫn xây dựng dự toán ngân sách nhà nước năm 2027"),
    "bc-du-toan": ("41/BC-STC", "Báo cáo tình hình thực hiện dự toán ngân sách quý I năm 2026"),
    "nd-cp": ("30/2020/NĐ-CP", "Nghị định về công tác văn thư"),
    "tb-dien": ("4127/PCTH-KT", "Thông báo lịch tạm ngừng cung cấp điện trên địa bàn phường"),
    "gm-nong-dan": ("86/GM-HND", "Giấy mời dự hội nghị tập huấn ứng dụng công nghệ số cho nông dân"),
    "qd-dau-tu": ("211/QĐ-UBND", "Quyết định phê duyệt chủ trương đầu tư dự án đường giao thông"),
    "tt-dat": ("7/TTr-STNMT", "Tờ trình về việc thu hồi đất để thực hiện dự án khu dân cư"),
    "cv-dat-ten": ("88/UBND-VP", "Về việc đặt tên đường, phố trên địa bàn phường Hạc Thành"),
    "cv-da": ("90/UBND-VP", "Về việc đa dạng hóa nguồn vốn đầu tư công"),
}


@pytest.fixture
def corpus() -> Iterator[dict[int, str]]:
    """The corpus in this database's search structures; yields row id -> key."""
    keys = dict(enumerate(CORPUS, start=1))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMPORARY TABLE search_case (id integer PRIMARY KEY, folded text, exact text, symbol text,"
                " vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', folded)) STORED,"
                " exact_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', exact)) STORED)"
            )
        else:
            cursor.execute("CREATE TABLE search_case (id integer PRIMARY KEY, folded text, exact text, symbol text)")
            cursor.execute(
                "CREATE VIRTUAL TABLE search_case_fts"
                " USING fts5(folded, exact, tokenize='unicode61 remove_diacritics 0')"
            )
        for row_id, key in keys.items():
            number_symbol, subject = CORPUS[key]
            text = f"{number_symbol} {subject}"
            values = (row_id, folded_words(text), exact_words(text), symbol_key(number_symbol))
            cursor.execute("INSERT INTO search_case (id, folded, exact, symbol) VALUES (%s, %s, %s, %s)", values)
            if connection.vendor != "postgresql":
                cursor.execute(
                    "INSERT INTO search_case_fts (rowid, folded, exact) VALUES (%s, %s, %s)",
                    (row_id, values[1], values[2]),
                )
    yield keys
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE search_case")
        if connection.vendor != "postgresql":
            cursor.execute("DROP TABLE search_case_fts")


def search(text: str, keys: dict[int, str]) -> list[str]:
    """The keys found by ``text``, best first (ties by id)."""
    query = parse(text)
    if connection.vendor == "postgresql":
        compiled = compiler.postgres(
            query, compiler.Columns(row_id="id", symbol="symbol", vector="vector", exact_vector="exact_vector")
        )
    else:
        compiled = compiler.sqlite(query, compiler.Columns(row_id="id", symbol="symbol", fts_table="search_case_fts"))
    sql = f"SELECT id FROM search_case WHERE {compiled.where} ORDER BY {compiled.rank} DESC, id"  # noqa: S608 - compiled SQL, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, (*compiled.params, *compiled.rank_params))
        return [keys[row[0]] for row in cursor.fetchall()]


CASES = [
    # words with diacritics, without, mixed, in capitals
    ("Quyết định", {"qd-dat-dai", "qd-dau-tu"}),
    ("quyet dinh", {"qd-dat-dai", "qd-dau-tu"}),
    ("QUYẾT ĐỊNH", {"qd-dat-dai", "qd-dau-tu"}),
    ("quyết dinh", {"qd-dat-dai", "qd-dau-tu"}),
    ("quyet dinh dat dai", {"qd-dat-dai"}),
    ("đất đai", {"qd-dat-dai"}),
    ("dat", {"qd-dat-dai", "tt-dat", "cv-dat-ten"}),
    ("đất", {"qd-dat-dai", "tt-dat", "cv-dat-ten"}),
    ("Đất", {"qd-dat-dai", "tt-dat", "cv-dat-ten"}),
    ("chuyen doi so", {"ct-chuyen-doi-so"}),
    ("chuyển đổi số", {"ct-chuyen-doi-so"}),
    ("lụt bão", {"kh-lut-bao"}),
    ("lut bao", {"kh-lut-bao"}),
    ("ngân sách", {"cv-du-toan", "bc-du-toan"}),
    ("Thanh Hoa", {"ct-chuyen-doi-so"}),
    ("Hạc Thành", {"qd-dat-dai", "cv-dat-ten"}),
    # phrases
    ('"dự toán ngân sách"', {"cv-du-toan", "bc-du-toan"}),
    ('"ngân sách dự toán"', set()),
    ('"du toan ngan sach nha nuoc"', {"cv-du-toan"}),
    ('"phường Hạc Thành"', {"qd-dat-dai", "cv-dat-ten"}),
    ('"Hạc Thành phường"', set()),
    # operators
    ("dự toán OR lụt bão", {"cv-du-toan", "bc-du-toan", "kh-lut-bao"}),
    ("dự toán HOẶC lụt bão", {"cv-du-toan", "bc-du-toan", "kh-lut-bao"}),
    ('dự toán NOT "báo cáo"', {"cv-du-toan"}),
    ("dự toán NOT báo", {"cv-du-toan"}),
    ("dự toán -báo", {"cv-du-toan"}),
    ("quyết định AND đầu tư", {"qd-dau-tu"}),
    ("(đất OR điện) -phường", {"tt-dat"}),
    ("phuong NOT (dat OR dien)", set()),
    ('đầu tư NOT "dự án"', {"cv-da"}),
    # prefixes
    ("chuyển*", {"ct-chuyen-doi-so"}),
    ("ngân*", {"cv-du-toan", "bc-du-toan"}),
    ("thu*", {"qd-dat-dai", "bc-du-toan", "tt-dat", "nd-cp"}),
    # numbers and symbols
    ("15/CT-UBND", {"ct-chuyen-doi-so"}),
    ("CT-UBND", {"ct-chuyen-doi-so"}),
    ("15/CT", {"ct-chuyen-doi-so"}),
    ("QĐ-UBND", {"qd-dat-dai", "qd-dau-tu"}),
    ("qđ-ubnd", {"qd-dat-dai", "qd-dau-tu"}),
    ("30/2020/NĐ-CP", {"nd-cp"}),
    ("30/2020/ND-CP", {"nd-cp"}),
    ("QĐ-UBND đầu tư", {"qd-dau-tu"}),
    ("15/CT-UBND OR 41/BC-STC", {"ct-chuyen-doi-so", "bc-du-toan"}),
    ("UBND-VP -đặt", {"cv-da"}),
    # odd input that still means something
    ('"dự toán', {"cv-du-toan", "bc-du-toan"}),
    ("(ngân sách", {"cv-du-toan", "bc-du-toan"}),
    ("ngân sách)", {"cv-du-toan", "bc-du-toan"}),
    ("ngân sách OR", {"cv-du-toan", "bc-du-toan"}),
    ("'; DROP TABLE search_case; --", set()),
    ("%", None),
    ("ngân_sách", {"cv-du-toan", "bc-du-toan"}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[case[0] for case in CASES])
def test_the_language_finds_the_same_documents_on_both_engines(
    corpus: dict[int, str], text: str, expected: set[str] | None
) -> None:
    if expected is None:
        with pytest.raises(EmptyQueryError):
            search(text, corpus)
        return
    assert set(search(text, corpus)) == expected


def test_exact_diacritics_rank_above_folded_matches(corpus: dict[int, str]) -> None:
    # "đa" (diverse) and "đã"/"dã"/"da" fold alike; "đất" folded is "dat" like "đặt" (to place).
    assert search("đặt", corpus)[0] == "cv-dat-ten"
    assert search("đất", corpus)[0] != "cv-dat-ten"
    assert search("đa dạng", corpus)[0] == "cv-da"


@pytest.mark.parametrize(
    "text", ["", "   ", "AND OR NOT", "NOT dự", 'NOT "dự toán"', "-dự -toán", '""', "()", "x" * 301]
)
def test_nothing_to_search_for_is_said_not_run(text: str) -> None:
    with pytest.raises(EmptyQueryError):
        parse(text)


STORED_CASES = [case for case in CASES if case[1] is not None]


@pytest.fixture
def real_corpus(agency: Any, clerk: Any, now: Any) -> dict[int, str]:
    """The same corpus as documents made by the services: their text is kept by the database's own
    structures (generated tsvectors and GIN on PostgreSQL, FTS5 and its triggers on SQLite)."""
    from vanthu.documents.tests.factories import make_document

    types = {"QĐ": "QĐ", "CT": "CT", "KH": "KH", "BC": "BC", "TB": "TB", "GM": "GM", "TTr": "TTr"}
    keys = {}
    for key, (number_symbol, subject) in CORPUS.items():
        number, symbol = number_symbol.split("/", 1)
        code = types.get(symbol.split("-")[0], "CONG_VAN")
        document = make_document(
            agency=agency,
            actor=clerk,
            now=now,
            code=code,
            subject=subject,
            number=int(number),
            symbol=symbol,
            place_name="",
        )
        keys[document.pk] = key
    return keys


@pytest.mark.parametrize(("text", "expected"), STORED_CASES, ids=[case[0] for case in STORED_CASES])
def test_the_same_cases_over_documents_stored_by_the_services(
    real_corpus: dict[int, str], text: str, expected: set[str]
) -> None:
    from vanthu.documents.models import Document
    from vanthu.search.selectors import _matching

    ids, _rank = _matching(parse(text))
    found = {real_corpus[pk] for pk in Document.objects.filter(pk__in=ids).values_list("pk", flat=True)}
    assert found == expected
