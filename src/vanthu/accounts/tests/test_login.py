from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from vanthu.accounts.tests.conftest import sign_in
from vanthu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


class TestSignInPage:
    def test_shows_the_product_name_and_the_form(self, client):
        response = client.get(reverse("accounts:login"))

        assert response.status_code == 200
        body = response.content.decode()
        assert '<h1 class="h2 fw-bold mb-1">Vanthu</h1>' in body
        with translation.override("vi"):
            assert gettext("Electronic document and records management") in body
        assert 'name="username"' in body
        assert 'class="btn btn-primary w-100"' in body

    def test_says_so_when_demo_mode_switched_two_factor_off(self, client, settings):
        settings.VANTHU_TWO_FACTOR_REQUIRED = False

        response = client.get(reverse("accounts:login"))

        assert response.context["two_factor_switched_off"] is True


class TestSignIn:
    def test_by_username(self, client, officer):
        response = sign_in(client, officer.username)

        assert response.status_code == 302
        assert response["Location"] == reverse("home")
        assert client.session[SESSION_KEY] == str(officer.pk)

    def test_by_e_mail_in_any_case(self, client, officer):
        response = sign_in(client, officer.email.upper())

        assert response.status_code == 302
        assert client.session[SESSION_KEY] == str(officer.pk)

    def test_follows_a_safe_next_address(self, client, officer):
        response = sign_in(client, officer.username, next="/notifications/")

        assert response["Location"] == "/notifications/"

    def test_ignores_a_next_address_on_another_site(self, client, officer):
        response = sign_in(client, officer.username, next="https://evil.example/")

        assert response["Location"] == reverse("home")

    def test_writes_a_success_event(self, client, officer):
        sign_in(client, officer.username)

        event = AuditEvent.objects.get(action="accounts.login.succeeded")
        assert event.actor_id == officer.pk
        assert event.client_address == "127.0.0.1"

    def test_refuses_a_wrong_password_with_a_form_error(self, client, officer):
        response = sign_in(client, officer.username, password="sai-mat-khau-123")

        assert response.status_code == 200
        assert SESSION_KEY not in client.session
        assert response.context["form"].non_field_errors()
        event = AuditEvent.objects.get(action="accounts.login.failed")
        assert event.target_id == str(officer.pk)
        assert event.data == {"username": officer.username}

    def test_refuses_an_unknown_account(self, client, db):
        response = sign_in(client, "khong-ton-tai")

        assert response.status_code == 200
        assert AuditEvent.objects.filter(action="accounts.login.failed", target_id="").count() == 1

    def test_refuses_a_deactivated_account(self, client, officer):
        officer.is_active = False
        officer.save()

        response = sign_in(client, officer.username)

        assert response.status_code == 200
        assert SESSION_KEY not in client.session


class TestLockout:
    def test_locks_after_five_failures_even_with_the_right_password(self, client, officer, settings):
        assert settings.AXES_FAILURE_LIMIT == 5
        statuses = [sign_in(client, officer.username, password=f"sai-{i}").status_code for i in range(5)]

        assert statuses == [200, 200, 200, 200, 429]
        response = sign_in(client, officer.username)
        assert response.status_code == 429
        assert SESSION_KEY not in client.session
        assert "accounts/locked_out.html" in [template.name for template in response.templates]
        assert AuditEvent.objects.filter(action="accounts.login.failed").count() == 6

    def test_locks_one_account_not_the_others(self, client, officer, clerk):
        for attempt in range(5):
            sign_in(client, officer.username, password=f"sai-{attempt}")

        assert sign_in(client, clerk.username).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_failed_sign_in_is_audited_outside_any_transaction(client, officer, audit_reset_permit):
    assert not connection.in_atomic_block

    sign_in(client, officer.username, password="sai-mat-khau-123")

    assert AuditEvent.objects.filter(action="accounts.login.failed", target_id=str(officer.pk)).count() == 1


class TestSignOut:
    def test_signs_out_with_post_and_writes_an_event(self, client, officer):
        client.force_login(officer)

        response = client.post(reverse("accounts:logout"))

        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:login")
        assert SESSION_KEY not in client.session
        assert AuditEvent.objects.filter(action="accounts.logout", actor_id=officer.pk).exists()

    def test_refuses_get(self, client, officer):
        client.force_login(officer)

        assert client.get(reverse("accounts:logout")).status_code == 405
        assert client.session[SESSION_KEY] == str(officer.pk)
