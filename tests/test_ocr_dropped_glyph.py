"""A number read with a digit fewer than the glyphs printed (黑体 9 pt, 150 dpi, 1-bit: "15" read as "5"
by three passes of four and settled `ok`; t2 has no sum to catch it) is not settled: the ink is wider
than the digits read and holds more full-height glyphs. Rendered with a real font at scan size."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ingest.ocr.read import _glyph_dropped, _ink, _tall_glyphs, tight_box

FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # what the test PDFs are set in


def _cell(text: str, speck: bool = False) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A cell's ink at 200 dpi, 10 pt digits; its tight ink box."""
    image = Image.new("L", (200, 50), 255)
    draw = ImageDraw.Draw(image)
    draw.text((20, 10), text, fill=0, font=ImageFont.truetype(FONT_FILE, 28))
    if speck:
        draw.rectangle((70, 30, 72, 32), fill=0)
    gray = np.asarray(image)
    ink = _ink(gray, 180.0)
    box = tight_box(ink)
    assert box is not None
    return ink, box


def test_a_digit_read_short_of_its_glyphs_is_a_dropped_glyph() -> None:
    ink, box = _cell("15")
    assert _glyph_dropped(ink, box, "5")
    assert not _glyph_dropped(ink, box, "15")


def test_numbers_read_whole_are_not() -> None:
    for text in ("0", "1", "8", "11", "60", "104", "7730.28"):
        ink, box = _cell(text)
        assert not _glyph_dropped(ink, box, text), text


def test_a_speck_beside_the_digits_widens_the_ink_but_adds_no_glyph() -> None:
    ink, box = _cell("16", speck=True)
    assert not _glyph_dropped(ink, box, "16")


def test_a_zero_broken_in_two_arcs_is_two_glyphs_but_not_wide() -> None:
    ink, box = _cell("0")
    x0, y0, x1, y1 = box
    broken = ink.copy()
    middle = slice(x0 + (x1 - x0) // 3, x1 - (x1 - x0) // 3)
    broken[y0 : y0 + 5, middle] = 0  # the 1-bit scan lost the 0's thin top and bottom
    broken[y1 - 5 : y1, middle] = 0
    box = tight_box(broken)
    assert box is not None
    assert _tall_glyphs(broken[box[1] : box[3], box[0] : box[2]]).glyph_count == 2
    assert not _glyph_dropped(broken, box, "0")
