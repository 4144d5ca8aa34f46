"""t4 (行政复议、行政诉讼, fifteen value columns) read with cells lost or shifted: ink no reader sees shut
the blank strips between its columns, a round 0 made its line of values no line of figures (t2's
政府集中采购 0 0 no row of values either), and a heading whose 、 was dropped as a speck joined it to
t3's table. Pages drawn here (or one page of a knob scan made alone) and read by real Tesseract. Causes
found on the scans of seeds 996030, 996033, 996035 and 996040 (`bench layouts --docs 0 --scans 24
--seed 996019`)."""

from __future__ import annotations

import math
import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.document import Table
from ingest.ocr import ocr_image
from ingest.ocr.bare_grid import _labelled_values
from ingest.ocr.geometry import ink_runs
from synth.corpus import Case
from tests.conftest import knob_scan_page, table_rows

NOTO_SANS = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
A4 = (1654, 2339)  # 8.27 x 11.69 in at 200 ppi

pytestmark = pytest.mark.skipif(not NOTO_SANS.exists(), reason="CJK fonts for drawing pages")

T4_VALUES = ["0", "1", "0", "0", "1", "0", "0", "0", "0", "0", "1", "1", "0", "1", "3"]


def _font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(NOTO_SANS), px)


def _rows(page: Image.Image) -> list[list[str]]:
    tables = [b for b in ocr_image(page, 1).blocks if isinstance(b, Table)]
    return [[c.text for c in row] for t in tables for row in t.rows()]


def _ruled_t4(smudge: str) -> Image.Image:
    """t4 at 200 ppi between five horizontal rules and no vertical one (rules=horizontal): 行政复议 |
    行政诉讼, the column titles (未经复议直接起诉 and 复议后起诉 over five columns each), their second
    words, and one row of fifteen values 90 px apart. `smudge` is what else the page holds: "seal", a
    dark-red stamp's arc, star and characters over 复议后起诉 (red ink the page as read lifts, but dark
    enough to stay in the grey the rules are found in), or "grain", faint grey specks of paper over the
    table (a grey scan's)."""
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(28)
    centre = [195 + 90.5 * k for k in range(15)]

    def put(text: str, x: float, y: int) -> None:
        draw.text((x - draw.textlength(text, font=font) / 2, y), text, font=font, fill="black")

    if smudge == "seal":  # under the text, as a stamp on a printed page shows
        red, (cx, cy, r) = (190, 40, 40), (1230, 760, 150)
        # An open arc (a seal found as no closed ring, whose ink is not lifted from the text mask).
        draw.arc((cx - r, cy - r, cx + r, cy + r), 150, 390, fill=red, width=9)
        star = []
        for i in range(10):
            reach, turn = (60 if i % 2 == 0 else 24), -math.pi / 2 + i * math.pi / 5
            star.append((cx + reach * math.cos(turn), cy + 50 + reach * math.sin(turn)))
        draw.polygon(star, fill=red)
        for i, ch in enumerate("政务公开"):
            draw.text((cx - 120 + 60 * i, cy - 80 + abs(i - 1.5) * 20), ch, font=_font(40), fill=red)
    for y in (640, 690, 740, 790, 840):
        draw.rectangle((150, y, 1500, y + 2), fill="black")
    put("行政复议", centre[2], 650)
    put("行政诉讼", (centre[5] + centre[14]) / 2, 650)
    for k, text in enumerate(["结果", "结果", "其他", "尚未", "总计"]):
        put(text, centre[k], 700)
    put("未经复议直接起诉", centre[7], 700)
    put("复议后起诉", centre[12], 700)
    for k in range(5, 15):
        put(["维持", "纠正", "其他", "尚未", "总计"][(k - 5) % 5], centre[k], 750)
    for k, v in enumerate(T4_VALUES):
        put(v, centre[k], 800)
    if smudge == "grain":
        rng = random.Random(5)
        for _ in range(400):
            x, y = rng.randrange(150, 1500), rng.randrange(640, 840)
            w, h, grey = rng.randrange(2, 5), rng.randrange(2, 5), rng.randrange(222, 236)
            draw.rectangle((x, y, x + w, y + h), fill=(grey, grey, grey))
    return page


def _values(rows: list[list[str]]) -> list[str]:
    return next(r for r in rows if sum(c.isdigit() for c in r) >= 10)


@pytest.mark.parametrize("smudge", ["seal", "grain"])
def test_ink_too_faint_to_read_shuts_no_strip_between_t4s_columns(smudge: str) -> None:
    # synth_996030 (黑体 9 pt, 150 dpi colour, Chromium): a red seal over 复议后起诉, not found as a
    # ring, left its arcs and characters in the grey page the text mask was taken from; they ran between
    # the figures, the strips between four columns were voted shut, and t4's row read 9 cells for 15
    # (six fields lost). synth_996035 (宋体 12 pt, 200 dpi grey, skewed): paper grain of two or three
    # pixels between the header words shut two strips, two values were one cell. Neither is ink that a
    # cell's reading sees (lighter than the page's threshold): the text mask is the page as read, less it.
    assert _values(_rows(_ruled_t4(smudge))) == T4_VALUES


