"""A corpus of scanned reports, each with one named hard case on top of the faults every scan has.

Every document is a generated report of one of the two table templates (2019, 2021), rendered to PDF
by LibreOffice (about a third in traditional script), then scanned: rasterized at its resolution, skewed,
noised, blurred, JPEG-compressed, lit unevenly, with a red seal over the signature. Its hard case adds one
thing a real archive throws at us, so accuracy can be reported per case:

- `base`: the common faults only (200 dpi, skew ≤ 1.5°, light noise, JPEG q60, a seal on the last page);
- `dpi150` / `dpi300`: the lowest and highest resolution archive scanners use;
- `skew2`: skew of a full ±2° on every page;
- `seal_cells`: a second seal stamped over the middle of each page: over table cells;
- `upside_down`: one page scanned upside down;
- `landscape`: one page stored sideways, as a landscape page comes out of a portrait scanner (90° or 270°);
- `rough`: heavy noise, blur and JPEG q35;
- `dim_light`: strongly uneven lighting (a dark corner).

Files alternate between multi-page image PDF and multi-page TIFF.

`make_knob_scans` instead draws every layout knob (synth.knobs) for the printed report and the scan
knobs (dpi 150/200/300; colour, grey or binarized 1 bit; no rotation, a full ±2° skew, a page upside down
or a page sideways; the page laid out by LibreOffice from the DOCX or printed by Chromium from the HTML)
each on its own, and records them all under `layout` in the truth.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from synth.corpus import Case, CorpusItem, build, make_corpus, plan
from synth.knobs import ScanKnobs, draw_scan_knobs
from synth.render import html_to_pdf
from synth.scan import ScanFaults, ScannedPage, scan_pdf, scan_pdf_page, write_scan

BASE = ScanFaults(
    dpi=200, skew=1.5, noise=8.0, blur=0.6, jpeg_quality=60, uneven_light=0.25, seal_pages=(-1,)
)

HARD_CASES: dict[str, dict[str, Any]] = {
    "base": {},
    "dpi150": {"dpi": 150},
    "dpi300": {"dpi": 300},
    "skew2": {"skew": 2.0, "exact_skew": True},
    "seal_cells": {"seal_pages": (0, 1, 2, 3, 4), "seal_over_cells": True},
    "upside_down": {"upside_down": (1,)},
    "landscape": {"landscape": (1,)},
    "rough": {"noise": 14.0, "blur": 1.0, "jpeg_quality": 35},
    "dim_light": {"uneven_light": 0.45},
}


@dataclass(frozen=True, slots=True)
class ScannedItem:
    path: Path
    expected_path: Path
    case: str
    script: str
    pages: int
    faults: ScanFaults

    def expected(self) -> dict[str, Any]:
        return json.loads(self.expected_path.read_text(encoding="utf-8"))


def faults_for(case: str, index: int) -> ScanFaults:
    """The hard case's faults over the common ones; `landscape` turns the page one way or the other."""
    changes = dict(HARD_CASES[case])
    changes.pop("exact_skew", None)
    faults = replace(BASE, **changes)
    if case == "landscape":
        faults = replace(faults, landscape_turn=90 if index % 2 else 270)
    return faults


def make_scanned_corpus(
    out_dir: Path, count: int, seed: int = 700, cases: list[str] | None = None
) -> list[ScannedItem]:
    """`count` scanned reports (both table templates, hard cases in turn) with their truths."""
    cases = cases or list(HARD_CASES)
    out_dir.mkdir(parents=True, exist_ok=True)
    natives = make_corpus(out_dir / "native", count, ["pdf"], seed, templates=["2019", "2021"])
    return [_scan_one(item, cases[i % len(cases)], i, out_dir) for i, item in enumerate(natives)]


def _scan_one(item: CorpusItem, case: str, index: int, out_dir: Path) -> ScannedItem:
    faults = faults_for(case, index)
    exact = bool(HARD_CASES[case].get("exact_skew"))
    pages = scan_pdf(item.path, faults, seed=item.case.seed, exact_skew=exact)
    suffix = ".tif" if index % 2 else ".pdf"
    path = write_scan(pages, out_dir / f"{item.path.stem}-{case}{suffix}", dpi=faults.dpi)[0]
    truth = item.expected()
    truth["file"] = path.name
    truth["notes"] += f" Scanned: {case} at {faults.dpi} dpi."
    expected = path.with_name(f"{path.stem}.expected.json")
    expected.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return ScannedItem(path, expected, case, item.case.script, len(pages), faults)


def scan_faults(knobs: ScanKnobs, seed: int) -> ScanFaults:
    """The common faults with the scan knobs on top; `landscape` turns one way or the other by seed."""
    faults = replace(BASE, dpi=knobs.dpi, colour=knobs.colour)
    if knobs.rotation == "skew2":
        faults = replace(faults, skew=2.0)
    elif knobs.rotation == "upside_down":
        faults = replace(faults, upside_down=(1,))
    elif knobs.rotation == "landscape":
        faults = replace(faults, landscape=(1,), landscape_turn=90 if seed % 2 else 270)
    return faults


