from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from vanthu.accounts.tests.conftest import enrolled_device
from vanthu.accounts.tests.conftest import sign_in
from vanthu.accounts.tests.conftest import totp_code
from vanthu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Hoa-sen-no-giua-dam-2026"


class TestPasswordReset:
    def test_sends_a_link_by_e_mail(self, client, officer):
        response = client.post(reverse("accounts:password_reset"), {"email": officer.email.upper()})

        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:password_reset_done")
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [officer.email]
        assert "\n" not in message.subject
        assert officer.username in message.body
        assert re.search(r"http://testserver/accounts/password/reset/[^/\s]+/[^/\s]+/", message.body)

    def test_says_the_same_for_an_unknown_address(self, client, db):
        response = client.post(reverse("accounts:password_reset"), {"email": "khong-co@thanhhoa.gov.vn"})

        assert response["Location"] == reverse("accounts:password_reset_done")
        assert mail.outbox == []

    def test_the_link_sets_a_new_password_and_unlocks_the_account(self, client, officer):
        for attempt in range(5):
            sign_in(client, officer.username, password=f"sai-{attempt}")
        assert sign_in(client, officer.username).status_code == 429
        client.post(reverse("accounts:password_reset"), {"email": officer.email})
        link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)

        form_page = client.get(link, follow=True)
        assert form_page.context["validlink"]
        response = client.post(
            form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )

        assert response["Location"] == reverse("accounts:password_reset_complete")
        officer.refresh_from_db()
        assert officer.check_password(NEW_PASSWORD)
        assert AuditEvent.objects.filter(action="accounts.password.reset", target_id=str(officer.pk)).count() == 1
        assert sign_in(client, officer.username, password=NEW_PASSWORD).status_code == 302
        assert client.get(link, follow=True).context["validlink"] is False  # used once

    def test_pages_render(self, client, db):
        for name in ["password_reset", "password_reset_done", "password_reset_complete"]:
            assert client.get(reverse(f"accounts:{name}")).status_code == 200


class TestPasswordChange:
    def test_changes_the_password_and_keeps_the_session(self, client, officer):
        client.force_login(officer)

        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": "mat-khau-dai-123",
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )

        assert response.status_code == 302
        officer.refresh_from_db()
        assert officer.check_password(NEW_PASSWORD)
        assert client.session[SESSION_KEY] == str(officer.pk)
        assert client.get("/").status_code == 200
        assert AuditEvent.objects.filter(action="accounts.password.changed", actor_id=officer.pk).count() == 1

    def test_refuses_a_short_password(self, client, officer):
        client.force_login(officer)

        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": "mat-khau-dai-123",
                "new_password1": "ngan",
                "new_password2": "ngan",
            },
        )

        assert response.status_code == 200
        assert response.context["form"].errors["new_password2"]
        assert "is-invalid" in response.content.decode()

    def test_asks_an_unverified_clerk_for_the_second_factor_first(self, client, clerk):
        client.force_login(clerk)

        response = client.get(reverse("accounts:password_change"))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:two_factor"))

    def test_a_verified_clerk_keeps_verification_after_the_change(self, client, clerk, totp_clock):
        device = enrolled_device(clerk)
        sign_in(client, clerk.username)
        client.post(reverse("accounts:two_factor"), {"code": totp_code(device, totp_clock.value)})

        client.post(
            reverse("accounts:password_change"),
            {
                "old_password": "mat-khau-dai-123",
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )

        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        assert client.get("/").status_code == 200

    def test_needs_sign_in(self, client, db):
        response = client.get(reverse("accounts:password_change"))

        assert response["Location"].startswith(reverse("accounts:login"))
