"""The OCR route on real renders: python-docx → LibreOffice PDF → raster → scan faults → Tesseract.

One small document is rendered once per session (LibreOffice ~5 s); each test reads one page (~1–3 s).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ingest.document import Table
from ingest.ocr import ocr_image, ocr_pdf_page
from ingest.readers import Limits, reader_for
from synth.scan import ScanFaults, docx_to_pdf, rasterize, sample_docx, scan_pages, write_scan

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice renders the test pages")


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    d = tmp_path_factory.mktemp("ocr")
    numbers = sample_docx(d / "sample.docx", seed=7)
    return docx_to_pdf(d / "sample.docx", d), numbers


@pytest.fixture(scope="session")
def page200(rendered: tuple[Path, dict[str, list[str]]]) -> Image.Image:
    return rasterize(rendered[0], 200)[0]


def _tables(page) -> list[Table]:  # type: ignore[no-untyped-def]
    return list(page.tables())


def _numbers(table: Table, first_row: int, first_col: int) -> list[tuple[str, float]]:
    return [
        (c.text, c.conf)
        for c in sorted(table.cells, key=lambda c: (c.row, c.col))
        if c.row >= first_row and c.col >= first_col
    ]


def test_grid_and_spans_on_clean_render(
    page200: Image.Image, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path))  # the evidence image is kept only with a data dir
    page = ocr_image(page200, 1)
    t4, t3 = _tables(page)
    assert (t4.n_rows, t4.n_cols) == (4, 15)
    spans4 = {(c.row, c.col): (c.rowspan, c.colspan) for c in t4.cells}
    assert spans4[(0, 0)] == (1, 5) and spans4[(0, 5)] == (1, 10)
    assert spans4[(1, 0)] == (2, 1) and spans4[(1, 5)] == (1, 5) and spans4[(1, 10)] == (1, 5)
    assert len(t4.cells) == 2 + 5 + 2 + 10 + 15
    assert (t3.n_rows, t3.n_cols) == (9, 10)
    spans3 = {(c.row, c.col): (c.rowspan, c.colspan) for c in t3.cells if (c.rowspan, c.colspan) != (1, 1)}
    assert spans3 == {
        (0, 0): (2, 3),
        (0, 3): (1, 7),
        (2, 0): (1, 3),
        (3, 0): (1, 3),
        (4, 0): (5, 1),
        (4, 1): (1, 2),
        (5, 1): (4, 1),
    }
    labels = {c.text for c in t3.cells}
    assert "自然人" in labels and "申请人情况" in labels
    assert page.image_path and Path(page.image_path).parent == tmp_path / "ocr-pages"
    x0, y0, x1, y1 = t4.cells[0].bbox
    assert 0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height


def _assert_digits(table: Table, truth: list[str], first_row: int, first_col: int, min_right: float) -> None:
    read = _numbers(table, first_row, first_col)
    assert len(read) == len(truth)
    right = sum(t == r for (r, _), t in zip(read, truth, strict=True))
    # The promise that matters: a wrong reading is never confident.
    silent = [(r, c, t) for (r, c), t in zip(read, truth, strict=True) if r != t and c >= 0.9]
    assert not silent
    assert right >= min_right * len(truth)


def test_digits_on_noisy_skewed_scan(rendered, page200: Image.Image) -> None:  # type: ignore[no-untyped-def]
    faults = ScanFaults(skew=2.0, noise=10, blur=0.7, jpeg_quality=50, seal_pages=())
    scanned = scan_pages([page200], faults, seed=3)[0]
    assert abs(scanned.skew) > 0.5
    t4, t3 = _tables(ocr_image(scanned.image, 1))
    _assert_digits(t4, rendered[1]["t4"], 3, 0, 1.0)
    _assert_digits(t3, rendered[1]["t3"], 2, 3, 0.95)


def test_red_seal_over_cells_keeps_digits(rendered, page200: Image.Image) -> None:  # type: ignore[no-untyped-def]
    faults = ScanFaults(skew=0.5, seal_pages=(0,), seal_over_cells=True)
    scanned = scan_pages([page200], faults, seed=5)[0]
    rgb = np.asarray(scanned.image)
    assert ((rgb[..., 0].astype(int) - rgb[..., 1]) > 80).sum() > 2000  # the seal is really there
    t3 = _tables(ocr_image(scanned.image, 1))[1]
    assert (t3.n_rows, t3.n_cols) == (9, 10)
    _assert_digits(t3, rendered[1]["t3"], 2, 3, 0.9)


def test_upside_down_and_sideways_pages_are_turned(page200: Image.Image) -> None:
    small = page200.resize((page200.width * 3 // 4, page200.height * 3 // 4))
    for turn in (180, 90):
        page = ocr_image(small.rotate(turn, expand=True), 1)
        assert page.width < page.height  # upright portrait again
        assert any("审计局" in line.text for line in page.lines())


def test_image_only_pdf_page_and_tiff_reader(rendered, page200: Image.Image, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scanned = scan_pages([page200], ScanFaults(skew=1.0, seal_pages=()), seed=11)
    pdf = write_scan(scanned, tmp_path / "scan.pdf")[0]
    page = ocr_pdf_page(pdf, 1, Limits())
    assert page.unit == "px" and page.needs_ocr
    t4 = _tables(page)[0]
    assert [c.text for c in _numbers_cells(t4)] == rendered[1]["t4"]
    tif = write_scan(scanned * 2, tmp_path / "scan.tif")[0]
    doc = reader_for("image")(tif, Limits())
    assert doc.format == "image" and len(doc.pages) == 2


def _numbers_cells(table: Table) -> list:  # type: ignore[type-arg]
    return sorted((c for c in table.cells if c.row == 3), key=lambda c: c.col)


def test_whole_scanned_reports_have_no_silent_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two generated reports (both templates), scanned with hard cases — a landscape page stored sideways
    and seals stamped over table cells on every page — read end to end with real Tesseract."""
    from ingest.pipeline import extract
    from synth.scanned import make_scanned_corpus
    from synth.scoring import score

    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path / "data"))
    items = make_scanned_corpus(tmp_path, 2, seed=910, cases=["landscape", "seal_cells"])
    assert {it.case for it in items} == {"landscape", "seal_cells"}
    for item in items:
        record = extract(item.path).to_json()
        assert record["error"] is None and record["source"]["format"] in ("pdf", "image")
        result = score(record, item.expected(), name=item.path.name)
        assert not result.silent, result.describe()
        assert not result.must_flag_missed, result.describe()
        assert result.accuracy >= 0.98, result.describe()
        ocr_pages = [p for p in record["source"]["page_images"] if p["image"]]
        assert len(ocr_pages) == item.pages and all(p["unit"] == "px" for p in ocr_pages)


