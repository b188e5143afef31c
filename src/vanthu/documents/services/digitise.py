"""Scans of paper documents: checked pages (Decree 30/2020 App. I Part II: ≥ 200 dpi, colour or grey,
readable) become one PDF, then — in a Huey task — a PDF/A with a Vietnamese text layer (OCRmyPDF +
Tesseract ``vie``); the text is kept on the file for search. A signed PDF is never OCR'd: its text is
read directly (``document_file_extract_text``).

Like ``document_file_add``, ``scan_add`` does not check who acts: the service of the app owning the
workflow (incoming, the one-stop desk, …) calls it after its own policy."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

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
from vanthu.core.errors import UnsupportedMediaTypeError
from vanthu.core.errors import ValidationError
from vanthu.documents import digitise

# Audit actions (to move to documents/events.py with their labels; see the report of "digitise").
from vanthu.documents.events import FILE_OCR_DONE
from vanthu.documents.events import FILE_OCR_FAILED
from vanthu.documents.events import FILE_OCR_SKIPPED_SIGNED
from vanthu.documents.events import FILE_SCAN_ADDED as SCAN_ADDED
from vanthu.documents.models import ConversionStatus
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentVersion
from vanthu.documents.models import FileRole
from vanthu.documents.models import Origin
from vanthu.documents.pdfs import PdfEncryptedError
from vanthu.documents.pdfs import PdfUnreadableError
from vanthu.documents.pdfs import pdf_page_count
from vanthu.documents.services.files import announce_ready
from vanthu.documents.services.files import processing_start
from vanthu.documents.services.recovery import processing_claim
from vanthu.documents.services.text import document_text_refresh
from vanthu.documents.signals import file_ocr_requested
from vanthu.documents.uploads import Upload
from vanthu.org.models import Person

PDF = digitise.PDF
SCAN_TYPES = digitise.IMAGE_TYPES | {PDF}
DEFAULT_OCR_TIMEOUT = 300  # seconds; settings.VANTHU_OCR_TIMEOUT_SECONDS overrides
MAX_SCAN_PAGES = 500


# --- checking and adding a scan -------------------------------------------------------------------


def _read(upload: Upload, budget: int) -> bytes:
    data = upload.content.read(budget + 1)
    if len(data) > budget:
        limit: int = settings.VANTHU_MAX_UPLOAD_BYTES
        raise PayloadTooLargeError(
            _("The file is larger than the limit of %(limit)s MB.") % {"limit": limit // (1024 * 1024)},
            details={"max_bytes": limit},
        )
    return data


def _problem_error(problem: digitise.PageProblem) -> ValidationError:
    """The Vietnamese (translated) message naming the page and, where measured, its resolution."""
    values = {"page": problem.page, "dpi": problem.dpi, "minimum": digitise.MIN_DPI}
    messages = {
        "low_dpi": _("Page %(page)s is scanned at %(dpi)s dpi; at least %(minimum)s dpi is required. Scan it again."),
        "bilevel": _("Page %(page)s is scanned in black and white only; scan it in colour or grey."),
        "blank": _("Page %(page)s is blank or unreadable; scan it again."),
        "unreadable": _("Page %(page)s is not an image that can be opened (JPEG, PNG or TIFF)."),
        "no_image": _(
            "Page %(page)s of this PDF holds no scanned image; attach an electronic document as a file, not as a scan."
        ),
    }
    return ValidationError(
        messages[problem.reason] % values,
        code=f"scan_{problem.reason}",
        details={"page": problem.page, "dpi": problem.dpi, "minimum_dpi": digitise.MIN_DPI},
    )


def _scan_pdf(uploads: Sequence[Upload]) -> tuple[bytes, int, list[int]]:
    """(the PDF of the scan, its page count, the resolution of each image page) — checked."""
    budget: int = settings.VANTHU_MAX_UPLOAD_BYTES
    datas: list[tuple[bytes, str]] = []
    for upload in uploads:
        data = _read(upload, budget)
        budget -= len(data)
        content_type = sniff_content_type(data[:SNIFF_BYTES])
        if content_type not in SCAN_TYPES:
            raise UnsupportedMediaTypeError(
                _("A scan is one PDF or JPEG, PNG or TIFF images (one per page); this file is not one of them."),
                details={"content_type": content_type, "allowed": sorted(SCAN_TYPES)},
            )
        datas.append((data, content_type))
    if not datas:
        raise ValidationError(_("Choose the scanned pages."), code="scan_empty")
    if any(content_type == PDF for _data, content_type in datas):
        if len(datas) > 1:
            raise ValidationError(
                _("Send a scanned PDF alone, or the pages as images; not both, nor several PDFs."),
                code="scan_mixed",
            )
        return _checked_pdf(datas[0][0])
    pages: list[digitise.ScanPage] = []
    try:
        for data, _content_type in datas:
            pages.extend(digitise.check_image(data, first_page=len(pages) + 1))
            if len(pages) > MAX_SCAN_PAGES:
                raise ValidationError(
                    _("A scan may have at most %(count)s pages.") % {"count": MAX_SCAN_PAGES}, code="scan_too_long"
                )
    except digitise.PageProblem as problem:
        raise _problem_error(problem) from problem
    return digitise.images_to_pdf(pages), len(pages), [page.dpi for page in pages]


def _checked_pdf(data: bytes) -> tuple[bytes, int, list[int]]:
    try:
        pdf_page_count(data)
    except PdfEncryptedError as error:
        raise ValidationError(
            _("This PDF is protected by a password: upload it without protection."), code="pdf_encrypted"
        ) from error
    except PdfUnreadableError as error:
        raise ValidationError(_("This PDF is damaged and cannot be opened."), code="pdf_broken") from error
    if digitise.pdf_is_signed(data):
        raise ValidationError(
            _("This PDF is digitally signed: attach it as an electronic document, not as a scan."),
            code="scan_signed",
        )
    try:
        pages = digitise.check_pdf_scan(data)
    except digitise.PageProblem as problem:
        raise _problem_error(problem) from problem
    return data, pages, []


@transaction.atomic
def scan_add(
    *,
    version: DocumentVersion,
    uploads: Sequence[Upload],
    actor: Person,
    now: datetime,
    role: str = FileRole.MAIN,
) -> DocumentFile:
    """Attach the scanned pages of a paper document — one PDF, or JPEG/PNG/TIFF images, one per page
    in order — to a version. Every page is checked (≥ 200 dpi, colour or grey, not blank) before
    anything is stored; images are combined into one PDF, kept as the file's source. The file waits
    for OCR (PENDING, queued once the transaction commits) and the document becomes DIGITISED."""
    if role not in FileRole.values:
        raise ValidationError(_("Unknown file role."), details={"role": role})
    data, pages, dpis = _scan_pdf(uploads)
    # Lock order as in version_create: the document, then the version.
    document = Document.objects.select_for_update().get(pk=version.document_id)
    locked = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    if role == FileRole.MAIN and locked.files.filter(role=FileRole.MAIN).exists():
        raise ConflictError(_("This version already has a main file."), code="main_file_exists")
    source = blob_store(stream=io.BytesIO(data), now=now, allowed_types={PDF})
    ordinal = (locked.files.filter(role=role).aggregate(top=Max("ordinal"))["top"] or 0) + 1
    first_name = (uploads[0].name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem = first_name.rsplit(".", 1)[0] if first_name else "ban-quet"
    document_file = DocumentFile.objects.create(
        version=locked,
        role=role,
        ordinal=ordinal,
        name=f"{stem or 'ban-quet'}.pdf"[-255:],
        source=source,
        pdf=None,
        conversion_status=ConversionStatus.PENDING,
        conversion_progress=0,
        page_count=pages,
        created_at=now,
    )
    previous_origin = document.origin
    if document.origin != Origin.DIGITISED:
        document.origin = Origin.DIGITISED
        document.save(update_fields=["origin", "updated_at"])
    record(
        action=SCAN_ADDED,
        actor=actor,
        agency=document.agency_id,
        now=now,
        target=document_file,
        data={
            "document": document.pk,
            "version": locked.number,
            "role": role,
            "name": document_file.name,
            "sha256": source.sha256,
            "size": source.size,
            "pages": pages,
            "images": len(uploads) if dpis else 0,
            "dpi": dpis,
            "origin": {"from": previous_origin, "to": Origin.DIGITISED},
        },
    )
    _request_ocr(document_file.pk)
    return document_file


def _request_ocr(file_id: int) -> None:
    transaction.on_commit(lambda: file_ocr_requested.send(sender=DocumentFile, file_id=file_id))


# --- OCR ------------------------------------------------------------------------------------------


def _save_status(file_id: int, **values: Any) -> None:
    with transaction.atomic():
        document_file = DocumentFile.objects.select_for_update().get(pk=file_id)
        for name, value in values.items():
            setattr(document_file, name, value)
        document_file.save(update_fields=list(values))


def document_file_ocr(*, file_id: int, now: datetime) -> DocumentFile:
    """Recognise the text of a PENDING scan: RUNNING (10 %) → DONE (100 %, ``pdf`` = the PDF/A with a
    Vietnamese text layer, ``text`` = that layer) or FAILED with the reason in Vietnamese. Each step
    is its own short transaction so the status partial shows progress; the scan is kept whatever
    happens. A signed PDF is not OCR'd: its text is read and it is used as it is. Called by the Huey
    task, under the file's processing claim (a crash mid-way is resumed by ``recovery``)."""
    with processing_claim(file_id):
        return _recognise(file_id=file_id, now=now)


