from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from pathlib import Path

import pytest

from vanthu.core.blobs import blob_delete_if_unreferenced
from vanthu.core.blobs import blob_path
from vanthu.core.blobs import blob_read
from vanthu.core.blobs import blob_store
from vanthu.core.blobs import blob_store_bytes
from vanthu.core.blobs import blob_verify
from vanthu.core.blobs import sniff_content_type
from vanthu.core.errors import IntegrityCheckError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PayloadTooLargeError
from vanthu.core.errors import UnsupportedMediaTypeError
from vanthu.core.models import Blob

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def blob_dir(settings, tmp_path: Path) -> Path:
    """Each test stores into its own folder."""
    location = tmp_path / "blobs"
    backend = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}}
    settings.STORAGES = {**settings.STORAGES, "blobs": backend}
    return location


def pdf_bytes() -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n" + uuid.uuid4().bytes + b"\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document>{uuid.uuid4()}</w:document>")
    return buffer.getvalue()


def named_stream(data: bytes, name: str) -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = name
    return stream


def stored_files(location: Path) -> list[Path]:
    return [path for path in location.rglob("*") if path.is_file()] if location.exists() else []


class TestBlobStore:
    def test_stores_the_bytes_under_their_sha256(self, now, blob_dir):
        data = pdf_bytes()

        blob = blob_store_bytes(data=data, now=now)

        assert blob.sha256 == hashlib.sha256(data).hexdigest()
        assert blob.size == len(data)
        assert (blob_dir / blob_path(blob.sha256)).read_bytes() == data
        assert blob_read(sha256=blob.sha256) == data

    def test_stores_the_same_bytes_once(self, now, blob_dir):
        data = pdf_bytes()

        first = blob_store_bytes(data=data, now=now)
        second = blob_store(stream=named_stream(data, "ban-sao.pdf"), now=now)

        assert first.sha256 == second.sha256
        assert Blob.objects.count() == 1
        assert len(stored_files(blob_dir)) == 1

    def test_sniffs_a_pdf_named_docx_as_pdf(self, now):
        blob = blob_store(stream=named_stream(pdf_bytes(), "cong-van.docx"), now=now)

        assert blob.content_type == "application/pdf"

    def test_detects_a_docx_from_its_zip_entries(self, now):
        blob = blob_store(stream=named_stream(docx_bytes(), "cong-van.pdf"), now=now)

        assert blob.content_type == DOCX

    def test_accepts_an_allowed_type(self, now):
        blob = blob_store(stream=io.BytesIO(docx_bytes()), now=now, allowed_types={DOCX, "application/pdf"})

        assert blob.content_type == DOCX

    def test_refuses_a_random_binary_when_types_are_restricted(self, now, blob_dir):
        data = bytes(range(256)) * 8 + uuid.uuid4().bytes

        with pytest.raises(UnsupportedMediaTypeError) as caught:
            blob_store(stream=named_stream(data, "van-ban.pdf"), now=now, allowed_types={"application/pdf"})

        assert caught.value.http_status == 415
        assert caught.value.details["content_type"] == "application/octet-stream"
        assert Blob.objects.count() == 0
        assert stored_files(blob_dir) == []

    def test_refuses_a_file_over_the_size_limit_and_stores_nothing(self, now, blob_dir):
        with pytest.raises(PayloadTooLargeError) as caught:
            blob_store(stream=io.BytesIO(b"x" * 2048), now=now, max_bytes=1024)

        assert caught.value.http_status == 413
        assert caught.value.details == {"max_bytes": 1024}
        assert Blob.objects.count() == 0
        assert stored_files(blob_dir) == []

    def test_applies_the_configured_size_limit_by_default(self, now, settings):
        settings.VANTHU_MAX_UPLOAD_BYTES = 100

        with pytest.raises(PayloadTooLargeError):
            blob_store(stream=io.BytesIO(b"y" * 101), now=now)

    def test_accepts_a_file_exactly_at_the_limit(self, now):
        blob = blob_store(stream=io.BytesIO(b"z" * 1024), now=now, max_bytes=1024)

        assert blob.size == 1024

    def test_repairs_a_damaged_copy_when_the_same_bytes_are_stored_again(self, now, blob_dir):
        data = pdf_bytes()
        blob = blob_store_bytes(data=data, now=now)
        (blob_dir / blob_path(blob.sha256)).write_bytes(b"%PDF-1.7 damaged")

        blob_store_bytes(data=data, now=now)

        assert blob_read(sha256=blob.sha256) == data


class TestBlobRead:
    def test_refuses_a_blob_altered_behind_the_applications_back(self, now, blob_dir):
        blob = blob_store_bytes(data=pdf_bytes(), now=now)
        (blob_dir / blob_path(blob.sha256)).write_bytes(b"%PDF-1.7 forged content")

        with pytest.raises(IntegrityCheckError) as caught:
            blob_read(sha256=blob.sha256)

        assert caught.value.details == {"sha256": blob.sha256}
        assert blob_verify(sha256=blob.sha256) is False

    def test_reports_a_missing_file(self, now, blob_dir):
        blob = blob_store_bytes(data=pdf_bytes(), now=now)
        (blob_dir / blob_path(blob.sha256)).unlink()

        with pytest.raises(NotFoundError):
            blob_read(sha256=blob.sha256)
        assert blob_verify(sha256=blob.sha256) is False

    def test_verifies_an_intact_blob(self, now):
        blob = blob_store_bytes(data=pdf_bytes(), now=now)

        assert blob_verify(sha256=blob.sha256) is True


class TestBlobDeleteIfUnreferenced:
    def test_keeps_a_referenced_blob(self, now, blob_dir):
        blob = blob_store_bytes(data=pdf_bytes(), now=now)

        assert blob_delete_if_unreferenced(sha256=blob.sha256, is_referenced=True) is False
        assert Blob.objects.filter(pk=blob.pk).exists()

    def test_removes_the_file_only_after_commit(self, now, blob_dir, django_capture_on_commit_callbacks):
        blob = blob_store_bytes(data=pdf_bytes(), now=now)
        path = blob_dir / blob_path(blob.sha256)

        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            assert blob_delete_if_unreferenced(sha256=blob.sha256, is_referenced=False) is True
            assert path.exists()

        assert len(callbacks) == 1
        assert not path.exists()
        assert not Blob.objects.filter(pk=blob.pk).exists()


class TestSniffContentType:
    @pytest.mark.parametrize(
        ("head", "expected"),
        [
            (b"%PDF-1.4", "application/pdf"),
            (b"\x89PNG\r\n\x1a\n....", "image/png"),
            (b"\xff\xd8\xff\xe0", "image/jpeg"),
            (b"II*\x00", "image/tiff"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
            (b'\xef\xbb\xbf<?xml version="1.0"?>', "application/xml"),
            ("Quyết định số 12/QĐ-UBND".encode(), "text/plain"),
            (b"\x00\x01\x02\xff\xfe", "application/octet-stream"),
        ],
    )
    def test_tells_the_type_from_the_first_bytes(self, head, expected):
        assert sniff_content_type(head) == expected

    def test_a_zip_without_office_parts_is_a_zip(self):
        assert sniff_content_type(b"PK\x03\x04", ["ho-so/a.pdf"]) == "application/zip"

    def test_vietnamese_text_cut_inside_a_letter_is_still_text(self, now):
        # The sniffer sees the first 4096 bytes; here they end in the middle of "ạ" (3 bytes).
        data = b"a" * 4095 + "ạ hạn xử lý".encode() * 10

        blob = blob_store_bytes(data=data, now=now)

        assert blob.content_type == "text/plain"
