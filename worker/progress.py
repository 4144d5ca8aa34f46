"""Work in progress: the documents being processed now, by which worker, for how long, and which are
stuck (processing past their lease: the worker died and no reconciler has freed the claim yet — is an
`ingest worker` or `ingest watch` running?). `ingest status` and the dashboard show the same list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from models.tables import PROCESSING, Document, utcnow


@dataclass(frozen=True, slots=True)
class Running:
    document_id: int
    name: str
    queue: str
    worker: str
    started_at: datetime | None
    age_seconds: float
    attempts: int
    stuck: bool  # past its lease: nobody is renewing this claim


def _aware(when: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for what was stored as UTC."""
    from datetime import UTC

    return when.replace(tzinfo=UTC) if when is not None and when.tzinfo is None else when


def in_progress(session: Session, now: datetime | None = None) -> list[Running]:
    """Documents being processed, oldest first."""
    now = now or utcnow()
    docs = session.exec(
        select(Document).where(col(Document.status) == PROCESSING).order_by(col(Document.started_at))
    ).all()
    running = []
    for d in docs:
        started, lease = _aware(d.started_at), _aware(d.lease_until)
        assert d.id is not None
        running.append(
            Running(
                document_id=d.id,
                name=d.original_name,
                queue=d.queue,
                worker=d.worker or "?",
                started_at=started,
                age_seconds=(now - started).total_seconds() if started else 0.0,
                attempts=d.attempts,
                stuck=lease is None or lease < now,
            )
        )
    return running


def stuck_alarm(running: list[Running]) -> str | None:
    stuck = [r for r in running if r.stuck]
    if not stuck:
        return None
    from ingest.i18n import _
    from worker.settings import get_settings

    return _(
        "ALARM: {n} document(s) stuck: processing past their lease, so their worker has stopped (killed, "
        "or the machine restarted). A running `ingest worker` or `ingest watch` puts them back on the queue "
        "within {s:.0f} s; if this stays, start one."
    ).format(n=len(stuck), s=get_settings().reconcile_seconds)


def dashboard_view(session: Session) -> dict[str, Any]:
    """What the dashboard's work-in-progress section shows, in the current language."""
    from ingest.i18n import _

    running = in_progress(session)
    rows = [
        {
            "id": r.document_id,
            "name": r.name,
            "queue": r.queue,
            "worker": r.worker,
            "age": format_age(r.age_seconds),
            "attempts": r.attempts,
            "stuck": r.stuck,
        }
        for r in running
    ]
    return {
        "title": _("In progress"),
        "headers": [_("file"), _("queue"), _("worker"), _("for"), _("attempt")],
        "stuck_label": _("(stuck)"),
        "empty": _("Nothing is being processed."),
        "rows": rows,
        "alarm": stuck_alarm(running),
    }


def format_age(seconds: float) -> str:
    """'42 s', '3 min 05 s', '2 h 04 min': an age a person reads at a glance."""
    from ingest.i18n import _

    seconds = max(0, int(seconds))
    if seconds < 60:
        return _("{s} s").format(s=seconds)
    if seconds < 3600:
        return _("{m} min {s:02d} s").format(m=seconds // 60, s=seconds % 60)
    return _("{h} h {m:02d} min").format(h=seconds // 3600, m=seconds % 3600 // 60)
