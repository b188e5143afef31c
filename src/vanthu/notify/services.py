"""Notifications: the in-app bell (written in the caller's transaction), and e-mail and SMS
(sent after commit, so a rolled-back change tells nobody)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from vanthu.notify.models import Notification
from vanthu.notify.selectors import Recipient
from vanthu.notify.sms import sms_gateway


def notification_send(
    *,
    recipients: Iterable[Recipient],
    title: str,
    now: datetime,
    body: str = "",
    url: str = "",
    kind: str = "",
    email: bool = False,
    sms: bool = False,
) -> list[Notification]:
    people = list(recipients)
    notifications = Notification.objects.bulk_create(
        [
            Notification(recipient_id=person.pk, title=title[:255], body=body, url=url, kind=kind, created_at=now)
            for person in people
        ]
    )
    if email:
        addresses = [getattr(person, "email", "") for person in people if getattr(person, "email", "")]
        if addresses:
            transaction.on_commit(
                lambda: send_mail(title, body or title, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True)
            )
    if sms:
        phones = [getattr(person, "phone", "") for person in people if getattr(person, "phone", "")]
        if phones:

            def _send_sms() -> None:
                gateway = sms_gateway()
                for phone in phones:
                    gateway.send(phone=phone, text=title)

            transaction.on_commit(_send_sms)
    return notifications


def notification_mark_read(*, person: Recipient, now: datetime, notification_id: int | None = None) -> int:
    """Mark one notification (or all of the person's) as read; returns how many changed."""
    unread = Notification.objects.filter(recipient_id=person.pk, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=now)
