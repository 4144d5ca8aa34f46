"""Scanned benchmark: whole synthetic reports, scanned with named hard cases (synth.scanned), read
by `ingest extract --jobs N` (our OCR route, both cores) and by `ocrmypdf -l chi_sim+chi_tra` then the
native PDF route, side by side in one run: accuracy against the truth, wall seconds per page, CPU seconds
per page, peak memory of the largest worker. A second table breaks our accuracy down per hard case.

    python -m bench scanned [--docs 36] [--seed 900] [--jobs 2] [--no-ocrmypdf] [--json rows.json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from PIL import Image

from synth.scanned import ScannedItem, make_scanned_corpus
from synth.scoring import Score, aggregate, format_table, score

COLUMNS = [
    "route",
    "documents",
    "pages",
    "wall_s",
    "s/page",
    "cpu_s/page",
    "peak_mb/worker",
    "accuracy",
    "silent_errors",
    "review_load",
    "must_flag_missed",
]
CASE_COLUMNS = [
    "case",
    "documents",
    "pages",
    "keys",
    "accuracy",
    "silent_errors",
    "review_load",
    "must_flag_missed",
]


# Runs the command and prints its wait4 usage. A child forked from this (large) benchmark process would
# carry the benchmark's peak RSS across exec into ru_maxrss; forked from this small wrapper it does not.
_MEASURE = """
import os, subprocess, sys, time
started = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, file=sys.stderr)
"""


def _run_measured(cmd: list[str]) -> tuple[str, float, float, int]:
    """Run a command: its stdout, wall s, CPU s, and the peak RSS (MB) of its largest process (wait4's
    ru_maxrss covers the waited-for descendants: the biggest worker)."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True, check=False)
    wall, cpu, maxrss_kb = out.stderr.strip().splitlines()[-1].split()
    return out.stdout, float(wall), float(cpu), int(maxrss_kb) // 1024


def run_extract(paths: list[Path], jobs: int) -> tuple[dict[str, dict[str, Any]], float, float, int]:
    """`ingest extract` as a user runs it: records by file name, wall s, CPU s, peak MB of a worker."""
    ingest = Path(sys.executable).with_name("ingest")  # the console script installed beside this Python
    stdout, wall, cpu, peak = _run_measured([str(ingest), "extract", "--jobs", str(jobs), *map(str, paths)])
    records = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    return {Path(r["source"]["path"]).name: r for r in records}, wall, cpu, peak


def _score_all(items: list[ScannedItem], records: dict[str, dict[str, Any]], name_of: Any) -> list[Score]:
    missing = {"fields": {}, "meta": {}, "error": {"code": "no_record"}}
    return [score(records.get(name_of(it), missing), it.expected(), name=it.path.name) for it in items]


def _row(
    route: str, items: list[ScannedItem], scores: list[Score], wall: float, cpu: float, peak: int
) -> dict[str, Any]:
    pages = sum(it.pages for it in items)
    totals = aggregate(scores)
    return {
        "route": route,
        "documents": len(items),
        "pages": pages,
        "wall_s": round(wall, 1),
        "s/page": round(wall / pages, 2),
        "cpu_s/page": round(cpu / pages, 2),
        "peak_mb/worker": peak,
        **{k: totals[k] for k in COLUMNS[7:]},
    }


def per_case(items: list[ScannedItem], scores: list[Score]) -> list[dict[str, Any]]:
    """Accuracy per hard case and per script (a document counts in its case and its script)."""
    groups: dict[str, list[tuple[ScannedItem, Score]]] = defaultdict(list)
    for it, sc in zip(items, scores, strict=True):
        groups[it.case].append((it, sc))
        groups[f"script: {it.script}"].append((it, sc))
    rows = []
    for name, members in groups.items():
        totals = aggregate([sc for _, sc in members])
        rows.append(
            {
                "case": name,
                "documents": len(members),
                "pages": sum(it.pages for it, _ in members),
                **{k: totals[k] for k in CASE_COLUMNS[3:]},
            }
        )
    return rows


def _ocrmypdf(src: Path) -> tuple[Path, float, float, int]:
    """One file through ocrmypdf (TIFFs made into image PDFs first, untimed): output, wall, CPU, peak MB."""
    if src.suffix != ".pdf":
        with Image.open(src) as im:
            frames = [im.copy().convert("RGB") for _ in _frames(im)]
        pdf = src.with_suffix(".img.pdf")
        frames[0].save(pdf, "PDF", save_all=True, append_images=frames[1:], resolution=200)
        src = pdf
    out = src.with_name(src.stem + "-ocrmypdf.pdf")
    _, wall, cpu, peak = _run_measured(
        [
            sys.executable,
            "-m",
            "ocrmypdf",
            "-q",
            "-l",
            "chi_sim+chi_tra",
            "--rotate-pages",
            "--deskew",
            "--jobs",
            "1",
            str(src),
            str(out),
        ]
    )
    return out, wall, cpu, peak


def _frames(im: Image.Image) -> Any:
    for i in range(getattr(im, "n_frames", 1)):
        im.seek(i)
        yield i


def ocrmypdf_route(items: list[ScannedItem], jobs: int) -> dict[str, Any]:
    started = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        done = list(pool.map(_ocrmypdf, [it.path for it in items]))
    pre_wall = time.perf_counter() - started
    records, wall, cpu, peak = run_extract([d[0] for d in done], jobs)
    by_item = {it.path.name: d[0].name for it, d in zip(items, done, strict=True)}
    scores = _score_all(items, records, lambda it: by_item[it.path.name])
    return _row(
        "ocrmypdf + native PDF route",
        items,
        scores,
        pre_wall + wall,
        sum(d[2] for d in done) + cpu,
        max(peak, *(d[3] for d in done)),
    )


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench scanned")
    ap.add_argument("--docs", type=int, default=36)
    ap.add_argument("--seed", type=int, default=900)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-ocrmypdf", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-scanned-") as tmp:
        items = make_scanned_corpus(Path(tmp), args.docs, args.seed)
        records, wall, cpu, peak = run_extract([it.path for it in items], args.jobs)
        scores = _score_all(items, records, lambda it: it.path.name)
        rows = [_row("ocr (ours): ingest extract", items, scores, wall, cpu, peak)]
        if not args.no_ocrmypdf:
            rows.append(ocrmypdf_route(items, args.jobs))
        cases = per_case(items, scores)
    print(format_table(rows, COLUMNS))
    print()
    print(format_table(cases, CASE_COLUMNS))
    for sc in scores:
        if sc.silent or sc.must_flag_missed or sc.error:
            print(sc.describe(), file=sys.stderr)
    if args.json:
        args.json.write_text(
            json.dumps({"routes": rows, "cases": cases}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
