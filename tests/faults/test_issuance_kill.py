"""Crash safety of issuance (issue 6, item 4): 30 signed documents of Sở Tài chính, each to 5
agencies of the province, issued through the API of the production server (gunicorn, 2 workers,
PostgreSQL): the number, the agency seal (PAdES, key on the server), the ISSUED version and the
deliveries with their incoming items at the recipients. The test SIGKILLs workers, the master
alone and the whole server while 3 clients issue, and retries what a kill interrupted.

Issuance is two transactions by design (``outgoing_issue``): the number is bound first (ISSUING),
then sealing and delivery commit together. After each kill and at the end: the outgoing register
holds 1…N exactly; every numbered document is ISSUING or ISSUED with that number; an ISSUING one
has neither an issued version nor a delivery; every ISSUED one has its issued version, one
delivery per recipient and an incoming item at each recipient, and one audit event; no delivery
exists for a document not issued; the audit chains verify; what was acknowledged is ISSUED."""

from __future__ import annotations

import random
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from django.test import override_settings
from faultkit import SEAL_SECRET
from faultkit import SEAL_SECRET_NAME
from faultkit import Driver
from faultkit import Server
from faultkit import bearer_token
from faultkit import kill
from faultkit import production_environment
from faultkit import restart

from vanthu.audit.models import AuditEvent
from vanthu.audit.verification import audit_verify
from vanthu.core import clock
from vanthu.core.clock import vietnam_year
from vanthu.documents.models import DocumentType
from vanthu.documents.models import DocumentVersion
from vanthu.documents.models import EntryStatus
from vanthu.documents.models import RegisterEntry
from vanthu.documents.models import RegisterScope
from vanthu.documents.models import TypeKind
from vanthu.documents.models import VersionKind
from vanthu.exchange.models import Delivery
from vanthu.incoming.models import Incoming
from vanthu.org.models import Role
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import person_with_role
from vanthu.outgoing import events as outgoing_events
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.tests.issuance_support import signed_outgoing
from vanthu.signing.services import certificate_register_for_agency
from vanthu.signing.services import signature_image_upload
from vanthu.signing.testing.pki import build_test_pki
from vanthu.signing.testing.pki import pkcs12_bytes
from vanthu.signing.tests import sessions_support

pytestmark = [pytest.mark.postgres, pytest.mark.heavy]

DOCUMENTS = 30
RECIPIENTS = 5
CLIENTS = 3
KILLS = [(4, "worker"), (9, "worker"), (14, "master"), (19, "server"), (24, "worker")]


def _seal_certificate(agency: Any, admin: Any, now: datetime) -> Any:
    pki = build_test_pki(now)
    sessions_support.add_trust_store(pki, now)
    data = pkcs12_bytes(pki.agency.cert, pki.agency.key, [pki.intermediate.cert], SEAL_SECRET.encode())
    with override_settings(VANTHU_SIGNING_KEY_SECRETS={SEAL_SECRET_NAME: SEAL_SECRET}):
        certificate = certificate_register_for_agency(
            agency=agency, data=data, actor=admin, now=now, key_secret_name=SEAL_SECRET_NAME
        )
    signature_image_upload(data=sessions_support.seal_png(), agency=agency, actor=admin, now=now)
    return certificate


def _decision_type() -> Any:
    found = DocumentType.objects.filter(code="QĐ", agency=None).first()
    return found or DocumentType.objects.create(
        code="QĐ", name="Quyết định", abbreviation="QĐ", kind=TypeKind.ADMINISTRATIVE
    )


def _classify(pk: int, response: requests.Response, retried: bool) -> tuple[str, Any]:
    """A 200 with the document ISSUED acknowledges (a retry of an issued one answers so too)."""
    if response.status_code == 200:  # noqa: PLR2004
        body = response.json()
        if body["status"] == OutgoingStatus.ISSUED:
            return "ack", body
        return "answered without issuing", None
    return "unexpected answer", None


def check_outgoing_register(
    agency: Any, year: int, recipients: set[int], acknowledged: dict[int, str]
) -> dict[str, int]:
    """The invariants of the outgoing register of ``agency`` in ``year``; the count of each status."""
    entries = list(
        RegisterEntry.objects.filter(
            register__agency=agency, register__year=year, register__scope=RegisterScope.OUTGOING
        ).values("pk", "number", "status", "document_id")
    )
    numbers = sorted(entry["number"] for entry in entries)
    assert numbers == list(range(1, len(numbers) + 1)), "the outgoing numbers have a gap or a duplicate"
    assert all(entry["status"] == EntryStatus.USED for entry in entries)
    entry_of = {entry["document_id"]: entry for entry in entries}

    counts = {"SIGNED": 0, "ISSUING": 0, "ISSUED": 0}
    for outgoing in Outgoing.objects.filter(agency=agency).select_related("document"):
        document = outgoing.document
        deliveries = list(Delivery.objects.filter(document=document))
        issued_versions = DocumentVersion.objects.filter(document=document, kind=VersionKind.ISSUED).count()
        issued_events = AuditEvent.objects.filter(
            action=outgoing_events.OUTGOING_ISSUED, target_id=str(outgoing.pk), agency=agency
        ).count()
        counts[outgoing.status] += 1
        if outgoing.status == OutgoingStatus.SIGNED:
            assert (document.pk in entry_of, document.number, outgoing.register_entry_id) == (False, None, None)
            assert (len(deliveries), issued_versions, issued_events) == (0, 0, 0)
            continue
        assert outgoing.status in (OutgoingStatus.ISSUING, OutgoingStatus.ISSUED), outgoing.status
        entry = entry_of[document.pk]
        assert (outgoing.register_entry_id, document.number) == (entry["pk"], entry["number"])
        assert document.issued_date is not None
        if outgoing.status == OutgoingStatus.ISSUING:
            assert (len(deliveries), issued_versions, issued_events) == (0, 0, 0), "half-issued document"
            continue
        assert (issued_versions, issued_events) == (1, 1)
        assert outgoing.issued_at is not None
        assert sorted(delivery.recipient_agency_id for delivery in deliveries) == sorted(recipients)
        arrived = Incoming.objects.filter(delivery__in=deliveries)
        assert sorted(arrived.values_list("agency_id", flat=True)) == sorted(recipients)
    assert counts["ISSUING"] + counts["ISSUED"] == len(entries)
    assert (
        not Delivery.objects.filter(sender_agency=agency)
        .exclude(document__outgoing__status=OutgoingStatus.ISSUED)
        .exists()
    ), "a delivery of a document that is not issued"
    report = audit_verify()
    assert report.ok, report.breaks
    for pk, number_symbol in acknowledged.items():
        outgoing = Outgoing.objects.select_related("document").get(pk=pk)
        assert outgoing.status == OutgoingStatus.ISSUED
        assert outgoing.document.number_symbol == number_symbol
    return counts


def test_kills_during_issuance_leave_no_half_issued_document(
    processes: list[Any],
    clerk_account: Any,
    agency: Any,
    province: Any,
    admin: Any,
    officer: Any,
    now: datetime,
    tmp_path: Path,
    record_property: Any,
) -> None:
    started_at = time.monotonic()
    year = vietnam_year(clock.now())  # the server numbers in the year of the real clock
    certificate = _seal_certificate(agency, admin, now)
    recipients = [
        AgencyFactory(name=f"Sở thứ {index + 1}", abbreviation=f"S{index + 1}", parent=province)
        for index in range(RECIPIENTS)
    ]
    for recipient in recipients:
        person_with_role(Role.CLERK, recipient)
    document_type = _decision_type()
    ids = [
        signed_outgoing(
            agency=agency,
            drafter=officer,
            now=now,
            recipients=recipients,
            document_type=document_type,
            subject=f"Về việc giao dự toán ngân sách năm 2027, đợt {index + 1}",
        ).pk
        for index in range(DOCUMENTS)
    ]
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
        path=lambda pk: f"/api/v1/outgoing/{pk}/actions/issue/",
        payload={"certificate": certificate.pk},
        ids=ids,
        threads=CLIENTS,
        classify=_classify,
    )
    chance = random.Random(30)  # noqa: S311 - not for security
    recipient_ids = {recipient.pk for recipient in recipients}
    kills: list[dict[str, Any]] = []
    load_started = time.monotonic()
    driver.start()
    try:
        for threshold, what in KILLS:
            while driver.done_count() < threshold:
                assert not driver.outcome.unexpected, driver.outcome.unexpected[:5]
                time.sleep(0.005)
            time.sleep(chance.uniform(0, 0.5))  # somewhere inside the next issuances
            interrupted = kill(server, driver, what, chance)
            counts = check_outgoing_register(agency, year, recipient_ids, _acknowledged(driver))
            recovery = restart(server, driver, what)
            kills.append(
                {
                    "kill": what,
                    "after_acknowledged": driver.done_count(),
                    "interrupted_requests": len(interrupted),
                    "issuing_at_check": counts["ISSUING"],
                    "issued_at_check": counts["ISSUED"],
                    "recovery_seconds": round(recovery, 2),
                }
            )
        deadline = time.monotonic() + 600
        while not driver.finished():
            assert time.monotonic() < deadline, "the issuances did not finish"
            time.sleep(0.05)
    finally:
        driver.stop()
    load_seconds = time.monotonic() - load_started

    outcome = driver.outcome
    assert not outcome.unexpected, outcome.unexpected[:5]
    assert outcome.done() == DOCUMENTS
    assert sum(entry["interrupted_requests"] for entry in kills) > 0, "no kill landed during a request"
    counts = check_outgoing_register(agency, year, recipient_ids, _acknowledged(driver))
    assert counts == {"SIGNED": 0, "ISSUING": 0, "ISSUED": DOCUMENTS}
    summary = {
        "documents": DOCUMENTS,
        "recipients_each": RECIPIENTS,
        "interrupted_requests": len(outcome.interrupted),
        "kills": kills,
        "issuances_per_second": round(DOCUMENTS / load_seconds, 2),
        "test_seconds": round(time.monotonic() - started_at, 1),
    }
    record_property("faults_issuance", summary)
    print(f"\nissuance kill test: {summary}")  # noqa: T201 - numbers for the report (-s)


def _acknowledged(driver: Driver) -> dict[int, str]:
    with driver.lock:
        return {pk: str(body["number_symbol"]) for pk, body in driver.outcome.acknowledged.items()}