def _recognise(*, file_id: int, now: datetime) -> DocumentFile:
    document_file, started = processing_start(file_id)
    if not started or document_file is None:
        return document_file  # type: ignore[return-value]  # gone, or taken by another worker
    source_sha256 = document_file.source_id
    timeout = int(getattr(settings, "VANTHU_OCR_TIMEOUT_SECONDS", DEFAULT_OCR_TIMEOUT))
    try:
        scan = blob_read(sha256=source_sha256)
        if digitise.pdf_is_signed(scan):
            return _signed_kept(file_id=file_id, data=scan, now=now)
        _save_status(file_id, conversion_progress=20)
        pdfa = digitise.ocr_pdf(scan, timeout=timeout)
        _save_status(file_id, conversion_progress=90)
        pages = pdf_page_count(pdfa)
        text = digitise.pdf_text(pdfa)
    except digitise.OcrFailedError as error:
        reason = (
            _("the recognition did not finish within %(seconds)s seconds.") % {"seconds": timeout}
            if error.timed_out
            else error.reason
        )
        return _ocr_failed(file_id=file_id, reason=reason, now=now)
    except (NotFoundError, PdfUnreadableError) as error:
        return _ocr_failed(file_id=file_id, reason=str(getattr(error, "message", "") or error), now=now)
    with transaction.atomic():
        document_file = DocumentFile.objects.select_for_update().select_related("version__document").get(pk=file_id)
        blob = blob_store(stream=io.BytesIO(pdfa), now=now, allowed_types={PDF})
        document_file.pdf = blob
        document_file.page_count = pages
        document_file.text = text
        document_file.conversion_status = ConversionStatus.DONE
        document_file.conversion_progress = 100
        document_file.save(update_fields=["pdf", "page_count", "text", "conversion_status", "conversion_progress"])
        document_text_refresh(document_ids=[document_file.version.document_id], now=now)
        announce_ready(document_file.pk)
        record(
            action=FILE_OCR_DONE,
            actor=None,
            agency=document_file.version.document.agency_id,
            now=now,
            target=document_file,
            data={"source": source_sha256, "pdf": blob.sha256, "pages": pages, "characters": len(text)},
        )
    return document_file


