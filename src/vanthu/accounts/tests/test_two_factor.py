from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.request import Request

from vanthu.accounts.authentication import VerifiedSessionAuthentication
from vanthu.accounts.tests.conftest import enrolled_device
from vanthu.accounts.tests.conftest import sign_in
from vanthu.accounts.tests.conftest import totp_code
from vanthu.accounts.two_factor import two_factor_required
from vanthu.audit.models import AuditEvent
from vanthu.org.models import Role
from vanthu.org.tests.factories import DelegationFactory

pytestmark = pytest.mark.django_db

TWO_FACTOR = reverse("accounts:two_factor")
SETUP = reverse("accounts:two_factor_setup")


class TestTwoFactorRequired:
    @pytest.mark.parametrize("role_fixture", ["clerk", "agency_leader", "admin", "province_admin"])
    def test_for_clerks_leaders_and_administrators(self, request, role_fixture, now):
        assert two_factor_required(request.getfixturevalue(role_fixture), now)

    @pytest.mark.parametrize(
        "role_fixture", ["officer", "unit_leader", "archivist", "onestop_officer", "inspector", "outsider"]
    )
    def test_not_for_the_other_roles(self, request, role_fixture, now):
        assert not two_factor_required(request.getfixturevalue(role_fixture), now)

    def test_for_a_superuser(self, outsider, now):
        outsider.is_superuser = True

        assert two_factor_required(outsider, now)

    def test_for_an_officer_acting_as_leader_by_delegation(self, officer, agency_leader, agency, now):
        DelegationFactory(delegator=agency_leader, delegate=officer, agency=agency, role=Role.AGENCY_LEADER)

        assert two_factor_required(officer, now)

    def test_not_when_demo_mode_switches_it_off(self, clerk, now):
        with override_settings(VANTHU_TWO_FACTOR_REQUIRED=False):
            assert not two_factor_required(clerk, now)


class TestPasswordStep:
    def test_sends_a_clerk_to_the_second_step(self, client, clerk):
        response = sign_in(client, clerk.username, next="/notifications/")

        assert response.status_code == 302
        assert response["Location"] == f"{TWO_FACTOR}?next=%2Fnotifications%2F"
        assert client.session[SESSION_KEY] == str(clerk.pk)
        assert DEVICE_ID_SESSION_KEY not in client.session

    def test_sends_an_officer_straight_home(self, client, officer):
        response = sign_in(client, officer.username)

        assert response["Location"] == reverse("home")

    def test_the_second_step_sends_a_clerk_without_a_device_to_enrolment(self, client, clerk):
        client.force_login(clerk)

        response = client.get(TWO_FACTOR, {"next": "/notifications/"})

        assert response.status_code == 302
        assert response["Location"] == f"{SETUP}?next=%2Fnotifications%2F"


class TestMiddleware:
    def test_blocks_an_unverified_clerk_from_the_home_page(self, client, clerk):
        client.force_login(clerk)

        response = client.get("/")

        assert response.status_code == 302
        assert response["Location"] == f"{TWO_FACTOR}?next=%2F"

    def test_lets_an_officer_in(self, client, officer):
        client.force_login(officer)

        assert client.get("/").status_code == 200

    @override_settings(VANTHU_TWO_FACTOR_REQUIRED=False)
    def test_demo_switch_lets_the_clerk_in(self, client, clerk):
        sign_in(client, clerk.username)

        assert client.get("/").status_code == 200

    def test_leaves_the_sign_out_open(self, client, clerk):
        client.force_login(clerk)

        assert client.post(reverse("accounts:logout")).status_code == 302
        assert SESSION_KEY not in client.session

    def test_the_api_does_not_accept_the_session_of_an_unverified_clerk(self, rf, clerk, officer):
        authentication = VerifiedSessionAuthentication()
        for person, verified, expected in [(clerk, False, None), (clerk, True, clerk), (officer, False, officer)]:
            http_request = rf.get("/api/v1/people/")
            http_request.user = person
            person.is_verified = lambda verified=verified: verified
            http_request._dont_enforce_csrf_checks = True

            result = authentication.authenticate(Request(http_request))

            assert (result[0] if result else None) == expected


