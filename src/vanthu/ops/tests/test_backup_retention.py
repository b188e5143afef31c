"""Retention: the newest snapshot of each of the last 14 days and of each of the last 12 months
(Vietnam time) stay; the rest, dead incomplete snapshots and the files no kept snapshot names go."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from vanthu.ops.backup.destinations import Destination
from vanthu.ops.backup.destinations import folder_destination
from vanthu.ops.backup.retention import snapshot_name
from vanthu.ops.backup.retention import snapshots_to_keep
from vanthu.ops.services import backup_prune

NOW = datetime(2026, 3, 10, 18, 30, tzinfo=UTC)  # 01:30 on 11 March in Vietnam


def daily_names(days: int, *, hour: int = 18, minute: int = 30) -> list[str]:
    """One snapshot a day at 01:30 Vietnam time, for ``days`` days up to NOW."""
    return [snapshot_name(NOW.replace(hour=hour, minute=minute) - timedelta(days=offset)) for offset in range(days)]


class TestSnapshotsToKeep:
    def test_keeps_the_last_14_days_and_one_a_month_for_12_months(self) -> None:
        names = daily_names(500)

        keep = snapshots_to_keep(names, daily=14, monthly=12)

        assert set(daily_names(14)) <= keep
        months = {(name[:6]) for name in keep}
        assert len(months) == 12
        assert len(keep) == 14 + 10  # March and February 2026 are already among the 14 days
        assert "20250429T183000Z" in keep  # 30 April 2025 in Vietnam: the newest of the 12th month
        assert "20250428T183000Z" not in keep
        assert "20250430T183000Z" not in keep  # 1 May 2025 in Vietnam; 31 May is May's newest

    def test_keeps_the_newest_snapshot_of_a_vietnamese_day(self) -> None:
        # 23:00 UTC on 9 March and 16:00 UTC on 10 March are both 10 March in Vietnam.
        early, late = "20260309T230000Z", "20260310T160000Z"
        other_day = "20260309T160000Z"  # 23:00 on 9 March in Vietnam

        keep = snapshots_to_keep([early, late, other_day], daily=2, monthly=0)

        assert keep == {late, other_day}

    def test_keeps_nothing_it_cannot_date(self) -> None:
        assert snapshots_to_keep(["not-a-snapshot"], daily=14, monthly=12) == set()

    def test_a_second_run_of_the_same_second_is_dated_too(self) -> None:
        assert snapshots_to_keep(["20260310T183000Z-2"], daily=1, monthly=0) == {"20260310T183000Z-2"}


def fabricate(destination: Destination, name: str, blobs: list[str], *, complete: bool = True) -> None:
    folder = Path(destination.storage.path(f"snapshots/{name}"))
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(
        json.dumps(
            {
                "format": 1,
                "snapshot": name,
                "created_at": "",
                "app_version": "",
                "database_vendor": "sqlite",
                "database_file": "database.sqlite3",
                "database_sha256": "",
                "database_size": 0,
                "blobs": [[sha256, 1] for sha256 in blobs],
            }
        )
    )
    if complete:
        (folder / "COMPLETE").write_text("")
    for sha256 in blobs:
        path = Path(destination.storage.path(f"blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


class TestBackupPrune:
    def test_removes_old_snapshots_and_the_files_only_they_named(self, tmp_path: Path) -> None:
        destination = folder_destination(tmp_path / "backups")
        kept_blob, old_blob = "a" * 64, "b" * 64
        names = daily_names(40)
        for index, name in enumerate(names):
            # Only snapshots of 1-9 February name the old file; 31 January stays (January's newest).
            fabricate(destination, name, [kept_blob, old_blob] if 30 <= index < 39 else [kept_blob])  # noqa: PLR2004

        removed, blobs_removed = backup_prune(destination=destination, now=NOW, keep_daily=14, keep_monthly=12)

        remaining = destination.snapshots()
        assert remaining == sorted(snapshots_to_keep(names, daily=14, monthly=12))
        assert len(remaining) == 14 + 1  # 14 days, plus the newest of January (the other months are in them)
        assert sorted(removed) == sorted(set(names) - set(remaining))
        assert blobs_removed == 1
        assert set(destination.blob_sizes()) == {kept_blob}

    def test_removes_a_dead_incomplete_snapshot_but_not_one_being_written(self, tmp_path: Path) -> None:
        destination = folder_destination(tmp_path / "backups")
        fabricate(destination, snapshot_name(NOW), ["c" * 64])
        fabricate(destination, snapshot_name(NOW - timedelta(days=3)), ["d" * 64], complete=False)
        fabricate(destination, snapshot_name(NOW - timedelta(minutes=5)), ["e" * 64], complete=False)

        removed, _blobs = backup_prune(destination=destination, now=NOW, keep_daily=14, keep_monthly=12)

        assert removed == [snapshot_name(NOW - timedelta(days=3))]
        assert snapshot_name(NOW - timedelta(minutes=5)) in destination.snapshots()
        assert set(destination.blob_sizes()) == {"c" * 64, "e" * 64}

    def test_removes_no_file_while_a_run_copies_files_before_its_manifest(self, tmp_path: Path) -> None:
        destination = folder_destination(tmp_path / "backups")
        fabricate(destination, snapshot_name(NOW), ["c" * 64])
        Path(destination.storage.path(f"snapshots/{snapshot_name(NOW + timedelta(minutes=1))}")).mkdir(parents=True)
        stray = Path(destination.storage.path(f"blobs/ff/ff/{'f' * 64}"))
        stray.parent.mkdir(parents=True)
        stray.write_bytes(b"being copied")

        _removed, blobs_removed = backup_prune(destination=destination, now=NOW, keep_daily=14, keep_monthly=12)

        assert blobs_removed == 0
        assert stray.exists()
