"""Rule-less tables (the `rules: none` knob) whose label columns look like value columns: drawn here and
read by real Tesseract. Causes found on the tuning seeds 660001–660012 (`SYNTH_FORCE_KNOBS=rules=none`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.document import Table
from ingest.ocr import ocr_image
from ingest.ocr.bare_grid import _single_glyph

NOTO_SANS = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
A4 = (1654, 2339)  # 8.27 x 11.69 in at 200 ppi
A4_150 = (1241, 1754)

pytestmark = pytest.mark.skipif(not NOTO_SANS.exists(), reason="CJK fonts for drawing pages")


def _font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(NOTO_SANS), px)


def _rows(page: Image.Image) -> list[list[str]]:
    tables = [b for b in ocr_image(page, 1).blocks if isinstance(b, Table)]
    return [[c.text for c in row] for t in tables for row in t.rows()]


def _numbers(row: list[str]) -> list[str]:
    return [x for x in row if x.isdigit()]


def _narrow_label_page() -> Image.Image:
    """t3's rows with even column widths (seed 660012's layout): 三、本年度办理结果 three characters a
    line at the left, the group labels beside it, and the sub-label column wrapping three characters a
    line (1.属于 / 国家秘 / 密), each line as narrow as a number at 26 px (0.39 in)."""
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(26)
    cols = [630, 760, 890, 1020, 1150, 1280, 1400]
    rows = [
        ({200: ["一、本年新收政府信息公开", "申请数量"]}, "0101001"),
        ({200: ["三、本"], 350: ["（一）"], 460: ["予以公开"]}, "2000002"),
        ({200: ["年度办"], 350: ["（三）", "不予公", "开"], 460: ["1.属于", "国家秘", "密"]}, "0300003"),
        ({200: ["理结果"], 460: ["2.其他", "法律行", "政法规", "禁止公", "开"]}, "1004005"),
        ({460: ["3.危及", "安全稳", "定"]}, "0060006"),
        ({460: ["4.保护", "第三方", "合法权", "益"]}, "3000003"),
    ]
    y = 400
    for labels, values in rows:
        for x, lines in labels.items():
            for i, text in enumerate(lines):
                draw.text((x, y + i * 40), text, font=font, fill="black")
        for cx, v in zip(cols, values, strict=True):
            draw.text((cx, y), v, font=font, fill="black")
        y += 40 * max(len(lines) for lines in labels.values())
    return page


def test_a_narrow_label_column_keeps_its_wrapped_lines_in_their_rows() -> None:
    # Seeds 660004 / 660012 (widths=even): the sub-label column's runs were as narrow as numbers, so it
    # was taken for the first value column and each wrapped line (国家秘, 密) became a row of its own,
    # its label cut off its values: 98–126 t3 fields in review per document.
    rows = _rows(_narrow_label_page())
    assert [_numbers(r) for r in rows] == [
        list(v) for v in ("0101001", "2000002", "0300003", "1004005", "0060006", "3000003")
    ]
    assert "国家秘" in "".join(rows[2]) and "密" in "".join(rows[2])


# The figures of the enumerator page's rows, as drawn and as they must be read.
ENUMERATOR_ROWS = [
    ["0", "1", "0", "0", "1"],
    ["2", "0", "0", "0", "2"],
    ["0", "3", "0", "0", "3"],
    ["1", "0", "0", "4", "5"],
    ["0", "0", "6", "0", "6"],
    ["3", "0", "0", "0", "3"],
    ["0", "2", "0", "0", "2"],
]


def _enumerator_page() -> Image.Image:
    """t3's rows with the sub-labels missing (the `missing_sublabels` fault) and values right-aligned:
    only the group labels' enumerators （四） and （五） stand in the label column, each on the row that
    opens its group, lined up like a column of numbers."""
    page = Image.new("RGB", A4_150, "white")
    draw = ImageDraw.Draw(page)
    font = _font(20)
    cols = [500, 596, 692, 788, 884]
    values = ENUMERATOR_ROWS
    labels = {1: ("(四)", "无法提"), 4: ("(五)", "不予处"), 6: ("(六)", "其他处")}
    y = 400
    for r, row in enumerate(values):
        if r in labels:
            draw.text((266, y), labels[r][0], font=font, fill="black")
            draw.text((254, y + 30), labels[r][1], font=font, fill="black")
        for cx, v in zip(cols, row, strict=True):
            w = draw.textlength(v, font=font)
            draw.text((cx + 12 - w, y), v, font=font, fill="black")
        y += 62
    return page


def test_group_enumerators_lined_up_are_no_value_column() -> None:
    # Seed 660002 (missing sub-labels, 150 dpi): (四) (五) (六) were number-shaped and lined up, so they
    # were taken for the first value column: the true first one stayed in the label cell (`(四)1`,
    # `供0`; 15 fields wrong, 131 in review), or here each wrapped label line became a row of its own.
    everything = _rows(_enumerator_page())
    rows = [r for r in everything if _numbers(r)]
    assert [_numbers(r) for r in rows] == ENUMERATOR_ROWS
    assert not any(ch.isdigit() for r in rows for ch in r[0])
    assert len(everything) == len(rows)  # 无法提 and 不予处 joined to the rows they continue
    assert "无法提" in rows[1][0]


def _one_value_sections_page() -> Image.Image:
    """t2's one-value sections with even column widths and left-aligned values (seeds 660004, 660011):
    the numbers in one column 0.55–0.95 in right of their labels, under a centred heading and a header whose title is centred
    over the value column."""
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(26)
    y = 400
    for heading, rows in (
        ("第二十条第（五）项", [("行政许可", "164")]),
        ("第二十条第（六）项", [("行政处罚", "0"), ("行政强制", "181")]),
        ("第二十条第（八）项", [("行政事业性收费", "514.3")]),
    ):
        draw.text((700, y), heading, font=font, fill="black")
        draw.text((345, y + 42), "信息内容", font=font, fill="black")
        draw.text((850, y + 42), "本年处理决定数量", font=font, fill="black")
        y += 84
        for label, value in rows:
            draw.text((345, y), label, font=font, fill="black")
            draw.text((640, y), value, font=font, fill="black")
            y += 42
    return page


def test_one_value_rows_close_to_their_labels_are_table_rows() -> None:
    # Seeds 660004 / 660011: a number 0.65 in from its label (rows needed 1 in) made no table line, so
    # t2's one-value sections were read as prose (行政许可164) and their four rows were not found.
    rows = _rows(_one_value_sections_page())
    pairs = [(r[0], _numbers(r) or [x for x in r[1:] if x]) for r in rows if r and r[0].startswith("行政")]
    assert pairs == [
        ("行政许可", ["164"]),
        ("行政处罚", ["0"]),
        ("行政强制", ["181"]),
        ("行政事业性收费", ["514.3"]),
    ]


def _band(texts: list[tuple[int, str]]) -> np.ndarray:
    img = Image.new("L", (700, 40), 0)
    draw = ImageDraw.Draw(img)
    for x, text in texts:
        draw.text((x, 4), text, font=_font(26), fill=255)
    return (np.asarray(img) > 127).astype(np.uint8) * 255


def test_a_label_running_into_a_narrow_column_is_no_vertical_label_glyph() -> None:
    # Seed 660015 (300 dpi, left-aligned): long labels wrapped over three lines each ran a character into
    # a narrow empty column, and those pieces, one per line, were joined down the column as a vertical
    # label's characters: three rows of labels merged into one cell (5.要求…(六)其他…2.申请人…), their
    # values under it unplaced (t3.other_* not found).
    xs = [0, 380, 440, 600]
    spill = _band([(10, "政机关确认或重新出具已获取信息")])  # 15 characters: ends inside column 1
    assert spill[:, 378:382].any() and spill[:, 382:438].any()
    assert not _single_glyph(spill, xs, 1, 200.0)
    alone = _band([(10, "政机关确认或重新出"), (392, "本")])  # one character standing in column 1
    assert _single_glyph(alone, xs, 1, 200.0)
