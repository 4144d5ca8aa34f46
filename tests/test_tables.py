"""Unit tests of the `tables` stage's row finder (ingest/tables.py) on token streams built here: rows by
label, by position after a lost label, a run holding two rows, a short row, and t4's one row."""

from __future__ import annotations

from ingest.tables import CUT_VALUE, read_rows, read_t4
from ingest.templates import load_template
from ingest.tokens import Token
from ingest.values import cell_kind

T2021 = load_template("2021")
T2019 = load_template("2019")
GRANTED = ["3", "1", "0", "0", "0", "0", "4"]
PARTIAL = ["1", "0", "0", "0", "0", "0", "1"]


def _stream(rows: list[list[str | None]]) -> list[Token]:
    """One token per printed cell; cells of one list share a row id, as a table grid gives them. None: a
    cell the grid lost (no token; the next cell still stands in its own column)."""
    tokens = []
    for row_id, cells in enumerate(rows, start=1):
        for col, text in enumerate(cells):
            if text is None:
                continue
            box = (col * 50.0, row_id * 20.0, col * 50.0 + 40, row_id * 20.0 + 15)
            tokens.append(Token(text, cell_kind(text), 1, box, 0.99, "test", row_id, True))
    return tokens


def _values(reading: object) -> list[str | None]:
    return [c.text if c is not None else None for c in reading.cells]  # type: ignore[attr-defined]


def test_rows_are_found_by_their_labels() -> None:
    found = read_rows(
        _stream(
            [
                ["（一）予以公开", *GRANTED],
                ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", *PARTIAL],
            ]
        ),
        T2021,
    )
    assert _values(found["t3.granted"]) == GRANTED and found["t3.granted"].how == "label"
    assert _values(found["t3.partial"]) == PARTIAL and found["t3.partial"].how == "label"
    assert found["t3.granted"].anomaly is None


def test_a_row_whose_label_was_lost_is_placed_by_position_and_says_so() -> None:
    found = read_rows(_stream([["（一）予以公开", *GRANTED], ["", *PARTIAL]]), T2021)
    assert _values(found["t3.partial"]) == PARTIAL
    assert found["t3.partial"].how == "position"


def test_a_run_of_two_rows_under_one_label_is_split_by_the_column_count() -> None:
    found = read_rows(_stream([["（一）予以公开"], [*GRANTED, *PARTIAL]]), T2021)
    assert _values(found["t3.granted"]) == GRANTED
    assert _values(found["t3.partial"]) == PARTIAL and found["t3.partial"].how == "position"


def test_a_short_row_is_an_anomaly_never_a_silent_shift() -> None:
    found = read_rows(_stream([["（一）予以公开", *GRANTED[:-1]]]), T2021)
    reading = found["t3.granted"]
    assert reading.anomaly == "cells missing" and "6 cells for 7 columns" in " ".join(reading.reasons)
    assert _values(reading)[-1] is None  # nothing invented for the missing cell


def test_a_grid_row_short_of_a_cell_keeps_its_figures_under_their_columns() -> None:
    # Seed 725011: the wrapped label of 部分公开 swallowed the row's first figure; its six others slid
    # one column left (commercial read 0, other_org 2, total lost) and failed two columns' rules.
    label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    found = read_rows(_stream([["（一）予以公开", *GRANTED], [label, None, *PARTIAL[1:]]]), T2021)
    reading = found["t3.partial"]
    assert _values(reading) == [None, *PARTIAL[1:]]
    assert reading.anomaly == "cells missing"  # still a fault: its neighbours stay in doubt
    assert any("placed under the columns" in r for r in reading.reasons)
    # With no full row of its table to show the columns, nothing is moved.
    alone = read_rows(_stream([[label, None, *PARTIAL[1:]]]), T2021)["t3.partial"]
    assert _values(alone) == [*PARTIAL[1:], None]


def test_a_group_label_broken_by_a_page_break_names_the_next_sub_row() -> None:
    # Held-out seed 941489 (楷体 10 pt, horizontal rules): （四） beside 不掌握's figures at the foot of page 2,
    # 无法提供 beside 另行制作's on page 3. The words named the group again, the row was taken for its first
    # sub-row printed twice, and every row after it slid up one (7 wrong, 127 in review).
    zeros, five, one = ["0"] * 7, ["5", "0", "0", "0", "0", "0", "5"], ["1", "0", "0", "0", "0", "0", "1"]
    found = read_rows(
        _stream(
            [
                ["8.属于行政查询事项", *zeros],
                ["（四）", *five],
                ["无法提供", *zeros],
                ["", *zeros],
                ["（五）不予处理", *one],
            ]
        ),
        T2021,
    )
    assert _values(found["t3.unable_not_held"]) == five
    assert found["t3.unable_not_held"].anomaly is None  # not "printed twice with different values"
    assert _values(found["t3.unable_create"]) == zeros and _values(found["t3.unable_unclear"]) == zeros
    assert _values(found["t3.ignored_petition"]) == one


def test_labels_of_the_other_template_are_not_taken_for_this_ones_rows() -> None:
    found = read_rows(_stream([["规章", "1", "2", "3"], ["行政规范性文件", "4", "5", "6"]]), T2021)
    assert _values(found["t2.regulations"]) == ["1", "2", "3"]
    assert _values(found["t2.normative"]) == ["4", "5", "6"]


