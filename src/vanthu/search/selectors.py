"""Searching the documents a person may see.

The query (``search.query``) compiled for this database (``search.compile``) is one more condition
on the same permission query the lists use (``documents.policies.documents_visible_to``): results,
counts and facets come only from visible documents, in SQL. Pages follow a keyset (the last row's
rank and id, or its id), so the hundredth page costs what the first does."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db import connection
from django.db.models import Count
from django.db.models import F
from django.db.models import FloatField
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from vanthu.core.errors import ValidationError
from vanthu.documents.models import Document
from vanthu.documents.policies import documents_visible_to
from vanthu.org.grants import grants_for
from vanthu.org.grants import member_agency_ids
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.search import compile as compiler
from vanthu.search.query import Query
from vanthu.search.query import parse
from vanthu.search.statuses import status_condition

PAGE_SIZE = 20
FEW_VISIBLE = 10_000  # up to this many visible documents, match within them (PostgreSQL)
MANY_MATCHES = 50_000  # up to this many visible matches, their ids are read once (PostgreSQL)
MAX_PAGE_SIZE = 100
TEXT_TABLE = "documents_documenttext"
FTS_TABLE = "documents_documenttext_fts"


class Sort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"


@dataclass(frozen=True)
class SearchFilters:
    direction: str = ""
    document_type_id: int | None = None
    agency_id: int | None = None
    urgency: str = ""
    status: str = ""  # a value of search.statuses.status_choices ("INCOMING:DONE")
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class SearchPage:
    query: Query
    results: list[Document]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    next_cursor: str = ""


def _compiled(query: Query) -> compiler.Compiled:
    if connection.vendor == "postgresql":
        columns = compiler.Columns(
            row_id="t.document_id", symbol="t.symbol_key", vector="t.vector", exact_vector="t.exact_vector"
        )
        return compiler.postgres(query, columns)
    columns = compiler.Columns(row_id="t.document_id", symbol="t.symbol_key", fts_table=FTS_TABLE)
    return compiler.sqlite(query, columns)


def _matching(query: Query, within: list[int] | None = None) -> tuple[RawSQL, RawSQL]:
    """The ids of the documents whose text matches (only among ``within`` when given: PostgreSQL
    then reads those rows by their key and checks each, instead of matching the whole province),
    and their rank (for the visible rows only)."""
    compiled = _compiled(query)
    # Compiled SQL: names are ours, every value typed by a person travels as a parameter.
    where_sql = f"SELECT t.document_id FROM {TEXT_TABLE} t WHERE {compiled.where}"  # noqa: S608
    params: tuple[object, ...] = compiled.params
    if within is not None:
        where_sql += " AND t.document_id = ANY(%s)"
        params = (*params, within)
    rank_sql = f"SELECT {compiled.rank} FROM {TEXT_TABLE} t WHERE t.document_id = {Document._meta.db_table}.id"  # noqa: S608
    ids = RawSQL(where_sql, params)  # noqa: S611
    rank = RawSQL(  # noqa: S611
        rank_sql,
        compiled.rank_params,
        output_field=FloatField(),
    )
    return ids, rank


def _filtered(documents: QuerySet[Document], filters: SearchFilters) -> QuerySet[Document]:
    if filters.direction:
        documents = documents.filter(direction=filters.direction)
    if filters.document_type_id:
        documents = documents.filter(document_type_id=filters.document_type_id)
    if filters.agency_id:
        documents = documents.filter(agency_id=filters.agency_id)
    if filters.urgency:
        documents = documents.filter(urgency=filters.urgency)
    if filters.status:
        condition = status_condition(filters.status)
        if condition is None:
            raise ValidationError(_("Choose a status from the list."), code="bad_status", details={"field": "status"})
        documents = documents.filter(condition)
    if filters.date_from:
        documents = documents.filter(
            Q(issued_date__gte=filters.date_from) | Q(issued_date__isnull=True, created_at__date__gte=filters.date_from)
        )
    if filters.date_to:
        documents = documents.filter(
            Q(issued_date__lte=filters.date_to) | Q(issued_date__isnull=True, created_at__date__lte=filters.date_to)
        )
    return documents


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        raise ValidationError(_("This page of results no longer exists: search again."), code="bad_cursor") from None
    if not isinstance(values, list) or not values or not all(isinstance(v, int | float) for v in values):
        raise ValidationError(_("This page of results no longer exists: search again."), code="bad_cursor")
    return values


def search_documents(  # noqa: PLR0913 - the query, who asks, and how the page is cut
    *,
    person: Person,
    text: str,
    now: datetime,
    filters: SearchFilters | None = None,
    sort: Sort = Sort.RELEVANCE,
    cursor: str = "",
    limit: int = PAGE_SIZE,
    with_facets: bool = True,
) -> SearchPage:
    """One page of the documents ``person`` may see that match ``text``, with the total and the
    facets (direction, type) of all visible matches."""
    query = parse(text)
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    visible = _filtered(documents_visible_to(person, now), filters or SearchFilters())
    within = _few_visible(visible)
    ids, rank = _matching(query, within)
    matching = Document.objects.filter(pk__in=ids) if within is not None else visible.filter(pk__in=ids)
    matching, total = _materialised(matching)
    facets = _facets(matching) if with_facets and total else {}
    rows = matching.select_related("document_type", "agency", "incoming", "outgoing")
    if sort == Sort.RELEVANCE:
        rows = rows.annotate(rank=rank).order_by(F("rank").desc(), "-id")
        if cursor:
            last_rank, last_id = decode_cursor(cursor)[:2]
            rows = rows.filter(Q(rank__lt=last_rank) | Q(rank=last_rank, id__lt=last_id))
    else:
        rows = rows.order_by("-id")
        if cursor:
            rows = rows.filter(id__lt=decode_cursor(cursor)[0])
    results = list(rows[: limit + 1])
    next_cursor = ""
    if len(results) > limit:
        results = results[:limit]
        last = results[-1]
        values = [float(getattr(last, "rank", 0.0)), last.pk] if sort == Sort.RELEVANCE else [last.pk]
        next_cursor = encode_cursor(values)
    return SearchPage(query=query, results=results, total=total, facets=facets, next_cursor=next_cursor)


def _materialised(matching: QuerySet[Document]) -> tuple[QuerySet[Document], int]:
    """On PostgreSQL, the ids of the visible matches read once (up to ``MANY_MATCHES``), so that the
    count, the facets and the page do not each match the text and walk the permissions again; the
    total with them. Beyond that many, the query itself and its count."""
    if connection.vendor != "postgresql":
        return matching, matching.count()
    found = list(matching.order_by().values_list("pk", flat=True)[: MANY_MATCHES + 1])
    if len(found) > MANY_MATCHES:
        return matching, matching.count()
    listed = RawSQL("SELECT unnest(%s::bigint[])", (found,))  # noqa: S611 - one typed parameter
    return Document.objects.filter(pk__in=listed), len(found)


def _few_visible(visible: QuerySet[Document]) -> list[int] | None:
    """On PostgreSQL, the ids a person sees when they are few (an ordinary officer: their own work):
    the text is then checked on those rows only, which costs the same whatever the province holds.
    None for people who see many (a whole agency): the full-text index serves them."""
    if connection.vendor != "postgresql":
        return None
    ids = list(visible.order_by().values_list("pk", flat=True)[: FEW_VISIBLE + 1])
    return ids if len(ids) <= FEW_VISIBLE else None


def _facets(matching: QuerySet[Document]) -> dict[str, dict[str, int]]:
    """Counts by direction and by type, of the visible matches only."""
    facets: dict[str, dict[str, int]] = {"direction": {}, "type": {}}
    for direction, count in matching.order_by().values_list("direction").annotate(n=Count("id")):
        facets["direction"][direction] = count
    by_type = matching.order_by().values_list("document_type__name").annotate(n=Count("id")).order_by("-n")
    for type_name, count in by_type[:12]:
        facets["type"][type_name] = count
    return facets


def agency_choices(*, person: Person, now: datetime) -> list[tuple[int, str]]:
    """The agencies whose documents the person may find: where they hold a role that sees content
    (an administrator or an inspector sees none through that role) — the agency filter's choices,
    shown when there is more than one (concurrent posts, a merged agency's successor)."""
    content = frozenset(grant for grant in grants_for(person, now) if grant.role not in (Role.ADMIN, Role.INSPECTOR))
    ids = member_agency_ids(content)
    rows = Agency.objects.filter(pk__in=ids, valid_to__isnull=True).order_by("path").values_list("pk", "name")
    return list(rows[:500])
