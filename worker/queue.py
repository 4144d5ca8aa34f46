"""Sending a document to its queue: a message that only says "look at document N" (state lives in the
database). Sent by task name, so the sender needs the Celery app, not the task module."""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlmodel import col

from models.db import session_scope
from models.tables import Document
from worker.celery_app import app
from worker.stages import Stages

log = logging.getLogger("ingest.tasks")
TASK_NAME = "ingest.process_document"


def send(document_id: int, queue: str, stages: Stages | None = None) -> bool:
    """Put a document on its queue. The caller has already marked it sent (`enqueued_at`, set in the same
    statement that queued it): a process that dies before the publish leaves a mark that the reconciler
    takes for a lost message after INGEST_REQUEUE_AFTER. False when the broker is unreachable: the mark is
    taken back, and the reconciler sends the document on its next pass."""
    stages = stages or Stages("send")
    try:
        app.send_task(
            TASK_NAME,
            args=[document_id],
            queue=queue,
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1},
        )
    except Exception as exc:  # broker down; kombu raises several types here
        log.warning("could not queue document %s on %s (%s); the reconciler will", document_id, queue, exc)
        unmark_sent(document_id)
        return False
    stages.mark("publish")
    return True


def unmark_sent(document_id: int) -> None:
    with session_scope() as session:  # not sent after all: the reconciler's next pass must see it unsent
        session.execute(update(Document).where(col(Document.id) == document_id).values(enqueued_at=None))
