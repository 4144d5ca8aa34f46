"""Native benchmark: speed and accuracy of `ingest.pipeline.extract` on generated reports with text layers.

Generates `--per-format` documents for each format (both templates, both scripts, seed-chosen faults),
times extraction one file at a time per format, then the whole corpus through `ingest extract --jobs N`,
and scores every record against its truth.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synth.corpus import CorpusItem, build, plan
from synth.scoring import Score, aggregate, format_table, score

COLUMNS = [
    "format",
    "documents",
    "pages",
    "seconds",
    "docs/s",
    "pages/s",
    "accuracy",
    "silent_errors",
    "review_load",
    "must_flag_missed",
]


@dataclass(slots=True)
class Run:
    label: str
    seconds: float = 0.0
    pages: int = 0
    scores: list[Score] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        totals = aggregate(self.scores)
        n = len(self.scores)
        return {
            "format": self.label,
            "documents": n,
            "pages": self.pages,
            "seconds": round(self.seconds, 2),
            "docs/s": n / self.seconds if self.seconds else 0.0,
            "pages/s": self.pages / self.seconds if self.seconds else 0.0,
            "accuracy": totals["accuracy"],
            "silent_errors": totals["silent_errors"],
            "review_load": totals["review_load"],
            "must_flag_missed": totals["must_flag_missed"],
        }


def make_corpus(out_dir: Path, formats: list[str], per_format: int, seed: int) -> list[CorpusItem]:
    cases = []
    for i, fmt in enumerate(formats):
        cases += plan(per_format, [fmt], seed + i * 10_000)
    return build(cases, out_dir)


def sequential(items: list[CorpusItem], fmt: str) -> Run:
    from ingest.pipeline import extract

    run = Run(fmt)
    for item in (it for it in items if it.case.fmt == fmt):
        started = time.perf_counter()
        record = extract(item.path).to_json()
        run.seconds += time.perf_counter() - started
        run.pages += int(record["source"].get("pages") or 0)
        run.scores.append(score(record, item.expected(), name=item.path.name))
    return run


def parallel(items: list[CorpusItem], jobs: int) -> Run | None:
    """The whole corpus through the `ingest extract` command (process pool), wall-clock."""
    by_path = {str(it.path): it for it in items}
    cmd = [sys.executable, "-m", "ingest.cli", "extract", "--jobs", str(jobs), *by_path]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    run = Run(f"all (extract --jobs {jobs})", seconds=time.perf_counter() - started)
    if proc.returncode not in (0, 1) or not proc.stdout.strip():
        print(f"ingest extract --jobs unavailable or failed: {proc.stderr.strip()[-400:]}", file=sys.stderr)
        return None
    for line in proc.stdout.splitlines():
        record = json.loads(line)
        item = by_path.get(record["source"]["path"])
        if item:
            run.pages += int(record["source"].get("pages") or 0)
            run.scores.append(score(record, item.expected(), name=item.path.name))
    return run


def markdown(rows: list[dict[str, Any]], args: argparse.Namespace) -> str:
    table = format_table(rows, COLUMNS)
    return (
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; `python -m bench native --per-format {args.per_format} "
        f"--seed {args.seed} --jobs {args.jobs}`.\n\n```\n{table}\n```\n"
    )


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench native", description=__doc__)
    p.add_argument("--per-format", type=int, default=20)
    p.add_argument("--formats", default="docx,pdf,html,txt")
    p.add_argument("--seed", type=int, default=5000)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--keep", type=Path, help="write the corpus here instead of a temporary folder")
    p.add_argument("--failures", action="store_true", help="print what went wrong per document")
    return p.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    with tempfile.TemporaryDirectory(prefix="bench-native-") as tmp:
        out_dir = args.keep or Path(tmp)
        started = time.perf_counter()
        items = make_corpus(out_dir, formats, args.per_format, args.seed)
        print(f"generated {len(items)} documents in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        runs = [sequential(items, fmt) for fmt in formats]
        total = Run(
            "all (sequential)",
            sum(r.seconds for r in runs),
            sum(r.pages for r in runs),
            [s for r in runs for s in r.scores],
        )
        runs.append(total)
        pooled = parallel(items, args.jobs) if args.jobs > 1 else None
        if pooled:
            runs.append(pooled)
    rows = [r.row() for r in runs]
    print(format_table(rows, COLUMNS))
    if args.failures:
        for s in total.scores:
            if not s.perfect or s.needless_review:
                print(s.describe(limit=8))
    print("\n" + markdown(rows, args), file=sys.stderr)
    return 0
