"""``backup_create``: a snapshot of the database and every stored file in two independent folders,
files copied incrementally with their hashes checked, the COMPLETE marker last, one audit event
per run; a failing destination does not stop the other; ``backup_verify`` catches damage."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Callable
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from vanthu.audit.models import AuditEvent
from vanthu.core.blobs import blob_path
from vanthu.core.blobs import blob_read
from vanthu.core.blobs import blob_storage
from vanthu.core.blobs import blob_store_bytes
from vanthu.core.errors import ConflictError
from vanthu.core.models import Blob
from vanthu.ops import events
from vanthu.ops.backup.destinations import Destination
from vanthu.ops.backup.destinations import folder_destination
from vanthu.ops.models import BackupRun
from vanthu.ops.models import BackupStatus
from vanthu.ops.models import VerificationStatus
from vanthu.ops.services import backup_create
from vanthu.ops.services import backup_verify

# Backups run outside any transaction (pg_dump reads committed rows; SQLite's backup API cannot
# read what its own connection is writing), as the command and the daily job do.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_reset_permit")]


def ticking(start: datetime, step: timedelta = timedelta(seconds=1)) -> Callable[[], datetime]:
    """An injected clock that advances by ``step`` at each reading."""
    moments = iter(start + step * index for index in range(10_000))
    return lambda: next(moments)


@pytest.fixture
def folders(tmp_path: Path) -> list[Destination]:
    return [folder_destination(tmp_path / "first"), folder_destination(tmp_path / "second")]


@pytest.fixture
def stored(now: datetime) -> list[Blob]:
    return [blob_store_bytes(data=f"Quyết định số {index}/QĐ-UBND".encode(), now=now) for index in range(3)]


def snapshot_dir(destination: Destination, run: BackupRun) -> Path:
    return Path(destination.storage.path(f"snapshots/{run.snapshot}"))


def manifest_of(destination: Destination, run: BackupRun) -> dict[str, object]:
    data: dict[str, object] = json.loads((snapshot_dir(destination, run) / "manifest.json").read_bytes())
    return data


def backed_up_blob(destination: Destination, sha256: str) -> Path:
    return Path(destination.storage.path(f"blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"))


class TestBackupCreate:
    def test_writes_a_complete_snapshot_of_the_database_and_files_to_each_destination(
        self, folders: list[Destination], stored: list[Blob], now: datetime
    ) -> None:
        run = backup_create(clock=ticking(now), destinations=folders)

        assert run.status == BackupStatus.SUCCEEDED
        assert run.verification == VerificationStatus.PASSED
        expected = sorted([blob.sha256, blob.size] for blob in Blob.objects.all())
        for destination in folders:
            folder = snapshot_dir(destination, run)
            assert (folder / "COMPLETE").exists()
            manifest = manifest_of(destination, run)
            assert manifest["blobs"] == expected
            assert manifest["database_vendor"] == connection.vendor
            assert ["ops", "0001_backup_run"] in manifest["migrations"]  # type: ignore[operator]
            assert manifest["counts"]["core.Blob"] == len(expected)  # type: ignore[index]
            for sha256, _size in expected:
                assert backed_up_blob(destination, sha256).read_bytes() == blob_read(sha256=sha256)

    def test_the_dump_holds_the_rows_of_the_snapshot(
        self, folders: list[Destination], stored: list[Blob], now: datetime
    ) -> None:
        run = backup_create(clock=ticking(now), destinations=folders[:1])

        folder = snapshot_dir(folders[0], run)
        if connection.vendor == "sqlite":
            dump = sqlite3.connect(folder / "database.sqlite3")
            text = "\n".join(sha256 for (sha256,) in dump.execute("SELECT sha256 FROM core_blob"))
            dump.close()
        else:  # the custom-format dump, read back by pg_restore as SQL
            text = subprocess.run(  # noqa: S603 - a fixed command on our own file
                ["pg_restore", "--data-only", "--table=core_blob", "--file=-", str(folder / "database.pgdump")],  # noqa: S607
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        for blob in stored:
            assert blob.sha256 in text

    def test_copies_only_the_files_not_yet_in_the_destination(
        self, folders: list[Destination], stored: list[Blob], now: datetime
    ) -> None:
        first = backup_create(clock=ticking(now), destinations=folders)
        new = blob_store_bytes(data=b"Cong van moi", now=now)
        second = backup_create(clock=ticking(now + timedelta(days=1)), destinations=folders)

        assert first.blobs_copied == 2 * len(stored)
        assert second.blobs_copied == 2  # the new file, once per destination
        assert second.blobs_skipped == 2 * len(stored)
        assert [item["blobs_copied"] for item in second.destinations] == [1, 1]
        assert backed_up_blob(folders[1], new.sha256).read_bytes() == b"Cong van moi"

    def test_a_failing_destination_does_not_stop_the_other(
        self, tmp_path: Path, folders: list[Destination], stored: list[Blob], now: datetime
    ) -> None:
        blocked = tmp_path / "blocked"
        blocked.write_text("a file where the folder should be")
        run = backup_create(clock=ticking(now), destinations=[folder_destination(blocked), folders[0]])

        assert run.status == BackupStatus.PARTIAL
        assert [item["status"] for item in run.destinations] == ["FAILED", "OK"]
        assert run.destinations[0]["error"]
        assert (snapshot_dir(folders[0], run) / "COMPLETE").exists()

    def test_a_damaged_stored_file_leaves_the_snapshot_incomplete(
        self, folders: list[Destination], stored: list[Blob], now: datetime
    ) -> None:
        Path(blob_storage().path(blob_path(stored[0].sha256))).write_bytes(b"tampered")

        run = backup_create(clock=ticking(now), destinations=folders[:1])

        assert run.status == BackupStatus.FAILED
        assert run.verification == VerificationStatus.FAILED
        assert not (snapshot_dir(folders[0], run) / "COMPLETE").exists()
        assert not backed_up_blob(folders[0], stored[0].sha256).exists()  # nothing damaged is kept
        assert stored[0].sha256 in run.error

    def test_writes_one_audit_event_per_run(
        self, folders: list[Destination], stored: list[Blob], now: datetime
    ) -> None:
        run = backup_create(clock=ticking(now), destinations=folders)

        recorded = list(AuditEvent.objects.filter(target_type="ops.backuprun", target_id=str(run.pk)))
        assert [event.action for event in recorded] == [events.BACKUP_SUCCEEDED]
        assert recorded[0].data["snapshot"] == run.snapshot
        assert recorded[0].agency_id is None

    def test_records_the_size_and_duration(self, folders: list[Destination], stored: list[Blob], now: datetime) -> None:
        run = backup_create(clock=ticking(now), destinations=folders)

        assert run.started_at == now
        assert run.duration is not None
        assert run.duration > timedelta(0)
        assert run.blob_count == len(stored)
        assert run.blob_bytes == sum(blob.size for blob in stored)
        assert run.database_bytes > 0

    def test_fails_and_says_so_without_a_destination(self, now: datetime) -> None:
        run = backup_create(clock=ticking(now), destinations=[])

        assert run.status == BackupStatus.FAILED
        assert "VANTHU_BACKUP_DESTINATIONS" in run.error
        assert AuditEvent.objects.filter(action=events.BACKUP_FAILED, target_id=str(run.pk)).exists()

    def test_refuses_while_another_backup_runs(self, folders: list[Destination], now: datetime) -> None:
        BackupRun.objects.create(snapshot="20260310T010000Z", trigger="MANUAL", started_at=now - timedelta(hours=1))

        with pytest.raises(ConflictError) as raised:
            backup_create(clock=ticking(now), destinations=folders)
        assert raised.value.code == "backup_running"

    def test_a_run_left_running_by_a_dead_process_no_longer_blocks(
        self, folders: list[Destination], now: datetime
    ) -> None:
        dead = BackupRun.objects.create(
            snapshot="20260308T010000Z", trigger="MANUAL", started_at=now - timedelta(days=2)
        )

        run = backup_create(clock=ticking(now), destinations=folders)

        dead.refresh_from_db()
        assert run.status == BackupStatus.SUCCEEDED
        assert dead.status == BackupStatus.FAILED


class TestBackupVerify:
    def test_passes_for_an_intact_backup(self, folders: list[Destination], stored: list[Blob], now: datetime) -> None:
        run = backup_create(clock=ticking(now), destinations=folders)

        verified = backup_verify(run=run, clock=ticking(now + timedelta(hours=1)), destinations=folders, full=True)

        assert verified.verification == VerificationStatus.PASSED
        assert verified.verified_at == now + timedelta(hours=1)
        assert AuditEvent.objects.filter(action=events.BACKUP_VERIFIED, target_id=str(run.pk)).exists()

    def test_fails_when_the_dump_was_altered(
        self, folders: list[Destination], stored: list[Blob], now: datetime
    ) -> None:
        run = backup_create(clock=ticking(now), destinations=folders)
        dump = next(path for path in snapshot_dir(folders[1], run).iterdir() if path.name.startswith("database."))
        with open(dump, "r+b") as handle:
            handle.seek(200)
            handle.write(b"\x00\x01\x02")

        verified = backup_verify(run=run, clock=ticking(now), destinations=folders)

        assert verified.verification == VerificationStatus.FAILED

    def test_fails_when_a_file_is_missing(self, folders: list[Destination], stored: list[Blob], now: datetime) -> None:
        run = backup_create(clock=ticking(now), destinations=folders)
        backed_up_blob(folders[0], stored[1].sha256).unlink()

        assert (
            backup_verify(run=run, clock=ticking(now), destinations=folders).verification == VerificationStatus.FAILED
        )

    def test_full_verification_finds_a_damaged_file_of_the_right_size(
        self, folders: list[Destination], stored: list[Blob], now: datetime
    ) -> None:
        run = backup_create(clock=ticking(now), destinations=folders)
        target = backed_up_blob(folders[0], stored[2].sha256)
        data = bytearray(target.read_bytes())
        data[0] ^= 0xFF
        target.write_bytes(bytes(data))

        assert (
            backup_verify(run=run, clock=ticking(now), destinations=folders).verification == VerificationStatus.PASSED
        )
        full = backup_verify(run=run, clock=ticking(now), destinations=folders, full=True)
        assert full.verification == VerificationStatus.FAILED


class TestBackupCommand:
    def test_backs_up_to_the_configured_destinations(
        self, tmp_path: Path, stored: list[Blob], settings: object, capsys: pytest.CaptureFixture[str]
    ) -> None:
        first, second = tmp_path / "a", tmp_path / "b"
        settings.VANTHU_BACKUP_DESTINATIONS = [  # type: ignore[attr-defined]
            {
                "url": folder.as_uri(),
                "backend": "django.core.files.storage.FileSystemStorage",
                "options": {"location": str(folder)},
            }
            for folder in (first, second)
        ]

        call_command("vanthu_backup")

        run = BackupRun.objects.get()
        assert run.status == BackupStatus.SUCCEEDED
        assert run.trigger == "MANUAL"
        assert (first / "snapshots" / run.snapshot / "COMPLETE").exists()
        assert (second / "snapshots" / run.snapshot / "COMPLETE").exists()
        assert run.snapshot in capsys.readouterr().out

    def test_exits_1_when_a_destination_failed(self, tmp_path: Path, stored: list[Blob], settings: object) -> None:
        blocked = tmp_path / "blocked"
        blocked.write_text("not a folder")
        settings.VANTHU_BACKUP_DESTINATIONS = [  # type: ignore[attr-defined]
            {
                "url": blocked.as_uri(),
                "backend": "django.core.files.storage.FileSystemStorage",
                "options": {"location": str(blocked)},
            }
        ]

        with pytest.raises(SystemExit) as exited:
            call_command("vanthu_backup")
        assert exited.value.code == 1
