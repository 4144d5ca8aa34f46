"""Session secret, CSRF tokens and the sign-in dependencies.

The session is Starlette's signed cookie (itsdangerous). Its secret comes from INGEST_WEB_SECRET or, when
that is unset, from `<data dir>/web_secret`, generated once so that restarts keep people signed in.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from fastapi import HTTPException, Request
from sqlmodel import select

from models.db import data_dir, session_scope
from models.tables import User

SECRET_FILE = "web_secret"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def session_secret() -> str:
    configured = os.environ.get("INGEST_WEB_SECRET")
    if configured:
        return configured
    path: Path = data_dir() / SECRET_FILE
    if not path.exists():
        # O_EXCL: two processes starting together must not write two different secrets.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
        except FileExistsError:
            pass
    return path.read_text().strip()


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (the login page makes it before anyone signs in)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Every POST carries the session's token in the form or a header; anything else is refused."""
    expected = request.session.get("csrf")
    form = await request.form()
    sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not expected or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")


class SignInRequired(Exception):
    """Raised by `page_user`; the app turns it into a redirect to /login."""


def password_version(user: User) -> str:
    """A short fingerprint of the password hash kept in the session: a new password (or an admin's
    reset) signs out every other session of that user, though the cookie itself stays validly signed."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def start_session(request: Request, user: User) -> None:
    csrf = request.session.get("csrf")
    request.session.clear()  # a fresh session on sign-in; the CSRF token carries over for open tabs
    request.session.update({"user": user.username, "role": user.role, "csrf": csrf, "pwv": password_version(user)})


def _load_user(request: Request) -> User | None:
    username = request.session.get("user")
    if not username:
        return None
    with session_scope() as session:
        user = session.exec(select(User).where(User.username == username)).first()
    if user is None or user.disabled or request.session.get("pwv") != password_version(user):
        request.session.clear()
        return None
    request.session["role"] = user.role  # an admin may have changed it since sign-in
    return user


def page_user(request: Request) -> User:
    """For HTML pages: an anonymous visitor is sent to the sign-in page."""
    user = _load_user(request)
    if user is None:
        raise SignInRequired()
    return user


def api_user(request: Request) -> User:
    """For images, crops and downloads: no redirect, just 401."""
    user = _load_user(request)
    if user is None:
        raise HTTPException(status_code=401, detail="sign in first")
    return user


def admin_user(request: Request) -> User:
    user = page_user(request)
    if user.role != "admin":
        raise HTTPException(status_code=403, detail="admins only")
    return user