def _signed_kept(*, file_id: int, data: bytes, now: datetime) -> DocumentFile:
    text = digitise.pdf_text(data)
    with transaction.atomic():
        document_file = DocumentFile.objects.select_for_update().select_related("version__document").get(pk=file_id)
        document_file.pdf_id = document_file.source_id
        document_file.text = text
        document_file.conversion_status = ConversionStatus.NOT_NEEDED
        document_file.conversion_progress = 100
        document_file.save(update_fields=["pdf", "text", "conversion_status", "conversion_progress"])
        document_text_refresh(document_ids=[document_file.version.document_id], now=now)
        announce_ready(document_file.pk)
        record(
            action=FILE_OCR_SKIPPED_SIGNED,
            actor=None,
            agency=document_file.version.document.agency_id,
            now=now,
            target=document_file,
            data={"source": document_file.source_id, "characters": len(text)},
        )
    return document_file


def _ocr_failed(*, file_id: int, reason: str, now: datetime) -> DocumentFile:
    message = (_("Could not recognise the text of the scan: %(reason)s") % {"reason": reason})[:500]
    with transaction.atomic():
        document_file = DocumentFile.objects.select_for_update().select_related("version__document").get(pk=file_id)
        document_file.conversion_status = ConversionStatus.FAILED
        document_file.conversion_progress = 100
        document_file.conversion_error = message
        document_file.save(update_fields=["conversion_status", "conversion_progress", "conversion_error"])
        record(
            action=FILE_OCR_FAILED,
            actor=None,
            agency=document_file.version.document.agency_id,
            now=now,
            target=document_file,
            data={"source": document_file.source_id, "error": message},
        )
    return document_file


# --- text of a PDF that is not OCR'd ----------------------------------------------------------------


def document_file_extract_text(*, file_id: int, now: datetime) -> DocumentFile:
    """Fill ``text`` from the file's PDF (a signed original, a born-digital PDF) with pdftotext —
    never OCR. A file without a PDF yet is returned unchanged."""
    document_file = DocumentFile.objects.filter(pk=file_id).first()
    if document_file is None:
        raise NotFoundError()
    if document_file.pdf_id is None:
        return document_file
    text = digitise.pdf_text(blob_read(sha256=document_file.pdf_id))
    with transaction.atomic():
        locked = DocumentFile.objects.select_for_update().get(pk=file_id)
        if locked.pdf_id == document_file.pdf_id and locked.text != text:
            locked.text = text
            locked.save(update_fields=["text"])
            document_text_refresh(document_ids=[locked.version.document_id], now=now)
        return locked
