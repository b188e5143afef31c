"""Huey tasks of the ops app: load ids, call one service."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from vanthu.core import clock
from vanthu.ops import periodic  # noqa: F401 - registers the daily backup with the consumer
from vanthu.ops.models import BackupRun
from vanthu.ops.services import backup_verify


@db_task()  # type: ignore[untyped-decorator]  # huey is not annotated
def verify_backup(run_id: int, full: bool = False) -> None:  # noqa: FBT001, FBT002 - a task's plain arguments
    """Re-check a backup outside the request (it may re-hash many files)."""
    run = BackupRun.objects.filter(pk=run_id).first()
    if run is None:
        return
    backup_verify(run=run, clock=clock.now, full=full)
