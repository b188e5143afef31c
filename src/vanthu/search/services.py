"""Writes of the search app: a person's saved searches (each change audited)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qsl
from urllib.parse import urlencode

from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.audit.services import record
from vanthu.core.errors import ConflictError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import ValidationError
from vanthu.org.models import Person
from vanthu.search import events
from vanthu.search.models import MAX_SAVED
from vanthu.search.models import SavedSearch
from vanthu.search.query import parse

KEPT_PARAMETERS = ("q", "direction", "type", "agency", "urgency", "status", "date_from", "date_to", "sort")


def _clean(query_string: str) -> str:
    """Only the query and its filters (never a page cursor), in a stable order."""
    pairs = [(key, value) for key, value in parse_qsl(query_string) if key in KEPT_PARAMETERS and value]
    return urlencode(sorted(pairs, key=lambda pair: KEPT_PARAMETERS.index(pair[0])))


@transaction.atomic
def saved_search_create(*, person: Person, name: str, query_string: str, now: datetime) -> SavedSearch:
    name = " ".join((name or "").split())[:100]
    if not name:
        raise ValidationError(_("Give the search a name."), details={"field": "name"})
    cleaned = _clean(query_string)
    text = dict(parse_qsl(cleaned)).get("q", "")
    parse(text)  # a search that says nothing is not saved (EmptyQueryError, with its message)
    if SavedSearch.objects.filter(person=person).count() >= MAX_SAVED:
        raise ConflictError(
            _("You have %(count)d saved searches: delete one first.") % {"count": MAX_SAVED}, code="too_many_saved"
        )
    if SavedSearch.objects.filter(person=person, name=name).exists():
        raise ConflictError(_("You already have a saved search with this name."), code="name_taken")
    saved = SavedSearch.objects.create(person=person, name=name, query_string=cleaned, created_at=now)
    record(
        action=events.SAVED_SEARCH_CREATED,
        actor=person,
        agency=None,
        now=now,
        target=saved,
        data={"name": name, "query": cleaned},
    )
    return saved


@transaction.atomic
def saved_search_delete(*, person: Person, pk: int, now: datetime) -> None:
    saved = SavedSearch.objects.select_for_update().filter(pk=pk, person=person).first()
    if saved is None:
        raise NotFoundError()
    record(
        action=events.SAVED_SEARCH_DELETED,
        actor=person,
        agency=None,
        now=now,
        target=saved,
        data={"name": saved.name, "query": saved.query_string},
    )
    saved.delete()
