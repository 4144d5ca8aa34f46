"""Rule-less tables as Chromium prints them (`renderer=chromium,rules=none`), second pass of session 14:
lines as `bare_grid._lines` found them on bench scans (y px, runs as start:width px), checked without
OCR. Causes found on the tuning seeds 762001–762012 and the leftovers of 742001–742012."""

from __future__ import annotations

import cv2
import numpy as np

from ingest.ocr.bare_grid import (
    Runs,
    _drop_specks,
    _free_strip,
    _one_cut_between_values,
    _staggered_header,
    bare_table,
)
from tests.test_ocr_bare_leading import _ink


def _line(y0: int, y1: int, runs: list[tuple[int, int]], close_value: bool = False) -> tuple[int, int, Runs]:
    out = Runs((a, a + w) for a, w in runs)
    out.close_value = close_value  # as _lines finds it from the ink: one number close to its label
    return (y0, y1, out)


# Seed 742001 page 3 (307.2 ppi): t4's two-line header words (结果 / 维持) centred in their cells, the
# values flush right, 136 px a column. The values line is drawn taller than found (2158-2193) so that
# its solid blocks stay digit-shaped.
T4_HEADER = _line(
    2028,
    2137,
    [(x, 89) for x in (280, 416, 552, 690, 823, 959, 1095, 1231, 1368, 1502, 1638, 1774, 1910, 2047, 2181)],
)
T4_VALUES = _line(2150, 2200, [(354 + 136 * k, 23) for k in range(15)])
# The cuts voted midway between the values: six of them through a header word.
T4_VOTED = [393, 529, 666, 837, 973, 1074, 1212, 1348, 1516, 1652, 1786, 1891, 2027, 2195]


def test_a_t4_cut_through_a_header_word_moves_into_the_blank_beside_it() -> None:
    lines = [T4_HEADER, T4_VALUES]
    voted = list(T4_VOTED)
    out = _one_cut_between_values(_ink(lines, 2400, 2400), lines, [voted, voted], 307.2)
    assert out[-1] == [393, 529, 666, 804, 940, 1074, 1212, 1348, 1483, 1619, 1755, 1891, 2027, 2163]
    assert out[0] is out[1]  # still one list for the section


def test_a_cut_crossing_no_word_or_with_no_room_stays() -> None:
    assert _free_strip(850, (786, 898), [(690, 776), (900, 990)], 307.2) is None  # crosses none
    # The words leave less than half a column gap free: the cut stays where it was voted.
    assert _free_strip(837, (786, 898), [(790, 895)], 307.2) is None
    assert _free_strip(837, (786, 898), [(823, 912)], 307.2) == 804


def test_a_one_row_sections_header_right_of_its_value_votes_no_column() -> None:
    # Seed 762007 page 2 (307.2 ppi): 信息内容 | 本年处理决定数量 (centred over its cell) over 行政许可 |
    # 155 (flush left). The header word voted a column of its own, the value had no header over it and
    # the section read as prose.
    lines = [_line(1772, 1818, [(549, 175), (1372, 350)]), _line(1905, 1948, [(380, 173), (926, 77)])]
    grid = bare_table(_ink(lines, 2400, 2400), lines, 307.2)
    assert grid is not None
    assert len(grid.xs) == 3 and grid.xs[1] < 926 and grid.xs[-1] >= 1722


def test_a_three_run_header_alone_votes_no_column_over_one_row() -> None:
    # Seed 762007 page 2: 信息内容 | 本年收费金额 | (单位：万元) over 行政事业性收费 | 0: the header, the only
    # line of three runs, voted alone, and the value fell into the label column.
    lines = [
        _line(2678, 2726, [(548, 175), (1262, 395), (1699, 106)]),
        _line(2808, 2851, [(379, 304), (924, 23)], close_value=True),
    ]
    grid = bare_table(_ink(lines, 2400, 3000), lines, 307.2)
    assert grid is not None
    assert len(grid.xs) == 3 and 683 < grid.xs[1] < 924


def test_a_staggered_header_over_its_row_at_150_dpi() -> None:
    # Seed 762004 page 2 (153.6 ppi): 本年处 / 信息内容 / 理决定数量, the last 0.28 in over 行政许可 … 0.
    ppi = 153.6
    lines = [
        _line(697, 721, [(540, 197)]),  # 第二十条第（五）项
        _line(761, 783, [(741, 66)]),
        _line(791, 814, [(275, 87)]),
        _line(821, 843, [(718, 110)]),
        _line(886, 908, [(190, 87), (462, 13)]),
    ]
    head = _staggered_header(lines, 4, 0.2 * ppi, ppi)
    assert [ln[0] for ln in head] == [761, 791, 821]
    # Farther than STAGGER_APART, no header.
    far = [*lines[:4], _line(900, 922, [(190, 87), (462, 13)])]
    assert not _staggered_header(far, 4, 0.2 * ppi, ppi)


def test_a_seals_ring_is_dropped_and_a_glyph_kept() -> None:
    ppi = 153.6
    ink = np.zeros((400, 400), np.uint8)
    cv2.circle(ink, (200, 200), 60, 255, 3)  # a ring 0.8 in across
    ink[20:44, 20:44] = 255  # a 24 px glyph
    ink[360:365, 20:300] = 255  # a long thin stroke (a dash line): not both ways large
    out = _drop_specks(ink, ppi)
    assert not out[130:270, 130:270].any()
    assert out[20:44, 20:44].all() and out[360:365, 20:300].all()
