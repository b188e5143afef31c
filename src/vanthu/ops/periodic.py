"""The daily backup (a Huey periodic task): at ``VANTHU_BACKUP_TIME`` (01:30 by default) Vietnam
time, whatever the server's time zone, back up to every destination and apply the retention.

Huey checks its periodic tasks once a minute with a naive timestamp, in UTC when the queue runs
with ``utc=True`` (the default) and in the server's local time otherwise. The consumer imports the
apps' ``tasks`` modules, and ``ops.tasks`` imports this one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from datetime import datetime

from django.conf import settings
from huey.contrib.djhuey import HUEY
from huey.contrib.djhuey import db_periodic_task

from vanthu.core import clock
from vanthu.core.clock import vietnam_time
from vanthu.ops.models import BackupStatus
from vanthu.ops.models import BackupTrigger
from vanthu.ops.services import backup_create


def backup_time() -> tuple[int, int]:
    """(hour, minute) of ``settings.VANTHU_BACKUP_TIME`` ("HH:MM", Vietnam time)."""
    hour, _sep, minute = str(settings.VANTHU_BACKUP_TIME).partition(":")
    return int(hour), int(minute or 0)


def at_backup_time(*, utc: bool | None = None) -> Callable[[datetime], bool]:
    """A Huey ``validate_datetime``: true once a day, at the backup time in Vietnam."""

    def validate(timestamp: datetime) -> bool:
        in_utc = HUEY.utc if utc is None else utc
        if timestamp.tzinfo is None:
            moment = timestamp.replace(tzinfo=UTC) if in_utc else timestamp.astimezone()
        else:
            moment = timestamp
        local = vietnam_time(moment)
        return (local.hour, local.minute) == backup_time()

    return validate


@db_periodic_task(at_backup_time())  # type: ignore[untyped-decorator]  # huey is not annotated
def backup_daily() -> str:
    """Back up without anyone's action; the run and its audit event tell how it went."""
    run = backup_create(trigger=BackupTrigger.SCHEDULED, clock=clock.now)
    if run.status == BackupStatus.FAILED:
        raise RuntimeError(f"backup {run.snapshot} failed: {run.error}")
    return run.snapshot
