"""楷体's 1 (WenQuanYi Zen Hei Mono, its flag reaching down the glyph's left) read as 4 by `eng` and as 1
by `chi_sim`: the digit vote splits, and a glyph with no crossbar is read 1, unsettled (corpus c996019:
synth_996019 and synth_996031, three t3 cells 4 for 1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ingest.document import Table
from ingest.ocr.engine import Reading
from ingest.ocr.read import _one_or_four
from ingest.record import REVIEW_THRESHOLD
from synth.corpus import Case
from tests.conftest import knob_scan_page

# synth_996031's layout: ruled grid, 楷体 10 pt, values flush right, 150 dpi bilevel, skewed 2°.
KAI_GRID = (
    "rules=grid,vlabel=wrapped,header_repeat=no,t3_break=natural,header=classic,widths=classic,align=right,"
    "font=楷体,size=10,spacing=single,title=agency_line,signature=no,dpi=150,colour=bilevel,rotation=skew2,"
    "renderer=libreoffice"
)

# A 楷体 1 as the scan of synth_996031 printed it (11 × 21 px, 150 dpi bilevel): the flag's tip reaches
# the glyph's left edge at a third of its height, the stem alone below.
KAI_ONE = """
.......###.
......####.
.....#####.
...#######.
.#########.
.####.####.
####...####
###....####
.......####
.......####
.......####
......#####
......#####
......#####
......#####
......#####
......#####
......#####
.......####
........###
........##.
"""


def _glyph(drawing: str) -> np.ndarray:
    rows = drawing.split()
    return np.array([[255 if c == "#" else 0 for c in row] for row in rows], np.uint8)


def _passes(*texts: str) -> list[Reading]:
    return [Reading(t, 95.0) for t in texts]


def test_a_glyph_split_between_1_and_4_with_only_a_stem_in_its_middle_is_1() -> None:
    one = _glyph(KAI_ONE)
    box = (0, 0, one.shape[1], one.shape[0])
    assert _one_or_four(_passes("4", "1", "4", "1"), one, box) == "1"
    # A 4: its crossbar fills a row of the middle band across the glyph; the vote stands.
    four = one.copy()
    four[14:16, :] = 255
    four[8:14, 1:3] = 255
    assert _one_or_four(_passes("4", "1", "4", "1"), four, box) is None
    # Only a 1-against-4 split is judged, and only a glyph tall enough to show a 4's thin crossbar.
    assert _one_or_four(_passes("4", "7", "4", "1"), one, box) is None
    assert _one_or_four(_passes("4", "4"), one, box) is None
    small = one[::2, ::2]
    assert _one_or_four(_passes("4", "1"), small, (0, 0, small.shape[1], small.shape[0])) is None


@pytest.mark.slow
def test_kai_ones_read_as_4_by_eng_read_1_unsettled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Seed 611008 page 2: t3's 法律服务机构 column holds a 1 in the rows of (一)予以公开 and (七)总计.
    # `eng` read each 4 at 89–95 at both heights, `chi_sim` 1 at 87–94; the first vote chose 4 by the
    # sum of confidences, the second look did not settle, and both cells stood at 4 (in review).
    case = Case(611008, "2019", "pdf", "simplified", True)
    page = knob_scan_page(tmp_path, monkeypatch, KAI_GRID, case, 0, 2, mixed_pages=True)
    rows = [row for b in page.blocks if isinstance(b, Table) for row in b.rows()]
    for label in ("予以公", "总计"):
        # The row of seven figures after its label (the header's 总计 heads a column).
        found = [(r, next((i + 1 for i, c in enumerate(r) if label in c.text), 0)) for r in rows]
        row, start = next((r, i) for r, i in found if i and len(r) - i >= 7)
        figures = row[start : start + 7]
        assert [c.text for c in figures][4] == "1", [c.text for c in row]
        # Unsettled: the shape tells the vote which, the table's arithmetic may confirm it.
        assert figures[4].conf < REVIEW_THRESHOLD
