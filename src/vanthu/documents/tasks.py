"""Huey tasks of the documents app: load ids, call one service."""

from __future__ import annotations

from typing import Any

from huey.contrib.djhuey import db_task

from vanthu.core import clock
from vanthu.documents.services.files import document_file_convert


@db_task(retries=0)  # type: ignore[untyped-decorator]  # huey is not annotated
def convert_document_file(file_id: int) -> None:
    """Convert an uploaded DOCX to PDF (LibreOffice), outside the request."""
    document_file_convert(file_id=file_id, now=clock.now())


def on_file_conversion_requested(sender: Any, *, file_id: int, **kwargs: Any) -> None:
    """Receiver of documents.signals.file_conversion_requested (connected in DocumentsConfig.ready)."""
    convert_document_file(file_id)
