"""The "sign a document" page and the signing-session page: who may sign with what (each role),
the server-key path end to end through the view (signed file, download, report), the AGENT path
rendering the signing-agent button with its manifest URL, and refusals (4xx, nothing stored)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test import override_settings
from django.urls import reverse

from vanthu.audit.models import AuditEvent
from vanthu.core import clock
from vanthu.core.models import Blob
from vanthu.signing import events
from vanthu.signing.models import Certificate
from vanthu.signing.models import SigningMethod
from vanthu.signing.models import SigningSession
from vanthu.signing.models import SigningStatus
from vanthu.signing.services import certificate_register_for_agency
from vanthu.signing.services import certificate_register_for_person
from vanthu.signing.services import signature_image_upload
from vanthu.signing.testing import pdfs
from vanthu.signing.testing.pki import TestPki
from vanthu.signing.testing.pki import pkcs12_bytes
from vanthu.signing.tests import sessions_support as support
from vanthu.signing.tests.test_views import signed_in
from vanthu.signing.tests.verify_helpers import revocation_offline

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

SECRETS = {"STC_SEAL": "mat-khau-con-dau"}
SIGN_URL = "/signing/sign/"


@pytest.fixture(autouse=True)
def _setup(db: None, pki: TestPki, now: datetime) -> Iterator[None]:
    revocation_offline()
    support.add_trust_store(pki, now)
    with override_settings(VANTHU_SIGNING_KEY_SECRETS=SECRETS):
        yield


@pytest.fixture
def seal_certificate(agency: Any, admin: Any, pki: TestPki, now: datetime) -> Certificate:
    data = pkcs12_bytes(pki.agency.cert, pki.agency.key, [pki.intermediate.cert], SECRETS["STC_SEAL"].encode())
    certificate = certificate_register_for_agency(
        agency=agency, data=data, actor=admin, now=now, key_secret_name="STC_SEAL"
    )
    signature_image_upload(data=support.seal_png(), agency=agency, actor=admin, now=now)
    return certificate


@pytest.fixture
def personal_certificate(officer: Any, pki: TestPki, now: datetime) -> Certificate:
    certificate = certificate_register_for_person(person=officer, data=pki.person.pem, actor=officer, now=now)
    signature_image_upload(data=support.signature_png(), person=officer, actor=officer, now=now)
    return certificate


def pdf(content: bytes | None = None, name: str = "quyet-dinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, support.decision_pdf() if content is None else content)


def post(client: Client, certificate: Certificate, appearance: str, content: bytes | None = None, **extra: str) -> Any:
    return client.post(
        SIGN_URL, {"file": pdf(content), "certificate": certificate.pk, "appearance": appearance, **extra}
    )


def nothing_stored() -> None:
    assert not SigningSession.objects.exists()
    assert not AuditEvent.objects.filter(
        action__in=[events.SIGNATURE_PREPARED, events.SIGNATURE_APPLIED, events.SIGNATURE_VERIFIED]
    ).exists()


class TestWhoSignsWithWhat:
    def test_anonymous_goes_to_the_login(self, client: Client) -> None:
        response = client.get(SIGN_URL)
        assert response.status_code == 302
        assert "/accounts/" in response["Location"] or "login" in response["Location"]

    def test_a_person_without_certificate_is_sent_to_register_one(self, outsider: Any) -> None:
        response = signed_in(outsider).get(SIGN_URL)
        assert response.status_code == 200
        assert b'id="sign-no-certificate"' in response.content

    def test_the_clerk_sees_the_seal_others_do_not(
        self, clerk: Any, officer: Any, admin: Any, seal_certificate: Certificate, personal_certificate: Certificate
    ) -> None:
        clerk_page = signed_in(clerk).get(SIGN_URL).content.decode()
        assert f'value="{seal_certificate.pk}"' in clerk_page
        assert f'value="{personal_certificate.pk}"' not in clerk_page
        officer_page = signed_in(officer).get(SIGN_URL).content.decode()
        assert f'value="{personal_certificate.pk}"' in officer_page
        assert f'value="{seal_certificate.pk}"' not in officer_page
        # the agency's administrator manages the seal certificate but does not apply it
        admin_page = signed_in(admin).get(SIGN_URL).content.decode()
        assert f'value="{seal_certificate.pk}"' not in admin_page

    def test_someone_else_s_certificate_is_an_invalid_choice(self, admin: Any, seal_certificate: Certificate) -> None:
        response = post(signed_in(admin), seal_certificate, "seal")
        assert response.status_code == 422
        nothing_stored()


class TestServerKey:
    def test_the_clerk_seals_and_reads_the_report(
        self, clerk: Any, officer: Any, seal_certificate: Certificate, pki: TestPki, now: datetime
    ) -> None:
        client = signed_in(clerk)
        response = post(
            client, seal_certificate, "seal", number_symbol="15/QĐ-STC", issue_date_text="ngày 15 tháng 01 năm 2025"
        )
        assert response.status_code == 302
        session = SigningSession.objects.get()
        assert response["Location"] == reverse("signing:session", kwargs={"pk": session.pk})
        assert session.method == SigningMethod.SERVER_KEY
        assert session.status == SigningStatus.COMPLETED
        page = client.get(response["Location"])
        assert page.status_code == 200
        content = page.content.decode()
        assert 'id="signed-download"' in content
        assert 'id="report"' in content
        assert 'id="report-verdict" ' in content or "report-verdict" in content
        assert AuditEvent.objects.filter(action=events.SIGNATURE_VERIFIED).count() == 1  # not verified twice
        download = client.get(reverse("signing:session_signed_file", kwargs={"pk": session.pk}))
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        signed = download.content
        assert signed.startswith(support.decision_pdf())
        report = support.verify(pki, signed, now)
        assert report.signature_count == 1
        assert report.all_valid
        # the session and its file are the clerk's: anyone else gets 404
        for other in (officer, seal_certificate.registered_by):
            assert signed_in(other).get(response["Location"]).status_code == 404
            url = reverse("signing:session_signed_file", kwargs={"pk": session.pk})
            assert signed_in(other).get(url).status_code == 404

    def test_the_copy_line(self, clerk: Any, seal_certificate: Certificate) -> None:
        response = post(signed_in(clerk), seal_certificate, "line", line_text="SAO Y\nSở Tài chính")
        assert response.status_code == 302
        assert SigningSession.objects.get().status == SigningStatus.COMPLETED

    def test_the_copy_line_needs_its_text(self, clerk: Any, seal_certificate: Certificate) -> None:
        response = post(signed_in(clerk), seal_certificate, "line")
        assert response.status_code == 422
        assert "Nhập" in response.content.decode() or 'id="id_line_text_error"' in response.content.decode()
        nothing_stored()

    def test_the_seal_needs_a_seal_image(
        self, clerk: Any, agency: Any, admin: Any, pki: TestPki, now: datetime
    ) -> None:
        data = pkcs12_bytes(pki.agency.cert, pki.agency.key, [pki.intermediate.cert], SECRETS["STC_SEAL"].encode())
        certificate = certificate_register_for_agency(
            agency=agency, data=data, actor=admin, now=now, key_secret_name="STC_SEAL"
        )
        response = post(signed_in(clerk), certificate, "seal")
        assert response.status_code == 422
        assert 'id="id_appearance_error"' in response.content.decode()
        nothing_stored()


class TestAgent:
    def test_prepare_renders_the_agent_button(
        self, officer: Any, personal_certificate: Certificate, settings: Any
    ) -> None:
        settings.VANTHU_SIGN_AGENT_ORIGIN = "http://127.0.0.1:19999"
        client = signed_in(officer)
        response = post(client, personal_certificate, "person", title="KT. GIÁM ĐỐC")
        assert response.status_code == 200
        session = SigningSession.objects.get()
        assert session.method == SigningMethod.AGENT
        assert session.status == SigningStatus.PREPARED
        content = response.content.decode()
        assert "data-sign-agent" in content
        assert 'data-agent-url="http://127.0.0.1:19999"' in content
        assert "js/sign-agent.js" in content
        assert f'data-done-url="/signing/sessions/{session.pk}/"' in content
        manifest = content.split('data-manifest-url="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
        parts = urlsplit(manifest)
        assert parts.path == reverse("signing_agent:manifest", kwargs={"session_id": session.pk})
        assert set(parse_qs(parts.query)) == {"token", "upload_token"}
        answer = Client().get(f"{parts.path}?{parts.query}")
        assert answer.status_code == 200
        assert answer.json()["signature"]["certificate"]["sha256"] == personal_certificate.fingerprint_sha256
        assert 'data-msg-done="' in content
        # the session page afterwards: waiting, and no tokens any more
        waiting = client.get(reverse("signing:session", kwargs={"pk": session.pk})).content.decode()
        assert 'id="session-waiting"' in waiting
        assert "data-sign-agent" not in waiting

    def test_the_person_look_needs_my_signature_image(self, officer: Any, pki: TestPki, now: datetime) -> None:
        certificate = certificate_register_for_person(person=officer, data=pki.person.pem, actor=officer, now=now)
        response = post(signed_in(officer), certificate, "person")
        assert response.status_code == 422
        assert 'id="id_appearance_error"' in response.content.decode()
        nothing_stored()

    def test_a_personal_certificate_cannot_apply_the_seal(
        self, officer: Any, personal_certificate: Certificate
    ) -> None:
        response = post(signed_in(officer), personal_certificate, "seal")
        assert response.status_code == 422
        nothing_stored()

    def test_an_expired_session_page_says_so(
        self, officer: Any, personal_certificate: Certificate, monkeypatch: pytest.MonkeyPatch, now: datetime
    ) -> None:
        client = signed_in(officer)
        assert post(client, personal_certificate, "person").status_code == 200
        session = SigningSession.objects.get()
        monkeypatch.setattr(clock, "now", lambda: now + timedelta(hours=1))
        page = client.get(reverse("signing:session", kwargs={"pk": session.pk})).content.decode()
        assert 'id="session-expired"' in page


class TestRefusals:
    def test_not_a_pdf_is_415(self, officer: Any, personal_certificate: Certificate) -> None:
        response = post(signed_in(officer), personal_certificate, "person", content=b"hello, not a PDF")
        assert response.status_code == 415
        assert 'id="form-errors"' in response.content.decode()
        nothing_stored()
        assert not Blob.objects.filter(content_type="application/pdf").exists()

    def test_an_encrypted_pdf_is_422(self, officer: Any, personal_certificate: Certificate) -> None:
        encrypted = pdfs.encrypted_pdf()
        response = post(signed_in(officer), personal_certificate, "person", content=encrypted)
        assert response.status_code == 422
        nothing_stored()

    def test_an_expired_certificate_is_refused(
        self, officer: Any, personal_certificate: Certificate, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        client = signed_in(officer)
        later = personal_certificate.not_after + timedelta(days=1)
        monkeypatch.setattr(clock, "now", lambda: later)
        page = client.get(SIGN_URL).content.decode()
        assert f'value="{personal_certificate.pk}"' in page  # listed, marked expired
        response = post(client, personal_certificate, "person")
        assert response.status_code == 422
        assert 'id="form-errors"' in response.content.decode()
        nothing_stored()

    def test_a_missing_file_is_422(self, officer: Any, personal_certificate: Certificate) -> None:
        response = signed_in(officer).post(SIGN_URL, {"certificate": personal_certificate.pk, "appearance": "person"})
        assert response.status_code == 422
        nothing_stored()

    def test_an_unknown_session_is_404(self, officer: Any) -> None:
        url = reverse("signing:session", kwargs={"pk": "00000000-0000-0000-0000-000000000000"})
        assert signed_in(officer).get(url).status_code == 404
