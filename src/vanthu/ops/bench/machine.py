"""What the numbers were measured on: the machine, the database and how much data it holds."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import django
from django.db import connection


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return 0.0


def commit_current() -> str:
    """The work tree's commit (read when the run starts: the code it imported)."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - the developer's git
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
            cwd=Path(__file__).resolve().parent,
        )
    except OSError:
        return ""
    return result.stdout.strip()


def _database() -> dict[str, Any]:
    vendor = connection.vendor
    info: dict[str, Any] = {"vendor": vendor, "sqlite_version": sqlite3.sqlite_version}
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SELECT version(), pg_database_size(current_database()), current_database()")
            version, size, name = cursor.fetchone()
            info |= {"version": str(version).split(" on ")[0], "size_bytes": int(size), "name": name}
        else:
            name = str(connection.settings_dict["NAME"])
            size = sum(Path(name + suffix).stat().st_size for suffix in ("", "-wal") if Path(name + suffix).exists())
            info |= {"version": f"SQLite {sqlite3.sqlite_version}", "size_bytes": size, "name": Path(name).name}
    return info


def _counts() -> dict[str, int]:
    from vanthu.audit.models import AuditEvent
    from vanthu.documents.models import Document
    from vanthu.incoming.models import Incoming
    from vanthu.org.models import Agency
    from vanthu.org.models import Person
    from vanthu.outgoing.models import Outgoing

    return {
        "documents": Document.objects.count(),
        "outgoing": Outgoing.objects.count(),
        "incoming": Incoming.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "agencies": Agency.objects.count(),
        "people": Person.objects.count(),
    }


def machine_describe(*, now: datetime, commit: str = "") -> dict[str, Any]:
    return {
        "date": now.isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count() or 0,
        "memory_gib": _memory_gib(),
        # Other work on the machine skews the numbers: the load average when the run ended.
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "commit": commit or commit_current(),
        "database": _database(),
        "counts": _counts(),
    }
