"""Service commands: run, watch, worker, import, status, retry, export."""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func
from sqlmodel import col, select

from models.db import database_url, session_scope, upgrade
from models.tables import FAILED, STATUSES, Document, DuplicateDrop

log = logging.getLogger("ingest.service")


def _setup(verbose: bool = True) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    upgrade()  # every service command starts on the current schema


# ---------------------------------------------------------------- watch / worker / run


def cmd_watch(_args: argparse.Namespace) -> int:
    from worker.watcher import watch

    _setup()
    watch()
    return 0


def celery_worker_command(queues: str, concurrency: int, name: str | None) -> list[str]:
    name = name or f"{queues.replace(',', '-')}-{os.getpid()}@%h"
    return [sys.executable, "-m", "celery", "-A", "worker.celery_app:app", "worker", "-Q", queues,
            "-c", str(concurrency), "-n", name, "--loglevel", "INFO", "--without-gossip", "--without-mingle",
            "--pool", "prefork"]


def cmd_worker(args: argparse.Namespace) -> int:
    from worker.reconcile import start_reconciler

    _setup()
    # Workers recover lost and dead-claimed documents themselves, with or without a watcher running
    # (Procfile or compose processes started separately, `ingest import` feeding workers only).
    start_reconciler()
    return supervise({"worker": celery_worker_command(args.queues, args.concurrency, args.name)})


def _children(args: argparse.Namespace) -> dict[str, list[str]]:
    me = [sys.executable, "-m", "ingest.cli"]
    procs = {
        "watcher": [*me, "watch"],
        "native": [*me, "worker", "--queues", "native", "--concurrency", str(args.native)],
        "ocr": [*me, "worker", "--queues", "ocr", "--concurrency", str(args.ocr)],
    }
    if importlib.util.find_spec("web.cli") is not None:  # the review web app, when installed
        procs["web"] = [*me, "web", "--host", args.host, "--port", str(args.port)]
    return procs


