"""20 threads take 500 numbers from one register on PostgreSQL; about one transaction in ten fails
after taking its number. The register ends with exactly 1…N, no duplicate, no gap."""

from __future__ import annotations

import random
import threading
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.db import transaction

from vanthu.documents.models import EntryStatus
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.models import RegisterScope
from vanthu.documents.services.numbering import number_allocate
from vanthu.documents.services.numbering import register_for
from vanthu.documents.tests.factories import make_document

THREADS = 20
ATTEMPTS = 500


class InjectedFailure(Exception):
    pass


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestConcurrentAllocation:
    def test_numbers_stay_consecutive_without_gaps_or_duplicates(
        self, agency: Any, officer: Any, clerk: Any, now: datetime
    ) -> None:
        with transaction.atomic():
            register = register_for(agency=agency, year=2026, scope=RegisterScope.OUTGOING, actor=clerk, now=now)
            documents = [make_document(agency=agency, actor=officer, now=now) for _ in range(ATTEMPTS)]
        queue = list(enumerate(documents))
        queue_lock = threading.Lock()
        outcome = {"ok": 0, "failed": 0, "errors": []}
        outcome_lock = threading.Lock()

        def worker(seed: int) -> None:
            chance = random.Random(seed)  # noqa: S311 - not cryptography
            try:
                while True:
                    with queue_lock:
                        if not queue:
                            return
                        _index, document = queue.pop()
                    try:
                        with transaction.atomic():
                            number_allocate(register=Register(pk=register.pk), document=document, actor=clerk, now=now)
                            if chance.random() < 0.1:  # noqa: PLR2004
                                raise InjectedFailure()
                        with outcome_lock:
                            outcome["ok"] += 1  # type: ignore[operator]
                    except InjectedFailure:
                        with outcome_lock:
                            outcome["failed"] += 1  # type: ignore[operator]
            except Exception as error:  # noqa: BLE001 - reported to the test below
                with outcome_lock:
                    outcome["errors"].append(repr(error))  # type: ignore[union-attr]
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert outcome["errors"] == []
        successful = outcome["ok"]
        assert successful + outcome["failed"] == ATTEMPTS
        assert outcome["failed"] > 0
        numbers = list(
            RegisterEntry.objects.filter(register_id=register.pk, status=EntryStatus.USED)
            .order_by("number")
            .values_list("number", flat=True)
        )
        assert numbers == list(range(1, successful + 1))  # type: ignore[operator]
        assert RegisterEntry.objects.filter(register_id=register.pk).count() == successful
        register.refresh_from_db()
        assert register.next_number == successful + 1  # type: ignore[operator]
