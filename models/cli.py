"""`ingest db upgrade` and `ingest user add`: schema and accounts from the command line."""

from __future__ import annotations

import argparse
import getpass

from sqlmodel import select

from ingest.errors import ExitCode
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
    print(f"database at head: {database_url()}")
    return ExitCode.OK


def _user_add(args: argparse.Namespace) -> int:
    upgrade()
    password = args.password or getpass.getpass(f"password for {args.username}: ")
    with session_scope() as session:
        if session.exec(select(User).where(User.username == args.username)).first():
            print(f"user {args.username!r} already exists")
            return ExitCode.FILES_FAILED
        session.add(User(username=args.username, password_hash=hash_password(password), role=args.role))
    print(f"added {args.role} {args.username!r}")
    return ExitCode.OK


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = subparsers.add_parser("db", help="database schema (Alembic)")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="upgrade the schema to head").set_defaults(func=_db_upgrade)

    user = subparsers.add_parser("user", help="accounts for the web app")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="add a user")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="operator")
    add.add_argument("--password", help="default: ask")
    add.set_defaults(func=_user_add)
