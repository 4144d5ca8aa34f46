"""Rule-less tables (`rules=none`) as Chromium prints them at 28 pt line spacing, and t2's last section
alone on a page: the lines as `bare_grid._lines` found them on the pages of bench scans (y px, runs as
start:width px, 204.8 ppi), checked without OCR. Causes found on the tuning seeds 742001–742012
(`SYNTH_FORCE_KNOBS="renderer=chromium,rules=none"`)."""

from __future__ import annotations

import numpy as np

from ingest.ocr.bare_grid import (
    Runs,
    _apart,
    _blocks,
    _carried_row,
    _centred_rows,
    _centred_value_cuts,
    _centred_values,
    _first_value_column,
    _label_above,
    _label_in_first_column,
    _label_start,
    _one_cut_between_values,
    _opens_centred_row,
    _set_apart,
    _staggered_header,
)

PPI = 204.8
VALUES = [948, 1031, 1114, 1196, 1279, 1361, 1444]


def _line(y0: int, y1: int, runs: list[tuple[int, int]], amount_row: bool = False) -> tuple[int, int, Runs]:
    out = Runs((a, a + w) for a, w in runs)
    out.amount_row = amount_row
    return (y0, y1, out)


def _values(width: int = 17) -> list[tuple[int, int]]:
    return [(x, width) for x in VALUES]


# Seed 742002 page 4 (宋体 11 pt, 28 pt spacing): t3 carried onto the page. Its first rows' labels wrap
# over three lines each, 0.24 in apart (more than SET_APART), values centred on their middle line.
CARRIED_T3 = [
    _line(105, 135, [(498, 373)]),  # 1.申请人无正当理由逾期不补
    _line(182, 212, [(494, 30), (553, 349), *_values()]),  # 正、行政机关不再处理其政府信 0 … 0
    _line(262, 291, [(499, 140)]),  # 息公开申请
    _line(307, 338, [(292, 156)]),  # （六）其他处
    _line(346, 376, [(496, 405)]),  # 2.申请人逾期未按收费通知要求
    _line(387, 415, [(274, 30)]),  # 理
    _line(423, 453, [(494, 116), (641, 262), *_values()]),
    _line(503, 533, [(495, 232)]),  # 政府信息公开申请
    _line(588, 618, [(495, 86), *_values()]),  # 3.其他
    _line(673, 704, [(292, 127), *_values()]),  # （七）总计
    _line(761, 791, [(218, 25), (273, 263), *_values()]),  # 四、结转下年度继续办理
    _line(874, 906, [(80, 363), (474, 183)]),  # 四、政府信息公开行政复议、行政诉讼情况
]


def test_a_wrapped_labels_next_line_at_28_pt_spacing_is_no_heading() -> None:
    # 息公开申请 stands 0.24 in under its label's first line: taken for a heading, it ended the table,
    # and the carried rows 1.申请人无正当理由… and 2.申请人逾期… were read as no table (seed 742002).
    assert _apart(CARRIED_T3, PPI) > 55
    blocks = _blocks(CARRIED_T3, 1450, PPI)
    assert [ln[0] for ln in blocks[0]][:3] == [182, 262, 307]
    assert blocks[0][-1][0] == 761


def test_a_wrapped_line_is_within_the_leading_and_a_heading_beyond_it() -> None:
    # 息公开申请 0.24 in under its label's first line is within the leading; a heading 0.4 in under a
    # row is beyond it.
    apart = _apart(CARRIED_T3, PPI)
    assert not _set_apart(CARRIED_T3[2], CARRIED_T3[1:2], PPI, apart)
    heading = _line(873, 905, [(80, 700)])
    assert _set_apart(heading, CARRIED_T3[10:11], PPI, apart)


def test_the_leading_is_no_wider_than_set_apart_without_wrapped_labels() -> None:
    # Single-spaced rows of one line each: no label's next line, the distance stays SET_APART.
    lines = [_line(100 + 60 * k, 130 + 60 * k, [(300, 200), *_values()]) for k in range(5)]
    assert _apart(lines, PPI) == 0.2 * PPI


