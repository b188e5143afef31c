"""Bulk writing of generated rows: COPY on PostgreSQL (psycopg 3 ``cursor.copy``), ``executemany``
on SQLite, in batches; ids are handed out here (after the table's largest id) and the sequences
are moved past them at the end.

Rows are tuples in the order of the field names given to ``BulkWriter.table``; values are Python
values (aware datetimes, dates, booleans, ``None``, text; JSON as text already serialised)."""

from __future__ import annotations

import hashlib
import queue
import threading
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

from django.core.management.color import no_style
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Max

Row = tuple[Any, ...]
BATCH_ROWS = 20_000


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _hash_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return str(value)


@dataclass
class Table:
    model: type[models.Model]
    names: Sequence[str]
    columns: list[str]
    next_id: int
    rows: list[Row] = field(default_factory=list)
    written: int = 0

    @property
    def db_table(self) -> str:
        return self.model._meta.db_table

    def allocate(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value


class BulkWriter:
    """Buffers rows per table and writes them in batches on the connection's own transaction.

    ``digest`` is a SHA-256 over every row written (in order, per table), so two runs with the same
    seed and ``now`` can be compared without reading the database back; ``substitutions`` replaces
    values that are not the generator's (e.g. blob hashes, if a PDF library writes random ids)."""

    def __init__(
        self,
        connection: BaseDatabaseWrapper,
        *,
        dry_run: bool = False,
        hashing: bool = False,
        batch_rows: int = BATCH_ROWS,
    ):
        self.connection = connection
        self.hashing = hashing
        self.vendor = connection.vendor
        self.dry_run = dry_run
        self.batch_rows = batch_rows
        self.tables: dict[type[models.Model], Table] = {}
        self.digests: dict[str, Any] = {}
        self.substitutions: dict[Any, str] = {}
        self.on_flush: Callable[[Table, int], None] | None = None
        # PostgreSQL: a thread sends the batches while the generator makes the next ones.
        self._batches: queue.Queue[tuple[Table, list[Row]] | None] | None = None
        self._sender: threading.Thread | None = None
        self._error: BaseException | None = None

    # --- tables and ids ------------------------------------------------------------------------

    def table(self, model: type[models.Model], names: Sequence[str]) -> Table:
        meta = model._meta
        columns = [str(meta.get_field(name).column) for name in names]  # type: ignore[union-attr]
        pk = meta.pk
        start = 1
        if pk is not None and isinstance(pk, models.AutoField | models.BigAutoField) and not self.dry_run:
            start = (model._default_manager.aggregate(largest=Max("pk"))["largest"] or 0) + 1
        table = Table(model=model, names=names, columns=columns, next_id=start)
        self.tables[model] = table
        return table

    def add(self, table: Table, row: Row) -> None:
        table.rows.append(row)
        if len(table.rows) >= self.batch_rows:
            self.flush(table)

    # --- writing -------------------------------------------------------------------------------

    def flush(self, table: Table) -> None:
        rows, table.rows = table.rows, []
        if not rows:
            return
        if self.hashing:
            self._digest(table, rows)
        if not self.dry_run:
            if self.vendor == "postgresql":
                self._send(table, rows)
            else:
                self._executemany(table, rows)
        table.written += len(rows)
        if self.on_flush is not None:
            self.on_flush(table, len(rows))

    def flush_all(self) -> None:
        for table in self.tables.values():
            self.flush(table)

    def _digest(self, table: Table, rows: list[Row]) -> None:
        digest = self.digests.get(table.db_table)
        if digest is None:
            digest = self.digests[table.db_table] = hashlib.sha256()
        substitutions = self.substitutions
        for row in rows:
            digest.update("\t".join(substitutions.get(value, _hash_value(value)) for value in row).encode() + b"\n")

    def _send(self, table: Table, rows: list[Row]) -> None:
        if self._error is not None:
            raise self._error
        if self._batches is None:
            self.connection.ensure_connection()
            self._batches = queue.Queue(maxsize=4)
            raw = self.connection.connection
            self._sender = threading.Thread(target=self._copy_batches, args=(raw, self._batches), daemon=True)
            self._sender.start()
        self._batches.put((table, rows))

    def _copy_batches(self, raw: Any, batches: queue.Queue[tuple[Table, list[Row]] | None]) -> None:
        """The sending thread: COPY each batch on the connection of the caller's transaction (the
        caller does not use it meanwhile). After a failure, batches are taken and dropped."""
        quote = self.connection.ops.quote_name
        while (batch := batches.get()) is not None:
            if self._error is not None:
                continue
            table, rows = batch
            columns = ", ".join(quote(column) for column in table.columns)
            try:
                with (
                    raw.cursor() as cursor,
                    cursor.copy(f"COPY {quote(table.db_table)} ({columns}) FROM STDIN") as copy,
                ):
                    for row in rows:
                        copy.write_row(row)
            except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
                self._error = error

    def _join_sender(self) -> None:
        if self._batches is not None and self._sender is not None:
            self._batches.put(None)
            self._sender.join()
            self._batches, self._sender = None, None
        if self._error is not None:
            raise self._error

    def _executemany(self, table: Table, rows: list[Row]) -> None:
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(column) for column in table.columns)
        marks = ", ".join("?" for _ in table.columns)
        sql = f"INSERT INTO {quote(table.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from models
        raw = self.connection.connection
        raw.executemany(sql, [tuple(_sqlite_value(value) for value in row) for row in rows])

    def finish(self) -> None:
        """Write what is left and move every sequence past the ids handed out."""
        self.flush_all()
        self._join_sender()
        if self.dry_run:
            return
        statements = self.connection.ops.sequence_reset_sql(no_style(), [table.model for table in self.tables.values()])
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def content_hash(self) -> str:
        total = hashlib.sha256()
        for name in sorted(self.digests):
            total.update(name.encode() + b"=" + self.digests[name].hexdigest().encode() + b"\n")
        return total.hexdigest()

    def counts(self) -> dict[str, int]:
        return {table.db_table: table.written for table in self.tables.values()}
