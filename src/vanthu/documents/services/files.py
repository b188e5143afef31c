"""Versions of a document and their files: upload (PDF or DOCX, sniffed from the bytes), DOCX → PDF
conversion with LibreOffice in the background, comments on versions.

``version_create``, ``document_file_add`` and ``version_comment_add`` do not check who acts: the
services of the app owning the workflow (outgoing, incoming, …) call them after their own policy."""

from __future__ import annotations

import io
import os
import shutil
import subprocess  # noqa: S404 - LibreOffice is run with a fixed argument list, never a shell
import tempfile
import threading
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from vanthu.audit.services import record
from vanthu.core.blobs import SNIFF_BYTES
from vanthu.core.blobs import blob_read
from vanthu.core.blobs import blob_store
from vanthu.core.blobs import sniff_content_type
from vanthu.core.errors import ConflictError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PayloadTooLargeError
from vanthu.core.errors import TransitionNotAllowedError
from vanthu.core.errors import UnsupportedMediaTypeError
from vanthu.core.errors import ValidationError
from vanthu.core.models import Blob
from vanthu.documents import events
from vanthu.documents.digitise import pdf_text
from vanthu.documents.models import ConversionStatus
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentVersion
from vanthu.documents.models import FileRole
from vanthu.documents.models import VersionComment
from vanthu.documents.pdfs import PdfEncryptedError
from vanthu.documents.pdfs import PdfUnreadableError
from vanthu.documents.pdfs import pdf_page_count
from vanthu.documents.policies import can_view_document
from vanthu.documents.policies import require_visible
from vanthu.documents.services.recovery import processing_claim
from vanthu.documents.services.text import document_text_refresh
from vanthu.documents.signals import file_conversion_requested
from vanthu.documents.signals import file_ocr_requested
from vanthu.documents.signals import file_ready
from vanthu.documents.uploads import Upload
from vanthu.org.models import Person

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACCEPTED_TYPES = {PDF, DOCX}
DEFAULT_CONVERSION_TIMEOUT = 120  # seconds; settings.VANTHU_CONVERSION_TIMEOUT_SECONDS overrides


# --- reading and checking an upload -------------------------------------------------------


