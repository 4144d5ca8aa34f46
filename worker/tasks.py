"""The one task: process a document by id. Idempotent through a status transition in the database:

  queued ──claim──▶ processing ──store──▶ done | needs_review | failed

A claim is an atomic UPDATE that succeeds only for a `queued` document, for a `processing` one held by this
same message (a redelivery after its worker died), or for one whose lease ran out. Anything else — a
duplicate message, a document already finished — is a no-op.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy import and_, or_, update
from sqlalchemy.exc import OperationalError as DBOperationalError
from sqlmodel import col

from ingest.errors import ErrorCode, error_dict
from models.db import session_scope, store_record
from models.tables import FAILED, PROCESSING, QUEUED, Document, utcnow
from worker.celery_app import app
from worker.lease import Heartbeat, lease_end
from worker.settings import get_settings

log = logging.getLogger("ingest.tasks")

# Only these are retried: the file is fine, the infrastructure hiccuped.
TRANSIENT = (DBOperationalError, BrokerError, ConnectionError)


def send(document_id: int, queue: str) -> bool:
    """Put a document on its queue and note when. False when the broker is unreachable: the document
    stays `queued` with no `enqueued_at` and the reconciler sends it later."""
    try:
        process_document.apply_async(
            args=[document_id],
            queue=queue,
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1},
        )
    except Exception as exc:  # broker down; kombu raises several types here
        log.warning("could not queue document %s on %s (%s); the reconciler will", document_id, queue, exc)
        return False
    with session_scope() as session:
        session.execute(update(Document).where(col(Document.id) == document_id).values(enqueued_at=utcnow()))
    return True


def claim(document_id: int, task_id: str, worker: str | None = None) -> Document | None:
    """Take the document for this task, with a short lease that the task's heartbeat renews."""
    now = utcnow()
    mine_or_dead = or_(col(Document.task_id) == task_id, col(Document.lease_until) < now)
    stmt = (
        update(Document)
        .where(col(Document.id) == document_id)
        .where(or_(col(Document.status) == QUEUED, and_(col(Document.status) == PROCESSING, mine_or_dead)))
        .values(
            status=PROCESSING,
            task_id=task_id,
            started_at=now,
            attempts=col(Document.attempts) + 1,
            lease_until=lease_end(now),
            worker=worker,
        )
    )
    with session_scope() as session:
        if session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
            return None
        return session.get(Document, document_id)


