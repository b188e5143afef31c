"""``vanthu verify-storage``: re-hash every stored file against its SHA-256.

Progress goes to stderr; missing and damaged files are named on stdout. Exit status 0 when every
file is intact, 1 otherwise (for cron and monitoring)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from vanthu.ops.services import storage_verify

PROGRESS_SECONDS = 2


class Command(BaseCommand):
    help = "Check every stored file against its SHA-256."

    def handle(self, *args: Any, **options: Any) -> None:
        shown = [0.0]

        def progress(checked: int, total: int) -> None:
            moment = time.monotonic()
            if moment - shown[0] >= PROGRESS_SECONDS or checked == total:
                shown[0] = moment
                self.stderr.write(f"{checked}/{total}")

        report = storage_verify(progress=progress)
        for sha256 in report.missing:
            self.stdout.write(f"MISSING {sha256}")
        for sha256 in report.corrupt:
            self.stdout.write(f"DAMAGED {sha256}")
        summary = _("Checked %(checked)d stored files (%(bytes)d bytes): %(missing)d missing, %(corrupt)d damaged.") % {
            "checked": report.checked,
            "bytes": report.bytes,
            "missing": len(report.missing),
            "corrupt": len(report.corrupt),
        }
        if report.ok:
            self.stdout.write(self.style.SUCCESS(summary))
            return
        self.stdout.write(self.style.ERROR(summary))
        raise SystemExit(1)
