"""Every miss of a kept corpus, per document: what was wrong, as read (raw text, page, method, reasons),
and (with `--needless`) which right values went to review and why. The working tool behind `bench
layouts`' per-document lines.

    python -m bench misses DIR [NAME …] [--jobs 2] [--needless] [--quiet]

DIR is a corpus kept by `bench layouts --keep DIR` (documents and their `*.expected.json` in DIR, DIR/native,
DIR/scanned) or any folder of documents with truths beside them. NAME picks documents by file stem or by a
part of it (`996021` picks `synth_996021.pdf`). `--quiet` prints only the totals.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bench.layouts import NO_RECORD
from bench.scanned import run_extract
from synth.scoring import aggregate, score


def documents(corpus: Path, names: list[str]) -> list[tuple[Path, Path]]:
    """(document, truth) pairs under the corpus, the ones NAME picks if any are given."""
    pairs = []
    for truth in sorted(corpus.rglob("*.expected.json")):
        if truth.parent.name == "native" and truth.parent.parent.name == "scanned":
            continue  # the text PDFs and pages a kept corpus's scans were printed from
        stem = truth.name.removesuffix(".expected.json")
        found = [p for p in truth.parent.glob(stem + ".*") if not p.name.endswith(".json")]
        if found and (not names or any(n in stem for n in names)):
            pairs.append((found[0], truth))
    return pairs


def evidence_lines(record: dict[str, Any], keys: list[str], title: str) -> list[str]:
    """Each key as the record has it: value, raw text as read, page, method, confidence and reasons."""
    out = []
    for key in keys:
        where = record.get("meta") if key.startswith("meta.") else record.get("fields")
        got = (where or {}).get(key.removeprefix("meta."), {})
        out.append(
            f"  {title} {key} = {got.get('value')!r} (raw {got.get('raw')!r}, page {got.get('page')}) "
            f"[{got.get('method')}, {got.get('confidence')}] {'; '.join(got.get('reasons') or [])}"
        )
    return out


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench misses", description=__doc__)
    p.add_argument("corpus", type=Path)
    p.add_argument("names", nargs="*")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--needless", action="store_true", help="list each needless review with its reasons")
    p.add_argument("--quiet", action="store_true", help="print the totals only")
    args = p.parse_args(argv)
    pairs = documents(args.corpus, args.names)
    if not pairs:
        print(f"no documents with truths under {args.corpus}", file=sys.stderr)
        return 2
    records, wall, _, _ = run_extract([doc for doc, _ in pairs], args.jobs)
    scores = []
    for doc, truth in pairs:
        record = records.get(doc.name, NO_RECORD)
        scored = score(record, json.loads(truth.read_text(encoding="utf-8")), name=doc.name)
        scores.append(scored)
        if args.quiet or (scored.perfect and not scored.needless_review):
            continue
        print(scored.describe(limit=40))
        print("\n".join(evidence_lines(record, [m.key for m in scored.wrong], "wrong")))
        if args.needless:
            print("\n".join(evidence_lines(record, scored.needless_review, "needless")))
    totals = aggregate(scores)
    print(
        f"{len(pairs)} documents: {totals['accuracy'] * 100:.2f} % right, {totals['silent_errors']} silent, "
        f"{sum(len(s.needless_review) for s in scores)} needless review, {wall:.1f} s"
    )
    return 0
