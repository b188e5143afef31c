"""Blob storage: every file stored once under its SHA-256, sniffed from its bytes, size-limited,
and verified against its hash whenever it is read back."""

from __future__ import annotations

import codecs
import hashlib
import tempfile
from collections.abc import Iterable
from datetime import datetime
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.core.files.storage import storages
from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.core.errors import IntegrityCheckError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PayloadTooLargeError
from vanthu.core.errors import UnsupportedMediaTypeError
from vanthu.core.models import Blob

CHUNK = 1024 * 1024
SNIFF_BYTES = 4096  # how much of the head the content-type sniffer reads

OOXML_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def blob_storage() -> Storage:
    return storages["blobs"]


def blob_path(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def sniff_content_type(head: bytes, zip_names: Iterable[str] = ()) -> str:
    """The content type told by the bytes themselves, never by the file name."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head.startswith(b"PK\x03\x04"):
        for prefix, content_type in OOXML_TYPES.items():
            if any(name.startswith(prefix) for name in zip_names):
                return content_type
        return "application/zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/x-ole-storage"  # legacy .doc/.xls
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<?xml") or stripped.startswith(b"<"):
        return "application/xml"
    try:
        # The head may end in the middle of a multi-byte letter (Vietnamese text often does).
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def _zip_names(path: str) -> list[str]:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()[:200]
    except zipfile.BadZipFile:
        return []


def blob_store(
    *,
    stream: IO[bytes],
    now: datetime,
    allowed_types: set[str] | None = None,
    max_bytes: int | None = None,
) -> Blob:
    """Store the bytes of ``stream`` and return their Blob (the existing one if already stored).

    The stream is spooled to a temporary file while hashing, so memory stays flat."""
    limit = max_bytes if max_bytes is not None else settings.VANTHU_MAX_UPLOAD_BYTES
    digest = hashlib.sha256()
    size = 0
    head = b""
    with tempfile.NamedTemporaryFile(prefix="vanthu-upload-") as spool:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise PayloadTooLargeError(
                    _("The file is larger than the limit of %(limit)s MB.") % {"limit": limit // (1024 * 1024)},
                    details={"max_bytes": limit},
                )
            if len(head) < SNIFF_BYTES:
                head += chunk[: SNIFF_BYTES - len(head)]
            digest.update(chunk)
            spool.write(chunk)
        spool.flush()
        content_type = sniff_content_type(head, _zip_names(spool.name) if head.startswith(b"PK") else ())
        if allowed_types is not None and content_type not in allowed_types:
            raise UnsupportedMediaTypeError(
                _("Files of this type are not accepted here."),
                details={"content_type": content_type, "allowed": sorted(allowed_types)},
            )
        sha256 = digest.hexdigest()
        existing = Blob.objects.filter(sha256=sha256).first()
        storage = blob_storage()
        path = blob_path(sha256)
        intact = storage.exists(path) and blob_verify(sha256=sha256)
        if existing is not None and intact:
            return existing
        if not intact:
            # Missing or damaged on disk: (re)write it from the bytes just received.
            if storage.exists(path):
                storage.delete(path)
            spool.seek(0)
            storage.save(path, File(spool, name=sha256))
        blob, _created = Blob.objects.get_or_create(
            sha256=sha256, defaults={"size": size, "content_type": content_type, "created_at": now}
        )
        return blob


def blob_store_bytes(*, data: bytes, now: datetime, allowed_types: set[str] | None = None) -> Blob:
    import io

    return blob_store(stream=io.BytesIO(data), now=now, allowed_types=allowed_types)


def blob_read(*, sha256: str) -> bytes:
    """The blob's bytes, refused if they no longer match their SHA-256."""
    storage = blob_storage()
    path = blob_path(sha256)
    if not storage.exists(path):
        raise NotFoundError(_("The stored file is missing."), details={"sha256": sha256})
    with storage.open(path, "rb") as handle:
        data: bytes = handle.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise IntegrityCheckError(details={"sha256": sha256})
    return data


def blob_verify(*, sha256: str) -> bool:
    storage = blob_storage()
    path = blob_path(sha256)
    if not storage.exists(path):
        return False
    digest = hashlib.sha256()
    with storage.open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest() == sha256


def blob_delete_if_unreferenced(*, sha256: str, is_referenced: bool) -> bool:
    """Remove a blob that nothing references any more; the storage file goes after commit."""
    if is_referenced:
        return False
    deleted, _rows = Blob.objects.filter(sha256=sha256).delete()
    if deleted:
        transaction.on_commit(lambda: blob_storage().delete(blob_path(sha256)))
    return bool(deleted)
