from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from vanthu.audit.models import AuditEvent
from vanthu.core.blobs import blob_read
from vanthu.core.errors import ConflictError
from vanthu.core.errors import PayloadTooLargeError
from vanthu.core.errors import UnsupportedMediaTypeError
from vanthu.core.errors import ValidationError
from vanthu.core.models import Blob
from vanthu.documents.models import ConversionStatus
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import FileRole
from vanthu.documents.models import VersionKind
from vanthu.documents.services.files import document_file_add
from vanthu.documents.services.files import document_file_convert
from vanthu.documents.services.files import version_comment_add
from vanthu.documents.services.files import version_create
from vanthu.documents.tests.factories import corrupt_docx
from vanthu.documents.tests.factories import make_document
from vanthu.documents.tests.factories import make_docx
from vanthu.documents.tests.factories import make_pdf
from vanthu.documents.tests.factories import upload

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    command = ["pdftotext", str(path), "-"]
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout  # noqa: S603, S607


@pytest.fixture
def document(agency: Any, officer: Any, now: datetime) -> Any:
    return make_document(agency=agency, actor=officer, now=now)


class TestVersionCreate:
    def test_numbers_versions_and_makes_the_last_one_current(self, document: Any, officer: Any, now: datetime) -> None:
        first = version_create(
            document=document, kind=VersionKind.DRAFT, actor=officer, now=now, main=upload(make_pdf())
        )
        second = version_create(
            document=document, kind=VersionKind.DRAFT, actor=officer, now=now, main=upload(make_pdf(pages=2))
        )
        document.refresh_from_db()
        assert (first.number, second.number) == (1, 2)
        assert document.current_version_id == second.pk
        assert AuditEvent.objects.filter(action="documents.version.created").count() == 2

    def test_stores_the_pdf_with_its_page_count(self, document: Any, officer: Any, now: datetime) -> None:
        version = version_create(
            document=document, kind=VersionKind.DRAFT, actor=officer, now=now, main=upload(make_pdf(pages=3))
        )
        main = version.files.get(role=FileRole.MAIN)
        assert main.page_count == 3
        assert main.pdf_id == main.source_id
        assert main.conversion_status == ConversionStatus.NOT_NEEDED

    def test_annexes_are_separate_files_in_order(self, document: Any, officer: Any, now: datetime) -> None:
        version = version_create(
            document=document,
            kind=VersionKind.DRAFT,
            actor=officer,
            now=now,
            main=upload(make_pdf()),
            annexes=[upload(make_pdf(text="A"), "phu-luc-1.pdf"), upload(make_pdf(text="B"), "phu-luc-2.pdf")],
        )
        annexes = list(version.files.filter(role=FileRole.ANNEX).order_by("ordinal"))
        assert [(annex.ordinal, annex.name) for annex in annexes] == [(1, "phu-luc-1.pdf"), (2, "phu-luc-2.pdf")]

    def test_a_signed_pdf_is_used_as_main_and_annexes_are_carried_without_copy(
        self, document: Any, officer: Any, now: datetime
    ) -> None:
        draft = version_create(
            document=document,
            kind=VersionKind.DRAFT,
            actor=officer,
            now=now,
            main=upload(make_pdf()),
            annexes=[upload(make_pdf(text="Annex"), "pl.pdf")],
        )
        signed = Blob.objects.get(pk=draft.files.get(role=FileRole.ANNEX).source_id)  # any stored PDF will do
        blobs_before = Blob.objects.count()
        version = version_create(
            document=document,
            kind=VersionKind.SIGNED,
            actor=officer,
            now=now,
            main_pdf_sha256=signed.sha256,
            carry_annexes_from=draft,
        )
        main = version.files.get(role=FileRole.MAIN)
        annex = version.files.get(role=FileRole.ANNEX)
        assert (main.source_id, main.pdf_id) == (signed.sha256, signed.sha256)
        assert annex.source_id == draft.files.get(role=FileRole.ANNEX).source_id
        assert Blob.objects.count() == blobs_before


