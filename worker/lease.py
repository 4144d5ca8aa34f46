"""The lease on a `processing` claim, kept alive by a heartbeat while its task runs.

A claim's lease is short (INGEST_HEARTBEAT_SECONDS × 3) and a thread of the task renews it every
heartbeat, so a document whose worker died (SIGKILL of the Celery main process takes its pool children
with it; a machine reboot) is free again within seconds of the lease, and the reconciler re-sends it —
not after the hard time limit. A task that hangs is still bounded: Celery kills its child at the hard
limit, and the heartbeat dies with it.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from types import TracebackType

from sqlalchemy import update
from sqlmodel import col

from models.db import session_scope
from models.tables import PROCESSING, Document, utcnow
from worker.settings import get_settings

log = logging.getLogger("ingest.lease")


def lease_end(now: datetime | None = None) -> datetime:
    return (now or utcnow()) + timedelta(seconds=get_settings().lease_seconds)


def renew(document_id: int, task_id: str) -> bool:
    """Push the lease forward if the claim is still this task's. False when it is not (lost or done)."""
    stmt = (
        update(Document)
        .where(
            col(Document.id) == document_id,
            col(Document.task_id) == task_id,
            col(Document.status) == PROCESSING,
        )
        .values(lease_until=lease_end())
    )
    with session_scope() as session:
        return bool(session.execute(stmt).rowcount == 1)  # type: ignore[attr-defined]


class Heartbeat:
    """`with Heartbeat(doc_id, task_id):` renews the claim's lease every heartbeat until the block ends."""

    def __init__(self, document_id: int, task_id: str) -> None:
        self.document_id, self.task_id = document_id, task_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat-{document_id}", daemon=True)

    def _beat(self) -> None:
        every = get_settings().heartbeat_seconds
        while not self.stop.wait(every):
            try:
                if not renew(self.document_id, self.task_id):
                    return  # the claim is no longer ours: nothing to keep alive
            except Exception as exc:  # database briefly away: the next beat tries again, the lease has room
                log.warning("heartbeat of document %s failed: %s", self.document_id, exc)

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
