"""Tables printed with horizontal rules only, as WPS and many portals print them (issue 10, session 11,
branch s11-hrules, tuning seeds 727001–727080 with `rules=horizontal,font=楷体,size=10` pinned), each
cause read by real Tesseract on the synth scan it was found on."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import Page, Table
from synth.corpus import Case
from tests.conftest import KnobPage, knob_scan_page

KAI_10 = "rules=horizontal,font=楷体,size=10"


def _tables(page: Page) -> list[Table]:
    return [b for b in page.blocks if isinstance(b, Table)]


def _bench_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, knobs: str, case: Case, index: int, number: int
) -> list[Table]:
    """The tables of page `number` of the `index`-th scan of a `bench layouts --scans N` run with `knobs`
    pinned, made alone."""
    return _tables(knob_scan_page(tmp_path, monkeypatch, knobs, case, index, number))


def _rows(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows()]


def _chromium_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: Case, index: int, page: int
) -> list[list[str]]:
    """The non-empty cell texts of each table row on one page of a Chromium-printed, horizontal-rule scan
    (`renderer=chromium,rules=horizontal` pinned, the rest drawn from the case's seed)."""
    knobs = "renderer=chromium,rules=horizontal"
    tables = _bench_page(tmp_path, monkeypatch, knobs, case, index, page)
    return [[x for x in r if x] for t in tables for r in _rows(t)]


def test_specks_beside_t4s_left_aligned_figures_leave_its_columns(knob_page: KnobPage) -> None:
    # Seed 727013 (楷体 10 pt, 300 dpi, landscape, align=left): t4's rule under 未经复议直接起诉 starts
    # inside the table, so a blank strip left of it is a column only where the last row has values both
    # sides of it. Two 2-px specks of scan noise sat in the blanks after t4's first two zeros: no
    # column there, 0 0 0 read as one cell "000" (taken for a label), and t4 went to review, three
    # fields lost.
    tables = _tables(knob_page(KAI_10, 727013, 3))
    t4 = next(t for t in tables if any("行政复议" in c.text for c in t.cells))
    assert [x for x in _rows(t4)[-1] if x] == ["0"] * 15


def test_a_clear_label_both_layouts_read_as_nothing_is_read_as_a_raw_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 727009 (the ninth of `--scans 16 --seed 727001`; 楷体 10 pt, 300 dpi, grey): t2's 政府集中采购 is a clear line that Tesseract's block
    # and single-line layouts (psm 6, 7) read as nothing at every scale and padding; the row lost its
    # label, its place was unconfirmed, and procurement.count was lost.
    case = Case(727009, "2019", "pdf", "simplified", varied=True)
    tables = _bench_page(tmp_path, monkeypatch, KAI_10, case, 8, 2)
    rows = [r for t in tables for r in _rows(t) if "6" in r]
    assert [r[0] for r in rows] == ["政府集中采购"], rows


def test_a_label_line_past_the_middle_of_the_first_value_column_leaves_its_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 727024 (the eighth of `--scans 16 --seed 727017` with 9 pt, bilevel pinned; 300 dpi,
    # align=right, widths=wide_label): the first line of (二)部分公开（区分处理的，只计这一情形，不计 runs
    # past the cut voted between the short labels and the figures, to 0.6 of 自然人's column, and its
    # figure 1 stands at that column's right end. The line was taken to run on into the figure, the
    # label cell took the 1, and the row had 6 cells for 7 columns (partial.natural lost).
    case = Case(727024, "2019", "pdf", "traditional", varied=True)
    knobs = "rules=horizontal,font=楷体,size=9,colour=bilevel"
    tables = _bench_page(tmp_path, monkeypatch, knobs, case, 7, 2)
    rows = [r for t in tables for r in _rows(t) if any("部分公" in x for x in r)]
    assert [[x for x in r if x][1:] for r in rows] == [["1", "0", "0", "0", "0", "0", "1"]], rows


def test_chromium_rows_beyond_the_rules_of_a_carried_table_are_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 735005 (the fifth of `--scans 10 --seed 735001`, renderer=chromium,rules=horizontal pinned;
    # 楷体 11 pt, 300 dpi, grey): CSS draws each row's bottom border, so t3 carried onto page 3 opens
    # with 2.没有现成信息需要另行制作 and no rule over it, and the rules under the next group labels start
    # further left than that row's, each group a stack of its own: the first row was lost, and
    # （七）总计, between two stacks, was read as a prose line (t3.total lost).
    rows = _chromium_rows(
        tmp_path, monkeypatch, Case(735005, "2019", "html", "simplified", varied=True), 4, 3
    )
    firsts = [r for r in rows if any("另行制作" in x for x in r)]
    totals = [r for r in rows if any("总计" in x for x in r) and len(r) == 8]
    assert [r[-7:] for r in firsts] == [["0"] * 7], rows
    assert [r[-7:] for r in totals] == [["0", "0", "0", "0", "0", "1", "1"]], rows


def test_a_group_label_close_to_its_sub_labels_leaves_them_their_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 735104 (the fourth of `--scans 8 --seed 735101`, renderer=chromium,rules=horizontal pinned;
    # 黑体 10 pt, 150 dpi, 1 bit, skewed, traditional): Chromium pads a cell by a pixel or two, so
    # （三）不予公開 ended 0.09 in left of its sub-labels, and one run of ink over the column cut where
    # the sub-rows' rules start joined the group's eight sub-labels into one cell: their rows lost their
    # labels, t3.total was taken for another row, and the report's own inconsistency in it was not seen.
    rows = _chromium_rows(
        tmp_path, monkeypatch, Case(735104, "2019", "html", "traditional", varied=True), 3, 2
    )
    subs = [r for r in rows if len(r) >= 8 and r[-8][:2] in {f"{n}." for n in "12345678"}]
    assert len(subs) >= 15, rows  # (三)'s eight, (四)'s three, (五)'s five: each its own label


def test_chromium_rows_of_a_narrow_label_column_in_large_type_are_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 741011 (the eleventh of `--scans 12 --seed 741001`, renderer=chromium,rules=horizontal pinned;
    # 楷体 12 pt, 1 bit, upside down, header two_rows, t3 broken over pages): t3's labels wrap four
    # characters a line. Page 3 ends with 4.保护第三方 under the last rule, its figures on its first line:
    # the short sub-label 4.保护 stood alone in its column and was counted as a figure, so the row seemed
    # to have no label and was dropped. Page 6 holds (六)1.申请人无正当理由逾期不补正… over eleven lines
    # between two rules 4.3 in apart, more than a gap within one table may be: the two rules were no
    # table, and the page's three rows were lost or cut line by line (four rows lost, 125 fields in review).
    case = Case(741011, "2021", "html", "simplified", varied=True)
    page3 = _chromium_rows(tmp_path, monkeypatch, case, 10, 3)
    third = [r for r in page3 if any("第三方" in x for x in r) and r[-7:] == ["0"] * 7]
    assert len(third) == 1, "|".join(" ".join(r) for r in page3)
    page6 = _chromium_rows(tmp_path, monkeypatch, case, 10, 6)
    assert [r[-7:] for r in page6 if len(r) >= 8] == [["0"] * 7] * 3, page6


def test_chromium_sub_rows_without_sub_labels_keep_their_first_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 743012 (the twelfth of `--scans 12 --seed 743001`, renderer=chromium,rules=horizontal pinned;
    # 宋体 14 pt, landscape, t3's sub-labels not printed): page 3 opens with (四)无法提供's second sub-row,
    # 0 0 0 0 0 0 0 with no label and no rule over it, which was dropped as unlabelled; and the column
    # cut voted halfway across the blank between the group labels and 自然人 let the few sub-labels
    # printed (1.申请人无正当理由逾期不补正…) run into 自然人's cell and take its figure.
    knobs = "renderer=chromium,rules=horizontal"
    case = Case(743012, "2021", "html", "simplified", varied=True)
    tables = _bench_page(tmp_path, monkeypatch, knobs, case, 11, 3)
    rows = [[x for x in r if x] for r in _rows(tables[0])]
    assert rows[0] == ["0"] * 7, rows
    assert rows[1] == ["1", "0", "0", "0", "0", "0", "1"], rows
    labelled = [r for r in rows if any("申请人" in x for x in r)]
    assert [r[-7:] for r in labelled] == [["0"] * 7] * 2, rows


def test_chromium_labels_filling_their_cells_leave_left_aligned_figures_their_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 795004 (the fourth of `--scans 10 --seed 795001`, rules=horizontal pinned; Chromium, values
    # left-aligned, 150 dpi): a label that fills its cell ends two cell paddings (0.09 in) left of the
    # figure at its neighbour's left, closer than two cells' text is taken to be apart. The first value
    # column's edge, mirrored from the gap between the first two figure columns, fell inside the labels,
    # and the rows of (六)其他处理 read their first figure into the label: 6 cells for 7 columns.
    knobs = "renderer=chromium,rules=horizontal"
    case = Case(795004, "2021", "html", "simplified", varied=True)
    t3 = [[x for x in r if x] for r in _rows(_bench_page(tmp_path, monkeypatch, knobs, case, 3, 4)[0])]
    total = ["7", "0", "0", "0", "0", "0", "7"]
    assert [r[-7:] for r in t3] == [["0"] * 7] * 8 + [total, ["0"] * 7], t3
    assert not any(x[-1].isdigit() for r in t3 for x in r[:-7]), t3


def test_a_group_heading_over_left_aligned_column_titles_cuts_no_title(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 796002 (the second of `--scans 12 --seed 796001`, renderer=chromium,align=left pinned; 仿宋
    # 11 pt, horizontal rules, 300 dpi, 1 bit): t4's column titles fill their cells and its figures stand
    # at their cells' left, so 尚未审结 ran on past its figure where 复议后起诉, the heading of the row
    # above, begins. Voting with the titles and the figures, the heading row inked that strip, and a cut
    # fell through the title between the two: the figures row read 16 cells for 15 columns, t4 in review.
    knobs = "renderer=chromium,align=left"
    case = Case(796002, "2021", "html", "simplified", varied=True)
    tables = _bench_page(tmp_path, monkeypatch, knobs, case, 1, 3)
    t4 = next(t for t in tables if any("行政复议" in c.text for c in t.cells))
    assert _rows(t4)[-1] == ["2", "0", "1", "1", "4"] + ["0"] * 10, _rows(t4)


def test_header_words_at_their_cells_left_do_not_cut_a_lone_row_of_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 795004 again, page 2: t3 starts at the page's foot, its header and one row, 一、本年新收….
    # The header's words stand at their cells' left, 0.09 in apart (one run to the column vote), and
    # with one row of figures to vote against them the five organisations' columns were one strip: the
    # row read 一、本年新收政府信息公开申请数量7 | 00000 | 7.
    case = Case(795004, "2021", "html", "simplified", varied=True)
    rows = _chromium_rows(tmp_path, monkeypatch, case, 3, 2)
    new = [r for r in rows if any("本年新收" in x for x in r)]
    assert [r[1:] for r in new] == [["7", "0", "0", "0", "0", "0", "7"]], rows
    assert new[0][0].endswith("申请数量"), rows
