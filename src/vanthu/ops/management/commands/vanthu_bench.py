"""``vanthu bench``: time the screens of the benchmark registry for ordinary people against the
configured database, each beside its floor (the same SQL run directly), write the JSON and the
label's section of ``benchmarks/RESULTS.md``; ``--http SECONDS`` adds the throughput of gunicorn
under a mixed load. ``--smoke`` runs every scenario a few times on a tiny throw-away database.

    VANTHU_DATABASE_URL=postgres://…/vanthu_seed_100k VANTHU_DATA_DIR=… vanthu bench --label pg-100k --http 60
    VANTHU_DATABASE_URL=postgres://…/vanthu_seed_1m … vanthu bench --label pg-1m --baseline pg-100k --http 60
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.core.management.base import CommandParser
from django.db import connection

from vanthu.core import clock
from vanthu.ops.bench.people import CastError
from vanthu.ops.bench.registry import scenarios
from vanthu.ops.bench.runner import Options
from vanthu.ops.bench.runner import ScenarioFailedError
from vanthu.ops.bench.suite import Plan
from vanthu.ops.bench.suite import scenarios_load
from vanthu.ops.bench.suite import smoke_database
from vanthu.ops.bench.suite import suite_run

SMOKE_ITERATIONS = 4


def _default_label() -> str:
    from vanthu.documents.models import Document

    count = Document.objects.count()
    size = f"{round(count / 1_000_000)}m" if count >= 1_000_000 else f"{max(1, round(count / 1000))}k"  # noqa: PLR2004
    return f"{'pg' if connection.vendor == 'postgresql' else 'sqlite'}-{size}"


class Command(BaseCommand):
    help = "Run the benchmarks (p50/p95/p99 beside their SQL floor) and write JSON and benchmarks/RESULTS.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--label", help="configuration name, e.g. pg-100k (default: database and size)")
        parser.add_argument("--iterations", type=int, default=100, help="timed requests per read scenario")
        parser.add_argument("--warmup", type=int, default=3, help="untimed rounds before timing")
        parser.add_argument(
            "--budget", type=float, default=120.0, help="seconds after which a scenario stops (after 10 iterations)"
        )
        parser.add_argument("--scenario", action="append", default=[], help="only keys containing this (repeatable)")
        parser.add_argument("--accounts", type=Path, help="seed-scale report (JSON) naming the people")
        parser.add_argument("--benchmarks-dir", type=Path, default=Path("benchmarks"))
        parser.add_argument("--json", type=Path, help="where to write the JSON (default benchmarks/results/LABEL.json)")
        parser.add_argument("--no-results", action="store_true", help="do not touch benchmarks/RESULTS.md")
        parser.add_argument("--baseline", help="label of the smaller database to compare p95 with (e.g. pg-100k)")
        parser.add_argument("--http", type=int, default=0, metavar="SECONDS", help="HTTP throughput run (gunicorn)")
        parser.add_argument("--http-connections", type=int, default=6)
        parser.add_argument(
            "--http-only", action="store_true", help="only the HTTP run, added to the label's earlier JSON and section"
        )
        parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
        parser.add_argument("--smoke", action="store_true", help="every scenario a few times on a tiny throw-away DB")
        parser.add_argument("--list", action="store_true", help="list the scenarios and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            scenarios_load()
            for scenario in scenarios():
                self.stdout.write(f"{scenario.key:<42} {scenario.category:<9} {scenario.title}")
            return
        try:
            if options["smoke"]:
                with tempfile.TemporaryDirectory(prefix="vanthu-bench-smoke-") as folder:
                    report = Path(folder) / "seed-report.json"
                    with smoke_database(say=self.stdout.write, report=report):
                        self._run(options | {"accounts": report}, smoke=True)
            else:
                self._run(options, smoke=False)
        except (CastError, ScenarioFailedError, LookupError) as error:
            raise CommandError(str(error)) from error

    def _run(self, options: dict[str, Any], *, smoke: bool) -> None:
        now = clock.now()
        label = options["label"] or ("smoke" if smoke else _default_label())
        directory: Path = options["benchmarks_dir"]
        json_path = options["json"] or (None if smoke else directory / "results" / f"{label}.json")
        baseline = directory / "results" / f"{options['baseline']}.json" if options["baseline"] else None
        plan = Plan(
            label=label,
            options=Options(
                iterations=SMOKE_ITERATIONS if smoke else options["iterations"],
                warmup=1 if smoke else options["warmup"],
                budget_seconds=options["budget"],
            ),
            patterns=options["scenario"],
            accounts=options["accounts"],
            json_path=json_path,
            results_path=None if smoke or options["no_results"] else directory / "RESULTS.md",
            baseline=baseline,
            http_seconds=0 if smoke else options["http"],
            http_connections=options["http_connections"],
            http_only=options["http_only"],
            redis_url=options["redis_url"],
        )
        self.stdout.write(f"vanthu bench: {label} on {connection.vendor} ({connection.settings_dict['NAME']})")
        document = suite_run(plan=plan, now=now, say=self.stdout.write)
        failed = [p for p in document["problems"] if p["kind"] == "failed" or (smoke and p["kind"] == "skipped")]
        if failed:
            raise CommandError(f"{len(failed)} scenario(s) did not run: " + "; ".join(p["key"] for p in failed))
        self.stdout.write(self.style.SUCCESS("done"))
