# mypy: disable-error-code="no-untyped-call"
"""Electronic copies (Decree 30 Art. 25–27; App. I Part II and box 14; DOMAIN.md §1.10): sao y (a full
copy), sao lục (a copy of a sao y), trích sao (the pages extracted). Each copy is a new Document of the
copying agency, numbered in its copies register (one stream for every copy form, from 01 each year:
"05/SY-STC"), whose PDF carries the agency's invisible signature with the copy line
("SAO Y — <agency>, <time>") at the top right of page 1.

Trích sao extracts the listed pages (e.g. "1-2,4") with pyHanko's PDF writer: the page contents are
kept, their annotations (the source's signature widgets) are not — the copy is authenticated by the
copying agency's signature, not by the source's.
"""

from __future__ import annotations

import io
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PdfFileWriter

from vanthu.audit import services as audit
from vanthu.core.blobs import blob_read
from vanthu.core.blobs import blob_store_bytes
from vanthu.core.clock import vietnam_date
from vanthu.core.clock import vietnam_year
from vanthu.core.errors import ValidationError
from vanthu.documents.models import Direction
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentType
from vanthu.documents.models import FileRole
from vanthu.documents.models import RegisterScope
from vanthu.documents.models import VersionKind
from vanthu.documents.policies import can_view_document
from vanthu.documents.services import files as document_files
from vanthu.documents.services import numbering
from vanthu.documents.services.documents import document_create
from vanthu.org.models import Person
from vanthu.outgoing import events
from vanthu.outgoing import policies
from vanthu.outgoing.models import CopyKind
from vanthu.outgoing.models import DocumentCopy
from vanthu.signing import sessions as signing
from vanthu.signing.models import Certificate
from vanthu.signing.models import CertificateKind
from vanthu.signing.models import SigningMethod
from vanthu.signing.pades import document as pdf_document
from vanthu.signing.pades.appearance import CopyOrAnnexLine

COPY_LINES = {CopyKind.SAO_Y: "SAO Y", CopyKind.SAO_LUC: "SAO LỤC", CopyKind.TRICH_SAO: "TRÍCH SAO"}
MAX_PAGES_TEXT = 100


def parse_pages(text: str, *, page_count: int) -> list[int]:
    """ "1-2,4" → [0, 1, 3] (0-based, in the order given, each page once). Refuses pages out of range."""
    indexes: list[int] = []
    for part in (text or "").replace(" ", "").split(","):
        if not part:
            continue
        first, _sep, last = part.partition("-")
        try:
            start, end = int(first), int(last or first)
        except ValueError:
            raise ValidationError(
                _("Write the pages as numbers and ranges, e.g. 1-2,4."), details={"field": "pages"}
            ) from None
        if not 1 <= start <= end <= page_count:
            raise ValidationError(
                _("The document has %(count)s page(s): pages %(part)s do not exist.")
                % {"count": page_count, "part": part},
                details={"field": "pages"},
            )
        indexes.extend(index - 1 for index in range(start, end + 1) if index - 1 not in indexes)
    if not indexes:
        raise ValidationError(_("A partial copy needs the pages to copy, e.g. 1-2,4."), details={"field": "pages"})
    return indexes


def _pages(node: generic.PdfObject) -> list[generic.DictionaryObject]:
    node = node.get_object()
    assert isinstance(node, generic.DictionaryObject)  # noqa: S101 - the page tree is made of dictionaries
    if node.get("/Type") == "/Pages":
        return [page for kid in node["/Kids"] for page in _pages(kid)]
    return [node]


def _inherited(page: generic.DictionaryObject, key: str) -> generic.PdfObject | None:
    node: generic.DictionaryObject | None = page
    while node is not None:
        if key in node:
            value: generic.PdfObject = node.raw_get(key)
            return value
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def extract_pages(pdf: bytes, indexes: list[int]) -> bytes:
    """A new PDF of the pages ``indexes`` (0-based) of ``pdf``: contents and resources, no annotations."""
    reader = pdf_document.open_pdf(pdf)
    pages = _pages(reader.root.raw_get("/Pages"))
    writer = PdfFileWriter()
    for index in indexes:
        page = pages[index]
        fresh = generic.DictionaryObject({generic.NameObject("/Type"): generic.NameObject("/Page")})
        for key in ("/MediaBox", "/CropBox", "/Resources", "/Contents", "/Rotate"):
            value = _inherited(page, key) if key != "/Contents" else (page.raw_get(key) if key in page else None)
            if value is not None:
                fresh[generic.NameObject(key)] = writer.import_object(value)
        writer.insert_page(fresh)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _source_pdf_sha256(source: Document) -> str:
    version = source.current_version
    main = DocumentFile.objects.filter(version=version, role=FileRole.MAIN).first() if version is not None else None
    if main is None or main.pdf_id is None:
        raise ValidationError(_("This document has no PDF to copy."))
    return str(main.pdf_id)


