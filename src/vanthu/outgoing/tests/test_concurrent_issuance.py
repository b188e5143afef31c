"""20 clerks' requests issuing 500 documents of one agency at once, in one register, with about one
transaction in ten failing after its number was allocated (rolled back, then retried): the register
ends with the numbers 1…500 exactly — no duplicate, no gap. PostgreSQL only (real row locks)."""

from __future__ import annotations

import queue
import random
import threading
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.db import transaction

from vanthu.documents.models import Direction
from vanthu.documents.models import Document
from vanthu.documents.models import EntryStatus
from vanthu.documents.models import RegisterEntry
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.services.issuance import outgoing_issue_start
from vanthu.outgoing.tests.issuance_support import decision_type

DOCUMENTS = 500
THREADS = 20
FAILURE_RATE = 0.1


class MidwayFailureError(Exception):
    """Raised after the number was allocated, inside the issuing transaction."""


def _signed_documents(agency: Any, drafter: Any, now: datetime) -> list[int]:
    document_type = decision_type()
    documents = Document.objects.bulk_create(
        [
            Document(
                direction=Direction.OUTGOING,
                agency=agency,
                document_type=document_type,
                subject=f"Văn bản thử số {index}",
                symbol="QĐ-STC",
                issuer_name=agency.name,
                issuer_code=agency.code_qcvn102,
                created_by=drafter,
            )
            for index in range(DOCUMENTS)
        ]
    )
    outgoings = Outgoing.objects.bulk_create(
        [
            Outgoing(document=document, agency=agency, status=OutgoingStatus.SIGNED, drafter=drafter, created_at=now)
            for document in documents
        ]
    )
    return [outgoing.pk for outgoing in outgoings]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_issuers_number_500_documents_without_gap_or_duplicate(
    clerk: Any, officer: Any, agency: Any, now: datetime, audit_reset_permit: None
) -> None:
    pending: queue.Queue[int] = queue.Queue()
    for pk in _signed_documents(agency, officer, now):
        pending.put(pk)
    failures = [0] * THREADS
    errors: list[BaseException] = []

    def issuer(index: int) -> None:
        chance = random.Random(index)  # noqa: S311 - not for security
        try:
            while True:
                try:
                    pk = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    with transaction.atomic():
                        outgoing_issue_start(outgoing=Outgoing(pk=pk), actor=clerk, now=now)
                        if chance.random() < FAILURE_RATE:
                            raise MidwayFailureError
                except MidwayFailureError:
                    failures[index] += 1
                    pending.put(pk)  # retried later, by whichever issuer takes it
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issuer, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)

    assert not errors, errors[:3]
    assert sum(failures) > 0  # some transactions did fail midway
    numbers = list(
        RegisterEntry.objects.filter(status=EntryStatus.USED).order_by("number").values_list("number", flat=True)
    )
    assert numbers == list(range(1, DOCUMENTS + 1))
    assert not RegisterEntry.objects.exclude(status=EntryStatus.USED).exists()
    assert Outgoing.objects.filter(status=OutgoingStatus.ISSUING).count() == DOCUMENTS
    issued_numbers = sorted(Document.objects.values_list("number", flat=True))
    assert issued_numbers == list(range(1, DOCUMENTS + 1))