def run_extract(doc: Document) -> dict[str, Any]:
    """extract() never raises for a bad file; this turns our own failures into a record error too."""
    from ingest.pipeline import extract
    from ingest.readers import Limits

    s = get_settings()
    try:
        # Read through a link named like the original, so that reasons name the file people know.
        with tempfile.TemporaryDirectory(prefix="ingest-") as tmp:
            link = Path(tmp) / (Path(doc.original_name).name or "document")
            link.symlink_to(doc.store_path)
            record = extract(link, Limits(ocr=doc.queue == "ocr"), doc.sha256)
        # The record carries each page's units and image, so that crops of OCR'd pages use that image,
        # and its info (e.g. pages_not_read), which the stored document keeps.
        out = record.to_json()
        out.setdefault("info", record.info)
        out["pages_text"] = record.pages_text  # for the archive's full-text search
        return out
    except SoftTimeLimitExceeded:
        message = f"gave up after {s.soft_time_limit:.0f} s (INGEST_SOFT_TIME_LIMIT)"
        return {"error": error_dict(ErrorCode.TIMEOUT, message)}
    except MemoryError:
        message = f"needed more than {s.max_memory_mb} MB (INGEST_MAX_MEMORY_MB)"
        return {"error": error_dict(ErrorCode.TOO_LARGE, message)}
    except TRANSIENT:
        raise
    except Exception as exc:
        log.error("extract crashed on document %s:\n%s", doc.id, traceback.format_exc())
        return {"error": error_dict(ErrorCode.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}")}


def _reroute_to_ocr(document_id: int) -> str:
    with session_scope() as session:
        session.execute(
            update(Document)
            .where(col(Document.id) == document_id)
            .values(status=QUEUED, queue="ocr", task_id=None, lease_until=None, enqueued_at=None)
        )
    send(document_id, "ocr")
    return "rerouted to ocr"


def finish(document_id: int, task_id: str, record_json: dict[str, Any], seconds: float) -> Document | None:
    """Store the reading if the claim is still ours (a stale worker never overwrites a newer one)."""
    with session_scope() as session:
        doc = session.get(Document, document_id, with_for_update=True)
        if doc is None or doc.status != PROCESSING or doc.task_id != task_id:
            return None
        store_record(session, doc, record_json)
        doc.seconds, doc.task_id, doc.lease_until = round(seconds, 3), None, None
        session.add(doc)
        return doc


def fail(document_id: int, code: ErrorCode, message: str) -> None:
    """Final failure decided outside extract() (e.g. a file that kept killing its worker)."""
    with session_scope() as session:
        doc = session.get(Document, document_id, with_for_update=True)
        if doc is None:
            return
        store_record(session, doc, {"error": error_dict(code, message)})
        doc.task_id, doc.lease_until = None, None
        session.add(doc)
    _note_failure_in_inbox(document_id)


def _note_failure_in_inbox(document_id: int) -> None:
    from worker.intake import move_to_failed

    with session_scope() as session:
        doc = session.get(Document, document_id)
        if doc is None or doc.status != FAILED:
            return
        moved = move_to_failed(get_settings().inbox, Path(doc.inbox_path), doc.reason or "failed")
        if moved:
            doc.inbox_path = str(moved)
            session.add(doc)


def _note_success_in_inbox(doc: Document) -> None:
    """After `ingest retry` succeeded, the original leaves failed/ for processed/. Decided from the
    stored document, so the usual case (an original already in processed/, or imported in place) costs
    no database round trip."""
    from worker.intake import FAILED as FAILED_DIR
    from worker.intake import move_to_processed

    inbox = get_settings().inbox
    if not Path(doc.inbox_path).is_relative_to(inbox / FAILED_DIR):
        return
    moved = move_to_processed(inbox, Path(doc.inbox_path))
    if moved:
        with session_scope() as session:
            session.execute(update(Document).where(col(Document.id) == doc.id).values(inbox_path=str(moved)))


@app.task(
    bind=True,
    name="ingest.process_document",
    autoretry_for=TRANSIENT,
    retry_backoff=1,
    retry_backoff_max=30,
    retry_jitter=True,
    max_retries=20,
)
def process_document(self: Any, document_id: int) -> str:
    s = get_settings()
    task_id = self.request.id
    doc = claim(document_id, task_id, f"{self.request.hostname} pid {os.getpid()}")
    if doc is None:
        return "skipped: not queued (already done, or held by another task)"
    if doc.attempts > s.max_attempts:
        fail(
            document_id,
            ErrorCode.WORKER_CRASHED,
            f"the worker died {doc.attempts - 1} times on this file "
            "(killed, out of memory or over the hard time limit)",
        )
        return "failed: too many attempts"
    with Heartbeat(document_id, task_id):
        if s.debug_task_delay:
            time.sleep(s.debug_task_delay)
        started = time.perf_counter()
        record_json = run_extract(doc)
        error = record_json.get("error") or {}
        unread = (record_json.get("info") or {}).get("pages_not_read")
        # A page without a usable text layer belongs to the OCR route (intake's routing sees most of them).
        if doc.queue == "native" and (error.get("code") == ErrorCode.NEEDS_OCR or unread):
            return _reroute_to_ocr(document_id)
        stored = finish(document_id, task_id, record_json, time.perf_counter() - started)
    if stored is None:
        return "skipped: claim lost to another task"
    if stored.status == FAILED:
        _note_failure_in_inbox(document_id)
    else:
        _note_success_in_inbox(stored)
    log.info("document %s: %s %s", document_id, stored.status, stored.reason or "")
    return stored.status
