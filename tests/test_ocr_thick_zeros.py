"""Slashed zeros of the 楷体 stand-in (WenQuanYi Zen Hei Mono) at 9 pt, scanned at 150 dpi and stored at 1 bit,
skewed: strokes thickened until the counters are slits of a pixel or two, so the counters' shift and lean
no longer tell them from 8 (seed 618650: 140 of 208 fields right; 614422: t3's balance failed and t2 went
to review). On a page shown to slash its zeros, a glyph of those zeros' own size whose middle is as wide as
its bowls is one of them (`glyphs._zeros_of_page_size`); an 8 of the same size (its waist) and the CJK
glyphs of a line (a neighbour wider or taller than the zeros) keep their counters."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.ocr import glyphs
from ingest.ocr.glyphs import unslash_zeros

# Cropped from synth_618650.tif (page 2's t3 rows, then page 1's "18" and two CJK runs pasted below them),
# cleaned as the reader cleans a page and thresholded at that page's Otsu level (181).
FIXTURE = Path(__file__).parent / "fixtures" / "glyphs" / "kai9_150dpi_1bit_zeros.png"
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
PPI = 150.0
TABLE_ROWS = 366  # the t3 rows; below them the "18" and the CJK runs
LEFT, TOP = 300, 200  # where the crop sits on an A4 page at 150 dpi


def _page(extra: np.ndarray | None = None) -> np.ndarray:
    crop = cv2.imread(str(FIXTURE), cv2.IMREAD_GRAYSCALE)
    page = np.full((1754, 1240), 255, np.uint8)
    page[TOP : TOP + crop.shape[0], LEFT : LEFT + crop.shape[1]] = crop
    if extra is not None:
        y = TOP + crop.shape[0] + 20
        page[y : y + extra.shape[0], LEFT : LEFT + extra.shape[1]] = extra
    return page


def _slashed_left(ink_region: np.ndarray) -> list[tuple[int, int]]:
    """Digit-sized glyphs that still have two counters or more."""
    _, ink = cv2.threshold(ink_region, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    left = []
    for i, contour in enumerate(contours):
        if hierarchy[0][i][3] != -1:
            continue
        counters, child = 0, hierarchy[0][i][2]
        while child != -1:
            counters, child = counters + 1, hierarchy[0][child][0]
        x, y, _w, h = cv2.boundingRect(contour)
        if counters >= 2 and 10 <= h <= 20:
            left.append((x, y))
    return left


def test_thick_one_bit_zeros_of_the_pages_size_are_unslashed() -> None:
    # Before: six zeros of these t3 rows kept their slash (no waist by the outline's narrowest row, at
    # 8-9 px wide a 1-px taper reads as 0.78; counters shifted by -1..0 px) and read as 8.
    page = _page()
    before = page.copy()
    unslash_zeros(page, PPI)
    table = page[TOP : TOP + TABLE_ROWS, LEFT : LEFT + 630]
    assert len(_slashed_left(before[TOP : TOP + TABLE_ROWS, LEFT : LEFT + 630])) >= 30
    assert len(_slashed_left(table)) <= 1
    # The "18" (an 8 of the zeros' size, its upper bowl no wider than its waist) and the CJK runs
    # (信, 息, 查 with two or three counters) are left as printed.
    below = slice(TOP + TABLE_ROWS, None)
    assert (page[below] == before[below]).all()


def _cjk_run() -> np.ndarray:
    """时明旧 at 24 px: 明's 日 is 8x15 px with no waist, the page's zeros' size; its neighbour 月 is taller."""
    im = Image.new("L", (120, 40), 255)
    ImageDraw.Draw(im).text((4, 4), "时明旧", font=ImageFont.truetype(str(WQY), 24, index=1), fill=0)
    return np.where(np.asarray(im) > 128, 255, 0).astype(np.uint8)


@pytest.mark.skipif(not WQY.exists(), reason="CJK fonts for drawing")
def test_a_zero_sized_cjk_part_in_a_cjk_line_keeps_its_counters(monkeypatch: pytest.MonkeyPatch) -> None:
    # A size rule without the neighbour test erased the counters of 自 in 安溪县自然资源局 (synth_996022).
    page = _page(_cjk_run())
    before = page.copy()
    unslash_zeros(page, PPI)
    run = slice(TOP + 446 + 20, None)
    assert (page[run] == before[run]).all()
    # The neighbour test is what keeps it: without it 明's 日 would be taken for a zero.
    monkeypatch.setattr(glyphs, "_cjk_neighbour", lambda *_args: False)
    page = before.copy()
    unslash_zeros(page, PPI)
    assert not (page[run] == before[run]).all()
