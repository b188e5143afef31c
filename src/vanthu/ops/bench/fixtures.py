"""Data the write scenarios need, made untimed through the services: a fresh ARRIVED incoming
document (sent by another agency of the province through ``exchange``), a fresh SIGNED outgoing
document with 50 recipient agencies, and once per run the department's seal certificate with its
key on the server (the TEST PKI of ``signing.testing``, labelled as such) and its seal image.

These rows stay in the database after the run (a benchmark database is a scratch copy)."""

from __future__ import annotations

import itertools
import random
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from vanthu.core.blobs import blob_store_bytes
from vanthu.core.clock import vietnam_date
from vanthu.documents.models import Channel
from vanthu.documents.models import Direction
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentRecipient
from vanthu.documents.models import DocumentType
from vanthu.documents.models import RecipientKind
from vanthu.documents.models import Urgency
from vanthu.documents.models import VersionKind
from vanthu.documents.services.documents import document_create
from vanthu.documents.services.files import version_create
from vanthu.exchange.services import deliveries_send
from vanthu.incoming.models import Incoming
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.signing import services as signing
from vanthu.signing.models import Certificate
from vanthu.signing.models import CertificateKind
from vanthu.signing.models import SignatureImage
from vanthu.signing.models import SignatureImageKind
from vanthu.signing.models import TrustAnchor
from vanthu.signing.pades import PersonSignature
from vanthu.signing.pades import sign_pdf
from vanthu.signing.testing import pdfs
from vanthu.signing.testing import pki as test_pki

BENCH_SYSTEM = "bench.he-thong"
SEAL_SECRET_NAME = "BENCH_SEAL"  # noqa: S105 - the name of a secret, not its value
SEAL_SECRET = "bench-seal-test-only"  # noqa: S105 - the TEST PKI's seal, in the benchmark process only
RECIPIENTS = 50
# Sender numbers that no earlier run used (a repeated number would be flagged as a possible duplicate).
_numbers = itertools.count(random.SystemRandom().randrange(100_000, 900_000_000, 1000))


def system_person() -> Person:
    """A superuser that only sets up the benchmark's signing data (no usable password)."""
    person, created = Person.objects.get_or_create(
        username=BENCH_SYSTEM, defaults={"full_name": "Hệ thống (đo hiệu năng)", "is_superuser": True}
    )
    if created:
        person.set_unusable_password()
        person.save(update_fields=["password"])
    return person


def _type() -> DocumentType:
    return DocumentType.objects.get(code="QĐ", agency__isnull=True)


def _current_clerk(agency: Agency, now: datetime) -> Person | None:
    assignment = (
        RoleAssignment.objects.filter(agency=agency, role=Role.CLERK, valid_from__lte=now, person__is_active=True)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=now))
        .select_related("person")
        .order_by("person_id")
        .first()
    )
    return assignment.person if assignment else None


def sender_for(agency: Agency, now: datetime) -> tuple[Agency, Person]:
    """Another current agency with a clerk, to send documents to ``agency``."""
    candidates = (
        Agency.objects.filter(valid_to__isnull=True, role_assignments__role=Role.CLERK)
        .exclude(pk=agency.pk)
        .distinct()
        .order_by("id")
    )
    for candidate in candidates[:20]:
        clerk = _current_clerk(candidate, now)
        if clerk is not None:
            return candidate, clerk
    raise LookupError("No other agency with a clerk to send documents from.")


@cache
def _pdf() -> bytes:
    return pdfs.decision_pdf(pages=1)


def arrived_incoming(*, recipient: Agency, sender: Agency, sender_clerk: Person, now: datetime) -> Incoming:
    """A document of ``sender`` delivered to ``recipient`` now: its ARRIVED incoming item."""
    number = next(_numbers)
    with transaction.atomic():
        document = Document.objects.create(
            direction=Direction.OUTGOING,
            agency=sender,
            document_type=_type(),
            number=number,
            symbol=f"QĐ-{sender.abbreviation}",
            issued_date=vietnam_date(now),
            place_name=sender.place_name,
            subject=f"Về việc kiểm tra hiệu năng hệ thống, lần {number}",
            issuer_name=sender.name,
            issuer_code=sender.code_qcvn102 or "",
            identifier=f"{sender.code_qcvn102}.bench.{now:%Y%m%d%H%M%S}.{number:06d}",
            urgency=Urgency.NORMAL,
            created_by=sender_clerk,
        )
        line = DocumentRecipient.objects.create(
            document=document, ordinal=0, kind=RecipientKind.AGENCY, agency=recipient, name=recipient.name
        )
        blob = blob_store_bytes(data=_pdf(), now=now)
        deliveries = deliveries_send(
            document=document, recipients=[line], blob_sha256=blob.sha256, actor=sender_clerk, now=now
        )
    return Incoming.objects.get(delivery__in=deliveries)