def _read_limited(upload: Upload) -> bytes:
    limit: int = settings.VANTHU_MAX_UPLOAD_BYTES
    data = upload.content.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLargeError(
            _("The file is larger than the limit of %(limit)s MB.") % {"limit": limit // (1024 * 1024)},
            details={"max_bytes": limit},
        )
    return data


def _content_type(data: bytes) -> str:
    zip_names: list[str] = []
    if data.startswith(b"PK"):
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                zip_names = archive.namelist()[:200]
        except zipfile.BadZipFile:
            zip_names = []
    return sniff_content_type(data[:SNIFF_BYTES], zip_names)


def _pdf_pages(data: bytes) -> int:
    """The page count of a PDF that opens; a broken or encrypted PDF is refused."""
    try:
        return pdf_page_count(data)
    except PdfEncryptedError as error:
        raise ValidationError(
            _("This PDF is protected by a password: upload it without protection."), code="pdf_encrypted"
        ) from error
    except PdfUnreadableError as error:
        raise ValidationError(_("This PDF is damaged and cannot be opened."), code="pdf_broken") from error


def _unsupported(content_type: str) -> UnsupportedMediaTypeError:
    return UnsupportedMediaTypeError(
        _("Only PDF and Word (DOCX) files are accepted; this file is not one of them."),
        details={"content_type": content_type, "allowed": sorted(ACCEPTED_TYPES)},
    )


def _display_name(upload: Upload, content_type: str) -> str:
    name = os.path.basename((upload.name or "").replace("\\", "/")).strip()
    if not name:
        name = "van-ban.pdf" if content_type == PDF else "van-ban.docx"
    return name[:255]


def _request_conversion(file_id: int) -> None:
    transaction.on_commit(lambda: file_conversion_requested.send(sender=DocumentFile, file_id=file_id))


def announce_ready(file_id: int) -> None:
    """After the commit: the file has its PDF (its thumbnail is drawn in the background)."""
    transaction.on_commit(lambda: file_ready.send(sender=DocumentFile, file_id=file_id))


# --- versions and files ----------------------------------------------------------------------


@transaction.atomic
def document_file_add(
    *, version: DocumentVersion, role: str, upload: Upload, actor: Person, now: datetime
) -> DocumentFile:
    """Attach a PDF or DOCX to a version. The type is sniffed from the bytes (415 otherwise); the
    size is limited (413); a PDF that does not open is refused before anything is stored; a DOCX is
    queued for conversion once the transaction commits."""
    if role not in FileRole.values:
        raise ValidationError(_("Unknown file role."), details={"role": role})
    data = _read_limited(upload)
    content_type = _content_type(data)
    if content_type not in ACCEPTED_TYPES:
        raise _unsupported(content_type)
    pages = _pdf_pages(data) if content_type == PDF else None
    text = pdf_text(data) if content_type == PDF else ""  # its text layer, if any (never OCR)
    locked = DocumentVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
    if role == FileRole.MAIN and locked.files.filter(role=FileRole.MAIN).exists():
        raise ConflictError(_("This version already has a main file."), code="main_file_exists")
    source = blob_store(stream=io.BytesIO(data), now=now, allowed_types=ACCEPTED_TYPES)
    ordinal = (locked.files.filter(role=role).aggregate(top=Max("ordinal"))["top"] or 0) + 1
    is_pdf = content_type == PDF
    document_file = DocumentFile.objects.create(
        version=locked,
        role=role,
        ordinal=ordinal,
        name=_display_name(upload, content_type),
        source=source,
        pdf=source if is_pdf else None,
        conversion_status=ConversionStatus.NOT_NEEDED if is_pdf else ConversionStatus.PENDING,
        conversion_progress=100 if is_pdf else 0,
        page_count=pages,
        text=text,
        created_at=now,
    )
    record(
        action=events.FILE_ADDED,
        actor=actor,
        agency=locked.document.agency_id,
        now=now,
        target=document_file,
        data={
            "document": locked.document_id,
            "version": locked.number,
            "role": role,
            "name": document_file.name,
            "sha256": source.sha256,
            "content_type": content_type,
            "size": source.size,
        },
    )
    if text and locked.document.current_version_id == locked.pk:
        document_text_refresh(document_ids=[locked.document_id], now=now)
    if is_pdf:
        announce_ready(document_file.pk)
    else:
        _request_conversion(document_file.pk)
    return document_file


@transaction.atomic
def version_create(
    *,
    document: Document,
    kind: str,
    actor: Person,
    now: datetime,
    note: str = "",
    main: Upload | None = None,
    annexes: Sequence[Upload] = (),
    main_pdf_sha256: str | None = None,
    carry_annexes_from: DocumentVersion | None = None,
) -> DocumentVersion:
    """The next version of a document, which becomes its current version. ``main`` is an upload;
    ``main_pdf_sha256`` an already stored PDF (a signed result) used as both source and PDF;
    ``carry_annexes_from`` copies the annex rows of an earlier version (same blobs, no byte copy)."""
    if main is not None and main_pdf_sha256 is not None:
        raise ValueError("give main or main_pdf_sha256, not both")
    locked = Document.objects.select_for_update().get(pk=document.pk)
    number = (locked.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = DocumentVersion.objects.create(
        document=locked, number=number, kind=kind, note=(note or "").strip()[:500], created_by=actor, created_at=now
    )
    version.document = locked
    if main is not None:
        document_file_add(version=version, role=FileRole.MAIN, upload=main, actor=actor, now=now)
    elif main_pdf_sha256 is not None:
        _main_from_blob(version=version, sha256=main_pdf_sha256, now=now)
    if carry_annexes_from is not None:
        DocumentFile.objects.bulk_create(
            [
                DocumentFile(
                    version=version,
                    role=FileRole.ANNEX,
                    ordinal=annex.ordinal,
                    name=annex.name,
                    source_id=annex.source_id,
                    pdf_id=annex.pdf_id,
                    conversion_status=annex.conversion_status,
                    conversion_progress=annex.conversion_progress,
                    conversion_error=annex.conversion_error,
                    page_count=annex.page_count,
                    created_at=now,
                )
                for annex in carry_annexes_from.files.filter(role=FileRole.ANNEX).order_by("ordinal", "id")
            ]
        )
    for upload in annexes:
        document_file_add(version=version, role=FileRole.ANNEX, upload=upload, actor=actor, now=now)
    locked.current_version = version
    locked.save(update_fields=["current_version", "updated_at"])
    document.current_version = version
    record(
        action=events.VERSION_CREATED,
        actor=actor,
        agency=locked.agency_id,
        now=now,
        target=version,
        data={
            "document": locked.pk,
            "version": number,
            "kind": kind,
            "note": version.note,
            "main_pdf_sha256": main_pdf_sha256,
            "annexes_from": carry_annexes_from.pk if carry_annexes_from is not None else None,
        },
    )
    document_text_refresh(document_ids=[locked.pk], now=now)
    return version


def _main_from_blob(*, version: DocumentVersion, sha256: str, now: datetime) -> DocumentFile:
    blob = Blob.objects.filter(pk=sha256).first()
    if blob is None:
        raise NotFoundError(_("The stored file is missing."), details={"sha256": sha256})
    if blob.content_type != PDF:
        raise _unsupported(blob.content_type)
    data = blob_read(sha256=sha256)
    pages = _pdf_pages(data)
    return DocumentFile.objects.create(
        version=version,
        role=FileRole.MAIN,
        ordinal=1,
        name=f"{version.document.number_symbol or 'van-ban'}.pdf".replace("/", "_"),
        source=blob,
        pdf=blob,
        conversion_status=ConversionStatus.NOT_NEEDED,
        conversion_progress=100,
        page_count=pages,
        text=pdf_text(data),  # a signed original: its text is read, never OCR'd
        created_at=now,
    )


@transaction.atomic
def version_comment_add(*, version: DocumentVersion, author: Person, text: str, now: datetime) -> VersionComment:
    """An opinion on a version (the caller checked that the author may give it)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("The comment must not be empty."), details={"field": "text"})
    comment = VersionComment.objects.create(version=version, author=author, text=text, created_at=now)
    record(
        action=events.VERSION_COMMENTED,
        actor=author,
        agency=Document.objects.filter(pk=version.document_id).values_list("agency_id", flat=True).first(),
        now=now,
        target=comment,
        data={"document": version.document_id, "version": version.number, "text": text},
    )
    return comment


# --- DOCX -> PDF -----------------------------------------------------------------------------

_profile_lock = threading.Lock()
_profile_dirs: dict[int, str] = {}


def _profile_dir() -> str:
    """One LibreOffice profile per process (two soffice calls may not share one)."""
    pid = os.getpid()
    if pid not in _profile_dirs:
        _profile_dirs[pid] = tempfile.mkdtemp(prefix=f"vanthu-soffice-{pid}-")
    return _profile_dirs[pid]


class ConversionFailedError(Exception):
    pass


def _soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionFailedError(_("LibreOffice is not installed on the server."))


def _convert_bytes(docx: bytes) -> bytes:
    timeout = int(getattr(settings, "VANTHU_CONVERSION_TIMEOUT_SECONDS", DEFAULT_CONVERSION_TIMEOUT))
    executable = _soffice()
    with _profile_lock, tempfile.TemporaryDirectory(prefix="vanthu-convert-") as work:
        source = Path(work) / "in.docx"
        source.write_bytes(docx)
        out_dir = Path(work) / "out"
        out_dir.mkdir()
        command = [
            executable,
            f"-env:UserInstallation={Path(_profile_dir()).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(source),
        ]
        try:
            completed = subprocess.run(  # noqa: S603 - fixed argument list
                command, capture_output=True, timeout=timeout, check=False, cwd=work
            )
        except subprocess.TimeoutExpired as error:
            raise ConversionFailedError(
                _("LibreOffice did not finish within %(seconds)s seconds.") % {"seconds": timeout}
            ) from error
        result = out_dir / "in.pdf"
        if completed.returncode != 0 or not result.exists() or result.stat().st_size == 0:
            raise ConversionFailedError(_("the file is damaged or is not a valid Word document."))
        return result.read_bytes()


def _save_status(file_id: int, **values: object) -> DocumentFile:
    with transaction.atomic():
        document_file = DocumentFile.objects.select_for_update().get(pk=file_id)
        for name, value in values.items():
            setattr(document_file, name, value)
        document_file.save(update_fields=list(values))
        return document_file


def document_file_convert(*, file_id: int, now: datetime) -> DocumentFile:
    """Convert a PENDING DOCX to PDF: RUNNING (10 %) → DONE (100 %, ``pdf`` and page count set) or
    FAILED with the reason. Each status change is its own short transaction, so a page polling the
    file sees the progress; the uploaded DOCX is kept whatever happens. Called by the Huey task,
    under the file's processing claim (a crash mid-way is resumed by ``recovery``)."""
    with processing_claim(file_id):
        return _convert(file_id=file_id, now=now)


def processing_start(file_id: int) -> tuple[DocumentFile | None, bool]:
    """PENDING → RUNNING (10 %) in its own transaction, for a conversion or an OCR run: (the file,
    True) when this worker takes it; (the file as it is, or None when gone, False) otherwise."""
    with transaction.atomic():
        document_file = DocumentFile.objects.select_for_update().filter(pk=file_id).first()
        if document_file is None or document_file.conversion_status != ConversionStatus.PENDING:
            return document_file, False
        document_file.conversion_status = ConversionStatus.RUNNING
        document_file.conversion_progress = 10
        document_file.conversion_error = ""
        document_file.save(update_fields=["conversion_status", "conversion_progress", "conversion_error"])
        return document_file, True


def _convert(*, file_id: int, now: datetime) -> DocumentFile:
    document_file, started = processing_start(file_id)
    if not started or document_file is None:
        return document_file  # type: ignore[return-value]  # gone, or converted by another worker
    source_sha256 = document_file.source_id
    try:
        docx = blob_read(sha256=source_sha256)
        _save_status(file_id, conversion_progress=30)
        pdf = _convert_bytes(docx)
        pages = _pdf_pages(pdf)
        text = pdf_text(pdf)
    except (ConversionFailedError, ValidationError, NotFoundError) as error:
        reason = str(getattr(error, "message", error))
        return _conversion_failed(file_id=file_id, reason=reason, now=now)
    with transaction.atomic():
        document_file = DocumentFile.objects.select_for_update().select_related("version__document").get(pk=file_id)
        blob = blob_store(stream=io.BytesIO(pdf), now=now, allowed_types={PDF})
        document_file.pdf = blob
        document_file.page_count = pages
        document_file.text = text
        document_file.conversion_status = ConversionStatus.DONE
        document_file.conversion_progress = 100
        document_file.save(update_fields=["pdf", "page_count", "text", "conversion_status", "conversion_progress"])
        document_text_refresh(document_ids=[document_file.version.document_id], now=now)
        announce_ready(document_file.pk)
        record(
            action=events.FILE_CONVERTED,
            actor=None,
            agency=document_file.version.document.agency_id,
            now=now,
            target=document_file,
            data={"source": source_sha256, "pdf": blob.sha256, "pages": pages},
        )
    return document_file


def _conversion_failed(*, file_id: int, reason: str, now: datetime) -> DocumentFile:
    message = (_("Could not convert the DOCX file to PDF: %(reason)s") % {"reason": reason})[:500]
    with transaction.atomic():
        document_file = DocumentFile.objects.select_for_update().select_related("version__document").get(pk=file_id)
        document_file.conversion_status = ConversionStatus.FAILED
        document_file.conversion_progress = 100
        document_file.conversion_error = message
        document_file.save(update_fields=["conversion_status", "conversion_progress", "conversion_error"])
        record(
            action=events.FILE_CONVERSION_FAILED,
            actor=None,
            agency=document_file.version.document.agency_id,
            now=now,
            target=document_file,
            data={"source": document_file.source_id, "error": message},
        )
    return document_file


@transaction.atomic
def document_file_retry_conversion(*, file: DocumentFile, actor: Person, now: datetime) -> DocumentFile:
    """Queue a FAILED conversion again (whoever sees the document may ask)."""
    locked = DocumentFile.objects.select_for_update().select_related("version__document").get(pk=file.pk)
    require_visible(can_view_document(actor, locked.version.document, now))
    if locked.conversion_status != ConversionStatus.FAILED:
        raise TransitionNotAllowedError(_("Only a failed conversion can be retried."))
    locked.conversion_status = ConversionStatus.PENDING
    locked.conversion_progress = 0
    locked.conversion_error = ""
    locked.save(update_fields=["conversion_status", "conversion_progress", "conversion_error"])
    record(
        action=events.FILE_CONVERSION_RETRIED,
        actor=actor,
        agency=locked.version.document.agency_id,
        now=now,
        target=locked,
        data={"source": locked.source_id},
    )
    source_type = Blob.objects.filter(pk=locked.source_id).values_list("content_type", flat=True).first()
    if source_type == PDF:  # a scan waits for OCR again; a DOCX for LibreOffice
        file_id = locked.pk
        transaction.on_commit(lambda: file_ocr_requested.send(sender=DocumentFile, file_id=file_id))
    else:
        _request_conversion(locked.pk)
    return locked