class TestEnrolment:
    def test_shows_a_qr_code_and_the_secret(self, client, clerk):
        client.force_login(clerk)

        response = client.get(SETUP)

        assert response.status_code == 200
        device = TOTPDevice.objects.get(user=clerk)
        assert not device.confirmed
        assert response.context["otpauth_uri"] == device.config_url
        assert response.context["otpauth_uri"].startswith("otpauth://totp/Vanthu%3A")
        assert "issuer=Vanthu" in response.context["otpauth_uri"]
        prefix = "data:image/svg+xml;base64,"
        assert response.context["qr_code"].startswith(prefix)
        svg = base64.b64decode(response.context["qr_code"][len(prefix) :]).decode()
        assert svg.startswith("<svg") or svg.startswith("<?xml")
        body = response.content.decode()
        assert f'src="{response.context["qr_code"]}"' in body
        assert response.context["secret_grouped"] in body
        card = body[body.index('<div class="card') :]
        assert "<script" not in card  # the CSP allows no inline script or style
        assert "style=" not in card

    def test_keeps_the_same_secret_on_reload(self, client, clerk):
        client.force_login(clerk)

        first = client.get(SETUP).context["secret"]
        second = client.get(SETUP).context["secret"]

        assert first == second
        assert TOTPDevice.objects.filter(user=clerk).count() == 1

    def test_enrols_with_a_real_code_and_verifies_the_session(self, client, clerk, totp_clock):
        sign_in(client, clerk.username)
        client.get(SETUP)
        device = TOTPDevice.objects.get(user=clerk)

        response = client.post(SETUP, {"code": totp_code(device, totp_clock.value), "next": "/"})

        assert response.status_code == 302
        assert response["Location"] == "/"
        device.refresh_from_db()
        assert device.confirmed
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        assert client.get("/").status_code == 200
        event = AuditEvent.objects.get(action="accounts.two_factor.enrolled")
        assert event.actor_id == clerk.pk

    def test_refuses_a_wrong_code_with_a_form_error_and_an_event(self, client, clerk, totp_clock):
        client.force_login(clerk)
        client.get(SETUP)
        device = TOTPDevice.objects.get(user=clerk)
        wrong = f"{(int(totp_code(device, totp_clock.value)) + 1) % 1_000_000:06d}"

        response = client.post(SETUP, {"code": wrong})

        assert response.status_code == 200
        assert response.context["form"].errors["code"]
        device.refresh_from_db()
        assert not device.confirmed
        assert DEVICE_ID_SESSION_KEY not in client.session
        event = AuditEvent.objects.get(action="accounts.two_factor.failed")
        assert event.data == {"stage": "enrolment"}

    def test_refuses_a_code_that_is_not_six_digits(self, client, clerk):
        client.force_login(clerk)

        response = client.post(SETUP, {"code": "12ab"})

        assert response.context["form"].errors["code"]

    def test_sends_an_enrolled_person_to_verification(self, client, clerk):
        enrolled_device(clerk)
        client.force_login(clerk)

        response = client.get(SETUP)

        assert response.status_code == 302
        assert response["Location"].startswith(TWO_FACTOR)
        assert not TOTPDevice.objects.filter(user=clerk, confirmed=False).exists()

    def test_is_not_offered_to_an_officer(self, client, officer):
        client.force_login(officer)

        assert client.get(SETUP)["Location"] == reverse("home")


class TestVerification:
    def test_accepts_the_current_code_of_the_enrolled_device(self, client, agency_leader, totp_clock):
        device = enrolled_device(agency_leader)
        sign_in(client, agency_leader.username)

        response = client.post(TWO_FACTOR, {"code": totp_code(device, totp_clock.value), "next": "/"})

        assert response.status_code == 302
        assert response["Location"] == "/"
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        assert client.get("/").status_code == 200
        assert AuditEvent.objects.filter(action="accounts.two_factor.verified", actor_id=agency_leader.pk).exists()

    def test_enrol_then_sign_in_again_with_a_later_code(self, client, clerk, totp_clock):
        sign_in(client, clerk.username)
        client.get(SETUP)
        device = TOTPDevice.objects.get(user=clerk)
        client.post(SETUP, {"code": totp_code(device, totp_clock.value)})
        client.post(reverse("accounts:logout"))
        totp_clock.advance(timedelta(minutes=5).total_seconds())

        sign_in(client, clerk.username)
        assert client.get("/").status_code == 302
        response = client.post(TWO_FACTOR, {"code": totp_code(device, totp_clock.value)})

        assert response["Location"] == reverse("home")
        assert client.get("/").status_code == 200

    def test_refuses_a_replayed_code(self, client, admin, totp_clock):
        device = enrolled_device(admin)
        code = totp_code(device, totp_clock.value)
        client.force_login(admin)
        client.post(TWO_FACTOR, {"code": code})
        client.post(reverse("accounts:logout"))

        client.force_login(admin)
        response = client.post(TWO_FACTOR, {"code": code})

        assert response.status_code == 200
        assert response.context["form"].errors["code"]

    def test_refuses_a_wrong_code_with_a_form_error_and_an_event(self, client, clerk, totp_clock):
        device = enrolled_device(clerk)
        client.force_login(clerk)
        wrong = f"{(int(totp_code(device, totp_clock.value)) + 7) % 1_000_000:06d}"

        response = client.post(TWO_FACTOR, {"code": wrong})

        assert response.status_code == 200
        assert response.context["form"].errors["code"]
        assert DEVICE_ID_SESSION_KEY not in client.session
        assert client.get("/").status_code == 302
        event = AuditEvent.objects.get(action="accounts.two_factor.failed")
        assert event.actor_id == clerk.pk
        assert event.data == {"stage": "verification"}

    def test_an_officer_has_nothing_to_verify(self, client, officer):
        client.force_login(officer)

        assert client.get(TWO_FACTOR)["Location"] == reverse("home")

    def test_the_form_errors_are_in_vietnamese(self, client, clerk, totp_clock):
        device = enrolled_device(clerk)
        client.force_login(clerk)
        wrong = f"{(int(totp_code(device, totp_clock.value)) + 3) % 1_000_000:06d}"

        malformed = client.post(TWO_FACTOR, {"code": "abc"}, headers={"accept-language": "vi"})
        refused = client.post(TWO_FACTOR, {"code": wrong}, headers={"accept-language": "vi"})

        assert malformed.wsgi_request.LANGUAGE_CODE == "vi"
        with translation.override("vi"):
            assert malformed.context["form"].errors["code"] == [
                gettext("Enter the 6 digits shown by your authenticator app.")
            ]
            assert refused.context["form"].errors["code"] == [
                gettext("The verification code is not correct or has expired.")
            ]
