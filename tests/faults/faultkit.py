"""Tools of the kill tests: the production server (gunicorn, 2 workers) and the Huey consumer
started as real processes on the test database, SIGKILLed and restarted; an API driver of
concurrent client threads that retries what a kill interrupted and keeps what was acknowledged.

The processes run the production settings (PostgreSQL, Redis, file storage, two-factor) against
pytest-django's test database and the test run's blob folder, so the test sees what they wrote."""

from __future__ import annotations

import os
import queue
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import requests


def _redis_url() -> str:
    """Redis db 12 (13, 14, 15 for the xdist workers gw1…gw3): each test run's queue of its own,
    emptied before and after each test."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = int(worker[2:]) if worker[2:].isdigit() else 0
    return os.environ.get("VANTHU_FAULTS_REDIS_URL", f"redis://127.0.0.1:6379/{12 + number % 4}")


REDIS_URL = _redis_url()
SEAL_SECRET_NAME = "STC_SEAL"
SEAL_SECRET = "mat-khau-con-dau"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_environment(data_dir: Path) -> dict[str, str]:
    """The environment of a production process on the test database, blob folder and our Redis db."""
    from django.conf import settings
    from django.db import connection

    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    blobs = settings.STORAGES["blobs"]["OPTIONS"]["location"]
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("VANTHU_", "DJANGO_"))}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "vanthu.config.settings.production",
            "VANTHU_SECRET_KEY": "faults-test-only-" + os.urandom(8).hex(),
            "VANTHU_DATABASE_URL": url,
            "VANTHU_STORAGE_URL": Path(blobs).as_uri(),
            "VANTHU_REDIS_URL": REDIS_URL,
            "VANTHU_SSL_REDIRECT": "0",
            "VANTHU_DATA_DIR": str(data_dir),
            f"VANTHU_SIGNING_KEY_SECRET_{SEAL_SECRET_NAME}": SEAL_SECRET,
            "PYTHONUNBUFFERED": "1",
        }
    )
    return environment


def children_of(pid: int) -> list[int]:
    """The live child processes of ``pid`` (read from /proc)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid …": comm may hold spaces, so split after the last ")".
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            children.append(int(entry.name))
    return children


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2 :].split()[0] != "Z"


def redis_flush() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


