"""Queue benchmark: a mixed batch of generated reports through the real service (`ingest import` →
broker → Celery workers → database) with 1 and 2 worker processes, against calling extract() directly.

Reports per backend and worker count: documents/min, pages/min, p50/p95 latency from intake to stored,
the overhead ratio (wall time through the service ÷ extract() alone on the same files, measured right
before each service run, since a shared machine's load drifts), the
throughput relative to one worker, and the peak resident memory of any worker process (VmHWM). Brokers: the embedded SQLite
queue, and Redis + PostgreSQL when they are reachable.

  python -m bench queue [--docs 100] [--workers 1,2] [--backends embedded,redis]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from worker.stages import PROFILE_ENV, STAGE_LOG_ENV

ROOT = Path(__file__).resolve().parents[1]
PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
# Redis database the bench flushes and uses (INGEST_BENCH_REDIS_DB: runs side by side each take one).
REDIS_DB = os.environ.get("INGEST_BENCH_REDIS_DB", "12")
REDIS = f"redis://127.0.0.1:6379/{REDIS_DB}"
STALL_SECONDS = 180


def make_corpus(out: Path, n: int) -> list[Path]:
    from synth.corpus import build, plan

    items = build(plan(n, ["docx", "pdf", "html", "txt"], seed=4242), out / "generated")
    files = out / "files"  # the reports alone, without their *.expected.json truth files
    files.mkdir(parents=True)
    return [it.path.rename(files / it.path.name) for it in items]


def direct(files: list[Path]) -> tuple[float, float, int]:
    """extract() on every file in this process: (wall s, CPU s, pages)."""
    from ingest.pipeline import extract

    started, cpu, pages = time.perf_counter(), time.process_time(), 0
    for f in files:
        pages += extract(f).pages
    return time.perf_counter() - started, time.process_time() - cpu, pages


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _family(pid: int) -> set[int]:
    """`pid` and its descendants (the supervisor, the Celery parent and its pool children)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    family, grew = {pid}, True
    while grew:
        new = {p for p, pp in parents.items() if pp in family} - family
        family |= new
        grew = bool(new)
    return family


def _peak_rss_kb(pids: set[int]) -> dict[int, int]:
    """Each process's high-water resident set (VmHWM), KiB: a peak between samples is not missed."""
    peaks: dict[int, int] = {}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        peaks[pid] = next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0
        )
    return peaks


class Backend:
    def __init__(self, name: str) -> None:
        self.name, self.db = name, ""

    def env(self, data: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("INGEST_", "CELERY_", "REDIS_"))}
        env["INGEST_DATA_DIR"] = str(data)
        if self.name == "redis":
            from sqlalchemy import create_engine, text

            self.db = f"ingest_bench_{uuid.uuid4().hex[:8]}"
            with create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT").connect() as c:
                c.execute(text(f'CREATE DATABASE "{self.db}"'))
            subprocess.run(["redis-cli", "-n", REDIS_DB, "flushdb"], capture_output=True)
            env.update(DATABASE_URL=f"{PG}/{self.db}", CELERY_BROKER_URL=REDIS)
        return env

    def cleanup(self) -> None:
        if self.db:
            from sqlalchemy import create_engine, text

            with create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT").connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)'))
            self.db = ""