# --- issuance ---------------------------------------------------------------------------------------


def _trust_store(pki: test_pki.TestPki, *, system: Person, now: datetime) -> None:
    for issued in (pki.root, pki.intermediate):
        if TrustAnchor.objects.filter(fingerprint_sha256=issued.fingerprint_sha256).exists():
            continue
        signing.trust_anchor_add(
            data=issued.pem,
            actor=system,
            now=now,
            name=f"{issued.cert.subject.rfc4514_string()[:200]} (thử nghiệm, đo hiệu năng)",
        )


def seal_certificate(*, agency: Agency, now: datetime) -> Certificate:
    """The agency's seal certificate with its key on the server (TEST PKI), and a seal image."""
    secrets: dict[str, Any] = settings.VANTHU_SIGNING_KEY_SECRETS
    secrets.setdefault(SEAL_SECRET_NAME, SEAL_SECRET)
    system = system_person()
    pki = test_pki.build_test_pki(now)
    _trust_store(pki, system=system, now=now)
    certificate = (
        Certificate.objects.filter(
            agency=agency, kind=CertificateKind.AGENCY, key_secret_name=SEAL_SECRET_NAME, disabled_at__isnull=True
        )
        .order_by("-id")
        .first()
    )
    if certificate is None:
        issued = test_pki.issue_signing_certificate(
            pki, key_name=f"bench/seal/{agency.pk}", common_name=agency.name, organisation=agency.name, for_agency=True
        )
        data = test_pki.pkcs12_bytes(issued.cert, issued.key, pki.chain, password=SEAL_SECRET.encode())
        certificate = signing.certificate_register_for_agency(
            agency=agency, data=data, key_secret_name=SEAL_SECRET_NAME, actor=system, now=now, crls=[]
        )
    if not SignatureImage.objects.filter(agency=agency, kind=SignatureImageKind.SEAL, is_current=True).exists():
        signing.signature_image_upload(data=pdfs.seal_png(), agency=agency, actor=system, now=now)
    return certificate


@cache
def _person_signed_pdf(day: str) -> bytes:
    from datetime import UTC

    now = datetime.fromisoformat(day).replace(hour=2, tzinfo=UTC)
    return sign_pdf(
        pdf=pdfs.decision_pdf(),
        signer=test_pki.signer_for(test_pki.build_test_pki(now), "person"),
        appearance=PersonSignature(
            image_png=pdfs.signature_png(), name=pdfs.DEFAULT_SIGNER_NAME, title=pdfs.DEFAULT_SIGNER_TITLE
        ),
        now=now,
    )


def recipient_agencies(*, agency: Agency, count: int = RECIPIENTS) -> list[Agency]:
    return list(Agency.objects.filter(valid_to__isnull=True).exclude(pk=agency.pk).order_by("id")[:count])


def signed_outgoing(*, agency: Agency, drafter: Person, recipients: list[Agency], now: datetime) -> Outgoing:
    """A SIGNED outgoing document (person-signed main PDF) addressed to ``recipients``."""
    number = next(_numbers)
    with transaction.atomic():
        document = document_create(
            direction=Direction.OUTGOING,
            agency=agency,
            document_type=_type(),
            subject=f"Về việc kiểm tra hiệu năng ban hành văn bản, lần {number}",
            actor=drafter,
            now=now,
            symbol=f"QĐ-{agency.abbreviation}",
            signer_name=pdfs.DEFAULT_SIGNER_NAME,
            signer_position="Giám đốc",
        )
        outgoing = Outgoing.objects.create(
            document=document,
            agency=agency,
            status=OutgoingStatus.SIGNED,
            drafter=drafter,
            created_at=now,
            signed_at=now,
        )
        main = blob_store_bytes(data=_person_signed_pdf(now.date().isoformat()), now=now)
        version_create(document=document, kind=VersionKind.SIGNED, actor=drafter, now=now, main_pdf_sha256=main.sha256)
        DocumentRecipient.objects.bulk_create(
            [
                DocumentRecipient(
                    document=document,
                    ordinal=index,
                    kind=RecipientKind.AGENCY,
                    agency=recipient,
                    name=recipient.name,
                    code=recipient.code_qcvn102 or "",
                    channel=Channel.INTERNAL,
                )
                for index, recipient in enumerate(recipients)
            ]
        )
    return outgoing
