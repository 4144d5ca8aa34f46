"""t2's one-row sections in rule-less tables (`rules=none`), drawn here after synth_998045's page 2 (仿宋
14 pt, 150 dpi grey, Chromium) and read by real Tesseract: the header of 第二十条第（五）项 over 行政许可's
one value, its cells' lines staggered (本年处 / 理决定数量 beside 信息内容 between them), and the fees
row of 第二十条第（八）项, its amount printed letter-spaced (6 1 4 . 3 9)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.document import Table
from ingest.ocr import ocr_image
from ingest.ocr.bare_grid import Runs, _blocks

NOTO_SANS = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
A4 = (1654, 2339)  # 8.27 x 11.69 in at 200 ppi

needs_fonts = pytest.mark.skipif(not NOTO_SANS.exists(), reason="CJK fonts for drawing pages")

FONT_PX = 38  # 14 pt at 200 ppi


def _font() -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(NOTO_SANS), FONT_PX)


def _t2_page(spaced_fee: bool = False) -> Image.Image:
    """Sections (一), (五), (六) and (八) of t2 with no rules, about where synth_998045 sets them (200 ppi):
    each section heading centred and one run (ASCII brackets: Noto's full-width ones break it into three
    short runs, a table line), its header's wrapped cells staggered around 信息内容 a few px apart, the
    values flush right at x 1448; `spaced_fee` prints the fee spaced out, 0.8 in end to end."""
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font()

    def put(text: str, x: float, y: float) -> None:
        draw.text((x, y), text, font=font, fill="black")

    def right(text: str, y: float, edge: float = 1448) -> None:
        put(text, edge - draw.textlength(text, font=font), y)

    def centred(text: str, cx: float, y: float) -> None:
        put(text, cx - draw.textlength(text, font=font) / 2, y)

    step = 44  # a wrapped cell's lines, single spacing: a few px of paper between them
    centred("第二十条第(一)项", 850, 80)
    heads = [("本年", "制发件数"), ("本年", "废止件数"), ("现行有", "效件数")]
    for cx, (a, b) in zip([746, 1032, 1314], heads, strict=True):
        centred(a, cx, 140)
        centred(b, cx, 140 + step)
    put("信息内容", 364, 140 + step // 2)
    put("规章", 252, 250)
    for edge, v in zip([880, 1164, 1448], "090", strict=True):
        right(v, 250, edge)
    put("行政规范性文件", 252, 305)
    for edge, v in zip([880, 1164, 1448], ["0", "0", "38"], strict=True):
        right(v, 305, edge)
    y = 380
    sections = [("五", "本年处", "理决定数量", [("行政许可", "0")])]
    sections.append(("六", "本年处", "理决定数量", [("行政处罚", "179"), ("行政强制", "0")]))
    for heading, a, b, rows in sections:
        centred(f"第二十条第({heading})项", 850, y)
        centred(a, 1032, y + 60)
        centred(b, 1032, y + 60 + step)
        put("信息内容", 364, y + 60 + step // 2)
        y += 60 + 2 * step + 20
        for label, value in rows:
            put(label, 252, y)
            right(value, y)
            y += 55
        y += 20
    centred("第二十条第(八)项", 850, y)
    centred("本年收", 1032, y + 60)
    centred("费金额（单位：万元）", 1032, y + 60 + step)
    put("信息内容", 364, y + 60 + step // 2)
    y += 60 + 2 * step + 20
    put("行政事业性收费", 252, y)
    if spaced_fee:
        x = 1280.0
        for ch in "614.39":
            put(ch, x, y)
            x += draw.textlength(ch, font=font) + 9
    else:
        right("614.39", y)
    return page


def _rows(page: Image.Image) -> list[list[str]]:
    tables = [b for b in ocr_image(page, 1).blocks if isinstance(b, Table)]
    return [[c.text for c in row] for t in tables for row in t.rows()]


def _values(rows: list[list[str]], label: str) -> list[str]:
    row = next((r for r in rows if any(label in t for t in r)), None)
    assert row is not None, (label, rows)
    return [t for t in row if t and label not in t]


@functools.cache
def _drawn_rows() -> list[list[str]]:
    return _rows(_t2_page(spaced_fee=True))


@needs_fonts
def test_a_one_row_section_under_a_staggered_header_is_a_table() -> None:
    # synth_998045 page 2: 本年处 over 理决定数量 with 信息内容 between them make one band of ink as tall
    # as two lines and with no short run, taken for a heading in larger type: it ended the table above
    # and started none, and 行政许可 … 0, one table line, was read as the prose line 行政許可0
    # (t2.license.decisions not found).
    assert _values(_drawn_rows(), "行政许可") == ["0"]


@needs_fonts
def test_a_letter_spaced_amount_far_from_its_label_keeps_its_row() -> None:
    # synth_998045 page 2: 6 1 4 . 3 9 printed spaced out ran wider than FAR_AMOUNT and read as a label,
    # so 行政事业性收费's line was no table line and read as the prose "人 614.39" (t2.fees.amount lost).
    assert _values(_drawn_rows(), "行政事业性收费") == ["614.39"]


def _line(y0: int, y1: int, runs: list[tuple[int, int]], flag: str = "") -> tuple[int, int, Runs]:
    line = Runs(runs)
    if flag:
        setattr(line, flag, True)
    return (y0, y1, line)


# synth_998062 page 2 (楷体 9 pt, 28 pt spacing, 200 dpi bilevel, Chromium), the lines as `bare_grid._lines`
# found them (y px, runs x0–x1 px, a flag it set): t2's sections, the last one (第二十条第（八）项) its
# header 本年收 / 信息内容 / 费金额（单位：万元）, then 行政事業 / 0 / 性收费, the fee centred on its
# label's two lines (_centred_values), and t3's heading and header under it.
PPI_998062 = 204.819
PAGE_998062 = [
    _line(106, 134, [(738, 963)]),
    _line(191, 218, [(710, 786), (995, 1068), (1289, 1340)]),
    _line(231, 258, [(374, 475)]),
    _line(270, 297, [(711, 786), (993, 1069), (1265, 1365)], "amount_row"),
    _line(356, 382, [(254, 302), (867, 882), (1150, 1165), (1433, 1448)]),
    _line(443, 467, [(253, 302)]),
    _line(483, 505, [(862, 877), (1150, 1165), (1419, 1448)], "centred_values"),
    _line(521, 547, [(254, 377)]),
    _line(606, 634, [(738, 963)]),
    _line(692, 707, [(1007, 1056)]),
    _line(731, 757, [(374, 474)]),
    _line(770, 796, [(957, 1106)]),
    _line(857, 882, [(253, 353), (1429, 1444)]),
    _line(941, 969, [(738, 963)]),
    _line(1028, 1054, [(994, 1069)]),
    _line(1066, 1093, [(374, 474)]),
    _line(1106, 1133, [(968, 1093)]),
    _line(1191, 1217, [(253, 352), (1403, 1448)]),
    _line(1279, 1304, [(253, 353), (1402, 1449)]),
    _line(1364, 1392, [(738, 963)]),
    _line(1449, 1475, [(993, 1069)]),
    _line(1489, 1516, [(374, 474)]),
    _line(1529, 1556, [(908, 1057), (1082, 1142)]),
    _line(1615, 1641, [(253, 352)]),
    _line(1655, 1677, [(1433, 1448)], "centred_values"),
    _line(1692, 1717, [(252, 327)]),
    _line(1799, 1826, [(77, 103), (128, 503)]),
    _line(1906, 1934, [(230, 489), (515, 715), (1085, 1159)]),
    _line(1983, 2010, [(290, 625), (1095, 1146)]),
]


def test_values_centred_on_their_label_after_a_section_heading_stay_in_the_table() -> None:
    # synth_998062: the fee's row, values alone between its label's lines, stood farther than a row's
    # gap under the last row above (the section heading and header between them): it started a table
    # of its own, one line, which was none, and t2.fees.amount was not found.
    blocks = _blocks(PAGE_998062, 1372, PPI_998062)
    fee = next((b for b in blocks if any(ln[0] == 1655 for ln in b)), None)
    assert fee is not None, blocks
    assert any(ln[0] == 1279 for ln in fee), fee  # t2's table, not a table of its own
