from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from vanthu.notify.models import Notification
from vanthu.notify.selectors import notification_list_for
from vanthu.notify.selectors import notification_unread_count_for
from vanthu.notify.services import notification_mark_read
from vanthu.notify.services import notification_send
from vanthu.notify.sms import LoggingSmsGateway
from vanthu.notify.sms import MemorySmsGateway
from vanthu.notify.sms import sms_gateway

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sms_outbox() -> Any:
    MemorySmsGateway.outbox.clear()
    yield MemorySmsGateway.outbox
    MemorySmsGateway.outbox.clear()


class TestNotificationSend:
    def test_puts_a_line_in_each_recipients_bell(self, clerk, agency_leader, now):
        notifications = notification_send(
            recipients=[clerk, agency_leader],
            title="Văn bản đến mới: 12/QĐ-UBND",
            body="Hạn xử lý 20/3/2026",
            url="/incoming/12/",
            kind="incoming.registered",
            now=now,
        )

        assert len(notifications) == 2
        assert {n.recipient_id for n in Notification.objects.all()} == {clerk.pk, agency_leader.pk}
        stored = Notification.objects.get(recipient=clerk)
        assert (stored.title, stored.url, stored.kind, stored.created_at, stored.read_at) == (
            "Văn bản đến mới: 12/QĐ-UBND",
            "/incoming/12/",
            "incoming.registered",
            now,
            None,
        )

    def test_the_bell_line_is_written_in_the_callers_transaction(self, clerk, now):
        with transaction.atomic():
            notification_send(recipients=[clerk], title="Sẽ bị hủy", now=now)
            transaction.set_rollback(True)

        assert not Notification.objects.exists()

    def test_sends_the_email_only_after_commit(self, clerk, now, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            notification_send(
                recipients=[clerk], title="Có văn bản cần ký", body="Mời đồng chí ký số", email=True, now=now
            )
            assert mail.outbox == []

        assert len(callbacks) == 1
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert (message.subject, message.body, message.to) == ("Có văn bản cần ký", "Mời đồng chí ký số", [clerk.email])

    def test_sends_no_email_when_the_change_is_rolled_back(self, clerk, now, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with transaction.atomic():
                notification_send(recipients=[clerk], title="Có văn bản cần ký", email=True, sms=True, now=now)
                transaction.set_rollback(True)

        assert callbacks == []
        assert mail.outbox == []

    def test_skips_recipients_without_an_email_address(self, clerk, outsider, now, django_capture_on_commit_callbacks):
        outsider.email = ""
        outsider.save()

        with django_capture_on_commit_callbacks(execute=True):
            notification_send(recipients=[clerk, outsider], title="Thông báo", email=True, now=now)

        assert mail.outbox[0].to == [clerk.email]

    def test_sends_the_sms_through_the_gateway_after_commit(
        self, clerk, now, sms_outbox, django_capture_on_commit_callbacks
    ):
        clerk.phone = "0912345678"
        clerk.save()

        with django_capture_on_commit_callbacks(execute=True):
            notification_send(recipients=[clerk], title="Hồ sơ quá hạn", sms=True, now=now)
            assert sms_outbox == []

        assert sms_outbox == [("0912345678", "Hồ sơ quá hạn")]

    def test_sends_no_sms_to_people_without_a_phone(self, clerk, now, sms_outbox, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            notification_send(recipients=[clerk], title="Hồ sơ quá hạn", sms=True, now=now)

        assert callbacks == []
        assert sms_outbox == []

    def test_cuts_an_overlong_title_to_fit(self, clerk, now):
        notification_send(recipients=[clerk], title="Đ" * 300, now=now)

        assert len(Notification.objects.get().title) == 255


class TestNotificationMarkRead:
    def test_marks_one_notification_read(self, clerk, now):
        first, second = notification_send(recipients=[clerk, clerk], title="Thông báo", now=now)
        later = now + timedelta(minutes=5)

        changed = notification_mark_read(person=clerk, notification_id=first.pk, now=later)

        assert changed == 1
        assert Notification.objects.get(pk=first.pk).read_at == later
        assert Notification.objects.get(pk=second.pk).read_at is None

    def test_marks_all_of_a_persons_notifications_read(self, clerk, officer, now):
        notification_send(recipients=[clerk, clerk, officer], title="Thông báo", now=now)

        assert notification_mark_read(person=clerk, now=now) == 2
        assert notification_unread_count_for(person=officer) == 1

    def test_cannot_mark_someone_elses_notification(self, clerk, officer, now):
        [theirs] = notification_send(recipients=[officer], title="Thông báo", now=now)

        assert notification_mark_read(person=clerk, notification_id=theirs.pk, now=now) == 0
        assert Notification.objects.get(pk=theirs.pk).read_at is None

    def test_keeps_the_first_reading_time(self, clerk, now):
        [notification] = notification_send(recipients=[clerk], title="Thông báo", now=now)
        notification_mark_read(person=clerk, notification_id=notification.pk, now=now)

        assert notification_mark_read(person=clerk, notification_id=notification.pk, now=now + timedelta(hours=1)) == 0
        assert Notification.objects.get(pk=notification.pk).read_at == now


class TestNotificationSelectors:
    def test_counts_the_unread_notifications_of_the_bell(self, clerk, officer, now):
        notification_send(recipients=[clerk, clerk, clerk, officer], title="Thông báo", now=now)
        first = Notification.objects.filter(recipient=clerk).first()
        notification_mark_read(person=clerk, notification_id=first.pk, now=now)

        assert notification_unread_count_for(person=clerk) == 2
        assert notification_list_for(person=clerk).count() == 3
        assert notification_list_for(person=clerk, unread_only=True).count() == 2

    def test_lists_the_newest_first(self, clerk, now):
        notification_send(recipients=[clerk], title="Cũ", now=now)
        notification_send(recipients=[clerk], title="Mới", now=now + timedelta(minutes=1))

        assert [n.title for n in notification_list_for(person=clerk)] == ["Mới", "Cũ"]


class TestSmsGateway:
    def test_the_configured_gateway_is_used(self):
        assert isinstance(sms_gateway(), MemorySmsGateway)

    def test_the_logging_gateway_writes_the_message_to_the_log(self, caplog):
        with caplog.at_level("INFO", logger="vanthu.sms"):
            LoggingSmsGateway().send(phone="0912345678", text="Mã xác thực 123456")

        assert "0912345678" in caplog.text