def test_table_with_horizontal_rules_only(tmp_path: Path) -> None:
    """A 三线表 (rules above and under the header and at the end, none between columns): columns come
    from the white space, a one-line header is one row, values read as numbers."""
    from PIL import ImageDraw, ImageFont

    from synth.scan import FONT

    page = Image.new("RGB", (1654, 2339), "white")
    draw, font = ImageDraw.Draw(page), ImageFont.truetype(FONT, 29)
    edges = [200, 560, 860, 1160, 1460]
    rows = [
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "3", "12", "45"],
        ["规范性文件", "0", "7", "118"],
        ["行政许可", "250", "16", "64"],
    ]
    y = 300
    draw.line((180, y, 1480, y), fill="black", width=3)
    for i, row in enumerate(rows):
        for c, text in enumerate(row):
            width = draw.textlength(text, font=font)
            x = (edges[c] + edges[c + 1] - width) / 2 if c else edges[0] + 10
            draw.text((x, y + 20), text, font=font, fill="black")
        y += 60
        if i == 0:
            draw.line((180, y + 5, 1480, y + 5), fill="black", width=2)
    draw.line((180, y + 20, 1480, y + 20), fill="black", width=3)
    draw.text((200, y + 100), "三、收到和处理政府信息公开申请情况", font=font, fill="black")
    scanned = scan_pages([page], ScanFaults(skew=1.0, seal_pages=()), seed=3)[0].image
    table = _tables(ocr_image(scanned, 1))[0]
    grid = {(c.row, c.col): c.text for c in table.cells}
    assert (table.n_rows, table.n_cols) == (4, 4)
    assert [grid[(r, 0)] for r in range(4)] == ["信息内容", "规章", "规范性文件", "行政许可"]
    assert [grid[(r, c)] for r in range(1, 4) for c in range(1, 4)] == [
        v for row in rows[1:] for v in row[1:]
    ]
