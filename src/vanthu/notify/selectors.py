from __future__ import annotations

from django.db.models import QuerySet

from vanthu.notify.models import Notification


def notification_list_for(*, person: object, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient_id=getattr(person, "pk"))
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def notification_unread_count_for(*, person: object) -> int:
    return Notification.objects.filter(recipient_id=getattr(person, "pk"), read_at__isnull=True).count()
