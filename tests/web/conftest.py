"""A real review app for the browser tests: a SQLite database in a tmp dir holding real records
(seed 001 as extracted, with its 21 flagged cells, and a synthetic PDF report for page crops), a real
uvicorn server (`ingest web`) on a free port, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED_001 = ROOT / "tests/fixtures/seeds/001_430d632e98a31d18.txt"
SEED_002 = ROOT / "tests/fixtures/seeds/002_54ff8a29389465ba.txt"  # one flagged field
SEED_000 = ROOT / "tests/fixtures/seeds/000_35b29aa8985b6c6f.txt"  # every rule holds
# A real report (text PDF) that is itself inconsistent (t4: 行政复议 10 + 1 but 总计 0) and does not print 21
# fields of its template (the three 2021 sub-rows of （六）其他处理): nothing is read for them.
HZQ = ROOT / "tests/fixtures/real/hzq2023_working.pdf"
MISREAD_KEY, MISREAD_AS = "t3.granted.natural", 12  # seed 000 prints 4
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
USERS = {"olga": ("operator", "operator-pass-1"), "adam": ("admin", "admin-pass-12")}


@dataclass(frozen=True, slots=True)
class Site:
    url: str
    data: Path
    reports: dict[str, int]  # "seed001" / "seed002" / "pdf" / "scan" / "hzq" / "misread" -> report id

    def db_url(self) -> str:
        return f"sqlite:///{self.data / 'ingest.sqlite'}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _store(session, path: Path, store: Path) -> int:  # type: ignore[no-untyped-def]
    """A document the way intake + a worker would leave it: file in the store, Document row, record
    (read by `ingest.pipeline.extract`, whose record keeps each page's units and cleaned OCR image)."""
    from ingest.pipeline import extract, sha256_of
    from models.db import store_record
    from models.tables import Document

    sha = sha256_of(path)
    stored = store / sha
    shutil.copy(path, stored)
    doc = Document(
        original_name=path.name,
        inbox_path=str(path),
        sha256=sha,
        size=path.stat().st_size,
        store_path=str(stored),
        seconds=0.4,
    )
    session.add(doc)
    session.flush()
    report = store_record(session, doc, extract(stored, sha256=sha).to_json())
    assert report is not None and report.id is not None
    return report.id


def _misread(session, report_id: int) -> None:  # type: ignore[no-untyped-def]
    """A misreading as OCR makes them (a 4 read as 12) in an otherwise clean reading of seed 000; the rules
    then fail in its row and column, and their arithmetic pins the printed 4 as the suggestion."""
    from sqlmodel import select

    from models.tables import Field, Report
    from web.review import recheck

    f = session.exec(select(Field).where(Field.report_id == report_id, Field.key == MISREAD_KEY)).one()
    f.value, f.raw = str(MISREAD_AS), str(MISREAD_AS)
    session.add(f)
    session.flush()
    recheck(session, session.get(Report, report_id))


def _synth_pdf(out: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ingest.cli",
            "synth",
            str(out),
            "--count",
            "1",
            "--formats",
            "pdf",
            "--templates",
            "2021",
            "--seed",
            "7",
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    return next(out.glob("*.pdf"))


def _synth_scan(out: Path) -> Path:
    """One real scanned page: the sample report rendered by LibreOffice, scanned upside down (180°) with
    skew, noise and JPEG artefacts, saved as a PNG. Its OCR boxes are pixels of the cleaned, upright
    page, so a crop taken from the scan as stored would land on the wrong part of the page."""
    from synth.scan import ScanFaults, docx_to_pdf, sample_docx, scan_pdf, write_scan

    out.mkdir(parents=True, exist_ok=True)
    sample_docx(out / "scan.docx", seed=3)
    pages = scan_pdf(docx_to_pdf(out / "scan.docx", out), ScanFaults(upside_down=(0,), seal_pages=()), seed=3)
    return write_scan(pages[:1], out / "某市审计局2021年报-扫描.png")[0]


def seed_database(data: Path) -> dict[str, int]:
    from models.cli import hash_password
    from models.db import make_engine, session_scope, upgrade
    from models.tables import User

    url = f"sqlite:///{data / 'ingest.sqlite'}"
    upgrade(url)
    store = data / "store"
    store.mkdir()
    pdf = _synth_pdf(data / "synth")
    scan = _synth_scan(data / "scan")
    engine = make_engine(url)
    with session_scope(engine) as session:
        reports = {
            "seed001": _store(session, SEED_001, store),
            "pdf": _store(session, pdf, store),
            "seed002": _store(session, SEED_002, store),
            "scan": _store(session, scan, store),
            "hzq": _store(session, HZQ, store),
            "misread": _store(session, SEED_000, store),
        }
        _misread(session, reports["misread"])
        for name, (role, password) in USERS.items():
            session.add(User(username=name, password_hash=hash_password(password), role=role))
    engine.dispose()
    return reports


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"web server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("web server did not start")


@contextmanager
def data_dir_env(data: Path) -> Iterator[None]:
    """INGEST_DATA_DIR for code run in this process (upgrade() keeps its lock file there; the OCR route
    saves its cleaned page images there)."""
    old = os.environ.get("INGEST_DATA_DIR")
    os.environ["INGEST_DATA_DIR"] = str(data)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("INGEST_DATA_DIR", None)
        else:
            os.environ["INGEST_DATA_DIR"] = old


@contextmanager
def serve_process(
    data: Path, database_url: str | None = None, settings: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """The real server (`ingest web`) on a free port, on the given data dir and database, with extra
    environment `settings`; its URL and process (one uvicorn process: its RSS is the web app's)."""
    port = free_port()
    env = {
        **os.environ,
        "INGEST_DATA_DIR": str(data),
        "INGEST_INBOX": str(data / "inbox"),
        **(settings or {}),
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    log = (data / f"web-{port}.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingest.cli", "web", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@contextmanager
def serve(data: Path, database_url: str | None = None) -> Iterator[str]:
    with serve_process(data, database_url) as (url, _proc):
        yield url


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data = tmp_path_factory.mktemp("webdata")
    with data_dir_env(data):
        reports = seed_database(data)
    with serve(data) as url:
        yield Site(url, data, reports)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} missing: apt-get install -y --no-install-recommends chromium chromium-driver"
        )
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh tab in its own browser context. One shared cookie jar let a late response of the last
    test's tab (a lazy page image re-sending its session cookie) overwrite the cookie a sign-in had just
    been given, and the sign-in was refused for a wrong CSRF token."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(
    page,
    site: Site,
    user: str = "olga",
    password: str | None = None,  # type: ignore[no-untyped-def]
    expect_ok: bool = True,
) -> None:
    page.goto(f"{site.url}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password or USERS[user][1])
    with page.expect_navigation():
        page.click("button[type=submit]")
    if expect_ok:
        assert page.url == f"{site.url}/", page.inner_text("main")
