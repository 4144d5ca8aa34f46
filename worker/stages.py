"""Per-stage timings of the service's work on one document, for `bench queue` and for finding where time
goes (docs/service.md, "Where the time goes"). Off unless INGEST_STAGE_LOG names a file: then every
process (import, worker children) appends one JSON line per document and step, e.g.

  {"pid": 4711, "doc": 12, "step": "task", "start": 1718000000.1, "end": 1718000000.2,
   "ms": {"claim": 1.9, "extract": 41.0, ...}, "cpu_ms": {"claim": 1.1, "extract": 40.2, ...}}

`ms` is wall time, `cpu_ms` this thread's CPU time: where wall time exceeds CPU time the process waited
(for a lock, the disk, the network, or a CPU that another process held). Lines are short and appended
with one write each, so processes writing at once do not interleave.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

STAGE_LOG_ENV = "INGEST_STAGE_LOG"


class Stages:
    """Marks the end of each stage of one step (`task` in a worker, `intake` in import/watcher)."""

    __slots__ = ("_cpu", "_cpu_ms", "_doc", "_ms", "_on", "_start", "_step", "_wall")

    def __init__(self, step: str, doc: int | None = None) -> None:
        self._on = bool(os.environ.get(STAGE_LOG_ENV))
        self._step, self._doc = step, doc
        self._ms: dict[str, float] = {}
        self._cpu_ms: dict[str, float] = {}
        self._start = time.time()
        self._wall, self._cpu = time.perf_counter(), time.thread_time()

    def mark(self, stage: str) -> None:
        """The stage named `stage` ended now (it began at the previous mark, or at creation)."""
        if not self._on:
            return
        wall, cpu = time.perf_counter(), time.thread_time()
        self._ms[stage] = self._ms.get(stage, 0.0) + (wall - self._wall) * 1000
        self._cpu_ms[stage] = self._cpu_ms.get(stage, 0.0) + (cpu - self._cpu) * 1000
        self._wall, self._cpu = wall, cpu

    def doc(self, doc: int) -> None:
        self._doc = doc

    def write(self) -> None:
        path = os.environ.get(STAGE_LOG_ENV)
        if not self._on or not path:
            return
        line: dict[str, Any] = {
            "pid": os.getpid(),
            "doc": self._doc,
            "step": self._step,
            "start": round(self._start, 4),
            "end": round(time.time(), 4),
            "ms": _rounded(self._ms),
            "cpu_ms": _rounded(self._cpu_ms),
        }
        data = (json.dumps(line) + "\n").encode()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)


def _rounded(values: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 2) for k, v in values.items()}


# ---------------------------------------------------------------- cProfile of worker processes

PROFILE_ENV = "INGEST_PROFILE_DIR"
_profiler: Any = None


def start_profile() -> None:
    """With INGEST_PROFILE_DIR set: profile this process (a Celery parent, or a pool child, which first
    drops the profile it inherited across fork) until `dump_profile`."""
    global _profiler
    if not os.environ.get(PROFILE_ENV):
        return
    import cProfile

    if _profiler is not None:
        _profiler.disable()
    _profiler = cProfile.Profile()
    _profiler.enable()


def dump_profile(role: str) -> None:
    """Write `<role>-<pid>.prof` (pstats format) into INGEST_PROFILE_DIR."""
    directory = os.environ.get(PROFILE_ENV)
    if _profiler is None or not directory:
        return
    _profiler.disable()
    os.makedirs(directory, exist_ok=True)
    _profiler.dump_stats(os.path.join(directory, f"{role}-{os.getpid()}.prof"))
