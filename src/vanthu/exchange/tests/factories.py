"""Test documents for the exchange app, built from documents.models directly (no outgoing app)."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from functools import cache
from typing import Any

from vanthu.core.blobs import blob_store_bytes
from vanthu.core.models import Blob
from vanthu.documents.models import Channel
from vanthu.documents.models import Direction
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentRecipient
from vanthu.documents.models import DocumentType
from vanthu.documents.models import RecipientKind
from vanthu.documents.models import Urgency
from vanthu.org.models import Agency
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import person_with_role


@cache
def pdf_bytes() -> bytes:
    from vanthu.signing.testing.pdfs import decision_pdf

    return decision_pdf(pages=1)


def stored_pdf(now: datetime) -> Blob:
    return blob_store_bytes(data=pdf_bytes(), now=now)


def issued_document(
    *, agency: Agency, created_by: Any, number: int = 5, subject: str = "Về việc phân bổ ngân sách năm 2026"
) -> Document:
    return Document.objects.create(
        direction=Direction.OUTGOING,
        agency=agency,
        document_type=DocumentType.objects.get(code="QĐ", agency=None),
        number=number,
        symbol=f"QĐ-{agency.abbreviation}",
        issued_date=date(2026, 3, 10),
        place_name="Thanh Hóa",
        subject=subject,
        issuer_name=agency.name,
        urgency=Urgency.URGENT,
        created_by=created_by,
    )


def agency_recipient(document: Document, agency: Agency, *, ordinal: int = 0) -> DocumentRecipient:
    return DocumentRecipient.objects.create(
        document=document, ordinal=ordinal, kind=RecipientKind.AGENCY, agency=agency, name=agency.name
    )


def external_recipient(
    document: Document, *, name: str, channel: str, address: str = "", ordinal: int = 0
) -> DocumentRecipient:
    return DocumentRecipient.objects.create(
        document=document, ordinal=ordinal, kind=RecipientKind.EXTERNAL, name=name, channel=channel, address=address
    )


def agencies_with_clerks(parent: Agency, count: int) -> list[Agency]:
    agencies = [AgencyFactory(parent=parent) for _ in range(count)]
    for agency in agencies:
        person_with_role("CLERK", agency)
    return agencies


__all__ = ["Channel", "agencies_with_clerks", "agency_recipient", "external_recipient", "issued_document"]
