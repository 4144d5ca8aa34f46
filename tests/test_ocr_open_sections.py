"""t2's sections vote their own column cuts, and none runs through an amount (synth_610317 and
synth_615502: 黑体 13 pt, rules=none, 200 dpi colour; synth_711109: 黑体 12 pt, rules=horizontal). A
section heading printed with full-width brackets (第二十条第（一）项) breaks into three runs at a column
gap but is one run at HEADING_WORD_GAP; it started no section, so t2's sections of three values and of
two shared their cuts: one ran through a three-value header, one through procurement's amount."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.ocr.figures import a_point
from ingest.ocr.open_grid import _amounts, section_cuts, vote_cuts

PPI = 200.0
WIDTH = 1200
NOTO_SANS = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # 黑体 as the synth prints it


def _profile(*runs: tuple[int, int]) -> np.ndarray:
    p = np.zeros(WIDTH, np.uint8)
    for a, b in runs:
        p[a:b] = 255
    return p


# 第二十条第 | （一） | 项, centred, its brackets leaving 0.15 in blank each side (under 0.2 in).
HEADING = _profile((480, 560), (590, 620), (650, 680))
THREE = [
    # 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量
    _profile((40, 200), (400, 560), (700, 860), (1000, 1160)),
    _profile((40, 160), (470, 490), (770, 790), (1070, 1090)),  # 行政许可 | 18 | 0 | 36
    _profile((40, 280), (470, 490), (770, 790), (1060, 1100)),
]
TWO = [
    _profile((40, 200), (450, 650), (850, 1050)),  # 信息内容 | 采购项目数量 | 采购总金额
    _profile((40, 200), (540, 560), (880, 1020)),  # 政府集中采购 | 19 | ７３．９５萬
]


def test_a_heading_with_full_width_brackets_starts_a_section() -> None:
    rows = [HEADING, *THREE, HEADING, *TWO]
    cuts = section_cuts(rows, PPI)
    assert cuts[0] is None and cuts[4] is None
    assert cuts[1] == cuts[2] == cuts[3] == vote_cuts(THREE, PPI)
    assert cuts[5] == cuts[6] == vote_cuts(TWO, PPI)
    assert len(cuts[1] or []) == 3 and len(cuts[5] or []) == 2
    # No cut of the two-value section runs through a word of its own rows.
    for a, b in [(450, 650), (850, 1050), (880, 1020)]:
        assert not any(a < c < b for c in cuts[5] or []), cuts[5]


def test_no_cut_runs_through_an_amount_of_the_sections_rows() -> None:
    # synth_711109: a section of two rows, its amount ３８８．６７万元 broken after the full-width point by
    # a blank wider than a column gap: the only row of values voted a cut into it.
    # Set at their cells' left (align=left), the amount starts left of its header word.
    header = _profile((40, 200), (400, 560), (860, 1000))
    values = _profile((40, 200), (450, 480), (700, 790), (815, 900))
    assert any(790 < c < 815 for c in section_cuts([header, values], PPI)[1] or [])
    cuts = section_cuts([header, values], PPI, [[], [(700, 900)]])
    assert cuts[0] == cuts[1] and cuts[1] is not None
    assert not any(700 < c < 900 for c in cuts[1]), cuts
    assert any(560 < c < 700 for c in cuts[1]), cuts


@pytest.mark.skipif(not NOTO_SANS.exists(), reason="CJK font for drawing the amount")
def test_an_amount_broken_after_its_full_width_point_is_one_span() -> None:
    # 黑体 12 pt at 200 dpi: the full-width point stands at the left of its em, the blank after it wider
    # than a column gap (0.1 in).
    font = ImageFont.truetype(str(NOTO_SANS), 33)
    cell = Image.new("L", (700, 50), 255)
    draw = ImageDraw.Draw(cell)
    draw.text((10, 5), "政府集中采购", font=font, fill=0)
    draw.text((300, 5), "１１", font=font, fill=0)
    draw.text((420, 5), "３８８．６７万元", font=font, fill=0)
    band = (np.asarray(cell) < 128).astype(np.uint8) * 255
    spans = _amounts(band, PPI)
    assert len(spans) == 1, spans
    a, b = spans[0]
    assert 415 <= a <= 440 and b >= 600, spans


def test_a_point_centred_as_traditional_faces_print_it() -> None:
    # synth_610317 (Noto Sans CJK TC): ７３．９５萬's full-width point stands on the figures' middle, not
    # their baseline; no point, the amount's halves were two runs, and t2's procurement section, voting
    # on its own, cut between them (the amount read 95).
    figures = np.zeros((30, 45), np.uint8)
    figures[3:27, 2:18] = figures[3:27, 29:44] = 255
    centred = np.zeros((30, 40), np.uint8)
    centred[11:18, 18:25] = 255
    assert a_point(centred, figures, PPI)
    on_baseline = np.zeros((30, 40), np.uint8)
    on_baseline[20:27, 2:9] = 255
    assert a_point(on_baseline, figures, PPI)
    high = np.zeros((30, 40), np.uint8)
    high[2:8, 18:25] = 255
    assert not a_point(high, figures, PPI)