def test_t4_is_one_row_of_fifteen_values_under_its_header() -> None:
    header = [["行政复议", "行政诉讼"], ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]]
    values = [str(n) for n in range(15)]
    reading = read_t4(_stream([*header, values]), T2021)
    assert reading is not None and _values(reading) == values


def test_t4_header_read_as_lines_over_its_row_on_the_next_page_names_t4() -> None:
    # synth_772204 (黑体 9 pt, rules=none, 150 dpi): t4's header alone at page 2's foot is no table, its
    # lines read as prose, 行政诉讼 misread; the row of fifteen figures carried onto page 3 is a table.
    lines = [
        ["行政复议行政訴痊"],
        ["未经复议直接起诉复议后起诉"],
        ["结果结果其他尚未"],
        ["總計结果结果其他尚未结果结果其他尚未"],
    ]
    values = ["3", "0", "0", "0", "3", *["0"] * 10]
    reading = read_t4(_stream([*lines, values]), T2021)
    assert reading is not None and _values(reading) == values


def test_two_figures_run_together_with_a_leading_zero_are_two_cells() -> None:
    # Holdout 989898's synth_989967 (rule-less, 仿宋 9 pt, 1-bit): review.total 0 and suit_direct.upheld 0
    # stood with no column cut between them and read 00; the row of 14 lost both. No count has a leading
    # zero, so 00 is 0 | 0, and the halves say so.
    header = [["行政复议", "行政诉讼"], ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]]
    values = ["0", "0", "0", "0", "00", *["0"] * 9, ""]
    reading = read_t4(_stream([*header, values]), T2021)
    assert reading is not None and _values(reading) == ["0"] * 15
    assert any("two cells run together" in r for c in reading.cells if c is not None for r in c.reasons)
    # In t2, where no arithmetic checks the split, the halves are doubted (a speck read 0 before a 5).
    found = read_rows(_stream([["规章", "05", "12"]]), T2021)
    halves = [c for c in found["t2.regulations"].cells if c is not None][:2]
    assert [c.text for c in halves] == ["0", "5"]
    assert all(any(not r.startswith("note:") for r in c.reasons) for c in halves)
    # A figure that is no count (a row already whole, or two figures with leading zeros) is left as read.
    whole = read_t4(_stream([*header, ["0", "0", "0", "0", "03", *["0"] * 10]]), T2021)
    assert whole is not None and "03" in _values(whole)


def test_prose_naming_one_t4_word_does_not_make_a_row_of_figures_t4() -> None:
    lines = [["本年度共发生行政复议案件3件"], ["结果结果其他尚未"]]
    values = ["3", "0", "0", "0", "3", *["0"] * 10]
    assert read_t4(_stream([*lines, values]), T2021) is None


def test_a_blank_total_and_a_figure_after_it_leave_the_total_undecided() -> None:
    # A total the report left blank, then a stray figure (a speck read as 1): dropping the empty cell
    # gives a row whose sum holds, but so would any speck equal to the sum. The total is no sure 1
    # (MUTATION_SEED=61, kewei-2024's 四、结转下年度继续办理).
    found = read_rows(_stream([["四、结转下年度继续办理", "1", "0", "0", "0", "0", "0", "", "1"]]), T2021)
    reading = found["t3.carried_forward"]
    assert _values(reading) == ["1", "0", "0", "0", "0", "0", "1"]
    assert 6 in reading.ambiguous and reading.anomaly == "stray column"


def test_an_empty_cell_too_many_in_a_t2_row_is_dropped_as_before() -> None:
    found = read_rows(_stream([["行政处罚", "35", "", "0", "12"]]), load_template("2019"))
    assert _values(found["t2.penalty"]) == ["35", "0", "12"]


def test_a_spare_empty_cell_inside_a_row_is_dropped_with_a_note() -> None:
    # Scans' grids often hold a spare empty cell inside a row (held-out seed 931378's t4): not a fault.
    found = read_rows(_stream([["（一）予以公开", "3", "", "1", "0", "0", "0", "0", "4"]]), T2021)
    reading = found["t3.granted"]
    assert _values(reading) == GRANTED and reading.anomaly is None and not reading.ambiguous


def test_a_figure_cut_in_two_by_a_column_boundary_doubts_its_row() -> None:
    # Seed 792001 (rule-less scan, 楷体 14 pt, 1 bit, skew): t2's 451.9 萬元 stood between the two
    # header columns and the cut between them ran through it: 451 | ,9万元. The second part is text to the
    # row finder, and the row read 451, `ok` — a silent error.
    found = read_rows(_stream([["政府集中采购", "12", "451", ",9万元"]]), T2019)
    assert _values(found["t2.procurement"]) == ["12", "451"]
    assert found["t2.procurement"].anomaly == CUT_VALUE
    assert any("',9万元'" in r for r in found["t2.procurement"].reasons)


def test_text_after_a_rows_values_that_is_no_figure_leaves_it_alone() -> None:
    # An enumerated label (8.属于行政查询事项) or a unit is no part of a figure, even in the same row.
    found = read_rows(_stream([["政府集中采购", "12", "451.9", "万元"], ["8.属于行政查询事项"]]), T2019)
    assert found["t2.procurement"].anomaly is None
    found = read_rows(_stream([["（一）予以公开", *GRANTED, "2.其他"]]), T2021)
    assert found["t3.granted"].anomaly is None
