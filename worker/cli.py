"""Service commands: run, watch, worker, import, status, retry, export."""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from rich.table import Table
from sqlalchemy import func
from sqlmodel import Session, col, select

from ingest.commands import add_command
from ingest.errors import ExitCode
from ingest.i18n import _
from models.db import database_url, session_scope, upgrade
from models.tables import DONE, FAILED, NEEDS_REVIEW, PROCESSING, QUEUED, STATUSES, Document, DuplicateDrop
from worker.progress import Running, format_age, in_progress, stuck_alarm

log = logging.getLogger("ingest.service")


def _setup(verbose: bool = True) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    upgrade()  # every service command starts on the current schema


# ---------------------------------------------------------------- watch / worker / run


def cmd_watch(_args: argparse.Namespace) -> int:
    from worker.watcher import watch

    _setup()
    watch()
    return ExitCode.OK


def celery_worker_command(queues: str, concurrency: int, name: str | None) -> list[str]:
    name = name or f"{queues.replace(',', '-')}-{os.getpid()}@%h"
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "worker.celery_app:app",
        "worker",
        "-Q",
        queues,
        "-c",
        str(concurrency),
        "-n",
        name,
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "--pool",
        "prefork",
    ]


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
    return ExitCode.OK


def web_addresses(host: str, port: int) -> list[str]:
    """Where people open the web app: this computer's own addresses when it listens on all of them."""
    import socket

    if host not in ("0.0.0.0", "::"):
        return [f"http://{host}:{port}"]
    names = {"127.0.0.1"}
    with contextlib.suppress(OSError):
        names.update(
            str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        )
    return [f"http://{name}:{port}" for name in sorted(names)]


def cmd_run(args: argparse.Namespace) -> int:
    """Everything in one command."""
    _setup()
    specs = _children(args)
    log.info("running %s; database %s", ", ".join(specs), database_url())
    if "web" in specs:
        print(_("Web app: {urls}").format(urls="  ".join(web_addresses(args.host, args.port))), flush=True)
        if args.host in ("0.0.0.0", "::"):
            print(
                _(
                    "Listening on the office network: every machine that can reach this one can open the sign-in "
                    "page."
                ),
                flush=True,
            )
    return supervise(specs, pause=5.0)


# ---------------------------------------------------------------- import


def cmd_import(args: argparse.Namespace) -> int:
    from worker.bulk import run_import

    _setup(verbose=False)
    return run_import(Path(args.dir).resolve(), wait=not args.no_wait)


# ---------------------------------------------------------------- status / retry / export


def status_label(status: str) -> str:
    labels = {
        QUEUED: _("queued"),
        PROCESSING: _("processing"),
        DONE: _("done"),
        NEEDS_REVIEW: _("needs review"),
        FAILED: _("failed"),
    }
    return labels.get(status, status)


def _counts_table(session: Session) -> Table:
    from worker.reconcile import queue_depth

    counts = dict(session.exec(select(Document.status, func.count()).group_by(Document.status)).all())
    dups = session.exec(select(func.count()).select_from(DuplicateDrop)).one()
    table = Table(title=_("Documents"))
    table.add_column(_("status"))
    table.add_column(_("count"), justify="right")
    for status in STATUSES:
        table.add_row(status_label(status), str(counts.get(status, 0)))
    table.add_row(_("duplicate drops"), str(dups))
    for q in ("native", "ocr"):
        depth = queue_depth(q)
        table.add_row(
            _("queue {name}").format(name=q), _("broker unreachable") if depth is None else str(depth)
        )
    return table


def _in_progress_table(running: list[Running]) -> Table:
    table = Table(title=_("In progress"))
    for column in (_("id"), _("file"), _("queue"), _("worker"), _("for"), _("attempt")):
        table.add_column(column)
    for r in running:
        style = "bold red" if r.stuck else None
        age = format_age(r.age_seconds) + (" " + _("(stuck)") if r.stuck else "")
        table.add_row(str(r.document_id), r.name, r.queue, r.worker, age, str(r.attempts), style=style)
    return table


def cmd_status(args: argparse.Namespace) -> int:
    from rich.console import Console

    from ingest.reasons import describe

    _setup(verbose=False)
    console = Console()
    with session_scope() as session:
        console.print(_counts_table(session))
        running = in_progress(session)
        failures = session.exec(
            select(Document)
            .where(col(Document.status) == FAILED)
            .order_by(col(Document.finished_at).desc())
            .limit(args.limit)
        ).all()
    if running:
        console.print(_in_progress_table(running))
    alarm = stuck_alarm(running)
    if alarm:
        console.print(f"[bold red]{alarm}")
    if failures:
        fail_table = Table(title=_("Failures (latest {n})").format(n=args.limit))
        for c in (_("id"), _("file"), _("reason")):
            fail_table.add_column(c)
        for d in failures:
            fail_table.add_row(str(d.id), d.original_name, describe(d.reason, d.error_code))
        console.print(fail_table)
    return ExitCode.FILES_FAILED if alarm else ExitCode.OK


