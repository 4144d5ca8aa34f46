"""Session secret, CSRF tokens, server-side sessions and the sign-in dependencies.

The cookie is Starlette's signed session (itsdangerous); its secret comes from INGEST_WEB_SECRET or, when
that is unset, from `<data dir>/web_secret`, generated once so that restarts keep people signed in. The
cookie names a `web_session` row; a session is valid only while that row is open, younger than the
absolute lifetime, and its user enabled. So sign-out, a password change and disabling a user end it on
the server: a copy of the cookie taken before is worth nothing after.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

from fastapi import HTTPException, Request
from fastapi import Path as PathParam
from sqlalchemy import ColumnElement, update
from sqlmodel import Session, col, delete, select

from ingest.i18n import _
from models.db import data_dir, session_scope
from models.tables import User, WebSession, utcnow
from web.settings import web_settings

SECRET_FILE = "web_secret"
# Account names: also folder names under the inbox, so no dots or slashes (a name is never a path).
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
MAX_ID = 2**53  # ids in paths beyond any row: 422, not an integer overflow inside the database driver
DbId = Annotated[int, PathParam(ge=0, le=MAX_ID)]
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def session_secret() -> str:
    configured = os.environ.get("INGEST_WEB_SECRET")
    if configured:
        return configured
    path: Path = data_dir() / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
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


def csrf_matches(request: Request, sent: object) -> bool:
    expected = request.session.get("csrf")
    return (
        isinstance(expected, str)
        and bool(expected)
        and isinstance(sent, str)
        and secrets.compare_digest(sent, expected)
    )


async def check_csrf(request: Request) -> None:
    """Every POST carries the session's token in the form or a header; anything else is refused. (Forms
    are small: the app caps every body but an upload's at FORM_BYTES before it is read.)"""
    form = await request.form(max_files=0)
    if not csrf_matches(request, form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)):
        raise HTTPException(status_code=403, detail=_("missing or wrong CSRF token"))


class SignInRequired(Exception):
    """Raised by `page_user`; the app turns it into a redirect to /login."""


def _session_key(token: str) -> str:
    # The row holds a hash of the cookie's token: a leaked database does not hand out live sessions.
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(request: Request, user: User) -> None:
    """A fresh session on sign-in (and after one's own password change): a new server row, a new cookie
    token and a new CSRF token; the session the browser had before, if any, is ended."""
    assert user.id is not None
    old = request.session.get("sid")
    token = secrets.token_urlsafe(32)
    with session_scope() as session:
        if isinstance(old, str):
            _end(session, col(WebSession.id) == _session_key(old))
        expired = utcnow() - timedelta(seconds=web_settings().session_seconds)
        session.exec(
            delete(WebSession).where(  # type: ignore[call-overload]
                col(WebSession.user_id) == user.id,
                col(WebSession.ended_at).is_not(None) | (col(WebSession.created_at) < expired),
            )
        )
        session.add(WebSession(id=_session_key(token), user_id=user.id))
    request.session.clear()
    request.session.update(
        {
            "sid": token,
            "user": user.username,
            "role": user.role,
            "csrf": secrets.token_urlsafe(32),
            "lang": user.language,
        }
    )


def _end(session: Session, where: ColumnElement[bool]) -> None:
    session.execute(
        update(WebSession).where(where, col(WebSession.ended_at).is_(None)).values(ended_at=utcnow())
    )


def end_session(request: Request) -> None:
    """Sign-out: the server forgets this session, whoever holds a copy of its cookie."""
    token = request.session.get("sid")
    if isinstance(token, str):
        with session_scope() as session:
            _end(session, col(WebSession.id) == _session_key(token))
    request.session.clear()


def end_user_sessions(session: Session, user_id: int) -> None:
    """Every session of a user (a password reset, a disabled account)."""
    _end(session, col(WebSession.user_id) == user_id)


def _load_user(request: Request) -> User | None:
    token = request.session.get("sid")
    if not isinstance(token, str):
        request.session.pop("user", None)
        return None
    oldest = utcnow() - timedelta(seconds=web_settings().session_seconds)
    with session_scope() as session:
        row = session.exec(
            select(User, WebSession)
            .join(WebSession, col(WebSession.user_id) == col(User.id))
            .where(col(WebSession.id) == _session_key(token))
        ).first()
    if row is None or row[0].disabled or row[1].ended_at is not None or _aware(row[1].created_at) < oldest:
        request.session.clear()
        return None
    user = row[0]
    request.session["role"] = user.role  # an admin may have changed it since sign-in
    request.session["lang"] = user.language  # chosen in another session: this one follows from its next page
    return user


def _aware(when: datetime) -> datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; they were written in UTC.
    return when if when.tzinfo else when.replace(tzinfo=UTC)


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
        raise HTTPException(status_code=401, detail=_("sign in first"))
    return user


def admin_user(request: Request) -> User:
    user = page_user(request)
    if user.role != "admin":
        raise HTTPException(status_code=403, detail=_("admins only"))
    return user
