"""Hostile inputs end failed with a clear reason (or processed when valid), in bounded time, and the
worker keeps serving."""

from __future__ import annotations

import time

import pytest

from models.tables import FINAL_STATUSES
from tests.service.conftest import wait_until
from tests.service.corpus import bad_inputs, odd_name, report_text, write

pytestmark = pytest.mark.services

MUST_FAIL = {
    "empty.pdf": "empty_file",
    "truncated.pdf": None,
    "encrypted.pdf": None,
    "random.docx": None,
    "malformed.docx": None,
    "bomb.docx": None,
    "blank 300 pages.pdf": "no_content",
}


def test_bad_inputs_fail_cleanly_and_worker_keeps_serving(make_service) -> None:
    svc = make_service(INGEST_SOFT_TIME_LIMIT="60", INGEST_HARD_TIME_LIMIT="90", INGEST_MAX_MEMORY_MB="2048")
    worker = svc.worker(concurrency=2)
    svc.watcher()
    for name, data in bad_inputs().items():
        write(svc.inbox / "bad" / name, data)
    write(svc.inbox / "bad" / odd_name(), report_text(7))
    started = time.monotonic()
    wait_until(
        lambda: len(svc.documents()) == 10 and all(d.status in FINAL_STATUSES for d in svc.documents()),
        150,
        step=1,
        what="all hostile inputs final",
    )
    elapsed = time.monotonic() - started
    docs = {d.original_name: d for d in svc.documents()}
    for name, code in MUST_FAIL.items():
        assert docs[name].status == "failed", (name, docs[name].status)
        assert docs[name].reason and ":" in docs[name].reason, name
        if code:
            assert docs[name].error_code == code
        reason_file = svc.inbox / "failed" / "bad" / f"{name}.reason.txt"
        assert reason_file.read_text(encoding="utf-8").strip() == docs[name].reason
    assert docs[odd_name()].status in ("done", "needs_review"), docs[odd_name()].reason
    assert (svc.inbox / "processed" / "bad" / odd_name()).is_file()
    for name in ("photo named.pdf", "unrelated.txt"):  # valid files: processed, or failed saying why
        assert docs[name].status != "failed" or docs[name].reason
    assert elapsed < 150
    # the worker survived all of it and still serves
    write(svc.inbox / "after.txt", report_text(8))
    wait_until(
        lambda: any(
            d.original_name == "after.txt" and d.status in ("done", "needs_review") for d in svc.documents()
        ),
        60,
        what="a good file after the bad ones",
    )
    assert worker.poll() is None
    assert "WorkerLostError" not in svc.log("worker")
    assert "exited with" not in svc.log("worker"), "the Celery worker had to be restarted"
