"""Scanned benchmark: whole synthetic reports, scanned, read by our OCR route and by ocrmypdf + the native
PDF route, side by side: accuracy (ingest.scoring against the truth), wall s/page with both cores, CPU
s/page, peak memory per worker.

    python -m bench scanned [--docs 4] [--seed 500] [--jobs 2] [--no-ocrmypdf]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ingest.scoring import aggregate, format_table, score
from ingest.synth.corpus import make_corpus
from ingest.synth.scan import ScanFaults, scan_pdf, write_scan

COLUMNS = ["route", "documents", "pages", "wall_s", "s/page", "cpu_s/page", "peak_mb/worker", "accuracy",
           "silent_errors", "review_load", "must_flag_missed"]


def scanned_corpus(out: Path, docs: int, seed: int) -> list[tuple[Path, dict[str, Any], int]]:
    """Table reports rendered to PDF, then scanned: skew, noise, JPEG, seal over cells on the last page,
    the second page upside down on odd documents."""
    items = make_corpus(out / "native", docs, ["pdf"], seed, templates=["2019", "2021"])
    cases = []
    for i, item in enumerate(items):
        faults = ScanFaults(dpi=200 if i % 2 else 250, seal_over_cells=True, upside_down=(1,) if i % 2 else ())
        pages = scan_pdf(item.path, faults, seed=seed + i)
        path = write_scan(pages, out / f"{item.path.stem}-scan.pdf", dpi=faults.dpi)[0]
        cases.append((path, item.expected(), len(pages)))
    return cases


def _extract(path: str) -> tuple[dict[str, Any], float, int]:
    from ingest.pipeline import extract

    started = time.process_time()
    record = extract(path).to_json()
    cpu = time.process_time() - started
    return record, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _ocrmypdf(src: str) -> tuple[str, float]:
    out = src.replace("-scan.pdf", "-ocrmypdf.pdf")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ocrmypdf", "-q", "-l", "chi_sim+chi_tra", "--rotate-pages",
                    "--deskew", "--jobs", "1", src, out], check=True, capture_output=True, timeout=900)
    return out, time.perf_counter() - started


def run_route(label: str, paths: list[str], cases: list[tuple[Path, dict[str, Any], int]], jobs: int,
              pre_wall: float = 0.0, pre_cpu: float = 0.0) -> dict[str, Any]:
    pages = sum(c[2] for c in cases)
    started = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        results = list(pool.map(_extract, paths))
    wall = time.perf_counter() - started + pre_wall
    scores = [score(rec, exp, name=Path(p).name) for (rec, _, _), (_, exp, _), p in zip(results, cases, paths, strict=True)]
    totals = aggregate(scores)
    cpu = sum(r[1] for r in results) + pre_cpu
    return {"route": label, "documents": len(paths), "pages": pages, "wall_s": round(wall, 1),
            "s/page": round(wall / pages, 2), "cpu_s/page": round(cpu / pages, 2),
            "peak_mb/worker": max(r[2] for r in results), **{k: totals[k] for k in COLUMNS[7:]}}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench scanned")
    ap.add_argument("--docs", type=int, default=4)
    ap.add_argument("--seed", type=int, default=500)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-ocrmypdf", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-scanned-") as tmp:
        cases = scanned_corpus(Path(tmp), args.docs, args.seed)
        rows = [run_route("ocr (ours)", [str(c[0]) for c in cases], cases, args.jobs)]
        if not args.no_ocrmypdf and shutil.which("tesseract"):
            started = time.perf_counter()
            with ProcessPoolExecutor(args.jobs) as pool:
                done = list(pool.map(_ocrmypdf, [str(c[0]) for c in cases]))
            pre = time.perf_counter() - started
            rows.append(run_route("ocrmypdf + native", [d[0] for d in done], cases, args.jobs, pre_wall=pre,
                                  pre_cpu=sum(d[1] for d in done)))
    print(format_table(rows, COLUMNS))
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
