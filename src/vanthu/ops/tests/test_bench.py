"""The benchmark harness: percentiles, the scenario registry, the SQL floor (captured and replayed
without leaving a trace), a scenario run through the real URL, the cast from a seed report, and the
RESULTS.md section that is replaced, not duplicated."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from vanthu.ops.bench import measure
from vanthu.ops.bench import registry
from vanthu.ops.bench import report
from vanthu.ops.bench.people import cast_load
from vanthu.ops.bench.registry import Cast
from vanthu.ops.bench.registry import Category
from vanthu.ops.bench.registry import Request
from vanthu.ops.bench.registry import Scenario
from vanthu.ops.bench.runner import Options
from vanthu.ops.bench.runner import Runner
from vanthu.ops.bench.runner import ScenarioFailedError
from vanthu.org.models import Person


def _queue(path: str, expected: tuple[int, ...] = (200,)) -> Any:
    return lambda setting: [Request(path=path, expected=expected)]


class TestPercentile:
    def test_is_the_nearest_rank(self) -> None:
        values = [float(n) for n in range(1, 101)]  # 1 … 100

        assert measure.percentile(values, 0.50) == 50
        assert measure.percentile(values, 0.95) == 95
        assert measure.percentile(values, 0.99) == 99
        assert measure.percentile(list(reversed(values)), 0.99) == 99

    def test_of_a_few_values_is_the_largest_for_the_tail(self) -> None:
        assert measure.percentile([3.0, 1.0, 2.0], 0.99) == 3
        assert measure.percentile([], 0.5) == 0

    def test_summary_is_in_milliseconds(self) -> None:
        summary = measure.Summary.of([0.010, 0.020, 0.030])

        assert (summary.p50, summary.p99, summary.mean) == (20.0, 30.0, 20.0)


class TestRegistry:
    @pytest.fixture(autouse=True)
    def _empty_registry(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(registry, "_REGISTRY", {})

    def test_refuses_a_scenario_that_neither_reads_nor_writes(self) -> None:
        with pytest.raises(ValueError, match="exactly one"):
            registry.register(Scenario(screen="x", title="x", role="officer", category=Category.LIST))

    def test_refuses_the_same_screen_and_role_twice(self) -> None:
        scenario = Scenario(screen="x", title="x", role="officer", category=Category.LIST, requests=_queue("/"))
        registry.register(scenario)

        with pytest.raises(ValueError, match="twice"):
            registry.register(scenario)

    def test_selects_by_part_of_the_key(self) -> None:
        for role in ("officer", "clerk"):
            registry.register(
                Scenario(screen="home", title="h", role=role, category=Category.PAGE, requests=_queue("/"))
            )

        assert [s.key for s in registry.select(["@clerk"])] == ["home@clerk"]
        assert len(registry.select([])) == 2
        with pytest.raises(LookupError):
            registry.select(["nothing"])

    def test_the_issue_screens_are_registered_for_ordinary_people(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import importlib
        import sys

        monkeypatch.delitem(sys.modules, "vanthu.ops.bench.scenarios", raising=False)
        importlib.import_module("vanthu.ops.bench.scenarios")  # registers into the empty registry
        keys = {s.key for s in registry.scenarios()}

        for key in (
            "incoming.queue.to_handle@officer",
            "incoming.queue.inbox@clerk",
            "incoming.detail@officer",
            "incoming.detail@clerk",
            "incoming.register@clerk",
            "outgoing.issue_50@clerk",
            "incoming.follow_up@clerk",
            "home@officer",
            "home@clerk",
            "incoming.queue.done@agency_leader",
        ):
            assert key in keys
        assert all(s.role != "admin" for s in registry.scenarios())


@pytest.mark.django_db
class TestFloor:
    def test_replay_fetches_the_same_rows_and_changes_nothing(self, officer: Any) -> None:
        def rename() -> Any:
            Person.objects.filter(pk=officer.pk).update(full_name="Tên đã đổi")
            return list(Person.objects.filter(pk=officer.pk).values_list("full_name", flat=True))

        result, captured = measure.capture(rename)
        Person.objects.filter(pk=officer.pk).update(full_name="Hoàng Văn Chuyên Viên")

        elapsed = measure.replay(captured)

        assert result == ["Tên đã đổi"]
        assert len(captured.statements) == 2
        assert elapsed > 0
        assert Person.objects.get(pk=officer.pk).full_name == "Hoàng Văn Chuyên Viên"

    def test_capture_leaves_transaction_control_out(self, officer: Any) -> None:
        from django.db import transaction

        def nested() -> None:
            with transaction.atomic(), transaction.atomic():
                Person.objects.filter(pk=officer.pk).exists()

        _result, captured = measure.capture(nested)

        assert captured.skipped >= 1
        assert all("SAVEPOINT" not in sql.upper() for sql in captured.statements)
        assert len(captured.statements) == 1

    def test_database_clock_adds_up_the_statements(self, officer: Any) -> None:
        clock = measure.DatabaseClock()
        with clock.running():
            Person.objects.filter(pk=officer.pk).exists()
            Person.objects.count()

        assert clock.statements == 2
        assert clock.seconds > 0


@pytest.mark.django_db
class TestRunner:
    @pytest.fixture
    def cast(self, officer: Any, clerk: Any, agency: Any) -> Cast:
        return Cast(people={"officer": officer, "clerk": clerk}, agencies={"department": agency})

    def test_times_a_page_through_its_url_beside_its_floor(self, cast: Cast, now: datetime) -> None:
        runner = Runner(cast=cast, now=now, options=Options(iterations=3, warmup=1), say=lambda _line: None)
        scenario = Scenario(
            screen="incoming.queue.to_handle",
            title="q",
            role="officer",
            category=Category.LIST,
            requests=_queue("/incoming/?queue=to_handle"),
        )

        result = runner.run(scenario)

        assert result.iterations == 3
        assert result.view.count == 3
        assert result.floor_kind == "replay"
        assert result.floor.p50 > 0
        assert result.queries > 3  # the session, the person, the grants, the counts, the page …
        assert result.username == cast.people["officer"].username
        assert result.ratio_p50 == round(result.view.p50 / result.floor.p50, 2)

    def test_a_scenario_over_its_time_budget_stops_after_the_minimum(self, cast: Cast, now: datetime) -> None:
        from vanthu.ops.bench.runner import MIN_ITERATIONS

        options = Options(iterations=50, warmup=0, budget_seconds=0)
        runner = Runner(cast=cast, now=now, options=options, say=lambda _line: None)
        scenario = Scenario(screen="home", title="h", role="officer", category=Category.PAGE, requests=_queue("/"))

        result = runner.run(scenario)

        assert result.iterations == MIN_ITERATIONS
        assert result.floor.count == MIN_ITERATIONS

    def test_a_page_that_answers_otherwise_fails_the_scenario(self, cast: Cast, now: datetime) -> None:
        runner = Runner(cast=cast, now=now, options=Options(iterations=2, warmup=0), say=lambda _line: None)
        scenario = Scenario(
            screen="missing", title="m", role="officer", category=Category.LIST, requests=_queue("/incoming/999999/")
        )

        with pytest.raises(ScenarioFailedError, match="404"):
            runner.run(scenario)

    def test_a_write_is_timed_once_per_fresh_object_with_its_database_time(self, cast: Cast, now: datetime) -> None:
        made: list[int] = []

        def next_request(setting: Any, iteration: int) -> Request:
            made.append(iteration)
            return Request(path="/", expected=(200,))

        runner = Runner(cast=cast, now=now, options=Options(iterations=4, warmup=1), say=lambda _line: None)
        scenario = Scenario(screen="w", title="w", role="clerk", category=Category.WRITE, next_request=next_request)

        result = runner.run(scenario)

        assert made == [-1, 0, 1, 2, 3]  # the warm-up, then one fresh object per timed iteration
        assert result.floor_kind == "db_time"
        assert 0 < result.floor.p50 <= result.view.p50


@pytest.mark.django_db
class TestCast:
    def test_takes_the_people_named_by_the_seed_report(
        self, tmp_path: Path, officer: Any, clerk: Any, agency_leader: Any, unit_leader: Any, agency: Any, now: datetime
    ) -> None:
        seed_report = tmp_path / "report.json"
        seed_report.write_text(
            json.dumps(
                {
                    "accounts": {
                        "department": {
                            "OFFICER": officer.username,
                            "CLERK": clerk.username,
                            "UNIT_LEADER": unit_leader.username,
                            "AGENCY_LEADER": agency_leader.username,
                            "agency_id": agency.pk,
                        }
                    }
                }
            )
        )

        cast = cast_load(now=now, report=seed_report)

        assert cast.person("officer") == officer
        assert cast.person("clerk") == clerk
        assert cast.person("agency_leader") == agency_leader
        assert cast.agencies["department"] == agency


def _result(key: str, role: str, p95: float, *, category: str = "list") -> dict[str, Any]:
    screen = key.split("@", maxsplit=1)[0]
    return {
        "key": key,
        "screen": screen,
        "title": screen,
        "role": role,
        "category": category,
        "iterations": 10,
        "view": {"p50": p95 / 2, "p95": p95, "p99": p95, "count": 10, "mean": p95 / 2},
        "floor": {"p50": p95 / 8, "p95": p95 / 4, "p99": p95 / 4, "count": 10, "mean": p95 / 8},
        "floor_kind": "replay",
        "ratio_p50": 4.0,
        "ratio_p95": 4.0,
        "queries": 12,
        "bytes": 1000,
        "notes": [],
    }


def _machine() -> dict[str, Any]:
    return {
        "date": "2026-11-26T10:00:00+00:00",
        "cpu": "CPU",
        "cores": 2,
        "memory_gib": 23.0,
        "os": "Linux",
        "python": "3.11",
        "django": "5.2",
        "commit": "abc",
        "database": {"version": "PostgreSQL 15", "name": "db", "size_bytes": 10 * 1024**3, "sqlite_version": "3.40"},
        "counts": {"documents": 100000, "outgoing": 10, "incoming": 90, "audit_events": 5, "agencies": 2, "people": 3},
    }


def _document(label: str, officer: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    return report.run_document(
        label=label,
        machine=_machine(),
        cast={"officer": officer},
        results=results,
        options={"iterations": 10, "warmup": 1},
    )


class TestReport:
    def test_compares_the_officer_with_the_agency_leader_on_the_same_screen(self) -> None:
        rows = report.role_comparison(
            [_result("q@officer", "officer", 30.0), _result("q@agency_leader", "agency_leader", 10.0)]
        )

        assert rows == [{"screen": "q", "officer_p95": 30.0, "leader_p95": 10.0, "ratio": 3.0, "ok": False}]

    def test_compares_p95_with_the_baseline_database(self) -> None:
        baseline = {"label": "pg-100k", "results": [_result("q@officer", "officer", 10.0)]}

        rows = report.scale_comparison([_result("q@officer", "officer", 14.0)], baseline)

        assert rows[0]["ratio"] == 1.4
        assert rows[0]["ok"] is True

    def test_replaces_the_section_of_its_label_and_keeps_the_others(self, tmp_path: Path) -> None:
        path = tmp_path / "RESULTS.md"
        first = _document("pg-100k", "a", [_result("q@officer", "officer", 10.0)])
        report.results_update(path, first)
        report.results_update(path, _document("sqlite-100k", "a", []))
        again = _document("pg-100k", "b", [_result("q@officer", "officer", 20.0)])

        report.results_update(path, again)
        text = path.read_text(encoding="utf-8")

        assert text.count("<!-- bench:pg-100k start -->") == 1
        assert text.count("<!-- bench:sqlite-100k start -->") == 1
        assert "officer `b`" in text
        assert "officer `a`" in text  # sqlite-100k's section is untouched
        assert (
            text.index("bench:pg-100k start")
            < text.index("bench:sqlite-100k start")
            < text.index(report.CLOSING_MARKER)
        )

    def test_marks_a_list_read_over_the_ratio_target(self) -> None:
        document = _document("x", "a", [_result("q@officer", "officer", 10.0)])

        section = report.markdown_section(document)

        assert "❌ ratio ≤ 3" in section  # the ratio is 4
        assert "10.00 GiB" in section


@pytest.mark.django_db
def test_the_machine_description_names_the_database_and_counts_its_rows(officer: Any, now: datetime) -> None:
    from vanthu.ops.bench.machine import machine_describe

    described = machine_describe(now=now)

    assert described["database"]["vendor"] == connection.vendor
    assert described["counts"]["people"] == Person.objects.count()
    assert described["cores"] >= 1
