"""The signing part of the demo province (loaded when ``vanthu.org.demo.demo_load`` sends
``demo_province_loaded``): idempotent, through the signing services, acted by the demo's system
account (a superuser) — except the signature images, which only their owner may upload.

- the trust store: the demo root and issuing CA of ``signing.testing.pki`` (labelled "thử nghiệm":
  a TEST PKI, never a real one);
- personal certificates (public certificate only: the key stays on the person's token) for the
  Director and the Deputy Director of Sở Tài chính, with blue signature images;
- the seal certificate of Sở Tài chính with its PKCS#12 kept on the server (password: the key secret
  ``DEMO_STC_SEAL``, which the embedded settings provide in demo mode only) and its red seal image.
  Without that secret the seal certificate is left out (a later load with the secret adds it).

Each piece is added only when its owner has none yet, so loading again on another day (the test
PKI is per day) keeps the first day's consistent set."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings

from vanthu.org.demo import SYSTEM_USERNAME
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.signing import services
from vanthu.signing.models import Certificate
from vanthu.signing.models import SignatureImage
from vanthu.signing.models import SignatureImageKind
from vanthu.signing.models import TrustAnchor
from vanthu.signing.testing import pdfs
from vanthu.signing.testing import pki as test_pki

SEAL_SECRET_NAME = "DEMO_STC_SEAL"  # noqa: S105 - the name of a secret, not its value
ROOT_NAME = "CA gốc Ban Cơ yếu Chính phủ (thử nghiệm)"
INTERMEDIATE_NAME = "CA cấp chứng thư số — Cục Chứng thực số (thử nghiệm)"
PEOPLE = (
    ("giamdoc.stc", "Ban Giám đốc"),
    ("phogiamdoc.stc", "Ban Giám đốc"),
)


def demo_signing_load(*, now: datetime) -> None:
    """Add the demo's signing data (what is missing of it)."""
    system = Person.objects.get(username=SYSTEM_USERNAME)
    finance = Agency.objects.filter(abbreviation="STC", parent__isnull=False, valid_to__isnull=True).first()
    if finance is None:
        return
    pki = test_pki.build_test_pki(now)
    organisation = f"{finance.name} tỉnh {test_pki.PROVINCE}"
    _trust_store(pki, system=system, now=now)
    for username, unit in PEOPLE:
        person = Person.objects.filter(username=username).first()
        if person is not None:
            _person(pki, person=person, unit=unit, organisation=organisation, system=system, now=now)
    _seal(pki, agency=finance, name=organisation, system=system, now=now)


def _trust_store(pki: test_pki.TestPki, *, system: Person, now: datetime) -> None:
    for issued, name in ((pki.root, ROOT_NAME), (pki.intermediate, INTERMEDIATE_NAME)):
        if TrustAnchor.objects.filter(name=name).exists():
            continue
        services.trust_anchor_add(
            data=issued.pem,
            actor=system,
            now=now,
            name=name,
            crl_urls=[test_pki.CRL_URLS[issued.name]],
        )


def _person(  # noqa: PLR0913 - who, where, by whom, when
    pki: test_pki.TestPki, *, person: Person, unit: str, organisation: str, system: Person, now: datetime
) -> None:
    if not Certificate.objects.filter(person=person).exists():
        issued = test_pki.issue_signing_certificate(
            pki,
            key_name=f"demo/{person.username}",
            common_name=person.full_name,
            organisation=organisation,
            unit=unit,
            email=person.email or None,
        )
        services.certificate_register_for_person(person=person, data=issued.pem, actor=system, now=now)
    if not SignatureImage.objects.filter(person=person, kind=SignatureImageKind.SIGNATURE).exists():
        services.signature_image_upload(data=pdfs.signature_png(), person=person, actor=person, now=now)


def _seal(pki: test_pki.TestPki, *, agency: Agency, name: str, system: Person, now: datetime) -> None:
    secrets: dict[str, Any] = getattr(settings, "VANTHU_SIGNING_KEY_SECRETS", {}) or {}
    if not Certificate.objects.filter(agency=agency).exists() and secrets.get(SEAL_SECRET_NAME):
        issued = test_pki.issue_signing_certificate(
            pki, key_name="demo/seal.stc", common_name=name, organisation=name, for_agency=True
        )
        data = test_pki.pkcs12_bytes(
            issued.cert,
            issued.key,
            pki.chain,
            password=str(secrets[SEAL_SECRET_NAME]).encode(),
            friendly_name=b"demo-stc-seal",
        )
        services.certificate_register_for_agency(
            agency=agency, data=data, key_secret_name=SEAL_SECRET_NAME, actor=system, now=now
        )
    if not SignatureImage.objects.filter(agency=agency, kind=SignatureImageKind.SEAL).exists():
        services.signature_image_upload(data=pdfs.seal_png(), agency=agency, actor=system, now=now)


def on_demo_province_loaded(sender: object, *, now: datetime, with_passwords: bool, **kwargs: object) -> None:
    """Receiver of ``vanthu.org.signals.demo_province_loaded``."""
    demo_signing_load(now=now)
