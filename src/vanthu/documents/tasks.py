"""Huey tasks of the documents app: load ids, call one service."""

from __future__ import annotations

from typing import Any

from huey.contrib.djhuey import db_task

from vanthu.core import clock
from vanthu.documents.services.digitise import document_file_ocr
from vanthu.documents.services.files import document_file_convert
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


# DocumentsConfig.ready imports this module; connecting here (idempotent thanks to dispatch_uid)
# keeps the wiring working until apps.py connects it beside file_conversion_requested.
file_ocr_requested.connect(on_file_ocr_requested, dispatch_uid="documents-ocr-file")
