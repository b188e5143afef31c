"""Where backups go: each destination is a Django storage (a local folder or an S3 bucket, from
``settings.VANTHU_BACKUP_DESTINATIONS``) laid out as

    blobs/aa/bb/<sha256>                 content-addressed, shared by every snapshot
    snapshots/<UTC timestamp>/database.pgdump | database.sqlite3
    snapshots/<UTC timestamp>/manifest.json
    snapshots/<UTC timestamp>/COMPLETE   written last: a snapshot without it is never used

Two destinations are independent: each gets its own copy of everything."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from typing import Any
from urllib.parse import urlparse
from urllib.parse import urlunparse

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.storage import Storage
from django.utils.module_loading import import_string

CHUNK = 1024 * 1024
SHA256_HEX = 64  # length of a blob's name
COMPLETE = "COMPLETE"
MANIFEST = "manifest.json"


def redact(url: str) -> str:
    """The address without credentials (``s3://key:secret@bucket`` → ``s3://bucket``)."""
    parsed = urlparse(url)
    if parsed.username or parsed.password:
        host = parsed.hostname or ""
        if parsed.port:
            host = f"{host}:{parsed.port}"
        parsed = parsed._replace(netloc=host)
    return urlunparse(parsed._replace(query=""))


def blob_key(sha256: str) -> str:
    return f"blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def snapshot_key(snapshot: str, name: str = "") -> str:
    return f"snapshots/{snapshot}/{name}" if name else f"snapshots/{snapshot}"


class BlobCopyError(Exception):
    """The bytes read do not match the SHA-256 they are stored under."""


@dataclass
class Destination:
    url: str
    storage: Storage

    @property
    def label(self) -> str:
        return redact(self.url)

    # --- files -----------------------------------------------------------------------------

    def _local_path(self, key: str) -> Path | None:
        if isinstance(self.storage, FileSystemStorage):
            return Path(self.storage.path(key))
        return None

    def exists(self, key: str) -> bool:
        return bool(self.storage.exists(key))

    def size(self, key: str) -> int:
        return int(self.storage.size(key))

    def delete(self, key: str) -> None:
        if self.storage.exists(key):
            self.storage.delete(key)

    def write_bytes(self, key: str, data: bytes) -> None:
        """Write a small file under exactly this name (replacing it), atomically on a folder."""
        path = self._local_path(key)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.part")
            with open(temporary, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
            return
        self.delete(key)
        self.storage.save(key, ContentFile(data, name=key.rsplit("/", 1)[-1]))

    def read_bytes(self, key: str) -> bytes:
        with self.storage.open(key, "rb") as handle:
            data: bytes = handle.read()
        return data

    def write_stream(self, key: str, stream: IO[bytes], *, expected_sha256: str | None = None) -> tuple[int, str]:
        """Copy ``stream`` to ``key``, hashing on the way; a mismatch with ``expected_sha256``
        leaves nothing behind and raises ``BlobCopyError``. Returns (size, sha256)."""
        path = self._local_path(key)
        digest = hashlib.sha256()
        size = 0
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.part")
            try:
                with open(temporary, "wb") as handle:
                    while chunk := stream.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        handle.write(chunk)
                    handle.flush()
                    os.fsync(handle.fileno())
                if expected_sha256 is not None and digest.hexdigest() != expected_sha256:
                    raise BlobCopyError(key)
                os.replace(temporary, path)
            finally:
                if temporary.exists():
                    temporary.unlink()
            return size, digest.hexdigest()
        # Object storage: hash first through a spool, then upload once verified.
        import tempfile

        with tempfile.TemporaryFile(prefix="vanthu-backup-") as spool:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                spool.write(chunk)
            if expected_sha256 is not None and digest.hexdigest() != expected_sha256:
                raise BlobCopyError(key)
            spool.seek(0)
            self.delete(key)
            self.storage.save(key, File(spool, name=key.rsplit("/", 1)[-1]))
        return size, digest.hexdigest()

    def hash_of(self, key: str) -> tuple[int, str]:
        digest = hashlib.sha256()
        size = 0
        with self.storage.open(key, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
        return size, digest.hexdigest()

    # --- listings --------------------------------------------------------------------------

    def blob_sizes(self) -> dict[str, int]:
        """Every blob held here, with its size, in one walk (no request per blob)."""
        root = self._local_path("blobs")
        sizes: dict[str, int] = {}
        if root is not None:
            if not root.exists():
                return sizes
            for folder, _dirs, files in os.walk(root):
                for name in files:
                    if len(name) == SHA256_HEX and not name.startswith("."):
                        sizes[name] = os.stat(os.path.join(folder, name)).st_size
            return sizes
        bucket = getattr(self.storage, "bucket", None)
        if bucket is not None:  # django-storages S3: list by prefix, a thousand keys a request
            location = str(getattr(self.storage, "location", "") or "").strip("/")
            prefix = f"{location}/blobs/" if location else "blobs/"
            for item in bucket.objects.filter(Prefix=prefix):
                name = item.key.rsplit("/", 1)[-1]
                if len(name) == SHA256_HEX:
                    sizes[name] = int(item.size)
            return sizes
        for first in self._dirs("blobs"):
            for second in self._dirs(f"blobs/{first}"):
                for name in self.storage.listdir(f"blobs/{first}/{second}")[1]:
                    if len(name) == SHA256_HEX:
                        sizes[name] = self.size(f"blobs/{first}/{second}/{name}")
        return sizes

    def _dirs(self, key: str) -> list[str]:
        if not self.storage.exists(key) and self._local_path(key) is not None:
            return []
        return list(self.storage.listdir(key)[0])

    def snapshots(self) -> list[str]:
        """Snapshot names, oldest first (complete or not)."""
        root = self._local_path("snapshots")
        if root is not None and not root.exists():
            return []
        try:
            return sorted(self.storage.listdir("snapshots")[0])
        except FileNotFoundError:
            return []

    def complete_snapshots(self) -> list[str]:
        return [name for name in self.snapshots() if self.exists(snapshot_key(name, COMPLETE))]

    def delete_snapshot(self, snapshot: str) -> None:
        path = self._local_path(snapshot_key(snapshot))
        if path is not None:
            import shutil

            # The marker goes first, so a half-deleted snapshot is never taken for a complete one.
            marker = path / COMPLETE
            if marker.exists():
                marker.unlink()
            shutil.rmtree(path, ignore_errors=True)
            return
        self.delete(snapshot_key(snapshot, COMPLETE))
        for name in self.storage.listdir(snapshot_key(snapshot))[1]:
            self.delete(snapshot_key(snapshot, name))


def destination_for(url: str, backend: str, options: dict[str, Any]) -> Destination:
    storage_class = import_string(backend)
    return Destination(url=url, storage=storage_class(**options))


def configured_destinations() -> list[Destination]:
    """The destinations of ``settings.VANTHU_BACKUP_DESTINATIONS`` (parsed from the environment)."""
    return [
        destination_for(item["url"], item["backend"], dict(item["options"]))
        for item in getattr(settings, "VANTHU_BACKUP_DESTINATIONS", [])
    ]


def folder_destination(folder: Path) -> Destination:
    """A destination for a local folder named on the command line (e.g. a restore from a disk)."""
    folder = folder.expanduser().resolve()
    return Destination(url=folder.as_uri(), storage=FileSystemStorage(location=str(folder)))
