"""One chain per agency: agencies write in parallel, one agency's writes are ordered.

Real connections and real transactions (PostgreSQL row locks); the reset at teardown is a
TRUNCATE, which the append-only triggers let through."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.db import transaction

from vanthu.audit import services as audit
from vanthu.audit.models import AuditEvent
from vanthu.audit.verification import audit_verify

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAIT = 10.0  # seconds; only reached when something is wrong


class Writer(threading.Thread):
    """Records one event in its own connection; optionally holds its transaction open."""

    def __init__(self, agency: Any, actor: Any, now: Any, *, hold: bool = False) -> None:
        super().__init__(daemon=True)
        self.agency, self.actor, self.now, self.hold = agency, actor, now, hold
        self.recorded = threading.Event()
        self.committed = threading.Event()
        self.release = threading.Event()
        self.errors: list[BaseException] = []

    def run(self) -> None:
        try:
            with transaction.atomic():
                audit.record(action="test.document.registered", actor=self.actor, agency=self.agency, now=self.now)
                self.recorded.set()
                if self.hold:
                    self.release.wait(WAIT)
            self.committed.set()
        except BaseException as error:  # noqa: BLE001 - reported to the test thread
            self.errors.append(error)
        finally:
            connection.close()


def run_pair(first: Writer, second: Writer, check_while_first_open: Callable[[], Any]) -> Any:
    first.start()
    assert first.recorded.wait(WAIT), first.errors
    second.start()
    try:
        observed = check_while_first_open()
    finally:
        first.release.set()
        first.join(WAIT)
        second.join(WAIT)
    assert (first.errors, second.errors) == ([], [])
    assert first.committed.is_set()
    assert second.committed.is_set()
    return observed


@pytest.fixture(params=["new chains", "existing chains"])
def chains(request: pytest.FixtureRequest, agency: Any, other_agency: Any, clerk: Any, now: Any) -> str:
    if request.param == "existing chains":
        with transaction.atomic():
            audit.record(action="test.setup", actor=clerk, agency=agency, now=now)
            audit.record(action="test.setup", actor=clerk, agency=other_agency, now=now)
    return str(request.param)


class TestConcurrentWriters:
    def test_two_agencies_write_at_the_same_time(self, chains, agency, other_agency, clerk, other_officer, now):
        holder = Writer(agency, clerk, now, hold=True)
        other = Writer(other_agency, other_officer, now)

        committed_while_open = run_pair(holder, other, lambda: other.committed.wait(WAIT))

        assert committed_while_open, "a write of another agency waited for this agency's transaction"
        assert audit_verify().ok

    def test_two_writes_of_one_agency_take_turns(self, chains, agency, clerk, now):
        holder = Writer(agency, clerk, now, hold=True)
        follower = Writer(agency, clerk, now)

        committed_while_open = run_pair(holder, follower, lambda: follower.committed.wait(1.0))

        assert not committed_while_open, "two writes of one chain ran at the same time"
        sequence = list(
            AuditEvent.objects.filter(agency=agency, action="test.document.registered")
            .order_by("seq")
            .values_list("seq", flat=True)
        )
        assert len(sequence) == 2
        assert sequence[1] == sequence[0] + 1
        assert audit_verify().ok
