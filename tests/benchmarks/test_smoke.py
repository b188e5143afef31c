"""The benchmarks run outside CI at their real sizes (see ``benchmarks/``); CI runs each once at a
tiny size so they keep working as the code changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.heavy

ROOT = Path(__file__).resolve().parents[2]


def _run(*arguments: str) -> str:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    result = subprocess.run(  # noqa: S603 - our own scripts
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_delivery_benchmark_runs_at_smoke_size() -> None:
    output = _run("benchmarks/bench_delivery.py", "--smoke")
    assert "recipients" in output


def test_signing_benchmark_runs_one_round() -> None:
    output = _run("benchmarks/bench_signing.py", "--n", "1")
    assert "verify" in output
