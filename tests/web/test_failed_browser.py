"""Failed files in the web app, in a real Chromium, on a service of its own (data dir, database, the embedded
queue and a real worker): the reason in words, the original downloadable by signed-in users only, and a
retry button that re-queues the file through worker.retry; the worker then stores it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.conftest import Service, wait_until
from tests.web.conftest import ROOT, SEED_000, USERS, Site, data_dir_env, serve, sign_in

SHOTS = ROOT / "docs/screenshots"
TIMEOUT = "gave up after 300 s (INGEST_SOFT_TIME_LIMIT)"


def _document(session, path: Path, store: Path):  # type: ignore[no-untyped-def]
    from ingest.pipeline import sha256_of
    from models.tables import Document

    sha = sha256_of(path)
    shutil.copy(path, store / sha)
    doc = Document(
        original_name=path.name,
        inbox_path=str(path),
        sha256=sha,
        size=path.stat().st_size,
        store_path=str(store / sha),
    )
    session.add(doc)
    session.flush()
    return doc


LOST_PAGE = "the page image could not be read: IndexError: index 0 is out of bounds for axis 0 with size 0"


def _with_lost_page(data: Path) -> Path:
    """Another file (its own hash) with a report in it, to be stored as read but for one lost page."""
    path = data / "缺页的年报.txt"
    path.write_bytes(SEED_000.read_bytes() + b"\n")
    return path


def _failed_site(data: Path) -> dict[str, int]:
    """A report that failed as the worker stores a timeout, and a damaged PDF read for real (it fails)."""
    from ingest.pipeline import extract
    from models.cli import hash_password
    from models.db import session_scope, store_record, upgrade
    from models.tables import User

    upgrade()
    store = data / "store"
    store.mkdir()
    broken = data / "损坏的年报.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n% cut off here")
    with session_scope() as session:
        slow = _document(session, SEED_000, store)
        store_record(session, slow, {"error": {"code": "timeout", "message": TIMEOUT}})
        damaged = _document(session, broken, store)
        store_record(session, damaged, extract(Path(damaged.store_path)).to_json())
        partial = _document(session, _with_lost_page(data), store)
        record = extract(Path(partial.store_path)).to_json()
        # As a reader reports a page whose analysis failed (ingest/readers/pdf.py, ingest/ocr/page.py).
        record["info"] = {"pages_not_read": [2], "page_errors": {"2": LOST_PAGE}}
        store_record(session, partial, record)
        session.add(User(username="olga", password_hash=hash_password(USERS["olga"][1]), role="operator"))
        ids = {"slow": slow.id, "damaged": damaged.id, "partial": partial.id}
    return {k: int(v) for k, v in ids.items() if v is not None}


@pytest.fixture(scope="module")
def failed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data = tmp_path_factory.mktemp("failed")
    with data_dir_env(data):
        documents = _failed_site(data)
    with serve(data) as url:  # the embedded queue in the data dir: the worker below reads it too
        yield Site(url, data, documents)


def _status(site: Site, doc: int) -> tuple[str, int]:
    with sqlite3.connect(site.data / "ingest.sqlite") as db:
        status, attempts = db.execute("select status, attempts from document where id = ?", (doc,)).fetchone()
    return str(status), int(attempts)


def test_a_failed_file_shown_downloaded_and_retried(page, failed_site: Site) -> None:  # type: ignore[no-untyped-def]
    site, slow, damaged = failed_site, failed_site.reports["slow"], failed_site.reports["damaged"]
    assert _status(site, damaged) == ("failed", 0)
    sign_in(page, site)
    page.goto(f"{site.url}/documents")
    row = page.locator(f'#documents tr[data-document="{slow}"]')
    assert row.locator(".badge").inner_text() == "处理失败"
    assert row.locator(".reason").inner_text() == "读取文件超出时间限制"  # in words, not only a tooltip
    assert (
        page.locator(f'#documents tr[data-document="{damaged}"] .reason')
        .inner_text()
        .startswith("文件已损坏")
    )

    with page.expect_navigation():
        row.locator(".reason a").click()
    assert page.inner_text("#failure .reason-words").endswith("读取文件超出时间限制")
    assert page.inner_text("#failure-detail") == TIMEOUT
    with page.expect_download() as download:
        page.click("#original")
    assert download.value.suggested_filename == SEED_000.name
    assert Path(download.value.path()).read_bytes() == SEED_000.read_bytes()
    with pytest.raises(urllib.error.HTTPError) as refused:  # no session, no original
        urllib.request.urlopen(f"{site.url}/documents/{slow}/original", timeout=10)
    assert refused.value.code == 401
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "failed-document.png"))

    with page.expect_navigation():
        page.click("#retry button")
    assert "已重新排队" in page.inner_text(".flash")
    assert page.get_attribute("#document-status", "data-status") == "queued"
    assert page.locator("#retry").count() == 0  # nothing to retry while it is queued
    assert _status(site, slow) == ("queued", 0)
    assert _status(site, damaged) == ("failed", 0)  # only the file asked for

    # The web server's environment (so the same queue: the embedded one in the data dir, unless a broker is set).
    env = {k: v for k, v in os.environ.items() if not k.startswith("INGEST_")}
    env.update({"INGEST_DATA_DIR": str(site.data), "PYTHONUNBUFFERED": "1"})
    worker = Service(site.data, env)
    try:
        worker.worker(concurrency=1)
        wait_until(lambda: _status(site, slow)[0] == "done", 90, what="the retried file to be stored")
    finally:
        worker.stop_all()
    page.reload()
    assert page.get_attribute("#document-status", "data-status") == "done"
    assert (
        page.inner_text("#document-status") == "已完成"
        and page.locator("dl.document a[href^='/reports/']").count() == 1
    )


def test_a_page_not_read_is_shown_with_its_reason(page, failed_site: Site) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, failed_site)
    page.goto(f"{failed_site.url}/documents/{failed_site.reports['partial']}")
    lost = page.inner_text("#pages-not-read")
    assert lost.startswith("第 2 页") and LOST_PAGE in lost and "请对照原件" in lost
