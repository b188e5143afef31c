"""Audit action names of the documents app, with their human labels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

DOCUMENT_CREATED = "documents.document.created"
DOCUMENT_UPDATED = "documents.document.updated"
VERSION_CREATED = "documents.version.created"
FILE_ADDED = "documents.file.added"
FILE_CONVERTED = "documents.file.converted"
FILE_CONVERSION_FAILED = "documents.file.conversion_failed"
FILE_CONVERSION_RETRIED = "documents.file.conversion_retried"
VERSION_COMMENTED = "documents.version.commented"
REGISTER_OPENED = "documents.register.opened"
REGISTER_CLOSED = "documents.register.closed"
NUMBER_ALLOCATED = "documents.number.allocated"
NUMBER_RESERVED = "documents.number.reserved"
NUMBER_RESERVED_USED = "documents.number.reserved_used"
NUMBER_CANCELLED = "documents.number.cancelled"

FILE_SCAN_ADDED = "documents.file.scan_added"
FILE_OCR_DONE = "documents.file.ocr_done"
FILE_OCR_FAILED = "documents.file.ocr_failed"
FILE_OCR_SKIPPED_SIGNED = "documents.file.ocr_skipped_signed"
FILE_PROCESSING_RESUMED = "documents.file.processing_resumed"

ACTION_LABELS: dict[str, Any] = {
    DOCUMENT_CREATED: _("Document created"),
    DOCUMENT_UPDATED: _("Document details changed"),
    VERSION_CREATED: _("Document version created"),
    FILE_ADDED: _("File attached to a document"),
    FILE_CONVERTED: _("DOCX file converted to PDF"),
    FILE_CONVERSION_FAILED: _("DOCX to PDF conversion failed"),
    FILE_CONVERSION_RETRIED: _("DOCX to PDF conversion restarted"),
    VERSION_COMMENTED: _("Comment written on a version"),
    REGISTER_OPENED: _("Register opened"),
    REGISTER_CLOSED: _("Register closed"),
    NUMBER_ALLOCATED: _("Number allocated"),
    NUMBER_RESERVED: _("Numbers reserved"),
    NUMBER_RESERVED_USED: _("Reserved number used"),
    NUMBER_CANCELLED: _("Number cancelled"),
    FILE_SCAN_ADDED: _("Scanned paper document attached"),
    FILE_OCR_DONE: _("Text of a scan recognised (OCR)"),
    FILE_OCR_FAILED: _("Text recognition of a scan failed"),
    FILE_OCR_SKIPPED_SIGNED: _("Signed PDF kept as it is, its text read (no OCR)"),
    FILE_PROCESSING_RESUMED: _("Interrupted file processing queued again"),
}
