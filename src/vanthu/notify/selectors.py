from __future__ import annotations

from typing import Any
from typing import Protocol

from django.db.models import QuerySet

from vanthu.notify.models import Notification


class Recipient(Protocol):
    """Anyone with a primary key: notify does not depend on who its recipients are."""

    @property
    def pk(self) -> Any: ...


def notification_list_for(*, person: Recipient, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient_id=person.pk)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def notification_unread_count_for(*, person: Recipient) -> int:
    return Notification.objects.filter(recipient_id=person.pk, read_at__isnull=True).count()
