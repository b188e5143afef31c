"""Timing: percentiles, the time the database spends on a request's statements, the captured SQL
of a request and its replay on a raw cursor (the floor)."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from django.db import connection
from django.db import transaction
from django.test.utils import CaptureQueriesContext

# Transaction control is how the ORM wraps its work, not work on rows: the replay runs the
# statements of one request inside one transaction of its own (rolled back), without them.
_CONTROL = re.compile(r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|BEGIN|COMMIT|ROLLBACK)\b", re.I)


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` in 0…1) of ``values``; 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Summary:
    """Milliseconds."""

    count: int
    p50: float
    p95: float
    p99: float
    mean: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Summary:
        millis = [value * 1000 for value in seconds]
        return cls(
            count=len(millis),
            p50=round(percentile(millis, 0.50), 3),
            p95=round(percentile(millis, 0.95), 3),
            p99=round(percentile(millis, 0.99), 3),
            mean=round(sum(millis) / len(millis), 3) if millis else 0.0,
        )


@dataclass
class DatabaseClock:
    """Adds up the time spent in ``execute`` of every statement while installed."""

    seconds: float = 0.0
    statements: int = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:  # noqa: FBT001 - Django's signature
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.statements += 1

    @contextmanager
    def running(self) -> Iterator[DatabaseClock]:
        self.seconds, self.statements = 0.0, 0
        with connection.execute_wrapper(self):
            yield self


@dataclass
class Captured:
    """The statements one request ran, as executed (parameters bound), control statements left out."""

    statements: list[str] = field(default_factory=list)
    skipped: int = 0


def capture(action: Callable[[], Any]) -> tuple[Any, Captured]:
    with CaptureQueriesContext(connection) as context:
        result = action()
    captured = Captured()
    for query in context.captured_queries:
        sql = str(query["sql"])
        if _CONTROL.match(sql):
            captured.skipped += 1
        else:
            captured.statements.append(sql)
    return result, captured


class _Rollback(Exception):  # noqa: N818 - a control-flow signal, not an error
    pass


def slowest(captured: Captured, count: int = 3) -> list[tuple[float, str]]:
    """The ``count`` slowest statements of one replay: (milliseconds, SQL), slowest first."""
    timings: list[tuple[float, str]] = []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in captured.statements:
                started = time.perf_counter()
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
                timings.append((round((time.perf_counter() - started) * 1000, 2), sql))
            raise _Rollback
    except _Rollback:
        pass
    return sorted(timings, key=lambda item: -item[0])[:count]


def replay(captured: Captured) -> float:
    """Run the statements again, fetching every row, in one transaction that is rolled back
    (a session update or a lock changes nothing); the seconds it took."""
    started = time.perf_counter()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in captured.statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
            elapsed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return elapsed
