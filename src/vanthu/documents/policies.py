"""Who sees a document and its files.

A Document is seen by whoever may see it in the app that owns its workflow (outgoing, incoming,
records …). ``documents`` sits below those apps and may not import them, so each registers a
*visibility provider* at start-up (``AppConfig.ready``): a function ``(person, now)`` returning the
sources of the document ids the person sees there, each a one-column query driven by an index of
the person's own rows or agencies (their assignments, their steps, their agency's issued
documents), built from the app's ``*_visible_to`` rules. A document is visible when one source
names it; the sources are read as one ``UNION ALL``, so the cost follows what the person sees and
never the size of the province. Files, versions and comments follow their document.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from vanthu.documents.models import Document
from vanthu.documents.models import Register
from vanthu.org import policies as org_policies
from vanthu.org.grants import agency_ids_with_predecessors
from vanthu.org.grants import grants_for
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role

require = org_policies.require
require_visible = org_policies.require_visible

VisibilityProvider = Callable[[Person, datetime], Iterable[QuerySet[Any]]]
_providers: dict[str, VisibilityProvider] = {}


def register_visibility(name: str, provider: VisibilityProvider) -> None:
    """Add (or replace) the provider called ``name`` (e.g. "outgoing")."""
    _providers[name] = provider


def documents_visible_to(person: Person, now: datetime) -> QuerySet[Document]:
    if not (person.is_authenticated and person.is_active) or not _providers:
        return Document.objects.none()
    sources = [source.order_by() for provider in _providers.values() for source in provider(person, now)]
    if not sources:
        return Document.objects.none()
    ids = sources[0].union(*sources[1:], all=True) if len(sources) > 1 else sources[0]
    return Document.objects.filter(pk__in=ids)


def can_view_document(person: Person, document: Document, now: datetime) -> bool:
    return documents_visible_to(person, now).filter(pk=document.pk).exists()


# --- registers (sổ) ----------------------------------------------------------------------


def clerk_agency_ids(person: Person, now: datetime) -> set[int]:
    clerk_of = {grant.agency_id for grant in grants_for(person, now) if grant.role == Role.CLERK}
    return agency_ids_with_predecessors(clerk_of) if clerk_of else set()


def can_manage_registers(person: Person, agency: Agency, now: datetime) -> bool:
    """Only the clerks (văn thư) of an agency reserve, cancel and close its numbers (Decree 30 Art. 15)."""
    return agency.pk in clerk_agency_ids(person, now)


def registers_visible_to(person: Person, now: datetime) -> QuerySet[Register]:
    """The registers of the agencies where the person is a clerk (merged predecessors included)."""
    agency_ids = clerk_agency_ids(person, now)
    if not agency_ids:
        return Register.objects.none()
    return Register.objects.filter(agency_id__in=agency_ids)
