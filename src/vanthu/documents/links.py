"""Where a document is opened: each app that owns documents (outgoing, incoming, …) registers a
provider in its ``AppConfig.ready()``; pages that list documents of every kind (search, reports)
ask here, so they import none of those apps."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence

LinkProvider = Callable[[Sequence[int]], dict[int, str]]

_providers: dict[str, LinkProvider] = {}


def register_detail_links(name: str, provider: LinkProvider) -> None:
    """Add (or replace) ``provider(document_ids) -> {document_id: url}`` called ``name``."""
    _providers[name] = provider


def detail_links(document_ids: Sequence[int]) -> dict[int, str]:
    """The page of each document (those no app claims are left out). One query per provider."""
    links: dict[int, str] = {}
    ids = list(dict.fromkeys(document_ids))
    for provider in _providers.values():
        if not ids:
            break
        found = provider(ids)
        links.update(found)
        ids = [pk for pk in ids if pk not in found]
    return links
