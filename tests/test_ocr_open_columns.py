"""Columns of tables printed with horizontal rules only (ingest/ocr/open_grid.py), causes found on the
knob scans with `rules: horizontal` (seeds 690101–690104: `header: wrapped`, `widths: wide_label`, t3
broken over a page), each on a page drawn here and read by real Tesseract."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.document import Table
from ingest.ocr import ocr_image
from synth.corpus import Case
from tests.conftest import knob_scan_page

NOTO_SANS = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
A4 = (1654, 2339)  # 8.27 x 11.69 in at 200 ppi

pytestmark = pytest.mark.skipif(not NOTO_SANS.exists(), reason="CJK font for drawing pages")


def _font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(NOTO_SANS), px)


def _tables(page) -> list[Table]:  # type: ignore[no-untyped-def]
    return [b for b in page.blocks if isinstance(b, Table)]


def _row_texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows()]


def _digits(row: list[str]) -> list[str]:
    return [x for x in row if x.isdigit()]


# t3's columns on the drawn pages: vertical label | group label | sub-label | 自然人 | two 法人 | 总计.
LEFT, VLABEL, GROUP, VALUES, RIGHT = 150, 210, 420, 860, 1500
COLS = [VALUES, 1020, 1200, 1380, RIGHT]


def _hline(draw: ImageDraw.ImageDraw, y: int, x0: int, x1: int = RIGHT) -> None:
    draw.line([(x0, y), (x1, y)], fill="black", width=2)


def _three_level_header(draw: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont, top: int) -> int:
    """申请人情况 over the value columns, 法人或其他组织 over two of them (总计 beside it), then the two
    organisations wrapped one character a line, seven lines (1.4 in): the header of `header: wrapped`
    in large type. Returns the y of the header's bottom rule."""
    _hline(draw, top, LEFT)
    draw.text((1050, top + 10), "申请人情况", font=font, fill="black")
    _hline(draw, top + 60, VALUES)  # under 申请人情况: starts where the value columns start
    draw.text((1060, top + 70), "法人或其他组织", font=font, fill="black")
    draw.text((RIGHT - 90, top + 70), "总计", font=font, fill="black")
    _hline(draw, top + 120, COLS[1], COLS[3])  # under 法人或其他组织 only
    for c, head in ((1, "商业企业组织"), (2, "科研机构法律服"), (0, "自然人")):
        for i, ch in enumerate(head):
            draw.text((COLS[c] + 50, top + 130 + 40 * i), ch, font=font, fill="black")
    bottom = top + 130 + 40 * 7 + 10
    _hline(draw, bottom, LEFT)
    return bottom


def _values(draw: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont, y: int, values: list[str]) -> None:
    for c, v in enumerate(values):
        draw.text((COLS[c] + 55, y), v, font=font, fill="black")


def test_a_tall_third_header_band_keeps_the_rows_ruled_under_it() -> None:
    # Seed 690103 (header: wrapped, 11 pt): t3's third header band (商/业/企/业 … 组/织 under 法人或其他组织)
    # is 1.3 in tall with many lines; only the top two bands could be a header, so the table was taken
    # for a 三线表 and cut into one row per text line (t3: 52 of 206 fields right).
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(26)
    y = _three_level_header(draw, font, 300)
    draw.text((LEFT + 10, y + 20), "一、本年新收政府信息公开申请数量", font=font, fill="black")
    _values(draw, font, y + 20, ["31", "0", "4", "35"])
    y += 70
    _hline(draw, y, LEFT)
    draw.text((LEFT + 10, y + 20), "（三）不予公开", font=font, fill="black")
    rows = [
        ("1.属于国家秘密", ["2", "0", "0", "2"]),
        ("2.其他法律行政法规禁止公开", ["0", "0", "3", "3"]),
        ("3.危及“三安全一稳定”", ["0", "1", "0", "1"]),
    ]
    for i, (label, values) in enumerate(rows):
        draw.text((GROUP + 10, y + 20), label, font=font, fill="black")
        _values(draw, font, y + 20, values)
        y += 70
        _hline(draw, y, LEFT if i == len(rows) - 1 else GROUP)  # the group label's cell runs down
    tables = _tables(ocr_image(page, 1))
    assert len(tables) == 1
    body = [r for r in _row_texts(tables[0]) if _digits(r)]
    assert [_digits(r) for r in body] == [["31", "0", "4", "35"], *[v for _label, v in rows]]
    assert [[x for x in r if x and not x.isdigit()][-1] for r in body[1:]] == [label for label, _v in rows]
    # The group label is one cell over its three rows (its column known from where the rules start).
    assert any("不予公开" in c.text and c.rowspan == len(rows) for c in tables[0].cells)


