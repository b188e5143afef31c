"""The signing part of the demo province: loaded with the province, idempotent, and usable."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from datetime import timedelta

import pytest
from django.test import override_settings

from vanthu.audit.verification import audit_verify
from vanthu.core.blobs import blob_read
from vanthu.org.demo import DEMO_PASSWORD
from vanthu.org.demo import demo_load
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.signing import sessions
from vanthu.signing.demo import SEAL_SECRET_NAME
from vanthu.signing.demo import demo_signing_load
from vanthu.signing.models import Certificate
from vanthu.signing.models import CertificateKind
from vanthu.signing.models import KeyStorage
from vanthu.signing.models import SignatureImage
from vanthu.signing.models import SignatureImageKind
from vanthu.signing.models import SigningMethod
from vanthu.signing.models import SigningStatus
from vanthu.signing.models import TrustAnchor
from vanthu.signing.pades import AgencySignature
from vanthu.signing.tests import sessions_support as support
from vanthu.signing.verification import signature_verify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_secret() -> Iterator[None]:
    with override_settings(VANTHU_SIGNING_KEY_SECRETS={SEAL_SECRET_NAME: DEMO_PASSWORD}):
        yield


def _counts() -> tuple[int, int, int]:
    return TrustAnchor.objects.count(), Certificate.objects.count(), SignatureImage.objects.count()


def test_the_demo_province_can_sign_with_the_finance_seal_and_the_result_verifies(now: datetime) -> None:
    demo_load(now=now, with_passwords=False)

    anchors = TrustAnchor.objects.order_by("kind")
    assert [anchor.kind for anchor in anchors] == ["INTERMEDIATE", "ROOT"]
    assert all("(thử nghiệm)" in anchor.name for anchor in anchors)
    finance = Agency.objects.get(abbreviation="STC", valid_to__isnull=True, parent__isnull=False)
    seal = Certificate.objects.get(agency=finance)
    assert seal.kind == CertificateKind.AGENCY
    assert seal.key_storage == KeyStorage.SERVER_PKCS12
    for username in ("giamdoc.stc", "phogiamdoc.stc"):
        person = Person.objects.get(username=username)
        certificate = Certificate.objects.get(person=person)
        assert certificate.key_storage == KeyStorage.CLIENT
        assert certificate.common_name == person.full_name
        assert SignatureImage.objects.filter(person=person, kind=SignatureImageKind.SIGNATURE).exists()
    assert SignatureImage.objects.filter(agency=finance, kind=SignatureImageKind.SEAL).exists()

    # Loading again (even on another day) changes nothing.
    before = _counts()
    demo_load(now=now, with_passwords=False)
    demo_signing_load(now=now + timedelta(days=3))
    assert _counts() == before

    # The registry clerk of Sở Tài chính applies the seal with the server-held key.
    clerk = Person.objects.get(username="vanthu.stc")
    pdf_sha256 = support.store_pdf(now)
    prepared = sessions.signature_prepare(
        pdf_sha256=pdf_sha256,
        method=SigningMethod.SERVER_KEY,
        certificate=seal,
        appearance=AgencySignature(seal_png=_seal_png(finance), agency_name=finance.name),
        actor=clerk,
        now=now,
    )
    session = sessions.signature_apply(session=prepared.session, actor=clerk, now=now + timedelta(seconds=2))
    assert session.status == SigningStatus.COMPLETED

    stored = signature_verify(pdf_sha256=session.result_sha256, actor=clerk, now=now + timedelta(seconds=3))
    assert stored.all_valid, stored.summary
    assert stored.report["report"]["signatures"][0]["signer"]["sha256"] == seal.fingerprint_sha256
    assert audit_verify().ok


def test_without_the_seal_secret_the_seal_certificate_waits_for_a_later_load(now: datetime) -> None:
    with override_settings(VANTHU_SIGNING_KEY_SECRETS={}):
        demo_load(now=now, with_passwords=False)
    finance = Agency.objects.get(abbreviation="STC", valid_to__isnull=True, parent__isnull=False)
    assert not Certificate.objects.filter(agency=finance).exists()
    assert Certificate.objects.filter(kind=CertificateKind.PERSONAL).count() == 2

    demo_signing_load(now=now)

    assert Certificate.objects.get(agency=finance).key_storage == KeyStorage.SERVER_PKCS12


def _seal_png(agency: Agency) -> bytes:
    image = SignatureImage.objects.select_related("blob").get(agency=agency, kind=SignatureImageKind.SEAL)
    return blob_read(sha256=image.blob.sha256)
