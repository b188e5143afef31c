"""Huey tasks of the documents app: load ids, call one service."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import HUEY
from huey.contrib.djhuey import close_db
from huey.contrib.djhuey import db_periodic_task
from huey.contrib.djhuey import db_task
from huey.contrib.djhuey import on_startup

from vanthu.core import clock
from vanthu.documents.services.digitise import document_file_ocr
from vanthu.documents.services.files import document_file_convert
from vanthu.documents.services.previews import thumbnails_render
from vanthu.documents.services.recovery import file_processing_resume
from vanthu.documents.signals import file_ocr_requested


@db_task(retries=0)  # type: ignore[untyped-decorator]  # huey is not annotated
def convert_document_file(file_id: int) -> None:
    """Convert an uploaded DOCX to PDF (LibreOffice), outside the request."""
    document_file_convert(file_id=file_id, now=clock.now())


def on_file_conversion_requested(sender: Any, *, file_id: int, **kwargs: Any) -> None:
    """Receiver of documents.signals.file_conversion_requested (connected in DocumentsConfig.ready)."""
    convert_document_file(file_id)


@db_task(retries=0)  # type: ignore[untyped-decorator]  # huey is not annotated
def ocr_document_file(file_id: int) -> None:
    """Recognise the text of a scan (OCRmyPDF + Tesseract vie → PDF/A), outside the request."""
    document_file_ocr(file_id=file_id, now=clock.now())


def on_file_ocr_requested(sender: Any, *, file_id: int, **kwargs: Any) -> None:
    """Receiver of documents.signals.file_ocr_requested."""
    ocr_document_file(file_id)


@db_task(retries=1, retry_delay=30)  # type: ignore[untyped-decorator]  # huey is not annotated
def render_thumbnail(file_id: int) -> None:
    """Draw the first-page thumbnail of a file that just got its PDF."""
    thumbnails_render(file_ids=[file_id], now=clock.now())


def on_file_ready(sender: Any, *, file_id: int, **kwargs: Any) -> None:
    """Receiver of documents.signals.file_ready."""
    render_thumbnail(file_id)


# DocumentsConfig.ready imports this module; connecting here (idempotent thanks to dispatch_uid)
# keeps the wiring working until apps.py connects it beside file_conversion_requested.
file_ocr_requested.connect(on_file_ocr_requested, dispatch_uid="documents-ocr-file")


def _queued_file_ids() -> set[int]:
    """The files whose conversion or OCR task waits in the queue."""
    classes = (convert_document_file.task_class, ocr_document_file.task_class)
    return {int(task.args[0]) for task in HUEY.pending() if isinstance(task, classes) and task.args}


@db_periodic_task(crontab(minute="*/10"))  # type: ignore[untyped-decorator]  # huey is not annotated
def resume_file_processing() -> None:
    """Every ten minutes: queue again the conversions and OCR lost by a crash (see
    ``documents.services.recovery``)."""
    file_processing_resume(queued=_queued_file_ids, now=clock.now())


@on_startup("documents-resume-file-processing")  # type: ignore[untyped-decorator]  # huey is not annotated
@close_db  # type: ignore[untyped-decorator]
def resume_file_processing_at_start() -> None:
    """When a worker starts (after a crash, the work the dead one held is found at once)."""
    file_processing_resume(queued=_queued_file_ids, now=clock.now())
