"""`ingest import DIR`: bulk import end to end. Each file is stored and queued (resumable: content already
stored is skipped), then the command follows the processing of every document of the folder with a
progress bar and an ETA until all are final (`--no-wait`: only store and queue).

Ctrl-C never leaves a file half taken: the first one stops at the next file boundary (or stops waiting)
and prints what was stored, queued and left, with exit code 130; running the same command again goes on
from there. A second Ctrl-C stops at once (nothing is lost either way: see worker/intake.py).
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from sqlalchemy import func
from sqlmodel import col, select

from ingest.errors import ExitCode
from ingest.i18n import _
from models.db import session_scope
from models.tables import DONE, FAILED, FINAL_STATUSES, NEEDS_REVIEW, PROCESSING, QUEUED, Document
from worker.inbox import skipped_name
from worker.settings import get_settings

POLL_SECONDS = 0.5
ID_CHUNK = 500  # ids per IN (...) query: well under SQLite's bound-parameter limit


@dataclass
class ImportRun:
    root: Path
    files: list[Path]
    outcomes: Counter[str] = field(default_factory=Counter)  # new | already stored | duplicate | unreadable
    document_ids: set[int] = field(default_factory=set)
    interrupted: bool = False

    @property
    def looked_at(self) -> int:
        return sum(self.outcomes.values())


class StopOnInterrupt:
    """The first SIGINT sets a flag the loops check between files; the second interrupts at once."""

    def __init__(self) -> None:
        self.requested = False
        self.previous: object = None

    def _handle(self, _sig: int, _frame: FrameType | None) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __enter__(self) -> StopOnInterrupt:
        self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *_exc: object) -> None:
        signal.signal(signal.SIGINT, self.previous)  # type: ignore[arg-type]


def candidates(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not any(skipped_name(part) for part in p.relative_to(root).parts)
    )


def import_one(path: Path, root: Path) -> tuple[str, int | None]:
    """(outcome, document id). Resumable: content already stored is skipped without a duplicate-drop
    record (it is the same import again, not a second copy of the file)."""
    from ingest.pipeline import sha256_of
    from worker.intake import intake_file

    try:
        sha = sha256_of(path)
    except OSError:
        return "unreadable", None
    with session_scope() as session:
        existing = session.exec(select(Document.id).where(col(Document.sha256) == sha)).first()
    if existing is not None:
        return "already stored", existing
    result = intake_file(path, root, move=False)
    if result is None:
        return "unreadable", None
    return ("duplicate" if result.duplicate else "new"), result.document_id


def status_counts(ids: set[int]) -> Counter[str]:
    counts: Counter[str] = Counter()
    ordered = sorted(ids)
    with session_scope() as session:
        for start in range(0, len(ordered), ID_CHUNK):
            chunk = ordered[start : start + ID_CHUNK]
            query = (
                select(Document.status, func.count())
                .where(col(Document.id).in_(chunk))
                .group_by(Document.status)
            )
            counts.update(dict(session.exec(query).all()))
    return counts


def _progress(label: str) -> object:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[note]}"),
        TimeElapsedColumn(),
        TextColumn(_("ETA")),
        TimeRemainingColumn(),
    )


def store_all(run: ImportRun, stop: StopOnInterrupt) -> None:
    """Store and queue each file, one at a time, until done or interrupted."""
    delay = get_settings().debug_import_delay
    with _progress(_("storing")) as progress:  # type: ignore[attr-defined]
        task = progress.add_task("store", total=len(run.files), note="")
        for path in run.files:
            if stop.requested:
                run.interrupted = True
                return
            outcome, doc_id = import_one(path, run.root)
            run.outcomes[outcome] += 1
            if doc_id is not None:
                run.document_ids.add(doc_id)
            progress.update(task, advance=1)
            if delay:
                time.sleep(delay)


def follow(run: ImportRun, stop: StopOnInterrupt) -> None:
    """Wait until every document of the import is final, showing how many are, with an ETA."""
    if not run.document_ids:
        return
    print(
        _(
            "Following the processing (workers: `ingest run` or `ingest worker`; Ctrl-C stops waiting, "
            "the documents stay queued)."
        ),
        flush=True,
    )
    total = len(run.document_ids)
    with _progress(_("processing")) as progress:  # type: ignore[attr-defined]
        task = progress.add_task("follow", total=total, note="")
        while True:
            counts = status_counts(run.document_ids)
            final = sum(counts[s] for s in FINAL_STATUSES)
            note = _("{n} in progress").format(n=counts[PROCESSING])
            progress.update(task, completed=final, note=note)
            if final >= total:
                return
            if stop.requested:
                run.interrupted = True
                return
            time.sleep(POLL_SECONDS)


def summary(run: ImportRun) -> str:
    counts = status_counts(run.document_ids)
    left = len(run.files) - run.looked_at
    lines = [
        _("Import of {root}: {found} file(s) found, {looked} looked at, {left} left.").format(
            root=run.root, found=len(run.files), looked=run.looked_at, left=left
        ),
        _(
            "Stored: {new} new, {known} already stored, {dup} duplicate(s) of another file; {bad} unreadable."
        ).format(
            new=run.outcomes["new"],
            known=run.outcomes["already stored"],
            dup=run.outcomes["duplicate"],
            bad=run.outcomes["unreadable"],
        ),
        _(
            "Documents: {done} done, {review} need review, {failed} failed, {queued} queued, "
            "{processing} being processed."
        ).format(
            done=counts[DONE],
            review=counts[NEEDS_REVIEW],
            failed=counts[FAILED],
            queued=counts[QUEUED],
            processing=counts[PROCESSING],
        ),
    ]
    if run.interrupted:
        lines.append(
            _(
                "Interrupted. Run the same command again to go on: stored files are skipped; queued documents "
                "are processed by the workers either way."
            )
        )
    if counts[FAILED]:
        lines.append(_("Failed files and their reasons: `ingest status`."))
    return "\n".join(lines)


def run_import(root: Path, wait: bool) -> int:
    run = ImportRun(root=root, files=candidates(root))
    with StopOnInterrupt() as stop:
        try:
            store_all(run, stop)
            if wait and not run.interrupted:
                follow(run, stop)
        except KeyboardInterrupt:  # the second Ctrl-C: stop now (intake is safe to cut anywhere)
            run.interrupted = True
    print(summary(run), flush=True)
    return ExitCode.INTERRUPTED if run.interrupted else ExitCode.OK
