"""The web app's language and time: the one catalogue of ingest.i18n, per request; times in the office's zone.

The language is the signed-in user's choice (User.language, copied into the session at sign-in and when
changed), else zh_CN. `LocaleMiddleware` sets it for the whole request, so `_()` in Python (flash
messages, errors) and `_()` / `{% trans %}` in the templates (jinja2.ext.i18n) all answer in it.
"""

from __future__ import annotations

from jinja2 import Environment
from starlette.types import ASGIApp, Receive, Scope, Send

from ingest.i18n import (
    LOCALES,
    current_locale,
    gettext,
    local_time,
    ngettext,
    normalize_locale,
    use_locale,
)

SESSION_KEY = "lang"
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}


class LocaleMiddleware:
    """Inside the session middleware: the session's language for everything this request does."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        session = scope.get("session") if scope["type"] == "http" else None
        with use_locale(session.get(SESSION_KEY) if session else None):
            await self.app(scope, receive, send)


def language_names() -> dict[str, str]:
    # Each language named in itself: whoever cannot read the current one still finds their own.
    return {"zh_CN": "中文", "en": "English"}


def valid_language(name: str) -> str | None:
    return normalize_locale(name) if name in LOCALES else None


def install(env: Environment) -> None:
    """jinja2.ext.i18n with the catalogue's gettext (newstyle: `_("%(n)s files", n=3)` formats and escapes)."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext=gettext, ngettext=ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["localtime"] = local_time
    env.globals["html_lang"] = lambda: HTML_LANG.get(current_locale(), "zh-CN")
