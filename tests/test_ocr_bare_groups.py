"""Rule-less tables printed by Chromium (`renderer=chromium`, `rules=none`) whose sub-rows print no label
of their own (the `missing_sublabels` fault): the group label ((三)不予公开, (四)无法提供) stands centred
on its rows of values, one cell over them as in a ruled table. Found on the tuning seed 741010."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ingest.ocr.bare_grid import Line, _glyph_column_cut, _group_cells
from ingest.ocr.geometry import cells_from_groups
from tests.test_ocr_bare_columns import _page_rows, _row

CHROMIUM_BARE = "renderer=chromium,rules=none"

PPI = 200.0
XS = [0, 40, 300, 340, 380]  # a glyph column, a label column, two value columns
YS = [40 * k for k in range(9)]  # eight rows of values, 40 px each


def _page(labels: list[tuple[int, int]]) -> np.ndarray:
    """Ink of eight rows of values (one figure a row and column) and label lines (y0, y1) in column 1."""
    ink = np.zeros((YS[-1], XS[-1]), np.uint8)
    for y in YS[:-1]:
        ink[y + 13 : y + 27, 310:320] = 255
        ink[y + 13 : y + 27, 350:360] = 255
    for y0, y1 in labels:
        ink[y0:y1, 60:200] = 255
    return ink


def _label_cells(ink: np.ndarray) -> list[tuple[int, int]]:
    """(row, rowspan) of the cells of column 1."""
    nr, nc = len(YS) - 1, len(XS) - 1
    parent = list(range(nr * nc))
    _group_cells(ink, XS, YS, parent, 2, [True] * nr, PPI)
    return sorted((c.row, c.rowspan) for c in cells_from_groups(parent, nr, nc, XS, YS) if c.col == 1)


def test_a_group_label_centred_on_its_label_less_rows_is_one_cell_over_them() -> None:
    # (三)不予 / 公开 midway down eight rows of values with no label: one cell, in the group's first row.
    assert _label_cells(_page([(146, 158), (162, 174)])) == [(0, 8)]


def test_only_a_label_with_label_less_rows_above_and_below_is_joined_over_them() -> None:
    # Two lines across the boundaries of rows 0-2 (a group's label, or two rows' wrapped labels set
    # close: seed 742001's （二）部分公开… over （三）不予公 / 开 beside 1.属于国家秘密 were joined into one
    # cell, and 部分公开's figures given to 2.其他法律行政法规禁止公开) stay as they stand; a label of
    # its own in row 3; rows 4-7 under a label centred on them, across the boundary between rows 5
    # and 6, are one cell.
    ink = _page([(33, 45), (73, 86), (133, 147), (234, 246)])
    assert _label_cells(ink) == [(0, 1), (1, 1), (2, 1), (3, 1), (4, 4)]


def test_labels_of_their_own_rows_stay_in_their_rows() -> None:
    # Each row's label on its values, or a label at the top of its cell (set there, not centred): no
    # group, whatever blank rows follow.
    assert _label_cells(_page([(y + 13, y + 27) for y in YS[:-1]])) == [(r, 1) for r in range(8)]
    assert _label_cells(_page([(13, 27), (53, 67)])) == [(r, 1) for r in range(8)]


def test_a_label_beside_labelled_rows_is_no_group() -> None:
    # Sub-labels in the column right of the group label's: the rows around the label are no label-less
    # sub-rows, and the group label stays where it stands (its sub-labels name the rows).
    ink = _page([(146, 158), (162, 174)])
    for y in YS[:-1]:
        ink[y + 13 : y + 27, 260:290] = 255
    xs = [0, 40, 250, 300, 340, 380]
    nr = len(YS) - 1
    assert not _group_cells(ink, xs, YS, list(range(nr * (len(xs) - 1))), 3, [True] * nr, PPI)


@pytest.mark.slow
def test_group_labels_centred_on_label_less_rows_name_their_first_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 741010 (楷体 13 pt, vertical 三、本年度办理结果, sub-labels missing, 200 dpi, landscape): the
    # group labels stood centred on their rows of values, (三)不予 / 公开 beside the fourth and fifth of
    # eight, (五)不予 / 处理 across the boundaries between the second and fourth of five, cut in halves
    # (a 7 read as a figure: a stray column); 理 of the vertical label was joined to 公开 as an
    # enumerator to its label. The rows were placed by position and left unconfirmed: 78 fields in
    # review.
    rows = _page_rows(
        tmp_path, monkeypatch, CHROMIUM_BARE, (741010, "2019"), 9, 2, mixed_pages=False, fmt="html"
    )
    # (三)'s cell and the whole vertical label stand in denied_secret's row, the group's first.
    at = rows.index(_row(rows, "本年度办理结果"))
    assert rows[at][-7:] == ["0"] * 7
    assert rows[at + 4][-7:] == ["0", "0", "1", "0", "0", "0", "1"]  # denied_internal
    petition = next(r for r in rows if any(t.startswith("(五)") and t.endswith("处理") for t in r))
    assert rows[rows.index(petition) - 2][-7:] == ["1", "0", "0", "0", "0", "0", "1"]  # unable_create
    # No piece of a label beside the figures: no row of t3 holds an eighth.
    assert max(sum(t.isdigit() for t in r) for r in rows) == 7


def test_a_wrapped_label_set_a_row_pitch_apart_is_one_label_over_its_rows() -> None:
    # 28 pt spacing: (三)不予公 / 開 in rows 3 and 4, their lines as far apart as two rows' labels
    # would be at single spacing, centred on eight label-less rows: one cell over them.
    assert _label_cells(_page([(133, 147), (173, 187)])) == [(0, 8)]
    # Lines further apart than a line at 28 pt spacing are no wrapped label: they stay as they stand.
    assert _label_cells(_page([(133, 147), (185, 199)])) == [(r, 1) for r in range(8)]


def _glyph_lines(labels: dict[int, tuple[int, int]]) -> tuple[np.ndarray, list[Line]]:
    """Eight lines 40 px apart, each with a character at the left edge (0-30 px), and labels (x0, x1)
    right of it on the lines given."""
    ink = np.zeros((320, 480), np.uint8)
    lines: list[Line] = []
    for k in range(8):
        y0, y1 = 40 * k + 13, 40 * k + 27
        ink[y0:y1, 0:30] = 255
        runs = [(0, 30)]
        if k in labels:
            ink[y0:y1, labels[k][0] : labels[k][1]] = 255
            runs.append(labels[k])
        ink[y0:y1, 420:430] = 255
        lines.append((y0, y1, [*runs, (420, 430)]))
    return ink, lines


def test_a_vertical_label_beside_the_group_labels_gets_a_column_of_its_own() -> None:
    # 本 / 年 / … / 結 / 果 one per line at the label column's left, (三)不予公 / 開 beside 結 and 果
    # (seed 742002): a boundary midway in the blank between them.
    ink, lines = _glyph_lines({5: (80, 200), 6: (60, 90)})
    assert _glyph_column_cut(ink, lines, [0, 400, 480], 1, PPI) == 45
    # A label of a line with no character running through that blank leaves the column whole.
    ink, lines = _glyph_lines({5: (80, 200), 6: (60, 90)})
    ink[93:107, 0:30] = 0
    ink[93:107, 40:120] = 255
    lines[2] = (93, 107, [(40, 120), (420, 430)])
    assert _glyph_column_cut(ink, lines, [0, 400, 480], 1, PPI) is None
    # Characters that have their column already.
    ink, lines = _glyph_lines({5: (80, 200), 6: (60, 90)})
    assert _glyph_column_cut(ink, lines, [0, 45, 400, 480], 2, PPI) is None


@pytest.mark.slow
def test_a_vertical_label_and_wrapped_group_labels_at_28pt_spacing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 742002 (宋体 11 pt, exact 28 pt spacing, vertical 三、本年度辦理結果, sub-labels missing,
    # traditional, 200 dpi), t3 carried onto page 3: the vertical label's characters shared the label
    # column with the group labels (結 read into (三)不予公), and (三)不予公 / 開 a row's pitch apart
    # passed for two rows' labels; the rows under (三), (四), (五) were shifted (42 fields lost).
    rows = _page_rows(
        tmp_path,
        monkeypatch,
        CHROMIUM_BARE,
        (742002, "2021"),
        1,
        3,
        mixed_pages=False,
        fmt="html",
        script="traditional",
    )
    assert not any("結" in t and "公" in t for r in rows for t in r)
    assert _row(rows, "法提")[-7:] == ["13", "0", "0", "0", "0", "0", "13"]  # t3.unable_not_held
    assert _row(rows, "處理")[-7:] == ["2", "0", "0", "0", "0", "0", "2"]  # t3.ignored_petition
