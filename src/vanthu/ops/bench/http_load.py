"""Throughput of the real HTTP server: gunicorn (2 sync workers, the production settings) on
127.0.0.1 against the benchmark's database, under a bounded mixed load of reads (the read
scenarios' URLs, each with the session cookie of its person) from ``wrk`` on loopback (Debian
package ``wrk``; a small threaded Python generator when it is missing). Reports requests/s, latency
percentiles and the errors (non-2xx/3xx answers, socket errors)."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from vanthu.ops.bench import measure

Say = Callable[[str], None]
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Target:
    screen: str
    role: str
    path: str
    cookie: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _database_url() -> str:
    values = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(str(values["USER"] or ""))
        password = f":{quote(str(values['PASSWORD']))}" if values.get("PASSWORD") else ""
        return f"postgres://{user}{password}@{values['HOST'] or HOST}:{values['PORT'] or 5432}/{values['NAME']}"
    return f"sqlite:///{Path(str(values['NAME'])).resolve()}"


def _storage_url() -> str:
    storage = settings.STORAGES["blobs"]
    options = storage.get("OPTIONS") if isinstance(storage, dict) else None
    location = options.get("location") if isinstance(options, dict) else None
    if location:
        return Path(str(location)).resolve().as_uri()
    return str(os.environ.get("VANTHU_STORAGE_URL", ""))


def server_environment(redis_url: str) -> dict[str, str]:
    """The production settings, pointed at this run's database, blobs and secret key (so the
    sessions made here are valid there)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment |= {
        "DJANGO_SETTINGS_MODULE": "vanthu.config.settings.production",
        "VANTHU_SECRET_KEY": str(settings.SECRET_KEY),
        "VANTHU_DATABASE_URL": _database_url(),
        "VANTHU_STORAGE_URL": _storage_url(),
        "VANTHU_REDIS_URL": redis_url,
        "VANTHU_SSL_REDIRECT": "0",
        "VANTHU_ALLOWED_HOSTS": HOST,
        "VANTHU_DATA_DIR": str(settings.DATA_DIR),
    }
    return environment


