"""Accuracy per layout knob value: a corpus with every knob drawn on its own (synth.knobs), read by
`ingest extract --jobs N`, scored against its truth and grouped by each knob's value, so a weak layout
shows as a row of its own.

    python -m bench layouts --docs 24 --seed 9001 [--formats docx,pdf,html,txt,md] [--scans 8] [--jobs 2]
                            [--keep DIR] [--json rows.json]

Prints one markdown table per route (native text layers; scans), columns as docs/ocr.md's hard-case table:
documents, pages, fields right, silent errors, review load, must_flag flagged; and the review load as the
shared scorer (score.py, which scores the held-out sets) counts it (synth/scoring.py says how the two
differ). A document counts under
every knob value it carries (and under its format, template, script and each layout fault). Then every
document not read perfectly and every silent error, one per line, with the document's knob values. Corpora go to a temporary
folder unless `--keep` names one.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.scanned import run_extract
from synth.corpus import make_corpus
from synth.scanned import make_knob_scans
from synth.scoring import Score, aggregate, score

NO_RECORD = {"fields": {}, "meta": {}, "error": {"code": "no_record"}}
COLUMNS = (
    "knob",
    "value",
    "docs",
    "pages",
    "fields right",
    "silent errors",
    "review load",
    "review (score.py)",
    "must_flag flagged",
)


@dataclass(slots=True)
class Scored:
    """One document: where it is, what it carries, and how it was read."""

    path: Path
    route: str  # "native" or "scanned"
    expected: dict[str, Any]
    pages: int
    score: Score
    # Page number → why the reader could not read it: a crash inside a reader shows only here.
    page_errors: dict[str, str] = field(default_factory=dict)

    def groups(self) -> list[tuple[str, str]]:
        fmt = (
            self.path.suffix.lstrip(".") if self.route == "native" else "scan " + self.path.suffix.lstrip(".")
        )
        meta = self.expected["meta"]
        notes = self.expected.get("notes", "")
        script = "traditional" if "traditional script" in notes else "simplified"
        out = [("all", "all"), ("format", fmt), ("template", str(meta["template"])), ("script", script)]
        out += [(k, str(v)) for k, v in (self.expected.get("layout") or {}).items()]
        return out + [("fault", f) for f in faults_of(notes)]

    def knob_text(self) -> str:
        layout = self.expected.get("layout") or {}
        return ", ".join(f"{k}={v}" for k, v in layout.items()) or "classic layout"


def faults_of(notes: str) -> list[str]:
    """The layout faults the renderer named in the truth's notes (`faults: a, b.`), or `none`."""
    if "faults: " not in notes:
        return ["none"]
    listed = notes.split("faults: ", 1)[1].split(";", 1)[0].split(".", 1)[0]
    return [f.strip() for f in listed.split(",") if f.strip()]


def read_all(docs: list[tuple[Path, Path, str]], jobs: int) -> tuple[list[Scored], float]:
    """Every document through `ingest extract --jobs N` in one call; scored against its truth."""
    records, wall, _, _ = run_extract([p for p, _, _ in docs], jobs)
    out = []
    for path, expected_path, route in docs:
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        record = records.get(path.name, NO_RECORD)
        source = record.get("source") or {}
        pages = int(source.get("pages") or 1)
        scored = score(record, expected, name=path.name)
        out.append(Scored(path, route, expected, pages, scored, dict(source.get("page_errors") or {})))
    return out, wall


def per_value(docs: list[Scored]) -> list[dict[str, Any]]:
    """One row per (knob, value), in knob order then value order as first seen, `all` first."""
    groups: dict[tuple[str, str], list[Scored]] = defaultdict(list)
    for doc in docs:
        for key in doc.groups():
            groups[key].append(doc)
    rows = []
    for (knob, value), members in sorted(groups.items(), key=lambda kv: _order(kv[0], docs)):
        totals = aggregate(m.score for m in members)
        must = sum(len(m.expected.get("must_flag") or []) for m in members)
        missed = totals["must_flag_missed"]
        rows.append(
            {
                "knob": knob,
                "value": value,
                "docs": len(members),
                "pages": sum(m.pages for m in members),
                "keys": totals["keys"],
                "accuracy": totals["accuracy"],
                "silent_errors": totals["silent_errors"],
                "review_load": totals["review_load"],
                "scorer_review_load": totals["scorer_review_load"],
                "must_flag": must,
                "must_flag_flagged": (must - missed) / must if must else None,
            }
        )
    return rows


