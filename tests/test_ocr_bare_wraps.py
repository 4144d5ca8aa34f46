"""Rule-less tables (`rules=none`) whose value columns were lost: a label's wrapped first lines taken for
value columns, and a boundary of another section's columns run through the figures. Each on the page of
a bench document made alone and read by real Tesseract. Causes found on the tuning seeds 725001–725012
and 723001–723060."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ingest.ocr.bare_grid import _wraps
from ingest.ocr.page import ocr_pdf_page
from ingest.readers import Limits
from synth.corpus import Case, build
from tests.conftest import table_rows
from tests.test_ocr_bare_columns import _page_rows, _row


def _bench_page_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: tuple[int, str], index: int, page: int
) -> list[list[str]]:
    """A page's table rows as `bench layouts` draws the scan (every knob drawn from the seed)."""
    return _page_rows(tmp_path, monkeypatch, "", case, index, page, mixed_pages=False)


@pytest.mark.slow
def test_a_labels_wrapped_enumerators_are_no_value_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 725009 (宋体 13 pt, 300 dpi, 1-bit, upside down, widths even, sub-labels missing): on t3's
    # continuation page the group labels' enumerators （四） | （五） and the sub-labels 1.申请 | 2.申请
    # are number-shaped and stand at column steps, so they passed for the first value columns; the 自然人
    # column was then taken for a label column and read as one tall cell, 000110091251000.
    rows = _bench_page_rows(tmp_path, monkeypatch, (725009, "2021"), 8, 3)
    assert not any("0001100" in text for row in rows for text in row)
    assert _row(rows, "无法提")[-7:] == ["9", "0", "1", "0", "0", "0", "10"]
    assert _row(rows, "不予处")[-7:] == ["5", "0", "0", "0", "0", "0", "5"]
    naturals = [row[-7] for row in rows if len(row) >= 8]
    assert naturals == ["0", "0", "0", "1", "1", "0", "0", "9", "1", "2", "5", "1", "0", "0", "0", "2", "0"]


@pytest.mark.slow
def test_a_short_sections_cut_does_not_move_a_value_columns_boundary_into_its_figures(tmp_path: Path) -> None:
    # Seed 723017 (a text PDF whose page 2 is a scan; 楷体 12 pt, right-aligned values, widths even):
    # t2's last rows (行政强制 … 0) vote their cut midway across their wide blank, 13 px left of the cut
    # after a t3 column's flush-right figures. The first of two close cuts was taken for both: it ran
    # through t3's figures, and two value columns of every row read as one cell (00): 49 fields lost.
    pdf = build([Case(723017, "2021", "pdf", "simplified", True)], tmp_path)[0].path
    page = ocr_pdf_page(pdf, 2, Limits())
    rows = table_rows(page)
    assert not any(text == "00" for row in rows for text in row)
    assert _row(rows, "本年新收")[-7:] == ["3", "0", "0", "0", "0", "8", "11"]
    assert _row(rows, "予以公开")[-7:] == ["2", "0", "0", "0", "0", "2", "4"]


@pytest.mark.slow
def test_a_numbered_heading_between_two_tables_parts_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 725005 (楷体 12 pt, 200 dpi, skewed, align left): 三、收到和处理政府信息公开申请情况 between
    # t2's last sections and t3 broke at the blank after 三、 into a short run and a long one, was no
    # heading set apart, and t2's tail and t3 made one table; t2's columns of figures, left of t3's
    # first value column, were read as label columns (行政许可 | O15 down two rows): 8 t2 fields lost.
    rows = _bench_page_rows(tmp_path, monkeypatch, (725005, "2019"), 4, 2)
    assert _row(rows, "行政许可")[-3:] == ["0", "9", "0"]
    assert _row(rows, "其他对外管理服务事项")[-3:] == ["15", "0", "0"]
    assert _row(rows, "行政处罚")[-3:] == ["23", "12", "0"]
    assert _row(rows, "行政强制")[-3:] == ["0", "5", "0"]


@pytest.mark.slow
def test_an_amount_close_to_its_label_is_a_table_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Seed 725009 (宋体 13 pt, 300 dpi, 1-bit): 行政事业性收费 … 631.74, the amount 0.43 in wide and
    # 0.49 in from its label, neither a count close to its label nor an amount far from it: no table
    # line, the fee section was left out of t2 and the fee lost.
    rows = _bench_page_rows(tmp_path, monkeypatch, (725009, "2021"), 8, 2)
    assert [t for t in _row(rows, "行政事业性收费") if t] == ["行政事业性收费", "631.74"]


def _glyphs(ink: np.ndarray, y: int, x0: int, x1: int) -> None:
    """Square glyphs (outlined boxes 30 px a side, 4 px apart) from x0 to x1 on the line at y."""
    for x in range(x0, x1 - 29, 34):
        ink[y : y + 30, x : x + 30] = 255
        ink[y + 4 : y + 26, x + 4 : x + 26] = 0


def test_a_centred_heading_under_a_figure_is_no_wrapped_label() -> None:
    # A label's first line goes on below in the same narrow column; a section heading centred under t2's
    # figures (第二十条第（五）项 under a section's last row) is wide, and leaves the figure a figure.
    ppi = 200.0
    ink = np.zeros((120, 800), np.uint8)
    ink[10:40, 300:314] = 255  # a figure's stroke, 14 px wide
    _glyphs(ink, 60, 290, 354)  # two characters under it: its label going on
    assert _wraps(ink, [(60, 90, [(290, 354)])], (300, 314), ppi)
    ink[60:90] = 0
    _glyphs(ink, 60, 150, 558)  # twelve: a heading far wider than the figure
    assert not _wraps(ink, [(60, 90, [(150, 558)])], (300, 314), ppi)
