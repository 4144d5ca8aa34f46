"""The one task: process a document by id. Idempotent through a status transition in the database:

  queued ──claim──▶ processing ──store──▶ done | needs_review | failed

A claim is an atomic UPDATE that succeeds only for a `queued` document, for a `processing` one held by this
same message (a redelivery after its worker died), or for one whose lease ran out. Anything else — a
duplicate message, a document already finished — is a no-op.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from functools import cache
from pathlib import Path
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy import and_, bindparam, or_, update
from sqlalchemy.exc import OperationalError as DBOperationalError
from sqlmodel import col

from ingest.errors import ErrorCode, error_dict
from models.db import session_scope, store_record
from models.tables import FAILED, PROCESSING, QUEUED, Document, utcnow
from worker.celery_app import app
from worker.inbox import FAILED as FAILED_DIR
from worker.inbox import move_to_failed, move_to_processed
from worker.lease import Heartbeat, lease_end
from worker.links import named_link
from worker.queue import send
from worker.settings import get_settings
from worker.stages import Stages

log = logging.getLogger("ingest.tasks")

# Only these are retried: the file is fine, the infrastructure hiccuped.
TRANSIENT = (DBOperationalError, BrokerError, ConnectionError)


@cache
def _claim_statement() -> Any:
    """Built once (the claim runs for every document): UPDATE … RETURNING the claimed document. The
    session is new and holds no documents, so it needs no synchronising with the update."""
    mine_or_dead = or_(
        col(Document.task_id) == bindparam("claim_task"), col(Document.lease_until) < bindparam("claim_now")
    )
    return (
        update(Document)
        .where(col(Document.id) == bindparam("claim_doc"))
        .where(or_(col(Document.status) == QUEUED, and_(col(Document.status) == PROCESSING, mine_or_dead)))
        .values(
            status=PROCESSING,
            task_id=bindparam("claim_task"),
            started_at=bindparam("claim_now"),
            attempts=col(Document.attempts) + 1,
            lease_until=bindparam("claim_lease"),
            worker=bindparam("claim_worker"),
        )
        .returning(Document)
        .execution_options(synchronize_session=False)
    )


def claim(document_id: int, task_id: str, worker: str | None = None) -> Document | None:
    """Take the document for this task, with a short lease that the task's heartbeat renews. One statement
    (UPDATE … RETURNING) and a commit that need not wait for the disk. Only a crash of the database server
    can lose it, and that leaves the document `queued` (or under its earlier, expiring claim) while this
    task's connection breaks: the task retries and claims again, or, if it died too, the reconciler sends
    the document again."""
    now = utcnow()
    params = {
        "claim_doc": document_id,
        "claim_task": task_id,
        "claim_now": now,
        "claim_lease": lease_end(now),
        "claim_worker": worker,
    }
    with session_scope(wait_for_disk=False) as session:
        return session.scalars(_claim_statement(), params).one_or_none()


def run_extract(doc: Document, stages: Stages | None = None) -> dict[str, Any]:
    """extract() never raises for a bad file; this turns our own failures into a record error too."""
    from ingest.pipeline import extract
    from ingest.readers import Limits

    s = get_settings()
    stages = stages or Stages("task")
    try:
        # Read through a link named like the original, so that reasons name the file people know.
        with named_link(Path(doc.store_path), Path(doc.original_name).name or "document") as link:
            stages.mark("link")
            record = extract(link, Limits(ocr=doc.queue == "ocr"), doc.sha256)
            stages.mark("extract")
        stages.mark("link")
        # The record carries each page's units and image, so that crops of OCR'd pages use that image,
        # and its info (e.g. pages_not_read), which the stored document keeps.
        out = record.to_json()
        out.setdefault("info", record.info)
        out["pages_text"] = record.pages_text  # for the archive's full-text search
        stages.mark("to_json")
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
            .values(status=QUEUED, queue="ocr", task_id=None, lease_until=None, enqueued_at=utcnow())
        )
    send(document_id, "ocr")
    return "rerouted to ocr"


def finish(
    document_id: int, task_id: str, record_json: dict[str, Any], seconds: float, stages: Stages | None = None
) -> Document | None:
    """Store the reading if the claim is still ours (a stale worker never overwrites a newer one).

    The commit does not wait for the disk on PostgreSQL (see `session_scope`): a reading is redone from
    the stored original if a crash of the database server takes it, and the wait was ~3 ms of every
    document's ~45 ms on the development VM."""
    stages = stages or Stages("task")
    with session_scope(wait_for_disk=False) as session:
        doc = session.get(Document, document_id, with_for_update=True)
        if doc is None or doc.status != PROCESSING or doc.task_id != task_id:
            return None
        doc.seconds, doc.task_id, doc.lease_until = round(seconds, 3), None, None  # in store_record's UPDATE
        store_record(session, doc, record_json)
        session.flush()
        stages.mark("store")
    stages.mark("commit")
    return doc


def fail(document_id: int, code: ErrorCode, message: str) -> None:
    """Final failure decided outside extract() (e.g. a file that kept killing its worker)."""
    with session_scope() as session:
        doc = session.get(Document, document_id, with_for_update=True)
        if doc is None:
            return
        doc.task_id, doc.lease_until = None, None
        store_record(session, doc, {"error": error_dict(code, message)})
    _note_failure_in_inbox(document_id)


def _note_failure_in_inbox(document_id: int) -> None:
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
    stages = Stages("task", document_id)
    doc = claim(document_id, task_id, f"{self.request.hostname} pid {os.getpid()}")
    stages.mark("claim")
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
        record_json = run_extract(doc, stages)
        error = record_json.get("error") or {}
        unread = (record_json.get("info") or {}).get("pages_not_read")
        # The reader decided a page needs OCR (the decision intake routes by, unless intake could not probe
        # the file): the OCR route reads the whole file again in one record.
        if doc.queue == "native" and (error.get("code") == ErrorCode.NEEDS_OCR or unread):
            return _reroute_to_ocr(document_id)
        stored = finish(document_id, task_id, record_json, time.perf_counter() - started, stages)
    if stored is None:
        return "skipped: claim lost to another task"
    if stored.status == FAILED:
        _note_failure_in_inbox(document_id)
    else:
        _note_success_in_inbox(stored)
    log.info("document %s: %s %s", document_id, stored.status, stored.reason or "")
    stages.mark("inbox_log")
    stages.write()
    return stored.status
