"""Builders of the issuance tests: a SIGNED outgoing document with its person-signed PDF, the
agency's seal certificate with its PKCS#12 key on the server and its seal image.

Fixtures are defined here and imported by the test modules that use them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from typing import Any

import pytest
from django.test import override_settings

from vanthu.core.blobs import blob_store_bytes
from vanthu.documents.models import Channel
from vanthu.documents.models import Direction
from vanthu.documents.models import DocumentRecipient
from vanthu.documents.models import DocumentType
from vanthu.documents.models import RecipientKind
from vanthu.documents.models import VersionKind
from vanthu.documents.services.documents import document_create
from vanthu.documents.services.files import version_create
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.signing.models import Certificate
from vanthu.signing.pades import sign_pdf
from vanthu.signing.services import certificate_register_for_agency
from vanthu.signing.services import signature_image_upload
from vanthu.signing.testing import pdfs
from vanthu.signing.testing.pki import TestPki
from vanthu.signing.testing.pki import build_test_pki
from vanthu.signing.testing.pki import pkcs12_bytes
from vanthu.signing.testing.pki import signer_for
from vanthu.signing.tests import sessions_support
from vanthu.signing.tests.pades_helpers import NOW
from vanthu.signing.tests.pades_helpers import person_appearance

SECRETS = {"STC_SEAL": "mat-khau-con-dau"}


@lru_cache(maxsize=1)
def person_signed_pdf() -> bytes:
    """The demo "Quyết định" signed by the competent person (the test PKI's personal key)."""
    return sign_pdf(
        pdf=pdfs.decision_pdf(),
        signer=signer_for(build_test_pki(NOW), "person"),
        appearance=person_appearance(),
        now=NOW,
    )


@lru_cache(maxsize=1)
def annex_pdf() -> bytes:
    return pdfs.decision_pdf(pages=1)


def decision_type() -> DocumentType:
    return DocumentType.objects.get(code="QĐ", agency__isnull=True)


def signed_outgoing(  # noqa: PLR0913 - the parts of a signed document
    *,
    agency: Agency,
    drafter: Person,
    now: datetime,
    recipients: list[Agency] = (),  # type: ignore[assignment]
    document_type: DocumentType | None = None,
    with_annex: bool = False,
    subject: str = "Về việc phê duyệt dự toán ngân sách năm 2026",
) -> Outgoing:
    """A SIGNED outgoing document with a SIGNED version (person-signed main PDF, optional annex),
    sent to ``recipients`` (agencies of the system)."""
    document_type = document_type or decision_type()
    document = document_create(
        direction=Direction.OUTGOING,
        agency=agency,
        document_type=document_type,
        subject=subject,
        actor=drafter,
        now=now,
        symbol=f"{document_type.abbreviation}-{agency.abbreviation}",
        signer_name=pdfs.DEFAULT_SIGNER_NAME,
        signer_position="Giám đốc",
    )
    outgoing = Outgoing.objects.create(
        document=document, agency=agency, status=OutgoingStatus.SIGNED, drafter=drafter, created_at=now, signed_at=now
    )
    main_sha256 = blob_store_bytes(data=person_signed_pdf(), now=now).sha256
    annexes = ()
    if with_annex:
        import io

        from vanthu.documents.uploads import Upload

        annexes = (Upload(name="phu-luc.pdf", content=io.BytesIO(annex_pdf())),)  # type: ignore[assignment]
    version_create(
        document=document,
        kind=VersionKind.SIGNED,
        actor=drafter,
        now=now,
        main_pdf_sha256=main_sha256,
        annexes=annexes,
    )
    DocumentRecipient.objects.bulk_create(
        [
            DocumentRecipient(
                document=document,
                ordinal=index,
                kind=RecipientKind.AGENCY,
                agency=recipient,
                name=recipient.name,
                code=recipient.code_qcvn102,
                channel=Channel.INTERNAL,
            )
            for index, recipient in enumerate(recipients)
        ]
    )
    return outgoing


# --- fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def key_secrets() -> Iterator[None]:
    with override_settings(VANTHU_SIGNING_KEY_SECRETS=SECRETS):
        yield


@pytest.fixture
def pki(now: datetime) -> TestPki:
    return build_test_pki(now)


@pytest.fixture
def seal_certificate(agency: Any, admin: Any, pki: TestPki, now: datetime, key_secrets: None) -> Certificate:
    """The agency's seal certificate, key on the server (PKCS#12), and its seal image."""
    sessions_support.add_trust_store(pki, now)
    data = pkcs12_bytes(pki.agency.cert, pki.agency.key, [pki.intermediate.cert], SECRETS["STC_SEAL"].encode())
    certificate = certificate_register_for_agency(
        agency=agency, data=data, actor=admin, now=now, key_secret_name="STC_SEAL"
    )
    signature_image_upload(data=sessions_support.seal_png(), agency=agency, actor=admin, now=now)
    return certificate


@pytest.fixture
def token_seal_certificate(other_agency: Any, pki: TestPki, now: datetime) -> Certificate:
    """A seal certificate whose key is not on the server (of another agency: used for refusals)."""
    sessions_support.add_trust_store(pki, now)
    from vanthu.org.models import Role
    from vanthu.org.tests.factories import person_with_role

    admin = person_with_role(Role.ADMIN, other_agency)
    return certificate_register_for_agency(agency=other_agency, data=pki.agency.pem, actor=admin, now=now)


@pytest.fixture
def recipient_agencies(province: Any, other_agency: Any) -> list[Agency]:
    from vanthu.org.tests.factories import AgencyFactory

    return [
        other_agency,
        AgencyFactory(name="Sở Xây dựng", abbreviation="SXD", parent=province),
        AgencyFactory(name="Sở Nội vụ", abbreviation="SNV", parent=province),
    ]
