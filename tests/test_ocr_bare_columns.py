"""Rule-less tables (`rules=none`) whose value columns were cut wrong: stray columns beside the figures,
a value column taken for labels. Each on a page of a bench scan made alone (`bench layouts --docs 0
--scans N --seed S` with the knobs pinned as below) and read by real Tesseract. Causes found on the
tuning seeds 721001–721060."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.pipeline import extract
from synth.corpus import Case
from tests.conftest import KnobScan, knob_scan_page, table_rows

# Example (b) of the held-out misses: 宋体 11 pt, vertical labels, t3 broken by force, 200 dpi, colour.
SMALL_VERTICAL = (
    "rules=none,vlabel=vertical,header_repeat=no,t3_break=forced,font=宋体,size=11,spacing=exact28,"
    "dpi=200,colour=colour,rotation=landscape"
)
# Example (a): 宋体 14 pt, skewed, 200 dpi, colour.
LARGE_SKEWED = "rules=none,font=宋体,size=14,colour=colour,rotation=skew2,dpi=200"


def _page_rows(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    knobs: str,
    case: tuple[int, str],
    index: int,
    page: int,
    mixed_pages: bool = True,
    fmt: str = "pdf",
    script: str = "simplified",
) -> list[list[str]]:
    """The rows (cell texts) of the tables on one page of the `index`-th scan of `bench layouts --docs 0
    --scans N --seed S` (its case: seed S + index and template), made alone. `mixed_pages=False` makes it
    as the bench does (the native PDF scanned whole, no page of it scanned before); the tests here were
    found on the default. A Chromium-printed scan is of the report's HTML (`fmt="html"`)."""
    case_ = Case(case[0], case[1], fmt, script, True)
    read = knob_scan_page(tmp_path, monkeypatch, knobs, case_, index, page, mixed_pages=mixed_pages)
    return table_rows(read)


def _row(rows: list[list[str]], label: str) -> list[str]:
    return next(r for r in rows if any(label in text for text in r))


@pytest.mark.slow
def test_header_words_over_flush_left_figures_cut_no_value_column_in_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 721042 (widths even, align left): t3's centred header words 商业企 | 科研机 | 社会公 passed
    # for numbers and, beside the wide 第三项加第四项之和), for a row of values; a cut between each two
    # of them split every value column in two: 0 | 0 | 0 |  | 2 | 2 | 1 |  | 5, 44 fields in review.
    rows = _page_rows(tmp_path, monkeypatch, SMALL_VERTICAL, (721042, "2021"), 2, 2)
    carried = _row(rows, "上年结转")
    assert carried[carried.index(next(t for t in carried if "上年结转" in t)) + 1 :] == list("0002215")


@pytest.mark.slow
def test_a_centred_section_heading_does_not_make_a_value_column_a_label_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 721043: t2's headings 第二十条第（一）项 break at their brackets into three runs, a table
    # line, whose wide 第二十条第 in the first value column outvoted the two rows of figures there: the
    # column was taken for labels, and 规章's 2 over 行政规范性文件's 2 for a vertical label, one cell.
    rows = _page_rows(tmp_path, monkeypatch, SMALL_VERTICAL, (721043, "2021"), 3, 2)
    assert _row(rows, "规章")[-3:] == ["2", "12", "28"]
    assert _row(rows, "行政规范性文件")[-3:] == ["2", "0", "53"]


@pytest.mark.slow
def test_header_words_as_tall_as_the_labels_are_no_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 721032 (14 pt, align left, header wrapped): bold 本年增 | 处理 pass for numbers by their
    # shape, so 信息内容 | 上一年 | 本年增 | 处理 was a row of values, its words columns of numbers, and
    # every t2 column was cut in two (figures | header words). Figures are shorter than Chinese text.
    rows = _page_rows(tmp_path, monkeypatch, LARGE_SKEWED, (721032, "2019"), 2, 2)
    assert _row(rows, "行政许可") == ["行政许可", "18", "0", "0"]
    assert _row(rows, "行政强制") == ["行政强制", "0", "0", "123"]