def test_a_row_label_over_the_label_columns_is_one_cell_despite_the_gap_after_its_numeral() -> None:
    # Seed 690104 (11 pt, 300 dpi): the label columns are known from where the rules under t3's sub-rows
    # start (the vertical 三、本年度办理结果, then the group labels). 一、本年新收政府信息公开申请数量 runs
    # over both boundaries, but the blank after 一、 is as wide as a column gap and sat on the first one:
    # the row was read as 一、 | 本年新收… and the rows of (一)(二) lost their labels (t3 in review).
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(26)
    y = _three_level_header(draw, font, 300)
    for label, values in (
        ("二、上年结转政府信息公开申请数量", ["0", "1", "0", "1"]),
        ("一、本年新收政府信息公开申请数量", ["31", "0", "4", "35"]),
    ):
        draw.text((LEFT + 8, y + 20), label[:2], font=font, fill="black")
        draw.text((VLABEL + 6, y + 20), label[2:], font=font, fill="black")  # 、 to 本: ~0.15 in
        _values(draw, font, y + 20, values)
        y += 70
        _hline(draw, y, LEFT)
    # 三、本年度办理结果 down the first column; the rules under its rows start right of it.
    sub_rows = [
        ("（一）予以公开", None, ["16", "0", "2", "18"]),
        ("（三）不予公开", "1.属于国家秘密", ["0", "0", "1", "1"]),
        (None, "2.其他法律行政法规禁止公开", ["0", "2", "0", "2"]),
    ]
    vertical = iter("三、本年度")
    for i, (group, sub, values) in enumerate(sub_rows):
        draw.text((LEFT + 14, y + 20), next(vertical), font=font, fill="black")
        if group:
            draw.text((VLABEL + 4 if sub else GROUP + 60, y + 20), group, font=font, fill="black")
        if sub:
            draw.text((GROUP + 10, y + 20), sub, font=font, fill="black")
        _values(draw, font, y + 20, values)
        y += 70
        _hline(draw, y, LEFT if i == len(sub_rows) - 1 else VLABEL if i == 0 else GROUP)
    tables = _tables(ocr_image(page, 1))
    assert len(tables) == 1
    body = [r for r in _row_texts(tables[0]) if _digits(r)]
    assert [_digits(r) for r in body] == [
        ["0", "1", "0", "1"],
        ["31", "0", "4", "35"],
        *[v for _g, _s, v in sub_rows],
    ]
    labels = [[x for x in r if x and not x.isdigit()] for r in body]
    assert labels[0] == ["二、上年结转政府信息公开申请数量"]
    assert labels[1] == ["一、本年新收政府信息公开申请数量"]
    # (一)予以公开 takes both label columns right of the vertical label, as in a ruled grid.
    granted = next(c for c in tables[0].cells if "予以公开" in c.text)
    assert granted.colspan == 2