def test_a_heading_under_the_last_row_is_no_leading() -> None:
    # A heading at the table's left edge under its last row is wider than that row's label: no sample.
    lines = [
        _line(100, 130, [(300, 200), *_values()]),
        _line(190, 220, [(300, 600)]),
    ]
    assert _apart(lines, PPI) == 0.2 * PPI


def test_a_labels_first_line_under_one_line_rows_at_28_pt_spacing_is_no_heading() -> None:
    # Seed 742002 page 3: rows of one line stand 0.27 in apart; (二)部分公开（区分处理的，只计这一情形，
    # the first line of the next row's label (its values centred lower), as far under the row above,
    # ended t3 there.
    rows = [
        _line(346, 376, [(216, 39), (275, 407), *_values()]),
        _line(431, 462, [(215, 30), (274, 407), *_values()]),
        _line(518, 550, [(216, 29), (292, 186), *_values()]),
    ]
    label = _line(605, 636, [(293, 584)])
    assert not _set_apart(label, rows, PPI, 0.2 * PPI)
    # Under header lines set close (0.04 in), a heading 0.41 in under the rows is still set apart.
    header = [_line(221 + 40 * k, 251 + 40 * k, [(1011, 57), (1093, 59), (1176, 59)]) for k in range(3)]
    heading = _line(634, 666, [(80, 700)])
    assert _set_apart(heading, [*header, *rows], PPI, 0.2 * PPI)


def test_a_count_and_amount_rows_amount_is_a_value_however_wide() -> None:
    # Seed 742007 page 3: t2's last section alone at the top of the page, 政府集中采购 | 10 | 492.94万元
    # (0.78 in with its unit): no value column was found and the procurement row was lost.
    block = [
        _line(103, 134, [(365, 118), (661, 174), (1100, 147)]),
        _line(189, 219, [(252, 175), (733, 33), (1094, 159)], amount_row=True),
    ]
    xs = [252, 572, 964, 1253]
    sections: list[list[int] | None] = [[320, 712], [320, 712]]
    assert _first_value_column(block, sections, xs, PPI) == 1


def test_a_wrapped_label_under_the_header_makes_the_first_column_labels() -> None:
    # Seed 742010 page 3: 采购 | 采购总 passes for a table line, 政府集中 / 0 … 0 / 采购 wraps around its
    # centred values: the first column holds a label, though no table line shows one.
    block = [
        _line(354, 385, [(716, 57), (1127, 87)]),
        _line(395, 462, [(364, 116), (686, 117), (1141, 59)]),
        _line(521, 550, [(251, 114)]),
        _line(559, 583, [(862, 17), (1424, 17)]),
        _line(598, 627, [(252, 56)]),
    ]
    xs = [251, 583, 972, 1441]
    assert _label_in_first_column(block, xs, PPI)
    values_only = [block[0], _line(559, 583, [(300, 17), (862, 17), (1424, 17)])]
    assert not _label_in_first_column(values_only, xs, PPI)


