"""``vanthu bench --smoke``: every registered scenario, a few iterations each, on a tiny province
made by seed-scale in a throw-away database (in memory on SQLite; ``<name>_bench_smoke`` on the
PostgreSQL server of VANTHU_TEST_DATABASE_URL), so the benchmarks keep working as the screens
change. The real sizes run outside CI (``benchmarks/README.md``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.heavy

ROOT = Path(__file__).resolve().parents[2]


def test_every_scenario_runs_on_a_tiny_seeded_database(tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "VANTHU_"))}
    environment["VANTHU_DATA_DIR"] = str(tmp_path / "data")
    if os.environ.get("VANTHU_TEST_DATABASE_URL"):
        environment["VANTHU_DATABASE_URL"] = os.environ["VANTHU_TEST_DATABASE_URL"]
    output = tmp_path / "smoke.json"

    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "vanthu.cli", "bench", "--smoke", "--json", str(output)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    document = json.loads(output.read_text(encoding="utf-8"))
    listed = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "vanthu.cli", "bench", "--list"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    keys = {r["key"] for r in document["results"]}
    assert keys == {word for word in listed if "@" in word}
    assert not document["problems"]
    for row in document["results"]:
        assert row["view"]["count"] >= 2, row["key"]
        assert row["view"]["p50"] > 0, row["key"]
        assert row["floor"]["p50"] > 0, row["key"]
        assert row["queries"] > 0, row["key"]
    assert document["machine"]["counts"]["documents"] > 0
    assert {"officer", "clerk", "agency_leader"} <= set(document["cast"])
