"""A real report through the scan route: tests/fixtures/real/hzq2023_working.pdf (洪泽区人民政府 2023, made
by WPS: tables with horizontal rules only, 三、本年度办理结果 printed one character per line, t3 running over
two pages without its header, its own t4 inconsistency) rendered to page images as a scanner would give
them, read by Tesseract and scored against the hand-checked truth of the PDF.

No generator drew this layout, so it checks the OCR route on something it was never tuned on. The floors
are what the route reads today (2026-11-30: 207 of 208 fields right — 洪泽 read as 洪译, in review — and 44 in
review, 21 of them the 2021 sub-rows of （六） that this report does not print); the one bar that never moves is that no wrong value is `ok`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.pipeline import extract
from synth.scoring import score

pytestmark = pytest.mark.slow

REAL = Path(__file__).parent / "fixtures" / "real"
DPI = 200


def _scan(pdf: Path, out: Path) -> Path:
    """Every page at 200 dpi in 8-bit grey, as one multi-page TIFF (what an office scanner files)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        pages = [page.render(scale=DPI / 72, grayscale=True).to_pil() for page in document]
    finally:
        document.close()
    pages[0].save(out, save_all=True, append_images=pages[1:], compression="tiff_lzw", dpi=(DPI, DPI))
    return out


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tif = _scan(REAL / "hzq2023_working.pdf", tmp_path_factory.mktemp("real-scan") / "hzq2023_scan.tif")
    expected = json.loads((REAL / "hzq2023_working.expected.json").read_text(encoding="utf-8"))
    record = extract(tif).to_json()
    return score(record, expected), record


def test_a_real_wps_report_scanned_has_no_silent_error(scanned) -> None:  # type: ignore[no-untyped-def]
    result, record = scanned
    assert record["error"] is None and record["source"]["format"] == "image"
    assert not result.silent, result.silent
    assert not result.must_flag_missed, result.must_flag_missed  # its t4 totals that do not add up


def test_a_real_wps_report_scanned_reads_its_tables(scanned) -> None:  # type: ignore[no-untyped-def]
    result, record = scanned
    in_review = sum(1 for f in record["fields"].values() if f.get("status") == "review")
    assert result.correct >= 206, result.wrong
    assert in_review <= 48
    agency = record["meta"]["agency"]
    # Its title line is read either way (泽 as 译 in pdfium's rendering): an unknown place is for review.
    assert agency["value"] == "洪泽区人民政府" or agency["status"] == "review"
