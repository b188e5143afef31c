"""Run the scenarios: warm up, time the requests through Django's test client, capture their SQL
and time its replay (the floor), and gather the results."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any

from django.http import HttpResponse
from django.test import Client

from vanthu.ops.bench import measure
from vanthu.ops.bench.registry import Cast
from vanthu.ops.bench.registry import Request
from vanthu.ops.bench.registry import Scenario
from vanthu.ops.bench.registry import Setting
from vanthu.ops.bench.sessions import signed_in_client

Say = Callable[[str], None]
SQL_EXCERPT = 1500


class ScenarioFailedError(Exception):
    """A request answered with an unexpected status (the benchmark would time an error page)."""


@dataclass
class Result:
    key: str
    screen: str
    title: str
    role: str
    username: str
    category: str
    iterations: int
    view: measure.Summary
    floor: measure.Summary
    floor_kind: str  # "replay": the captured SQL run again; "db_time": time in the database during the request
    ratio_p50: float
    ratio_p95: float
    queries: float  # statements per request (mean)
    bytes: int  # response size (mean)
    notes: list[str] = field(default_factory=list)
    slowest: list[dict[str, Any]] = field(default_factory=list)  # the slowest statements of the floor
    paths: list[str] = field(default_factory=list)  # the URLs a read scenario opened

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Options:
    iterations: int = 100
    warmup: int = 3
    # A scenario stops early once it has run this long (at least MIN_ITERATIONS): a 5-second page
    # at a million documents would otherwise hold the run for half an hour.
    budget_seconds: float = 120.0


MIN_ITERATIONS = 10


def _send(client: Client, request: Request) -> HttpResponse:
    if request.method == "POST":
        response = client.post(request.path, request.data)
    else:
        response = client.get(request.path)
    if response.status_code not in request.expected:
        raise ScenarioFailedError(
            f"{request.method} {request.path} answered {response.status_code}, expected {request.expected}"
        )
    return response  # type: ignore[return-value]


def _ratio(view: float, floor: float) -> float:
    return round(view / floor, 2) if floor > 0 else 0.0


class Runner:
    def __init__(self, *, cast: Cast, now: datetime, options: Options, say: Say) -> None:
        self.setting = Setting(cast=cast, now=now)
        self.options = options
        self.say = say
        self._clients: dict[str, Client] = {}

    def client(self, role: str) -> Client:
        if role not in self._clients:
            self._clients[role] = signed_in_client(self.setting.cast.person(role))
        return self._clients[role]

    def run(self, scenario: Scenario) -> Result:
        iterations = max(2, round(self.options.iterations * scenario.iterations_factor))
        if scenario.prepare is not None:
            scenario.prepare(self.setting)
        if scenario.is_write:
            return self._write(scenario, iterations)
        return self._read(scenario, iterations)

    def _result(self, scenario: Scenario, **values: Any) -> Result:
        view, floor = values["view"], values["floor"]
        return Result(
            key=scenario.key,
            screen=scenario.screen,
            title=scenario.title,
            role=scenario.role,
            username=self.setting.cast.person(scenario.role).get_username(),
            category=str(scenario.category),
            ratio_p50=_ratio(view.p50, floor.p50),
            ratio_p95=_ratio(view.p95, floor.p95),
            **values,
        )

    def _read(self, scenario: Scenario, iterations: int) -> Result:
        assert scenario.requests is not None  # noqa: S101 - a read scenario
        client = self.client(scenario.role)
        requests = list(scenario.requests(self.setting))
        captured = [measure.capture(functools.partial(_send, client, request))[1] for request in requests]
        for _ in range(self.options.warmup):
            for request, statements in zip(requests, captured, strict=True):
                _send(client, request)
                measure.replay(statements)
        # The view and its floor alternate, so both meet the same load on the machine.
        timings: list[float] = []
        floors: list[float] = []
        sizes = 0
        deadline = time.monotonic() + self.options.budget_seconds
        for index in range(iterations):
            if index >= MIN_ITERATIONS and time.monotonic() > deadline:
                break
            request = requests[index % len(requests)]
            started = time.perf_counter()
            response = _send(client, request)
            timings.append(time.perf_counter() - started)
            sizes += len(response.content)
            floors.append(measure.replay(captured[index % len(captured)]))
        slowest = sorted(
            (
                item
                for statements in captured
                for item in measure.slowest(statements)
                if "django_session" not in item[1]  # no session keys in the published results
            ),
            key=lambda item: -item[0],
        )[:3]
        queries = sum(len(c.statements) + c.skipped for c in captured) / len(captured)
        notes = sorted({request.note for request in requests if request.note})
        if len(requests) > 1:
            notes.append(f"{len(requests)} different documents")
        return self._result(
            scenario,
            iterations=len(timings),
            view=measure.Summary.of(timings),
            floor=measure.Summary.of(floors),
            floor_kind="replay",
            queries=round(queries, 1),
            bytes=sizes // len(timings),
            notes=notes,
            slowest=[{"ms": ms, "sql": sql[:SQL_EXCERPT]} for ms, sql in slowest],
            paths=[request.path for request in requests],
        )

    def _write(self, scenario: Scenario, iterations: int) -> Result:
        assert scenario.next_request is not None  # noqa: S101 - a write scenario
        client = self.client(scenario.role)
        for index in range(self.options.warmup):
            _send(client, scenario.next_request(self.setting, -1 - index))
        timings: list[float] = []
        database: list[float] = []
        statements = 0
        sizes = 0
        notes: set[str] = set()
        clock = measure.DatabaseClock()
        deadline = time.monotonic() + self.options.budget_seconds
        for index in range(iterations):
            if index >= MIN_ITERATIONS and time.monotonic() > deadline:
                break
            request = scenario.next_request(self.setting, index)
            notes.add(request.note)
            with clock.running():
                started = time.perf_counter()
                response = _send(client, request)
                timings.append(time.perf_counter() - started)
            database.append(clock.seconds)
            statements += clock.statements
            sizes += len(response.content)
        return self._result(
            scenario,
            iterations=len(timings),
            view=measure.Summary.of(timings),
            floor=measure.Summary.of(database),
            floor_kind="db_time",
            queries=round(statements / len(timings), 1),
            bytes=sizes // len(timings),
            notes=sorted(note for note in notes if note),
        )
