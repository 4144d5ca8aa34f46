"""The lease on a `processing` claim, kept alive by a heartbeat while its task runs.

A claim's lease is short (INGEST_HEARTBEAT_SECONDS × 3) and a thread of the task renews it every
heartbeat, so a document whose worker died (SIGKILL of the Celery main process takes its pool children
with it; a machine reboot) is free again within seconds of the lease, and the reconciler re-sends it —
not after the hard time limit. A task that hangs is still bounded: Celery kills its child at the hard
limit, and the heartbeat dies with it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
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
    """`with Heartbeat(doc_id, task_id):` renews the claim's lease every heartbeat until the block ends.

    One thread per process does the renewing, started by the first claim (in the pool child, after the
    fork): a thread started and joined per task cost ~0.5 ms of every document's time. The thread ticks
    every heartbeat whatever the task, so a claim is first renewed within one heartbeat of being taken,
    never later, and a renewal that comes after the document was stored changes nothing (it renews only
    a `processing` claim of the same task)."""

    def __init__(self, document_id: int, task_id: str) -> None:
        self.claim = (document_id, task_id)

    def __enter__(self) -> Heartbeat:
        _beater().hold(self.claim)
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        _beater().release(self.claim)


class _Beater:
    """The process's heartbeat thread and the claim it keeps alive (a worker child runs one task at a time)."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.claim: tuple[int, str] | None = None
        self.thread = threading.Thread(target=self._beat, name="heartbeat", daemon=True)
        self.thread.start()

    def hold(self, claim: tuple[int, str]) -> None:
        with self.lock:
            self.claim = claim

    def release(self, claim: tuple[int, str]) -> None:
        with self.lock:
            if self.claim == claim:
                self.claim = None

    def _beat(self) -> None:
        every = get_settings().heartbeat_seconds
        while True:
            time.sleep(every)
            with self.lock:
                claim = self.claim
            if claim is None:
                continue
            try:
                if not renew(*claim):
                    self.release(claim)  # the claim is no longer ours: nothing to keep alive
            except Exception as exc:  # database briefly away: the next beat tries again, the lease has room
                log.warning("heartbeat of document %s failed: %s", claim[0], exc)


_current: _Beater | None = None


def _beater() -> _Beater:
    """This process's heartbeat thread (a new one in a forked child: threads do not survive a fork)."""
    global _current
    if _current is None or _current.pid != os.getpid():
        _current = _Beater()
    return _current
