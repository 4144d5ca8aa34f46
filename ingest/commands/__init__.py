"""Subcommands of `ingest`. Each module exposes `register(subparsers)`; `add_command` gives every command
the same shape of help: what it does, then a one-line example."""

from __future__ import annotations

import argparse
from typing import Any

from ingest.i18n import _


def add_command(subparsers: Any, name: str, help_text: str, example: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=_("example: {example}").format(example=example),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser
