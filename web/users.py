"""Accounts: admins list, add, change the role of, reset the password of, and disable users; everyone can
change their own password. Every POST carries the CSRF token; the admin pages answer operators 403.

Users are disabled, never deleted: corrections name their author, and a freed name must not pass to
someone else. The last active admin can be neither demoted nor disabled, so the app never locks itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from models.cli import hash_password, verify_password
from models.db import session_scope
from models.tables import ROLES, User
from web.app import render
from web.security import admin_user, check_csrf, page_user, start_session

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
        return f"a password needs {MIN_PASSWORD} or more characters"
    if repeat is not None and password != repeat:
        return "the two new passwords differ"
    return None


def _target(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise HTTPException(404, "no such user")
    return user


def _other_active_admins(session: Session, user: User) -> int:
    query = select(User).where(User.role == "admin", User.disabled == False, User.id != user.id)  # noqa: E712
    return len(session.exec(query).all())


@router.get("/users")
def users_page(request: Request, me: Admin) -> Response:
    with session_scope() as session:
        users = list(session.exec(select(User).order_by(col(User.username))))
    return render(request, "users.html", {"users": users, "roles": ROLES, "min_password": MIN_PASSWORD})


@router.post("/users", dependencies=[Csrf])
def add_user(request: Request, me: Admin, username: Annotated[str, Form()], password: Annotated[str, Form()],
             role: Annotated[str, Form()] = "operator") -> Response:
    name = username.strip()
    problem = _password_problem(password) or (None if role in ROLES and name else "a name and a role, please")
    if problem:
        return _back(request, problem)
    with session_scope() as session:
        if session.exec(select(User).where(User.username == name)).first():
            return _back(request, f"{name} exists already")
        session.add(User(username=name, password_hash=hash_password(password), role=role))
    return _back(request, f"added {role} {name}")


@router.post("/users/{user_id}/role", dependencies=[Csrf])
def change_role(request: Request, me: Admin, user_id: int, role: Annotated[str, Form()]) -> Response:
    if role not in ROLES:
        return _back(request, f"role must be one of {', '.join(ROLES)}")

    def demote(session: Session, user: User) -> str | None:
        if user.role == "admin" and role != "admin" and not _other_active_admins(session, user):
            return f"{user.username} is the last admin: make another admin first"
        user.role = role
        return None

    return _back(request, _change_user(user_id, demote, f"{{name}} is now {role}"))


@router.post("/users/{user_id}/password", dependencies=[Csrf])
def reset_password(request: Request, me: Admin, user_id: int, password: Annotated[str, Form()]) -> Response:
    if problem := _password_problem(password):
        return _back(request, problem)
    with session_scope() as session:
        user = _target(session, user_id)
        user.password_hash = hash_password(password)
        session.add(user)
        name, own = user.username, user.id == me.id
        if own:
            start_session(request, user)  # keep this session; the new hash signs out the others
    return _back(request, f"new password set for {name}")


@router.post("/users/{user_id}/disable", dependencies=[Csrf])
def disable_user(request: Request, me: Admin, user_id: int) -> Response:
    def disable(session: Session, user: User) -> str | None:
        if user.id == me.id:
            return "you cannot disable yourself"
        if user.role == "admin" and not _other_active_admins(session, user):
            return f"{user.username} is the last admin"
        user.disabled = True
        return None

    return _back(request, _change_user(
        user_id, disable, "disabled {name}: signed out, cannot sign in; their corrections stay"))


@router.post("/users/{user_id}/enable", dependencies=[Csrf])
def enable_user(request: Request, me: Admin, user_id: int) -> Response:
    def enable(_session: Session, user: User) -> str | None:
        user.disabled = False
        return None

    return _back(request, _change_user(user_id, enable, "enabled {name}"))


def _change_user(user_id: int, change: Callable[[Session, User], str | None], done: str) -> str:
    """Apply `change` to one user in one transaction; its refusal, or `done` with the user's name."""
    with session_scope() as session:
        user = _target(session, user_id)
        if refusal := change(session, user):
            return refusal
        session.add(user)
        return done.format(name=user.username)


@router.get("/account")
def account_page(request: Request, me: PageUser) -> Response:
    return render(request, "account.html", {"user": me, "min_password": MIN_PASSWORD})


@router.post("/account/password", dependencies=[Csrf])
def change_own_password(request: Request, me: PageUser, current: Annotated[str, Form()],
                        password: Annotated[str, Form()], repeat: Annotated[str, Form()]) -> Response:
    if not verify_password(me.password_hash, current):
        return _back(request, "the current password is wrong", "/account")
    if problem := _password_problem(password, repeat):
        return _back(request, problem, "/account")
    with session_scope() as session:
        user = _target(session, me.id or 0)
        user.password_hash = hash_password(password)
        session.add(user)
        start_session(request, user)
    return _back(request, "password changed; other sessions of yours are signed out", "/account")
