"""Sign-in and CSRF, checked over plain HTTP against the real server."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from tests.web.conftest import USERS, Site


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _client(jar: CookieJar | None = None) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirect(), urllib.request.HTTPCookieProcessor(jar or CookieJar()))


def _status(
    opener: urllib.request.OpenerDirector, url: str, data: dict | None = None
) -> tuple[int, str, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=10) as res:
            return res.status, res.headers.get("location") or "", res.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("location") or "", err.read().decode(errors="replace")


PAGES = [
    "/",
    "/documents",
    "/review",
    "/history",
    "/users",
    "/reports/{r}",
    "/review?report={r}",
    "/documents/{r}",
    "/account",
]
IMAGES = [
    "/fields/{f}/crop.png",
    "/documents/{d}/pages/1.png",
    "/fields/{f}/panel",
    "/export?fmt=csv",
    "/documents/{d}/original",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_send_anonymous_visitors_to_sign_in(site: Site, path: str) -> None:
    code, location, _ = _status(_client(), site.url + path.format(r=site.reports["seed001"]))
    assert code == 303 and location.startswith("/login")


@pytest.mark.parametrize("path", IMAGES)
def test_images_and_downloads_refuse_anonymous_visitors(site: Site, path: str) -> None:
    code, _, body = _status(_client(), site.url + path.format(f=1, d=2))
    assert code == 401, body
    assert "PNG" not in body


def signed_in_client(
    site: Site, user: str = "olga", password: str | None = None
) -> tuple[urllib.request.OpenerDirector, str]:
    """A cookie-keeping HTTP client signed in as `user`, and its session's CSRF token."""
    opener = _client()
    _, _, page = _status(opener, site.url + "/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    code, location, _ = _status(
        opener,
        site.url + "/login",
        {"username": user, "password": password or USERS[user][1], "csrf_token": token.group(1), "next": "/"},
    )
    assert (code, location) == (303, "/")
    # Signing in issues a new CSRF token: the login page's one is dead now.
    fresh = re.search(r'name="csrf-token" content="([^"]+)"', _status(opener, site.url + "/")[2])
    assert fresh and fresh.group(1) != token.group(1)
    return opener, fresh.group(1)


def _signed_in(site: Site) -> tuple[urllib.request.OpenerDirector, str]:
    return signed_in_client(site)


def test_login_without_csrf_token_is_refused(site: Site) -> None:
    opener = _client()
    _status(opener, site.url + "/login")
    code, _, _ = _status(opener, site.url + "/login", {"username": "olga", "password": USERS["olga"][1]})
    assert code == 403


def test_wrong_password_is_refused(site: Site) -> None:
    opener = _client()
    _, _, page = _status(opener, site.url + "/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    code, _, _ = _status(
        opener, site.url + "/login", {"username": "olga", "password": "nope", "csrf_token": token}
    )
    assert code == 401
    assert _status(opener, site.url + "/review")[0] == 303


def test_posts_without_or_with_a_wrong_csrf_token_are_refused(site: Site) -> None:
    opener, token = _signed_in(site)
    assert _status(opener, site.url + "/review")[0] == 200
    before = _corrections(site)
    for data in ({"decision": "as_printed"}, {"decision": "as_printed", "csrf_token": token[:-2] + "xx"}):
        code, _, _ = _status(opener, site.url + "/fields/1/decide", data)
        assert code == 403
    code, _, _ = _status(
        opener, site.url + "/users", {"username": "eve", "password": "12345678", "role": "admin"}
    )
    assert code == 403
    assert _corrections(site) == before  # nothing was decided
    for path in ("/documents/1/retry", "/account/language"):  # no token: refused before anything runs
        assert _status(opener, site.url + path, {"language": "en"})[0] == 403
    code, _, _ = _status(
        opener, site.url + "/fields/1/decide", {"decision": "as_printed", "csrf_token": token}
    )
    assert code == 303 and _corrections(site) == before + 1  # the same post with its token goes through


def _corrections(site: Site) -> int:
    import sqlite3

    with sqlite3.connect(site.data / "ingest.sqlite") as db:
        return int(db.execute("select count(*) from correction").fetchone()[0])


def test_operators_cannot_manage_users(site: Site) -> None:
    opener, token = _signed_in(site)
    assert _status(opener, site.url + "/users")[0] == 403
    code, _, _ = _status(
        opener,
        site.url + "/users",
        {"username": "eve", "password": "12345678", "role": "admin", "csrf_token": token},
    )
    assert code == 403


USER_FORMS = ["/users", "/users/{u}/role", "/users/{u}/password", "/users/{u}/disable", "/users/{u}/enable"]


@pytest.mark.parametrize("path", USER_FORMS)
def test_user_forms_refuse_posts_without_csrf_token(site: Site, path: str) -> None:
    opener, _token = signed_in_client(site, "adam")
    data = {"username": "eve", "password": "12345678", "role": "admin"}
    assert _status(opener, site.url + path.format(u=1), data)[0] == 403


def test_own_password_form_refuses_posts_without_csrf_token(site: Site) -> None:
    opener, _token = signed_in_client(site)
    data = {"current": USERS["olga"][1], "password": "x" * 12, "repeat": "x" * 12}
    assert _status(opener, site.url + "/account/password", data)[0] == 403
    assert _status(opener, site.url + "/account")[0] == 200  # the password did not change: still signed in


@pytest.mark.parametrize("path", USER_FORMS)
def test_operators_are_refused_user_actions(site: Site, path: str) -> None:
    opener, token = signed_in_client(site)
    data = {"username": "eve", "password": "12345678", "role": "admin", "csrf_token": token}
    assert _status(opener, site.url + path.format(u=2), data)[0] == 403


@pytest.mark.parametrize("fmt,magic", [("csv", b"document_id,"), ("jsonl", b"{"), ("xlsx", b"PK")])
def test_exports_in_every_format(site: Site, fmt: str, magic: bytes) -> None:
    opener, _token = signed_in_client(site)
    for long in ("false", "true"):
        with opener.open(f"{site.url}/export?fmt={fmt}&long={long}", timeout=60) as res:
            body = res.read()
            assert res.status == 200 and f'.{fmt}"' in res.headers["content-disposition"]
        assert body.lstrip(b"\xef\xbb\xbf").startswith(magic), body[:40]
    if fmt == "xlsx":
        import io

        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        assert sheet is not None and sheet.max_row > len(site.reports)  # long form: a row per field


def _finished_just_now(site: Site) -> None:
    """The session fixture stored the documents maybe before midnight: make "today" hold by the clock now."""
    from datetime import UTC, datetime

    from sqlalchemy import select, update

    from models.db import make_engine, session_scope
    from models.tables import Document, Report

    engine = make_engine(site.db_url())
    documents = select(Report.document_id).where(Report.id.in_(list(site.reports.values())))
    with session_scope(engine) as session:
        session.execute(
            update(Document).where(Document.id.in_(documents)).values(finished_at=datetime.now(UTC))
        )
    engine.dispose()


def test_dashboard_counts_todays_throughput(site: Site) -> None:
    _finished_just_now(site)
    opener, _token = signed_in_client(site)
    _, _, page = _status(opener, site.url + "/")
    finished = re.search(r'id="finished-today"><b>(\d+)</b>今日完成的文件', page)  # in Chinese, the default
    decisions = re.search(r'id="decisions-today"><b>(\d+)</b>今日复核决定', page)
    assert finished and int(finished.group(1)) == len(site.reports)  # all stored by this test run
    assert decisions is not None
