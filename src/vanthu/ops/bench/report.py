"""The JSON of one run and its Markdown section in ``benchmarks/RESULTS.md`` (one section per
label, replaced when the label runs again), with the targets of issue 6 checked:

- overhead ratio (view / floor) ≤ 3 on list and detail reads (p50);
- OFFICER p95 ≤ 1.5 × AGENCY_LEADER p95 on the same screen;
- p95 of a larger database ≤ 1.5 × p95 of the baseline label (``--baseline pg-100k``)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

RATIO_TARGET = 3.0
ROLE_TARGET = 1.5
SCALE_TARGET = 1.5
TARGETED = ("list", "detail")


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"  # noqa: PLR2004 - one decimal below 100 ms


def _mark(ok: bool) -> str:  # noqa: FBT001
    return "✅" if ok else "❌"


def _size(size: int) -> str:
    return f"{size / 1024**3:.2f} GiB" if size >= 1024**3 else f"{size / 1024**2:.0f} MiB"


def role_comparison(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_key = {r["key"]: r for r in results}
    rows = []
    for result in results:
        if result["role"] != "officer":
            continue
        leader = by_key.get(f"{result['screen']}@agency_leader")
        if leader is None:
            continue
        ratio = result["view"]["p95"] / leader["view"]["p95"] if leader["view"]["p95"] else 0.0
        rows.append(
            {
                "screen": result["screen"],
                "officer_p95": result["view"]["p95"],
                "leader_p95": leader["view"]["p95"],
                "ratio": round(ratio, 2),
                "ok": ratio <= ROLE_TARGET,
            }
        )
    return rows


def scale_comparison(results: list[dict[str, Any]], baseline: dict[str, Any]) -> list[dict[str, Any]]:
    before = {r["key"]: r for r in baseline["results"]}
    rows = []
    for result in results:
        previous = before.get(result["key"])
        if previous is None or not previous["view"]["p95"]:
            continue
        ratio = result["view"]["p95"] / previous["view"]["p95"]
        rows.append(
            {
                "key": result["key"],
                "baseline_p95": previous["view"]["p95"],
                "p95": result["view"]["p95"],
                "ratio": round(ratio, 2),
                "ok": ratio <= SCALE_TARGET,
            }
        )
    return rows


def run_document(
    *,
    label: str,
    machine: dict[str, Any],
    cast: dict[str, str],
    results: list[dict[str, Any]],
    options: dict[str, Any],
    http: dict[str, Any] | None = None,
    baseline: dict[str, Any] | None = None,
    problems: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "label": label,
        "machine": machine,
        "cast": cast,
        "options": options,
        "results": results,
        "problems": problems or [],
        "role_comparison": role_comparison(results),
    }
    if baseline is not None:
        document["baseline"] = baseline["label"]
        document["scale_comparison"] = scale_comparison(results, baseline)
    if http is not None:
        document["http"] = http
    return document


def markdown_section(document: dict[str, Any]) -> str:  # noqa: PLR0915 - one table after another
    machine = document["machine"]
    database = machine["database"]
    counts = machine["counts"]
    lines = [
        f"## {document['label']}",
        "",
        f"Measured {machine['date']} on {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB RAM,"
        f" {machine['os']} (load average 1/5/15 min at the start"
        f" {' / '.join(str(v) for v in document['options'].get('load_average_start', []))}, at the end"
        f" {' / '.join(str(v) for v in machine.get('load_average', []))});"
        f" Python {machine['python']}, Django {machine['django']}"
        + (f", commit {machine['commit']}" if machine.get("commit") else "")
        + ".",
        f"Database: {database['version']} (`{database['name']}`, {_size(database['size_bytes'])}); SQLite library"
        f" {database['sqlite_version']}.",
        f"Data: {counts['documents']:,} documents ({counts['outgoing']:,} outgoing, {counts['incoming']:,} incoming),"
        f" {counts['audit_events']:,} audit events, {counts['agencies']:,} agencies, {counts['people']:,} people.",
        "People: " + ", ".join(f"{role} `{name}`" for role, name in document["cast"].items()) + ".",
        f"Iterations: {document['options']['iterations']} per read scenario (fewer for writes and the register;"
        f" a scenario stops after {document['options'].get('budget_seconds', 0):g} s once it has 10), warm-up"
        f" {document['options']['warmup']}; times in ms through Django's test client (middleware, permissions,"
        " templates) in one process, each request alternating with its floor.",
        "",
        "| Screen | Role | n | p50 | p95 | p99 | floor p50 | floor p95 | ratio p50 | ratio p95 | queries | target |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for r in document["results"]:
        floor_kind = "" if r["floor_kind"] == "replay" else " (db)"
        if r["category"] in TARGETED:
            target = f"{_mark(r['ratio_p50'] <= RATIO_TARGET)} ratio ≤ {RATIO_TARGET:g}"
        else:
            target = "—"
        notes = f" <br><small>{'; '.join(r['notes'])}</small>" if r["notes"] else ""
        lines.append(
            f"| {r['title']} `{r['screen']}`{notes} | {r['role']} | {r['iterations']} | {_ms(r['view']['p50'])} |"
            f" {_ms(r['view']['p95'])} | {_ms(r['view']['p99'])} | {_ms(r['floor']['p50'])}{floor_kind} |"
            f" {_ms(r['floor']['p95'])}{floor_kind} | {r['ratio_p50']:.2f} | {r['ratio_p95']:.2f} | {r['queries']:g} |"
            f" {target} |"
        )
    lines += [
        "",
        "Floor: the SQL the request ran (captured, parameters bound, permission filter included) replayed on a raw"
        " cursor fetching every row, in one rolled-back transaction; for writes (db) the time the database spent on"
        " the request's own statements (a write cannot be replayed).",
    ]
    for problem in document.get("problems") or []:
        lines.append(f"- `{problem['key']}` {problem['kind']}: {problem['reason']}")
    roles = document.get("role_comparison") or []
    if roles:
        lines += [
            "",
            f"**Role comparison** (target: OFFICER p95 ≤ {ROLE_TARGET:g} × AGENCY_LEADER p95 on the same screen)",
            "",
            "| Screen | OFFICER p95 | AGENCY_LEADER p95 | ratio | target |",
            "|---|--:|--:|--:|---|",
        ]
        lines += [
            f"| `{row['screen']}` | {_ms(row['officer_p95'])} | {_ms(row['leader_p95'])} | {row['ratio']:.2f} |"
            f" {_mark(row['ok'])} |"
            for row in roles
        ]
    scale = document.get("scale_comparison") or []
    if scale:
        lines += [
            "",
            f"**Scale** (target: p95 here ≤ {SCALE_TARGET:g} × p95 of `{document['baseline']}`)",
            "",
            f"| Scenario | p95 `{document['baseline']}` | p95 here | ratio | target |",
            "|---|--:|--:|--:|---|",
        ]
        lines += [
            f"| `{row['key']}` | {_ms(row['baseline_p95'])} | {_ms(row['p95'])} | {row['ratio']:.2f} |"
            f" {_mark(row['ok'])} |"
            for row in scale
        ]
    http = document.get("http")
    if http:
        lines += ["", *http_lines(http)]
    return "\n".join(lines) + "\n"


def http_lines(http: dict[str, Any]) -> list[str]:
    latency = http.get("latency_ms", {})
    return [
        f"**HTTP throughput** — {http['server']} against the same database, {http['generator']} on loopback,"
        f" {http['connections']} connections for {http['seconds']} s, mixed reads of {len(http['mix'])} URLs"
        f" ({', '.join(sorted({item['screen'] + '@' + item['role'] for item in http['mix']}))})"
        + (
            f", load average at its start {' / '.join(str(v) for v in http['load_average_start'])}"
            if http.get("load_average_start")
            else ""
        )
        + ":",
        "",
        "| requests | requests/s | p50 ms | p90 ms | p95 ms | p99 ms | errors (not 200, socket, timeout) |",
        "|--:|--:|--:|--:|--:|--:|--:|",
        f"| {http['requests']:,} | {http['requests_per_second']:.1f} | {_ms(latency.get('p50', 0))} |"
        f" {_ms(latency.get('p90', 0))} | {_ms(latency.get('p95', 0))} | {_ms(latency.get('p99', 0))} |"
        f" {http['errors']} |",
    ]


_SECTION = "<!-- bench:{label} {edge} -->"


def results_update(path: Path, document: dict[str, Any]) -> None:
    """Replace the label's section of ``path`` (between its markers), or append it."""
    label = document["label"]
    start, end = _SECTION.format(label=label, edge="start"), _SECTION.format(label=label, edge="end")
    section = f"{start}\n{markdown_section(document)}{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else RESULTS_HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section, text)
    else:
        closing = text.find(CLOSING_MARKER)
        if closing >= 0:
            text = text[:closing] + section + "\n\n" + text[closing:]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def json_write(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


CLOSING_MARKER = "<!-- bench:closing -->"
RESULTS_HEADER = """# Benchmark results

Measured by `vanthu bench` (see `benchmarks/README.md`); one section per configuration, each
replaced when its label runs again. The JSON of each run is in `benchmarks/results/<label>.json`.

<!-- bench:closing -->
"""
