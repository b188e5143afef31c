"""One benchmark run from start to end: the cast, every selected scenario, the machine's details,
the optional HTTP throughput run, and the JSON and Markdown outputs. ``smoke_database`` builds the
tiny throw-away database of ``vanthu bench --smoke``."""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from vanthu.ops.bench import report
from vanthu.ops.bench.http_load import Target
from vanthu.ops.bench.http_load import http_throughput
from vanthu.ops.bench.machine import commit_current
from vanthu.ops.bench.machine import machine_describe
from vanthu.ops.bench.people import cast_load
from vanthu.ops.bench.registry import select
from vanthu.ops.bench.runner import Options
from vanthu.ops.bench.runner import Result
from vanthu.ops.bench.runner import Runner
from vanthu.ops.bench.runner import ScenarioFailedError
from vanthu.ops.bench.sessions import session_cookie

# Modules that register scenarios; later issues append theirs.
SCENARIO_MODULES = [
    "vanthu.ops.bench.scenarios",
    "vanthu.ops.bench.search_scenarios",
    "vanthu.ops.bench.report_scenarios",
]
# The screens of the HTTP mix (reads only: a write needs a fresh object per request).
HTTP_SCREENS = (
    "incoming.queue.to_handle@officer",
    "incoming.queue.inbox@clerk",
    "incoming.queue.done@agency_leader",
    "outgoing.queue.mine@officer",
    "incoming.detail@officer",
    "incoming.detail@clerk",
    "outgoing.detail@officer",
    "home@officer",
    "home@clerk",
    "home@agency_leader",
)

Say = Callable[[str], None]
SMOKE_DOCUMENTS = 400


def scenarios_load() -> None:
    for module in SCENARIO_MODULES:
        importlib.import_module(module)


@dataclass
class Plan:
    label: str
    options: Options
    patterns: list[str] = field(default_factory=list)
    accounts: Path | None = None
    json_path: Path | None = None
    results_path: Path | None = None
    baseline: Path | None = None
    http_seconds: int = 0
    http_only: bool = False  # add the HTTP run to the label's earlier JSON and section
    http_connections: int = 6
    redis_url: str = "redis://127.0.0.1:6379/15"


def _line(result: Result) -> str:
    return (
        f"{result.key:<42} n={result.iterations:<4} p50 {result.view.p50:8.1f}  p95 {result.view.p95:8.1f}"
        f"  p99 {result.view.p99:8.1f} ms | floor p50 {result.floor.p50:7.1f} ({result.floor_kind})"
        f"  ratio {result.ratio_p50:5.2f} | {result.queries:g} queries"
    )


def _http_run(*, plan: Plan, runner: Runner, say: Say) -> dict[str, Any]:
    """The HTTP throughput run over the first URLs of the read scenarios of ``HTTP_SCREENS``."""
    scenarios = {scenario.key: scenario for scenario in select([])}
    targets = []
    for key in HTTP_SCREENS:
        scenario = scenarios.get(key)
        if scenario is None or scenario.requests is None:
            continue
        try:
            requests = list(scenario.requests(runner.setting))[:5]
        except LookupError:
            continue
        cookie = session_cookie(runner.client(scenario.role))
        targets += [Target(screen=scenario.screen, role=scenario.role, path=r.path, cookie=cookie) for r in requests]
    connection.close()  # the server's workers open their own
    http = http_throughput(
        targets=targets,
        seconds=plan.http_seconds,
        connections=plan.http_connections,
        redis_url=plan.redis_url,
        say=say,
    )
    say(
        f"HTTP: {http['requests_per_second']} requests/s, p50 {http['latency_ms']['p50']} ms,"
        f" p95 {http['latency_ms']['p95']} ms, p99 {http['latency_ms']['p99']} ms, errors {http['errors']}"
    )
    return http


def _write(plan: Plan, document: dict[str, Any], say: Say) -> None:
    if plan.json_path is not None:
        report.json_write(plan.json_path, document)
        say(f"JSON: {plan.json_path}")
    if plan.results_path is not None:
        report.results_update(plan.results_path, document)
        say(f"Markdown: {plan.results_path} (section {plan.label})")


def suite_run(*, plan: Plan, now: datetime, say: Say) -> dict[str, Any]:
    scenarios_load()
    load_at_start = [round(value, 2) for value in os.getloadavg()]
    commit = commit_current()
    cast = cast_load(now=now, report=plan.accounts)
    say("people: " + ", ".join(f"{key}={person.get_username()}" for key, person in cast.people.items()))
    runner = Runner(cast=cast, now=now, options=plan.options, say=say)
    if plan.http_only:
        if plan.json_path is None or not plan.json_path.exists():
            raise LookupError(f"--http-only adds to an earlier run of the label: {plan.json_path} is missing")
        document: dict[str, Any] = json.loads(plan.json_path.read_text(encoding="utf-8"))
        document["http"] = _http_run(plan=plan, runner=runner, say=say)
        document["http"]["load_average_start"] = load_at_start
        _write(plan, document, say)
        return document
    results: list[Result] = []
    problems: list[dict[str, str]] = []
    for scenario in select(plan.patterns):
        try:
            result = runner.run(scenario)
        except LookupError as error:  # nothing to open for this person in this database
            problems.append({"key": scenario.key, "kind": "skipped", "reason": str(error)})
            say(f"{scenario.key:<42} skipped: {error}")
            continue
        except ScenarioFailedError as error:
            problems.append({"key": scenario.key, "kind": "failed", "reason": str(error)})
            say(f"{scenario.key:<42} FAILED: {error}")
            continue
        except Exception as error:  # noqa: BLE001 - one broken screen must not lose the others' numbers
            problems.append({"key": scenario.key, "kind": "failed", "reason": f"{type(error).__name__}: {error}"})
            say(f"{scenario.key:<42} FAILED: {type(error).__name__}: {error}")
            continue
        results.append(result)
        say(_line(result))
    http = _http_run(plan=plan, runner=runner, say=say) if plan.http_seconds > 0 else None
    baseline = None
    if plan.baseline is not None and plan.baseline.exists():
        baseline = json.loads(plan.baseline.read_text(encoding="utf-8"))
    document = report.run_document(
        label=plan.label,
        machine=machine_describe(now=now, commit=commit),
        cast={key: person.get_username() for key, person in cast.people.items()},
        results=[result.as_dict() for result in results],
        options={
            "iterations": plan.options.iterations,
            "warmup": plan.options.warmup,
            "budget_seconds": plan.options.budget_seconds,
            "scenarios": plan.patterns,
            "load_average_start": load_at_start,
        },
        http=http,
        baseline=baseline,
        problems=problems,
    )
    _write(plan, document, say)
    return document


@contextmanager
def smoke_database(*, say: Say, report: Path) -> Iterator[None]:
    """A throw-away database (Django's test-database machinery: in memory on SQLite, a
    ``…_bench_smoke`` database on PostgreSQL), migrated and filled with a tiny province."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "postgresql":
        test_settings["NAME"] = f"{connection.settings_dict['NAME']}_bench_smoke"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        say("smoke: tiny province …")
        _smoke_seed(report)
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _smoke_seed(report: Path) -> None:
    """seed-scale at a tiny size (its report names the people)."""
    call_command("seed_scale", documents=SMOKE_DOCUMENTS, agencies=60, people=1500, seed=6, report=report, verbosity=0)
