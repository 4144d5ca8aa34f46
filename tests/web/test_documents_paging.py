"""The documents list pages through more than 500 documents, server-side, with its filters kept in every
link. Its own server on the real PostgreSQL (a fresh database), since the shared site holds a few rows."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest

from tests.postgres import scratch_database
from tests.web.conftest import USERS, Site, data_dir_env, serve, sign_in

N_DOCS = 620
AGENCIES = ("甲市审计局", "乙县财政局")
STATUSES = ("done", "needs_review", "done", "failed")


def _doc(i: int) -> dict[str, object]:
    """Mixed so that the filter below keeps 155 of them (two pages) and each part of it excludes some."""
    return {
        "original_name": f"report-{i:04d}.pdf",
        "agency": AGENCIES[i % 2],
        "year": 2020 + (i // 2) % 2,
        "status": STATUSES[i % 4],
    }


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with scratch_database("ingest_webtest") as url:
        yield url


@pytest.fixture(scope="module")
def big_site(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from models.cli import hash_password
    from models.db import make_engine, session_scope, upgrade
    from models.tables import Document, User

    data = tmp_path_factory.mktemp("bigsite")
    with data_dir_env(data):
        upgrade(pg_url)
    engine = make_engine(pg_url)
    with session_scope(engine) as session:
        session.add_all(
            Document(
                original_name=str(d["original_name"]),
                inbox_path="/in",
                sha256=f"{i:064x}",
                size=1,
                store_path="/store",
                status=str(d["status"]),
                format="pdf",
                hint_agency=str(d["agency"]),
                hint_year=int(str(d["year"])),
            )
            for i, d in ((i, _doc(i)) for i in range(N_DOCS))
        )
        session.add(User(username="olga", password_hash=hash_password(USERS["olga"][1]), role="operator"))
    engine.dispose()
    with serve(data, pg_url) as url:
        yield Site(url, data, {})


def _walk(page, first_url: str) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """Every file name on every page, following the `next` links; and the links followed."""
    page.goto(first_url)
    names: list[str] = []
    links: list[str] = []
    while True:
        names += page.locator("#documents tbody tr td:nth-child(2)").all_inner_texts()
        nxt = page.locator("#pager-bottom a[rel=next]")
        if nxt.count() == 0:
            return names, links
        links.append(str(nxt.get_attribute("href")))
        with page.expect_navigation():
            nxt.click()


def test_pages_through_all_documents(page, big_site: Site) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, big_site)
    page.goto(f"{big_site.url}/documents")
    assert page.locator("#documents tbody tr").count() == 100
    assert page.inner_text("#pager-top .range") == f"第 1–100 条，共 {N_DOCS} 条"  # zh-CN, the default
    names, links = _walk(page, f"{big_site.url}/documents")
    assert len(links) == 6 and page.inner_text("#pager-top .range") == f"第 601–{N_DOCS} 条，共 {N_DOCS} 条"
    assert names == [f"report-{i:04d}.pdf" for i in reversed(range(N_DOCS))]  # newest first, none twice
    page.goto(f"{big_site.url}/documents?page=99")  # past the end: the last page
    assert page.inner_text("#pager-top .page") == "第 7 页，共 7 页"


def test_filters_survive_paging(page, big_site: Site) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, big_site)
    wanted = [
        f"report-{i:04d}.pdf"
        for i in reversed(range(N_DOCS))
        if _doc(i)["agency"] == "甲市审计局" and _doc(i)["year"] == 2021 and _doc(i)["status"] == "done"
    ]
    assert len(wanted) == 155
    page.goto(f"{big_site.url}/documents")
    page.fill("input[name=q]", "甲市")
    page.fill("input[name=year]", "2021")
    page.select_option("select[name=status]", "done")
    with page.expect_navigation():
        page.click("form.filters button")
    first = page.url
    names, links = _walk(page, first)
    assert names == wanted and len(links) == 1
    for link in links:
        query = parse_qs(urlparse(link).query)
        assert (query["q"], query["year"], query["status"]) == (["甲市"], ["2021"], ["done"])
    assert page.input_value("input[name=q]") == "甲市" and page.input_value("select[name=status]") == "done"