def test_specks_either_side_of_a_column_boundary_do_not_join_two_values() -> None:
    # Seed 690103 (150 dpi, grey): two dots of scan noise, 30 px from the values either side, sat across
    # the boundary between 自然人 and the next column; taken for text running over it, they joined the
    # row's first two values into one cell (2.其他法律行政法规禁止公开: 6 cells for 7 columns).
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(26)
    y = _three_level_header(draw, font, 300)
    rows = [
        ("1.属于国家秘密", ["0", "0", "0", "0"]),
        ("2.其他法律行政法规禁止公开", ["0", "0", "0", "0"]),
        ("3.危及“三安全一稳定”", ["1", "0", "0", "1"]),
    ]
    for i, (label, values) in enumerate(rows):
        draw.text((LEFT + 10, y + 20), label, font=font, fill="black")
        _values(draw, font, y + 20, values)
        if i == 1:  # grey dots (3 px once cleaned) either side of the middle between the first values
            x = (COLS[0] + COLS[1]) // 2 + 62
            draw.rectangle([(x - 5, y + 38), (x - 4, y + 39)], fill=(150, 150, 150))
            draw.rectangle([(x + 3, y + 55), (x + 4, y + 56)], fill=(150, 150, 150))
        y += 70
        _hline(draw, y, LEFT)
    tables = _tables(ocr_image(page, 1))
    body = [r for t in tables for r in _row_texts(t) if _digits(r)]
    # Every row has its label and four value cells (what the reader makes of a dot inside a cell is
    # read.py's matter: here the dot left of the boundary stays in the 自然人 cell).
    assert [len(r) for r in body] == [5, 5, 5]
    assert [r[2:] for r in body] == [v[1:] for _label, v in rows]


def test_a_last_row_carried_alone_onto_the_next_page_is_a_table() -> None:
    # Seed 690104: t2's last row (行政事业性收费 | 0) was carried onto the next page between two rules; one
    # line between two rules was no table, and t2.fees was lost.
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(26)
    _hline(draw, 300, LEFT)
    draw.text((LEFT + 90, 312), "行政事业性收费", font=font, fill="black")
    draw.text((RIGHT - 80, 312), "12", font=font, fill="black")
    _hline(draw, 360, LEFT)
    draw.text((LEFT, 500), "三、收到和处理政府信息公开申请情况", font=font, fill="black")
    tables = _tables(ocr_image(page, 1))
    assert [_row_texts(t) for t in tables] == [[["行政事业性收费", "12"]]]


