"""Signals of the documents app.

``file_conversion_requested(file_id)`` is sent after the commit of a transaction that stored a DOCX
(or asked to convert it again); documents.tasks listens and queues the Huey task. Services may not
import the tasks module (it is an interface), hence the signal."""

from __future__ import annotations

import django.dispatch

file_conversion_requested = django.dispatch.Signal()

file_ocr_requested = django.dispatch.Signal()
"""``file_ocr_requested(file_id)``: sent after the commit of a transaction that stored a scan (or
asked to recognise it again); documents.tasks queues the OCR task."""

file_ready = django.dispatch.Signal()
"""``file_ready(file_id)``: sent after the commit of a transaction that gave a file its PDF (a PDF
uploaded, a DOCX converted, a scan recognised); documents.tasks draws its first-page thumbnail."""
