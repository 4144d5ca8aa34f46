"""The review flow in a real Chromium: keyboard decisions, rules re-run, history, crops, screenshots."""

from __future__ import annotations

import shutil
import sqlite3
from io import BytesIO
from pathlib import Path

from PIL import Image

from tests.web.conftest import ROOT, Site, sign_in
from tests.web.crops import assert_crop_shows, widest_number
from web.evidence import RENDER_DPI

SHOTS = ROOT / "docs/screenshots"


class Keyboard:
    """Presses keys on the page and counts every press: the review-speed measure."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page, self.presses = page, 0

    def press(self, key: str, navigates: bool = True) -> None:
        self.presses += 1
        if navigates:
            with self.page.expect_navigation():
                self.page.keyboard.press(key)
        else:
            self.page.keyboard.press(key)

    def correct(self, digits: str) -> None:
        for d in digits:
            self.press(d, navigates=False)
        self.press("Enter")


def _current_key(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.get_attribute(".detail .evidence", "data-key"))


def _queue_total(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.inner_text(".queue h2").split()[0])


def _shot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000
    return path


def test_clear_seed_001_with_the_keyboard(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    report = site.reports["seed001"]
    sign_in(page, site)
    page.goto(f"{site.url}/review?report={report}")
    assert _queue_total(page) == 21
    # Every flagged cell of seed 001 breaks a row sum; the text evidence shows the lines it was read from.
    assert page.locator(".detail dd.rule").first.inner_text().startswith("t3.row_sum")
    assert page.locator("pre.context .hit").count() == 1
    _shot(page, "review-queue.png")

    keys = Keyboard(page)
    # Walk to the first 其他 cell; a cell then in both a failed row and a failed column rises to the top.
    while not _current_key(page).endswith(".other_org"):
        keys.press("j")
    assert _current_key(page) == "t3.new_received.other_org"
    keys.correct("0")
    for expected in ("t3.total.other_org", "t3.unable_not_held.other_org"):
        assert _current_key(page) == expected, "the culprit of two failed rules comes first"
        assert page.locator(".detail dd.rule").count() == 2
        keys.correct("0")
    assert page.locator("#queue-empty").is_visible()
    cleared = 21
    assert cleared >= 20 and keys.presses <= 40, f"{keys.presses} presses for {cleared} fields"
    (SHOTS / "review-speed.txt").write_text(f"{keys.presses} key presses cleared {cleared} flagged fields\n")

    page.goto(f"{site.url}/reports/{report}")
    assert page.inner_text("#report-status") == "done"
    assert page.inner_text("#checks-failed") == "0"  # every rule passes on the corrected values
    cell = page.locator('td.cell[data-key="t3.new_received.other_org"]')
    assert "s-corrected" in str(cell.get_attribute("class")) and cell.inner_text() == "0"
    assert "s-ok" in str(page.locator('td.cell[data-key="t3.new_received.natural"]').get_attribute("class"))
    cell.click()
    page.wait_for_selector("#panel table.history td")
    history = page.inner_text("#panel table.history")
    assert "olga" in history and "1 → 0" in history and "correct" in history
    assert page.inner_text("#panel #machine-value") == "1"  # the machine's reading is kept beside it
    _shot(page, "report-view.png")

    page.goto(f"{site.url}/history")
    rows = page.locator("#history tbody tr")
    assert rows.count() >= 3
    assert "t3.new_received.other_org" in page.inner_text("#history")


def test_unreadable_with_u(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    report = site.reports["seed002"]
    sign_in(page, site)
    page.goto(f"{site.url}/review?report={report}")
    assert _queue_total(page) == 1
    key = _current_key(page)
    Keyboard(page).press("u")
    assert page.locator("#queue-empty").is_visible()
    page.goto(f"{site.url}/reports/{report}")
    assert page.inner_text("#report-status") == "done"
    page.goto(f"{site.url}/history")
    row = page.locator("#history tbody tr", has_text=key)
    assert "unreadable" in row.inner_text() and "olga" in row.inner_text()


def _wait_loaded(page, img) -> int:  # type: ignore[no-untyped-def]
    """Wait until the browser is done with the <img> (loaded or broken); its natural width (0: broken)."""
    page.wait_for_function("img => img.complete", arg=img)
    return int(page.evaluate("img => img.naturalWidth", img))


def test_pdf_report_shows_page_crops(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    # A cold render cache: the crop and the page images beside it then ask for the same page render at
    # once, which used to hand one of them a half-written PNG (a 500, a broken image).
    shutil.rmtree(site.data / "web_cache", ignore_errors=True)
    sign_in(page, site)
    report = site.reports["pdf"]
    page.goto(f"{site.url}/reports/{report}")
    assert page.locator("table#t3 td.cell.s-ok").count() > 20
    f = widest_number(site.data / "ingest.sqlite", report)
    page.locator(f'td.cell[data-key="{f.key}"]').click()
    crop = page.wait_for_selector("#panel img.crop")
    assert _wait_loaded(page, crop) > 50, "the crop image did not load"
    # Page images load lazily: the first one is in view, the others load when scrolled to.
    first_page = page.wait_for_selector("figure.page img")
    assert _wait_loaded(page, first_page) > 300, "the page image did not load"

    assert crop.get_attribute("src") == f"/fields/{f.id}/crop.png"
    png = page.request.get(f"{site.url}/fields/{f.id}/crop.png").body()  # with the browser's session
    rendered = Image.open(BytesIO(page.request.get(f"{site.url}/documents/{_doc_id(site, report)}/pages/"
                                                   f"{f.page}.png").body()))
    assert_crop_shows(png, f, RENDER_DPI / 72, rendered.size)
    _shot(page, "report-view-pdf.png")


def _doc_id(site: Site, report: int) -> int:
    with sqlite3.connect(site.data / "ingest.sqlite") as db:
        return int(db.execute("select document_id from report where id = ?", (report,)).fetchone()[0])


def test_upload_dashboard_and_export(page, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, site)
    drop = tmp_path / "某局2023年报.txt"
    drop.write_text("政府信息公开工作年度报告\n", encoding="utf-8")
    page.goto(f"{site.url}/documents")
    assert page.locator("#documents tbody tr").count() == len(site.reports)
    page.set_input_files("input[name=files]", str(drop))
    with page.expect_navigation():
        page.click("form.upload button")
    assert "1 file(s) put in the inbox" in page.inner_text(".flash")
    landed = site.data / "inbox" / "web" / "olga" / drop.name
    assert landed.read_text(encoding="utf-8") == drop.read_text(encoding="utf-8")
    assert not list(landed.parent.glob(".upload-*"))  # no half-written file left for the watcher
    page.goto(f"{site.url}/")
    assert int(page.inner_text("#backlog b")) >= 0
    with page.expect_download() as dl:
        page.click("a[href='/export?fmt=csv']")
    text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("document_id,original_name") and "001_430d632e98a31d18.txt" in text
