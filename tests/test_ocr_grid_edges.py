"""A ruled table that a page break cut open: its column rules run on past the last horizontal rule (or
start before the first) and stop. The row they hold is a row (the real WPS report hzq2023, scanned, lost
2.没有现成信息需要另行制作 with its 7 figures before), while rules that merely overshoot their corner by a
few pixels add none."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.ocr.grid import find_tables

PPI = 200.0
ROW = 50  # px, a quarter inch
COLUMNS = (100, 500, 620, 740, 860, 980)  # x of each column rule


def _page(rows: int, open_bottom: bool, open_top: bool, overshoot: int = 0) -> np.ndarray:
    """A white page with a grid of `rows` rows; an open edge has no horizontal rule, the column rules
    still run the row's height."""
    page = np.full((1200, 1100), 255, np.uint8)
    top = 200
    ys = [top + i * ROW for i in range(rows + 1)]
    drawn = ys[1 if open_top else 0 : len(ys) - 1 if open_bottom else len(ys)]
    for y in drawn:
        page[y : y + 2, COLUMNS[0] : COLUMNS[-1] + 2] = 0
    for x in COLUMNS:
        page[ys[0] - overshoot : ys[-1] + overshoot + 2, x : x + 2] = 0
    return page


@pytest.mark.parametrize(("open_bottom", "open_top"), [(True, False), (False, True), (True, True)])
def test_a_row_the_page_cut_open_is_a_row(open_bottom: bool, open_top: bool) -> None:
    grids, _ = find_tables(_page(6, open_bottom, open_top), PPI)
    assert len(grids) == 1
    assert len(grids[0].ys) == 7  # six rows, the open one closed where the column rules stop
    assert abs(grids[0].ys[-1] - (200 + 6 * ROW)) <= 3 and abs(grids[0].ys[0] - 200) <= 3


@pytest.mark.parametrize(("open_bottom", "open_top"), [(True, False), (False, True)])
def test_a_row_alone_with_one_rule_is_a_row(open_bottom: bool, open_top: bool) -> None:
    # Chromium prints the last row of a group at the next page's top, before the repeated header, its
    # top rule left on the other page (seed 794009: 供 0 0 0 0 0 0 0 was read as a line of text, and t3's
    # row 3.补正后申请内容仍不明确 lost with its 7 figures).
    grids, _ = find_tables(_page(1, open_bottom, open_top), PPI)
    assert len(grids) == 1 and len(grids[0].ys) == 2 and len(grids[0].xs) == len(COLUMNS)
    assert abs(grids[0].ys[0] - 200) <= 3 and abs(grids[0].ys[1] - (200 + ROW)) <= 3


def test_rules_overshooting_their_corners_add_no_row() -> None:
    grids, _ = find_tables(_page(6, False, False, overshoot=12), PPI)
    assert len(grids) == 1 and len(grids[0].ys) == 7


@pytest.mark.parametrize("shape", [(10, 0), (0, 10), (0, 0)])
def test_connected_components_of_an_empty_image_are_none_and_no_crash(shape: tuple[int, int]) -> None:
    """OpenCV's own call kills the process on such an array (a segmentation fault a worker cannot catch):
    a rule stack whose header rule was its last handed one to the speck filter."""
    from ingest.ocr.geometry import components

    count, labels, stats, _ = components(np.zeros(shape, np.uint8))
    assert count == 1 and labels.shape == shape and len(stats) == 1