def test_a_wrapped_label_in_the_last_row_of_a_page_is_not_cut_at_a_comma(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 701010 (rules: horizontal, widths: wide_label, 黑体 12 pt, 300 dpi): t3 breaks after (二)部分
    # 公开（区分处理的，只计这一情形，不计其他情形）, wrapped over two lines. A blank strip down the label
    # column was kept as a column because the last row had ink both sides of it (a rule made for t4's
    # last row of values); here it was the blank after a comma, and the label was cut in two.
    # The tenth report of `bench layouts --scans 12 --seed 701001`, made alone.
    case = Case(701010, "2021", "pdf", "simplified", varied=True)
    page = knob_scan_page(tmp_path, monkeypatch, "rules=horizontal", case, 9, 2)
    partial = [c.text for t in _tables(page) for c in t.cells if "部分公开" in c.text]
    assert len(partial) == 1 and "只计这一情形" in partial[0]


def test_specks_above_a_heading_between_two_tables_do_not_join_the_tables() -> None:
    # Seed 701003 (150 dpi, skewed): four 2-px dots over 13 px above 四、政府信息公开行政复议、行政诉讼情况
    # counted as a second line of text, so the band was no heading: t4's rules joined t3's stack, the
    # rule under 未经复议直接起诉 became a label column inside 自然人, and (七)总计 took its first value.
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(26)
    y = 300
    _hline(draw, y, LEFT)
    for label, values in (("（六）其他处理", ["1", "0", "0", "1"]), ("（七）总计", ["52", "0", "1", "52"])):
        draw.text((LEFT + 10, y + 15), label, font=font, fill="black")
        _values(draw, font, y + 15, values)
        y += 60
        _hline(draw, y, LEFT)
    for i, x in enumerate((700, 760, 840, 1100)):  # 3 px once cleaned, a line's height together
        draw.point((x, y + 50 + 6 * i), fill="black")
    draw.text((LEFT, y + 110), "四、政府信息公开行政复议、行政诉讼情况", font=font, fill="black")
    y += 200
    _hline(draw, y, LEFT)
    draw.text((LEFT + 40, y + 10), "行政复议", font=font, fill="black")
    draw.text((COLS[1] + 40, y + 10), "行政诉讼", font=font, fill="black")
    _hline(draw, y + 60, LEFT)
    for x, v in zip((LEFT + 40, 500, 700, COLS[1] + 40, COLS[3] + 40), "20102", strict=True):
        draw.text((x, y + 75), v, font=font, fill="black")
    _hline(draw, y + 120, LEFT)
    _hline(draw, y + 180, LEFT)
    tables = _tables(ocr_image(page, 1))
    assert len(tables) == 2
    assert [_digits(r) for r in _row_texts(tables[0])] == [["1", "0", "0", "1"], ["52", "0", "1", "52"]]


def test_two_row_header_label_columns_and_a_long_label_short_of_the_values() -> None:
    # Seed 690108 (header: two_rows, widths: wide_label, 9 pt, 150 dpi): no 申请人情况 rule marks where
    # the values begin, so the last rule start (where the sub-labels begin) was taken for it and held in
    # every row: (一)予以公开 stood in the sub-label column beside an empty group cell. And the first
    # line of (二)部分公开（区分处理的，只计这一情形，不计其他情形） runs on past the middle of the blank
    # between labels and figures, where the boundary was voted: the label spanned it and took the 3.
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(26)
    y = 300
    _hline(draw, y, LEFT)
    draw.text((COLS[0] + 20, y + 10), "自然人", font=font, fill="black")
    draw.text((COLS[1] + 40, y + 10), "法人或其他组织", font=font, fill="black")
    draw.text((COLS[3] + 20, y + 10), "总计", font=font, fill="black")
    draw.text((COLS[1] + 30, y + 70), "商业企业", font=font, fill="black")
    draw.text((COLS[2] + 30, y + 70), "科研机构", font=font, fill="black")
    y += 120
    _hline(draw, y, LEFT)
    draw.text((LEFT + 10, y + 20), "一、本年新收政府信息公开申请数量", font=font, fill="black")
    _values(draw, font, y + 20, ["31", "0", "4", "35"])
    y += 70
    _hline(draw, y, LEFT)
    rows = [
        ("三", "（一）予以公开", None, ["16", "0", "2", "18"], VLABEL),
        ("、", "（二）部分公开（区分处理的，只计这一情形，", "不计其他情形）", ["3", "0", "0", "3"], VLABEL),
        ("本", "（三）不予公开", "1.属于国家秘密", ["0", "1", "0", "1"], GROUP),
        ("年", None, "2.其他法律行政法规禁止公开", ["0", "0", "2", "2"], LEFT),
    ]
    for vertical, first, second, values, rule_from in rows:
        draw.text((LEFT + 14, y + 20), vertical, font=font, fill="black")
        if first and second and not second[0].isdigit():  # one label over both label columns, wrapped
            draw.text((VLABEL + 150, y + 20), first, font=font, fill="black")
            draw.text((VLABEL + 10, y + 60), second, font=font, fill="black")
        else:
            if first:
                draw.text((VLABEL + 4 if second else GROUP + 60, y + 20), first, font=font, fill="black")
            if second:
                draw.text((GROUP + 10, y + 20), second, font=font, fill="black")
        _values(draw, font, y + 20, values)
        y += 110 if second and not second[0].isdigit() else 70
        _hline(draw, y, rule_from)
    tables = _tables(ocr_image(page, 1))
    assert len(tables) == 1
    body = [r for r in _row_texts(tables[0]) if _digits(r)]
    assert [_digits(r) for r in body] == [["31", "0", "4", "35"], *[v for *_l, v, _r in rows]]
    granted = next(c for c in tables[0].cells if "予以公开" in c.text)
    partial = next(c for c in tables[0].cells if "部分公开" in c.text)
    assert granted.colspan == 2 and partial.colspan == 2
    assert "不计其他情形" in partial.text


def _bench_scan_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: Case, index: int, page: int
) -> list[Table]:
    """The tables on one page of the `index`-th scan of `bench layouts --scans 12 --seed 701001` with
    `rules=horizontal` pinned, made alone."""
    return _tables(knob_scan_page(tmp_path, monkeypatch, "rules=horizontal", case, index, page))


