"""Search results as shown: the summary and a passage of the text with the words found marked,
whatever diacritics were typed ("dat dai" marks "đất đai"), and the page each document opens on."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe

from vanthu.documents.links import detail_links
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.previews import THUMBNAIL_WIDTH
from vanthu.search.query import Query
from vanthu.search.statuses import status_label

SNIPPET = 240  # characters of a passage


def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0].lower()
    return "d" if base in "đð" else base[:1] or " "


def fold_aligned(text: str) -> str:
    """``text`` folded letter by letter, the same length, so positions found in it mark the original."""
    return "".join(_fold_char(char) for char in unicodedata.normalize("NFC", text))


def _pattern(query: Query) -> re.Pattern[str] | None:
    words = sorted({term.folded for term in query.terms if term.folded}, key=len, reverse=True)
    if not words:
        return None
    prefixes = {term.folded for term in query.terms if term.prefix}
    parts = [re.escape(word) + (r"\w*" if word in prefixes else r"(?!\w)") for word in words]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")")


def highlight(text: str, query: Query) -> SafeString:
    """``text`` escaped, with every word of the query marked (<mark>)."""
    text = unicodedata.normalize("NFC", text)
    pattern = _pattern(query)
    if pattern is None:
        return mark_safe(escape(text))  # noqa: S308 - escaped just above
    out: list[str] = []
    last = 0
    for match in pattern.finditer(fold_aligned(text)):
        out += [escape(text[last : match.start()]), "<mark>", escape(text[match.start() : match.end()]), "</mark>"]
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped


def passage(text: str, query: Query) -> SafeString:
    """A passage of ``text`` around the first word found (or its beginning), marked."""
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    if not text:
        return mark_safe("")  # noqa: S308 - empty
    pattern = _pattern(query)
    match = pattern.search(fold_aligned(text)) if pattern else None
    start = max(0, (match.start() if match else 0) - SNIPPET // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + SNIPPET)
    piece = text[start:end]
    marked = highlight(piece, query)
    return mark_safe(("… " if start else "") + marked + (" …" if end < len(text) else ""))  # noqa: S308 - marked is safe


@dataclass(frozen=True)
class ResultRow:
    pk: int
    url: str
    direction: str
    direction_label: str
    number_symbol: str
    subject: SafeString
    type_name: str
    agency_name: str
    issuer_name: str
    issued_date: date | None
    urgency: str
    urgency_label: str
    status_label: str
    passage: SafeString
    thumbnail_url: str = ""
    view_url: str = ""


def result_rows(documents: list[Document], query: Query) -> list[ResultRow]:
    """The rows of one page (two queries whatever its size: the links, the file texts)."""
    links = detail_links([document.pk for document in documents])
    versions = {document.current_version_id: document.pk for document in documents if document.current_version_id}
    texts: dict[int, str] = {}
    mains: dict[int, int] = {}
    rows = DocumentFile.objects.filter(version_id__in=versions, role="MAIN", pdf__isnull=False).order_by()
    for version_id, file_id, text in rows.values_list("version_id", "id", "text"):
        texts.setdefault(versions[version_id], text)
        mains.setdefault(versions[version_id], file_id)
    return [
        ResultRow(
            pk=document.pk,
            url=links.get(document.pk, ""),
            direction=document.direction,
            direction_label=str(document.get_direction_display()),
            number_symbol=document.number_symbol,
            subject=highlight(document.subject, query),
            type_name=document.document_type.name,
            agency_name=document.agency.name,
            issuer_name=document.issuer_name,
            issued_date=document.issued_date,
            urgency=document.urgency,
            urgency_label=str(document.get_urgency_display()),
            status_label=status_label(document),
            passage=passage(texts.get(document.pk, ""), query),
            thumbnail_url=reverse("documents:file_page", args=[mains[document.pk], 1, THUMBNAIL_WIDTH])
            if document.pk in mains
            else "",
            view_url=reverse("documents:file_view", args=[mains[document.pk]]) if document.pk in mains else "",
        )
        for document in documents
    ]
