"""`ingest` command line. Each subcommand lives in its own module exposing `register(subparsers)`;
the module sets `func` on its parser, which returns the process exit code."""

from __future__ import annotations

import argparse
import importlib
import sys

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
    parser = argparse.ArgumentParser(
        prog="ingest",
        description="Turn government information-disclosure annual reports into checked records.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
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