# synth_996040's layout: rule-less, LibreOffice, 仿宋 12 pt at 1.5 spacing, scanned 1-bit at 200 dpi.
ROUND_ZEROS = (
    "rules=none,vlabel=vertical,header_repeat=yes,t3_break=forced,header=classic,widths=even,"
    "align=center,font=仿宋,size=12,spacing=1.5,title=agency_line,signature=no,dpi=200,colour=bilevel,"
    "rotation=none,renderer=libreoffice"
)


@pytest.mark.slow
def test_a_round_zero_keeps_t4s_values_a_line_of_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 仿宋's 0 in 1-bit scans is 0.82 as wide as tall, square enough to pass for a Chinese character: the
    # line of t4's values was no line of figures, no cut went between review.total and
    # suit_direct.upheld (their header words on other lines: 总计 high in its cell, 结果 / 维持 lower),
    # and the two read as one cell (41; synth_996040: "20", every value after it a column to the left).
    case = Case(618040, "2019", "pdf", "simplified", True)
    rows = table_rows(knob_scan_page(tmp_path, monkeypatch, ROUND_ZEROS, case, 1, 3))
    assert _values(rows) == ["3", "1", "0", "0", "4", "1", "0", "1", "0", "2", "0", "0", "0", "0", "0"]


def _t3_tail_and_t4_heading() -> Image.Image:
    """Rule-less at 200 ppi: t3's last four rows (labels from x 220, seven figures right-aligned), then
    0.19 in under them the section heading at the page's margin with its 、 lost as a speck (四, a
    glyph's width and 0.15 in of blank, then 政府信息公开行政复议、行政诉讼情况), then t4."""
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(30)

    def right(text: str, x: float, y: int) -> None:
        draw.text((x - draw.textlength(text, font=font), y), text, font=font, fill="black")

    def centred(text: str, x: float, y: int) -> None:
        draw.text((x - draw.textlength(text, font=font) / 2, y), text, font=font, fill="black")

    t3 = [
        (406, "5.要求行政机关确认", ["0"] * 7),
        (295, "（六）其他处理", ["1", "4", "0", "0", "1", "0", "6"]),
        (295, "（七）总计", ["11", "69", "0", "2", "8", "0", "90"]),
        (220, "四、结转下年度继续办理", ["0"] * 7),
    ]
    y = 200
    for x, label, values in t3:
        draw.text((x, y), label, font=font, fill="black")
        for k, v in enumerate(values):
            right(v, 714 + 128.5 * k, y)
        y += 43
    y += 26
    draw.text((79, y), "四", font=font, fill="black")
    draw.text((140, y), "政府信息公开行政复议、行政诉讼情况", font=font, fill="black")
    centre = [245 + 90.5 * k for k in range(15)]
    centred("行政复议", centre[2], y + 70)
    centred("行政诉讼", (centre[5] + centre[14]) / 2, y + 70)
    for k, text in enumerate(["结果", "结果", "其他", "尚未", "总计"]):
        centred(text, centre[k], y + 114)
    centred("未经复议直接起诉", centre[7], y + 114)
    centred("复议后起诉", centre[12], y + 114)
    for k in range(5, 15):
        centred(["维持", "纠正", "其他", "尚未", "总计"][(k - 5) % 5], centre[k], y + 158)
    for k, v in enumerate(T4_VALUES):
        right(v, centre[k] + 20, y + 208)
    return page


def test_a_heading_whose_comma_was_dropped_ends_the_table_above() -> None:
    # synth_996033 (Chromium, 仿宋 11 pt, 150 dpi colour, rule-less): the 、 of 四、 was a speck, dropped,
    # and 四 stood 0.151 in before 政府信息公开…, just past ENUMERATOR_GAP: a short run, so the heading
    # passed for no heading 0.19 in under t3's last row (closer than a heading is set apart). t3's tail
    # and t4 were one table, a cut of t3's ran through t4's review.total, and two of t4's fields were lost.
    rows = _rows(_t3_tail_and_t4_heading())
    carried = next(r for r in rows if any("结转下年度" in c for c in r))
    assert "".join(carried[:-7]).replace(" ", "") == "四、结转下年度继续办理"
    assert not any("情况" in c for c in carried)
    assert _values(rows) == T4_VALUES


def test_a_round_zero_beside_a_narrow_one_makes_a_labelled_row_of_values() -> None:
    # synth_996040 page 2: t2's 政府集中采购 0 0, its first 0 round (0.82 as wide as tall) and its second
    # narrower (0.74): one number-shaped run, so no row of values, no cut between the zeros, and they
    # read as one cell "00" (t2.procurement lost). A run of a figure's size beside a figure is one too.
    img = Image.new("L", (1400, 60), 0)
    draw = ImageDraw.Draw(img)
    draw.text((40, 5), "政府集中采购", font=_font(32), fill=255)
    draw.ellipse((700, 17, 718, 39), outline=255, width=5)  # 18 x 22 px
    draw.ellipse((1100, 16, 1116, 39), outline=255, width=5)  # 16 x 23 px
    ink = np.asarray(img).copy()
    inked = np.flatnonzero(ink.max(axis=1))
    line = (int(inked[0]), int(inked[-1]) + 1, ink_runs(ink.max(axis=0), min_gap=20, min_run=2))
    assert [r[0] for r in line[2]] == [41, 700, 1100]
    assert _labelled_values(ink, line, 200.0)
