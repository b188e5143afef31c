"""Builders of outgoing documents for tests: rows made directly (no service), in any status, with
their review circuit when asked. Services' own tests build drafts through the services."""

from __future__ import annotations

import io
from datetime import UTC
from datetime import datetime
from functools import lru_cache
from typing import Any

import factory

from vanthu.documents.models import Direction
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentType
from vanthu.documents.uploads import Upload
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.models import ReviewStep
from vanthu.outgoing.models import StepStatus

CREATED_AT = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def document_type(code: str = "QĐ") -> DocumentType:
    """One of the seeded types of every agency (e.g. "QĐ", "CONG_VAN")."""
    return DocumentType.objects.get(code=code, agency__isnull=True)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    direction = Direction.OUTGOING
    agency = factory.SubFactory("vanthu.org.tests.factories.AgencyFactory")
    document_type = factory.LazyFunction(document_type)
    symbol = factory.LazyAttribute(lambda o: f"{o.document_type.abbreviation}-{o.agency.abbreviation}")
    subject = factory.Sequence(lambda n: f"Về việc thử nghiệm số {n}")
    issuer_name = factory.LazyAttribute(lambda o: o.agency.name)
    issuer_code = factory.LazyAttribute(lambda o: o.agency.code_qcvn102)
    created_by = factory.SubFactory("vanthu.org.tests.factories.PersonFactory")


class OutgoingFactory(factory.django.DjangoModelFactory):
    """``OutgoingFactory(agency=…, drafter=…, status=…)``; the Document follows the agency and drafter."""

    class Meta:
        model = Outgoing

    agency = factory.SubFactory("vanthu.org.tests.factories.AgencyFactory")
    drafter = factory.SubFactory("vanthu.org.tests.factories.PersonFactory")
    document = factory.SubFactory(
        DocumentFactory,
        agency=factory.SelfAttribute("..agency"),
        created_by=factory.SelfAttribute("..drafter"),
        drafting_unit=factory.SelfAttribute("..drafting_unit"),
    )
    drafting_unit = None
    status = OutgoingStatus.DRAFT
    created_at = CREATED_AT


class ReviewStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewStep

    outgoing = factory.SubFactory(OutgoingFactory)
    round = 1
    ordinal = 1
    kind = "UNIT_REVIEW"
    assignee = factory.SubFactory("vanthu.org.tests.factories.PersonFactory")
    status = StepStatus.WAITING


def upload(data: bytes, name: str = "du-thao.pdf") -> Upload:
    return Upload(name=name, content=io.BytesIO(data))


@lru_cache(maxsize=16)
def _decision_pdf(printed: tuple[tuple[str, Any], ...]) -> bytes:
    from vanthu.signing.testing.pdfs import decision_pdf

    return decision_pdf(**dict(printed))


def decision_pdf_bytes(**printed: Any) -> bytes:
    """The Decree-30-like test PDF of the signing app (signer box on the last page), made once."""
    return _decision_pdf(tuple(sorted(printed.items())))


def pdf_upload(name: str = "du-thao.pdf", **printed: Any) -> Upload:
    return upload(decision_pdf_bytes(**printed), name)
