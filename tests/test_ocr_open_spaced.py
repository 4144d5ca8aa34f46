"""A t2 of horizontal rules only with a letter-spaced full-width amount, and a grey seal over the
signature's date (synth_996042: 楷体 11 pt, 300 dpi grey, rules=horizontal, widths=wide_label; the
procurement row read count None, amount 4, and no signature date was found), each cause on a drawn page
or cell read by real Tesseract."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ingest.document import Line
from ingest.ocr import ocr_image
from ingest.ocr.open_grid import merge_section_gaps
from ingest.ocr.read import _letter_spaced, looks_like_label, read_cell, tight_box
from ingest.record import REVIEW_THRESHOLD

ZEN_HEI = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")  # 楷体 as the synth scans print it
A4_300 = (2481, 3508)

pytestmark = pytest.mark.skipif(not ZEN_HEI.exists(), reason="CJK font for drawing pages")


def _font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(ZEN_HEI), px)


def _spaced(
    draw: ImageDraw.ImageDraw, x: int, y: int, text: str, font: ImageFont.FreeTypeFont, gap: int
) -> int:
    """`text` one character at a time, each on its own advance plus `gap` px (letter spacing). Returns
    the x after it."""
    for ch in text:
        draw.text((x, y), ch, font=font, fill=0)
        x += round(draw.textlength(ch, font=font)) + gap
    return x


def test_a_section_cut_holds_only_the_column_boundary_nearest_it() -> None:
    # synth_996042 page 2: t2's first section (其他对外管理服务事项, a long label) cut its label column
    # 36 px (0.12 in at 300 dpi) right of the procurement section's cut, a hair over the tolerance, so
    # both were column boundaries. The procurement row's own cut lay within the tolerance of both, both
    # held, and the sliver between them was a cell of its own: procurement.count read from it (empty),
    # the amount from the count's cell (4).
    xs = [329, 844, 880, 1306, 1389, 1434, 1715, 2152]
    nc = len(xs) - 1
    parent = list(range(nc))
    merge_section_gaps(parent, 0, xs, [845, 1389], [], 0.12 * 299)
    roots = [parent[c] for c in range(nc)]
    spans = [[xs[c] for c in range(nc) if roots[c] == r] for r in dict.fromkeys(roots)]
    assert [s[0] for s in spans] == [329, 844, 1389], spans


def test_a_letter_spaced_full_width_amount_is_read_as_money() -> None:
    # synth_996042 page 2: ４３１．５４万元 printed letter-spaced in 楷体 11 pt at 300 dpi stands 8.3 line
    # heights wide (each full-width digit half an em of ink on an em's advance, the spacing on top), past
    # the 7 a number may be: read as a label, "4万区".
    font = _font(46)
    cell = Image.new("L", (760, 62), 255)
    draw = ImageDraw.Draw(cell)
    _spaced(draw, 150, 4, "４３１．５４", font, 16)
    end = _spaced(draw, 150 + 6 * (46 + 16), 4, "万元", font, 0)
    assert end < 740
    gray = np.asarray(cell.filter(ImageFilter.GaussianBlur(0.8))).copy()
    ink = (gray < 160).astype(np.uint8) * 255
    box = tight_box(ink)
    assert box is not None and box[2] - box[0] > 7 * (box[3] - box[1])  # long end to end
    assert _letter_spaced(ink, box, 299.0)  # and a number's length in ink
    text, _box = read_cell(gray, (2, 2, 758, 60), 160.0, 299.0)
    assert text.text == "431.54万元", text
    # Read from a redrawn cell: never settled, whatever Tesseract's confidence.
    assert text.method == "ocr-closed-up" and text.conf < REVIEW_THRESHOLD


def test_a_long_letter_spaced_label_is_still_a_label() -> None:
    # Characters are as wide as the line is tall: eight of them are long however they are spaced.
    font = _font(46)
    cell = Image.new("L", (900, 62), 255)
    _spaced(ImageDraw.Draw(cell), 20, 4, "其他对外管理服务", font, 20)
    ink = (np.asarray(cell) < 160).astype(np.uint8) * 255
    box = tight_box(ink)
    assert box is not None and looks_like_label(ink, box) and not _letter_spaced(ink, box, 299.0)


def _grey_seal(page: Image.Image, cx: int, cy: int, r: int, level: int) -> None:
    """A round seal as a grey scan keeps a red one: a ring, rim text, a star, all in grey `level`,
    darkening what is under it (multiplied)."""
    seal = Image.new("L", page.size, 255)
    draw = ImageDraw.Draw(seal)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=level, width=12)
    font = _font(40)
    rim = "某某市审计局政务公开专用章"
    for i, ch in enumerate(rim):
        angle = math.radians(160 + 220 * i / (len(rim) - 1))
        x, y = cx + (r - 42) * math.cos(angle), cy + (r - 42) * math.sin(angle)
        glyph = Image.new("L", (50, 50), 0)
        ImageDraw.Draw(glyph).text((5, 2), ch, font=font, fill=255)
        glyph = glyph.rotate(-math.degrees(angle) - 90, expand=True)
        seal.paste(level, (int(x) - glyph.width // 2, int(y) - glyph.height // 2), glyph)
    star = [
        (
            cx + (56 if k % 2 == 0 else 22) * math.cos(math.radians(-90 + 36 * k)),
            cy + (56 if k % 2 == 0 else 22) * math.sin(math.radians(-90 + 36 * k)),
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=level)
    mixed = (np.asarray(page.convert("L"), np.float32) * np.asarray(seal, np.float32) / 255).astype(np.uint8)
    page.paste(Image.fromarray(mixed).convert("RGB"))


def test_a_grey_seal_over_the_signature_leaves_its_date_line_readable() -> None:
    # synth_996042 page 3 (楷体 11 pt, 300 dpi grey): the red seal, kept grey (~115), stamped over the
    # signature; its rim text 计局政务公开 stood on the date's line, and the line read
    # 计局政务70年2月26日: no signature date found.
    page = Image.new("RGB", A4_300, "white")
    draw = ImageDraw.Draw(page)
    font = _font(46)
    draw.text((300, 400), "六、其他需要报告的事项", font=font, fill="black")
    draw.text((380, 520), "无。", font=font, fill="black")
    draw.text((1924, 640), "德阳市民政局", font=font, fill="black")
    _spaced(draw, 1858, 750, "2020 年 2 月 26 日", font, 0)
    _grey_seal(page, 1730, 918, 216, 115)
    page = page.filter(ImageFilter.GaussianBlur(0.7))
    lines = [b.text.replace(" ", "") for b in ocr_image(page, 3).blocks if isinstance(b, Line)]
    assert "2020年2月26日" in lines, lines
