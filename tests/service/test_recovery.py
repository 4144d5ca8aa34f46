"""Recovery on the embedded backend (SQLite database + SQLite queue), with the real service processes:
a successful `ingest retry` takes the original out of failed/, workers without any watcher recover a
document whose whole worker was killed, and a SQLite file locked by another process loses nothing."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from models.tables import FINAL_STATUSES, PROCESSING, QUEUED
from tests.service.conftest import ingest, wait_until
from tests.service.corpus import report_text, write
from tests.service.test_faults import import_dir, reports_per_document, wait_all_final

pytestmark = pytest.mark.services

SUCCESS = ("done", "needs_review")


def test_successful_retry_moves_the_original_out_of_failed(make_service) -> None:
    svc = make_service()
    svc.watcher()
    write(svc.inbox / "山东省" / "r.txt", report_text(11))
    wait_until(lambda: len(svc.documents()) == 1 and svc.documents()[0].status == QUEUED, 30, what="intake")
    doc = svc.documents()[0]
    assert doc.inbox_path == str(svc.inbox / "processed" / "山东省" / "r.txt")
    # A real transient failure: the stored original is unavailable (store volume gone) when the task runs.
    stored, aside = Path(doc.store_path), Path(doc.store_path + ".away")
    stored.rename(aside)
    svc.worker(concurrency=1)
    wait_until(lambda: svc.documents()[0].status == "failed", 60, what="document failed")
    failed = svc.inbox / "failed" / "山东省" / "r.txt"
    doc = svc.documents()[0]
    assert doc.error_code == "io_error" and doc.inbox_path == str(failed) and failed.is_file()
    assert Path(f"{failed}.reason.txt").read_text(encoding="utf-8").strip() == doc.reason
    aside.rename(stored)  # the store is back
    assert "Re-queued 1 failed document(s); 1 sent now." in ingest(svc, "retry")
    wait_until(lambda: svc.documents()[0].status in SUCCESS, 60, what="retried document processed")
    wait_until(lambda: not failed.exists(), 10, what="original out of failed/")
    doc = svc.documents()[0]
    processed = svc.inbox / "processed" / "山东省" / "r.txt"
    assert doc.inbox_path == str(processed) and processed.read_text(encoding="utf-8") == report_text(11)
    assert not Path(f"{failed}.reason.txt").exists(), "a stale reason must not stay behind"
    assert [p for p in (svc.inbox / "failed").rglob("*") if p.is_file()] == []
    assert doc.attempts == 1 and reports_per_document(svc) == {doc.id: 1}


def test_workers_without_watcher_recover_a_killed_worker(make_service, tmp_path: Path) -> None:
    svc = make_service(
        INGEST_DEBUG_TASK_DELAY="3",
        INGEST_HARD_TIME_LIMIT="15",
        INGEST_SOFT_TIME_LIMIT="14",
        INGEST_HEARTBEAT_SECONDS="2",
    )
    svc.worker("w1", concurrency=1)
    write(tmp_path / "in" / "a.txt", report_text(12))
    import_dir(svc, tmp_path / "in")  # no watcher at any point in this test
    wait_until(lambda: svc.documents()[0].status == PROCESSING, 30, what="task started")
    svc.kill("w1")  # SIGKILL of the whole worker: the embedded queue never redelivers its message
    started = time.monotonic()
    svc.worker("w2", concurrency=1)  # two workers, two reconcilers: the document is still taken once
    svc.worker("w3", concurrency=1)
    wait_all_final(svc, 1, 90)
    doc = svc.documents()[0]
    assert doc.attempts == 2, "claimed once by the killed worker, once after recovery"
    assert sum(reports_per_document(svc).values()) == (0 if doc.status == "failed" else 1)
    assert "reconciler re-sent 1 document(s)" in svc.log("w2") + svc.log("w3")
    assert "watcher" not in svc.procs and time.monotonic() - started < 90


def hold_exclusive(db: Path, seconds: float, held: threading.Event) -> None:
    """Another process's writer: BEGIN EXCLUSIVE on the service's database for `seconds`."""
    conn = sqlite3.connect(db, timeout=60, isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        held.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_sqlite_locked_by_another_process_loses_nothing(make_service) -> None:
    # A 2 s busy timeout, so the 10 s lock goes past it: intake and tasks meet real "database is locked".
    # Each task holds its claim 1 s longer, so tasks are still in flight when the lock is taken.
    svc = make_service(INGEST_SQLITE_BUSY_TIMEOUT="2", INGEST_DEBUG_TASK_DELAY="2")
    worker = svc.worker(concurrency=2)
    watcher = svc.watcher()
    for i in range(8):
        write(svc.inbox / "before" / f"r{i}.txt", report_text(500 + i))
    # Lock while a task is in flight (not after a fixed sleep: a loaded machine starts the worker late).
    wait_until(
        lambda: any(d.status == "processing" for d in svc.documents()), 120, step=0.2, what="a task in flight"
    )
    held = threading.Event()
    locker = threading.Thread(target=hold_exclusive, args=(svc.data / "ingest.sqlite", 10, held))
    locker.start()
    assert held.wait(30), "could not take the lock"
    for i in range(8):
        write(svc.inbox / "during" / f"r{i}.txt", report_text(600 + i))
    locker.join()
    wait_all_final(svc, 16, 120, step=1)
    docs = svc.documents()
    assert not [d.reason for d in docs if d.status == "failed"], "a lock must not fail a document"
    assert max(reports_per_document(svc).values()) == 1
    assert "retry: Retry in" in svc.log("worker"), "no task met the lock"
    assert "database is locked" in svc.log("watcher"), "intake did not meet the lock"
    assert worker.poll() is None and watcher.poll() is None
    inbox_left = [
        p for p in svc.inbox.rglob("*") if p.is_file() and p.parts[len(svc.inbox.parts)] == "during"
    ]
    assert inbox_left == [], "every file was taken from the inbox"
    assert all(d.status in FINAL_STATUSES for d in docs)