def make_knob_scans(out_dir: Path, count: int, seed: int) -> list[ScannedItem]:
    """`count` scanned reports (both table templates) with every native and scan knob drawn per document:
    each report rendered as the text PDF LibreOffice lays out, or as the HTML page Chromium prints
    (`renderer`)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    natives = build(knob_cases(count, seed), out_dir / "native", mixed_pages=False)
    return [_scan_knobs_one(item, i, out_dir) for i, item in enumerate(natives)]


def knob_cases(count: int, seed: int) -> list[Case]:
    """The reports `make_knob_scans(…, count, seed)` scans: a text PDF, or the HTML page where Chromium
    is the renderer drawn."""
    return [
        replace(case, fmt="html") if draw_scan_knobs(case.seed).renderer == "chromium" else case
        for case in plan(count, ["pdf"], seed, templates=["2019", "2021"], varied=True)
    ]


def _as_the_browser_shows_it(page: Path, tmp: Path) -> Path:
    """The page as a person who prints it sees it. A GBK page saved without a meta charset shows as
    mojibake in a browser (Chromium takes it for windows-1252), and nobody prints that as the report
    (seed 743105 was a scan of mojibake, its truth the report): such a page is printed from a copy that
    names its charset, the same bytes otherwise."""
    raw = page.read_bytes()
    try:
        raw.decode("utf-8")
        return page
    except UnicodeDecodeError:
        if b"charset=" in raw[:1024]:
            return page
    copy = tmp / page.name
    copy.write_bytes(raw.replace(b"<head>", b'<head><meta charset="gbk">', 1))
    return copy


def scan_knobs_pages(item: CorpusItem) -> tuple[ScanKnobs, ScanFaults, list[ScannedPage]]:
    """The scanned pages of a rendered report (a text PDF, or an HTML page that Chromium prints first),
    each with the turn and skew applied to it, and the knobs and faults they were scanned with."""
    knobs, faults = _knobs_and_faults(item)
    with _printed(item) as printed:
        pages = scan_pdf(printed, faults, seed=item.case.seed, exact_skew=knobs.rotation == "skew2")
    return knobs, faults, pages


def _scan_knobs_one(item: CorpusItem, index: int, out_dir: Path) -> ScannedItem:
    """The scan of a rendered report, stored with its truth."""
    knobs, faults, pages = scan_knobs_pages(item)
    truth = item.expected()
    if item.case.fmt == "html":
        truth["notes"] = truth["notes"].replace("Rendered as html", "Rendered as html printed by Chromium", 1)
    path = write_scan(pages, out_dir / f"{item.path.stem}{_scan_suffix(index)}", dpi=faults.dpi)[0]
    truth["file"] = path.name
    truth["layout"] = {**truth.get("layout", {}), **knobs.as_dict()}
    truth["notes"] += " Scanned: " + ", ".join(f"{k}={v}" for k, v in knobs.as_dict().items()) + "."
    expected = path.with_name(f"{path.stem}.expected.json")
    expected.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return ScannedItem(path, expected, "knobs", item.case.script, len(pages), faults)


def scan_knobs_page(item: CorpusItem, index: int, number: int, out_dir: Path) -> Path:
    """Page `number` of what `_scan_knobs_one(item, index, out_dir)` writes, the same pixels stored the
    same way (image PDF or TIFF), alone in a one-page file and without a truth: what a test of one page
    reads, made in a fraction of the time."""
    faults, page = scan_knobs_page_alone(item, number)
    out = out_dir / f"{item.path.stem}-page{number}{_scan_suffix(index)}"
    return write_scan([page], out, dpi=faults.dpi)[0]


def scan_knobs_page_alone(item: CorpusItem, number: int) -> tuple[ScanFaults, ScannedPage]:
    """Page `number` of `scan_knobs_pages(item)`, the same pixels, turn and skew, made without the other
    pages; and the faults it was scanned with."""
    knobs, faults = _knobs_and_faults(item)
    with _printed(item) as printed:
        page = scan_pdf_page(
            printed, number, faults, seed=item.case.seed, exact_skew=knobs.rotation == "skew2"
        )
    return faults, page


def _scan_suffix(index: int) -> str:
    return ".tif" if index % 2 else ".pdf"


def _knobs_and_faults(item: CorpusItem) -> tuple[ScanKnobs, ScanFaults]:
    knobs = draw_scan_knobs(item.case.seed)
    if (item.case.fmt == "html") != (knobs.renderer == "chromium"):
        raise ValueError(f"{item.path.name}: renderer {knobs.renderer} cannot print a {item.case.fmt} report")
    return knobs, scan_faults(knobs, item.case.seed)


@contextmanager
def _printed(item: CorpusItem) -> Iterator[Path]:
    """The PDF that is scanned: the report's text PDF, or its HTML page as Chromium prints it."""
    if item.case.fmt != "html":
        yield item.path
        return
    with tempfile.TemporaryDirectory(prefix="synth-print-") as tmp:
        page = _as_the_browser_shows_it(item.path, Path(tmp))
        yield html_to_pdf(page, Path(tmp) / f"{item.path.stem}.pdf")
