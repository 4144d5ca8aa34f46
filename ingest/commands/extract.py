"""`ingest extract PATH...`: one JSON record per input on stdout (JSON Lines), as each finishes.

Files run in a pool of worker processes (every core by default). Each worker has a memory ceiling
(RLIMIT_AS) and each file a wall-clock limit; a file that hangs or kills its worker gets a record with an
error, the worker is replaced, and the other files go on. Exit code 0 when every file gave a record without
error, 1 when any failed, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import queue
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.commands import add_command
from ingest.errors import ErrorCode, ExitCode, error_dict
from ingest.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "extract",
        _("read reports and print one JSON record per file (JSON Lines)"),
        "ingest extract report.pdf > record.jsonl",
    )
    p.add_argument("paths", nargs="+", type=Path, help="files, or folders to read recursively")
    p.add_argument(
        "--jobs", "-j", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)"
    )
    p.add_argument("--timeout", type=float, default=300.0, help="seconds allowed per file (default 300)")
    p.add_argument(
        "--max-memory", type=int, default=3072, help="MiB of address space per worker; 0 = no limit"
    )
    p.add_argument("--pretty", action="store_true", help="indent the JSON (no longer one line per record)")
    p.set_defaults(func=run)


def expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        else:
            out.append(path)
    return out


def run(args: argparse.Namespace) -> int:
    files = expand(args.paths)
    failed = 0
    for record in extract_many(files, jobs=args.jobs, timeout=args.timeout, max_memory_mb=args.max_memory):
        failed += record["error"] is not None
        print(json.dumps(record, ensure_ascii=False, indent=2 if args.pretty else None), flush=True)
    return ExitCode.FILES_FAILED if failed else ExitCode.OK


def error_record(path: Path, code: ErrorCode, message: str) -> dict[str, Any]:
    return {
        "source": {"path": str(path), "sha256": None, "format": None, "pages": 0},
        "meta": {},
        "fields": {},
        "checks": [],
        "error": error_dict(code, message),
    }


def extract_many(
    files: list[Path], jobs: int = 1, timeout: float = 300.0, max_memory_mb: int = 3072
) -> Iterator[dict[str, Any]]:
    """Records in the order they finish. Never raises for a bad file."""
    missing = [f for f in files if not f.is_file()]
    for path in missing:
        yield error_record(path, ErrorCode.NOT_FOUND, "no such file")
    todo = [f for f in files if f.is_file()]
    if todo:
        yield from _Pool(max(1, min(jobs, len(todo))), timeout, max_memory_mb).run(todo)


@dataclass
class _Worker:
    process: Any
    inbox: Any
    path: Path | None = None
    started: float = 0.0


class _Pool:
    def __init__(self, size: int, timeout: float, max_memory_mb: int) -> None:
        self.ctx = mp.get_context("fork")  # workers inherit imported modules: no start-up per file
        self.size, self.timeout, self.max_memory_mb = size, timeout, max_memory_mb
        self.results = self.ctx.Queue()
        self.workers: list[_Worker] = []

    def run(self, files: list[Path]) -> Iterator[dict[str, Any]]:
        # The pipeline and its readers are imported once, here, and inherited by every fork; not when this
        # module loads, which every `ingest` command does to list its subcommands.
        from ingest.pipeline import load_stages

        load_stages()
        pending = list(reversed(files))
        self.workers = [self._spawn(i) for i in range(self.size)]
        try:
            while pending or any(w.path for w in self.workers):
                for w in self.workers:
                    if w.path is None and pending:
                        w.path, w.started = pending.pop(), time.monotonic()
                        w.inbox.put(str(w.path))
                yield from self._collect()
                yield from self._reap()
        finally:
            for w in self.workers:
                w.inbox.put(None)
                w.process.join(timeout=1)
                if w.process.is_alive():
                    w.process.kill()

    def _spawn(self, index: int) -> _Worker:
        inbox = self.ctx.Queue()
        process = self.ctx.Process(
            target=_work, args=(index, inbox, self.results, self.max_memory_mb), daemon=True
        )
        process.start()
        return _Worker(process, inbox)

    def _collect(self) -> Iterator[dict[str, Any]]:
        try:
            index, record = self.results.get(timeout=0.05)
        except queue.Empty:
            return
        self.workers[index].path = None
        yield record

    def _reap(self) -> Iterator[dict[str, Any]]:
        """Replace workers that died or overran their file's time limit, with an error for that file."""
        now = time.monotonic()
        for i, w in enumerate(self.workers):
            if w.path is None:
                continue
            if not w.process.is_alive():
                code, message = (
                    ErrorCode.WORKER_CRASHED,
                    f"the reading process died (exit code {w.process.exitcode})",
                )
            elif now - w.started > self.timeout:
                code, message = ErrorCode.TIMEOUT, f"not finished within {self.timeout:g} s"
                w.process.kill()
                w.process.join()
            else:
                continue
            yield error_record(w.path, code, message)
            self.workers[i] = self._spawn(i)


def _limit_memory(wanted: int) -> None:
    """Our ceiling, clamped to the one we were given: under a lower outer limit (a container, `ulimit -v`)
    raising the hard limit fails, and the outer limit already bounds the worker."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _work(index: int, inbox: Any, results: Any, max_memory_mb: int) -> None:
    from ingest.pipeline import extract  # loaded by the pool before it forks (see _Pool.run)

    if max_memory_mb > 0:
        _limit_memory(max_memory_mb * 1024 * 1024)
    while (item := inbox.get()) is not None:
        path = Path(item)
        try:
            record = extract(path).to_json()
        except MemoryError:
            record = error_record(path, ErrorCode.TOO_LARGE, "over the memory limit while reading")
        except Exception as exc:  # a bug must cost one file, not the batch
            record = error_record(path, ErrorCode.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}")
        results.put((index, record))
