"""`ingest db upgrade` and `ingest user add`: schema and accounts from the command line."""

from __future__ import annotations

import argparse
import getpass

from sqlmodel import select

from ingest.commands import add_command
from ingest.errors import ExitCode
from ingest.i18n import _
from models.db import database_url, session_scope, upgrade
from models.tables import ROLES, User


def hash_password(password: str) -> str:
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import VerificationError

    try:
        return PasswordHasher().verify(password_hash, password)
    except VerificationError:
        return False


def _db_upgrade(_args: argparse.Namespace) -> int:
    upgrade()
    print(_("Database schema is current: {url}").format(url=database_url()))
    return ExitCode.OK


def _user_add(args: argparse.Namespace) -> int:
    upgrade()
    password = args.password or getpass.getpass(_("password for {name}: ").format(name=args.username))
    with session_scope() as session:
        if session.exec(select(User).where(User.username == args.username)).first():
            print(_("User {name!r} already exists.").format(name=args.username))
            return ExitCode.FILES_FAILED
        session.add(User(username=args.username, password_hash=hash_password(password), role=args.role))
    print(_("Added {role} {name!r}.").format(role=args.role, name=args.username))
    return ExitCode.OK


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = add_command(subparsers, "db", _("database schema (Alembic)"), "ingest db upgrade")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    add_command(
        db_sub, "upgrade", _("upgrade the schema to the newest version"), "ingest db upgrade"
    ).set_defaults(func=_db_upgrade)

    user = add_command(subparsers, "user", _("accounts for the web app"), "ingest user add wang --role admin")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = add_command(user_sub, "add", _("add a user"), "ingest user add wang --role admin")
    add.add_argument("username", help=_("the name to sign in with"))
    add.add_argument("--role", choices=ROLES, default="operator", help=_("operator or admin"))
    add.add_argument("--password", help=_("default: ask"))
    add.set_defaults(func=_user_add)
