"""`ingest` command line. Each subcommand lives in its own module exposing `register(subparsers)`;
the module sets `func` on its parser, which returns the process exit code."""

from __future__ import annotations

import argparse
import importlib
import sys

from ingest.i18n import _, gettext

# Modules that add subcommands. A missing optional module (a part not installed) is skipped.
COMMAND_MODULES = (
    "ingest.commands.extract",
    "ingest.commands.synth",
    "ingest.commands.doctor",
    "worker.cli",
    "models.cli",
    "web.cli",
)


def build_parser() -> argparse.ArgumentParser:
    # argparse words its own text ("usage:", "options", its errors) through gettext's `_`: ours, so that
    # they come in the same language as the rest (their msgids are in the catalogue).
    argparse._ = gettext  # type: ignore[attr-defined]
    parser = argparse.ArgumentParser(
        prog="ingest",
        description=_("Turn government information-disclosure annual reports into checked records."),
        epilog=_(
            "examples:\n"
            "  ingest run                      the whole service (web app: http://127.0.0.1:8000)\n"
            "  ingest import /mnt/archive      bulk import a folder and follow its processing\n"
            "  ingest status                   counts, work in progress, failures\n"
            "  ingest COMMAND --help           one command's options\n"
            "English: INGEST_LANG=en ingest ..."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar=_("COMMAND"))
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
