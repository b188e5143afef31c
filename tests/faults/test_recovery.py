"""The sweep that resumes file processing after a crash (``documents.services.recovery``), on its
own: which files it queues again, which it leaves alone. SQLite and PostgreSQL; the kill test of
the real worker is test_worker_kill.py."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import pytest

from vanthu.audit.models import AuditEvent
from vanthu.core.blobs import blob_store_bytes
from vanthu.documents import events
from vanthu.documents.models import ConversionStatus
from vanthu.documents.models import Direction
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentVersion
from vanthu.documents.models import FileRole
from vanthu.documents.models import VersionKind
from vanthu.documents.services import recovery
from vanthu.documents.services.recovery import file_processing_resume
from vanthu.documents.services.recovery import processing_claim
from vanthu.documents.tests.factories import make_docx
from vanthu.documents.tests.factories import make_pdf


@pytest.fixture
def requested(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[int]]:
    """The conversions and OCR runs queued (the Huey tasks replaced by recorders)."""
    calls: dict[str, list[int]] = {"convert": [], "ocr": []}
    monkeypatch.setattr("vanthu.documents.tasks.convert_document_file", calls["convert"].append)
    monkeypatch.setattr("vanthu.documents.tasks.ocr_document_file", calls["ocr"].append)
    return calls


@pytest.fixture
def make_file(agency: Any, officer: Any, document_type: Any, now: datetime) -> Any:
    document = Document.objects.create(
        direction=Direction.OUTGOING, agency=agency, document_type=document_type, subject="Dự thảo", created_by=officer
    )
    version = DocumentVersion.objects.create(
        document=document, number=1, kind=VersionKind.DRAFT, created_by=officer, created_at=now
    )
    ordinal = iter(range(100))

    def make(status: str, *, scan: bool = False) -> DocumentFile:
        index = next(ordinal)
        data = make_pdf() if scan else make_docx(f"Văn bản {index}")
        return DocumentFile.objects.create(
            version=version,
            role=FileRole.MAIN if index == 0 else FileRole.ANNEX,
            ordinal=index,
            name=f"tep-{index}",
            source=blob_store_bytes(data=data, now=now),
            conversion_status=status,
            conversion_progress=10 if status == ConversionStatus.RUNNING else 0,
            created_at=now,
        )

    return make


def _resume(now: datetime, queued: set[int] = frozenset(), capture: Any = None) -> list[int]:  # type: ignore[assignment]
    with capture(execute=True):
        return file_processing_resume(queued=lambda: queued, now=now)


@pytest.mark.django_db
def test_a_file_left_running_by_a_dead_worker_is_queued_again_and_audited(
    make_file: Any, requested: dict[str, list[int]], now: datetime, django_capture_on_commit_callbacks: Any
) -> None:
    abandoned = make_file(ConversionStatus.RUNNING)
    done = make_file(ConversionStatus.DONE)

    assert _resume(now, capture=django_capture_on_commit_callbacks) == [abandoned.pk]

    abandoned.refresh_from_db()
    assert abandoned.conversion_status == ConversionStatus.PENDING
    assert requested == {"convert": [abandoned.pk], "ocr": []}
    event = AuditEvent.objects.get(action=events.FILE_PROCESSING_RESUMED)
    assert event.target_id == str(abandoned.pk)
    done.refresh_from_db()
    assert done.conversion_status == ConversionStatus.DONE


@pytest.mark.django_db
def test_a_pending_file_is_queued_again_only_when_the_queue_lost_it(
    make_file: Any, requested: dict[str, list[int]], now: datetime, django_capture_on_commit_callbacks: Any
) -> None:
    waiting = make_file(ConversionStatus.PENDING)
    lost = make_file(ConversionStatus.PENDING)
    scan = make_file(ConversionStatus.PENDING, scan=True)

    resumed = _resume(now, {waiting.pk}, capture=django_capture_on_commit_callbacks)

    assert resumed == [lost.pk, scan.pk]
    assert requested == {"convert": [lost.pk], "ocr": [scan.pk]}  # a scan waits for OCR, a DOCX for LibreOffice
    assert not AuditEvent.objects.filter(action=events.FILE_PROCESSING_RESUMED).exists()


@pytest.mark.django_db(transaction=True)
def test_a_file_a_live_worker_converts_is_left_alone(
    make_file: Any,
    requested: dict[str, list[int]],
    now: datetime,
    django_capture_on_commit_callbacks: Any,
    audit_reset_permit: None,
) -> None:
    running = make_file(ConversionStatus.RUNNING)
    claimed, release = threading.Event(), threading.Event()

    def worker() -> None:  # another worker (its own database connection) holds the claim
        from django.db import connection

        try:
            with processing_claim(running.pk):
                claimed.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert claimed.wait(timeout=30)
        assert _resume(now, capture=django_capture_on_commit_callbacks) == []
    finally:
        release.set()
        thread.join(timeout=30)
    running.refresh_from_db()
    assert running.conversion_status == ConversionStatus.RUNNING
    assert requested == {"convert": [], "ocr": []}
    # Once the worker is gone, the next sweep takes the file back.
    assert _resume(now, capture=django_capture_on_commit_callbacks) == [running.pk]


@pytest.mark.django_db
def test_a_second_sweep_while_one_runs_returns_at_once(
    make_file: Any, requested: dict[str, list[int]], now: datetime, django_capture_on_commit_callbacks: Any
) -> None:
    make_file(ConversionStatus.RUNNING)
    with recovery._sweep_guard:
        assert _resume(now, capture=django_capture_on_commit_callbacks) == []
    assert requested == {"convert": [], "ocr": []}
