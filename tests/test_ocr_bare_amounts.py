"""t2's one-row sections in rule-less tables (`rules=none`): the row of 政府集中采购 (a count and an
amount) and of 行政事业性收费 (one amount), read by real Tesseract on pages drawn with the layouts they
were lost in (the corpus c996019, session 18)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ingest.ocr.bare_grid import Runs, _with_aligned_values
from tests.test_ocr_bare_columns import _page_rows, _row

# synth_996019's layout: 楷体 12 pt, values at their cells' left, even widths, 300 dpi bilevel, landscape.
KAI_LEFT = (
    "rules=none,vlabel=vertical,header_repeat=yes,t3_break=forced,header=classic,widths=even,align=left,"
    "font=楷体,size=12,spacing=single,title=guanyu,signature=no,dpi=300,colour=bilevel,rotation=landscape,"
    "renderer=libreoffice"
)


@pytest.mark.slow
def test_a_full_width_amount_broken_at_its_point_keeps_its_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 611016 (full-width digits): 政府集中採購 | 4 | ５７５．９６萬元. The full-width point stands
    # alone in a blank wider than a column gap and, a speck, was not in the ink the runs are taken
    # from: the amount broke into ５７５ and a label-wide ９６萬元, the row was no table line and was
    # left out of t2 (t2.procurement.count and .amount not found).
    rows = _page_rows(tmp_path, monkeypatch, KAI_LEFT, (611016, "2019"), 0, 2, script="traditional")
    procurement = [t for t in _row(rows, "政府集中") if t]
    assert procurement[1:] == ["4", "575.96萬元"], rows


def _line(y0: int, y1: int, runs: list[tuple[int, int]]) -> tuple[int, int, Runs]:
    return (y0, y1, Runs(runs))


# synth_996040 page 2 (仿宋 12 pt, values centred, even widths, 200 dpi bilevel), the lines of t2 as
# `bare_grid._lines` found them (y px, runs x0–x1 px): two rows of a four-column section, then the fees
# section (上一年项目数量 | 本年增/减) and the procurement section (采购项目数量 | 采购总金额), two columns
# each, their labels wrapped (行政事业 / 性收费, 政府集中 / 采购).
PPI_200 = 199.3
FOUR_COLUMNS = [
    _line(598, 628, [(344, 460), (716, 734), (1000, 1017), (1267, 1318)]),
    _line(638, 668, [(236, 353), (709, 742), (1000, 1018), (1284, 1301)]),
]
FEES_SECTION = [
    _line(952, 984, [(344, 461), (696, 755), (1122, 1179)]),
    _line(992, 1024, [(652, 798), (1113, 1187)]),
    _line(1032, 1062, [(237, 353), (716, 734), (1142, 1159)]),
    _line(1072, 1101, [(236, 323)]),
]
PROCUREMENT_SECTION = [
    _line(1150, 1181, [(344, 460), (681, 769), (1107, 1195)]),
    _line(1190, 1220, [(684, 769), (1122, 1181)]),
    _line(1230, 1259, [(344, 459), (717, 735), (1134, 1151)]),
    _line(1269, 1298, [(374, 431)]),
]
ROWS_OF_FIGURES = (598, 638, 1032, 1230)


def _t2_ink(block: list[tuple[int, int, Runs]]) -> np.ndarray:
    """Words as solid blocks a line high; figures as digits 13 px wide, shorter than the words; the
    procurement row's two 0s as wide as 0.82 of their height, as a bilevel 仿宋 0 prints (no number
    by its shape: looks_like_label)."""
    ink = np.zeros((1400, 1500), np.uint8)
    for y0, y1, runs in block:
        for a, b in runs:
            if y0 == 1230 and b - a < 60:
                ink[y0 + 7 : y1 - 1, a - 1 : b + 1] = 255
            elif y0 in ROWS_OF_FIGURES and b - a < 60:
                for x in range(a, b, 17):
                    ink[y0 + 5 : y1 - 3, x : min(x + 13, b)] = 255
            else:
                ink[y0 + 1 : y1 - 1, a:b] = 255
    return ink


def test_no_cut_runs_through_a_figure_of_its_section() -> None:
    # The other sections' number columns (and their centred alignment) placed a cut at 1142 for every
    # section; the procurement row's 0s, no numbers by their shape, counted for no row of values, and
    # the cut ran through its second 0: the section's cells merged into one (00), both fields lost. A
    # section's figures, told by their strokes and height, keep its voted cuts.
    block = [*FOUR_COLUMNS, *FEES_SECTION, *PROCUREMENT_SECTION]
    four, fees, procurement = [578, 859, 1144], [578, 938], [570, 938]
    sections: list[list[int] | None] = [four] * 2 + [fees] * 4 + [procurement] * 4
    out = _with_aligned_values(_t2_ink(block), block, sections, PPI_200)
    assert out[-4:] == [procurement] * 4
    assert out[0] == [578, 871, 1142]  # the other sections' cuts still placed by their numbers


# synth_615502 page 2 (黑体 13 pt, values centred, 200 dpi colour): two rows of a three-value section,
# then the procurement section as `bare_grid._lines` found it: 信息内容 | 采购 / 项目数量 | 采购总 / 金额,
# 政府集中 | 8 | ８７０．５２ (the label wrapped, 采购 under it).
THREE_VALUES = [
    _line(700, 730, [(345, 460), (709, 742), (985, 1015), (1270, 1310)]),
    _line(740, 770, [(236, 400), (716, 734), (991, 1009), (1282, 1298)]),
]
AMOUNT_SECTION = [
    _line(1646, 1676, [(345, 460), (697, 754), (1109, 1194)]),
    _line(1689, 1718, [(668, 783), (1122, 1180)]),
    _line(1732, 1760, [(374, 431), (718, 733), (1056, 1253)]),
    _line(1774, 1802, [(345, 460)]),
]


def _figures_ink(block: list[tuple[int, int, Runs]], figures: set[tuple[int, int]]) -> np.ndarray:
    """Words as solid blocks a line high; the runs in `figures` as digits 13 px wide, shorter."""
    ink = np.zeros((1900, 1500), np.uint8)
    for y0, y1, runs in block:
        for a, b in runs:
            if (y0, a) in figures:
                for x in range(a, b, 17):
                    ink[y0 + 5 : y1 - 3, x : min(x + 13, b)] = 255
            else:
                ink[y0 + 1 : y1 - 1, a:b] = 255
    return ink


def test_no_cut_runs_through_an_amount_beside_a_figure() -> None:
    # synth_615502: t2's sections of three values and of two voted their own cuts, but the three-value
    # sections' number columns placed cuts for every section, one at 1142 through procurement's
    # ８７０．５２ (wider than a number, so no figure of its section), and it read 870 (a silent error).
    # The amount stands beside a figure (the count 8): it is one of the section's values, kept whole.
    block = [*THREE_VALUES, *AMOUNT_SECTION]
    figures = {(700, a) for a, _b in THREE_VALUES[0][2][1:]} | {(740, a) for a, _b in THREE_VALUES[1][2][1:]}
    figures |= {(1732, 718)}
    three, procurement = [578, 867, 1142], [578, 905]
    sections: list[list[int] | None] = [three] * 2 + [procurement] * 4
    out = _with_aligned_values(_figures_ink(block, figures), block, sections, PPI_200)
    assert out[-4:] == [procurement] * 4, out
