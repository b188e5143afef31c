"""10 clerks' requests registering 200 arrived documents of one agency at once, with about one
transaction in ten failing after its arrival number was taken (rolled back, then retried): the
incoming register ends with the arrival numbers 1…200 exactly — no duplicate, no gap. PostgreSQL
only (real row locks)."""

from __future__ import annotations

import queue
import random
import threading
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.db import transaction

from vanthu.documents.models import Document
from vanthu.documents.models import EntryStatus
from vanthu.documents.models import RegisterEntry
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.services.registration import incoming_register
from vanthu.incoming.tests.factories import paper_arrivals

DOCUMENTS = 200
THREADS = 10
FAILURE_RATE = 0.1


class MidwayFailureError(Exception):
    """Raised after the arrival number was taken, inside the registering transaction."""


def _arrived(agency: Any, clerk: Any, now: datetime) -> list[int]:
    return paper_arrivals(agency=agency, clerk=clerk, now=now, count=DOCUMENTS, issuer_name="UBND huyện")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_clerks_register_200_documents_without_gap_or_duplicate(
    clerk: Any, agency: Any, now: datetime, audit_reset_permit: None
) -> None:
    pending: queue.Queue[int] = queue.Queue()
    for pk in _arrived(agency, clerk, now):
        pending.put(pk)
    failures = [0] * THREADS
    errors: list[BaseException] = []

    def registrar(index: int) -> None:
        chance = random.Random(index)  # noqa: S311 - not for security
        try:
            while True:
                try:
                    pk = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    with transaction.atomic():
                        incoming_register(incoming=Incoming(pk=pk), actor=clerk, now=now)
                        if chance.random() < FAILURE_RATE:
                            raise MidwayFailureError
                except MidwayFailureError:
                    failures[index] += 1
                    pending.put(pk)  # retried later, by whichever clerk takes it
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=registrar, args=(index,)) for index in range(THREADS)]
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
    arrival_numbers = sorted(
        Incoming.objects.filter(status=IncomingStatus.REGISTERED).values_list("arrival_number", flat=True)
    )
    assert arrival_numbers == list(range(1, DOCUMENTS + 1))
    # The senders' numbers stay on the documents.
    assert sorted(Document.objects.values_list("number", flat=True)) == list(range(1, DOCUMENTS + 1))
