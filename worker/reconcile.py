"""The reconciler: the database says what must happen, the queue is only a hint. Every few seconds it
re-sends what the queue lost. It runs in every `ingest worker` supervisor (so workers recover on their
own, with no watcher anywhere) and in the watcher:

- `queued` and never sent (the broker was down at intake);
- `queued`, sent a while ago, and its queue is empty (a broker restart without persistence dropped it);
- `processing` past its lease (the worker died with the message: SIGKILL of the whole worker, OOM,
  machine reboot — embedded transports never redeliver those).
Re-sending is always safe: the task's claim makes a second message a no-op. Several reconcilers at once
(one per worker) do not even send twice: each send is first taken with an atomic UPDATE of `enqueued_at`.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlmodel import col, select

from models.db import session_scope
from models.tables import PROCESSING, QUEUED, Document, utcnow
from worker.celery_app import QUEUES, app
from worker.queue import send
from worker.settings import get_settings

log = logging.getLogger("ingest.reconcile")


def queue_depth(queue: str) -> int | None:
    """Messages waiting on `queue` (not counting ones a worker holds); None when the broker is down."""
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)
            return int(conn.default_channel.queue_declare(queue=queue, passive=False).message_count)
    except Exception:  # broker unreachable
        return None


def _release_dead_claims() -> None:
    now = utcnow()
    with session_scope() as session:
        session.execute(
            update(Document)
            .where(col(Document.status) == PROCESSING, col(Document.lease_until) < now)
            .values(status=QUEUED, task_id=None, lease_until=None, enqueued_at=None)
        )


def _to_send(empty_queues: set[str], stale: datetime) -> list[tuple[int, str]]:
    lost = and_(col(Document.enqueued_at) < stale, col(Document.queue).in_(empty_queues))
    with session_scope() as session:
        rows = session.exec(
            select(Document.id, Document.queue)
            .where(col(Document.status) == QUEUED)
            .where(or_(col(Document.enqueued_at).is_(None), lost))
            .order_by(col(Document.id))
        ).all()
    return [(int(i), q) for i, q in rows if i is not None]


def _take_for_sending(doc_id: int, stale: datetime) -> bool:
    """Atomically mark a document as being sent; False when another reconciler (or a worker) got to it
    first since we looked."""
    stmt = (
        update(Document)
        .where(col(Document.id) == doc_id, col(Document.status) == QUEUED)
        .where(or_(col(Document.enqueued_at).is_(None), col(Document.enqueued_at) < stale))
        .values(enqueued_at=utcnow())
    )
    with session_scope() as session:
        return bool(session.execute(stmt).rowcount == 1)  # type: ignore[attr-defined]


def reconcile() -> int:
    """One pass. Returns how many documents were sent again."""
    _release_dead_claims()
    depths = {q: queue_depth(q) for q in QUEUES}
    if any(d is None for d in depths.values()):
        return 0  # broker down: nothing can be sent now; try next pass
    stale = utcnow() - timedelta(seconds=get_settings().requeue_after)
    sent = 0
    for doc_id, queue in _to_send({q for q, d in depths.items() if d == 0}, stale):
        if not _take_for_sending(doc_id, stale):
            continue
        if not send(doc_id, queue):
            break
        sent += 1
    if sent:
        log.info("reconciler re-sent %d document(s)", sent)
    return sent


def safe_reconcile() -> None:
    try:
        reconcile()
    except Exception:  # database or broker down: the next pass tries again
        log.exception("reconcile pass failed")


def start_reconciler(every: float | None = None) -> threading.Event:
    """Reconcile now and then every `every` seconds (INGEST_RECONCILE_SECONDS) in a daemon thread, so a
    slow pass (broker or database unreachable) never holds up its process. Set the event to stop."""
    stop = threading.Event()
    period = every if every is not None else get_settings().reconcile_seconds

    def loop() -> None:
        while True:
            safe_reconcile()
            if stop.wait(period):
                return

    threading.Thread(target=loop, name="reconciler", daemon=True).start()
    return stop
