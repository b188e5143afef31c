"""The digital-signature API: certificates (404 for what one may not see), the trust store, and
POST /api/v1/certificates/verify/ with its structured 413/415/422 refusals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vanthu.core.tests.api_helpers import client_for
from vanthu.signing import services
from vanthu.signing import verification
from vanthu.signing.models import Certificate
from vanthu.signing.models import TrustAnchor
from vanthu.signing.testing import pdfs
from vanthu.signing.testing.pki import TestPki
from vanthu.signing.tests.verify_helpers import revocation_offline
from vanthu.signing.tests.verify_helpers import signed_pdf
from vanthu.signing.tests.verify_helpers import tampered_pdf
from vanthu.signing.tests.verify_helpers import trust_the_test_root

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

VERIFY_URL = "/api/v1/certificates/verify/"


@pytest.fixture(autouse=True)
def _offline(db: None) -> None:
    revocation_offline()


def upload(content: bytes, name: str = "file.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


class TestVerify:
    def test_returns_the_stored_report(self, superuser: Any, officer: Any) -> None:
        trust_the_test_root(superuser)
        response = client_for(officer).post(VERIFY_URL, {"file": upload(signed_pdf())}, format="multipart")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["report"]["all_valid"] is True
        assert body["report"]["signature_count"] == 2  # noqa: PLR2004
        assert body["report"]["signatures"][0]["signer"]["common_name"]
        assert body["verified_by"]["id"] == officer.pk
        assert verification.verification_latest_for(pdf_sha256=body["pdf_sha256"]) is not None
        stored = verification.verification_report_read(report_sha256=body["report_sha256"])
        assert stored.report["report"] == body["report"]

    def test_an_altered_file_is_reported_not_valid(self, superuser: Any, officer: Any) -> None:
        trust_the_test_root(superuser)
        response = client_for(officer).post(VERIFY_URL, {"file": upload(tampered_pdf())}, format="multipart")
        assert response.status_code == 200
        signatures = response.json()["report"]["signatures"]
        assert all("not_intact" in signature["problems"] for signature in signatures)

    def test_refuses_what_is_not_a_pdf_with_415(self, officer: Any) -> None:
        response = client_for(officer).post(
            VERIFY_URL, {"file": upload(b"hello", "a.txt", "text/plain")}, format="multipart"
        )
        assert response.status_code == 415
        assert response.json()["code"] == "not_a_pdf"
        assert set(response.json()) == {"code", "message", "details"}

    def test_refuses_an_encrypted_pdf_with_422(self, officer: Any) -> None:
        response = client_for(officer).post(VERIFY_URL, {"file": upload(pdfs.encrypted_pdf())}, format="multipart")
        assert response.status_code == 422
        assert response.json()["code"] == "encrypted_pdf"

    def test_refuses_a_damaged_pdf_with_422(self, officer: Any) -> None:
        broken = pdfs.truncated(pdfs.decision_pdf(), fraction=0.3)
        response = client_for(officer).post(VERIFY_URL, {"file": upload(broken)}, format="multipart")
        assert response.status_code == 422
        assert response.json()["code"] == "broken_pdf"

    def test_refuses_a_file_above_the_limit_with_413(self, officer: Any, settings: Any) -> None:
        settings.VANTHU_MAX_UPLOAD_BYTES = 1000
        response = client_for(officer).post(VERIFY_URL, {"file": upload(signed_pdf())}, format="multipart")
        assert response.status_code == 413
        assert response.json()["details"] == {"max_bytes": 1000}

    def test_without_a_file_is_400(self, officer: Any) -> None:
        response = client_for(officer).post(VERIFY_URL, {}, format="multipart")
        assert response.status_code == 400
        assert "file" in response.json()["details"]["fields"]

    def test_json_is_415(self, officer: Any) -> None:
        response = client_for(officer).post(VERIFY_URL, {"file": "x"}, format="json")
        assert response.status_code == 415

    def test_needs_a_sign_in(self, db: None) -> None:
        response = client_for(None).post(VERIFY_URL, {"file": upload(signed_pdf())}, format="multipart")
        assert response.status_code == 401


@pytest.mark.usefixtures("trusted_pki")
class TestCertificates:
    def test_registers_my_certificate_and_lists_it(self, officer: Any, pki: TestPki) -> None:
        client = client_for(officer)
        response = client.post(
            "/api/v1/certificates/", {"file": upload(pki.person.pem, "me.pem", "application/x-pem-file")}
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["kind"] == "PERSONAL"
        assert body["person_id"] == officer.pk
        assert body["fingerprint_sha256"] == pki.person.fingerprint_sha256
        assert body["allowed_actions"] == ["disable"]
        listed = client.get("/api/v1/certificates/").json()
        assert [item["id"] for item in listed["results"]] == [body["id"]]

    def test_a_duplicate_is_409_and_garbage_is_422(self, officer: Any, pki: TestPki) -> None:
        client = client_for(officer)
        client.post("/api/v1/certificates/", {"file": upload(pki.person.pem, "me.pem")})
        again = client.post("/api/v1/certificates/", {"file": upload(pki.person.pem, "me.pem")})
        assert again.status_code == 409
        garbage = client.post("/api/v1/certificates/", {"file": upload(b"garbage", "x.pem")})
        assert garbage.status_code == 422
        assert Certificate.objects.count() == 1

    def test_another_persons_certificate_is_404(
        self, officer: Any, other_officer: Any, admin: Any, pki: TestPki, now: datetime
    ) -> None:
        certificate = services.certificate_register_for_person(
            person=officer, data=pki.person.pem, actor=officer, now=now
        )
        url = f"/api/v1/certificates/{certificate.pk}/"
        assert client_for(other_officer).get(url).status_code == 404
        assert client_for(officer).get(url).status_code == 200
        assert client_for(admin).get(url).status_code == 200  # an ADMIN of the officer's agency
        assert client_for(other_officer).post(f"{url}actions/disable/", {}).status_code == 404

    def test_an_admin_registers_an_agency_certificate_a_clerk_may_not(
        self, admin: Any, clerk: Any, agency: Any, pki: TestPki
    ) -> None:
        data = {"file": upload(pki.agency.pem, "seal.pem"), "kind": "AGENCY", "agency": agency.pk}
        refused = client_for(clerk).post("/api/v1/certificates/", data)
        assert refused.status_code == 403
        data["file"] = upload(pki.agency.pem, "seal.pem")
        response = client_for(admin).post("/api/v1/certificates/", data)
        assert response.status_code == 201, response.content
        assert response.json()["agency_id"] == agency.pk
        assert client_for(clerk).get(f"/api/v1/certificates/{response.json()['id']}/").status_code == 200

    def test_an_agency_certificate_without_agency_is_422(self, admin: Any, pki: TestPki) -> None:
        response = client_for(admin).post(
            "/api/v1/certificates/", {"file": upload(pki.agency.pem, "seal.pem"), "kind": "AGENCY"}
        )
        assert response.status_code == 422
        assert "agency" in response.json()["details"]["fields"]

    def test_disable(self, officer: Any, pki: TestPki, now: datetime) -> None:
        certificate = services.certificate_register_for_person(
            person=officer, data=pki.person.pem, actor=officer, now=now
        )
        response = client_for(officer).post(
            f"/api/v1/certificates/{certificate.pk}/actions/disable/", {"reason": "Hết hạn"}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["is_active"] is False
        assert response.json()["allowed_actions"] == []
        again = client_for(officer).post(f"/api/v1/certificates/{certificate.pk}/actions/disable/", {}, format="json")
        assert again.status_code == 409


class TestTrustAnchors:
    def test_province_admin_adds_others_read(
        self, province_admin: Any, admin: Any, officer: Any, outsider: Any, pki: TestPki
    ) -> None:
        refused = client_for(admin).post("/api/v1/trust-anchors/", {"file": upload(pki.root.pem, "root.pem")})
        assert refused.status_code == 403
        response = client_for(province_admin).post(
            "/api/v1/trust-anchors/", {"file": upload(pki.root.pem, "root.pem"), "name": "Root"}
        )
        assert response.status_code == 201, response.content
        assert response.json()["kind"] == "ROOT"
        listed = client_for(officer).get("/api/v1/trust-anchors/").json()["results"]
        assert [item["name"] for item in listed] == ["Root"]
        assert client_for(outsider).get("/api/v1/trust-anchors/").json()["results"] == []
        url = f"/api/v1/trust-anchors/{response.json()['id']}/"
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(officer).get(url).status_code == 200

    def test_disable_hides_it_from_readers(self, province_admin: Any, officer: Any, superuser: Any) -> None:
        anchor = trust_the_test_root(superuser)
        url = f"/api/v1/trust-anchors/{anchor.pk}/actions/disable/"
        assert client_for(officer).post(url).status_code == 403
        response = client_for(province_admin).post(url)
        assert response.status_code == 200
        assert response.json()["is_active"] is False
        assert not TrustAnchor.objects.get(pk=anchor.pk).is_active
        assert client_for(officer).get("/api/v1/trust-anchors/").json()["results"] == []
        assert len(client_for(province_admin).get("/api/v1/trust-anchors/").json()["results"]) == 1


def test_routes_are_named() -> None:
    assert reverse("api-certificate-verify") == VERIFY_URL
