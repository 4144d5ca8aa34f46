"""Re-queue failed documents: the one way to retry, used by `ingest retry` and the web app's button."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col, select

from models.db import session_scope
from models.tables import FAILED, QUEUED, Document, utcnow


def requeue_failed(ids: list[int] | None = None) -> tuple[int, int]:
    """Put failed documents (all, or those of `ids`) back on their queue with a fresh attempt count.

    Returns (re-queued, sent now); the rest are sent by the watcher once the broker is back.
    """
    from worker.queue import send

    where = [col(Document.status) == FAILED]
    if ids:
        where.append(col(Document.id).in_(ids))
    with session_scope() as session:
        rows = session.exec(select(Document.id, Document.queue).where(*where)).all()
        session.execute(
            update(Document)
            .where(*where)
            .values(
                status=QUEUED,
                attempts=0,
                reason=None,
                error_code=None,
                enqueued_at=utcnow(),
                finished_at=None,
            )
        )
    sent = sum(send(int(i), q) for i, q in rows if i is not None)
    return len(rows), sent
