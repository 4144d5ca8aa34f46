"""The web app's security settings, all from the environment (documented in docs/web.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from ingest.i18n import time_zone

MIB = 1 << 20
FORM_BYTES = 64 * 1024  # every request but an upload: sign-in, decisions and user forms are tiny


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _seconds(name: str, default: float, unit: float) -> int:
    return max(1, round(float(os.environ.get(name, default)) * unit))


@dataclass(frozen=True, slots=True)
class WebSettings:
    max_upload_bytes: int  # one uploaded file
    max_request_bytes: int  # one upload request (all its files)
    secure_cookie: str  # auto (Secure when the request came over https, or a proxy says so) | on | off
    idle_seconds: int  # a session unused this long ends (the signed cookie's age)
    session_seconds: int  # a session ends this long after sign-in, however busy
    hash_slots: int  # argon2 password hashes at once (64 MiB each)
    account_free_failures: int  # wrong passwords for one name before back-off starts
    address_free_failures: int  # wrong passwords from one client address before back-off starts
    time_zone: str  # times are shown in this zone (IANA name), and "today" starts at its midnight


@cache
def web_settings() -> WebSettings:
    upload = _int("INGEST_WEB_MAX_UPLOAD_MB", 100) * MIB
    secure = os.environ.get("INGEST_WEB_SECURE_COOKIE", "auto").lower()
    if secure not in ("auto", "on", "off"):
        raise ValueError(f"INGEST_WEB_SECURE_COOKIE must be auto, on or off, not {secure!r}")
    return WebSettings(
        max_upload_bytes=upload,
        max_request_bytes=max(upload, _int("INGEST_WEB_MAX_REQUEST_MB", 4 * upload // MIB) * MIB),
        secure_cookie=secure,
        idle_seconds=_seconds("INGEST_WEB_IDLE_MINUTES", 120, 60),
        session_seconds=_seconds("INGEST_WEB_SESSION_HOURS", 12, 3600),
        hash_slots=max(1, _int("INGEST_WEB_HASH_SLOTS", 2)),
        account_free_failures=_int("INGEST_WEB_ACCOUNT_FAILURES", 5),
        address_free_failures=_int("INGEST_WEB_ADDRESS_FAILURES", 20),
        time_zone=time_zone().key,
    )
