"""``vanthu restore``: rebuild an EMPTY installation (the configured database and file storage)
from a backup: by default the newest complete snapshot of the first configured destination.

    vanthu restore [--snapshot 20261126T183000Z] [--destination 2 | --folder /mnt/backup]

Every file is checked against its SHA-256 as it is restored (a damaged copy is taken from another
configured destination), the database is loaded in one transaction, then the row counts are
compared with the manifest and the audit chains verified."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from typing import NoReturn

from django.core.management.base import BaseCommand
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from vanthu.core import clock
from vanthu.core.errors import DomainError
from vanthu.ops import services
from vanthu.ops.backup.database import DatabaseToolError
from vanthu.ops.backup.destinations import configured_destinations
from vanthu.ops.backup.destinations import folder_destination


class Command(BaseCommand):
    help = "Rebuild an empty installation from a backup."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--snapshot", help="the snapshot to restore (default: the newest complete one)")
        parser.add_argument("--destination", type=int, default=1, help="which configured destination (1, 2, …)")
        parser.add_argument("--folder", type=Path, help="restore from this backup folder instead")

    def _fail(self, message: str) -> NoReturn:
        """Say why on stderr and exit 1 (``vanthu`` runs commands through call_command, which
        would print a CommandError as a traceback)."""
        self.stderr.write(self.style.ERROR(message))
        raise SystemExit(1)

    def handle(self, *args: Any, **options: Any) -> None:
        destinations = configured_destinations()
        if options["folder"] is not None:
            source = folder_destination(options["folder"])
            fallbacks = destinations
        else:
            index = options["destination"] - 1
            if not 0 <= index < len(destinations):
                self._fail(_("No backup destination number %(number)d is configured.") % {"number": index + 1})
            source = destinations[index]
            fallbacks = destinations[:index] + destinations[index + 1 :]
        try:
            report = services.backup_restore(
                source=source,
                snapshot=options["snapshot"],
                fallbacks=fallbacks,
                clock=clock.now,
                progress=lambda line: self.stderr.write(str(line)),
            )
        except DomainError as error:
            details = f" {error.details}" if error.details else ""
            self._fail(f"{error.message}{details}")
        except DatabaseToolError as error:
            self._fail(str(error))
        self.stdout.write(
            _("Restored %(snapshot)s from %(source)s: %(files)d files, %(events)d audit events verified.")
            % {
                "snapshot": report.snapshot,
                "source": report.source,
                "files": report.blobs,
                "events": report.audit_events,
            }
        )
        for label, count in sorted(report.counts.items()):
            self.stdout.write(f"  {label}: {count}")
        if report.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    _("The backup is older than this version: run `vanthu manage migrate` now (%(count)d migrations).")
                    % {"count": len(report.pending_migrations)}
                )
            )
