"""The daily reminder job (Huey periodic task): at 07:00 Vietnam time, warn the handlers of the
deadlines due soon and overdue (``services.reminders.reminders_send``).

Huey checks its periodic tasks once a minute with a naive timestamp, in UTC when the queue runs
with ``utc=True`` (the default) and in the server's local time otherwise; ``at_vietnam_time``
answers in Vietnam time whatever the server's time zone. The consumer imports the apps' ``tasks``
modules, and ``incoming.tasks`` imports this one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from datetime import datetime

from huey.contrib.djhuey import HUEY
from huey.contrib.djhuey import db_periodic_task

from vanthu.core import clock
from vanthu.core.clock import vietnam_time
from vanthu.incoming.services.reminders import reminders_send

REMINDER_HOUR = 7
REMINDER_MINUTE = 0


def at_vietnam_time(*, hour: int, minute: int = 0, utc: bool | None = None) -> Callable[[datetime], bool]:
    """A Huey ``validate_datetime``: true at ``hour:minute`` in Vietnam."""

    def validate(timestamp: datetime) -> bool:
        in_utc = HUEY.utc if utc is None else utc
        if timestamp.tzinfo is None:
            moment = timestamp.replace(tzinfo=UTC) if in_utc else timestamp.astimezone()
        else:
            moment = timestamp
        local = vietnam_time(moment)
        return local.hour == hour and local.minute == minute

    return validate


@db_periodic_task(at_vietnam_time(hour=REMINDER_HOUR, minute=REMINDER_MINUTE))  # type: ignore[untyped-decorator]  # huey is not annotated
def send_deadline_reminders() -> int:
    """Warn the handlers of deadlines coming and passed (once a day each)."""
    return reminders_send(now=clock.now())