def run_queue(
    files_dir: Path, n: int, workers: int, backend: Backend, profile_dir: Path | None = None
) -> dict[str, Any]:
    from sqlalchemy import func
    from sqlmodel import Session, col, select

    from models.db import make_engine
    from models.tables import FINAL_STATUSES, Document

    with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp:
        env = backend.env(Path(tmp))
        stage_log = Path(tmp) / "stages.jsonl"
        env[STAGE_LOG_ENV] = str(stage_log)
        if profile_dir:
            env[PROFILE_ENV] = str(profile_dir / f"{backend.name}-{workers}")
        cli = [sys.executable, "-m", "ingest.cli"]
        subprocess.run([*cli, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
        log = (Path(tmp) / "worker.log").open("wb")
        # A native worker, as `ingest run` starts one: the batch is born-digital, and OCR files have
        # their own worker (whose one-message-per-child prefetch would not apply here).
        worker = subprocess.Popen(
            [*cli, "worker", "--queues", "native", "--concurrency", str(workers)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            while b" ready." not in (Path(tmp) / "worker.log").read_bytes():
                time.sleep(0.2)
            started = datetime.now(UTC)
            # CPU of the import and of the worker tree (supervisor, Celery parent, pool children) from the
            # run's start to its end, start-ups before it excluded: unlike wall time, barely moved by
            # other processes' load. The database's and Redis's own CPU are not counted.
            worker_cpu, import_cpu = _family_cpu(worker.pid), _children_cpu()
            subprocess.run(
                [*cli, "import", "--no-wait", str(files_dir)],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            import_cpu = _children_cpu() - import_cpu
            engine = make_engine(env.get("DATABASE_URL") or f"sqlite:///{Path(tmp) / 'ingest.sqlite'}")
            final = select(func.count()).select_from(Document).where(col(Document.status).in_(FINAL_STATUSES))
            peaks: dict[int, int] = {}
            done, progress_at = 0, time.monotonic()
            while True:
                # A light poll (one COUNT, /proc reads) so that the bench takes little CPU from the service;
                # the wall time comes from the documents' own timestamps, not from when we noticed.
                peaks.update(_peak_rss_kb(_family(worker.pid)))
                with Session(engine) as s:
                    now_done = s.exec(final).one()
                    if now_done >= n:
                        docs = list(s.exec(select(Document)))
                        worker_cpu = _family_cpu(worker.pid) - worker_cpu
                        break
                if now_done > done:
                    done, progress_at = now_done, time.monotonic()
                elif time.monotonic() - progress_at > STALL_SECONDS:  # e.g. a file sent on to the ocr queue
                    raise RuntimeError(
                        f"{backend.name}: no document finished for {STALL_SECONDS} s "
                        f"({done}/{n} final); see {Path(tmp) / 'worker.log'}"
                    )
                time.sleep(0.5)
            engine.dispose()
        finally:
            _stop(worker)
            backend.cleanup()
        stages = stage_summary(stage_log, started.timestamp(), n)
    wall = (max(_utc(d.finished_at) for d in docs if d.finished_at) - started).total_seconds()
    latencies = sorted(
        (_utc(d.finished_at) - _utc(d.created_at)).total_seconds() for d in docs if d.finished_at
    )
    pages = sum(d.pages or 0 for d in docs)
    return {
        "backend": backend.name,
        "workers": workers,
        "docs": n,
        "pages": pages,
        "wall_s": round(wall, 1),
        "docs/min": round(n / wall * 60, 1),
        "pages/min": round(pages / wall * 60, 1),
        "p50_s": round(statistics.median(latencies), 2),
        "p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
        "peak_rss_mb": round(max(peaks.values(), default=0) / 1024),
        # Time the workers spent inside extract() (Document.seconds), per worker: the rest of the wall
        # time is the service's own (intake, dispatch, claim, store) or waiting for a CPU.
        "in_extract_s": round(sum(d.seconds or 0 for d in docs) / workers, 1),
        "service_cpu_s": round(worker_cpu + import_cpu, 1),
        "import_cpu_s": round(import_cpu, 1),  # of which `ingest import` (start-up included)
        "stages": stages,
    }


def stage_summary(log: Path, started: float, n: int) -> dict[str, float]:
    """Milliseconds per document of each stage (worker/stages.py), wall and CPU, plus what lies between
    them: the import's start-up (from the run's start to its first intake), how long the workers waited
    for their first document (to the first task's start), and, per worker child, the gap from one task's
    end to the next one's start (the ack, the parent's fetch and hand-over)."""
    lines = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    out: dict[str, float] = {}
    for line in lines:
        for kind in ("ms", "cpu_ms"):
            for stage, ms in line[kind].items():
                key = f"{line['step']}.{stage}{'' if kind == 'ms' else '.cpu'}"
                out[key] = out.get(key, 0.0) + ms / n
    intakes = sorted(line["start"] for line in lines if line["step"] == "intake")
    if intakes:
        out["import.startup_total"] = (intakes[0] - started) * 1000
    firsts = sorted(line["start"] for line in lines if line["step"] == "task")
    if firsts:  # the workers idle this long at the start: the import's start-up and its first file
        out["task.first_start_total"] = (firsts[0] - started) * 1000
    tasks: dict[int, list[tuple[float, float]]] = {}
    for line in lines:
        if line["step"] == "task":
            tasks.setdefault(line["pid"], []).append((line["start"], line["end"]))
    gaps = [
        b[0] - a[1]
        for spans in tasks.values()
        for a, b in zip(sorted(spans), sorted(spans)[1:], strict=False)
    ]
    if gaps:
        out["task.gap_between"] = sum(gaps) * 1000 / n
        out["task.gap_between.p50"] = statistics.median(gaps) * 1000
    return {k: round(v, 2) for k, v in sorted(out.items())}


def print_stages(row: dict[str, Any]) -> None:
    stages = row.get("stages") or {}
    print(
        f"  stages, ms per document ({row['backend']}, {row['workers']} worker(s); .cpu: that process's CPU):"
    )
    for key, ms in stages.items():
        print(f"    {key:32} {ms:9.2f}")


def _family_cpu(pid: int) -> float:
    """CPU seconds used so far by `pid` and its living descendants (and the children they waited for)."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for member in _family(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    return total / tick


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _stop(worker: subprocess.Popen[bytes]) -> None:
    """Warm shutdown; a worker that has not stopped after a minute (a loaded machine) is killed."""
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _main_columns(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "stages"}


def print_table(rows: list[dict[str, Any]]) -> None:
    cols = list(rows[0])
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in cols}
    print("  ".join(c.ljust(widths[c]) for c in cols))
    for r in rows:
        print("  ".join(str(r.get(c, "")).ljust(widths[c]) for c in cols))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m bench queue",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--backends", default="embedded,redis")
    ap.add_argument("--profile", type=Path, help="also cProfile the workers into this folder (slower)")
    ap.add_argument(
        "--quiet-stages", action="store_true", help="do not print each run's ms per document by stage"
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run the whole sweep this many times, one after another, and print the median of each ratio "
        "(the host's speed drifts by a third between minutes)",
    )
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        files = make_corpus(Path(tmp), args.docs)
        direct(
            files[:5]
        )  # warm: imports and first-call caches, which a worker child has before its first file
        rows = []
        for round_no in range(1, args.repeat + 1):
            rows += _sweep(files, Path(tmp) / "files", args, round_no)
    print()
    print_table([_main_columns(r) for r in rows])
    if args.repeat > 1:
        print()
        print_table(medians(rows))
    return 0


def _sweep(
    files: list[Path], files_dir: Path, args: argparse.Namespace, round_no: int
) -> list[dict[str, Any]]:
    """Every backend with every worker count once."""
    rows = []
    for name in args.backends.split(","):
        if name == "redis" and not (_reachable(6379) and _reachable(5432)):
            print("redis backend skipped: Redis or PostgreSQL not reachable")
            continue
        one_worker: float | None = None
        for w in (int(x) for x in args.workers.split(",")):
            # extract() alone right before each service run: on a shared machine the load drifts, and
            # the overhead ratio must compare like with like.
            direct_s, direct_cpu_s, pages = direct(files)
            print(
                f"direct extract(): {len(files)} docs, {pages} pages in {direct_s:.1f} s "
                f"({len(files) / direct_s * 60:.0f} docs/min, {pages / direct_s * 60:.0f} pages/min)"
            )
            row = run_queue(files_dir, len(files), w, Backend(name), args.profile)
            row["round"] = round_no
            row["direct_s"] = round(direct_s, 1)
            # CPU time of extract() alone, and of extract() in the workers (per worker): where the two
            # agree and the wall times do not, the workers waited for a CPU held by other processes.
            row["direct_cpu_s"] = round(direct_cpu_s, 1)
            row["in_extract_cpu_s"] = round(
                row["stages"].get("task.extract.cpu", 0) * len(files) / w / 1000, 1
            )
            row["overhead_x"] = round(row["wall_s"] / direct_s, 2)
            row["cpu_overhead_x"] = round(row["service_cpu_s"] / direct_cpu_s, 2)
            one_worker = row["docs/min"] if w == 1 else one_worker
            row["vs_1_worker"] = round(row["docs/min"] / one_worker, 2) if one_worker else ""
            rows.append(row)
            print_table([_main_columns(row)])
            if not args.quiet_stages:
                print_stages(row)
    return rows


def medians(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per backend and worker count, the median over the rounds of each ratio (each round's ratios compare
    runs made minutes apart, so they are what to read; a median of absolute rates would mix hours)."""
    out = []
    for key in dict.fromkeys((r["backend"], r["workers"]) for r in rows):
        same = [r for r in rows if (r["backend"], r["workers"]) == key]
        ratios = [r["vs_1_worker"] for r in same if r["vs_1_worker"] != ""]
        out.append(
            {
                "backend": key[0],
                "workers": key[1],
                "rounds": len(same),
                "median_overhead_x": round(statistics.median(r["overhead_x"] for r in same), 2),
                "overhead_x_range": f"{min(r['overhead_x'] for r in same)}–{max(r['overhead_x'] for r in same)}",
                "median_vs_1_worker": round(statistics.median(ratios), 2) if ratios else "",
                "median_cpu_overhead_x": round(statistics.median(r["cpu_overhead_x"] for r in same), 2),
            }
        )
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
