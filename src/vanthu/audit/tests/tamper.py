"""Altering the audit log "behind the application's back", as an intruder with database access
would: switch the append-only triggers off, change rows, switch them on again."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

_triggers = importlib.import_module("vanthu.audit.migrations.0002_append_only_triggers")


@contextmanager
def triggers_off() -> Iterator[Any]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
            else:
                for statement in _triggers.SQLITE_FORWARD:
                    if statement.lstrip().startswith("CREATE TRIGGER"):
                        cursor.execute(statement)


def tamper(sql: str, params: list[Any]) -> None:
    with triggers_off() as cursor:
        cursor.execute(sql, params)


def close_reset_permit() -> None:
    """On SQLite a DELETE is let through while ``audit_reset_permit`` holds a row (the test
    runner's reset); make sure this test sees the production behaviour."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_reset_permit")
