"""Accounts: admins list, add, change the role of, reset the password of, and disable users; everyone can
change their own password. Every POST carries the CSRF token; the admin pages answer operators 403.

Users are disabled, never deleted: corrections name their author, and a freed name must not pass to
someone else. The last active admin can be neither demoted nor disabled, so the app never locks itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from ingest.i18n import DEFAULT_LOCALE, _, use_locale
from models.cli import hash_password
from models.db import session_scope
from models.tables import ROLES, User
from web import labels, signin
from web.i18n import language_names, valid_language
from web.render import render
from web.security import USERNAME, DbId, admin_user, check_csrf, end_user_sessions, page_user, start_session

router = APIRouter()
Admin = Annotated[User, Depends(admin_user)]
PageUser = Annotated[User, Depends(page_user)]
Csrf = Depends(check_csrf)
MIN_PASSWORD = 8


def _back(request: Request, message: str, url: str = "/users") -> RedirectResponse:
    request.session["flash"] = message
    return RedirectResponse(url, status_code=303)


def _password_problem(password: str, repeat: str | None = None) -> str | None:
    if len(password) < MIN_PASSWORD:
        return _("a password needs {count} or more characters").format(count=MIN_PASSWORD)
    if repeat is not None and password != repeat:
        return _("the two new passwords differ")
    return None


def _target(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise HTTPException(404, _("no such user"))
    return user


def _other_active_admins(session: Session, user: User) -> int:
    query = select(User).where(User.role == "admin", User.disabled == False, User.id != user.id)  # noqa: E712
    return len(session.exec(query).all())


@router.get("/users")
def users_page(request: Request, me: Admin) -> Response:
    with session_scope() as session:
        users = list(session.exec(select(User).order_by(col(User.username))))
    return render(request, "users.html", {"users": users, "roles": ROLES, "min_password": MIN_PASSWORD})


def _name_problem(name: str, role: str) -> str | None:
    if role not in ROLES:
        return _("role must be one of {roles}").format(roles=", ".join(ROLES))
    if not USERNAME.fullmatch(name):
        return _("a name is 1 to 32 letters, digits, '-' or '_', starting with a letter or digit")
    return None


@router.post("/users", dependencies=[Csrf])
async def add_user(
    request: Request,
    me: Admin,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    role: Annotated[str, Form()] = "operator",
) -> Response:
    name = username.strip()
    if problem := _password_problem(password) or _name_problem(name, role):
        return _back(request, problem)
    password_hash = await signin.hashing(hash_password, password)

    def add() -> str:
        with session_scope() as session:
            if session.exec(select(User).where(User.username == name)).first():
                return _("{name} exists already").format(name=name)
            session.add(User(username=name, password_hash=password_hash, role=role))
        return _("added {role} {name}").format(role=labels.role_label(role), name=name)

    return _back(request, await run_in_threadpool(add))


@router.post("/users/{user_id}/role", dependencies=[Csrf])
def change_role(request: Request, me: Admin, user_id: DbId, role: Annotated[str, Form()]) -> Response:
    if role not in ROLES:
        return _back(request, _("role must be one of {roles}").format(roles=", ".join(ROLES)))

    def demote(session: Session, user: User) -> str | None:
        if user.role == "admin" and role != "admin" and not _other_active_admins(session, user):
            return _("{name} is the last admin: make another admin first").format(name=user.username)
        user.role = role
        return None

    return _back(
        request, _change_user(user_id, demote, _("{name} is now {role}"), role=labels.role_label(role))
    )


@router.post("/users/{user_id}/password", dependencies=[Csrf])
async def reset_password(
    request: Request, me: Admin, user_id: DbId, password: Annotated[str, Form()]
) -> Response:
    if problem := _password_problem(password):
        return _back(request, problem)
    password_hash = await signin.hashing(hash_password, password)
    name = await run_in_threadpool(_set_password, request, user_id, password_hash, user_id == me.id)
    return _back(request, _("new password set for {name}").format(name=name))


def _set_password(request: Request, user_id: int, password_hash: str, own: bool) -> str:
    """A new password ends every session of the user; one's own change then opens a fresh one here."""
    with session_scope() as session:
        user = _target(session, user_id)
        user.password_hash = password_hash
        session.add(user)
        end_user_sessions(session, user_id)
    if own:
        start_session(request, user)
    return user.username


@router.post("/users/{user_id}/disable", dependencies=[Csrf])
def disable_user(request: Request, me: Admin, user_id: DbId) -> Response:
    def disable(session: Session, user: User) -> str | None:
        if user.id == me.id:
            return _("you cannot disable yourself")
        if user.role == "admin" and not _other_active_admins(session, user):
            return _("{name} is the last admin").format(name=user.username)
        user.disabled = True
        end_user_sessions(session, user_id)
        return None

    return _back(
        request,
        _change_user(
            user_id, disable, _("disabled {name}: signed out, cannot sign in; their corrections stay")
        ),
    )


@router.post("/users/{user_id}/enable", dependencies=[Csrf])
def enable_user(request: Request, me: Admin, user_id: DbId) -> Response:
    def enable(_session: Session, user: User) -> str | None:
        user.disabled = False
        return None

    return _back(request, _change_user(user_id, enable, _("enabled {name}")))


def _change_user(user_id: int, change: Callable[[Session, User], str | None], done: str, **words: str) -> str:
    """Apply `change` to one user in one transaction; its refusal, or `done` with the user's name."""
    with session_scope() as session:
        user = _target(session, user_id)
        if refusal := change(session, user):
            return refusal
        session.add(user)
        return done.format(name=user.username, **words)


@router.get("/account")
def account_page(request: Request, me: PageUser) -> Response:
    return render(
        request,
        "account.html",
        {
            "user": me,
            "min_password": MIN_PASSWORD,
            "languages": language_names(),
            "language": me.language or DEFAULT_LOCALE,
        },
    )


@router.post("/account/language", dependencies=[Csrf])
def change_language(
    request: Request, me: PageUser, language: Annotated[str, Form(max_length=16)]
) -> Response:
    """The user's language for the web app, kept on the account (every browser they sign in from)."""
    chosen = valid_language(language)
    if chosen is None:
        return _back(request, _("unknown language"), "/account")
    with session_scope() as session:
        user = _target(session, me.id or 0)
        user.language = chosen
        session.add(user)
    request.session["lang"] = chosen
    with use_locale(chosen):  # the message in the language just chosen
        return _back(request, _("language changed"), "/account")


@router.post("/account/password", dependencies=[Csrf])
async def change_own_password(
    request: Request,
    me: PageUser,
    current: Annotated[str, Form(max_length=1024)],
    password: Annotated[str, Form()],
    repeat: Annotated[str, Form()],
) -> Response:
    if not await signin.check_password(me.password_hash, current):
        return _back(request, _("the current password is wrong"), "/account")
    if problem := _password_problem(password, repeat):
        return _back(request, problem, "/account")
    password_hash = await signin.hashing(hash_password, password)
    await run_in_threadpool(_set_password, request, me.id or 0, password_hash, True)
    return _back(request, _("password changed; other sessions of yours are signed out"), "/account")
