"""``vanthu restore``: rebuilds an EMPTY installation from a backup — refused over data, over a
non-empty file storage, from a newer version's backup; a damaged file in one destination is
taken intact from the other; a damaged dump is refused.

The backups are made in this process (the test database); the restores run the ``vanthu``
command in a process of its own against a fresh installation (see ``backup_drill_support``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

from vanthu.core.blobs import blob_store_bytes
from vanthu.core.errors import ConflictError
from vanthu.core.errors import NotFoundError
from vanthu.core.models import Blob
from vanthu.ops.backup.destinations import folder_destination
from vanthu.ops.models import BackupRun
from vanthu.ops.services import backup_create
from vanthu.ops.services import backup_restore
from vanthu.ops.tests.backup_drill_support import Installation
from vanthu.ops.tests.backup_drill_support import fresh_installation
from vanthu.ops.tests.backup_drill_support import ok
from vanthu.ops.tests.test_backup import ticking

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_reset_permit")]


@pytest.fixture
def destinations(tmp_path: Path) -> list[Path]:
    return [tmp_path / "first", tmp_path / "second"]


@pytest.fixture
def backed_up(destinations: list[Path], now: datetime, agency: object) -> BackupRun:
    for index in range(3):
        blob_store_bytes(data=f"Công văn số {index}".encode(), now=now)
    run = backup_create(clock=ticking(now), destinations=[folder_destination(folder) for folder in destinations])
    assert run.status == "SUCCEEDED", run.error
    return run


@pytest.fixture
def target(tmp_path: Path, destinations: list[Path]) -> Iterator[Installation]:
    installation = fresh_installation(tmp_path / "restored", destinations)
    yield installation
    installation.drop()


def blob_copy(folder: Path, sha256: str) -> Path:
    return folder / "blobs" / sha256[:2] / sha256[2:4] / sha256


class TestRestoreCommand:
    def test_rebuilds_the_database_and_the_files(self, backed_up: BackupRun, target: Installation) -> None:
        output = ok(target.run("restore"))

        assert backed_up.snapshot in output
        expected = sorted((blob.sha256, blob.size) for blob in Blob.objects.all())
        assert sorted(target.rows("SELECT sha256, size FROM core_blob")) == expected
        for sha256, _size in expected:
            assert (target.blobs / sha256[:2] / sha256[2:4] / sha256).exists()
        assert target.rows("SELECT abbreviation FROM org_agency ORDER BY abbreviation") == [("STC",), ("UBND",)]
        assert target.rows("SELECT COUNT(*) FROM audit_auditevent WHERE action = 'ops.restore.completed'") == [(1,)]
        ok(target.run("verify-storage"))

    def test_refuses_a_file_storage_that_is_not_empty(self, backed_up: BackupRun, target: Installation) -> None:
        (target.blobs / "ab").mkdir(parents=True)
        (target.blobs / "ab" / "left-over").write_bytes(b"x")

        result = target.run("restore")

        assert result.returncode == 1
        with translation.override("vi"):  # the command speaks the installation's language
            assert gettext("The file storage is not empty: a backup is restored only into an empty storage.") in (
                result.stderr
            )
        assert target.count("core_blob") == 0
        assert (target.blobs / "ab" / "left-over").exists()

    def test_takes_a_damaged_file_from_the_other_destination(
        self, backed_up: BackupRun, target: Installation, destinations: list[Path]
    ) -> None:
        sha256 = Blob.objects.order_by("sha256").values_list("sha256", flat=True)[0]
        blob_copy(destinations[0], sha256).write_bytes(b"damaged")

        ok(target.run("restore"))

        restored = target.blobs / sha256[:2] / sha256[2:4] / sha256
        assert restored.read_bytes() == blob_copy(destinations[1], sha256).read_bytes()

    def test_refuses_a_damaged_dump(self, backed_up: BackupRun, target: Installation, destinations: list[Path]) -> None:
        folder = destinations[0] / "snapshots" / backed_up.snapshot
        dump = next(path for path in folder.iterdir() if path.name.startswith("database."))
        dump.write_bytes(dump.read_bytes()[:-100])

        result = target.run("restore")

        assert result.returncode == 1
        assert target.count("core_blob") == 0
        assert not target.blobs.exists() or not any(target.blobs.iterdir())


class TestRestoreService:
    def test_refuses_a_database_that_holds_data(self, backed_up: BackupRun, destinations: list[Path]) -> None:
        with pytest.raises(ConflictError) as raised:
            backup_restore(source=folder_destination(destinations[0]), clock=ticking(backed_up.started_at))

        assert raised.value.code == "restore_target_not_empty"
        assert str(raised.value.message) == gettext(
            "The database is not empty: a backup is restored only into an empty database."
        )

    def test_refuses_the_backup_of_a_newer_version(self, backed_up: BackupRun, destinations: list[Path]) -> None:
        manifest_file = destinations[0] / "snapshots" / backed_up.snapshot / "manifest.json"
        manifest = json.loads(manifest_file.read_text())
        manifest["migrations"].append(["ops", "9999_from_the_future"])
        manifest_file.write_text(json.dumps(manifest))

        with pytest.raises(ConflictError) as raised:
            backup_restore(source=folder_destination(destinations[0]), clock=ticking(backed_up.started_at))

        assert raised.value.code == "backup_newer"
        assert raised.value.details["migrations"] == ["ops.9999_from_the_future"]

    def test_uses_no_incomplete_snapshot(self, backed_up: BackupRun, destinations: list[Path]) -> None:
        (destinations[0] / "snapshots" / backed_up.snapshot / "COMPLETE").unlink()

        with pytest.raises(NotFoundError) as raised:
            backup_restore(source=folder_destination(destinations[0]), clock=ticking(backed_up.started_at))

        assert raised.value.code == "no_backup"
