"""The daily backup runs from the periodic jobs without anyone's action: Huey's minute check says
yes once a day, at 01:30 Vietnam time (whatever the server's time zone), and the job makes a
backup with the injected clock and applies the retention."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from huey.contrib.djhuey import HUEY

from vanthu.core.blobs import blob_store_bytes
from vanthu.ops import periodic
from vanthu.ops import tasks
from vanthu.ops.backup.retention import snapshot_name
from vanthu.ops.models import BackupRun
from vanthu.ops.models import BackupStatus
from vanthu.ops.models import BackupTrigger
from vanthu.ops.tests.test_backup_retention import fabricate

BACKUP_MOMENT = datetime(2026, 3, 10, 18, 30, tzinfo=UTC)  # 01:30 on 11 March in Vietnam


def naive(hour: int = 0, minute: int = 0) -> datetime:
    """A naive timestamp on 10 March 2026, as Huey gives its periodic tasks."""
    return datetime(2026, 3, 10, hour, minute, tzinfo=UTC).replace(tzinfo=None)


def minutes_of(day_start: datetime) -> list[datetime]:
    return [day_start + timedelta(minutes=minute) for minute in range(24 * 60)]


class TestBackupSchedule:
    def test_fires_once_a_day_at_0130_vietnam_time_on_a_utc_queue(self) -> None:
        validate = periodic.at_backup_time(utc=True)
        # Huey passes naive UTC timestamps when the queue runs with utc=True.
        fired = [moment for moment in minutes_of(naive()) if validate(moment)]

        assert fired == [naive(18, 30)]

    def test_fires_at_0130_vietnam_time_on_a_queue_in_local_time(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import time

        monkeypatch.setenv("TZ", "Europe/Paris")
        time.tzset()
        try:
            validate = periodic.at_backup_time(utc=False)
            fired = [moment for moment in minutes_of(naive()) if validate(moment)]
        finally:
            monkeypatch.delenv("TZ")
            time.tzset()

        assert fired == [naive(19, 30)]  # 19:30 in Paris (UTC+1) is 01:30 in Vietnam

    def test_follows_the_configured_time(self, settings: Any) -> None:
        settings.VANTHU_BACKUP_TIME = "02:45"

        validate = periodic.at_backup_time(utc=True)

        assert [moment for moment in minutes_of(naive()) if validate(moment)] == [naive(19, 45)]

    def test_is_registered_with_the_consumer(self) -> None:
        # The consumer imports each app's tasks module; ops.tasks brings the daily job with it.
        task_class = tasks.periodic.backup_daily.task_class
        assert any(isinstance(task, task_class) for task in HUEY._registry.periodic_tasks)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_reset_permit")
class TestBackupDaily:
    def test_makes_a_backup_and_applies_the_retention(
        self, tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        folders = [tmp_path / "first", tmp_path / "second"]
        settings.VANTHU_BACKUP_DESTINATIONS = [
            {
                "url": folder.as_uri(),
                "backend": "django.core.files.storage.FileSystemStorage",
                "options": {"location": str(folder)},
            }
            for folder in folders
        ]
        settings.VANTHU_BACKUP_KEEP_DAILY = 3
        settings.VANTHU_BACKUP_KEEP_MONTHLY = 2
        monkeypatch.setattr("vanthu.core.clock.now", lambda: BACKUP_MOMENT)
        blob_store_bytes(data=b"Cong van so 1", now=BACKUP_MOMENT)
        from vanthu.ops.backup.destinations import folder_destination

        # Earlier nights: 1-10 March, the end of February and of January (Vietnam time).
        old = [BACKUP_MOMENT - timedelta(days=days) for days in range(1, 11)] + [
            datetime(2026, 2, 27, 18, 30, tzinfo=UTC),
            datetime(2026, 1, 30, 18, 30, tzinfo=UTC),
        ]
        destination = folder_destination(folders[0])
        for moment in old:
            fabricate(destination, snapshot_name(moment), ["a" * 64])

        snapshot = periodic.backup_daily.call_local()

        run = BackupRun.objects.get()
        assert run.snapshot == snapshot == snapshot_name(BACKUP_MOMENT)
        assert run.trigger == BackupTrigger.SCHEDULED
        assert run.status == BackupStatus.SUCCEEDED
        assert run.started_at == BACKUP_MOMENT
        # Kept: 11, 10 and 9 March (3 days) and the newest of March and of February (2 months).
        assert destination.complete_snapshots() == sorted(
            [
                snapshot_name(datetime(2026, 2, 27, 18, 30, tzinfo=UTC)),
                snapshot_name(BACKUP_MOMENT - timedelta(days=2)),
                snapshot_name(BACKUP_MOMENT - timedelta(days=1)),
                snapshot_name(BACKUP_MOMENT),
            ]
        )
        assert "a" * 64 in destination.blob_sizes()  # still named by a kept snapshot
        assert folder_destination(folders[1]).complete_snapshots() == [snapshot_name(BACKUP_MOMENT)]

    def test_a_failed_backup_fails_the_job(self, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        settings.VANTHU_BACKUP_DESTINATIONS = []
        monkeypatch.setattr("vanthu.core.clock.now", lambda: BACKUP_MOMENT)

        with pytest.raises(RuntimeError, match="failed"):
            periodic.backup_daily.call_local()
        assert BackupRun.objects.get().status == BackupStatus.FAILED
