"""Service settings, all from the environment (documented in docs/service.md). Read once per process."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from models.db import data_dir


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    inbox: Path
    store: Path
    broker_url: str
    watch_mode: str  # auto | events | poll
    settle_seconds: float  # a file must keep its size and mtime this long before we take it
    poll_seconds: float  # PollingObserver interval (network shares)
    rescan_seconds: float  # full inbox rescan, a safety net for missed events
    reconcile_seconds: float  # how often the watcher re-sends lost work
    requeue_after: float  # a `queued` document not picked up this long is sent again (if its queue is empty)
    soft_time_limit: float  # per file: the task stops itself and records a timeout
    hard_time_limit: float  # per file: the worker kills the child process
    heartbeat_seconds: float  # a running task renews its claim's lease this often
    max_attempts: int  # claims of one document before it is failed as a crasher
    max_memory_mb: int  # address-space cap of a worker child during a task (0: none)
    max_memory_per_child_mb: int  # child replaced after a task that grew it past this
    native_prefetch: int  # messages each child of a native-only worker holds on the embedded transport
    debug_task_delay: float  # fault-injection tests only: sleep after claiming a document
    debug_import_delay: float  # interruption tests only: sleep after importing each file

    @property
    def lease_seconds(self) -> float:
        """A claim not renewed for three heartbeats is presumed dead (one missed beat, a slow database
        write, is not death)."""
        return 3 * self.heartbeat_seconds

    @property
    def embedded_broker(self) -> bool:
        return self.broker_url.startswith("sqla+")


def _broker_url(data: Path) -> str:
    url = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL")
    # Embedded default: a SQLite file, no server, survives restarts (see docs/service.md for why sqla).
    return url or f"sqla+sqlite:///{data / 'queue.sqlite'}"


@cache
def get_settings() -> Settings:
    data = data_dir()
    inbox = Path(os.environ.get("INGEST_INBOX", data / "inbox")).resolve()
    return Settings(
        data_dir=data,
        inbox=inbox,
        store=data / "store",
        broker_url=_broker_url(data),
        watch_mode=os.environ.get("INGEST_WATCH_MODE", "auto"),
        settle_seconds=_float("INGEST_SETTLE_SECONDS", 2.0),
        poll_seconds=_float("INGEST_POLL_SECONDS", 2.0),
        rescan_seconds=_float("INGEST_RESCAN_SECONDS", 30.0),
        reconcile_seconds=_float("INGEST_RECONCILE_SECONDS", 15.0),
        requeue_after=_float("INGEST_REQUEUE_AFTER", 60.0),
        soft_time_limit=_float("INGEST_SOFT_TIME_LIMIT", 300.0),
        hard_time_limit=_float("INGEST_HARD_TIME_LIMIT", 360.0),
        heartbeat_seconds=_float("INGEST_HEARTBEAT_SECONDS", 10.0),
        max_attempts=_int("INGEST_MAX_ATTEMPTS", 3),
        max_memory_mb=_int("INGEST_MAX_MEMORY_MB", 3072),
        max_memory_per_child_mb=_int("INGEST_MAX_MEMORY_PER_CHILD_MB", 1024),
        native_prefetch=_int("INGEST_NATIVE_PREFETCH", 4),
        debug_task_delay=_float("INGEST_DEBUG_TASK_DELAY", 0.0),
        debug_import_delay=_float("INGEST_DEBUG_IMPORT_DELAY", 0.0),
    )