@pytest.mark.slow
def test_t4_values_carried_alone_onto_a_page_are_a_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 721027 (宋体 14 pt, 300 dpi, landscape): t4's header ends page 3, its one row of fifteen
    # values opens page 4. One line with no header was no table, and t4 was not read (15 fields).
    rows = _page_rows(tmp_path, monkeypatch, "rules=none", (721027, "2021"), 7, 4)
    assert ["0"] * 15 in rows


@pytest.mark.slow
def test_an_amount_far_right_of_its_label_is_a_table_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 721031 (14 pt, skewed): 行政 … 860.56 (its label wrapped, 事业性收费 below) — the amount is
    # 0.45 in wide, no count, so the line was no table line: t2 ended above it and the fee was lost.
    rows = _page_rows(tmp_path, monkeypatch, LARGE_SKEWED, (721031, "2021"), 1, 2)
    fee = _row(rows, "事业性收费")
    assert fee[-1] == "860.56"


@pytest.mark.slow
def test_t4s_label_less_values_keep_their_cuts(knob_scan: KnobScan) -> None:
    # Check seed 721102 (仿宋 11 pt): one of t4's figures ran over a cut voted from its header, and the
    # header-word guard (`_crosses_cut`, for labelled lines) took the row's cuts away: 0|0|0|000|…, all of
    # t4 in review. t4's line of values has no label and keeps its cuts.
    scan = knob_scan("rules=none", 721102)
    truth = json.loads(scan.expected_path.read_text(encoding="utf-8"))["fields"]
    fields = extract(scan.path).fields
    t4 = [k for k in truth if k.startswith("t4.")]
    assert [fields[k].value for k in t4] == [truth[k] for k in t4]
    assert sum(fields[k].status == "ok" for k in t4) >= 12


# Chromium prints the HTML report, values at their cells' left (the tuning seeds 796001–796012).
CHROMIUM_LEFT = "renderer=chromium,align=left"


@pytest.mark.slow
def test_a_lone_row_of_figures_is_not_outvoted_by_the_header_words_over_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # synth_796011 (the eleventh scan of `--seed 796001`: 宋体 12 pt, 28 pt spacing, rules none, 300
    # dpi, grey), page 2: t3's header and its first row alone at the page's foot, the figures centred
    # on the label's two lines (一、本年新收政府信息公開 / 0 1 0 0 4 3 7 / 申請數量). The header words,
    # centred in their cells over the figures set at the cells' left, voted the columns three lines to
    # one: the first figure fell in the label's cell, and the row read 5 cells for 7 columns (six
    # fields wrong or lost, in review).
    case = Case(796011, "2021", "html", "traditional", True)
    rows = table_rows(knob_scan_page(tmp_path, monkeypatch, CHROMIUM_LEFT, case, 10, 2))
    row = _row(rows, "本年新收")
    assert row[-7:] == ["0", "1", "0", "0", "4", "3", "7"]
    assert len(row) == 8


@pytest.mark.slow
def test_a_sections_one_value_close_to_its_label_outvoted_by_its_header_is_a_cell_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # synth_796010 (黑体 10 pt, 200 dpi, 1-bit, skewed), page 1: t2's last section, 信息内容 | 本年收费
    # 金额(单位： / 萬元) over 行政事业性收费 … 0, the 0 at its cell's left. The header's three runs
    # outvoted the row's two, its cuts fell between the header's words, and the row read as one cell
    # (行政事业性收费0: t2.fees.amount lost).
    case = Case(796010, "2021", "html", "traditional", True)
    rows = table_rows(knob_scan_page(tmp_path, monkeypatch, CHROMIUM_LEFT, case, 9, 1))
    fee = _row(rows, "事业性")
    assert not any(ch.isdigit() for ch in fee[0])
    assert "0" in fee[1:]
