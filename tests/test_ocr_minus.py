"""A full-width minus read as a sign, not as 一 (synth_615502: 黑体 13 pt, rules=none, 200 dpi colour),
on a cell drawn and read by real Tesseract."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ingest.ocr.read import read_cell

NOTO_SANS = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # 黑体 as the synth prints it
PPI = 200.0


@pytest.mark.skipif(not NOTO_SANS.exists(), reason="CJK font for drawing the cell")
def test_a_full_width_minus_is_read_as_a_sign() -> None:
    # synth_615502 (黑体 13 pt, t2 at 10.5 pt, 200 dpi): －２ in t2's 本年增/减 column. chi_sim read the
    # minus as 一 (一2, 一之), every chi_sim pass a word, and the cell went to the label reading: 一之,
    # t2.other_services a value short.
    font = ImageFont.truetype(str(NOTO_SANS), 29, index=2)  # Noto Sans CJK SC
    cell = Image.new("L", (280, 46), 255)
    ImageDraw.Draw(cell).text((110, 2), "－２", font=font, fill=0)
    gray = np.asarray(cell.filter(ImageFilter.GaussianBlur(0.6))).copy()
    text, _box = read_cell(gray, (2, 2, 278, 44), 160.0, PPI)
    assert text.text == "-2", text
