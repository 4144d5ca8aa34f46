"""Rule-less t3 (`rules=none`) with a vertical group label (`vlabel=vertical`): the enumerators 一、 and 二、
that start the first two rows' labels stand at the x of the vertical label's characters, alone in the
narrow first column. Drawn here and read by real Tesseract. Cause found on seed 702043
(`SYNTH_FORCE_KNOBS=rules=none,vlabel=vertical`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.document import Table
from ingest.ocr import ocr_image

NOTO_SANS = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
A4 = (1654, 2339)  # 8.27 x 11.69 in at 200 ppi
A4_150 = (1241, 1754)

pytestmark = pytest.mark.skipif(not NOTO_SANS.exists(), reason="CJK fonts for drawing pages")

# Label at x, its text, and the row's figures (自然人 … 总计).
ROWS = [
    ((200, "一、本年新收政府信息公开申请数量"), "1710100172"),
    ((200, "二、上年结转政府信息公开申请数量"), "2020206"),
    ((465, "（一）予以公开"), "8101000082"),
    ((265, "（二）部分公开"), "18010000019"),
    ((265, "（三）不予公开"), "0000000"),
    ((265, "（四）无法提供"), "0000000"),
    ((265, "（五）不予处理"), "3000003"),
    ((265, "（六）其他处理"), "0100001"),
    ((265, "（七）总计"), "1000001"),
]
STACK = "三、本年度办理结果"


def _figures(values: str) -> list[str]:
    """The drawn strings split into the seven columns' figures (an explicit split keeps 171, 81, 18)."""
    splits = {
        "1710100172": ["171", "0", "1", "0", "0", "0", "172"],
        "8101000082": ["81", "0", "1", "0", "0", "0", "82"],
        "18010000019": ["18", "0", "1", "0", "0", "0", "19"],
    }
    return splits.get(values, list(values))


def _stack_page() -> Image.Image:
    """Seed 702043's geometry at 200 ppi: the enumerators and the vertical label's characters at one x
    (200), each row's label continuing (一、本年新收…) or its sub-label set a column gap off (（一）…),
    seven value columns at the right, no rules."""
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(28)
    cols = [900, 1000, 1090, 1180, 1270, 1360, 1450]
    # The header: a note at the table's left edge (so the first column is wider than its characters),
    # one character over each value column.
    draw.text((186, 430), "(本列数据)", font=font, fill="black")
    for cx, head in zip(cols, "自商科社法其总", strict=True):
        draw.text((cx + 2, 430), head, font=font, fill="black")
    y = 500
    for r, ((x, label), values) in enumerate(ROWS):
        if r >= 2:
            draw.text((202, y), STACK[r - 2], font=font, fill="black")
        if label[1] == "、":
            # Seed 702043's Song face leaves the right half of 、's em box blank: 0.1 in before 本.
            draw.text((x, y), label[:2], font=font, fill="black")
            draw.text((x + 58, y), label[2:], font=font, fill="black")
        else:
            draw.text((x, y), label, font=font, fill="black")
        for cx, v in zip(cols, _figures(values), strict=True):
            w = draw.textlength(v, font=font)
            draw.text((cx + 30 - w, y), v, font=font, fill="black")
        y += 70
    return page


def _font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(NOTO_SANS), px)


def _rows(page: Image.Image) -> list[list[str]]:
    tables = [b for b in ocr_image(page, 1).blocks if isinstance(b, Table)]
    return [[c.text for c in row] for t in tables for row in t.rows()]


def test_enumerators_starting_labels_are_no_vertical_label_stack() -> None:
    # Seed 702043: 一、 and 二、 were single characters alone in the first column, one above the other,
    # and were merged as a vertical label's stack: 一、 and 二、 (and the stack's 三) read as one cell
    # "一一二一一", the 二、 row's label left without its enumerator. A label's own next character
    # follows its enumerator closer than a character's height; a stack character stands apart.
    rows = _rows(_stack_page())
    rows = [r for r in rows if any(c.isdigit() for c in r)]
    labels = ["".join(r[:2]).replace(" ", "") for r in rows[:2]]
    assert labels[0].startswith("一、本年新收"), rows[:2]
    assert labels[1].startswith("二、上年结转"), rows[:2]
    assert [[x for x in r if x.isdigit()] for r in rows[:2]] == [_figures(v) for _l, v in ROWS[:2]]


