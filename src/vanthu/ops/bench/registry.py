"""The registry of benchmark scenarios: each names a screen, the role who opens it, and how to
build its requests. Later issues add their screens with ``register(Scenario(...))`` in a module
listed in ``SCENARIO_MODULES`` (imported by the runner).

A *read* scenario returns a few distinct requests (say twenty document pages the person may see);
the runner cycles through them, then captures the SQL each one runs and replays it on the database
for the floor. A *write* scenario prepares, untimed, a fresh object before every iteration (a new
ARRIVED item to register, a new signed document to issue) and returns the request that acts on it;
its floor is the time the database spent on the statements of the request itself."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Category(StrEnum):
    """What kind of screen; the overhead target (ratio ≤ 3) applies to LIST and DETAIL reads."""

    LIST = "list"
    DETAIL = "detail"
    PAGE = "page"
    REGISTER = "register"
    WRITE = "write"


READ_CATEGORIES = frozenset({Category.LIST, Category.DETAIL, Category.PAGE, Category.REGISTER})


@dataclass(frozen=True)
class Request:
    """One HTTP request as the signed-in person sends it (through Django's test client)."""

    path: str
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)
    expected: tuple[int, ...] = (200,)
    note: str = ""


@dataclass
class Cast:
    """The people who act in the scenarios, by role key (``officer``, ``clerk``, ``agency_leader``,
    ``unit_leader``, ``ward.officer`` …), and the agencies they belong to."""

    people: dict[str, Any]
    agencies: dict[str, Any]
    notes: dict[str, str] = field(default_factory=dict)

    def person(self, key: str) -> Any:
        return self.people[key]


@dataclass
class Setting:
    """What a scenario builder gets: the cast, the moment the run started and a place to keep
    what ``prepare`` made once (a seal certificate, the chosen documents)."""

    cast: Cast
    now: datetime
    state: dict[str, Any] = field(default_factory=dict)


ReadBuilder = Callable[[Setting], Sequence[Request]]
WriteBuilder = Callable[[Setting, int], Request]


@dataclass(frozen=True)
class Scenario:
    """``screen`` names what is measured (the same screen for several roles is compared);
    ``role`` is a key of the cast. Exactly one of ``requests`` (read) and ``next_request`` (write)."""

    screen: str
    title: str
    role: str
    category: Category
    requests: ReadBuilder | None = None
    next_request: WriteBuilder | None = None
    prepare: Callable[[Setting], None] | None = None
    iterations_factor: float = 1.0

    @property
    def key(self) -> str:
        return f"{self.screen}@{self.role}"

    @property
    def is_write(self) -> bool:
        return self.next_request is not None


_REGISTRY: dict[str, Scenario] = {}


def register(scenario: Scenario) -> Scenario:
    if (scenario.requests is None) == (scenario.next_request is None):
        raise ValueError(f"{scenario.key}: give exactly one of requests and next_request")
    if scenario.key in _REGISTRY:
        raise ValueError(f"{scenario.key} is registered twice")
    _REGISTRY[scenario.key] = scenario
    return scenario


def scenarios() -> list[Scenario]:
    """Every registered scenario, in registration order."""
    return list(_REGISTRY.values())


def select(patterns: Sequence[str]) -> list[Scenario]:
    """The scenarios whose key contains one of ``patterns`` (all when none is given)."""
    every = scenarios()
    if not patterns:
        return every
    chosen = [s for s in every if any(pattern in s.key for pattern in patterns)]
    if not chosen:
        raise LookupError(f"no scenario matches {', '.join(patterns)}; known: {', '.join(s.key for s in every)}")
    return chosen
