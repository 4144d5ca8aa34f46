"""A minus grown into its figure's first digit: holdout 989898's synth_989972 (黑体 12 pt, 150-dpi 1-bit
scan, upside down) printed t2's 本年增/减 as -4; binarized, the minus touched the 4's crossbar, the two
were one glyph, every pass read 4, and 4 was stored `ok` where no rule checks it — a silent error. Such a
cell now goes to review (`read._sign_joined`, through `_sign_dropped`)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.ocr.read import _ink, _sign_dropped, _sign_joined, tight_box

# The cell's ink as the scan gave it (24 × 22 px at 200 ppi): the minus, rows 12–15, runs into the 4.
MINUS_FOUR = """
..................##....
.................####...
................######..
...............#######..
..............########..
.............#########..
.............########...
............##########..
............####.#####..
............###...####..
..........#####...####..
..........#####...###...
.#############....####..
#############....######.
########################
.#####.#################
.........##############.
.................#####..
..................###...
..................###...
..................###...
..................###...
"""

FONTS = [
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2),
    (Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"), 2),
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"), 2),
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 1),
]


def _glyph(drawing: str) -> np.ndarray:
    return np.array([[255 if c == "#" else 0 for c in row] for row in drawing.split()], np.uint8)


def test_a_minus_grown_into_the_digit_is_a_sign_the_reading_lacks() -> None:
    ink = _glyph(MINUS_FOUR)
    box = (0, 0, ink.shape[1], ink.shape[0])
    assert _sign_joined(ink)
    assert _sign_dropped(ink, box, "4")
    assert not _sign_dropped(ink, box, "-4")
    # The 4 alone (the minus's columns erased): its crossbar leads its stem by 2 px, no sign.
    alone = ink.copy()
    alone[:, :10] = 0
    assert not _sign_dropped(alone, (10, 0, ink.shape[1], ink.shape[0]), "4")


@pytest.mark.parametrize(("font", "index"), [f for f in FONTS if f[0].exists()])
def test_no_digit_of_common_faces_leads_with_a_joined_sign(font: Path, index: int) -> None:
    # Every digit and a few figures in four faces, 9–14 pt at 150–300 dpi, as printed and thickened by
    # a pixel (a 1-bit scan's growth): a digit's own strokes never pass for a sign.
    found = []
    for dpi in (150, 200, 300):
        for pt in (9, 10.5, 12, 14):
            px = round(pt * dpi / 72)
            face = ImageFont.truetype(str(font), px, index=index)
            for text in [*"0123456789", "41", "74", "1574", "846.71", "４", "７"]:
                image = Image.new("L", (px * 8, px * 3), 255)
                ImageDraw.Draw(image).text((px, px // 2), text, fill=0, font=face)
                printed = _ink(np.asarray(image), 150.0)
                for ink in (printed, cv2.dilate(printed, np.ones((2, 2), np.uint8))):
                    box = tight_box(ink)
                    assert box is not None
                    if _sign_joined(ink[box[1] : box[3], box[0] : box[2]]):
                        found.append((dpi, pt, text))
    assert found == []
