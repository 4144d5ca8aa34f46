"""The review flow in a real Chromium, in Chinese: keyboard decisions with their meaning (as printed,
misread → corrected, the suggestion taken, unreadable, not printed), the rules re-run, history, crops,
screenshots."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image

from tests.web.conftest import MISREAD_AS, MISREAD_KEY, ROOT, Site, sign_in
from tests.web.crops import assert_crop_shows, widest_number
from web.evidence import RENDER_DPI
from web.layout import col_label

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
    return int(page.inner_text("#queue-total"))


def _open_in_queue(page, key: str) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.click(f'#queue li[data-key="{key}"] a')
    assert _current_key(page) == key


def _shot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000
    return path


def _query(site: Site, sql: str, *args: object) -> list[tuple]:  # type: ignore[type-arg]
    with sqlite3.connect(site.data / "ingest.sqlite") as db:
        return db.execute(sql, args).fetchall()


def _field_id(site: Site, report: int, key: str) -> int:
    return int(_query(site, "select id from field where report_id = ? and key = ?", report, key)[0][0])


def _decisions(site: Site, report: int, key: str) -> list[tuple]:  # type: ignore[type-arg]
    return _query(
        site,
        "select decision, old, new, reason, who from correction where field_id = ? order by id",
        _field_id(site, report, key),
    )


def test_seed_001_the_documents_own_inconsistency_kept_as_printed(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    """Seed 001 prints three rows '1 0 0 0 0 1 1' (its columns sum to 2, its total says 1): the document's own
    inconsistency. Kept as printed, each cell is signed off and the three row sums stay failed, marked."""
    report = site.reports["seed001"]
    sign_in(page, site)
    assert [a.inner_text() for a in page.locator("nav > a").all()][:4] == [
        "总览",
        "文件",
        "复核队列",
        "修改记录",
    ]
    page.goto(f"{site.url}/review?report={report}")
    assert _queue_total(page) == 21
    first = page.locator("#queue li").first
    key = str(first.get_attribute("data-key"))
    # Fields by their Chinese labels (row · column), the key small beside.
    assert first.locator(".field-name").inner_text() == col_label("2019", key) and "·" in col_label(
        "2019", key
    )
    assert first.locator("small.key").inner_text() == key
    rule = page.locator(".detail dd.rule").first.inner_text()
    assert rule.startswith("各类申请人之和等于总计") and "t3.row_sum" in rule
    assert page.locator("pre.context .hit").count() == 1
    assert page.inner_text("#do-as_printed").startswith("原文如此")
    _shot(page, "review-queue.png")

    keys = Keyboard(page)
    keys.press("Enter", navigates=False)  # Enter with nothing typed decides nothing
    assert _queue_total(page) == 21 and _decisions(site, report, key) == []
    while page.locator("#queue-empty").count() == 0:
        keys.press("a")
    assert page.inner_text("#queue-empty") == "没有待复核的字段了。"
    assert keys.presses == 22  # one per field, and the Enter that did nothing
    (SHOTS / "review-speed.txt").write_text(
        f"{keys.presses - 1} key presses (A, as printed) signed off the {21} flagged fields of seed 001, the "
        "document's own inconsistency; its 3 failed row sums stay failed and marked as the document's\n"
    )

    page.goto(f"{site.url}/reports/{report}")
    assert (
        page.get_attribute("#report-status", "data-status") == "done"
        and page.inner_text("#report-status") == "已完成"
    )
    assert (
        page.inner_text("#checks-failed") == "3"
    )  # not cleared: the record says the document is inconsistent
    own = page.locator("ul.failed-rules li.inconsistent")
    assert own.count() == 3 and all("文件自身不一致" in t for t in own.all_inner_texts())
    cell = page.locator('td.cell[data-key="t3.new_received.other_org"]')
    assert cell.inner_text() == "1", "the printed value is kept"
    assert {"s-as_printed", "inconsistent"} <= set(str(cell.get_attribute("class")).split())
    assert "s-ok" in str(page.locator('td.cell[data-key="t3.granted.natural"]').get_attribute("class"))
    cell.click()
    page.wait_for_selector("#panel table.history td.decision")
    assert page.inner_text("#panel td.decision") == "原文如此" and "olga" in page.inner_text(
        "#panel table.history"
    )
    assert page.inner_text("#panel #machine-value") == "1"
    _shot(page, "report-view.png")

    page.goto(f"{site.url}/history")
    row = page.locator('#history tbody tr[data-key="t3.new_received.other_org"]')
    assert row.locator("td.decision").inner_text() == "原文如此"
    assert col_label("2019", "t3.new_received.other_org") in row.inner_text()
    # Times in the office's zone (Asia/Shanghai by default), not UTC.
    at = _query(
        site,
        "select at from correction where field_id = ?",
        _field_id(site, report, "t3.new_received.other_org"),
    )
    stored = datetime.fromisoformat(str(at[0][0])).replace(tzinfo=UTC)
    assert row.locator("td").first.inner_text() == stored.astimezone(ZoneInfo("Asia/Shanghai")).strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    assert "时间（Asia/Shanghai）" in page.inner_text("#history thead")


def test_as_printed_on_a_real_inconsistency_keeps_the_check_failed(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    """hzq2023_working.pdf prints 行政复议 10 | 1 | 0 | 0 | 总计 0. 'As printed' on the total keeps 0, keeps
    t4.sum (review) failed and marks it the document's own; its other cells still need a look."""
    report = site.reports["hzq"]
    sign_in(page, site)
    page.goto(f"{site.url}/review?report={report}")
    _open_in_queue(page, "t4.review.total")
    assert page.locator(".detail img.crop").count() == 1  # the PDF page crop beside the decision
    assert "t4.sum" in page.inner_text(".detail dd.rule")
    Keyboard(page).press("a")
    assert _decisions(site, report, "t4.review.total") == [("as_printed", "0", "0", "", "olga")]
    check = _query(
        site,
        "select ok, document_inconsistent from checkresult where report_id = ? and rule = 't4.sum' "
        "and scope = 'review'",
        report,
    )
    assert check == [(0, 1)]

    page.goto(f"{site.url}/reports/{report}")
    assert page.inner_text("#checks-failed") == "2"
    review_rule = page.locator('ul.failed-rules li[data-rule="t4.sum"][data-scope="review"]')
    assert (
        "inconsistent" in str(review_rule.get_attribute("class"))
        and "文件自身不一致" in review_rule.inner_text()
    )
    other = page.locator('ul.failed-rules li[data-rule="t4.sum"][data-scope="suit_after_review"]')
    assert "inconsistent" not in str(other.get_attribute("class"))  # nobody confirmed that one yet
    total = page.locator('td.cell[data-key="t4.review.total"]')
    assert total.inner_text() == "0" and {"s-as_printed", "inconsistent"} <= set(
        str(total.get_attribute("class")).split()
    )
    assert "s-review" in str(page.locator('td.cell[data-key="t4.review.upheld"]').get_attribute("class"))
    assert page.get_attribute("#report-status", "data-status") == "needs_review"


