"""Faults a real deployment meets: killed workers, a Redis restart, a database outage. Nothing is lost,
nothing is stored twice."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from models.tables import FINAL_STATUSES, PROCESSING, Report
from tests.service.conftest import ROOT, PgProxy, Service, redis_cli, start_redis, wait_until
from tests.service.corpus import report_text, write

pytestmark = pytest.mark.services


def import_dir(svc: Service, folder: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "ingest.cli", "import", "--no-wait", str(folder)],
        cwd=ROOT,
        env=svc.env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def all_final(svc: Service, n: int) -> bool:
    docs = svc.documents()
    return len(docs) == n and all(d.status in FINAL_STATUSES for d in docs)


def wait_all_final(svc: Service, n: int, timeout: float, step: float = 0.25) -> None:
    """Wait for `n` stored documents, all final; on time-out say which were not, and what the inbox still
    holds: a fault that strands a document must say where it stopped."""
    try:
        wait_until(lambda: all_final(svc, n), timeout, step=step, what=f"all {n} documents final")
    except AssertionError as exc:
        docs = svc.documents()
        stuck = [
            f"{d.original_name}: {d.status}, attempts {d.attempts}, queue {d.queue}, task {d.task_id}, "
            f"lease {d.lease_until}, enqueued {d.enqueued_at}, reason {d.reason!r}"
            for d in docs
            if d.status not in FINAL_STATUSES
        ]
        left = sorted(p.name for p in svc.inbox.iterdir() if p.is_file())
        raise AssertionError(
            f"{exc}: {len(docs)} stored; not final: {stuck or 'none'}; left in the inbox: {left or 'nothing'}"
        ) from None


def pool_children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def reports_per_document(svc: Service) -> dict[int, int]:
    with svc.session() as s:
        return dict(s.exec(select(Report.document_id, func.count()).group_by(Report.document_id)).all())


def test_sigkill_of_pool_child_is_redelivered_and_completes_once(make_service, tmp_path: Path) -> None:
    svc = make_service(INGEST_DEBUG_TASK_DELAY="3")  # embedded broker and SQLite
    worker = svc.worker(concurrency=1)
    write(tmp_path / "in" / "a.txt", report_text(1))
    import_dir(svc, tmp_path / "in")
    wait_until(lambda: svc.documents()[0].status == PROCESSING, 30, what="task started")
    (celery_main,) = pool_children(worker.pid)  # `ingest worker` supervises the Celery main process
    children = pool_children(celery_main)
    assert len(children) == 1
    subprocess.run(["kill", "-KILL", str(children[0])], check=True)  # the child running the task
    wait_all_final(svc, 1, 60)
    doc = svc.documents()[0]
    assert doc.attempts == 2  # killed once, redelivered once
    assert reports_per_document(svc) == ({doc.id: 1} if doc.status != "failed" else {})
    assert worker.poll() is None and pool_children(worker.pid) == [celery_main], "the worker must survive"
    assert "WorkerLostError" in svc.log("worker")


def test_sigkill_of_whole_worker_is_recovered_by_reconciler(
    make_service, pg_url: str, redis_url: str, tmp_path: Path
) -> None:
    svc = make_service(
        pg_url,
        redis_url,
        INGEST_DEBUG_TASK_DELAY="3",
        INGEST_HARD_TIME_LIMIT="5",
        INGEST_SOFT_TIME_LIMIT="4",
        INGEST_HEARTBEAT_SECONDS="1",
    )
    svc.worker("w1", concurrency=1)
    write(tmp_path / "in" / "a.txt", report_text(2))
    import_dir(svc, tmp_path / "in")
    wait_until(lambda: svc.documents()[0].status == PROCESSING, 30, what="task started")
    svc.kill("w1")  # SIGKILL to the whole process group: main process and child, message unacked
    svc.worker("w2", concurrency=1)
    svc.watcher()  # its reconciler frees the dead claim once the lease runs out
    wait_all_final(svc, 1, 60)
    doc = svc.documents()[0]
    assert doc.attempts == 2
    assert sum(reports_per_document(svc).values()) == (0 if doc.status == "failed" else 1)


def test_redis_restart_while_files_arrive_loses_nothing(make_service, pg_url: str, redis_url: str) -> None:
    svc = make_service(pg_url, redis_url)
    svc.worker(concurrency=2)
    svc.watcher()
    for i in range(20):
        write(svc.inbox / "before" / f"r{i}.txt", report_text(100 + i))
    try:
        time.sleep(1.5)  # some taken and queued, some not yet
        redis_cli("shutdown", "nosave")  # queued messages vanish with it
        wait_until(lambda: redis_cli("ping") != "PONG", 10, what="redis down")
        for i in range(20):
            write(svc.inbox / "during" / f"r{i}.txt", report_text(200 + i))
        time.sleep(4)
    finally:
        start_redis()
    wait_all_final(svc, 40, 120, step=1)
    assert max(reports_per_document(svc).values(), default=1) == 1


def test_database_outage_is_retried(make_service, redis_url: str, pg_url: str) -> None:
    proxy = PgProxy()
    via_proxy = pg_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    svc = make_service(via_proxy, redis_url, INGEST_DEBUG_TASK_DELAY="0.3")
    svc.worker(concurrency=2)
    svc.watcher()
    for i in range(10):
        write(svc.inbox / f"a{i}.txt", report_text(300 + i))
    time.sleep(2.5)
    proxy.down()  # tasks in flight lose their connections; new ones are refused
    for i in range(10):
        write(svc.inbox / f"b{i}.txt", report_text(400 + i))
    time.sleep(6)
    proxy.up()
    wait_all_final(svc, 20, 150, step=1)
    docs = svc.documents()
    assert not [d.reason for d in docs if d.status == "failed"], "an outage must not fail a document"
    assert "OperationalError" in svc.log("worker") + svc.log("watcher"), "the outage was not felt"
    assert max(reports_per_document(svc).values()) == 1
