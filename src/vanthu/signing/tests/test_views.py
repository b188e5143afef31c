"""The digital-signature pages: each page for each relevant role (200 / 403 / 404), uploads and
their refusals (4xx, nothing written), and the verification report in the page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanthu.audit.models import AuditEvent
from vanthu.config.navigation import navigation_for
from vanthu.core.models import Blob
from vanthu.signing import services
from vanthu.signing import verification
from vanthu.signing.models import Certificate
from vanthu.signing.models import SignatureImage
from vanthu.signing.models import TrustAnchor
from vanthu.signing.testing import pdfs
from vanthu.signing.testing.pki import TestPki
from vanthu.signing.tests.verify_helpers import revocation_offline
from vanthu.signing.tests.verify_helpers import signed_pdf
from vanthu.signing.tests.verify_helpers import trust_the_test_root

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


@pytest.fixture(autouse=True)
def _offline(db: None) -> None:
    revocation_offline()


def signed_in(person: Any) -> Client:
    """A session that has passed the second factor (roles such as ADMIN require it)."""
    client = Client()
    client.force_login(person)
    device = TOTPDevice.objects.create(user=person, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def upload(content: bytes, name: str = "file.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


class TestNavigation:
    def test_people_with_a_role_see_digital_signatures(self, officer: Any, outsider: Any, now: datetime) -> None:
        url = reverse("signing:mine")
        assert url in [item.url for item in navigation_for(person=officer, now=now)]
        assert url not in [item.url for item in navigation_for(person=outsider, now=now)]


@pytest.mark.usefixtures("trusted_pki")
class TestMyPage:
    def test_shows_forms_and_the_agencies_an_admin_manages(self, admin: Any, agency: Any) -> None:
        response = signed_in(admin).get(reverse("signing:mine"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="certificate-form"' in html
        assert 'id="image-form"' in html
        assert reverse("signing:agency", args=[agency.pk]) in html

    def test_anonymous_goes_to_the_login(self, db: None) -> None:
        response = Client().get(reverse("signing:mine"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_registers_my_certificate(self, officer: Any, pki: TestPki) -> None:
        response = signed_in(officer).post(
            reverse("signing:mine"), {"action": "certificate", "certificate-file": upload(pki.person.pem, "me.pem")}
        )
        assert response.status_code == 302
        certificate = Certificate.objects.get()
        assert certificate.person_id == officer.pk
        page = signed_in(officer).get(reverse("signing:mine")).content.decode()
        assert certificate.common_name in page

    def test_garbage_is_refused_on_the_form_and_nothing_is_written(self, officer: Any) -> None:
        response = signed_in(officer).post(
            reverse("signing:mine"), {"action": "certificate", "certificate-file": upload(b"garbage", "x.pem")}
        )
        assert response.status_code == 422
        assert 'id="form-errors"' in response.content.decode()
        assert not Certificate.objects.exists()
        assert not AuditEvent.objects.filter(action__startswith="signing.").exists()

    def test_a_missing_file_is_422(self, officer: Any) -> None:
        response = signed_in(officer).post(reverse("signing:mine"), {"action": "image"})
        assert response.status_code == 422

    def test_an_unknown_action_is_400(self, officer: Any) -> None:
        assert signed_in(officer).post(reverse("signing:mine"), {"action": "x"}).status_code == 400

    def test_uploads_my_signature_image_which_only_i_and_my_admin_see(
        self, officer: Any, other_officer: Any, admin: Any
    ) -> None:
        response = signed_in(officer).post(
            reverse("signing:mine"), {"action": "image", "image-file": upload(pdfs.signature_png(), "sig.png")}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        image = SignatureImage.objects.get()
        url = reverse("signing:image_file", args=[image.pk])
        assert url in signed_in(officer).get(reverse("signing:mine")).content.decode()
        mine = signed_in(officer).get(url)
        assert mine.status_code == 200
        assert mine["Content-Type"] == "image/png"
        assert mine.content.startswith(b"\x89PNG")
        assert signed_in(admin).get(url).status_code == 200
        assert signed_in(other_officer).get(url).status_code == 404

    def test_a_pdf_as_signature_image_is_415(self, officer: Any) -> None:
        response = signed_in(officer).post(
            reverse("signing:mine"), {"action": "image", "image-file": upload(pdfs.decision_pdf(), "sig.png")}
        )
        assert response.status_code == 415
        assert not SignatureImage.objects.exists()

    def test_disables_my_certificate(self, officer: Any, other_officer: Any, pki: TestPki, now: datetime) -> None:
        certificate = services.certificate_register_for_person(
            person=officer, data=pki.person.pem, actor=officer, now=now
        )
        url = reverse("signing:certificate_disable", args=[certificate.pk])
        assert signed_in(other_officer).get(url).status_code == 404
        assert signed_in(officer).get(url).status_code == 200
        response = signed_in(officer).post(url, {"reason": "Đổi token"})
        assert response.status_code == 302
        certificate.refresh_from_db()
        assert certificate.disabled_at == now
        assert certificate.disabled_reason == "Đổi token"
        assert signed_in(officer).post(url, {}).status_code == 409


@pytest.mark.usefixtures("trusted_pki")
class TestAgencyPage:
    def test_admin_sees_forms_clerk_reads_others_get_404(
        self, admin: Any, clerk: Any, officer: Any, other_officer: Any, agency: Any
    ) -> None:
        url = reverse("signing:agency", args=[agency.pk])
        managed = signed_in(admin).get(url)
        assert managed.status_code == 200
        assert 'id="seal-form"' in managed.content.decode()
        read = signed_in(clerk).get(url)
        assert read.status_code == 200
        assert 'id="seal-form"' not in read.content.decode()
        assert signed_in(officer).get(url).status_code == 404
        assert signed_in(other_officer).get(url).status_code == 404
        assert signed_in(clerk).post(url, {"action": "seal"}).status_code == 403

    def test_admin_registers_the_seal_certificate_and_image(self, admin: Any, agency: Any, pki: TestPki) -> None:
        url = reverse("signing:agency", args=[agency.pk])
        client = signed_in(admin)
        response = client.post(url, {"action": "certificate", "certificate-file": upload(pki.agency.pem, "seal.pem")})
        assert response.status_code == 302
        assert Certificate.objects.get().agency_id == agency.pk
        response = client.post(url, {"action": "seal", "seal-file": upload(pdfs.seal_png(), "seal.png")})
        assert response.status_code == 302, response.content.decode()[:2000]
        image = SignatureImage.objects.get()
        assert image.agency_id == agency.pk
        assert reverse("signing:image_file", args=[image.pk]) in client.get(url).content.decode()


class TestTrustStorePage:
    def test_province_admin_manages_officer_reads_outsider_404(
        self, province_admin: Any, admin: Any, officer: Any, outsider: Any, pki: TestPki
    ) -> None:
        url = reverse("signing:trust_store")
        assert 'id="trust-anchor-form"' in signed_in(province_admin).get(url).content.decode()
        assert 'id="trust-anchor-form"' not in signed_in(officer).get(url).content.decode()
        assert signed_in(outsider).get(url).status_code == 404
        assert signed_in(admin).post(url, {"file": upload(pki.root.pem, "root.pem")}).status_code == 403
        response = signed_in(province_admin).post(
            url, {"file": upload(pki.root.pem, "root.pem"), "name": "Root CA", "crl_urls": "http://crl.example/a.crl"}
        )
        assert response.status_code == 302
        anchor = TrustAnchor.objects.get()
        assert anchor.crl_urls == ["http://crl.example/a.crl"]
        assert "Root CA" in signed_in(officer).get(url).content.decode()

    def test_an_end_entity_certificate_is_refused(self, province_admin: Any, pki: TestPki) -> None:
        response = signed_in(province_admin).post(
            reverse("signing:trust_store"), {"file": upload(pki.person.pem, "p.pem")}
        )
        assert response.status_code == 422
        assert not TrustAnchor.objects.exists()

    def test_disable(self, province_admin: Any, officer: Any, superuser: Any) -> None:
        anchor = trust_the_test_root(superuser)
        url = reverse("signing:trust_anchor_disable", args=[anchor.pk])
        assert signed_in(officer).post(url).status_code == 403
        assert signed_in(province_admin).get(url).status_code == 405
        assert signed_in(province_admin).post(url).status_code == 302
        anchor.refresh_from_db()
        assert not anchor.is_active


class TestVerifyPage:
    def test_shows_the_report_of_a_signed_pdf(self, superuser: Any, officer: Any) -> None:
        trust_the_test_root(superuser)
        client = signed_in(officer)
        assert client.get(reverse("signing:verify")).status_code == 200
        response = client.post(reverse("signing:verify"), {"file": upload(signed_pdf())})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="report"' in html
        assert html.count('class="list-group-item small report-signature"') == 2  # noqa: PLR2004
        stored = verification.verification_latest_for(
            pdf_sha256=Blob.objects.filter(content_type="application/pdf").get().sha256
        )
        assert stored is not None
        assert stored.report_sha256 in html

    def test_refuses_what_is_not_a_pdf_on_the_form(self, officer: Any) -> None:
        response = signed_in(officer).post(reverse("signing:verify"), {"file": upload(b"plain text", "a.txt")})
        assert response.status_code == 415
        assert 'id="form-errors"' in response.content.decode()
        assert 'id="report"' not in response.content.decode()
        assert not Blob.objects.exists()

    def test_refuses_a_damaged_pdf_with_422(self, officer: Any) -> None:
        broken = pdfs.truncated(pdfs.decision_pdf(), fraction=0.3)
        assert signed_in(officer).post(reverse("signing:verify"), {"file": upload(broken)}).status_code == 422

    def test_refuses_a_file_above_the_limit_with_413(self, officer: Any, settings: Any) -> None:
        settings.VANTHU_MAX_UPLOAD_BYTES = 1000
        assert signed_in(officer).post(reverse("signing:verify"), {"file": upload(signed_pdf())}).status_code == 413