class Process:
    """A long-running process in its own session (so a kill of the group takes every child)."""

    def __init__(self, name: str, command: list[str], environment: dict[str, str], log_path: Path) -> None:
        self.name = name
        self.command = command
        self.environment = environment
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        log = self.log_path.open("ab")
        log.write(f"\n===== start {self.starts + 1} of {self.name} =====\n".encode())
        log.flush()
        self.process = subprocess.Popen(  # noqa: S603 - our own commands
            self.command,
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.starts += 1

    def log_tail(self, characters: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-characters:]

    def kill_all(self) -> None:
        """SIGKILL the whole process group (master and workers): a crash of the machine's service."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._wait_group_gone()

    def _wait_group_gone(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.killpg(self.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        raise AssertionError(f"{self.name}: processes left after SIGKILL of the group")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        except ProcessLookupError:
            pass


class Server(Process):
    """gunicorn with 2 sync workers on loopback, production settings."""

    def __init__(self, environment: dict[str, str], log_path: Path, workers: int = 2) -> None:
        self.port = free_port()
        self.workers = workers
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "vanthu.config.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "20",  # an orphaned worker looks for its master every timeout / 2 seconds
            "--graceful-timeout",
            "5",
        ]
        super().__init__("gunicorn", command, environment, log_path)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        return children_of(self.pid)

    def wait_ready(self, timeout: float = 120) -> float:
        """Wait until the master has all its workers and answers /healthz; the seconds it took."""
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.log_tail()}")
            if len(self.worker_pids()) == self.workers:
                try:
                    if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:  # noqa: PLR2004
                        return time.monotonic() - started
                except requests.RequestException:
                    pass
            time.sleep(0.1)
        raise AssertionError(f"gunicorn not ready after {timeout} s:\n{self.log_tail()}")

    def kill_master(self) -> list[int]:
        """SIGKILL the master alone; its workers, orphaned, finish the request they hold and exit
        when they next find no connection waiting (see ``wait_gone``). Returns their ids."""
        assert self.process is not None
        workers = self.worker_pids()
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        return workers

    def wait_gone(self, pids: list[int], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while any(alive(pid) for pid in pids):
            if time.monotonic() > deadline:
                raise AssertionError("orphaned gunicorn workers did not exit")
            time.sleep(0.05)

    def kill_worker(self, chance: random.Random) -> int:
        """SIGKILL one worker (the master forks a new one)."""
        pids = self.worker_pids()
        assert pids, "no gunicorn worker to kill"
        victim = chance.choice(pids)
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while victim in self.worker_pids() and time.monotonic() < deadline:
            time.sleep(0.02)
        return victim


def start_worker(environment: dict[str, str], log_path: Path, workers: int = 2) -> Process:
    """``vanthu worker``: the Huey consumer alone, production settings (Redis)."""
    command = [sys.executable, "-m", "vanthu.cli", "worker", "--workers", str(workers), "--worker-type", "thread"]
    worker = Process("huey", command, environment, log_path)
    worker.start()
    return worker


def bearer_token(url: str, *, username: str, password: str, otp_key: str | None) -> str:
    """A bearer token through the real token endpoint (with the current TOTP code when needed)."""
    payload = {"username": username, "password": password}
    if otp_key is not None:
        from django_otp.oath import totp

        payload["otp"] = f"{totp(bytes.fromhex(otp_key)):06d}"
    response = requests.post(f"{url}/api/v1/auth/token/", json=payload, timeout=30)
    assert response.status_code == 201, response.text  # noqa: PLR2004
    return str(response.json()["token"])


# --- the client -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What the clients saw."""

    acknowledged: dict[int, dict[str, Any]] = field(default_factory=dict)  # id -> body of the 200
    acknowledged_on_retry: dict[int, dict[str, Any]] = field(default_factory=dict)  # id -> body of a 409
    attempts: dict[int, int] = field(default_factory=dict)
    interrupted: list[tuple[float, int]] = field(default_factory=list)  # (time, id): connection lost
    unexpected: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    def done(self) -> int:
        return len(self.acknowledged) + len(self.acknowledged_on_retry)


Classifier = Callable[[int, requests.Response, bool], tuple[str, Any]]


class Driver:
    """``threads`` clients taking ids from a queue and POSTing ``path(id)`` with ``payload``.

    An answer that never came (connection refused or reset: the server was killed) puts the id
    back at the end of the queue. ``classify(id, response, retried)`` answers (verdict, body): "ack",
    "ack_retry" (the work was done by an earlier request whose answer was lost), "again" (ask
    again later) or what was unexpected; the body is what the client keeps as acknowledged."""

    def __init__(  # noqa: PLR0913 - the parts of a load
        self,
        *,
        base_url: Callable[[], str],
        token: str,
        path: Callable[[int], str],
        payload: dict[str, Any],
        ids: list[int],
        threads: int,
        classify: Classifier,
        request_timeout: float = 60,
    ) -> None:
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {token}"}
        self.path = path
        self.payload = payload
        self.classify = classify
        self.request_timeout = request_timeout
        self.pending: queue.Queue[int] = queue.Queue()
        for pk in ids:
            self.pending.put(pk)
        self.total = len(ids)
        self.outcome = Outcome()
        self.lock = threading.Lock()
        self.running = threading.Event()
        self.running.set()
        self.stopping = threading.Event()
        self.in_flight = 0
        self.tried: set[int] = set()
        self.threads = [threading.Thread(target=self._client, daemon=True) for _ in range(threads)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def hold(self) -> None:
        """Let no new request start (the ones under way go on)."""
        self.running.clear()

    def pause(self, timeout: float = 120) -> None:
        """Let no new request start, and wait for the ones under way to end."""
        self.running.clear()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.in_flight == 0:
                    return
            time.sleep(0.02)
        raise AssertionError("requests still under way after the pause timeout")

    def resume(self) -> None:
        self.running.set()

    def stop(self) -> None:
        self.stopping.set()
        self.running.set()
        for thread in self.threads:
            thread.join(timeout=120)

    def finished(self) -> bool:
        with self.lock:
            return self.outcome.done() + len(self.outcome.unexpected) >= self.total

    def done_count(self) -> int:
        with self.lock:
            return self.outcome.done()

    def _client(self) -> None:
        session = requests.Session()
        while not self.stopping.is_set():
            self.running.wait()
            if self.stopping.is_set():
                return
            try:
                pk = self.pending.get(timeout=0.1)
            except queue.Empty:
                continue
            with self.lock:
                if not self.running.is_set():  # paused between the wait and now
                    self.pending.put(pk)
                    continue
                self.in_flight += 1
                retried = pk in self.tried
                self.tried.add(pk)
                self.outcome.attempts[pk] = self.outcome.attempts.get(pk, 0) + 1
            started = time.monotonic()
            try:
                response = session.post(
                    f"{self.base_url()}{self.path(pk)}",
                    json=self.payload,
                    headers=self.headers,
                    timeout=self.request_timeout,
                )
            except requests.RequestException:
                with self.lock:
                    self.outcome.interrupted.append((time.monotonic(), pk))
                    self.in_flight -= 1
                self.pending.put(pk)
                session.close()
                session = requests.Session()
                time.sleep(0.05)
                continue
            body: Any = None
            try:
                verdict, body = self.classify(pk, response, retried)
            except Exception as error:  # noqa: BLE001 - reported by the test
                verdict = f"unexpected: {error!r}"
            with self.lock:
                self.in_flight -= 1
                if verdict == "ack":
                    self.outcome.acknowledged[pk] = body
                    self.outcome.latencies.append(time.monotonic() - started)
                elif verdict == "ack_retry":
                    self.outcome.acknowledged_on_retry[pk] = body
                elif verdict == "again":
                    self.pending.put(pk)
                else:
                    self.outcome.unexpected.append(f"{pk}: {verdict}: {response.status_code} {response.text[:300]}")


def kill(server: Server, driver: Driver, what: str, chance: random.Random) -> list[int]:
    """SIGKILL ``what`` ("worker", "master" or "server": master and workers) while requests are
    under way, then wait for every request to end and the killed processes to be gone; the ids
    whose request was interrupted. The clients stay paused (``restart`` resumes them)."""
    driver.hold()
    killed_at = time.monotonic()
    orphans: list[int] = []
    if what == "worker":
        server.kill_worker(chance)
    elif what == "master":
        orphans = server.kill_master()
    else:
        server.kill_all()
    driver.pause()
    server.wait_gone(orphans)
    with driver.lock:
        return [pk for moment, pk in driver.outcome.interrupted if moment >= killed_at]


def restart(server: Server, driver: Driver, what: str) -> float:
    """Start the server again when its master died, wait until it serves, resume the clients; the
    seconds from now until the server was ready again."""
    if what != "worker":
        server.start()
    seconds = server.wait_ready()
    driver.resume()
    return seconds


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
