"""The Celery application. The database holds all state, so there is no result backend; a message only
says "look at document N", and tasks are safe to receive twice.

Broker: CELERY_BROKER_URL or REDIS_URL; without either, kombu's SQLAlchemy transport on a SQLite file in
the data dir (no server; the queue survives restarts). Neither embedded transport redelivers a message
whose worker was SIGKILLed, so the watcher's reconciler (worker/reconcile.py) re-sends lost work from the
database; with Redis, unacked messages also come back after the visibility timeout.
"""

from __future__ import annotations

import gc
import logging
import os
import resource
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import worker_init, worker_process_init, worker_process_shutdown, worker_shutdown
from kombu import Exchange, Queue

from worker.settings import get_settings
from worker.stages import dump_profile, start_profile

QUEUES = ("native", "ocr")
log = logging.getLogger("ingest.worker")


def _sqlite_queue_connector(path: str) -> Callable[[], sqlite3.Connection]:
    """Connections to the embedded queue's SQLite file in WAL mode with synchronous=NORMAL, like
    ingest.sqlite. In its default rollback-journal mode with full sync every publish and every fetch
    (which marks the message taken) cost three to four fsyncs, 10-17 ms each on the development VM's disk,
    in the importer and the worker's parent alike, and a fetch's write lock shut out the other processes.
    Safe: a commit survives any process's death (SIGKILL included); a power cut may roll back the last
    few, and a message lost that way is re-sent by the reconciler from the documents table, where the
    state lives. The 30 s timeout lets several processes share the file."""

    def connect() -> sqlite3.Connection:
        Path(path).parent.mkdir(parents=True, exist_ok=True)  # on first use, never at import
        conn = sqlite3.connect(path, timeout=1, check_same_thread=False)
        try:
            # Kept in the file, so a no-op after the first time; switching an older rollback-mode file
            # needs a moment when no other process is inside a transaction: wait 1 s for it, not 30.
            conn.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as exc:
            log.warning("queue database stays in its journal mode for now (%s)", exc)
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    return connect


def _transport_options(broker_url: str, hard_limit: float) -> dict[str, Any]:
    if broker_url.startswith("sqla+sqlite"):
        # Passed to SQLAlchemy's create_engine by kombu.
        from sqlalchemy.engine import make_url

        return {"creator": _sqlite_queue_connector(make_url(broker_url.removeprefix("sqla+")).database or "")}
    if broker_url.startswith("sqla+"):
        return {}
    # Redis: an unacked message (its worker died) is handed out again after this; longer than any task.
    return {"visibility_timeout": int(hard_limit * 2 + 60)}


def make_app() -> Celery:
    s = get_settings()
    if s.embedded_broker:
        # kombu passes every transport option of the SQLAlchemy transport on to create_engine, so its
        # poll interval (default 1 s: a worker idles up to 1 s between files) can only be set here.
        from kombu.transport import sqlalchemy as sqla_transport

        sqla_transport.Transport.polling_interval = 0.1
    # fixups=[]: Celery's only built-in fix-up is Django's, whose check imports celery.worker (~35 ms of
    # every `ingest import` start-up, while the workers wait for its first file).
    app = Celery("ingest", broker=s.broker_url, include=["worker.tasks"], fixups=[])
    app.conf.update(
        task_acks_late=True,  # ack after the work is stored: a dead worker's message is not lost
        task_reject_on_worker_lost=True,  # a killed pool child → message requeued, not acked
        worker_prefetch_multiplier=1,  # one file at a time per child (native-only workers: see below)
        task_ignore_result=True,
        task_default_queue="native",
        task_queues=[Queue(q, Exchange(q, type="direct"), routing_key=q) for q in QUEUES],
        task_soft_time_limit=s.soft_time_limit,
        task_time_limit=s.hard_time_limit,
        worker_max_memory_per_child=s.max_memory_per_child_mb * 1024,  # KiB
        broker_transport_options=_transport_options(s.broker_url, s.hard_time_limit),
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # a worker waits for the broker to come back
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
    )
    return app


app = make_app()


@worker_init.connect
def _prefetch_for_queues(sender: Any, **_kwargs: Any) -> None:
    """On the embedded (polling) transport, a worker that takes only `native` files holds a few messages
    per child, so a child that finishes a 0.1 s file starts the next at once instead of idling until its
    parent's next poll (up to 0.1 s a file). Late acknowledgement is unchanged: held messages are not
    acked, and a dead worker's come back (warm-shutdown restore, or the reconciler). Redis hands the
    next message over as soon as the ack is sent, so its workers keep one per child (a Redis run with
    prefetch showed one document finishing ~45 s late, unexplained: not worth the risk for ~1 ms a
    file). Any worker that takes `ocr` keeps one per child: an OCR file runs for minutes, and a message
    held behind one would wait while another OCR worker sits idle.
    (Sent after -Q is applied and before the consumer reads the multiplier.)"""
    s = get_settings()
    if s.embedded_broker and set(sender.app.amqp.queues.consume_from or {}) == {"native"}:
        sender.prefetch_multiplier = max(1, s.native_prefetch)
    start_profile()


@worker_shutdown.connect
def _parent_stop(**_kwargs: Any) -> None:
    dump_profile("parent")


@worker_process_shutdown.connect
def _child_stop(**_kwargs: Any) -> None:
    from worker.links import remove_link_dir

    remove_link_dir()
    dump_profile("child")


@worker_process_init.connect
def _child_start(**_kwargs: Any) -> None:
    """In each pool child: fresh DB connections (never share a socket across fork), and a memory cap so
    that one huge file raises MemoryError in its task instead of taking the machine down."""
    from models.db import data_dir, reset_engine

    reset_engine()
    # The OCR route keeps its cleaned page images (the evidence crops are cut from them) under
    # INGEST_DATA_DIR; without it they would go to the system temp dir and vanish on reboot.
    os.environ.setdefault("INGEST_DATA_DIR", str(data_dir()))
    # Import the pipeline and every reader now, not in the first task: that file would otherwise wait a
    # second or more for the imports.
    from ingest.pipeline import load_stages

    load_stages()

    cap = get_settings().max_memory_mb
    if cap > 0:
        limit = cap * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # What the child holds now (Celery, kombu, SQLAlchemy, the pipeline: ~110,000 objects, twice what a
    # process that only runs extract() has) lives as long as the child: out of the collector's sight, a
    # full collection, which extract()'s own garbage triggers every ~20 files, walks half as many objects,
    # and never writes to pages still shared with the parent (copy-on-write).
    gc.freeze()
    start_profile()
