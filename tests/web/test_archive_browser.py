"""The archive in Chromium: an agency page with its charts, a region filter, a full-text hit opening its
page in the evidence viewer, an alias merge and its undo. Screenshots go to docs/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.web.conftest import ROOT, USERS, Site, _synth_pdf, data_dir_env, serve, sign_in

SHOTS = ROOT / "docs" / "screenshots"


def _seed_archive(data: Path) -> dict[str, object]:
    from ingest.agency import identify
    from ingest.pipeline import extract, sha256_of
    from models.cli import hash_password
    from models.db import make_engine, session_scope, store_record, upgrade
    from models.tables import Document, User
    from synth.archive import plan_archive, record_json, store_synthetic

    url = f"sqlite:///{data / 'ingest.sqlite'}"
    upgrade(url)
    plan = plan_archive(agencies=12, years=5, seed=4, break_share=0.3)
    pdf = _synth_pdf(data / "synth")
    engine = make_engine(url)
    with session_scope(engine) as session:
        for (a, year), truth in plan.truths.items():
            store_synthetic(session, f"{a}-{year}.docx", f"{a:04d}{year}", record_json(truth))
        record = extract(pdf)
        out = record.to_json()
        out["pages_text"] = record.pages_text
        doc = Document(
            original_name=pdf.name,
            inbox_path=str(pdf),
            sha256=sha256_of(pdf),
            size=pdf.stat().st_size,
            store_path=str(pdf),
        )
        session.add(doc)
        session.flush()
        pdf_report = store_record(session, doc, out)
        assert pdf_report is not None
        for name, (role, password) in USERS.items():
            session.add(User(username=name, password_hash=hash_password(password), role=role))
    engine.dispose()
    broken = sorted({a for a, _y, _c in plan.breaks if a not in plan.ambiguous})
    phrase = next(line for line in record.pages_text[0].splitlines() if len(line.strip()) >= 8).strip()[:8]
    return {
        "plan": plan,
        "broken_agency": identify(plan.full_names[broken[0]]).agency_id,
        "pdf_report": pdf_report.id,
        "phrase": phrase,
    }


@pytest.fixture(scope="module")
def archive_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, dict[str, object]]]:
    data = tmp_path_factory.mktemp("archiveweb")
    with data_dir_env(data):
        facts = _seed_archive(data)
    with serve(data) as url:
        yield Site(url, data, {}), facts


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """The window as a person sees it (a whole agency page is 8,000 px tall: too big to keep)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def test_agency_page_shows_the_years_and_charts(page, archive_site) -> None:  # type: ignore[no-untyped-def]
    site, facts = archive_site
    sign_in(page, site, "olga")
    page.goto(f"{site.url}/agency?id={quote(str(facts['broken_agency']))}")
    assert page.locator("#years thead th").count() == 1 + 5
    for chart in ("#chart-requests", "#chart-handling"):
        assert page.locator(f"{chart} rect.bar").count() > 0, chart
    assert (
        page.locator("#chart-outcomes").count() == 1
    )  # synthetic agencies seldom have a lawsuit: maybe no bar
    assert page.locator("li.continuity-break").count() > 0
    # a break's cells are in review, side by side
    assert page.locator("td.s-review[data-key^='t3.carried_']").count() >= 2
    _shot(page, "archive-agency.png")


def test_region_filter_narrows_the_archive(page, archive_site) -> None:  # type: ignore[no-untyped-def]
    site, _facts = archive_site
    sign_in(page, site, "olga")
    page.goto(f"{site.url}/archive")
    everything = int(page.locator("#archive-total").inner_text())
    options = page.locator("select[name=province] option")
    province = options.nth(1).get_attribute("value")
    page.select_option("select[name=province]", province)
    with page.expect_navigation():
        page.click("#archive-filters button")
    narrowed = int(page.locator("#archive-total").inner_text())
    assert 0 < narrowed < everything
    assert page.locator("select[name=city], select[name=county]").count() == 1  # the next level offered
    rows = page.locator("#archive-rows tbody tr").count()
    assert rows == min(narrowed, 200)
    assert page.locator("#totals tbody tr").count() >= 1
    _shot(page, "archive-region.png")


def test_a_full_text_hit_opens_its_page(page, archive_site) -> None:  # type: ignore[no-untyped-def]
    site, facts = archive_site
    sign_in(page, site, "olga")
    page.goto(f"{site.url}/search?q={quote(str(facts['phrase']))}")
    hits = page.locator("#hits a.hit")
    assert hits.count() >= 1
    links = page.locator(f"#hits a.hit[href^='/reports/{facts['pdf_report']}#page-']")
    assert links.count() >= 1
    link = links.last  # a later page: the viewer must scroll to it
    _shot(page, "archive-search.png")
    with page.expect_navigation():
        link.click()
    assert re.search(rf"/reports/{facts['pdf_report']}#page-\d+$", page.url)
    target = page.url.rsplit("#", 1)[1]
    figure = page.locator(f"figure#{target} img")
    figure.scroll_into_view_if_needed()
    assert figure.is_visible()
    page.wait_for_function("(el) => el.complete && el.naturalWidth > 0", arg=figure.element_handle())
    _shot(page, "archive-search-hit.png")


def test_an_alias_merge_and_its_undo(page, archive_site) -> None:  # type: ignore[no-untyped-def]
    site, facts = archive_site
    plan = facts["plan"]
    sign_in(page, site, "adam")
    page.goto(f"{site.url}/agencies/merges")
    row = page.locator("#merges tbody tr[data-state=suggested]").first
    row_id = row.get_attribute("id")
    target = row.locator("td").nth(1).locator("a").get_attribute("href")
    page.goto(f"{site.url}{target}")
    before = page.locator("#years thead th").count() - 1
    page.goto(f"{site.url}/agencies/merges")
    with page.expect_navigation():
        page.locator(f"#{row_id} button.merge").click()
    assert page.locator(f"#{row_id}").get_attribute("data-state") == "merged"
    assert "adam" in page.locator(f"#{row_id} td.decisions").inner_text()
    _shot(page, "archive-merge.png")
    page.goto(f"{site.url}{target}")
    assert page.locator("#years thead th").count() - 1 == plan.years > before  # one series of every year
    page.goto(f"{site.url}/agencies/merges")
    with page.expect_navigation():
        page.locator(f"#{row_id} button.undo").click()
    assert page.locator(f"#{row_id}").get_attribute("data-state") == "undone"
    assert page.locator(f"#{row_id} td.decisions").inner_text().count("adam") == 2
    page.goto(f"{site.url}{target}")
    assert page.locator("#years thead th").count() - 1 == before


def test_operators_cannot_merge(page, archive_site) -> None:  # type: ignore[no-untyped-def]
    site, _facts = archive_site
    sign_in(page, site, "olga")
    page.goto(f"{site.url}/agencies/merges")
    assert page.locator("#merges button").count() == 0
    status = page.evaluate("""async () => {
        const token = document.querySelector('meta[name=csrf-token]').content;
        const r = await fetch('/agencies/merges/1', {method: 'POST', body: new URLSearchParams({action: 'merged', csrf_token: token})});
        return r.status; }""")
    assert status == 403
