"""``vanthu backup``: back up the database and every stored file to the configured destinations
(VANTHU_BACKUP_DESTINATIONS), verify what was written and apply the retention.

``--list`` shows the snapshots of each destination; ``--verify`` re-checks the last backup
(``--full``: re-hashing every file). Exit status 0 when every destination succeeded, 1 otherwise."""

from __future__ import annotations

from typing import Any
from typing import NoReturn

from django.core.management.base import BaseCommand
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from vanthu.core import clock
from vanthu.core.errors import DomainError
from vanthu.ops import selectors
from vanthu.ops import services
from vanthu.ops.backup.destinations import configured_destinations
from vanthu.ops.models import BackupStatus
from vanthu.ops.models import BackupTrigger


class Command(BaseCommand):
    help = "Back up the database and the stored files to every configured destination."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", help="list the snapshots of each destination")
        parser.add_argument("--verify", action="store_true", help="verify the last backup again")
        parser.add_argument("--full", action="store_true", help="with --verify: re-hash every stored file")
        parser.add_argument(
            "--if-none", action="store_true", help="only when no backup has succeeded yet (the demo's first backup)"
        )

    def _fail(self, message: str) -> NoReturn:
        """Say why on stderr and exit 1 (``vanthu`` runs commands through call_command, which
        would print a CommandError as a traceback)."""
        self.stderr.write(self.style.ERROR(message))
        raise SystemExit(1)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list()
            return
        if options["if_none"] and selectors.backup_run_last_succeeded() is not None:
            return
        try:
            if options["verify"]:
                run = selectors.backup_run_last_succeeded()
                if run is None:
                    self._fail(_("No backup has been made yet."))
                run = services.backup_verify(run=run, clock=clock.now, full=options["full"])
                self.stdout.write(f"{run.snapshot}: {run.get_verification_display()}")
                if run.verification != "PASSED":
                    raise SystemExit(1)
                return
            run = services.backup_create(
                trigger=BackupTrigger.MANUAL, clock=clock.now, progress=lambda line: self.stderr.write(str(line))
            )
        except DomainError as error:
            self._fail(str(error.message))
        seconds = run.duration.total_seconds() if run.duration is not None else 0
        self.stdout.write(
            _(
                "Backup %(snapshot)s: %(status)s in %(seconds).1f s; database %(database)d bytes, "
                "%(files)d files (%(copied)d copied, %(skipped)d already there)."
            )
            % {
                "snapshot": run.snapshot,
                "status": run.get_status_display(),
                "seconds": seconds,
                "database": run.database_bytes,
                "files": run.blob_count,
                "copied": run.blobs_copied,
                "skipped": run.blobs_skipped,
            }
        )
        for destination in run.destinations:
            line = f"  {destination['url']}: {destination['status']}"
            if destination["pruned"]:
                line += f" (pruned {len(destination['pruned'])})"
            if destination["error"]:
                line += f" {destination['error']}"
            self.stdout.write(line)
        if run.status != BackupStatus.SUCCEEDED:
            self.stderr.write(self.style.ERROR(run.error))
            raise SystemExit(1)

    def _list(self) -> None:
        for destination in configured_destinations():
            self.stdout.write(destination.label)
            complete = set(destination.complete_snapshots())
            for name in destination.snapshots():
                mark = "" if name in complete else "  (" + _("incomplete") + ")"
                self.stdout.write(f"  {name}{mark}")
