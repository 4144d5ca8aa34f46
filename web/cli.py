"""`ingest web` (serve the review app) and, when no other module has added it, `ingest user add`."""

from __future__ import annotations

import argparse

from ingest.commands import add_command
from ingest.errors import ExitCode
from ingest.i18n import _


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run(
        "web.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        proxy_headers=True,
    )
    return ExitCode.OK


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    web = add_command(subparsers, "web", _("serve the review web app"), "ingest web --port 8000")
    web.add_argument("--host", default="127.0.0.1")
    web.add_argument("--port", type=int, default=8000)
    web.add_argument("--workers", type=int, default=1)
    web.add_argument("--log-level", default="info")
    web.set_defaults(func=_serve)
    # models.cli owns `ingest user add` (same argon2 hashes); add it here only if that module is absent,
    # since argparse refuses a second subparser of the same name.
    if "user" not in subparsers.choices:
        from models.cli import _user_add
        from models.tables import ROLES

        user = subparsers.add_parser("user", help="accounts for the web app")
        add = user.add_subparsers(dest="user_command", required=True).add_parser("add", help="add a user")
        add.add_argument("username")
        add.add_argument("--role", choices=ROLES, default="operator")
        add.add_argument("--password", help="default: ask")
        add.set_defaults(func=_user_add)
