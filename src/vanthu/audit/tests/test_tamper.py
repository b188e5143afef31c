"""`vanthu audit verify` names the row an intruder altered behind the application's back."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from vanthu.audit import services as audit
from vanthu.audit.models import AuditChainHead
from vanthu.audit.models import AuditEvent
from vanthu.audit.tests.tamper import tamper
from vanthu.audit.verification import audit_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(agency: Any, other_agency: Any, clerk: Any, other_officer: Any, now: Any) -> dict[str, list[AuditEvent]]:
    """Four events of the agency and two of the other agency."""
    events: dict[str, list[AuditEvent]] = {"agency": [], "other": []}
    for minute in range(4):
        events["agency"].append(
            audit.record(
                action="test.document.registered",
                actor=clerk,
                agency=agency,
                now=now + timedelta(minutes=minute),
                data={"number": minute + 1},
            )
        )
    for minute in range(2):
        events["other"].append(
            audit.record(
                action="test.document.registered",
                actor=other_officer,
                agency=other_agency,
                now=now + timedelta(minutes=minute),
                data={"number": minute + 1},
            )
        )
    return events


def run_verify() -> tuple[int, str]:
    """The command's exit status and output, in English whatever the catalogue holds."""
    output = io.StringIO()
    try:
        with translation.override("en"):
            call_command("audit_verify", stdout=output)
    except SystemExit as exit_:
        return int(exit_.code or 0), output.getvalue()
    return 0, output.getvalue()


class TestTamperedData:
    def test_names_the_row_whose_data_was_changed(self, log):
        victim = log["agency"][1]
        tamper("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"number": 99}', victim.pk])

        report = audit_verify()

        assert not report.ok
        assert len(report.breaks) == 1
        chain_break = report.breaks[0]
        assert (chain_break.event_id, chain_break.chain, chain_break.seq) == (victim.pk, victim.chain, 2)
        assert chain_break.reason == "content does not match its hash"

    def test_names_the_row_whose_action_was_changed(self, log):
        victim = log["other"][0]
        tamper("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["test.document.deleted", victim.pk])

        assert [b.event_id for b in audit_verify().breaks] == [victim.pk]

    def test_a_rehashed_row_breaks_the_link_to_the_next(self, log):
        from vanthu.audit.chain import link_hash
        from vanthu.audit.services import event_content

        victim = AuditEvent.objects.get(pk=log["agency"][1].pk)
        victim.data = {"number": 99}
        forged = link_hash(victim.prev_hash, event_content(victim))
        tamper("UPDATE audit_auditevent SET data = %s, hash = %s WHERE id = %s", ['{"number": 99}', forged, victim.pk])

        chain_break = audit_verify().breaks[0]

        assert chain_break.event_id == log["agency"][2].pk
        assert chain_break.reason == "link to the previous event is broken"

    def test_a_deleted_row_leaves_a_gap_that_is_named(self, log):
        tamper("DELETE FROM audit_auditevent WHERE id = %s", [log["agency"][1].pk])

        chain_break = audit_verify().breaks[0]

        assert (chain_break.event_id, chain_break.seq) == (log["agency"][2].pk, 3)
        assert "missing" in chain_break.reason

    def test_a_deleted_last_row_is_caught_by_the_chain_head(self, log):
        tamper("DELETE FROM audit_auditevent WHERE id = %s", [log["agency"][3].pk])

        chain_break = audit_verify().breaks[0]

        assert (chain_break.chain, chain_break.event_id, chain_break.seq) == (log["agency"][3].chain, None, 4)

    def test_a_whole_chain_deleted_is_caught_by_its_head(self, log):
        tamper("DELETE FROM audit_auditevent WHERE chain = %s", [log["other"][0].chain])

        assert [b.chain for b in audit_verify().breaks] == [log["other"][0].chain]

    def test_a_head_moved_back_is_caught(self, log):
        AuditChainHead.objects.filter(chain=log["agency"][0].chain).update(seq=2, hash=log["agency"][1].hash)

        assert [b.chain for b in audit_verify().breaks] == [log["agency"][0].chain]

    def test_every_damaged_chain_is_reported(self, log):
        tamper("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"number": 0}', log["agency"][0].pk])
        tamper("UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", ["Người khác", log["other"][1].pk])

        assert {b.event_id for b in audit_verify().breaks} == {log["agency"][0].pk, log["other"][1].pk}


class TestAuditVerifyCommand:
    def test_passes_on_a_clean_log(self, log):
        status, output = run_verify()

        assert status == 0
        assert "2 chain(s), 6 event(s)" in output

    def test_fails_and_prints_the_tampered_row(self, log):
        victim = log["agency"][2]
        tamper("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"number": 1000}', victim.pk])

        status, output = run_verify()

        assert status == 1
        assert f"chain={victim.chain} event_id={victim.pk} seq=3" in output
        assert "content does not match its hash" in output
        assert output.count("BROKEN chain=") == 1

    def test_the_vanthu_command_returns_the_exit_status(self, log):
        from vanthu.cli import main

        tamper("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"number": 7}', log["agency"][0].pk])

        assert main(["audit", "verify"]) == 1
