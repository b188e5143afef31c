"""Signatures made by the server get an RFC 3161 timestamp when VANTHU_SIGNING_TSA_URL is set
(PAdES B-T): with a server-held key, and at the finish of remote hash signing. A TSA that does
not answer refuses the signature ('timestamp_failed') and leaves the original and the session as
they were."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from django.test import override_settings

from vanthu.core.blobs import blob_read
from vanthu.signing import sessions
from vanthu.signing.models import Certificate
from vanthu.signing.models import SigningMethod
from vanthu.signing.models import SigningSession
from vanthu.signing.models import SigningStatus
from vanthu.signing.pades import AgencySignature
from vanthu.signing.pades.errors import SigningFailedError
from vanthu.signing.services import certificate_register_for_agency
from vanthu.signing.services import certificate_register_for_person
from vanthu.signing.testing.pki import TestPki
from vanthu.signing.testing.pki import pkcs12_bytes
from vanthu.signing.testing.tsa import LocalTimeStampAuthority
from vanthu.signing.tests import sessions_support as support

pytestmark = pytest.mark.django_db

SECRETS = {"STC_SEAL": "mat-khau-con-dau"}


@pytest.fixture(autouse=True)
def _secrets() -> Iterator[None]:
    with override_settings(VANTHU_SIGNING_KEY_SECRETS=SECRETS):
        yield


@pytest.fixture
def seal_certificate(agency: Any, admin: Any, pki: TestPki, now: datetime) -> Certificate:
    support.add_trust_store(pki, now)
    data = pkcs12_bytes(pki.agency.cert, pki.agency.key, [pki.intermediate.cert], SECRETS["STC_SEAL"].encode())
    return certificate_register_for_agency(agency=agency, data=data, actor=admin, now=now, key_secret_name="STC_SEAL")


@pytest.fixture
def tsa(pki: TestPki, now: datetime) -> Iterator[LocalTimeStampAuthority]:
    with LocalTimeStampAuthority.for_pki(pki, fixed_time=now) as authority:
        yield authority


def _dead_url() -> str:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"


def _seal() -> AgencySignature:
    return AgencySignature(seal_png=support.seal_png(), agency_name="Sở Tài chính tỉnh Thanh Hóa")


def _prepare_seal(certificate: Certificate, clerk: Any, now: datetime) -> tuple[str, SigningSession]:
    pdf_sha256 = support.store_pdf(now)
    prepared = sessions.signature_prepare(
        pdf_sha256=pdf_sha256,
        method=SigningMethod.SERVER_KEY,
        certificate=certificate,
        appearance=_seal(),
        actor=clerk,
        now=now,
    )
    return pdf_sha256, prepared.session


class TestServerKey:
    def test_without_a_tsa_the_signature_has_no_timestamp(
        self, clerk: Any, seal_certificate: Certificate, pki: TestPki, now: datetime
    ) -> None:
        _sha, session = _prepare_seal(seal_certificate, clerk, now)
        with override_settings(VANTHU_SIGNING_TSA_URL=""):
            session = sessions.signature_apply(session=session, actor=clerk, now=now)
        report = support.verify(pki, blob_read(sha256=session.result_sha256), now)
        assert report.all_valid
        assert report.signatures[0].timestamp is None

    def test_with_a_tsa_the_signature_is_timestamped_and_valid(
        self, clerk: Any, seal_certificate: Certificate, pki: TestPki, now: datetime, tsa: LocalTimeStampAuthority
    ) -> None:
        original_sha, session = _prepare_seal(seal_certificate, clerk, now)
        with override_settings(VANTHU_SIGNING_TSA_URL=tsa.url):
            session = sessions.signature_apply(session=session, actor=clerk, now=now)

        assert tsa.requests == 1
        signed = blob_read(sha256=session.result_sha256)
        assert signed.startswith(blob_read(sha256=original_sha))
        report = support.verify(pki, signed, now + timedelta(minutes=1))
        assert report.all_valid
        assert report.signatures[0].timestamp is not None
        assert report.signatures[0].timestamp_valid is True

    def test_a_tsa_that_does_not_answer_refuses_and_changes_nothing(
        self, clerk: Any, seal_certificate: Certificate, now: datetime
    ) -> None:
        original_sha, session = _prepare_seal(seal_certificate, clerk, now)
        original = blob_read(sha256=original_sha)

        with override_settings(VANTHU_SIGNING_TSA_URL=_dead_url()), pytest.raises(SigningFailedError) as refused:
            sessions.signature_apply(session=session, actor=clerk, now=now)

        assert refused.value.code == "timestamp_failed"
        session.refresh_from_db()
        assert session.status == SigningStatus.PREPARED
        assert not session.result_sha256
        assert blob_read(sha256=original_sha) == original


class TestRemoteHash:
    def _prepare(self, officer: Any, pki: TestPki, now: datetime) -> tuple[str, sessions.PreparedSignature]:
        support.add_trust_store(pki, now)
        certificate = certificate_register_for_person(person=officer, data=pki.person.pem, actor=officer, now=now)
        pdf_sha256 = support.store_pdf(now)
        prepared = sessions.signature_prepare(
            pdf_sha256=pdf_sha256,
            method=SigningMethod.REMOTE_HASH,
            certificate=certificate,
            appearance=None,
            actor=officer,
            now=now,
        )
        return pdf_sha256, prepared

    @staticmethod
    def _value(pki: TestPki, digest_hex: str | None) -> bytes:
        assert digest_hex is not None
        return bytes(pki.person.key.sign(bytes.fromhex(digest_hex), ec.ECDSA(Prehashed(hashes.SHA256()))))

    def test_the_timestamp_is_added_at_the_finish(
        self, officer: Any, pki: TestPki, now: datetime, tsa: LocalTimeStampAuthority
    ) -> None:
        with override_settings(VANTHU_SIGNING_TSA_URL=tsa.url):
            _sha, prepared = self._prepare(officer, pki, now)
            session = sessions.signature_apply(
                session=prepared.session, actor=officer, now=now, signature_value=self._value(pki, prepared.digest_hex)
            )

        assert tsa.requests == 1
        report = support.verify(pki, blob_read(sha256=session.result_sha256), now + timedelta(minutes=1))
        assert report.all_valid
        assert report.signatures[0].timestamp_valid is True

    def test_a_tsa_that_does_not_answer_keeps_the_session_open_for_another_try(
        self, officer: Any, pki: TestPki, now: datetime, tsa: LocalTimeStampAuthority
    ) -> None:
        with override_settings(VANTHU_SIGNING_TSA_URL=_dead_url()):
            original_sha, prepared = self._prepare(officer, pki, now)
            value = self._value(pki, prepared.digest_hex)
            with pytest.raises(SigningFailedError) as refused:
                sessions.signature_apply(session=prepared.session, actor=officer, now=now, signature_value=value)
        assert refused.value.code == "timestamp_failed"
        session = SigningSession.objects.get(pk=prepared.session.pk)
        assert session.status == SigningStatus.PREPARED

        with override_settings(VANTHU_SIGNING_TSA_URL=tsa.url):
            session = sessions.signature_apply(session=session, actor=officer, now=now, signature_value=value)

        assert session.status == SigningStatus.COMPLETED
        assert blob_read(sha256=session.result_sha256).startswith(blob_read(sha256=original_sha))
