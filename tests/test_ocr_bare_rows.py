"""Rule-less tables (`rules=none`): value columns of flush-left or flush-right numbers under centred
headers, t2's procurement row with its amount, t4's one row of values under a header spanning columns.
Drawn here and read by real Tesseract. Causes found on seeds 710001–710012
(`SYNTH_FORCE_KNOBS=rules=none`)."""

from __future__ import annotations

from PIL import Image, ImageDraw

from tests.test_ocr_bare_enumerators import A4, _font, _rows, _t4_page, pytestmark  # noqa: F401

# t2's sections: heading, header words per value column, rows of (label, values).
T2 = [
    (
        "第二十条第（一）项",
        ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
        [("规章", ["5", "0", "19"]), ("规范性文件", ["0", "7", "15"])],
    ),
    (
        "第二十条第（五）项",
        ["上一年项目数量", "本年增/减", "处理决定数量"],
        [("行政许可", ["23", "0", "101"]), ("其他对外管理服务事项", ["0", "8", "0"])],
    ),
    (
        "第二十条第（六）项",
        ["上一年项目数量", "本年增/减", "处理决定数量"],
        [("行政处罚", ["0", "0", "170"]), ("行政强制", ["0", "7", "122"])],
    ),
]
PROCUREMENT = ("第二十条第（九）项", ["采购项目数量", "采购总金额"], ("政府集中采购", ["5", "2,545,800元"]))


def _t2_page(align: str, procurement: bool = False) -> Image.Image:
    """Seed 710001's (flush left) or 710005's (flush right) t2 at 200 ppi with no rules: a label column,
    three value columns 1.4 in wide, headers centred in them, numbers flush to one side, 42 px a line."""
    sections = [(heading, [header], rows) for heading, header, rows in T2]
    if procurement:
        heading, header, row = PROCUREMENT
        sections.append((heading, [header], [row]))
    return t2_sections_page(sections, align)


# A t2 section: its heading, its header's printed lines (words per value column), rows of (label, values).
Section = tuple[str, list[list[str]], list[tuple[str, list[str]]]]


def t2_sections_page(sections: list[Section], align: str) -> Image.Image:
    """t2's sections drawn with no rules at 200 ppi: a label column and value columns 1.4 in wide (two,
    the second twice as wide, where the header has two words), header words centred, numbers flush to
    one side (`align`), 42 px a line."""
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(28)
    label, cols = (240, 520), [520, 800, 1080, 1360]
    y = 300

    def centred(text: str, x0: int, x1: int) -> None:
        draw.text(((x0 + x1 - draw.textlength(text, font=font)) / 2, y), text, font=font, fill="black")

    def value(text: str, x0: int, x1: int) -> None:
        w = draw.textlength(text, font=font)
        draw.text((x0 + 20 if align == "left" else x1 - 20 - w, y), text, font=font, fill="black")

    for heading, header, rows in sections:
        centred(heading, cols[0], cols[-1])
        y += 42
        edges = cols if len(header[0]) == 3 else [cols[0], cols[1], cols[3]]
        for line in header:
            if line is header[0]:
                centred("信息内容", *label)
            for k, text in enumerate(line):
                centred(text, edges[k], edges[k + 1])
            y += 42
        for name, values in rows:
            centred(name, *label)
            for k, text in enumerate(values):
                value(text, edges[k], edges[k + 1])
            y += 42
    return page


def _value_rows(page: Image.Image) -> list[list[str]]:
    labels = {name for _h, _c, rows in T2 for name, _v in rows} | {PROCUREMENT[2][0]}
    rows = _rows(page)
    return [[c.replace(" ", "") for c in r] for r in rows if r and r[0].replace(" ", "") in labels]


def test_flush_left_values_under_centred_headers_keep_one_column_each() -> None:
    # Seed 710001 (align=left): between two value columns lay two blank strips, one each side of the
    # centred header (0 … 新制作数量 … 0); both became cuts, every value row had an empty cell beside
    # each value, and t2's sections went to review ("empty stray cells dropped", 20 fields).
    rows = _value_rows(_t2_page("left"))
    assert rows == [[name, *values] for _h, _c, section in T2 for name, values in section]


def test_flush_right_values_keep_their_label_cut_and_one_column_each() -> None:
    # Seed 710005 (align=right): the header of the first value column, clear of the label and of the
    # numbers, voted a second cut between them: an empty column after every label.
    rows = _value_rows(_t2_page("right"))
    assert rows == [[name, *values] for _h, _c, section in T2 for name, values in section]


def test_the_procurement_row_with_its_amount_is_a_table_row() -> None:
    # Seeds 710003, 710005, 710012: 政府集中采购 | 5 | 2,545,800元 under its own section heading was no
    # table line (its amount is wider than a number) and was left out of t2: procurement not found.
    rows = _value_rows(_t2_page("right", procurement=True))
    name, values = PROCUREMENT[2]
    # Its amount spans the last two columns of the sections above: the row may keep an empty cell.
    assert [c for c in rows[-1] if c] == [name, *values], rows


def test_t4_values_under_a_close_heading_and_a_spanning_header_stay_apart() -> None:
    # Seed 710008: the section heading close above t4 (three runs at its 、, so a voter) and
    # 未经复议直接起诉 over five columns inked the strip between two of t4's values: no cut there, the
    # two read as one cell (00) and t4 went to review.
    rows = _rows(_t4_page(heading_y=640))
    values = [r for r in rows if sum(c.strip().isdigit() for c in r) >= 10]
    assert len(values) == 1, rows
    assert [c for c in values[0] if c.strip()] == [
        "2",
        "0",
        "0",
        "0",
        "2",
        "0",
        "1",
        "3",
        "0",
        "4",
        "0",
        "0",
        "0",
        "0",
        "0",
    ]
