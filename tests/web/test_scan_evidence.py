"""A real scanned page (upside down, skewed, noisy) read by the real OCR route: its crops come from the
cleaned, upright page image the OCR route saved, in that image's pixels."""

from __future__ import annotations

import json
import sqlite3
from io import BytesIO
from pathlib import Path

from PIL import Image

from tests.web.conftest import Site, sign_in
from tests.web.crops import assert_crop_shows, widest_number


def _document(site: Site, report: int) -> tuple[int, str, list[dict]]:
    with sqlite3.connect(site.data / "ingest.sqlite") as db:
        row = db.execute(
            "select d.id, d.format, d.page_images from document d join report r "
            "on r.document_id = d.id where r.id = ?",
            (report,),
        ).fetchone()
    return int(row[0]), str(row[1]), json.loads(row[2])


def test_scanned_page_is_stored_with_its_cleaned_image(site: Site) -> None:
    _doc_id, fmt, pages = _document(site, site.reports["scan"])
    assert fmt == "image" and len(pages) == 1
    info = pages[0]
    assert info["unit"] == "px" and info["page"] == 1
    image = Path(info["image"])
    assert image.is_file() and image.parent == site.data / "ocr-pages"
    with Image.open(image) as im:
        assert im.size == (int(info["width"]), int(info["height"]))
    f = widest_number(site.data / "ingest.sqlite", site.reports["scan"])
    assert f.method.startswith("ocr") and f.page == 1


def test_scanned_page_crop_in_the_browser(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    report = site.reports["scan"]
    doc_id, _fmt, pages = _document(site, report)
    f = widest_number(site.data / "ingest.sqlite", report)
    sign_in(page, site)
    page.goto(f"{site.url}/reports/{report}")
    page.locator(f'td.cell[data-key="{f.key}"]').click()
    crop = page.wait_for_selector("#panel img.crop")
    page.wait_for_function("img => img.complete", arg=crop)
    assert int(page.evaluate("img => img.naturalWidth", crop)) > 50, "the crop image did not load"

    # The page image beside the report is the cleaned, upright page the boxes belong to, not the scan.
    res = page.request.get(f"{site.url}/documents/{doc_id}/pages/1.png")
    assert res.ok and res.headers["content-type"] == "image/jpeg"
    assert res.body() == Path(pages[0]["image"]).read_bytes()
    cleaned = Image.open(BytesIO(res.body()))
    png = page.request.get(f"{site.url}/fields/{f.id}/crop.png").body()
    assert_crop_shows(png, f, 1.0, cleaned.size)  # pixels, scale 1: not PDF points
