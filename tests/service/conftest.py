"""Fixtures for the service tests: a throwaway PostgreSQL database, a clean Redis db, and the real
service processes (watcher + Celery worker) started as subprocesses against them.

They skip (with the reason) only when Redis or PostgreSQL cannot be reached."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tests.postgres import scratch_database

ROOT = Path(__file__).resolve().parents[2]
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_TEST_DB = int(
    os.environ.get("INGEST_TEST_REDIS_DB", "11")
)  # helpers running side by side each take one
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.25, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")


@pytest.fixture
def pg_url() -> Iterator[str]:
    with scratch_database() as url:
        yield url


def redis_cli(*args: str) -> str:
    return subprocess.run(
        ["redis-cli", "-h", REDIS_HOST, "-p", str(REDIS_PORT), *args],
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout.strip()


def start_redis() -> None:
    if not reachable(REDIS_HOST, REDIS_PORT):
        subprocess.run(REDIS_START, check=True, timeout=20)
        wait_until(lambda: redis_cli("ping") == "PONG", 20, what="redis to start")


@pytest.fixture
def redis_url() -> Iterator[str]:
    if not reachable(REDIS_HOST, REDIS_PORT):
        pytest.skip(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    redis_cli("-n", str(REDIS_TEST_DB), "flushdb")
    try:
        yield f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_TEST_DB}"
    finally:
        start_redis()  # a test that stopped Redis must never leave it stopped
        redis_cli("-n", str(REDIS_TEST_DB), "flushdb")


@dataclass
class Service:
    """The watcher and workers of one test, on its own data dir, database and broker."""

    data: Path
    env: dict[str, str]
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def inbox(self) -> Path:
        return self.data / "inbox"

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.data / f"{name}.log").open("ab")
        proc = subprocess.Popen(
            [sys.executable, "-m", "ingest.cli", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def command(self, *args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
        """Run one `ingest` command against this service (its messages in `lang`) and wait for it."""
        return subprocess.run(
            [sys.executable, "-m", "ingest.cli", *args],
            cwd=ROOT,
            env={**self.env, "INGEST_LANG": lang},
            capture_output=True,
            text=True,
            timeout=120,
        )

    def watcher(self) -> subprocess.Popen[bytes]:
        return self.start("watcher", "watch")

    def worker(
        self, name: str = "worker", queues: str = "native,ocr", concurrency: int = 2
    ) -> subprocess.Popen[bytes]:
        proc = self.start(
            name,
            "worker",
            "--queues",
            queues,
            "--concurrency",
            str(concurrency),
            "--name",
            f"{name}-{uuid.uuid4().hex[:6]}@%h",
        )
        wait_until(lambda: b" ready." in (self.data / f"{name}.log").read_bytes(), 60, what=f"{name} ready")
        return proc

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        proc.wait(timeout=30)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.kill(name, signal.SIGKILL)

    def session(self) -> Session:
        from models.db import make_engine

        return Session(make_engine(self.env["DATABASE_URL"]))

    def documents(self) -> list:  # type: ignore[type-arg]
        from models.tables import Document

        with self.session() as s:
            return list(s.exec(select(Document)))

    def log(self, name: str) -> str:
        return (self.data / f"{name}.log").read_text(errors="replace")


@pytest.fixture
def make_service(tmp_path: Path) -> Iterator[Callable[..., Service]]:
    services: list[Service] = []

    def make(database_url: str | None = None, broker_url: str | None = None, **settings: str) -> Service:
        data = tmp_path / f"svc{len(services)}"
        (data / "inbox").mkdir(parents=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("INGEST_", "CELERY_", "REDIS_"))}
        env.update(
            {
                "INGEST_DATA_DIR": str(data),
                "DATABASE_URL": database_url or f"sqlite:///{data / 'ingest.sqlite'}",
                "INGEST_SETTLE_SECONDS": "1.0",
                "INGEST_RESCAN_SECONDS": "5",
                "INGEST_RECONCILE_SECONDS": "2",
                "INGEST_REQUEUE_AFTER": "6",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if broker_url:
            env["CELERY_BROKER_URL"] = broker_url
        env.update(settings)
        svc = Service(data, env)
        services.append(svc)
        subprocess.run(
            [sys.executable, "-m", "ingest.cli", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        return svc

    yield make
    for svc in services:
        svc.stop_all()


class PgProxy:
    """A TCP proxy in front of PostgreSQL that can be cut: while down it refuses connections and drops
    the open ones, as a database restart or a network outage does."""

    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5432)) -> None:
        import threading

        self.target = target
        self.port = _free_port()
        self.conns: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener: socket.socket | None = None
        self.up()

    def up(self) -> None:
        import threading

        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self) -> None:
        assert self.listener is not None
        self.listener.close()
        self.listener = None
        with self.lock:
            for c in self.conns:
                with contextlib.suppress(OSError):
                    c.shutdown(socket.SHUT_RDWR)
                c.close()
            self.conns.clear()

    def _accept(self, listener: socket.socket) -> None:
        import threading

        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.conns += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ingest(svc: Service, *args: str) -> str:
    """An `ingest` command that must succeed; its output (English)."""
    done = svc.command(*args)
    done.check_returncode()
    return done.stdout
