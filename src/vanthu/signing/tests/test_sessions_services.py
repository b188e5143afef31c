"""Signing sessions: the three ways to sign (server key, signing agent, remote hash), every refusal
(nothing signed, the original untouched), the one-time tokens, expiry and cancelling, audit events."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from django.test import override_settings

from vanthu.audit.models import AuditEvent
from vanthu.core.blobs import blob_read
from vanthu.core.blobs import blob_store_bytes
from vanthu.core.errors import ConflictError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import ValidationError
from vanthu.signing import events
from vanthu.signing import sessions
from vanthu.signing.certificates import CertificateExpiredError
from vanthu.signing.certificates import KeySecretMissingError
from vanthu.signing.lifecycle import SigningSessionClosedError
from vanthu.signing.models import Certificate
from vanthu.signing.models import SigningMethod
from vanthu.signing.models import SigningSession
from vanthu.signing.models import SigningStatus
from vanthu.signing.pades import AgencySignature
from vanthu.signing.pades import CopyOrAnnexLine
from vanthu.signing.pades import IssuanceStamp
from vanthu.signing.pades import PersonSignature
from vanthu.signing.pades import Placement
from vanthu.signing.pades import Rect
from vanthu.signing.pades import sign_pdf
from vanthu.signing.services import certificate_disable
from vanthu.signing.services import certificate_register_for_agency
from vanthu.signing.services import certificate_register_for_person
from vanthu.signing.signers import SignatureValueError
from vanthu.signing.testing.pki import TestPki
from vanthu.signing.testing.pki import pkcs12_bytes
from vanthu.signing.testing.pki import signer_for
from vanthu.signing.tests import sessions_support as support

pytestmark = pytest.mark.django_db

SECRETS = {"STC_SEAL": "mat-khau-con-dau"}


@pytest.fixture(autouse=True)
def _secrets() -> Iterator[None]:
    with override_settings(VANTHU_SIGNING_KEY_SECRETS=SECRETS):
        yield


@pytest.fixture
def trust_store(pki: TestPki, now: datetime) -> None:
    support.add_trust_store(pki, now)


@pytest.fixture
def seal_certificate(agency: Any, admin: Any, pki: TestPki, now: datetime, trust_store: None) -> Certificate:
    data = pkcs12_bytes(pki.agency.cert, pki.agency.key, [pki.intermediate.cert], SECRETS["STC_SEAL"].encode())
    return certificate_register_for_agency(agency=agency, data=data, actor=admin, now=now, key_secret_name="STC_SEAL")


@pytest.fixture
def personal_certificate(officer: Any, pki: TestPki, now: datetime, trust_store: None) -> Certificate:
    return certificate_register_for_person(person=officer, data=pki.person.pem, actor=officer, now=now)


@pytest.fixture
def pdf_sha256(now: datetime) -> str:
    return support.store_pdf(now)


def _seal() -> AgencySignature:
    return AgencySignature(seal_png=support.seal_png(), agency_name="Sở Tài chính tỉnh Thanh Hóa")


def _person() -> PersonSignature:
    return PersonSignature(image_png=support.signature_png(), name="Nguyễn Văn Hùng", title="KT. GIÁM ĐỐC")


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def _sign_digest(pki: TestPki, which: str, digest_hex: str) -> bytes:
    return bytes(pki[which].key.sign(bytes.fromhex(digest_hex), ec.ECDSA(Prehashed(hashes.SHA256()))))  # type: ignore[index]


# --- server key (PKCS#12) --------------------------------------------------------------------


class TestServerKey:
    def test_signs_with_the_agency_seal_and_keeps_the_original(
        self, clerk: Any, seal_certificate: Certificate, pdf_sha256: str, pki: TestPki, now: datetime
    ) -> None:
        original = blob_read(sha256=pdf_sha256)
        prepared = sessions.signature_prepare(
            pdf_sha256=pdf_sha256,
            method=SigningMethod.SERVER_KEY,
            certificate=seal_certificate,
            appearance=_seal(),
            actor=clerk,
            now=now,
        )
        assert (prepared.download_token, prepared.upload_token, prepared.digest_hex) == (None, None, None)
        assert prepared.session.status == SigningStatus.PREPARED
        assert prepared.session.expires_at == now + timedelta(minutes=15)

        session = sessions.signature_apply(session=prepared.session, actor=clerk, now=now + timedelta(seconds=5))

        assert session.status == SigningStatus.COMPLETED
        assert session.completed_at == now + timedelta(seconds=5)
        signed = blob_read(sha256=session.result_sha256)
        assert signed.startswith(original)
        assert blob_read(sha256=pdf_sha256) == original
        report = support.verify(pki, signed, now + timedelta(seconds=5))
        assert report.all_valid
        assert report.signatures[0].signer is not None
        assert report.signatures[0].signer.sha256 == pki.agency.fingerprint_sha256
        assert report.signatures[0].field_name == session.field_name == "AgencySignature1"
        (event,) = _events(events.SIGNATURE_APPLIED)
        assert event.actor_id == clerk.pk
        assert event.agency_id == seal_certificate.agency_id
        assert event.data["sha256_before"] == pdf_sha256
        assert event.data["sha256_after"] == session.result_sha256 == hashlib.sha256(signed).hexdigest()
        assert event.data["certificate_fingerprint_sha256"] == pki.agency.fingerprint_sha256
        assert event.data["method"] == "SERVER_KEY"
        assert len(_events(events.SIGNATURE_PREPARED)) == 1

    def test_only_the_agency_clerks_apply_the_seal(
        self,
        admin: Any,
        officer: Any,
        other_officer: Any,
        seal_certificate: Certificate,
        pdf_sha256: str,
        now: datetime,
    ) -> None:
        def prepare(actor: Any) -> Any:
            return sessions.signature_prepare(
                pdf_sha256=pdf_sha256,
                method=SigningMethod.SERVER_KEY,
                certificate=seal_certificate,
                appearance=None,
                actor=actor,
                now=now,
            )

        with pytest.raises(PermissionDeniedError):
            prepare(admin)  # sees the certificate, does not keep the seal
        with pytest.raises(NotFoundError):
            prepare(officer)
        with pytest.raises(NotFoundError):
            prepare(other_officer)
        assert not SigningSession.objects.exists()
        assert not _events(events.SIGNATURE_PREPARED)

    def test_refuses_a_method_the_key_does_not_allow(
        self, clerk: Any, seal_certificate: Certificate, pdf_sha256: str, now: datetime
    ) -> None:
        for method in (SigningMethod.AGENT, SigningMethod.REMOTE_HASH):
            with pytest.raises(sessions.SigningMethodError):
                sessions.signature_prepare(
                    pdf_sha256=pdf_sha256,
                    method=method,
                    certificate=seal_certificate,
                    appearance=None,
                    actor=clerk,
                    now=now,
                )
        with pytest.raises(sessions.SigningMethodError):
            sessions.signature_prepare(
                pdf_sha256=pdf_sha256,
                method="BY_FAX",
                certificate=seal_certificate,
                appearance=None,
                actor=clerk,
                now=now,
            )

    def test_a_certificate_disabled_or_revoked_meanwhile_cannot_sign(
        self, clerk: Any, admin: Any, seal_certificate: Certificate, pdf_sha256: str, now: datetime
    ) -> None:
        prepared = sessions.signature_prepare(
            pdf_sha256=pdf_sha256,
            method=SigningMethod.SERVER_KEY,
            certificate=seal_certificate,
            appearance=None,
            actor=clerk,
            now=now,
        )
        certificate_disable(certificate=seal_certificate, actor=admin, now=now, revoked=True)
        with pytest.raises(sessions.CertificateNotUsableError) as refused:
            sessions.signature_apply(session=prepared.session, actor=clerk, now=now)
        assert refused.value.code == "certificate_revoked"
        prepared.session.refresh_from_db()
        assert prepared.session.status == SigningStatus.PREPARED
        with pytest.raises(sessions.CertificateNotUsableError) as refused:
            sessions.signature_prepare(
                pdf_sha256=pdf_sha256,
                method=SigningMethod.SERVER_KEY,
                certificate=seal_certificate,
                appearance=None,
                actor=clerk,
                now=now,
            )
        assert refused.value.code == "certificate_revoked"

    def test_a_disabled_certificate_is_refused(
        self, clerk: Any, admin: Any, seal_certificate: Certificate, pdf_sha256: str, now: datetime
    ) -> None:
        certificate_disable(certificate=seal_certificate, actor=admin, now=now)
        with pytest.raises(sessions.CertificateNotUsableError) as refused:
            sessions.signature_prepare(
                pdf_sha256=pdf_sha256,
                method=SigningMethod.SERVER_KEY,
                certificate=seal_certificate,
                appearance=None,
                actor=clerk,
                now=now,
            )
        assert refused.value.code == "certificate_disabled"

    def test_an_expired_certificate_is_refused(
        self, clerk: Any, seal_certificate: Certificate, pdf_sha256: str, now: datetime
    ) -> None:
        with pytest.raises(CertificateExpiredError):
            sessions.signature_prepare(
                pdf_sha256=pdf_sha256,
                method=SigningMethod.SERVER_KEY,
                certificate=seal_certificate,
                appearance=None,
                actor=clerk,
                now=seal_certificate.not_after + timedelta(days=1),
            )

    def test_a_missing_key_secret_leaves_the_session_open(
        self, clerk: Any, seal_certificate: Certificate, pdf_sha256: str, now: datetime
    ) -> None:
        prepared = sessions.signature_prepare(
            pdf_sha256=pdf_sha256,
            method=SigningMethod.SERVER_KEY,
            certificate=seal_certificate,
            appearance=None,
            actor=clerk,
            now=now,
        )
        with override_settings(VANTHU_SIGNING_KEY_SECRETS={}), pytest.raises(KeySecretMissingError):
            sessions.signature_apply(session=prepared.session, actor=clerk, now=now)
        prepared.session.refresh_from_db()
        assert prepared.session.status == SigningStatus.PREPARED
        assert not _events(events.SIGNATURE_APPLIED)
        session = sessions.signature_apply(session=prepared.session, actor=clerk, now=now)
        assert session.status == SigningStatus.COMPLETED

    def test_bad_input_is_refused(
        self, clerk: Any, seal_certificate: Certificate, pdf_sha256: str, now: datetime
    ) -> None:
        def prepare(sha256: str, ttl: timedelta = timedelta(minutes=5)) -> Any:
            return sessions.signature_prepare(
                pdf_sha256=sha256,
                method=SigningMethod.SERVER_KEY,
                certificate=seal_certificate,
                appearance=None,
                actor=clerk,
                now=now,
                ttl=ttl,
            )

        with pytest.raises(NotFoundError):
            prepare("0" * 64)
        text = blob_store_bytes(data=b"not a pdf at all", now=now).sha256
        with pytest.raises(ValidationError.__mro__[1]) as refused:  # 415 not_a_pdf
            prepare(text)
        assert refused.value.code == "not_a_pdf"
        for ttl in (timedelta(0), timedelta(hours=25)):
            with pytest.raises(ValidationError):
                prepare(pdf_sha256, ttl)
        assert not SigningSession.objects.exists()


# --- expiry, cancelling, who may finish --------------------------------------------------------


class TestSessionLifecycle:
    @pytest.fixture
    def session(self, clerk: Any, seal_certificate: Certificate, pdf_sha256: str, now: datetime) -> SigningSession:
        return sessions.signature_prepare(
            pdf_sha256=pdf_sha256,
            method=SigningMethod.SERVER_KEY,
            certificate=seal_certificate,
            appearance=None,
            actor=clerk,
            now=now,
            ttl=timedelta(minutes=10),
        ).session

    def test_an_expired_session_is_refused_then_expired(
        self, clerk: Any, session: SigningSession, now: datetime
    ) -> None:
        late = now + timedelta(minutes=10)
        with pytest.raises(sessions.SigningSessionExpiredError):
            sessions.signature_apply(session=session, actor=clerk, now=late)
        with pytest.raises(ConflictError):
            sessions.signature_session_expire(session=session, now=now + timedelta(minutes=9))
        expired = sessions.signature_session_expire(session=session, now=late)
        assert expired.status == SigningStatus.EXPIRED
        assert len(_events(events.SIGNATURE_SESSION_EXPIRED)) == 1
        with pytest.raises(SigningSessionClosedError):
            sessions.signature_apply(session=session, actor=clerk, now=now)
        with pytest.raises(SigningSessionClosedError):
            sessions.signature_session_expire(session=session, now=late)

    def test_the_sweep_expires_only_what_is_due(
        self, clerk: Any, session: SigningSession, seal_certificate: Certificate, pdf_sha256: str, now: datetime
    ) -> None:
        later = sessions.signature_prepare(
            pdf_sha256=pdf_sha256,
            method=SigningMethod.SERVER_KEY,
            certificate=seal_certificate,
            appearance=None,
            actor=clerk,
            now=now,
            ttl=timedelta(hours=1),
        ).session
        assert sessions.signature_sessions_expire_due(now=now + timedelta(minutes=30)) == 1
        session.refresh_from_db()
        later.refresh_from_db()
        assert (session.status, later.status) == (SigningStatus.EXPIRED, SigningStatus.PREPARED)
        assert sessions.signature_sessions_expire_due(now=now + timedelta(minutes=30)) == 0

    def test_the_creator_cancels(self, clerk: Any, admin: Any, session: SigningSession, now: datetime) -> None:
        with pytest.raises(NotFoundError):
            sessions.signature_session_cancel(session=session, actor=admin, now=now)
        cancelled = sessions.signature_session_cancel(session=session, actor=clerk, now=now)
        assert cancelled.status == SigningStatus.CANCELLED
        assert len(_events(events.SIGNATURE_SESSION_CANCELLED)) == 1
        with pytest.raises(SigningSessionClosedError):
            sessions.signature_apply(session=session, actor=clerk, now=now)
        with pytest.raises(SigningSessionClosedError):
            sessions.signature_session_cancel(session=session, actor=clerk, now=now)

    def test_only_the_creator_finishes(self, admin: Any, session: SigningSession, now: datetime) -> None:
        with pytest.raises(NotFoundError):
            sessions.signature_apply(session=session, actor=admin, now=now)

    def test_a_completed_session_cannot_be_applied_twice(
        self, clerk: Any, session: SigningSession, now: datetime
    ) -> None:
        sessions.signature_apply(session=session, actor=clerk, now=now)
        with pytest.raises(SigningSessionClosedError):
            sessions.signature_apply(session=session, actor=clerk, now=now)
        assert len(_events(events.SIGNATURE_APPLIED)) == 1


# --- remote hash -----------------------------------------------------------------------------


class TestRemoteHash:
    def _prepare(self, actor: Any, certificate: Certificate, pdf_sha256: str, now: datetime) -> Any:
        return sessions.signature_prepare(
            pdf_sha256=pdf_sha256,
            method=SigningMethod.REMOTE_HASH,
            certificate=certificate,
            appearance=_person(),
            actor=actor,
            now=now,
        )

    def test_the_remote_signature_completes_from_the_stored_state(
        self, officer: Any, personal_certificate: Certificate, pdf_sha256: str, pki: TestPki, now: datetime
    ) -> None:
        prepared = self._prepare(officer, personal_certificate, pdf_sha256, now)
        assert prepared.digest_hex
        assert len(prepared.digest_hex) == 64
        session = SigningSession.objects.get(pk=prepared.session.pk)  # only what the database kept
        assert session.digest_hex == prepared.digest_hex
        assert session.prepared_state

        value = _sign_digest(pki, "person", prepared.digest_hex)
        done = sessions.signature_apply(
            session=session, actor=officer, now=now + timedelta(minutes=1), signature_value=value
        )

        assert done.status == SigningStatus.COMPLETED
        assert done.prepared_state is None
        signed = blob_read(sha256=done.result_sha256)
        assert signed.startswith(blob_read(sha256=pdf_sha256))
        report = support.verify(pki, signed, now + timedelta(minutes=1))
        assert report.all_valid
        assert report.signatures[0].field_name == "PersonSignature1"
        assert report.signatures[0].signer is not None
        assert report.signatures[0].signer.sha256 == pki.person.fingerprint_sha256
        (event,) = _events(events.SIGNATURE_APPLIED)
        assert event.data["method"] == "REMOTE_HASH"
        assert event.data["signer_person_id"] == officer.pk

    def test_a_raw_ecdsa_value_is_accepted(
        self, officer: Any, personal_certificate: Certificate, pdf_sha256: str, pki: TestPki, now: datetime
    ) -> None:
        prepared = self._prepare(officer, personal_certificate, pdf_sha256, now)
        r, s = decode_dss_signature(_sign_digest(pki, "person", prepared.digest_hex))
        raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        done = sessions.signature_apply(session=prepared.session, actor=officer, now=now, signature_value=raw)
        assert done.status == SigningStatus.COMPLETED

    def test_a_signature_by_another_key_fails_the_session(
        self, officer: Any, personal_certificate: Certificate, pdf_sha256: str, pki: TestPki, now: datetime
    ) -> None:
        prepared = self._prepare(officer, personal_certificate, pdf_sha256, now)
        value = _sign_digest(pki, "other_person", prepared.digest_hex)
        with pytest.raises(SignatureValueError):
            sessions.signature_apply(session=prepared.session, actor=officer, now=now, signature_value=value)
        session = SigningSession.objects.get(pk=prepared.session.pk)
        assert session.status == SigningStatus.FAILED
        assert session.failure_reason
        assert session.prepared_state is None
        assert session.result_sha256 == ""
        (event,) = _events(events.SIGNATURE_FAILED)
        assert event.data["code"] == "signature_value_invalid"
        good = _sign_digest(pki, "person", prepared.digest_hex)
        with pytest.raises(SigningSessionClosedError):
            sessions.signature_apply(session=session, actor=officer, now=now, signature_value=good)

    def test_a_missing_value_changes_nothing(
        self, officer: Any, personal_certificate: Certificate, pdf_sha256: str, now: datetime
    ) -> None:
        prepared = self._prepare(officer, personal_certificate, pdf_sha256, now)
        with pytest.raises(ValidationError):
            sessions.signature_apply(session=prepared.session, actor=officer, now=now)
        prepared.session.refresh_from_db()
        assert prepared.session.status == SigningStatus.PREPARED

    def test_only_the_owner_signs_with_a_personal_certificate(
        self, admin: Any, other_officer: Any, personal_certificate: Certificate, pdf_sha256: str, now: datetime
    ) -> None:
        with pytest.raises(PermissionDeniedError):
            self._prepare(admin, personal_certificate, pdf_sha256, now)
        with pytest.raises(NotFoundError):
            self._prepare(other_officer, personal_certificate, pdf_sha256, now)


# --- signing agent -----------------------------------------------------------------------------


class TestAgent:
    @pytest.fixture
    def prepared(self, officer: Any, personal_certificate: Certificate, pdf_sha256: str, now: datetime) -> Any:
        return sessions.signature_prepare(
            pdf_sha256=pdf_sha256,
            method=SigningMethod.AGENT,
            certificate=personal_certificate,
            appearance=_person(),
            actor=officer,
            now=now,
        )

    def _agent_signs(self, prepared: Any, pki: TestPki, now: datetime, which: str = "person") -> bytes:
        session = prepared.session
        pdf = sessions.signature_document_fetch(session=session, token=prepared.download_token, now=now)
        return sign_pdf(
            pdf=pdf,
            signer=signer_for(pki, which),  # type: ignore[arg-type]
            appearance=sessions.appearance_from_data(session.appearance),
            now=now,
            field_name=session.field_name,
        )

    def test_tokens_are_handed_out_once_and_stored_hashed(self, prepared: Any) -> None:
        session = SigningSession.objects.get(pk=prepared.session.pk)
        assert prepared.download_token
        assert prepared.upload_token
        assert prepared.download_token != prepared.upload_token
        assert session.download_token_hash == hashlib.sha256(prepared.download_token.encode()).hexdigest()
        assert prepared.upload_token not in (session.upload_token_hash, session.download_token_hash)

    def test_the_document_downloads_once(self, prepared: Any, pdf_sha256: str, now: datetime) -> None:
        session = prepared.session
        sessions.signing_session_check_token(
            session=session, token=prepared.download_token, purpose="download", now=now
        )
        pdf = sessions.signature_document_fetch(session=session, token=prepared.download_token, now=now)
        assert pdf == blob_read(sha256=pdf_sha256)
        with pytest.raises(sessions.SigningTokenError):
            sessions.signature_document_fetch(session=session, token=prepared.download_token, now=now)
        for token in ("", None, prepared.upload_token, "x" * 43):
            with pytest.raises(sessions.SigningTokenError):
                sessions.signing_session_check_token(session=session, token=token, purpose="download", now=now)

    def test_a_good_upload_completes(self, officer: Any, prepared: Any, pki: TestPki, now: datetime) -> None:
        signed = self._agent_signs(prepared, pki, now)
        done = sessions.signature_apply(
            session=prepared.session, actor=officer, now=now, uploaded_pdf=signed, upload_token=prepared.upload_token
        )
        assert done.status == SigningStatus.COMPLETED
        assert blob_read(sha256=done.result_sha256) == signed
        assert done.upload_token_used_at == now
        with pytest.raises(sessions.SigningTokenError):
            sessions.signing_session_check_token(session=done, token=prepared.upload_token, purpose="upload", now=now)

    def test_a_wrong_upload_token_changes_nothing(
        self, officer: Any, prepared: Any, pki: TestPki, now: datetime
    ) -> None:
        signed = self._agent_signs(prepared, pki, now)
        with pytest.raises(sessions.SigningTokenError):
            sessions.signature_apply(
                session=prepared.session, actor=officer, now=now, uploaded_pdf=signed, upload_token="guess"
            )
        prepared.session.refresh_from_db()
        assert prepared.session.status == SigningStatus.PREPARED
        assert prepared.session.upload_token_used_at is None

    def test_an_upload_signed_with_another_certificate_fails(
        self, officer: Any, prepared: Any, pki: TestPki, now: datetime
    ) -> None:
        signed = self._agent_signs(prepared, pki, now, which="other_person")
        with pytest.raises(ValidationError):
            sessions.signature_apply(
                session=prepared.session,
                actor=officer,
                now=now,
                uploaded_pdf=signed,
                upload_token=prepared.upload_token,
            )
        session = SigningSession.objects.get(pk=prepared.session.pk)
        assert session.status == SigningStatus.FAILED
        assert session.upload_token_used_at == now
        assert len(_events(events.SIGNATURE_FAILED)) == 1
        with pytest.raises(SigningSessionClosedError):  # the token was used up
            sessions.signature_apply(
                session=session,
                actor=officer,
                now=now,
                uploaded_pdf=self._resign(pki, now),
                upload_token=prepared.upload_token,
            )

    def _resign(self, pki: TestPki, now: datetime) -> bytes:
        return sign_pdf(pdf=support.decision_pdf(), signer=signer_for(pki, "person"), appearance=None, now=now)

    def test_not_a_pdf_fails(self, officer: Any, prepared: Any, now: datetime) -> None:
        with pytest.raises((ValidationError, sessions.UnsupportedMediaTypeError)):
            sessions.signature_apply(
                session=prepared.session,
                actor=officer,
                now=now,
                uploaded_pdf=b"hello",
                upload_token=prepared.upload_token,
            )
        prepared.session.refresh_from_db()
        assert prepared.session.status == SigningStatus.FAILED


# --- appearance as data ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "appearance",
    [
        None,
        PersonSignature(image_png=b"png", name="Nguyễn Văn Hùng", title="GIÁM ĐỐC", show_caption=True),
        PersonSignature(
            image_png=b"png",
            name="A",
            title="B",
            box=Placement(page=-1, rect=Rect(1, 2, 3, 4)),
            fallback_box=Placement(page=0, rect=Rect(5, 6, 7, 8)),
            max_image_height_mm=20.0,
        ),
        AgencySignature(
            seal_png=b"seal",
            agency_name="Sở Tài chính",
            seal_width_mm=40.0,
            person_field_name="PersonSignature1",
            issuance=IssuanceStamp(
                number_symbol="15/QĐ-STC",
                issue_date_text="ngày 15 tháng 01 năm 2025",
                number_box=Placement(page=0, rect=Rect(10, 20, 30, 40)),
            ),
        ),
        CopyOrAnnexLine(text="SAO Y\nUBND tỉnh Thanh Hóa"),
    ],
)
def test_appearance_round_trips_through_json(appearance: Any) -> None:
    import json

    data = json.loads(json.dumps(sessions.appearance_to_data(appearance)))
    assert sessions.appearance_from_data(data) == appearance
