"""The restore drill (issue 6): back up a populated installation while a clerk keeps registering
documents, restore into an empty database and an empty folder, and check that the restored
installation is exactly the snapshot's view — every document, audit event, register number and
file hash as they were, registrations made after the snapshot absent, nothing half-written.

Everything runs through the ``vanthu`` command in separate processes (demo province, writer,
backup, restore, verify-storage, audit verify). On PostgreSQL the installations get databases of
their own on the test server; on SQLite, files in their own folders."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

import pytest

from vanthu.ops.tests.backup_drill_support import Installation
from vanthu.ops.tests.backup_drill_support import fresh_installation
from vanthu.ops.tests.backup_drill_support import logged
from vanthu.ops.tests.backup_drill_support import ok
from vanthu.ops.tests.backup_drill_support import wait_for

pytestmark = [pytest.mark.heavy, pytest.mark.sqlite_heavy]

RESTORE_ACTION = "ops.restore.completed"
AUDIT_COLUMNS = (
    "id, chain, seq, prev_hash, hash, occurred_at, actor_id, actor_name, agency_id, action, "
    "target_type, target_id, target_label, client_address"
)
DOCUMENT_COLUMNS = (
    "id, direction, agency_id, document_type_id, number, symbol, subject, issuer_name, issued_date, origin, "
    "identifier, current_version_id, created_by_id"
)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def audit_chains(installation: Installation) -> dict[str, list[tuple[Any, ...]]]:
    chains: dict[str, list[tuple[Any, ...]]] = {}
    for row in installation.rows(f"SELECT {AUDIT_COLUMNS} FROM audit_auditevent ORDER BY chain, seq"):  # noqa: S608
        chains.setdefault(str(row[1]), []).append(row)
    return chains


@pytest.fixture
def drill(tmp_path: Path) -> Any:
    destinations = [tmp_path / "backup-local", tmp_path / "backup-second"]
    installations: list[Installation] = []

    def make(name: str) -> Installation:
        installation = fresh_installation(tmp_path / name, destinations)
        installations.append(installation)
        return installation

    yield make, destinations
    for installation in installations:
        installation.drop()


def test_a_backup_taken_while_clerks_register_restores_exactly_its_snapshot(drill: Any, tmp_path: Path) -> None:  # noqa: PLR0915 - one scenario, checked from every side
    make, destinations = drill
    source = make("source")
    source.extra_env["VANTHU_DEMO"] = "1"
    ok(source.run("demo", "--no-serve"))  # migrate and load the demo province through the services

    # A clerk keeps receiving and registering documents during the backup.
    stop, log = tmp_path / "stop", tmp_path / "registrations.log"
    writer = source.start("-m", "vanthu.ops.tests.backup_drill_support", "write", str(stop), str(log))
    try:
        before_backup = wait_for(log, 5, writer=writer)
        started = time.monotonic()
        backup = source.run("backup")
        backup_seconds = time.monotonic() - started
        after_backup = len(logged(log))
        wait_for(log, after_backup + 5, writer=writer)  # and keeps going after it
    finally:
        stop.touch()
        writer.communicate(timeout=120)  # closes its pipes too
    ok(backup)
    registrations = logged(log)

    snapshots = sorted(path.name for path in (destinations[0] / "snapshots").iterdir())
    assert len(snapshots) == 1
    snapshot = snapshots[0]
    manifest = json.loads((destinations[0] / "snapshots" / snapshot / "manifest.json").read_text())
    for folder in destinations:  # two independent, complete copies
        assert (folder / "snapshots" / snapshot / "COMPLETE").exists()
        for sha256, size in manifest["blobs"]:
            copy = folder / "blobs" / sha256[:2] / sha256[2:4] / sha256
            assert copy.stat().st_size == size
            assert sha256_of(copy) == sha256

    # Restore into an empty database and an empty folder, then check it as an operator would.
    target = make("restored")
    restored_output = ok(target.run("restore"))
    assert snapshot in restored_output
    ok(target.run("verify-storage"))
    ok(target.run("audit", "verify"))
    refused = target.run("restore")
    assert refused.returncode == 1  # never over an installation that holds data

    # Every audit chain is the source's chain cut at the snapshot (the restore adds its own event).
    source_chains, target_chains = audit_chains(source), audit_chains(target)
    restore_events = [row for rows in target_chains.values() for row in rows if row[9] == RESTORE_ACTION]
    assert len(restore_events) == 1
    for chain, rows in target_chains.items():
        kept = [row for row in rows if row[9] != RESTORE_ACTION]
        assert kept == source_chains[chain][: len(kept)], chain
    assert sum(len(rows) for rows in target_chains.values()) - 1 == manifest["counts"]["audit.AuditEvent"]

    # The writer's registrations: those committed before the backup began are there, those after it
    # ended are not, and what is there is a prefix of the order they were committed in.
    arrival = dict(
        target.rows("SELECT id, arrival_number FROM incoming_incoming WHERE arrival_number IS NOT NULL")  # noqa: S608
    )
    present = [entry for entry in registrations if entry[0] in arrival]
    assert present == registrations[: len(present)]
    assert before_backup <= len(present) <= after_backup
    assert len(present) < len(registrations)  # writes after the snapshot are absent
    for incoming_id, _document_id, number in present:
        assert arrival[incoming_id] == number

    # Register numbers: the same entries, numbers and documents as the source, gap-free per register.
    entry_sql = "SELECT id, register_id, number, document_id FROM documents_registerentry ORDER BY id"
    target_entries, source_entries = target.rows(entry_sql), {row[0]: row for row in source.rows(entry_sql)}
    assert target_entries
    for row in target_entries:
        assert source_entries[row[0]] == row
    by_register: dict[Any, list[int]] = {}
    for _id, register_id, number, _document in target_entries:
        by_register.setdefault(register_id, []).append(int(number))
    for register_id, numbers in by_register.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), register_id

    # Documents: each restored one as in the source; those received after the snapshot absent.
    document_sql = f"SELECT {DOCUMENT_COLUMNS} FROM documents_document ORDER BY id"  # noqa: S608
    target_documents = target.rows(document_sql)
    source_documents = {row[0]: row for row in source.rows(document_sql)}
    for row in target_documents:
        assert source_documents[row[0]] == row
    assert len(target_documents) == manifest["counts"]["documents.Document"] < len(source_documents)

    # Nothing half-written: a restored registration has its entry and its audit event, and every
    # restored document of the writer has its file.
    registered_events = {
        int(row[0])
        for row in target.rows(
            "SELECT target_id FROM audit_auditevent WHERE action = 'incoming.document.registered'"  # noqa: S608
        )
    }
    assert {entry[0] for entry in present} <= registered_events
    target_entry_documents = {row[3] for row in target_entries}
    assert {entry[1] for entry in present} <= target_entry_documents

    # Files: the restored Blob rows are the manifest's, each file in the restored folder hashes to
    # its name and equals the source's bytes; files stored after the snapshot are absent.
    target_blobs = sorted([str(sha), int(size)] for sha, size in target.rows("SELECT sha256, size FROM core_blob"))
    assert target_blobs == manifest["blobs"]
    for sha256, _size in target_blobs:
        restored = target.blobs / sha256[:2] / sha256[2:4] / sha256
        assert sha256_of(restored) == sha256
        assert restored.read_bytes() == (source.blobs / sha256[:2] / sha256[2:4] / sha256).read_bytes()
    source_blob_count = source.rows("SELECT COUNT(*) FROM core_blob")[0][0]
    assert len(target_blobs) < source_blob_count

    # The backup run that made the snapshot is recorded as finished in the restored installation.
    assert target.rows(f"SELECT status FROM ops_backuprun WHERE snapshot = '{snapshot}'") == [("SUCCEEDED",)]  # noqa: S608
    print(  # noqa: T201 - the drill's numbers, for the report (-s)
        f"\nrestore drill: {len(registrations)} registrations during the drill, {len(present)} in the snapshot; "
        f"{len(target_documents)} documents, {len(target_blobs)} files, "
        f"{manifest['counts']['audit.AuditEvent']} audit events; backup {backup_seconds:.1f} s"
    )
