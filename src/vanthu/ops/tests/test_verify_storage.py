"""``vanthu verify-storage``: every stored file re-hashed against its SHA-256; missing and damaged
ones named, with counts, and exit status 1; progress on stderr."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from vanthu.core.blobs import blob_path
from vanthu.core.blobs import blob_storage
from vanthu.core.blobs import blob_store_bytes
from vanthu.core.models import Blob
from vanthu.ops.services import storage_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(now: datetime) -> list[Blob]:
    return [blob_store_bytes(data=f"Tờ trình số {index}".encode(), now=now) for index in range(5)]


def stored_file(blob: Blob) -> Path:
    return Path(blob_storage().path(blob_path(blob.sha256)))


class TestStorageVerify:
    def test_finds_every_file_intact(self, stored: list[Blob]) -> None:
        report = storage_verify(batch=2)

        assert report.ok
        assert report.checked == len(stored)
        assert report.bytes == sum(blob.size for blob in stored)

    def test_names_missing_and_damaged_files(self, stored: list[Blob]) -> None:
        stored_file(stored[1]).unlink()
        damaged = stored_file(stored[3])
        damaged.write_bytes(damaged.read_bytes() + b"!")

        report = storage_verify(batch=2)

        assert not report.ok
        assert report.missing == [stored[1].sha256]
        assert report.corrupt == [stored[3].sha256]
        assert report.checked == len(stored)


class TestVerifyStorageCommand:
    def test_exits_0_when_every_file_is_intact(self, stored: list[Blob], capsys: pytest.CaptureFixture[str]) -> None:
        call_command("verify_storage")

        captured = capsys.readouterr()
        assert "MISSING" not in captured.out
        assert f"{len(stored)}/{len(stored)}" in captured.err  # progress on stderr

    def test_exits_1_and_names_the_problems(self, stored: list[Blob], capsys: pytest.CaptureFixture[str]) -> None:
        stored_file(stored[0]).unlink()
        stored_file(stored[2]).write_bytes(b"tampered")

        with pytest.raises(SystemExit) as exited:
            call_command("verify_storage")

        out = capsys.readouterr().out
        assert exited.value.code == 1
        assert f"MISSING {stored[0].sha256}" in out
        assert f"DAMAGED {stored[2].sha256}" in out