def cmd_retry(args: argparse.Namespace) -> int:
    from worker.retry import requeue_failed

    _setup(verbose=False)
    requeued, sent = requeue_failed(args.ids)
    print(_("Re-queued {n} failed document(s); {sent} sent now.").format(n=requeued, sent=sent))
    if sent != requeued:
        print(_("The others are sent when the broker is back (by a running watcher or worker)."))
    return ExitCode.OK


def cmd_export(args: argparse.Namespace) -> int:
    from worker.export import write

    _setup(verbose=False)
    with session_scope() as session:
        n = write(session, args.format, args.long, Path(args.out) if args.out else None)
    print(_("Exported {n} row(s).").format(n=n), file=sys.stderr)
    return ExitCode.OK


# ---------------------------------------------------------------- the commands and their help


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = add_command(
        subparsers,
        "run",
        _("the whole service: inbox watcher, native and OCR workers, web app"),
        "ingest run --host 0.0.0.0",
    )
    p.epilog = "\n".join(
        [
            p.epilog or "",
            _(
                "Office network: by default the web app listens on 127.0.0.1, this computer only.\n"
                "With --host 0.0.0.0 every machine that can reach this one opens it at\n"
                "http://<this computer's address>:PORT. That exposes the review app (sign-in required;\n"
                "accounts: `ingest user add`): signed-in users see every document and its original,\n"
                "upload files, decide reviews and export. The database, the queue and the inbox\n"
                "are not exposed by this option."
            ),
        ]
    )
    p.add_argument(
        "--native", type=int, default=max(1, (os.cpu_count() or 2) - 1), help=_("native (text) workers")
    )
    p.add_argument("--ocr", type=int, default=1, help=_("OCR workers"))
    p.add_argument(
        "--host", default="127.0.0.1", help=_("address the web app listens on (0.0.0.0: the office network)")
    )
    p.add_argument("--port", type=int, default=8000, help=_("web app port"))
    p.set_defaults(func=cmd_run)

    add_command(
        subparsers, "watch", _("watch the inbox and take each complete file"), "ingest watch"
    ).set_defaults(func=cmd_watch)

    p = add_command(
        subparsers,
        "worker",
        _("a worker that reads documents from the queue"),
        "ingest worker --queues ocr --concurrency 2",
    )
    p.add_argument("--queues", default="native,ocr", help=_("queues to take work from"))
    p.add_argument("--concurrency", type=int, default=1, help=_("documents read at once"))
    p.add_argument("--name", help=_("Celery node name (default: queues-pid@host)"))
    p.set_defaults(func=cmd_worker)

    p = add_command(
        subparsers,
        "import",
        _("bulk import a folder (recursive, resumable) and follow its processing"),
        "ingest import /mnt/archive/2020",
    )
    p.add_argument("dir", help=_("folder to import; originals stay where they are"))
    p.add_argument(
        "--no-wait", action="store_true", help=_("only store and queue; do not follow the processing")
    )
    p.set_defaults(func=cmd_import)

    p = add_command(
        subparsers, "status", _("counts by status, queues, work in progress, failures"), "ingest status"
    )
    p.add_argument("--limit", type=int, default=20, help=_("failures shown"))
    p.set_defaults(func=cmd_status)

    p = add_command(subparsers, "retry", _("re-queue failed documents"), "ingest retry 12 15")
    p.add_argument("ids", nargs="*", type=int, help=_("only these document ids (default: all failed)"))
    p.set_defaults(func=cmd_retry)

    p = add_command(
        subparsers,
        "export",
        _("export reports as CSV, XLSX or JSON Lines"),
        "ingest export --format xlsx --out reports.xlsx",
    )
    p.add_argument("--format", choices=("csv", "xlsx", "jsonl"), default="csv", help=_("file format"))
    p.add_argument(
        "--long",
        action="store_true",
        help=_(
            "one row per (report, key): agency id and region codes, year, template, the Chinese label, value, status, the decision and who made it; year.continuity results as rows"
        ),
    )
    p.add_argument("--out", help=_("output file (default: stdout; export.xlsx for xlsx)"))
    p.set_defaults(func=cmd_export)
