"""The notifications page, the bell's dropdown (htmx) and marking as read."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanthu.core import clock
from vanthu.notify.models import Notification
from vanthu.notify.services import notification_send

pytestmark = pytest.mark.django_db


def signed_in(client: Client, person: Any) -> Client:
    client.force_login(person)
    device = TOTPDevice.objects.create(user=person, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def send(person: Any, title: str, url: str = "") -> Notification:
    return notification_send(recipients=[person], title=title, url=url, now=clock.now())[0]


class TestNotificationList:
    def test_sends_anonymous_visitors_to_sign_in(self, client: Client) -> None:
        assert client.get(reverse("notify:list")).status_code == 302

    def test_lists_only_my_notifications(self, client: Client, officer: Any, clerk: Any) -> None:
        send(officer, "Văn bản đến số 12")
        send(clerk, "Thư của người khác")
        body = signed_in(client, officer).get(reverse("notify:list")).content.decode()
        assert "Văn bản đến số 12" in body
        assert "Thư của người khác" not in body

    def test_filters_the_unread(self, client: Client, officer: Any) -> None:
        send(officer, "Chưa đọc")
        read = send(officer, "Đã đọc")
        Notification.objects.filter(pk=read.pk).update(read_at=clock.now())
        body = signed_in(client, officer).get(reverse("notify:list"), {"unread": "1"}).content.decode()
        assert "Chưa đọc" in body
        assert "Đã đọc" not in body

    def test_has_an_empty_state(self, client: Client, officer: Any) -> None:
        assert "empty-state" in signed_in(client, officer).get(reverse("notify:list")).content.decode()

    def test_paginates_with_a_bounded_query_count(
        self, client: Client, officer: Any, django_assert_max_num_queries: Any
    ) -> None:
        notification_send(recipients=[officer] * 45, title="Nhắc việc", now=clock.now())
        signed_in(client, officer)
        with django_assert_max_num_queries(20):
            response = client.get(reverse("notify:list"), {"page": "2"})
        assert response.status_code == 200
        assert response.content.decode().count("Nhắc việc") == 15

    def test_never_links_outside_the_site(self, client: Client, officer: Any) -> None:
        send(officer, "Liên kết lạ", url="javascript:alert(1)")
        assert "javascript:" not in signed_in(client, officer).get(reverse("notify:list")).content.decode()


class TestBell:
    def test_the_layout_shows_the_unread_count(self, client: Client, officer: Any) -> None:
        send(officer, "Một")
        send(officer, "Hai")
        body = signed_in(client, officer).get("/").content.decode()
        assert 'id="bell-count"' in body
        assert ">2</span>" in body

    def test_the_dropdown_is_a_fragment(self, client: Client, officer: Any) -> None:
        send(officer, "Giấy mời họp")
        response = signed_in(client, officer).get(reverse("notify:dropdown"), HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert response.status_code == 200
        assert "Giấy mời họp" in body
        assert "<html" not in body


class TestMarkRead:
    def test_marks_one_notification(self, client: Client, officer: Any) -> None:
        first, second = send(officer, "Một"), send(officer, "Hai")
        response = signed_in(client, officer).post(reverse("notify:mark_read"), {"id": first.pk})
        assert response.status_code == 302
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.read_at is not None
        assert second.read_at is None

    def test_marks_all_of_mine_and_nobody_elses(self, client: Client, officer: Any, clerk: Any) -> None:
        mine, theirs = send(officer, "Của tôi"), send(clerk, "Của người khác")
        signed_in(client, officer).post(reverse("notify:mark_read"))
        mine.refresh_from_db()
        theirs.refresh_from_db()
        assert mine.read_at is not None
        assert theirs.read_at is None

    def test_cannot_touch_another_persons_notification(self, client: Client, officer: Any, clerk: Any) -> None:
        theirs = send(clerk, "Của người khác")
        signed_in(client, officer).post(reverse("notify:mark_read"), {"id": theirs.pk})
        theirs.refresh_from_db()
        assert theirs.read_at is None

    def test_opening_follows_a_local_link_only(self, client: Client, officer: Any) -> None:
        local, foreign = (
            send(officer, "Trong hệ thống", url="/org/"),
            send(officer, "Bên ngoài", url="https://evil.example/"),
        )
        signed_in(client, officer)
        assert client.post(reverse("notify:mark_read"), {"id": local.pk, "go": "1"})["Location"] == "/org/"
        assert client.post(reverse("notify:mark_read"), {"id": foreign.pk, "go": "1"})["Location"] == reverse(
            "notify:list"
        )

    def test_under_htmx_returns_the_dropdown_and_the_new_count(self, client: Client, officer: Any) -> None:
        send(officer, "Một")
        send(officer, "Hai")
        response = signed_in(client, officer).post(reverse("notify:mark_read"), HTTP_HX_REQUEST="true")
        assert json.loads(response["HX-Trigger"]) == {"vanthu:notificationsChanged": {"unread": 0}}
        assert "<html" not in response.content.decode()

    def test_refuses_get(self, client: Client, officer: Any) -> None:
        assert signed_in(client, officer).get(reverse("notify:mark_read")).status_code == 405