def test_t4_columns_filled_by_its_headings_are_value_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 701003 (widths: even, 楷体 11 pt, 150 dpi): t4's narrow columns are filled by its headings
    # (结果维持, 未经复议直接起诉), so by the median width of their lines they looked like label columns;
    # the rule under 未经复议直接起诉 then counted as a label cut left of the values and was joined
    # across in the rows with no rule starting there: 总计 and the next 结果维持 read as one cell, "22".
    case = Case(701003, "2019", "pdf", "simplified", varied=True)
    tables = _bench_scan_page(tmp_path, monkeypatch, case, 2, 3)
    t4 = next(t for t in tables if any("行政复议" in c.text for c in t.cells))
    figures = [x for x in _row_texts(t4)[-1] if x]  # an empty sliver column may stand among them
    assert figures == ["2", "0", "0", "0", "2", "2", "0", "0", "0", "2", "0", "0", "0", "0", "0"]


def test_blank_sub_labels_leave_the_first_figure_its_own_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 701007 (missing_sublabels, t3 carried onto page 3 without its header): no sub-label text
    # voted a boundary left of 自然人's figures, so 自然人 shared a column with the empty sub-label
    # column, and (六)其他处理 and (七)总计 took their first figures into their labels.
    case = Case(701007, "2019", "pdf", "traditional", varied=True)
    tables = _bench_scan_page(tmp_path, monkeypatch, case, 6, 3)
    rows = [r for t in tables for r in _row_texts(t) if any("七" in x for x in r)]
    assert [[x for x in r if x] for r in rows] == [["(七)總計", "16", "2", "0", "0", "0", "0", "18"]]


def test_a_flush_left_heading_in_a_short_gap_parts_two_tables_a_centred_one_does_not() -> None:
    # Seed 701175 (9 pt): 0.59 in between t3's last rule and t4's first, under the 0.6 in a heading
    # needed: t4 was read on t3's columns. A centred line in such a gap (t2's 第二十条第（五）项) stays a
    # row of its table.
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(22)
    y = 300
    for heading, x in (("四、政府信息公开行政复议、行政诉讼情况", LEFT + 10), ("第二十条第（五）项", 700)):
        _hline(draw, y, LEFT)
        for label, values in (
            ("（七）总计", ["52", "0", "1", "52"]),
            ("四、结转下年度", ["0", "1", "0", "1"]),
        ):
            draw.text((LEFT + 10, y + 15), label, font=font, fill="black")
            _values(draw, font, y + 15, values)
            y += 60
            _hline(draw, y, LEFT)
        draw.text((x, y + 30), heading, font=font, fill="black")
        y += 100  # 0.5 in
        _hline(draw, y, LEFT)
        for label, values in (("行政处罚", ["5", "0", "2", "7"]), ("行政强制", ["1", "1", "0", "2"])):
            draw.text((LEFT + 10, y + 15), label, font=font, fill="black")
            _values(draw, font, y + 15, values)
            y += 60
            _hline(draw, y, LEFT)
        y += 900  # over 3.5 in: the next pair is a table of its own
    tables = _tables(ocr_image(page, 1))
    assert [len(t.rows()) for t in tables] == [2, 2, 5]
