"""Crash safety of registration (issue 6, item 4): 1,000 arrived documents registered through the
API of the production server (gunicorn, 2 workers, PostgreSQL) by 6 concurrent clients, while the
test SIGKILLs a worker seven times, the master alone once and the whole server (master and workers)
once, every time with requests under way, and restarts what died.

After each kill, with the clients paused, and at the end: the incoming register holds the arrival
numbers 1…N exactly (no gap, no duplicate), every REGISTERED item has its number, date, register
entry, trace line and audit events, every other item is untouched, the audit chains verify, and
every registration the server acknowledged (HTTP 200 with its number) is stored with that number."""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from faultkit import Driver
from faultkit import Server
from faultkit import bearer_token
from faultkit import kill
from faultkit import percentile
from faultkit import production_environment
from faultkit import restart

from vanthu.audit.models import AuditEvent
from vanthu.audit.verification import audit_verify
from vanthu.core import clock
from vanthu.core.clock import vietnam_year
from vanthu.documents import events as document_events
from vanthu.documents.models import EntryStatus
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.models import RegisterScope
from vanthu.incoming import events as incoming_events
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.models import TraceEntry
from vanthu.incoming.models import TraceKind
from vanthu.incoming.tests.factories import paper_arrivals

pytestmark = [pytest.mark.postgres, pytest.mark.heavy]

DOCUMENTS = 1000
CLIENTS = 6
# (acknowledged registrations, what to SIGKILL): one worker (the master forks another), the master
# alone (its orphaned workers finish and exit), the whole server (master and workers at once).
KILLS = [
    (100, "worker"),
    (200, "worker"),
    (300, "worker"),
    (400, "master"),
    (500, "worker"),
    (600, "server"),
    (700, "worker"),
    (800, "worker"),
    (900, "worker"),
]


def _arrived(agency: Any, clerk: Any, document_type: Any, now: datetime) -> list[int]:
    del document_type  # the Công văn type, as paper_arrivals takes it
    return paper_arrivals(agency=agency, clerk=clerk, now=now, count=DOCUMENTS)


def registration_classifier(base_url: Any, token: str) -> Any:
    """A 200 with the number acknowledges. A retry of a request whose answer was lost finds the
    document registered (409: the action is not allowed any more): the client reads the document
    to learn its number, which counts as the acknowledgement."""

    def classify(pk: int, response: requests.Response, retried: bool) -> tuple[str, Any]:
        if response.status_code == 200:  # noqa: PLR2004
            body = response.json()
            if body["status"] == IncomingStatus.REGISTERED and body["arrival_number"]:
                return "ack", body
            return "registered without a number", None
        if response.status_code == 409 and retried:  # noqa: PLR2004
            details = response.json().get("details") or {}
            if details.get("status") == IncomingStatus.REGISTERED or "arrival_number" in details:
                read = requests.get(
                    f"{base_url()}/api/v1/incoming/{pk}/", headers={"Authorization": f"Bearer {token}"}, timeout=30
                )
                if read.status_code != 200:  # noqa: PLR2004
                    return "again", None  # the server went away meanwhile: ask again
                return "ack_retry", read.json()
        return "unexpected answer", None

    return classify


def check_incoming_register(agency: Any, year: int, acknowledged: dict[int, int]) -> dict[str, int]:
    """The invariants of the incoming register of ``agency`` in ``year``; the counts found."""
    register = Register.objects.filter(agency=agency, year=year, scope=RegisterScope.INCOMING).first()
    entries = list(RegisterEntry.objects.filter(register=register).values("pk", "number", "status", "document_id"))
    numbers = sorted(entry["number"] for entry in entries)
    assert numbers == list(range(1, len(numbers) + 1)), "the arrival numbers have a gap or a duplicate"
    assert all(entry["status"] == EntryStatus.USED for entry in entries)
    if register is not None:
        assert register.next_number == len(numbers) + 1
    by_pk = {entry["pk"]: entry for entry in entries}

    rows = list(
        Incoming.objects.filter(agency=agency).values(
            "pk", "status", "arrival_number", "arrival_at", "registered_by_id", "register_entry_id", "document_id"
        )
    )
    registered = [row for row in rows if row["status"] == IncomingStatus.REGISTERED]
    arrived = [row for row in rows if row["status"] == IncomingStatus.ARRIVED]
    assert len(registered) + len(arrived) == DOCUMENTS
    assert len(registered) == len(entries)
    for row in registered:
        entry = by_pk[row["register_entry_id"]]
        assert entry["number"] == row["arrival_number"]
        assert entry["document_id"] == row["document_id"]
        assert row["arrival_at"] is not None
        assert row["registered_by_id"] is not None
    for row in arrived:
        assert row["arrival_number"] is None
        assert row["register_entry_id"] is None
        assert row["arrival_at"] is None

    # One trace line and one audit event per registration; one allocation event per number.
    registered_ids = {row["pk"] for row in registered}
    traces = Counter(
        TraceEntry.objects.filter(incoming__agency=agency, kind=TraceKind.REGISTERED).values_list(
            "incoming_id", flat=True
        )
    )
    assert set(traces) == registered_ids
    assert set(traces.values()) <= {1}
    audited = Counter(
        int(target)
        for target in AuditEvent.objects.filter(action=incoming_events.INCOMING_REGISTERED, agency=agency).values_list(
            "target_id", flat=True
        )
    )
    assert set(audited) == registered_ids
    assert set(audited.values()) <= {1}
    allocations = AuditEvent.objects.filter(action=document_events.NUMBER_ALLOCATED, agency=agency).count()
    assert allocations == len(entries)
    report = audit_verify()
    assert report.ok, report.breaks

    # What the server acknowledged is stored with that very number.
    stored = {row["pk"]: row["arrival_number"] for row in registered}
    for pk, number in acknowledged.items():
        assert stored.get(pk) == number, f"acknowledged registration {pk} (number {number}) is not stored as such"
    return {"registered": len(registered), "arrived": len(arrived)}


