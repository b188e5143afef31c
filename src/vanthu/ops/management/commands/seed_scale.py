"""``vanthu seed-scale``: a province-scale synthetic Thanh Hóa in the database of the process.

    vanthu seed-scale --documents N [--seed 42] [--agencies 210] [--people 20000] [--year 2026]
                      [--now 2026-11-20T10:00:00+07:00] [--report path.json] [--content-hash]
                      [--no-migrate] [--skip-disk-check]

The database (VANTHU_DATABASE_URL or the settings) is migrated first; a database that already holds
agencies, people or documents is refused, and so is a disk with less free space than about 24 KB
per document where the database keeps its files (12 KB a document stays; PostgreSQL measured
11.6 GB for 1,000,000 documents). ``--documents`` counts outgoing and incoming documents
together (each delivery in the province is an incoming document of its recipient). Every person's
password is ``ThanhHoa@2026``. At the end: the elapsed time, the rows per table, the database size,
and a last line ``SEED-SCALE-REPORT {json}`` (also written to ``--report``) with representative
accounts (OFFICER, CLERK, UNIT_LEADER, AGENCY_LEADER of the biggest department and of a ward)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import IO
from typing import Any
from typing import cast

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn
from rich.progress import MofNCompleteColumn
from rich.progress import Progress
from rich.progress import TextColumn
from rich.progress import TimeElapsedColumn
from rich.progress import TimeRemainingColumn

from vanthu.core import clock
from vanthu.core.errors import DomainError
from vanthu.ops.scale.seed import SeedReport
from vanthu.ops.scale.seed import disk_check
from vanthu.ops.scale.seed import province_seed

REPORT_PREFIX = "SEED-SCALE-REPORT "


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.VIETNAM)
    return moment


class Command(BaseCommand):
    help = (
        "Generate a province-scale synthetic Thanh Hóa (agencies, units, people with roles, documents "
        "with their whole history and audit chains) in an empty database. --documents counts outgoing "
        "and incoming documents together. Password of every person: ThanhHoa@2026. The last line of "
        "the output is 'SEED-SCALE-REPORT {json}' with the rows, the time and accounts by role."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--documents", type=int, required=True, help="outgoing + incoming documents to make")
        parser.add_argument("--seed", type=int, default=42, help="random seed: the same seed makes the same data")
        parser.add_argument("--agencies", type=int, default=210, help="agencies, the provincial committee included")
        parser.add_argument("--people", type=int, default=20000, help="people (each with one role)")
        parser.add_argument("--year", type=int, default=None, help="the year of the documents (default: this year)")
        parser.add_argument("--now", type=_moment, default=None, help="ISO moment taken as now (default: the clock)")
        parser.add_argument("--report", type=Path, default=None, help="also write the JSON report to this file")
        parser.add_argument("--content-hash", action="store_true", help="hash every row written (for repeatability)")
        parser.add_argument("--no-migrate", action="store_true", help="do not run the migrations first")
        parser.add_argument(
            "--no-search-text", action="store_true", help="leave the searchable text out (rebuild it with reindex_text)"
        )
        parser.add_argument("--skip-disk-check", action="store_true", help="seed even if the disk looks too small")

    def handle(self, *args: Any, **options: Any) -> None:
        now = options["now"] or clock.now()
        year = options["year"] or clock.vietnam_year(now)
        verbosity = int(options["verbosity"])
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        console = Console(file=cast(IO[str], self.stderr._out), quiet=verbosity < 1)
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=verbosity < 1,
        )
        self._check_disk(options["documents"], force=options["skip_disk_check"], quiet=verbosity < 1)
        task = progress.add_task(_("Documents"), total=options["documents"])
        step = max(options["documents"] // 20, 1)
        done = [0]

        def advance(count: int) -> None:
            progress.advance(task, count)
            before, done[0] = done[0], done[0] + count
            if not console.is_terminal and before // step != done[0] // step:
                # No live bar without a terminal (nohup, a log file): a line every 5 %.
                progress.console.log(f"{done[0]:,}/{options['documents']:,}")

        try:
            with progress:
                report = province_seed(
                    documents=options["documents"],
                    seed=options["seed"],
                    agencies=options["agencies"],
                    people=options["people"],
                    year=year,
                    now=now,
                    content_hash=options["content_hash"],
                    search_text=not options["no_search_text"],
                    progress=advance,
                    phase=progress.console.log,
                )
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self._print(report, options["report"])

    def _check_disk(self, documents: int, *, force: bool, quiet: bool) -> None:
        check = disk_check(documents=documents)
        if check is None:
            return
        numbers = {
            "free": check.free_bytes / 1e9,
            "needed": check.needed_bytes / 1e9,
            "path": check.path,
        }
        if check.ok:
            if not quiet:
                self.stderr.write(_("Free disk at %(path)s: %(free).1f GB (about %(needed).1f GB needed).") % numbers)
            return
        message = _("Only %(free).1f GB free at %(path)s; about %(needed).1f GB are needed.") % numbers
        if not force:
            raise CommandError(message)
        self.stderr.write(message)

    def _print(self, report: SeedReport, path: Path | None) -> None:
        write = self.stdout.write
        write(
            _("Done in %(seconds).1f s: %(documents)d documents.")
            % {"seconds": report.elapsed_seconds, "documents": report.documents}
        )
        for table, count in sorted(report.rows.items()):
            write(f"  {table:<32} {count:>12,}")
        if report.database_bytes is not None:
            write(_("Database size: %(size).2f GB") % {"size": report.database_bytes / 1e9})
        data = report.as_dict()
        if path is not None:
            path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        write(REPORT_PREFIX + json.dumps(data, ensure_ascii=False, sort_keys=True))
