"""Background jobs resume after a crash (issue 6, item 4): the Huey consumer (`vanthu worker`,
production settings, Redis) converts six DOCX files with LibreOffice and is SIGKILLed (with its
LibreOffice child) while it converts one, with others still queued.

Huey 3.5 takes a task off the Redis list when it starts it and keeps no acknowledgement: the
queued tasks survive the kill, the running one is lost and its file stays RUNNING. Two files were
never queued at all (a web process that died between its commit and the ``on_commit`` that
queues). The worker's start-up sweep (``documents.services.recovery``) queues both kinds again;
after the restart every file is converted exactly once."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import redis
from faultkit import REDIS_URL
from faultkit import production_environment
from faultkit import start_worker

from vanthu.audit.models import AuditEvent
from vanthu.audit.verification import audit_verify
from vanthu.core.blobs import blob_store_bytes
from vanthu.documents import events
from vanthu.documents.models import ConversionStatus
from vanthu.documents.models import Direction
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentVersion
from vanthu.documents.models import FileRole
from vanthu.documents.models import VersionKind
from vanthu.documents.tests.factories import make_docx

pytestmark = [pytest.mark.postgres, pytest.mark.heavy]

QUEUED = 4
NEVER_QUEUED = 2
QUEUE_KEY = "huey.redis.vanthu"  # RedisHuey(name="vanthu") of the production settings

ENQUEUE = """
import sys
import django
django.setup()
from vanthu.documents.tasks import convert_document_file
for file_id in sys.argv[1:]:
    convert_document_file(int(file_id))
"""


def _docx_files(agency: Any, officer: Any, document_type: Any, now: datetime) -> list[int]:
    """One draft with a DOCX main file and five DOCX annexes, every one waiting for conversion."""
    document = Document.objects.create(
        direction=Direction.OUTGOING,
        agency=agency,
        document_type=document_type,
        subject="Về việc tổng hợp báo cáo kinh tế - xã hội tháng 11",
        created_by=officer,
    )
    version = DocumentVersion.objects.create(
        document=document, number=1, kind=VersionKind.DRAFT, created_by=officer, created_at=now
    )
    ids = []
    for index in range(QUEUED + NEVER_QUEUED):
        blob = blob_store_bytes(data=make_docx(f"Báo cáo số {index + 1} của Sở Tài chính tháng 11"), now=now)
        document_file = DocumentFile.objects.create(
            version=version,
            role=FileRole.MAIN if index == 0 else FileRole.ANNEX,
            ordinal=index,
            name=f"bao-cao-{index + 1}.docx",
            source=blob,
            conversion_status=ConversionStatus.PENDING,
            conversion_progress=0,
            created_at=now,
        )
        ids.append(document_file.pk)
    return ids


def _statuses(ids: list[int]) -> dict[int, str]:
    return dict(DocumentFile.objects.filter(pk__in=ids).values_list("pk", "conversion_status"))


def _wait(condition: Any, timeout: float, what: str, worker: Any) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} after {timeout} s:\n{worker.log_tail()}")
        time.sleep(0.1)


def test_a_killed_worker_loses_no_job(
    processes: list[Any],
    agency: Any,
    officer: Any,
    document_type: Any,
    now: datetime,
    tmp_path: Path,
    record_property: Any,
) -> None:
    started_at = time.monotonic()
    ids = _docx_files(agency, officer, document_type, now)
    environment = production_environment(tmp_path)
    queue = redis.Redis.from_url(REDIS_URL)
    subprocess.run(  # noqa: S603 - our own code: a web process queues the first four conversions
        [sys.executable, "-c", ENQUEUE, *map(str, ids[:QUEUED])], env=environment, check=True, timeout=120
    )
    assert queue.llen(QUEUE_KEY) == QUEUED

    worker = start_worker(environment, tmp_path / "worker.log")
    processes.append(worker)
    _wait(
        lambda: (
            ConversionStatus.DONE in _statuses(ids).values() and ConversionStatus.RUNNING in _statuses(ids).values()
        ),
        180,
        "no file converted while another converts",
        worker,
    )
    worker.kill_all()
    at_kill = _statuses(ids)
    lost = [pk for pk, status in at_kill.items() if status == ConversionStatus.RUNNING]
    waiting = queue.llen(QUEUE_KEY)
    assert lost, at_kill  # the task under way died with the worker
    assert waiting > 0  # the queued ones are still in Redis

    restarted_at = time.monotonic()
    worker.start()
    _wait(
        lambda: set(_statuses(ids).values()) == {ConversionStatus.DONE},
        240,
        "the files were not all converted after the restart",
        worker,
    )
    recovery_seconds = time.monotonic() - restarted_at

    for document_file in DocumentFile.objects.filter(pk__in=ids):
        assert document_file.pdf_id is not None
        assert document_file.page_count == 1
        assert "Sở Tài chính" in document_file.text
    converted = list(
        AuditEvent.objects.filter(action=events.FILE_CONVERTED, target_id__in=map(str, ids)).values_list(
            "target_id", flat=True
        )
    )
    assert sorted(map(int, converted)) == sorted(ids)  # each exactly once
    resumed = set(
        AuditEvent.objects.filter(action=events.FILE_PROCESSING_RESUMED, target_id__in=map(str, ids)).values_list(
            "target_id", flat=True
        )
    )
    assert resumed == {str(pk) for pk in lost}
    assert audit_verify().ok
    assert queue.llen(QUEUE_KEY) == 0

    summary = {
        "files": len(ids),
        "never_queued": NEVER_QUEUED,
        "running_at_kill": len(lost),
        "queued_at_kill": waiting,
        "done_at_kill": sum(status == ConversionStatus.DONE for status in at_kill.values()),
        "seconds_to_finish_after_restart": round(recovery_seconds, 1),
        "test_seconds": round(time.monotonic() - started_at, 1),
    }
    record_property("faults_worker", summary)
    print(f"\nworker kill test: {summary}")  # noqa: T201 - numbers for the report (-s)
