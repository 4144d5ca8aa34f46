"""Messages in the user's language: one gettext catalogue for the CLI and the web app.

Message ids are English; `ingest/locale/zh_CN/LC_MESSAGES/ingest.po` holds the Chinese. The catalogue is
read with Babel and compiled in memory when first used, so there is no build step and no compiled file
to keep in step with the .po. zh_CN is the default (the people using this read Chinese); English is the
message ids themselves. `INGEST_LANG` picks the CLI's language; the web app picks per user.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "ingest"
DEFAULT_LOCALE = "zh_CN"
LOCALES = ("zh_CN", "en")
# The language of the request being answered (the web app sets it per request); None: the CLI's.
_request_locale: ContextVar[str | None] = ContextVar("ingest_locale", default=None)


def normalize_locale(name: str | None) -> str:
    """'zh-CN', 'zh_CN.UTF-8', 'zh' → 'zh_CN'; 'en-US' → 'en'; anything unknown → the default."""
    if not name:
        return DEFAULT_LOCALE
    base = name.split(".")[0].replace("-", "_").lower()
    if base.startswith("en"):
        return "en"
    if base.startswith("zh"):
        return "zh_CN"
    return DEFAULT_LOCALE


def catalogue_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(locale: str | None = None) -> _gettext.NullTranslations:
    """The translations for a locale; English (the message ids) needs none."""
    locale = normalize_locale(locale)
    path = catalogue_path(locale)
    if locale == "en" or not path.exists():
        return _gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def cli_locale() -> str:
    return normalize_locale(os.environ.get("INGEST_LANG"))


def current_locale() -> str:
    """The web request's language while one is answered (see `use_locale`), else the CLI's."""
    return _request_locale.get() or cli_locale()


@contextmanager
def use_locale(locale: str | None) -> Iterator[str]:
    """Messages in `locale` inside the block (this thread/task and what it starts), e.g. one web request."""
    token = _request_locale.set(normalize_locale(locale))
    try:
        yield _request_locale.get() or DEFAULT_LOCALE
    finally:
        _request_locale.reset(token)


def gettext(message: str) -> str:
    """The translation of `message` in the current language (a web request's, else INGEST_LANG, default zh_CN)."""
    return translations(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale()).ngettext(singular, plural, n)


_ = gettext


DEFAULT_TIME_ZONE = "Asia/Shanghai"


@cache
def time_zone() -> ZoneInfo:
    """The office's time zone (INGEST_TIMEZONE, an IANA name; default Asia/Shanghai): times are stored in
    UTC and shown in it, by the web app, the CLI and the workbook alike."""
    name = os.environ.get("INGEST_TIMEZONE", DEFAULT_TIME_ZONE)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"INGEST_TIMEZONE must be an IANA time zone such as Asia/Shanghai, not {name!r}"
        ) from exc


def local_time(when: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time (UTC; SQLite hands it back naive) in the office's zone."""
    if when is None:
        return ""
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return aware.astimezone(time_zone()).strftime(fmt)


def local_midnight() -> datetime:
    """Start of today in the office's zone, as a UTC time (the dashboard's "today")."""
    now = datetime.now(time_zone())
    return now.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