def _order(key: tuple[str, str], docs: list[Scored]) -> tuple[int, int, str]:
    """Knobs in the order documents list them; values by number where they are numbers (9 before 10)."""
    knobs: list[str] = []
    for doc in docs:
        for knob, _ in doc.groups():
            if knob not in knobs:
                knobs.append(knob)
    value = key[1]
    return knobs.index(key[0]), int(value) if value.isdigit() else 0, value


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in rows:
        flagged = (
            "–"
            if r["must_flag_flagged"] is None
            else f"{r['must_flag_flagged'] * 100:.0f} % of {r['must_flag']}"
        )
        lines.append(
            f"| {r['knob']} | {r['value']} | {r['docs']} | {r['pages']} | {r['accuracy'] * 100:.2f} % | "
            f"{r['silent_errors']} | {r['review_load'] * 100:.2f} % | {r['scorer_review_load'] * 100:.2f} % | {flagged} |"
        )
    return "\n".join(lines)


def document_lines(docs: list[Scored]) -> list[str]:
    """One line per document not read perfectly: fields right, silent, needless review, knob values."""
    return [
        f"{d.path.name} ({d.route}) {d.score.correct}/{d.score.keys} right, {len(d.score.silent)} silent, "
        f"{len(d.score.needless_review)} needless review [{d.knob_text()}]"
        for d in docs
        if not d.score.perfect or d.score.needless_review
    ]


def silent_list(docs: list[Scored]) -> list[str]:
    """Every silent error: document, key, expected → got, and the document's knob values."""
    return [
        f"{d.path.name} ({d.route}) {m.key}: expected {m.expected!r}, got {m.got!r} [{d.knob_text()}]"
        for d in docs
        for m in d.score.silent
    ]


def page_error_list(docs: list[Scored]) -> list[str]:
    """Every page a reader gave up on, and why: an exception inside a reader costs the page's fields
    (in review, so no score counts it as wrong), and only this list shows that it happened."""
    return [f"{d.path.name} page {n}: {why}" for d in docs for n, why in d.page_errors.items()]


def make(out_dir: Path, args: argparse.Namespace) -> list[tuple[Path, Path, str]]:
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    docs: list[tuple[Path, Path, str]] = []
    if args.docs:
        items = make_corpus(out_dir / "native", args.docs, formats, args.seed, varied=True)
        docs += [(it.path, it.expected_path, "native") for it in items]
    if args.scans:
        # Seeds after the native ones: the scans are other reports, not scans of the same.
        scans = make_knob_scans(out_dir / "scanned", args.scans, args.seed + max(args.docs, 0))
        docs += [(it.path, it.expected_path, "scanned") for it in scans]
    return docs


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench layouts",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--docs", type=int, default=24, help="native documents (formats in turn)")
    p.add_argument("--seed", type=int, default=9001)
    p.add_argument("--formats", default="docx,pdf,html,txt,md")
    p.add_argument("--scans", type=int, default=0, help="scanned documents (image PDF / TIFF)")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--keep", type=Path, help="write the corpus here instead of a temporary folder")
    p.add_argument("--json", type=Path, help="also write the rows and silent errors here")
    return p.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    with tempfile.TemporaryDirectory(prefix="bench-layouts-") as tmp:
        out_dir = args.keep or Path(tmp)
        started = time.perf_counter()
        docs = make(out_dir, args)
        print(f"generated {len(docs)} documents in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        scored, wall = read_all(docs, args.jobs)
    report: dict[str, Any] = {"wall_s": wall, "routes": {}}
    for route in ("native", "scanned"):
        members = [d for d in scored if d.route == route]
        if not members:
            continue
        rows = per_value(members)
        report["routes"][route] = rows
        print(f"\n{route}: {len(members)} documents\n\n{markdown(rows)}")
    lines = document_lines(scored)
    print(f"\ndocuments not read perfectly: {len(lines)} of {len(scored)}")
    for line in lines:
        print("  " + line)
    silent = silent_list(scored)
    report["silent"] = silent
    print(f"\nsilent errors: {len(silent)}")
    for line in silent:
        print("  " + line)
    unread = page_error_list(scored)
    report["page_errors"] = unread
    print(f"\npages not read: {len(unread)}")
    for line in unread:
        print("  " + line)
    print(f"\nread in {wall:.1f}s wall (ingest extract --jobs {args.jobs})", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
