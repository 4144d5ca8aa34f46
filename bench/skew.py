"""`python -m bench skew [--docs 30] [--seed 798101]`: the deskew angle against the skew the generator applied.

Every page of `--docs` generated scans (every knob drawn, as `bench layouts --scans` draws them) is cleaned
as the OCR route cleans it (`ocr.clean.clean_page`: turned upright, then deskewed), and the angle it chose
is compared with the one `synth.scan` turned the page by. That angle is an oracle no reader tuning can bias.
Prints a line per page off by more than `--show` degrees and a summary: mean, largest, pages off by more
than 0.15 and 0.3 degrees, and the seconds the choice took per page.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from statistics import mean

from ingest.ocr.clean import clean_page
from synth.corpus import build
from synth.scanned import knob_cases, scan_knobs_pages


def page_errors(docs: int, seed: int, show: float) -> tuple[list[float], float]:
    """|chosen + applied| for every page (the correction turns the other way), and the seconds spent."""
    errors: list[float] = []
    spent = 0.0
    with tempfile.TemporaryDirectory(prefix="bench-skew-") as tmp:
        for item in build(knob_cases(docs, seed), Path(tmp), mixed_pages=False):
            knobs, _, pages = scan_knobs_pages(item)
            for number, page in enumerate(pages, 1):
                started = time.perf_counter()
                chosen = clean_page(page.image).skew
                spent += time.perf_counter() - started
                error = abs(chosen + page.skew)
                errors.append(error)
                if error > show:
                    print(
                        f"{item.path.stem} page {number}: applied {page.skew:+.2f}, corrected {chosen:+.3f}, "
                        f"off by {error:.2f} ({knobs.renderer}, {knobs.colour}, {knobs.dpi} dpi)",
                        flush=True,
                    )
    return errors, spent


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench skew", description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=30)
    p.add_argument("--seed", type=int, default=798101)
    p.add_argument("--show", type=float, default=0.3, help="print pages off by more than this (degrees)")
    args = p.parse_args(argv)
    errors, spent = page_errors(args.docs, args.seed, args.show)
    if not errors:
        print("no pages")
        return 1
    print(
        f"pages {len(errors)}  mean {mean(errors):.3f}°  largest {max(errors):.2f}°  "
        f"> 0.15°: {sum(e > 0.15 for e in errors)}  > 0.3°: {sum(e > 0.3 for e in errors)}  "
        f"clean_page {spent / len(errors):.2f} s/page"
    )
    return 0
