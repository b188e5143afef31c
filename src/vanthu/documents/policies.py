"""Who sees a document and its files.

A Document is seen by whoever may see it in the app that owns its workflow (outgoing, incoming,
records …). ``documents`` sits below those apps and may not import them, so each registers a
*visibility provider* at start-up (``AppConfig.ready``): a function ``(person, now) -> Q`` over
Document, built from its own ``*_visible_to`` rules. A document is visible when one provider says so;
files, versions and comments follow their document.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db.models import Q
from django.db.models import QuerySet

from vanthu.documents.models import Document
from vanthu.org import policies as org_policies
from vanthu.org.models import Person

require = org_policies.require
require_visible = org_policies.require_visible

VisibilityProvider = Callable[[Person, datetime], Q]
_providers: dict[str, VisibilityProvider] = {}


def register_visibility(name: str, provider: VisibilityProvider) -> None:
    """Add (or replace) the provider called ``name`` (e.g. "outgoing")."""
    _providers[name] = provider


def documents_visible_to(person: Person, now: datetime) -> QuerySet[Document]:
    if not (person.is_authenticated and person.is_active) or not _providers:
        return Document.objects.none()
    condition = Q(pk__in=[])
    for provider in _providers.values():
        condition |= provider(person, now)
    return Document.objects.filter(condition)


def can_view_document(person: Person, document: Document, now: datetime) -> bool:
    return documents_visible_to(person, now).filter(pk=document.pk).exists()
