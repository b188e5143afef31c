"""Dumping and restoring the database consistently while people keep working.

- PostgreSQL: a REPEATABLE READ transaction exports its snapshot; ``pg_dump --snapshot`` dumps
  exactly that view (custom format), and the blob list, migration state and row counts are read
  inside the same transaction, so the manifest describes the dump and nothing else.
- SQLite: the online backup API copies the database in one step (a read transaction: writers go
  on in WAL mode); the blob list and counts are then read from the copy.

Restores go into an EMPTY database only (``pg_restore --single-transaction``, or the backup API
in the other direction)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connections

from vanthu.core.models import Blob

# Rows counted in every manifest, and compared after a restore.
COUNTED_MODELS = (
    "org.Agency",
    "org.Person",
    "core.Blob",
    "documents.Document",
    "documents.DocumentFile",
    "documents.RegisterEntry",
    "outgoing.Outgoing",
    "incoming.Incoming",
    "exchange.Delivery",
    "audit.AuditEvent",
    "audit.AuditChainHead",
)
PG_DUMP_FILE = "database.pgdump"
SQLITE_FILE = "database.sqlite3"


class DatabaseToolError(Exception):
    """pg_dump or pg_restore failed (its message is in the exception)."""


@dataclass
class DatabaseSnapshot:
    vendor: str
    path: Path
    file_name: str
    migrations: list[list[str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    blobs: list[list[Any]] = field(default_factory=list)


def counted_tables() -> dict[str, str]:
    """Model label → table, for the counted models installed here."""
    tables = {}
    for label in COUNTED_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        tables[label] = model._meta.db_table
    return tables


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_state(cursor: Any) -> tuple[list[list[str]], dict[str, int], list[list[Any]]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations = [[str(app), str(name)] for app, name in cursor.fetchall()]
    counts: dict[str, int] = {}
    for label, table in counted_tables().items():
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - table names come from the models
        counts[label] = int(cursor.fetchone()[0])
    cursor.execute(f"SELECT sha256, size FROM {_quote(Blob._meta.db_table)} ORDER BY sha256")  # noqa: S608
    blobs = [[str(sha256), int(size)] for sha256, size in cursor.fetchall()]
    return migrations, counts, blobs


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_settings(alias: str) -> dict[str, Any]:
    return dict(connections[alias].settings_dict)


def pg_environment(alias: str) -> dict[str, str]:
    """libpq's variables for pg_dump/pg_restore: the password never appears on a command line."""
    settings_dict = _pg_settings(alias)
    environment = dict(os.environ)
    mapping = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD", "NAME": "PGDATABASE"}
    for key, variable in mapping.items():
        value = settings_dict.get(key)
        if value:
            environment[variable] = str(value)
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "service": "PGSERVICE"}.items():
        if options.get(option):
            environment[variable] = str(options[option])
    return environment


def _pg_connect(alias: str) -> Any:
    import psycopg

    settings_dict = _pg_settings(alias)
    params: dict[str, Any] = {"dbname": settings_dict["NAME"]}
    for key, name in {"USER": "user", "PASSWORD": "password", "HOST": "host", "PORT": "port"}.items():
        if settings_dict.get(key):
            params[name] = settings_dict[key]
    for option in ("sslmode", "sslrootcert", "service"):
        if (settings_dict.get("OPTIONS") or {}).get(option):
            params[option] = settings_dict["OPTIONS"][option]
    return psycopg.connect(**params)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise DatabaseToolError(f"{name} is not installed (Debian package postgresql-client)")
    return found


def _run(command: list[str], environment: dict[str, str]) -> None:
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise DatabaseToolError(
            f"{Path(command[0]).name} exited with {completed.returncode}: {completed.stderr[-2000:]}"
        )


def _pg_snapshot(alias: str, work_dir: Path) -> DatabaseSnapshot:
    path = work_dir / PG_DUMP_FILE
    connection = _pg_connect(alias)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = str(cursor.fetchone()[0])
            # pg_dump reads the exported snapshot while this transaction stays open.
            _run(
                [_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot_id}", f"--file={path}", "--no-password"],
                pg_environment(alias),
            )
            migrations, counts, blobs = _read_state(cursor)
        connection.rollback()
    finally:
        connection.close()
    return DatabaseSnapshot("postgresql", path, PG_DUMP_FILE, migrations, counts, blobs)


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_snapshot(alias: str, work_dir: Path) -> DatabaseSnapshot:
    path = work_dir / SQLITE_FILE
    connection = connections[alias]
    if connection.in_atomic_block:
        # The backup API cannot read a database its own connection is writing (it would wait
        # for ever): a backup is taken from outside any transaction.
        raise DatabaseToolError("the SQLite backup must run outside a transaction")
    connection.ensure_connection()
    source = connection.connection
    target = sqlite3.connect(path)
    try:
        source.backup(target)  # one step: a consistent copy; writers go on (WAL)
    finally:
        target.close()
    copy = sqlite3.connect(path)
    try:
        cursor = copy.cursor()
        # The copy keeps the source's WAL mode in its header; make it one self-contained file.
        cursor.execute("PRAGMA journal_mode=DELETE")
        migrations, counts, blobs = _read_state(cursor)
    finally:
        copy.close()
    return DatabaseSnapshot("sqlite", path, SQLITE_FILE, migrations, counts, blobs)


def database_snapshot(*, work_dir: Path, alias: str = "default") -> DatabaseSnapshot:
    vendor = connections[alias].vendor
    if vendor == "postgresql":
        return _pg_snapshot(alias, work_dir)
    if vendor == "sqlite":
        return _sqlite_snapshot(alias, work_dir)
    raise DatabaseToolError(f"backups of {vendor} databases are not supported")


# --- restore --------------------------------------------------------------------------------


def database_vendor(alias: str = "default") -> str:
    return str(connections[alias].vendor)


def database_tables(alias: str = "default") -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return list(connection.introspection.table_names(cursor))


def database_restore(*, dump: Path, vendor: str, alias: str = "default") -> None:
    """Load ``dump`` into the (empty) database ``alias``: all of it or nothing on PostgreSQL."""
    connection = connections[alias]
    if vendor == "postgresql":
        connection.close()
        _run(
            [
                _tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--no-password",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dump),
            ],
            pg_environment(alias),
        )
        return
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()  # the next query reopens it with the settings' pragmas (WAL, foreign keys)


def database_counts(alias: str = "default") -> tuple[list[list[str]], dict[str, int], list[list[Any]]]:
    """The state of the live database, read the way a manifest is (after a restore)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        return _read_state(cursor)