def _t4_page(heading_y: int = 600, review: str = "行政复议") -> Image.Image:
    """Seed 702043's t4 at 200 ppi with no rules: the section heading 四、政府信息公开行政复议、行政诉讼
    情况 broken at its 、 into three runs, set apart above the two-level header (未经复议直接起诉 centred
    over five columns) and one row of fifteen values 90 px apart. `review` is 行政复议 as printed (a
    test prints it misread) in the heading and over the first five columns."""
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(28)
    centre = [195 + 90.5 * k for k in range(15)]

    def put(text: str, x: float, y: int) -> None:
        draw.text((x - draw.textlength(text, font=font) / 2, y), text, font=font, fill="black")

    draw.text((193, heading_y), "四、", font=font, fill="black")
    draw.text((263, heading_y), f"政府信息公开{review}、", font=font, fill="black")
    for i, ch in enumerate("行政诉讼情况"):
        draw.text((661 + 36 * i, heading_y), ch, font=font, fill="black")
    put(review, centre[2], 688)
    put("行政诉讼", (centre[5] + centre[14]) / 2, 688)
    for k, text in enumerate(["结果", "结果", "其他", "尚未", "总计"]):
        put(text, centre[k], 730)
    put("未经复议直接起诉", centre[7], 730)
    put("复议后起诉", centre[12], 730)
    row3 = ["维持", "纠正", "结果", "审结", "", "结果", "结果", "其他", "尚未", "总计"]
    for k, text in enumerate([*row3, "结果", "结果", "其他", "尚未", "总计"]):
        put(text, centre[k], 771)
    for k in (5, 6, 7, 8, 10, 11, 12, 13):
        put(["维持", "纠正", "结果", "审结"][(k - 5) % 5], centre[k], 814)
    for k, v in enumerate(T4_VALUES):
        put(v, centre[k], 858)
    return page


T4_VALUES = ["2", "0", "0", "0", "2", "0", "1", "3", "0", "4", "0", "0", "0", "0", "0"]


def test_a_heading_set_apart_over_a_table_votes_no_column() -> None:
    # Seed 702043: the heading's three runs covered the blank strips between 纠正, 其他 and 尚未 under
    # 未经复议直接起诉, so those columns had no cut: their values read as one cell (000), t4 had 13
    # columns for 15 and 6 fields were wrong or in review.
    rows = _rows(_t4_page())
    values = [r for r in rows if sum(c.isdigit() for c in r) >= 10]
    assert len(values) == 1, rows
    assert [c for c in values[0] if c.strip()] == T4_VALUES


WRAPPED_ROWS = [
    (["1.属于", "国家秘", "密"], "0100001"),
    (["2.其他", "法律行", "政法规", "禁止公", "开的信", "息"], "2000002"),
    (["3.危及", "“三安", "全一稳", "定”的", "信息内", "容"], "0030003"),
    (["4.保护", "第三方", "合法权", "益"], "1000405"),
]


def _long_wrapped_page() -> Image.Image:
    """t3's sub-labels in an even-width column at 150 ppi (seed 703522, header=wrapped, widths=even):
    each wraps into up to six lines of three characters, so two rows' values stand more than
    MAX_ROW_GAP apart with only the label's narrow lines between them."""
    page = Image.new("RGB", A4_150, "white")
    draw = ImageDraw.Draw(page)
    font = _font(22)
    cols = [470, 567, 663, 759, 856, 952, 1040]
    y = 300
    for lines, values in WRAPPED_ROWS:
        for i, text in enumerate(lines):
            draw.text((343, y + 32 * i), text, font=font, fill="black")
        for cx, v in zip(cols, values, strict=True):
            draw.text((cx, y), v, font=font, fill="black")
        y += 32 * len(lines)
    return page


def test_rows_apart_with_a_label_wrapped_between_them_are_one_table() -> None:
    # Seed 703522: 2.其他 / 法律行 / 政法规 / 禁止公 / 开 put 0.93 in between two rows' values, more than
    # the 0.9 in that ends a table: t3's page broke into tables of a row or two, rows were lost
    # (denied_safety not found) and 132 right fields went to review.
    rows = [r for r in _rows(_long_wrapped_page()) if any(c.isdigit() for c in r)]
    assert [[c for c in r if c.isdigit()] for r in rows] == [list(v) for _l, v in WRAPPED_ROWS]
    assert "禁止公" in "".join(rows[1]) and "全一稳" in "".join(rows[2])


def _last_row_wrapped_page() -> Image.Image:
    """t3's last rows at 150 ppi (seed 703562, widths=wide_label): the last row's label wraps, its second
    line 续办理 under the row's values, and nothing of the table follows."""
    page = Image.new("RGB", A4_150, "white")
    draw = ImageDraw.Draw(page)
    font = _font(22)
    cols = [700, 790, 880, 970, 1060, 1150]
    y = 400
    for label, values in (
        ("（六）其他处理", "010001"),
        ("（七）总计", "300003"),
        ("四、结转下年度继", "200002"),
    ):
        draw.text((200, y), label, font=font, fill="black")
        for cx, v in zip(cols, values, strict=True):
            draw.text((cx, y), v, font=font, fill="black")
        y += 42
    draw.text((200, y - 42 + 30), "续办理", font=font, fill="black")
    return page


def test_the_last_rows_wrapped_label_stays_in_the_table() -> None:
    # Seed 703562: 四、结转下年度继 / 续办理 as t3's last row: the wrapped line was left out of the
    # table (narrow lines are kept only between rows), the label read 四、结转下年度继 and matched no
    # row: carried_forward in review.
    rows = [r for r in _rows(_last_row_wrapped_page()) if any(c.isdigit() for c in r)]
    assert [[c for c in r if c.isdigit()] for r in rows] == [list("010001"), list("300003"), list("200002")]
    assert "续办理" in "".join(rows[-1]).replace(" ", "")
