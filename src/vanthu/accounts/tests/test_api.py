from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

from vanthu.accounts.models import ApiToken
from vanthu.accounts.tests.conftest import PASSWORD
from vanthu.accounts.tests.conftest import enrolled_device
from vanthu.accounts.tests.conftest import totp_code
from vanthu.accounts.tokens import api_token_issue
from vanthu.audit.models import AuditEvent
from vanthu.core import clock

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def request_token(api: APIClient, username: str, password: str = PASSWORD, **extra: str):
    return api.post(URL, {"username": username, "password": password, **extra}, format="json")


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


class TestTokenIssue:
    def test_issues_a_token_to_an_officer(self, api, officer):
        response = request_token(api, officer.username)

        assert response.status_code == 201
        body = response.json()
        assert body["token"].startswith("vt_")
        assert body["expires_at"]
        assert body["person"] == {
            "id": officer.pk,
            "username": officer.username,
            "full_name": officer.full_name,
            "email": officer.email,
        }
        token = ApiToken.objects.get(person=officer)
        assert token.key_hash != body["token"]
        assert AuditEvent.objects.filter(action="accounts.token.issued", actor_id=officer.pk).exists()
        assert AuditEvent.objects.filter(action="accounts.login.succeeded", actor_id=officer.pk).exists()

    def test_accepts_the_e_mail_address(self, api, officer):
        assert request_token(api, officer.email).status_code == 201

    def test_refuses_wrong_credentials(self, api, officer):
        response = request_token(api, officer.username, password="sai-mat-khau-123")

        assert response.status_code == 401
        assert response.json()["code"] == "invalid_credentials"
        assert set(response.json()) == {"code", "message", "details"}
        assert AuditEvent.objects.filter(action="accounts.login.failed", target_id=str(officer.pk)).count() == 1

    def test_refuses_a_body_without_a_password(self, api, officer):
        response = api.post(URL, {"username": officer.username}, format="json")

        assert response.status_code == 400
        assert response.json()["code"] == "invalid"
        assert "password" in response.json()["details"]["fields"]

    def test_refuses_a_null_byte(self, api, officer):
        response = request_token(api, "a\x00b")

        assert response.status_code == 400

    def test_ignores_a_stale_authorization_header(self, api, officer):
        api.credentials(HTTP_AUTHORIZATION="Bearer vt_forged")

        assert request_token(api, officer.username).status_code == 201

    def test_locks_after_five_failures(self, api, officer):
        statuses = [request_token(api, officer.username, password=f"sai-{i}").status_code for i in range(5)]

        assert statuses == [401, 401, 401, 401, 429]
        response = request_token(api, officer.username)
        assert response.status_code == 429
        assert response.json()["code"] == "locked_out"
        assert set(response.json()) == {"code", "message", "details"}
        assert AuditEvent.objects.filter(action="accounts.login.failed").count() == 6
        assert not ApiToken.objects.exists()


class TestTokenTwoFactor:
    def test_requires_a_code_from_a_clerk(self, api, clerk):
        enrolled_device(clerk)

        response = request_token(api, clerk.username)

        assert response.status_code == 401
        assert response.json()["code"] == "otp_required"
        assert not ApiToken.objects.exists()

    def test_refuses_a_wrong_code(self, api, clerk, totp_clock):
        device = enrolled_device(clerk)
        wrong = f"{(int(totp_code(device, totp_clock.value)) + 1) % 1_000_000:06d}"

        response = request_token(api, clerk.username, otp=wrong)

        assert response.status_code == 401
        assert response.json()["code"] == "otp_invalid"
        assert AuditEvent.objects.filter(action="accounts.two_factor.failed", actor_id=clerk.pk).count() == 1
        assert not ApiToken.objects.exists()

    def test_issues_with_the_right_code(self, api, agency_leader, totp_clock):
        device = enrolled_device(agency_leader)

        response = request_token(api, agency_leader.username, otp=totp_code(device, totp_clock.value))

        assert response.status_code == 201

    def test_tells_a_clerk_without_a_device_to_enrol_on_the_website(self, api, clerk):
        response = request_token(api, clerk.username, otp="123456")

        assert response.status_code == 401
        assert response.json()["code"] == "otp_not_enrolled"

    def test_wrong_password_comes_before_the_code(self, api, clerk):
        enrolled_device(clerk)

        response = request_token(api, clerk.username, password="sai-mat-khau-123")

        assert response.json()["code"] == "invalid_credentials"

    @override_settings(VANTHU_TWO_FACTOR_REQUIRED=False)
    def test_demo_switch_needs_no_code(self, api, clerk):
        assert request_token(api, clerk.username).status_code == 201


class TestTokenUseAndRevoke:
    def test_the_token_authenticates_and_revokes_itself(self, api, officer):
        raw = request_token(api, officer.username).json()["token"]

        response = api.delete(URL, **bearer(raw))

        assert response.status_code == 204
        token = ApiToken.objects.get(person=officer)
        assert token.revoked_at is not None
        assert token.last_used_at is not None
        assert AuditEvent.objects.filter(action="accounts.token.revoked", actor_id=officer.pk).exists()

    def test_a_revoked_token_is_refused(self, api, officer):
        raw = request_token(api, officer.username).json()["token"]
        api.delete(URL, **bearer(raw))

        response = api.delete(URL, **bearer(raw))

        assert response.status_code == 401
        assert response.json()["code"] == "authentication_failed"
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'

    def test_revoking_one_token_keeps_the_others(self, api, officer):
        _, first = api_token_issue(person=officer, now=clock.now())
        _, second = api_token_issue(person=officer, now=clock.now())

        api.delete(URL, **bearer(first))

        assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1
        assert api.delete(URL, **bearer(second)).status_code == 204

    def test_an_expired_token_is_refused(self, api, officer):
        token, raw = api_token_issue(
            person=officer, now=clock.now() - timedelta(hours=settings.VANTHU_API_TOKEN_HOURS, seconds=1)
        )

        response = api.delete(URL, **bearer(raw))

        assert response.status_code == 401
        token.refresh_from_db()
        assert token.revoked_at is None

    @pytest.mark.parametrize("header", ["Bearer vt_forged-token", "Bearer ", "Bearer a b", "Bearer \xff"])
    def test_a_forged_or_malformed_token_is_refused(self, api, officer, header):
        response = api.delete(URL, HTTP_AUTHORIZATION=header)

        assert response.status_code == 401
        assert set(response.json()) == {"code", "message", "details"}

    def test_a_deactivated_person_token_is_refused(self, api, officer):
        _, raw = api_token_issue(person=officer, now=clock.now())
        officer.is_active = False
        officer.save()

        response = api.delete(URL, **bearer(raw))

        assert response.status_code == 401
        assert ApiToken.objects.get().revoked_at is None

    def test_revoking_needs_a_token(self, api):
        response = api.delete(URL)

        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


class TestSchema:
    def test_documents_the_token_endpoint(self, api):
        schema = api.get("/api/schema/", {"format": "json"}).json()

        operations = schema["paths"]["/api/v1/auth/token/"]
        post, delete = operations["post"], operations["delete"]
        assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/TokenRequestRequest")
        assert post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/TokenResponse")
        assert {"400", "401", "429"} <= set(post["responses"])
        assert post.get("security", []) in ([], [{}])  # no credentials needed to ask for a token
        assert set(delete["responses"]) == {"204", "401"}
        assert {"bearerAuth": []} in delete["security"]
        assert "bearerAuth" in schema["components"]["securitySchemes"]
