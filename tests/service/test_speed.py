"""The pieces that made the service fast (issue 13) keep their guarantees: the one-statement claim,
the embedded queue's WAL file, named links, a first store's JSON columns, and the stage timings the
queue benchmark reads."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from models.db import make_engine, reset_engine, session_scope, store_record, upgrade
from models.tables import PROCESSING, Document, Field
from tests.service.test_models import record


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = (
        f"sqlite:///{tmp_path / 'speed.sqlite'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", url)
    upgrade(url)
    reset_engine()
    yield url
    reset_engine()


def _queued_document(sha: str = "a") -> int:
    with session_scope() as s:
        doc = Document(
            original_name="a.txt", inbox_path="/in/a.txt", sha256=sha * 64, size=1, store_path="/s/a"
        )
        s.add(doc)
        s.flush()
        assert doc.id is not None
        return doc.id


def test_claim_is_atomic_and_idempotent(db_url: str) -> None:
    from worker.tasks import claim

    doc_id = _queued_document()
    first = claim(doc_id, "task-1")
    assert (
        first is not None and first.status == PROCESSING and first.task_id == "task-1" and first.attempts == 1
    )
    assert claim(doc_id, "task-2") is None  # held by task-1, lease not expired: another message is a no-op
    again = claim(doc_id, "task-1")  # the same message redelivered after its worker died
    assert again is not None and again.attempts == 2
    with session_scope() as s:
        stored = s.get(Document, doc_id)
        assert stored is not None and stored.task_id == "task-1" and stored.attempts == 2


def test_first_store_and_restore_keep_json_columns(db_url: str) -> None:
    doc_id = _queued_document()
    rec = record(5)
    rec["fields"]["t2.procurement.amount"]["bbox"] = None
    for _ in range(2):  # a first reading (no earlier rows looked for), then a re-store
        with session_scope() as s:
            doc = s.get(Document, doc_id)
            assert doc is not None
            report = store_record(s, doc, rec)
        assert report is not None
        with Session(make_engine(db_url)) as s:
            fields = {f.key: f for f in s.exec(select(Field).where(Field.report_id == report.id))}
        assert fields["t3.total.total"].bbox == [1.0, 2.0, 3.0, 4.0]
        assert fields["t3.total.total"].reasons == []
        assert fields["t2.procurement.amount"].bbox is None
        assert fields["t2.procurement.amount"].reasons == ["low confidence"]
        assert fields["t2.procurement.amount"].suggested == "41.2"
        assert len(fields) == 4  # two meta keys and two fields, not doubled by the second store


def test_queue_file_is_wal_with_normal_sync(tmp_path: Path) -> None:
    from worker.celery_app import _sqlite_queue_connector

    path = tmp_path / "queue.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()  # an older rollback-mode file
    conn = _sqlite_queue_connector(str(path))()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    conn.close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # kept in the file


def test_named_link_points_at_the_stored_file_and_goes_away(tmp_path: Path) -> None:
    from worker.links import named_link

    target = tmp_path / "stored"
    target.write_bytes(b"report")
    with named_link(target, "年度报告 (1).pdf") as link:
        assert link.name == "年度报告 (1).pdf" and link.read_bytes() == b"report"
        link.unlink()  # as if a stopped task had left it behind
        link.symlink_to(tmp_path / "elsewhere")
    assert not link.exists() and not link.is_symlink()
    with named_link(target, "年度报告 (1).pdf") as again:  # a leftover of the same name is replaced
        assert again.read_bytes() == b"report"


def test_link_folders_of_dead_processes_are_swept(tmp_path: Path) -> None:
    import os

    from worker.links import _sweep_link_dirs

    dead, alive, other = (
        tmp_path / "ingest-999999999-a",
        tmp_path / f"ingest-{os.getpid()}-b",
        tmp_path / "ingest-lo-c",
    )
    for folder in (dead, alive, other):
        folder.mkdir()
    _sweep_link_dirs(tmp_path)
    assert not dead.exists() and alive.exists() and other.exists()


def test_stage_log_and_its_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.queue import stage_summary
    from worker.stages import Stages

    log = tmp_path / "stages.jsonl"
    monkeypatch.setenv("INGEST_STAGE_LOG", str(log))
    for doc in (1, 2):
        stages = Stages("task", doc)
        sum(range(200_000))  # some CPU for the first stage
        stages.mark("extract")
        stages.mark("store")
        stages.write()
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [line["doc"] for line in lines] == [1, 2]
    assert set(lines[0]["ms"]) == set(lines[0]["cpu_ms"]) == {"extract", "store"}
    assert lines[0]["cpu_ms"]["extract"] > 0 and lines[0]["end"] >= lines[0]["start"]
    summary = stage_summary(log, lines[0]["start"] - 1.0, n=2)
    assert summary["task.extract"] == pytest.approx(
        (lines[0]["ms"]["extract"] + lines[1]["ms"]["extract"]) / 2, abs=0.02
    )
    assert summary["task.gap_between"] >= 0  # one gap, between the two documents of this process
    assert "import.startup_total" not in summary  # no intake line
    assert summary["task.first_start_total"] == pytest.approx(1000.0, abs=0.2)  # the first task began 1 s in


def test_stage_log_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from worker.stages import Stages

    monkeypatch.delenv("INGEST_STAGE_LOG", raising=False)
    stages = Stages("task", 1)
    stages.mark("extract")
    stages.write()
    assert list(tmp_path.iterdir()) == []


def test_one_heartbeat_thread_renews_the_claim_held_and_stops_after(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    from worker import lease
    from worker.settings import get_settings
    from worker.tasks import claim

    monkeypatch.setenv("INGEST_HEARTBEAT_SECONDS", "0.2")
    get_settings.cache_clear()
    monkeypatch.setattr(lease, "_current", None)

    def lease_until(doc_id: int) -> object:
        with session_scope() as s:
            doc = s.get(Document, doc_id)
            assert doc is not None
            return doc.lease_until

    try:
        first, second = _queued_document(), _queued_document(sha="b")
        assert claim(first, "task-1") is not None and claim(second, "task-2") is not None
        with lease.Heartbeat(first, "task-1"):
            taken = lease_until(first)
            time.sleep(0.7)
            renewed = lease_until(first)
        assert renewed != taken  # renewed while held
        threads = threading.active_count()
        with lease.Heartbeat(second, "task-2"):  # the next task: the same thread, holding the new claim
            time.sleep(0.5)
        assert threading.active_count() == threads  # no new thread: the first one holds the new claim
        after = lease_until(first), lease_until(second)
        time.sleep(0.5)
        assert (lease_until(first), lease_until(second)) == after  # released claims are left alone
    finally:
        get_settings.cache_clear()


def test_commits_that_need_not_wait_for_the_disk_leave_the_connection_as_it_was(db_url: str) -> None:
    """On PostgreSQL a claim and a stored reading commit with synchronous_commit off, on connections of
    their own: every transaction of the ordinary pool (intake's row, a person's correction) waits for
    the disk."""
    from sqlalchemy import text

    from worker.tasks import claim, finish

    doc_id = _queued_document()
    assert claim(doc_id, "task-1") is not None
    stored = finish(doc_id, "task-1", record(5), 0.1)
    assert stored is not None and stored.status in ("done", "needs_review")
    if not db_url.startswith("postgresql"):
        return
    with session_scope(wait_for_disk=False) as s:
        assert s.execute(text("SHOW synchronous_commit")).scalar() == "off"
    for _ in range(3):  # every pooled connection, whichever the pool hands out
        with session_scope() as s:
            assert s.execute(text("SHOW synchronous_commit")).scalar() == "on"
