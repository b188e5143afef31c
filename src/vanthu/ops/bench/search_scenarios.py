"""The search screens of issue 7 for an ordinary OFFICER (and the AGENCY_LEADER beside, for the
role comparison): a broad query, a rare phrase, a number-and-symbol lookup — each through the
search page, beside the same SQL (the permission filter inside) replayed raw.

The queries are drawn from what the person may see: the phrase is four words of the summary of one
of their documents, the number and symbol one of their documents'; the broad query is a word that
most administrative summaries hold ("kế hoạch" — plans — in the seeded vocabulary)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from vanthu.documents.policies import documents_visible_to
from vanthu.ops.bench.registry import Category
from vanthu.ops.bench.registry import ReadBuilder
from vanthu.ops.bench.registry import Request
from vanthu.ops.bench.registry import Scenario
from vanthu.ops.bench.registry import Setting
from vanthu.ops.bench.registry import register

BROAD = "ke hoach"  # typed without diacritics, as most people do
PHRASE_WORDS = 4


def _search(text: str, note: str) -> Request:
    return Request(path=f"{reverse('search:search')}?{urlencode({'q': text})}", note=note)


def _broad(setting: Setting) -> list[Request]:
    return [_search(BROAD, f"“{BROAD}”")]


def _one_of_theirs(setting: Setting, role: str) -> tuple[str, str]:
    person = setting.cast.person(role)
    row = (
        documents_visible_to(person, setting.now)
        .exclude(number__isnull=True)
        .exclude(symbol="")
        .order_by("-id")
        .values_list("subject", "number", "symbol")
        .first()
    )
    if row is None:
        raise LookupError(f"{role} sees no numbered document")
    subject, number, symbol = row
    return subject, f"{number}/{symbol}"


def _phrase(role: str) -> ReadBuilder:
    def build(setting: Setting) -> list[Request]:
        subject, _number_symbol = _one_of_theirs(setting, role)
        words = subject.replace('"', " ").split()
        middle = max(0, len(words) // 2 - PHRASE_WORDS // 2)
        phrase = " ".join(words[middle : middle + PHRASE_WORDS])
        return [_search(f'"{phrase}"', f"“{phrase}”")]

    return build


def _number(role: str) -> ReadBuilder:
    def build(setting: Setting) -> list[Request]:
        _subject, number_symbol = _one_of_theirs(setting, role)
        return [_search(number_symbol, number_symbol)]

    return build


for role in ("officer", "agency_leader"):
    register(
        Scenario(
            screen="search.broad", title="Search: a broad query", role=role, category=Category.LIST, requests=_broad
        )
    )
    register(
        Scenario(
            screen="search.phrase",
            title="Search: a rare phrase",
            role=role,
            category=Category.LIST,
            requests=_phrase(role),
        )
    )
    register(
        Scenario(
            screen="search.number",
            title="Search: a number and symbol",
            role=role,
            category=Category.LIST,
            requests=_number(role),
        )
    )
