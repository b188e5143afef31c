"""Reads of the documents app. Selectors that take a person start from the ``*_visible_to``
querysets of documents.policies: what the person may not see is a 404."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet

from vanthu.core.errors import NotFoundError
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentType
from vanthu.documents.models import DocumentVersion
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.models import RegisterScope
from vanthu.documents.models import VersionComment
from vanthu.documents.policies import clerk_agency_ids
from vanthu.documents.policies import documents_visible_to
from vanthu.documents.policies import registers_visible_to
from vanthu.org.grants import grants_for
from vanthu.org.grants import member_agency_ids
from vanthu.org.models import Agency
from vanthu.org.models import Person


def duplicates_of(
    *, number: int | None, symbol: str, issuer_code: str, issuer_name: str, exclude_pk: int | None = None
) -> QuerySet[Document]:
    """Documents with the same (number, symbol, issuing body) — Appendix VI duplicate warning. The
    issuing body is matched by its code when one is given, by its name otherwise."""
    symbol = "".join((symbol or "").split())
    if number is None or not symbol:
        return Document.objects.none()
    issuer = Q(issuer_code=issuer_code.strip()) if issuer_code.strip() else Q(issuer_name=issuer_name.strip())
    found = Document.objects.filter(issuer, number=number, symbol=symbol)
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found.order_by("id")


def document_types_for(*, agency: Agency | None = None) -> QuerySet[DocumentType]:
    """Active types: the common ones and, when an agency is given, its own."""
    condition = Q(agency__isnull=True) | Q(agency=agency) if agency is not None else Q(agency__isnull=True)
    return DocumentType.objects.filter(condition, is_active=True).order_by("ordinal", "name")


def document_get_for(*, person: Person, pk: int, now: datetime) -> Document:
    document = documents_visible_to(person, now).filter(pk=pk).first()
    if document is None:
        raise NotFoundError()
    return document


def file_get_for(*, person: Person, pk: int, now: datetime) -> DocumentFile:
    """A file whose document the person may see (404 otherwise)."""
    document_file = (
        DocumentFile.objects.select_related("version", "source", "pdf")
        .filter(pk=pk, version__document__in=documents_visible_to(person, now))
        .first()
    )
    if document_file is None:
        raise NotFoundError()
    return document_file


def version_history(*, document: Document) -> QuerySet[DocumentVersion]:
    """The versions of a document, oldest first, with their files and comments (a bounded number of
    queries, whatever the number of versions)."""
    return (
        DocumentVersion.objects.filter(document=document)
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "files", queryset=DocumentFile.objects.select_related("source", "pdf").order_by("role", "ordinal")
            ),
            Prefetch("comments", queryset=VersionComment.objects.select_related("author").order_by("created_at", "id")),
        )
        .order_by("number")
    )


def register_list_for(
    *, person: Person, agency: Agency | None = None, year: int | None, now: datetime
) -> QuerySet[Register]:
    """The registers the person keeps (a clerk's agencies), for one year."""
    registers = registers_visible_to(person, now)
    if agency is not None:
        registers = registers.filter(agency=agency)
    if year is not None:
        registers = registers.filter(year=year)
    return registers.select_related("agency", "document_type").order_by("agency__name", "code")


def register_get_for(*, person: Person, pk: int, now: datetime) -> Register:
    register = registers_visible_to(person, now).select_related("agency").filter(pk=pk).first()
    if register is None:
        raise NotFoundError()
    return register


def register_entry_get_for(*, person: Person, pk: int, now: datetime) -> RegisterEntry:
    entry = (
        RegisterEntry.objects.select_related("register__agency", "document")
        .filter(pk=pk, register__in=registers_visible_to(person, now))
        .first()
    )
    if entry is None:
        raise NotFoundError()
    return entry


def register_entries(*, register: Register) -> QuerySet[RegisterEntry]:
    """Every number of the register in order, with its document and the people who took or cancelled it."""
    return (
        RegisterEntry.objects.filter(register=register)
        .select_related("document", "allocated_by", "cancelled_by")
        .order_by("number")
    )


def clerk_agency_get_for(*, person: Person, pk: int, now: datetime) -> Agency:
    """One of the agencies where the person is a clerk (404 otherwise)."""
    agency = Agency.objects.filter(pk=pk, pk__in=clerk_agency_ids(person, now)).first()
    if agency is None:
        raise NotFoundError()
    return agency


def agencies_without_outgoing_register(*, person: Person, year: int, now: datetime) -> list[Agency]:
    """The clerk's agencies (current ones, not merged away) whose outgoing register of the year is not open."""
    opened = Register.objects.filter(year=year, scope=RegisterScope.OUTGOING).values("agency_id")
    return list(
        Agency.objects.filter(pk__in=clerk_agency_ids(person, now), successor__isnull=True)
        .exclude(pk__in=opened)
        .order_by("name")
    )


def document_types_for_person(*, person: Person, now: datetime) -> QuerySet[DocumentType]:
    """Active types: the common ones and those of the agencies the person works in."""
    agency_ids = member_agency_ids(grants_for(person, now))
    return DocumentType.objects.filter(Q(agency__isnull=True) | Q(agency_id__in=agency_ids), is_active=True).order_by(
        "ordinal", "name"
    )
