"""The FastAPI app: `create_app()` wires the session, the templates and the routes."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from ingest.i18n import _
from web import i18n
from web.edge import SESSION_COOKIE, EdgeHeaders
from web.render import render
from web.security import SignInRequired, session_secret
from web.settings import FORM_BYTES, web_settings

HERE = Path(__file__).parent


def _sign_in_redirect(request: Request, _exc: Exception) -> Response:
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if "text/html" in request.headers.get("accept", ""):
        return render(
            request, "error.html", {"status": exc.status_code, "detail": exc.detail}, exc.status_code
        )
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)


def _busy(request: Request, _exc: Exception) -> Response:
    response = _http_error(
        request, HTTPException(503, _("busy checking passwords: try again in a few seconds"))
    )
    response.headers["Retry-After"] = "5"
    return response


def create_app() -> FastAPI:
    from models.db import upgrade
    from web import archive, routes, signin, users

    upgrade()  # the web app may be the first process to touch a fresh data dir
    # Every body is capped before it is read (413): forms at FORM_BYTES, the upload route at its own cap.
    app = FastAPI(
        title="Report review", docs_url=None, redoc_url=None, openapi_url=None, max_body_size=FORM_BYTES
    )
    # max_age is the idle limit: the signed cookie's timestamp is renewed on each response and checked on
    # each request; the absolute limit is the server-side session's age (web.security).
    app.add_middleware(i18n.LocaleMiddleware)  # inside the session: it reads the session's language
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(),
        session_cookie=SESSION_COOKIE,
        same_site="lax",
        https_only=False,
        max_age=web_settings().idle_seconds,
    )
    app.add_middleware(EdgeHeaders)  # outermost: it also marks the session cookie Secure over https
    app.add_exception_handler(SignInRequired, _sign_in_redirect)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(signin.Busy, _busy)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(routes.router)
    app.include_router(users.router)
    app.include_router(archive.router)
    return app