class TestDocumentFileAdd:
    @pytest.fixture
    def version(self, document: Any, officer: Any, now: datetime) -> Any:
        return version_create(document=document, kind=VersionKind.DRAFT, actor=officer, now=now)

    @pytest.mark.parametrize(("data", "name"), [(PNG, "anh.png"), (EXE, "virus.pdf"), (b"just text", "a.pdf")])
    def test_refuses_what_is_not_pdf_or_docx_whatever_its_name(
        self, version: Any, officer: Any, now: datetime, data: bytes, name: str
    ) -> None:
        with pytest.raises(UnsupportedMediaTypeError) as caught:
            document_file_add(version=version, role=FileRole.MAIN, upload=upload(data, name), actor=officer, now=now)
        assert caught.value.http_status == 415
        assert "PDF" in str(caught.value.message)
        assert not DocumentFile.objects.exists()

    @pytest.mark.parametrize("data", [make_pdf()[:-300], b"%PDF-1.7\ngarbage\n%%EOF\n"])
    def test_refuses_a_broken_pdf_and_stores_nothing(
        self, version: Any, officer: Any, now: datetime, data: bytes
    ) -> None:
        blobs_before = Blob.objects.count()
        with pytest.raises(ValidationError):
            document_file_add(version=version, role=FileRole.MAIN, upload=upload(data), actor=officer, now=now)
        assert Blob.objects.count() == blobs_before
        assert not DocumentFile.objects.exists()

    def test_refuses_an_oversize_file(self, version: Any, officer: Any, now: datetime) -> None:
        with override_settings(VANTHU_MAX_UPLOAD_BYTES=1000), pytest.raises(PayloadTooLargeError):
            document_file_add(
                version=version, role=FileRole.MAIN, upload=upload(make_pdf(pages=5)), actor=officer, now=now
            )
        assert not DocumentFile.objects.exists()

    def test_refuses_a_second_main_file(self, version: Any, officer: Any, now: datetime) -> None:
        document_file_add(version=version, role=FileRole.MAIN, upload=upload(make_pdf()), actor=officer, now=now)
        with pytest.raises(ConflictError):
            document_file_add(version=version, role=FileRole.MAIN, upload=upload(make_pdf()), actor=officer, now=now)

    def test_a_docx_waits_for_conversion_and_is_queued_only_on_commit(
        self, version: Any, officer: Any, now: datetime, django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            added = document_file_add(
                version=version, role=FileRole.MAIN, upload=upload(make_docx(), "du-thao.docx"), actor=officer, now=now
            )
        assert (added.conversion_status, added.conversion_progress, added.pdf_id) == (ConversionStatus.PENDING, 0, None)
        assert len(callbacks) == 1


class TestConversion:
    def test_a_docx_is_converted_by_libreoffice_with_its_vietnamese_text(
        self,
        document: Any,
        officer: Any,
        now: datetime,
        tmp_path: Path,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            version = version_create(
                document=document,
                kind=VersionKind.DRAFT,
                actor=officer,
                now=now,
                main=upload(make_docx("Quyết định về việc thành lập Hội đồng"), "qd.docx"),
            )
        main = version.files.get(role=FileRole.MAIN)
        assert main.conversion_status == ConversionStatus.DONE, main.conversion_error
        assert main.conversion_progress == 100
        assert main.page_count == 1
        assert "Quyết định về việc thành lập Hội đồng" in pdf_text(blob_read(sha256=main.pdf_id), tmp_path)
        assert AuditEvent.objects.filter(action="documents.file.converted").exists()

    def test_a_corrupt_docx_fails_in_vietnamese_terms_and_keeps_the_upload(
        self, document: Any, officer: Any, now: datetime, django_capture_on_commit_callbacks: Any
    ) -> None:
        broken = corrupt_docx()
        with django_capture_on_commit_callbacks(execute=True):
            version = version_create(
                document=document, kind=VersionKind.DRAFT, actor=officer, now=now, main=upload(broken, "x.docx")
            )
        main = version.files.get(role=FileRole.MAIN)
        assert main.conversion_status == ConversionStatus.FAILED
        assert main.conversion_error.startswith("Không chuyển được tệp DOCX sang PDF")
        assert main.pdf_id is None
        assert blob_read(sha256=main.source_id) == broken

    def test_a_file_not_pending_is_left_alone(self, document: Any, officer: Any, now: datetime) -> None:
        version = version_create(
            document=document, kind=VersionKind.DRAFT, actor=officer, now=now, main=upload(make_pdf())
        )
        main = version.files.get()
        assert document_file_convert(file_id=main.pk, now=now).conversion_status == ConversionStatus.NOT_NEEDED

    def test_a_timeout_fails_the_conversion(
        self, document: Any, officer: Any, now: datetime, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def hang(*args: Any, **kwargs: Any) -> Any:
            raise subprocess.TimeoutExpired(cmd="soffice", timeout=1)

        monkeypatch.setattr("vanthu.documents.services.files.subprocess.run", hang)
        version = version_create(document=document, kind=VersionKind.DRAFT, actor=officer, now=now)
        added = document_file_add(
            version=version, role=FileRole.MAIN, upload=upload(make_docx(), "a.docx"), actor=officer, now=now
        )
        converted = document_file_convert(file_id=added.pk, now=now)
        assert converted.conversion_status == ConversionStatus.FAILED
        assert "giây" in converted.conversion_error


class TestVersionCommentAdd:
    def test_stores_the_comment(self, document: Any, officer: Any, unit_leader: Any, now: datetime) -> None:
        version = version_create(document=document, kind=VersionKind.DRAFT, actor=officer, now=now)
        comment = version_comment_add(version=version, author=unit_leader, text="  Sửa lại căn cứ  ", now=now)
        assert comment.text == "Sửa lại căn cứ"
        assert AuditEvent.objects.filter(action="documents.version.commented").exists()

    def test_refuses_an_empty_comment(self, document: Any, officer: Any, now: datetime) -> None:
        version = version_create(document=document, kind=VersionKind.DRAFT, actor=officer, now=now)
        with pytest.raises(ValidationError):
            version_comment_add(version=version, author=officer, text="  ", now=now)
