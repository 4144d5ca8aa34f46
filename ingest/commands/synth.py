"""`ingest synth OUTDIR`: write synthetic reports with a `<name>.expected.json` truth beside each."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from ingest.commands import add_command
from ingest.errors import ExitCode
from ingest.i18n import _

# synth.render is imported when the command runs: it loads the renderers, which every other
# `ingest` command (e.g. `ingest import`, whose start the service waits on) would pay for at start-up.


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "synth",
        _("generate synthetic reports with known truth (for testing)"),
        "ingest synth /tmp/synth --count 20 --formats pdf,docx",
    )
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument(
        "--formats", type=_csv, default=None, help="comma-separated: docx,pdf,html,txt (default; and md)"
    )
    parser.add_argument("--seed", type=int, default=0, help="first seed; document i uses seed+i")
    parser.add_argument("--templates", type=_csv, default=None, help="comma-separated: 2019,2021,narrative")
    parser.add_argument("--scripts", type=_csv, default=None, help="comma-separated: simplified,traditional")
    parser.add_argument(
        "--scanned",
        action="store_true",
        help="scan the reports (image PDF / TIFF) with a hard case each: dpi150, dpi300, skew2, "
        "seal_cells, upside_down, landscape, rough, dim_light, base",
    )
    parser.add_argument(
        "--knobs",
        action="store_true",
        help="draw every layout knob per document (rules, vertical labels, fonts, titles …; with "
        "--scanned also dpi, colour and rotation) and record them under `layout`",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        from synth.corpus import make_corpus
        from synth.render import ALL_FORMATS, FORMATS, SCRIPTS
    except ModuleNotFoundError:
        print(
            _("ingest synth needs the test-data tools (a development install: pip install -e '.[dev]')"),
            file=sys.stderr,
        )
        return ExitCode.MISSING_DEPENDENCY

    args.formats = args.formats or list(FORMATS)
    bad = [f for f in args.formats if f not in ALL_FORMATS] + [
        s for s in args.scripts or [] if s not in SCRIPTS
    ]
    if bad or args.count < 1:
        print(f"ingest synth: bad arguments {bad or args.count}", file=sys.stderr)
        return ExitCode.BAD_ARGS
    started = time.perf_counter()
    if args.scanned:
        from synth.scanned import make_knob_scans, make_scanned_corpus

        make = make_knob_scans if args.knobs else make_scanned_corpus
        for scanned in make(args.outdir, args.count, args.seed):
            print(f"{scanned.path}\t{scanned.case}\t{scanned.faults.dpi} dpi\t{scanned.script}")
        print(
            f"{args.count} scanned documents in {time.perf_counter() - started:.1f}s → {args.outdir}",
            file=sys.stderr,
        )
        return ExitCode.OK
    items = make_corpus(
        args.outdir, args.count, args.formats, args.seed, args.templates, args.scripts, varied=args.knobs
    )
    for item in items:
        print(item.path)
    print(f"{len(items)} documents in {time.perf_counter() - started:.1f}s → {args.outdir}", file=sys.stderr)
    return ExitCode.OK