def test_kills_during_1000_registrations_lose_nothing_acknowledged(
    processes: list[Any],
    clerk_account: Any,
    agency: Any,
    document_type: Any,
    tmp_path: Path,
    record_property: Any,
) -> None:
    started_at = time.monotonic()
    now = clock.now()
    year = vietnam_year(now)
    ids = _arrived(agency, clerk_account.person, document_type, now)
    server = Server(production_environment(tmp_path), tmp_path / "gunicorn.log")
    processes.append(server)
    server.start()
    server.wait_ready()
    token = bearer_token(
        server.url, username=clerk_account.username, password=clerk_account.password, otp_key=clerk_account.otp_key
    )
    driver = Driver(
        base_url=lambda: server.url,
        token=token,
        path=lambda pk: f"/api/v1/incoming/{pk}/actions/register/",
        payload={},
        ids=ids,
        threads=CLIENTS,
        classify=registration_classifier(lambda: server.url, token),
    )
    chance = random.Random(6)  # noqa: S311 - not for security
    kills: list[dict[str, Any]] = []
    load_started = time.monotonic()
    driver.start()
    try:
        for threshold, what in KILLS:
            while driver.done_count() < threshold + chance.randint(0, 20):
                assert not driver.outcome.unexpected, driver.outcome.unexpected[:5]
                time.sleep(0.005)
            interrupted = kill(server, driver, what, chance)
            acknowledged = _acknowledged_numbers(driver)
            counts = check_incoming_register(agency, year, acknowledged)
            committed = Incoming.objects.filter(pk__in=interrupted, status=IncomingStatus.REGISTERED).count()
            recovery = restart(server, driver, what)
            kills.append(
                {
                    "kill": what,
                    "after_acknowledged": len(acknowledged),
                    "interrupted_requests": len(interrupted),
                    "interrupted_but_committed": committed,
                    "registered_at_check": counts["registered"],
                    "recovery_seconds": round(recovery, 2),
                }
            )
        deadline = time.monotonic() + 600
        while not driver.finished():
            assert time.monotonic() < deadline, "the registrations did not finish"
            time.sleep(0.05)
    finally:
        driver.stop()
    load_seconds = time.monotonic() - load_started

    outcome = driver.outcome
    assert not outcome.unexpected, outcome.unexpected[:5]
    assert outcome.done() == DOCUMENTS
    assert sum(entry["interrupted_requests"] for entry in kills) > 0, "no kill landed during a request"
    counts = check_incoming_register(agency, year, _acknowledged_numbers(driver))
    assert counts == {"registered": DOCUMENTS, "arrived": 0}

    summary = {
        "registrations": DOCUMENTS,
        "acknowledged_200": len(outcome.acknowledged),
        "acknowledged_on_retry_409": len(outcome.acknowledged_on_retry),
        "interrupted_requests": len(outcome.interrupted),
        "kills": kills,
        "registrations_per_second": round(DOCUMENTS / load_seconds, 1),
        "latency_p50_ms": round(percentile(outcome.latencies, 0.5) * 1000),
        "latency_p95_ms": round(percentile(outcome.latencies, 0.95) * 1000),
        "test_seconds": round(time.monotonic() - started_at, 1),
    }
    record_property("faults_registration", summary)
    print(f"\nregistration kill test: {summary}")  # noqa: T201 - numbers for the report (-s)


def _acknowledged_numbers(driver: Driver) -> dict[int, int]:
    with driver.lock:
        numbers = {pk: int(body["arrival_number"]) for pk, body in driver.outcome.acknowledged.items()}
        numbers.update({pk: int(body["arrival_number"]) for pk, body in driver.outcome.acknowledged_on_retry.items()})
    return numbers