def _wait_ready(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with status {process.returncode}")
        try:
            connection_ = http.client.HTTPConnection(HOST, port, timeout=2)
            connection_.request("GET", "/healthz")
            if connection_.getresponse().status == 200:  # noqa: PLR2004
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz in time")


WRK_SCRIPT = """
local targets = %(targets)s
local counter = 0
local next_id = 0
local threads = {}
not_ok = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end
function init(args)
  counter = id * 7
end
function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
function request()
  counter = counter + 1
  local target = targets[(counter %% #targets) + 1]
  return wrk.format("GET", target[1], {["Cookie"] = target[2], ["Host"] = "%(host)s"})
end
function done(summary, latency, requests)
  local e = summary.errors
  local total_not_ok = 0
  for _, thread in ipairs(threads) do total_not_ok = total_not_ok + thread:get("not_ok") end
  io.write("WRK-JSON " .. string.format(
    '{"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, "write": %%d, "status": %%d,'
    .. ' "timeout": %%d, "not_200": %%d, "p50": %%d, "p90": %%d, "p95": %%d, "p99": %%d, "max": %%d}',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, total_not_ok,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max) .. "\\n")
end
"""


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _run_wrk(wrk: str, port: int, targets: list[Target], connections: int, seconds: int) -> dict[str, Any]:
    entries = ", ".join(f"{{{_lua_string(t.path)}, {_lua_string(t.cookie)}}}" for t in targets)
    script = WRK_SCRIPT % {"targets": "{" + entries + "}", "host": HOST}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as file:
        file.write(script)
    try:
        result = subprocess.run(  # noqa: S603 - our own arguments
            [
                wrk,
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "30s",
                "-s",
                file.name,
                f"http://{HOST}:{port}/",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 120,
            check=False,
        )
    finally:
        Path(file.name).unlink(missing_ok=True)
    line = next((x for x in result.stdout.splitlines() if x.startswith("WRK-JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {result.stdout}\n{result.stderr}")
    raw = json.loads(line.removeprefix("WRK-JSON "))
    # A page answered with anything but 200 (an error, or a redirect to the sign-in page) is an error.
    errors = sum(raw[key] for key in ("connect", "read", "write", "timeout")) + raw["not_200"]
    return {
        "generator": "wrk (2 threads)",
        "requests": raw["requests"],
        "requests_per_second": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "latency_ms": {key: round(raw[key] / 1000, 1) for key in ("p50", "p90", "p95", "p99", "max")},
        "errors": errors,
        "error_kinds": {key: raw[key] for key in ("connect", "read", "write", "timeout", "status", "not_200")},
    }


def _run_python(port: int, targets: list[Target], connections: int, seconds: int) -> dict[str, Any]:
    timings: list[float] = []
    errors = {"status": 0, "socket": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user(index: int) -> None:
        counter = index * 7
        link = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            target = targets[counter % len(targets)]
            counter += 1
            started = time.perf_counter()
            try:
                link.request("GET", target.path, headers={"Cookie": target.cookie, "Host": HOST})
                response = link.getresponse()
                response.read()
                status = response.status
            except OSError:
                with lock:
                    errors["socket"] += 1
                link.close()
                link = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
            elapsed = time.perf_counter() - started
            with lock:
                timings.append(elapsed)
                if status != 200:  # noqa: PLR2004 - a redirect to the sign-in page is an error too
                    errors["status"] += 1
        link.close()

    started = time.monotonic()
    threads = [threading.Thread(target=user, args=(index,)) for index in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    summary = measure.Summary.of(timings)
    return {
        "generator": f"Python threads ({connections})",
        "requests": len(timings),
        "requests_per_second": round(len(timings) / duration, 1),
        "latency_ms": {
            "p50": summary.p50,
            "p90": round(measure.percentile([t * 1000 for t in timings], 0.90), 1),
            "p95": summary.p95,
            "p99": summary.p99,
            "max": round(max(timings, default=0) * 1000, 1),
        },
        "errors": errors["status"] + errors["socket"],
        "error_kinds": errors,
    }


def _check_targets(port: int, targets: list[Target]) -> None:
    """Every URL answers 200 to its person through the real server (not a sign-in redirect)."""
    for target in targets:
        link = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            link.request("GET", target.path, headers={"Cookie": target.cookie, "Host": HOST})
            status = link.getresponse().status
        finally:
            link.close()
        if status != 200:  # noqa: PLR2004
            raise RuntimeError(f"{target.screen}@{target.role} {target.path} answered {status} through gunicorn")


def http_throughput(
    *, targets: list[Target], seconds: int, connections: int, redis_url: str, say: Say
) -> dict[str, Any]:
    environment = server_environment(redis_url)
    say("collectstatic for the production settings …")
    subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "--verbosity", "0"],
        env=environment,
        check=True,
        capture_output=True,
    )
    port = _free_port()
    say(f"gunicorn, 2 workers, on {HOST}:{port} …")
    server = subprocess.Popen(  # noqa: S603 - our own command
        [
            sys.executable,
            "-m",
            "gunicorn",
            "vanthu.config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"{HOST}:{port}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_ready(port, server)
        _check_targets(port, targets)
        wrk = shutil.which("wrk")
        say(f"load: {connections} connections, {seconds} s, {len(targets)} URLs, {'wrk' if wrk else 'Python'} …")
        if wrk:
            outcome = _run_wrk(wrk, port, targets, connections, seconds)
        else:
            outcome = _run_python(port, targets, connections, seconds)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return {
        "server": "gunicorn 2 sync workers (production settings)",
        "seconds": seconds,
        "connections": connections,
        "mix": [{"screen": t.screen, "role": t.role, "path": t.path} for t in targets],
        **outcome,
    }