def _can_see_source(actor: Person, source: Document, now: datetime) -> bool:
    """The documents the person sees, and the copies made by an agency they are a clerk of (to make
    a sao lục of a sao y)."""
    if can_view_document(actor, source, now):
        return True
    return DocumentCopy.objects.filter(copy=source, agency_id__in=policies.clerk_agency_ids(actor, now)).exists()


def _check(source: Document, kind: str, certificate: Certificate) -> None:
    if kind not in CopyKind.values:
        raise ValidationError(_("Unknown copy form."), details={"kind": kind})
    if certificate.kind != CertificateKind.AGENCY or certificate.agency_id is None:
        raise ValidationError(_("Copies are signed with the seal certificate of the copying agency."))
    if not certificate.has_private_key_on_server:
        raise ValidationError(_("Electronic copies are signed with the agency's seal key held by the server."))
    if kind == CopyKind.SAO_LUC:
        made_from = DocumentCopy.objects.filter(copy=source).values_list("kind", flat=True).first()
        if made_from != CopyKind.SAO_Y:
            raise ValidationError(_("A sao lục is made from a sao y."))


@transaction.atomic
def copy_make(  # noqa: PLR0913 - what, how, with which key, who, when, which pages
    *,
    source: Document,
    kind: str,
    certificate: Certificate,
    actor: Person,
    now: datetime,
    pages: str = "",
) -> DocumentCopy:
    """An electronic copy of ``source`` made by the certificate's agency (a CLERK of it who may see the
    source): numbered in the agency's copies register, signed with the copy line."""
    source = Document.objects.select_related("current_version", "document_type").get(pk=source.pk)
    policies.require_visible(_can_see_source(actor, source, now))
    _check(source, kind, certificate)
    agency = certificate.agency
    assert agency is not None  # noqa: S101 - checked above
    policies.require(
        policies.can_manage_registers(actor, agency, now), _("Only the registry's clerks make electronic copies.")
    )
    pdf = blob_read(sha256=_source_pdf_sha256(source))
    page_count = pdf_document.page_count(pdf_document.open_pdf(pdf))
    if kind == CopyKind.TRICH_SAO:
        indexes = parse_pages(pages, page_count=page_count)
        pdf = extract_pages(pdf, indexes)
        pages, page_count = (pages or "").replace(" ", "")[:MAX_PAGES_TEXT], len(indexes)
    else:
        pages = ""
    register = numbering.register_for(
        agency=agency, year=vietnam_year(now), scope=RegisterScope.COPIES, actor=actor, now=now
    )
    copy = document_create(
        direction=Direction.OUTGOING,
        agency=agency,
        document_type=DocumentType.objects.get(code=kind, agency__isnull=True),
        subject=source.subject,
        actor=actor,
        now=now,
        symbol=f"{kind}-{agency.abbreviation}",
        issued_date=vietnam_date(now),
        page_count=page_count,
        description=_("Copy of %(number_symbol)s of %(issuer)s")
        % {"number_symbol": source.number_symbol, "issuer": source.issuer_name},
    )
    entry = numbering.number_allocate(register=register, document=copy, actor=actor, now=now)
    prepared = signing.signature_prepare(
        pdf_sha256=blob_store_bytes(data=pdf, now=now, allowed_types={"application/pdf"}).sha256,
        method=SigningMethod.SERVER_KEY,
        certificate=certificate,
        appearance=CopyOrAnnexLine(text=f"{COPY_LINES[CopyKind(kind)]}\n{agency.name}"),
        actor=actor,
        now=now,
    )
    session = signing.signature_apply(session=prepared.session, actor=actor, now=now)
    document_files.version_create(
        document=copy, kind=VersionKind.COPY, actor=actor, now=now, main_pdf_sha256=session.result_sha256
    )
    made = DocumentCopy.objects.create(
        agency=agency,
        source=source,
        copy=copy,
        kind=kind,
        register_entry=entry,
        pages=pages,
        made_by=actor,
        made_at=now,
    )
    audit.record(
        action=events.COPY_MADE,
        actor=actor,
        agency=agency,
        now=now,
        target=made,
        data={
            "source_document_id": source.pk,
            "copy_document_id": copy.pk,
            "kind": kind,
            "number_symbol": copy.number_symbol,
            "pages": pages,
            "sha256": session.result_sha256,
        },
    )
    return made
