"""Support of the backup and restore tests: whole installations in their own folders and
databases (a fresh PostgreSQL database when the tests run on PostgreSQL, else an SQLite file),
driven through the ``vanthu`` command in subprocesses, as an operator would.

Run as a module it is the drill's writer: a clerk of UBND tỉnh keeps receiving documents (each
with a file of its own) and registering them until a stop file appears, logging each
registration once committed::

    python -m vanthu.ops.tests.backup_drill_support write <stop file> <log file>
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.parse import urlunparse

WRITER_CLERK = "vanthu.ubnd"


def _test_server_url() -> str | None:
    return os.environ.get("VANTHU_TEST_DATABASE_URL") or None


def _pg_admin_connection() -> Any:
    import psycopg

    parsed = urlparse(_test_server_url() or "")
    return psycopg.connect(
        dbname="postgres",
        user=parsed.username or None,
        password=parsed.password or None,
        host=parsed.hostname or None,
        port=parsed.port or None,
        autocommit=True,
    )


@dataclass
class Installation:
    """One Vanthu installation: a data folder, a database, its backup destinations."""

    root: Path
    destinations: Sequence[Path]
    database_name: str | None = None  # PostgreSQL; None: SQLite in the data folder
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def database_url(self) -> str | None:
        if self.database_name is None:
            return None
        parsed = urlparse(_test_server_url() or "")
        return urlunparse(parsed._replace(path=f"/{self.database_name}"))

    @property
    def blobs(self) -> Path:
        return self.root / "blobs"

    @property
    def sqlite_path(self) -> Path:
        return self.root / "vanthu.sqlite3"

    def env(self) -> dict[str, str]:
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("VANTHU_") and key != "DJANGO_SETTINGS_MODULE"
        }
        environment.update(
            {
                "DJANGO_SETTINGS_MODULE": "vanthu.config.settings.embedded",
                "VANTHU_DATA_DIR": str(self.root),
                "VANTHU_BACKUP_DESTINATIONS": ",".join(folder.as_uri() for folder in self.destinations),
                "VANTHU_SECRET_KEY": "drill-only-not-a-secret",
                "PYTHONWARNINGS": "ignore",
            }
        )
        if self.database_url:
            environment["VANTHU_DATABASE_URL"] = self.database_url
        environment.update(self.extra_env)
        return environment

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "vanthu.cli", *args]

    def run(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own command
            self.command(*args), env=self.env(), capture_output=True, text=True, timeout=timeout, check=False
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(  # noqa: S603 - our own module
            [sys.executable, *args], env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def connect(self) -> Any:
        """A DB-API connection to this installation's database (rows as tuples)."""
        if self.database_name is None:
            return sqlite3.connect(self.sqlite_path)
        import psycopg

        return psycopg.connect(self.database_url or "", autocommit=True)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        connection = self.connect()
        try:
            cursor = connection.cursor()
            cursor.execute(sql)
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            connection.close()

    def count(self, table: str) -> int:
        """Rows of ``table``; 0 when the table does not exist (nothing was restored)."""
        try:
            return int(self.rows(f'SELECT COUNT(*) FROM "{table}"')[0][0])  # noqa: S608 - a test's own table name
        except Exception:  # noqa: BLE001 - sqlite3 and psycopg each raise their own "no such table"
            return 0

    def drop(self) -> None:
        if self.database_name is None:
            return
        with _pg_admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')


def fresh_installation(root: Path, destinations: Sequence[Path]) -> Installation:
    """An installation with an empty database and an empty file storage."""
    root.mkdir(parents=True, exist_ok=True)
    if _test_server_url() is None:
        return Installation(root=root, destinations=destinations)
    name = f"vanthu_drill_{uuid.uuid4().hex[:12]}"
    with _pg_admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return Installation(root=root, destinations=destinations, database_name=name)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    """The output of a command that must have succeeded (else its output, for the failure)."""
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


# --- the writer (runs in its own process) ----------------------------------------------------


def _write(stop_file: Path, log_file: Path) -> None:
    import django

    django.setup()
    import io

    from vanthu.core import clock
    from vanthu.documents.models import DocumentType
    from vanthu.documents.uploads import Upload
    from vanthu.incoming.services.receipt import incoming_receive_electronic
    from vanthu.incoming.services.registration import incoming_register
    from vanthu.org.models import Person
    from vanthu.signing.testing.pdfs import decision_pdf

    clerk = Person.objects.get(username=WRITER_CLERK)
    agency = clerk.roles.get(role="CLERK").agency
    document_type = DocumentType.objects.get(code="CONG_VAN", agency=None)
    base = decision_pdf(pages=1)
    index = 0
    with open(log_file, "a", encoding="utf-8") as log:
        while not stop_file.exists():
            index += 1
            unique = base + f"\n% drill {index} {uuid.uuid4().hex}\n".encode()
            incoming = incoming_receive_electronic(
                agency=agency,
                main=Upload(name=f"cong-van-{index}.pdf", content=io.BytesIO(unique)),
                actor=clerk,
                now=clock.now(),
                document_type=document_type,
                subject=f"V/v diễn tập sao lưu, văn bản số {index}",
                number=index,
                symbol="DT-SL",
                issuer_name="Bộ Khoa học và Công nghệ",
            )
            registered = incoming_register(incoming=incoming, actor=clerk, now=clock.now())
            log.write(f"{registered.pk} {registered.document_id} {registered.arrival_number}\n")
            log.flush()
            time.sleep(0.02)


def logged(log_file: Path) -> list[tuple[int, int, int]]:
    """(incoming id, document id, arrival number) of each registration the writer committed."""
    if not log_file.exists():
        return []
    lines = [line.split() for line in log_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(int(a), int(b), int(c)) for a, b, c in lines]


def wait_for(log_file: Path, count: int, *, writer: subprocess.Popen[str], timeout: float = 300) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = len(logged(log_file))
        if done >= count:
            return done
        if writer.poll() is not None:
            raise AssertionError(f"the writer stopped: {writer.stderr.read() if writer.stderr else ''}")
        time.sleep(0.1)
    raise AssertionError(f"the writer made fewer than {count} registrations in {timeout} s")


if __name__ == "__main__":
    if sys.argv[1:2] == ["write"]:
        _write(Path(sys.argv[2]), Path(sys.argv[3]))