def supervise(specs: dict[str, list[str]], pause: float = 2.0) -> int:
    """Run the commands; restart any that exits (a Celery worker exits for good on some broker losses),
    until SIGTERM/SIGINT, which is passed on for a warm shutdown (the current file finishes or requeues)."""
    procs = {name: subprocess.Popen(cmd) for name, cmd in specs.items()}
    stopping = False

    def stop(_sig: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        time.sleep(0.5)
        for name, proc in procs.items():
            if proc.poll() is not None and not stopping:
                log.warning("%s exited with %s; restarting in %.0f s", name, proc.returncode, pause)
                time.sleep(pause)
                procs[name] = subprocess.Popen(specs[name])
    for proc in procs.values():
        proc.terminate()
    for proc in procs.values():
        proc.wait(timeout=120)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Everything in one command."""
    _setup()
    specs = _children(args)
    log.info("running %s; database %s", ", ".join(specs), database_url())
    return supervise(specs, pause=5.0)


# ---------------------------------------------------------------- import


def _candidates(root: Path) -> list[Path]:
    from worker.watcher import skipped_name

    return sorted(p for p in root.rglob("*") if p.is_file()
                  and not any(skipped_name(part) for part in p.relative_to(root).parts))


def cmd_import(args: argparse.Namespace) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from ingest.pipeline import sha256_of
    from worker.intake import intake_file

    _setup(verbose=False)
    root = Path(args.dir).resolve()
    files = _candidates(root)
    counts = {"new": 0, "already stored": 0, "duplicate": 0, "unreadable": 0}
    columns = (TextColumn("[bold]import"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]} files/s"), TimeElapsedColumn(), TextColumn("ETA"),
               TimeRemainingColumn())
    started = time.monotonic()
    with Progress(*columns) as progress:
        task = progress.add_task("import", total=len(files), rate="-")
        for i, path in enumerate(files, 1):
            counts[_import_one(path, root, sha256_of, intake_file)] += 1
            progress.update(task, advance=1, rate=f"{i / max(time.monotonic() - started, 1e-6):.1f}")
    print(f"imported from {root}: " + ", ".join(f"{v} {k}" for k, v in counts.items()) +
          f" ({len(files)} files in {time.monotonic() - started:.1f} s)")
    return 0


def _import_one(path: Path, root: Path, sha256_of, intake_file) -> str:  # type: ignore[no-untyped-def]
    """Resumable: content already stored is skipped without a duplicate-drop record."""
    try:
        sha = sha256_of(path)
    except OSError:
        return "unreadable"
    with session_scope() as session:
        if session.exec(select(Document.id).where(col(Document.sha256) == sha)).first() is not None:
            return "already stored"
    result = intake_file(path, root, move=False)
    if result is None:
        return "unreadable"
    return "duplicate" if result.duplicate else "new"


# ---------------------------------------------------------------- status / retry / export


def cmd_status(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from worker.reconcile import queue_depth

    _setup(verbose=False)
    console = Console()
    with session_scope() as session:
        counts = dict(session.exec(select(Document.status, func.count()).group_by(Document.status)).all())
        dups = session.exec(select(func.count()).select_from(DuplicateDrop)).one()
        failures = session.exec(select(Document).where(col(Document.status) == FAILED)
                                .order_by(col(Document.finished_at).desc()).limit(args.limit)).all()
    table = Table(title="documents")
    table.add_column("status")
    table.add_column("count", justify="right")
    for status in STATUSES:
        table.add_row(status, str(counts.get(status, 0)))
    table.add_row("duplicate drops", str(dups))
    for q in ("native", "ocr"):
        depth = queue_depth(q)
        table.add_row(f"queue {q}", "broker unreachable" if depth is None else str(depth))
    console.print(table)
    if failures:
        fail_table = Table(title=f"failures (latest {args.limit})")
        for c in ("id", "file", "reason"):
            fail_table.add_column(c)
        for d in failures:
            fail_table.add_row(str(d.id), d.original_name, d.reason or "")
        console.print(fail_table)
    return 0


def cmd_retry(args: argparse.Namespace) -> int:
    from worker.retry import requeue_failed

    _setup(verbose=False)
    requeued, sent = requeue_failed(args.ids)
    print(f"re-queued {requeued} failed document(s); {sent} sent now" +
          ("" if sent == requeued else ", the rest when the broker is back (watcher)"))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from worker.export import write

    _setup(verbose=False)
    with session_scope() as session:
        n = write(session, args.format, args.long, Path(args.out) if args.out else None)
    print(f"exported {n} row(s)", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("run", help="watcher + native and ocr workers (+ web app): the whole service")
    p.add_argument("--native", type=int, default=max(1, (os.cpu_count() or 2) - 1), help="native workers")
    p.add_argument("--ocr", type=int, default=1, help="ocr workers")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_run)

    subparsers.add_parser("watch", help="watch the inbox").set_defaults(func=cmd_watch)

    p = subparsers.add_parser("worker", help="a Celery worker")
    p.add_argument("--queues", default="native,ocr")
    p.add_argument("--concurrency", type=int, default=1)
    p.add_argument("--name", help="Celery node name (default: queues-pid@host)")
    p.set_defaults(func=cmd_worker)

    p = subparsers.add_parser("import", help="bulk import a folder (recursive, resumable)")
    p.add_argument("dir")
    p.set_defaults(func=cmd_import)

    p = subparsers.add_parser("status", help="counts by status, queue depth, failures")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(func=cmd_status)

    p = subparsers.add_parser("retry", help="re-queue failed documents")
    p.add_argument("ids", nargs="*", type=int, help="only these document ids")
    p.set_defaults(func=cmd_retry)

    p = subparsers.add_parser("export", help="export reports")
    p.add_argument("--format", choices=("csv", "xlsx", "jsonl"), default="csv")
    p.add_argument("--long", action="store_true", help="one row per (report, key): agency id and region codes, year, template, the Chinese label, value, status, the decision and who made it; year.continuity results as rows")
    p.add_argument("--out", help="output file (default: stdout; export.xlsx for xlsx)")
    p.set_defaults(func=cmd_export)