def test_a_field_never_read_cannot_be_signed_off_blank(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    """hzq2023 does not print the 2021 sub-rows of （六）其他处理: nothing was read, no crop, no text. Enter
    and A do nothing there, a forged 'as printed' is refused; 'not printed' or a typed value decide it."""
    report = site.reports["hzq"]
    sign_in(page, site)
    page.goto(f"{site.url}/review?report={report}")
    key = "t3.other_no_correction.natural"
    _open_in_queue(page, key)
    assert page.locator("#no-evidence").is_visible() and page.locator(".never-read").is_visible()
    assert page.inner_text("#machine-value") == "—（未找到）"
    assert page.locator("#do-as_printed").count() == 0  # no button to keep a blank
    before, url = _queue_total(page), page.url
    for k in ("Enter", "a", "A"):
        page.keyboard.press(k)
    page.wait_for_timeout(300)
    assert page.url == url and _decisions(site, report, key) == []

    # The server refuses it too, whatever sends it.
    token = page.get_attribute("meta[name=csrf-token]", "content")
    field = _field_id(site, report, key)
    answer = page.request.post(
        f"{site.url}/fields/{field}/decide",
        max_redirects=0,
        form={"decision": "as_printed", "csrf_token": str(token), "here": f"/review?report={report}"},
    )
    assert answer.status == 303  # back to the same field, with the reason
    page.goto(f"{site.url}/review?report={report}")
    assert "未识别出任何内容" in page.inner_text(".flash")
    assert _decisions(site, report, key) == [] and _queue_total(page) == before

    _open_in_queue(page, key)
    Keyboard(page).press("n")
    assert _decisions(site, report, key) == [("not_printed", None, None, "", "olga")]
    assert _queue_total(page) == before - 1
    _open_in_queue(page, "t3.other_misc.natural")
    Keyboard(page).correct("0")  # or the value typed, read off the paper
    assert _decisions(site, report, "t3.other_misc.natural") == [("corrected", None, "0", "", "olga")]
    page.goto(f"{site.url}/history")
    assert page.locator(f'#history tr[data-key="{key}"] td.decision').inner_text() == "本文件未载明"
    assert (
        page.locator('#history tr[data-key="t3.other_misc.natural"] td.decision').inner_text()
        == "识别有误，已更正"
    )


def test_a_misreading_corrected_to_the_suggestion(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    """A 4 read as 12: the rules pin 4, shown as a proposal; S takes it, and the record says it was a
    correction to the suggested value. Every rule then holds."""
    report = site.reports["misread"]
    sign_in(page, site)
    page.goto(f"{site.url}/review?report={report}")
    assert _current_key(page) == MISREAD_KEY, "the cell in both failed rules comes first"
    assert page.inner_text("#machine-value") == str(MISREAD_AS) and page.inner_text("#suggested") == "4"
    assert "采用即视为更正" in page.inner_text(".detail dd.suggested")
    Keyboard(page).press("s")
    assert _decisions(site, report, MISREAD_KEY) == [("corrected", "12", "4", "suggestion taken", "olga")]
    assert page.locator("#queue-empty").is_visible()  # its row and column hold again: nothing else to look at
    page.goto(f"{site.url}/reports/{report}")
    assert page.inner_text("#checks-failed") == "0" and page.inner_text("#report-status") == "已完成"
    assert "s-corrected" in str(page.locator(f'td.cell[data-key="{MISREAD_KEY}"]').get_attribute("class"))
    page.goto(f"{site.url}/history")
    assert (
        page.locator(f'#history tr[data-key="{MISREAD_KEY}"] td.decision').inner_text()
        == "识别有误，已更正为建议值"
    )


def test_unreadable_with_u(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    report = site.reports["seed002"]
    sign_in(page, site)
    page.goto(f"{site.url}/review?report={report}")
    assert _queue_total(page) == 1
    key = _current_key(page)
    Keyboard(page).press("u")
    assert page.locator("#queue-empty").is_visible()
    page.goto(f"{site.url}/reports/{report}")
    assert page.get_attribute("#report-status", "data-status") == "done"
    page.goto(f"{site.url}/history")
    row = page.locator(f'#history tbody tr[data-key="{key}"]')
    assert row.locator("td.decision").inner_text() == "无法辨认" and "olga" in row.inner_text()


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
    rendered = Image.open(
        BytesIO(page.request.get(f"{site.url}/documents/{_doc_id(site, report)}/pages/{f.page}.png").body())
    )
    assert_crop_shows(png, f, RENDER_DPI / 72, rendered.size)
    _shot(page, "report-view-pdf.png")


def _doc_id(site: Site, report: int) -> int:
    return int(_query(site, "select document_id from report where id = ?", report)[0][0])


def test_upload_dashboard_and_export(page, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, site)
    drop = tmp_path / "某局2023年报.txt"
    drop.write_text("政府信息公开工作年度报告\n", encoding="utf-8")
    page.goto(f"{site.url}/documents")
    assert page.locator("#documents tbody tr").count() == len(site.reports)
    page.set_input_files("input[name=files]", str(drop))
    with page.expect_navigation():
        page.click("form.upload button")
    assert "已放入收件箱 1 个文件" in page.inner_text(".flash")
    landed = site.data / "inbox" / "web" / "olga" / drop.name
    assert landed.read_text(encoding="utf-8") == drop.read_text(encoding="utf-8")
    assert not list(landed.parent.glob(".upload-*"))  # no half-written file left for the watcher
    page.goto(f"{site.url}/")
    assert int(page.inner_text("#backlog b")) >= 0
    assert page.inner_text('.card[data-status="needs_review"]').endswith("待复核")
    _shot(page, "dashboard.png")
    with page.expect_download() as dl:
        page.click("a[href='/export?fmt=csv']")
    text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("document_id,original_name") and "001_430d632e98a31d18.txt" in text