def _ink(lines: list[tuple[int, int, Runs]], width: int = 2000, height: int = 2000) -> np.ndarray:
    """Ink for the lines: each run a solid block 0.8 of its line's height (a run under 0.7 of its
    height wide is digit-shaped, a wider one a word)."""
    ink = np.zeros((height, width), np.uint8)
    for y0, y1, runs in lines:
        top = y0 + (y1 - y0) // 10
        for a, b in runs:
            ink[top : y1 - (y1 - y0) // 10, a:b] = 255
    return ink


# Seed 742008 page 3 (黑体 11 pt, 28 pt spacing): t2's fees row carried onto the page, its label wrapped
# around its two values, which stand alone on their line.
FEES = [
    _line(110, 138, [(248, 57)]),  # 行政
    _line(147, 171, [(612, 11), (895, 11)]),  # 14 … 1 (digit-shaped here)
    _line(185, 215, [(248, 145)]),  # 事业性收费
    _line(269, 300, [(715, 262)]),  # 第二十条第（九）项
]


def test_values_centred_on_their_labels_lines_are_a_table_line() -> None:
    ink = _ink(FEES)
    assert _centred_values(ink, *FEES[:3], PPI)
    # Values on the label's first line (set at the top of the cell, as LibreOffice prints) are not.
    assert not _centred_values(ink, FEES[0], _line(112, 136, [(612, 11), (895, 11)]), FEES[2], PPI)
    # Nor a line of words between two lines of text.
    words = _line(147, 171, [(612, 120)])
    assert not _centred_values(_ink([words]), FEES[0], words, FEES[2], PPI)


def test_a_row_of_centred_values_cut_from_its_label_and_each_other() -> None:
    # 行政 14 事业性收费 read as one cell: no line of the section held a label and a value.
    ink = _ink(FEES)
    lines = [(y0, y1, runs) for y0, y1, runs in FEES[:3]]
    for above, line, below in zip(lines, lines[1:], lines[2:], strict=False):
        line[2].centred_values = _centred_values(ink, above, line, below, PPI)
    cuts = [770]
    out = _centred_value_cuts(lines, [cuts, cuts, cuts])
    assert out[0] == out[1] == out[2]
    assert out[0] is not None and len(out[0]) == 2 and 393 < out[0][0] < 612 and out[0][1] == 770


def test_the_first_rows_label_around_its_values_opens_the_row() -> None:
    # Seed 742008 page 3: 一、本年新收政府信息公 / 0 0 … 0 / 开申请数量, the figures 0.044 in above the
    # middle of the label's lines (shorter than its characters): the label's first line opened no row.
    values = [(778 + 102 * k, 16) for k in range(7)]
    lines = [
        _line(1151, 1180, [(179, 28), (237, 261)]),
        _line(1188, 1215, values),
        _line(1232, 1261, [(180, 144)]),
    ]
    assert _opens_centred_row(lines, PPI)


# Seed 742108 page 3 (150 dpi, flush right): t4's line of values; its header's 尚未 / 审结 voted a cut
# inside the thirteenth column besides the one between its values.
T4_VALUES = _line(870, 900, [(177 + 68 * k, 13) for k in range(15)])


def test_one_cut_between_two_neighbouring_values_of_t4() -> None:
    ppi = 153.6
    lines = [T4_VALUES]
    # Cuts 9 px right of each value, but 1046 (the header's) beside 1014 between the 13th and 14th.
    cuts = sorted([177 + 68 * k + 13 + 9 for k in range(14)] + [1046])
    out = _one_cut_between_values(_ink(lines), lines, [cuts], ppi)
    assert out[0] == [c for c in cuts if c != 1046]


def test_a_missing_value_keeps_both_cuts() -> None:
    # Two values a column apart (a blank cell between them) keep the cuts of the column between.
    ppi = 153.6
    xs = [177 + 68 * k for k in range(15) if k != 7]
    line = _line(870, 900, [(x, 13) for x in xs])
    cuts = [177 + 68 * k + 13 + 9 for k in range(14)]
    assert _one_cut_between_values(_ink([line]), [line], [cuts], ppi)[0] == cuts


def test_a_row_carried_alone_onto_a_page_is_a_table() -> None:
    # Seed 742102 page 3: 四、结转下年度继续办理 and its seven values at the top, t4's heading under it.
    ppi = 153.6
    row = Runs([(163, 182), (205, 401), *[(x, x + 12) for x in (694, 759, 818, 880, 942, 1004, 1069)]])
    assert _carried_row(row, ppi)
    prose = Runs([(100, 900), (920, 930), (950, 960)])
    assert not _carried_row(prose, ppi)


# Seed 742006 (楷体 11 pt, 28 pt spacing, 300 dpi): t2's 第二十条第（五）项, each header cell's text on a
# line of its own (信息内容 centred between 本年处 and 理决定数量), then its one row.
ONE_VALUE_SECTION = [
    _line(1394, 1441, [(1079, 394)]),  # 第二十条第（五）项
    _line(1523, 1566, [(1482, 129)]),  # 本年处
    _line(1580, 1625, [(549, 175)]),  # 信息内容
    _line(1641, 1686, [(1437, 219)]),  # 理决定数量
    _line(1771, 1813, [(380, 173), (1509, 77)]),  # 行政许可 … 177
    _line(1897, 1944, [(1078, 394)]),  # 第二十条第（六）项
]


def test_header_lines_staggered_over_the_columns_head_a_one_row_section() -> None:
    ppi = 307.2
    head = _staggered_header(ONE_VALUE_SECTION, 4, 0.354 * ppi, ppi)
    assert [ln[0] for ln in head] == [1523, 1580, 1641]  # not the heading, 0.27 in above
    # One header line alone is no staggered header.
    assert not _staggered_header([ONE_VALUE_SECTION[3], ONE_VALUE_SECTION[4]], 1, 0.354 * ppi, ppi)


# Seed 742006 page 7: a t3 row carried onto the page, its label wrapped three characters a line over
# thirteen lines, its values on the seventh (费用、 0 0 …), 3.其他 under it.
def _carried_label() -> list[tuple[int, int, Runs]]:
    values = [(938 + 193 * k, 24) for k in range(7)]
    lines = [_line(158 + 116 * k, 200 + 116 * k, [(675, 129)]) for k in range(6)]
    lines.append(_line(858, 901, [(677, 81), *values]))
    lines += [_line(974 + 116 * k, 1018 + 116 * k, [(675, 130)]) for k in range(6)]
    lines.append(_line(1686, 1730, [(677, 128), *values]))
    return lines


def test_a_carried_rows_label_above_its_values_is_taken_in() -> None:
    ppi = 307.2
    lines = _carried_label()
    assert len(_label_above(lines, 6, 0.3 * ppi, ppi)) == 6
    block = _blocks(lines, 2400, ppi)[0]
    assert block[0][0] == 158
    # The row opens at the label's first line: as many label lines above the values as below.
    assert _label_start(block, 6, ppi) == 0
    assert _label_start(block[3:], 3, ppi) == 0


def test_the_row_above_decides_where_its_label_ends() -> None:
    # Seed 742005 page 3 (宋体 13 pt, 28 pt spacing, 300 dpi): (二)部分公开（区分 / 处理的，只计这一情 0 …
    # / 形，不计其他情形）, then (三)'s 1.属于国家秘 over its values, the group label's line narrowing
    # the blank between the rows: the widest blank was inside (二)'s label, the row was not opened,
    # and the (二) row was lost.
    ppi = 307.2
    values = [(1002 + 193 * k, 24) for k in range(7)]
    block = [
        _line(1859, 1904, [(291, 41), (407, 278), *values]),  # 三 （一）予以公开 2 …
        _line(1986, 2032, [(407, 407)]),
        _line(2094, 2149, [(291, 41), (380, 392), *values]),
        _line(2210, 2267, [(291, 42), (381, 41), (468, 278)]),
        _line(2325, 2395, [(292, 41), (407, 76), (577, 255)]),
        _line(2411, 2512, [(293, 41), (380, 129), (574, 41), *values]),
        _line(2560, 2640, [(290, 44), (380, 43), (574, 258)]),
        _line(2675, 2755, [(291, 43), (572, 261), *values]),
        _line(2796, 2873, [(292, 41), (573, 42)]),
    ]
    middles = {0: 1878.5, 2: 2125.5, 5: 2428.5, 7: 2732.5}
    opened = _centred_rows(block, [0, 2, 5, 7], 0, ppi, middles)
    assert opened == {1: 2, 4: 5, 6: 7}
