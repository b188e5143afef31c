"""Resuming file processing (DOCX → PDF conversion, OCR of scans) after a crash.

Huey takes a task off its queue when a worker starts it (Redis BRPOP; SQLite likewise) and keeps
no acknowledgement: a worker killed with SIGKILL (or a machine that stops) loses the task it was
running, and the file stays RUNNING for ever; a web process killed between its commit and the
``on_commit`` that queues the task leaves the file PENDING with nothing queued. The sweep
(``file_processing_resume``, run when a worker starts and every few minutes) queues such files
again. The work itself is idempotent: it only starts from PENDING, under the file's row lock.

Whoever converts or recognises a file holds its *processing claim* for the whole work, taken
before the file becomes RUNNING: on PostgreSQL a session advisory lock (released by PostgreSQL
when the process dies, whatever machine it ran on); on SQLite (embedded mode: one process runs
the workers) a set kept by this process. A RUNNING file nobody claims was abandoned."""

from __future__ import annotations

import threading
from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import DatabaseError
from django.db import connection
from django.db import transaction

from vanthu.audit.services import record
from vanthu.core.models import Blob
from vanthu.documents import events
from vanthu.documents.models import ConversionStatus
from vanthu.documents.models import DocumentFile
from vanthu.documents.signals import file_conversion_requested
from vanthu.documents.signals import file_ocr_requested

PDF = "application/pdf"
_LOCK_SPACE = 0x56_44  # the first key of the advisory locks of file processing ("VD")
_SWEEP_KEY = 0  # second key of the advisory lock held by a running sweep
_claims: set[int] = set()
_claims_guard = threading.Lock()
_sweep_guard = threading.Lock()


def _lock_key(file_id: int) -> list[int]:
    return [_LOCK_SPACE, file_id & 0x7FFFFFFF]


@contextmanager
def processing_claim(file_id: int) -> Iterator[None]:
    """Claim the processing of ``file_id`` while the block runs (waits for another holder)."""
    with _claims_guard:
        _claims.add(file_id)
    locked = False
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", _lock_key(file_id))
            locked = True
        yield
    finally:
        if locked:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", _lock_key(file_id))
            except DatabaseError:
                pass  # the connection is gone, and its session locks with it
        with _claims_guard:
            _claims.discard(file_id)


def _claimed(file_id: int) -> bool:
    """Whether a live worker (of any process, on PostgreSQL) holds the claim of ``file_id``."""
    if connection.vendor != "postgresql":
        with _claims_guard:
            return file_id in _claims
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", _lock_key(file_id))
        acquired = bool(cursor.fetchone()[0])
        if acquired:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", _lock_key(file_id))
    return not acquired


def _request(file_id: int, source_type: str | None) -> None:
    """Queue the work again once the transaction commits: OCR for a scan (a PDF), LibreOffice for a
    DOCX (the rule of ``document_file_retry``)."""
    signal = file_ocr_requested if source_type == PDF else file_conversion_requested
    transaction.on_commit(lambda: signal.send(sender=DocumentFile, file_id=file_id))


@contextmanager
def _single_sweep() -> Iterator[bool]:
    """Whether this sweep may run: one at a time (every worker thread sweeps when it starts)."""
    if not _sweep_guard.acquire(blocking=False):
        yield False
        return
    try:
        if connection.vendor != "postgresql":
            yield True
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_SPACE + 1, _SWEEP_KEY])
            acquired = bool(cursor.fetchone()[0])
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_SPACE + 1, _SWEEP_KEY])
    finally:
        _sweep_guard.release()


def file_processing_resume(*, queued: Callable[[], Collection[int]], now: datetime) -> list[int]:
    """Queue again every file whose conversion or OCR was lost: PENDING and not in ``queued()``
    (the file ids the queue holds, read once this sweep runs alone), or RUNNING with no live worker
    claiming it (set back to PENDING, audited). A file a worker is converting is left alone; a
    sweep already running elsewhere makes this one return at once. Returns the ids queued again."""
    with _single_sweep() as alone:
        return _resume(queued=set(queued()), now=now) if alone else []


def _resume(*, queued: Collection[int], now: datetime) -> list[int]:
    resumed: list[int] = []
    candidates = DocumentFile.objects.filter(
        conversion_status__in=[ConversionStatus.PENDING, ConversionStatus.RUNNING]
    ).order_by("pk")
    for file_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            document_file = (
                DocumentFile.objects.select_for_update(of=("self",))
                .select_related("version__document")
                .filter(pk=file_id)
                .first()
            )
            if document_file is None or _claimed(file_id):
                continue
            if document_file.conversion_status == ConversionStatus.RUNNING:
                document_file.conversion_status = ConversionStatus.PENDING
                document_file.conversion_progress = 0
                document_file.save(update_fields=["conversion_status", "conversion_progress"])
                record(
                    action=events.FILE_PROCESSING_RESUMED,
                    actor=None,
                    agency=document_file.version.document.agency_id,
                    now=now,
                    target=document_file,
                    data={"source": document_file.source_id},
                )
            elif document_file.conversion_status != ConversionStatus.PENDING:
                continue
            if file_id in queued:
                continue  # its task waits in the queue and will find it PENDING
            source_type = Blob.objects.filter(pk=document_file.source_id).values_list("content_type", flat=True).first()
            _request(file_id, source_type)
            resumed.append(file_id)
    return resumed
