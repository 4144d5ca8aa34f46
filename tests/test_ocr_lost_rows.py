"""Whole tables and rows lost on rough scans (9-pt type at 150 dpi, 1-bit): t4's 行政复议 read 行政祖浙 (seed
716003) or 行以神議 (716004) left t4 unread, 15 fields; t2's first label 规章 read 起音 (716004) left its row
unread; a wrapped header cell 本年增/减 whose /减 read as 1 (716013) was placed as t2's 行政许可 row by
position. The pages here print those misreadings themselves (so the test does not hang on how Tesseract
misreads a glyph) and are read by real Tesseract through the whole OCR route, rows and t4 found by
`ingest.tables`."""

from __future__ import annotations

from PIL import Image, ImageDraw

from ingest.document import SourceDocument
from ingest.ocr import ocr_image
from ingest.tables import read_rows, read_t4
from ingest.templates import load_template
from ingest.tokens import Token, document_tokens
from tests.test_ocr_bare_enumerators import A4, T4_VALUES, _font, pytestmark  # noqa: F401


def _tokens(page: Image.Image) -> list[Token]:
    return document_tokens(SourceDocument("scan.png", "image", [ocr_image(page, 1)]))


def _t4_page(review: str) -> Image.Image:
    """Seed 702043's rule-less t4 (tests/test_ocr_bare_enumerators.py) with 行政复议 printed as misread,
    in the section heading and over the first five columns."""
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(28)
    centre = [195 + 90.5 * k for k in range(15)]

    def put(text: str, x: float, y: int) -> None:
        draw.text((x - draw.textlength(text, font=font) / 2, y), text, font=font, fill="black")

    draw.text((193, 600), f"四、政府信息公开{review}、行政诉讼情况", font=font, fill="black")
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


def test_t4_is_found_by_its_row_of_fifteen_when_its_heading_is_misread() -> None:
    # Seed 716003: 行政复议 read 行政祖浙 in the heading and the header; _t4_start found no 行政复议 and
    # the whole t4 (15 fields) was "row not found in the document".
    reading = read_t4(_tokens(_t4_page("行政祖浙")), load_template("2021"))
    assert reading is not None
    assert [t.text if t else None for t in reading.cells] == T4_VALUES


def _t2_page() -> Image.Image:
    """t2's first two sections with no rules, as on seed 716004 and 716013: 规章 printed 起音, and the
    second section's header wrapped over two lines, its 本年增/减 ending in a cell that reads as 1."""
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(28)
    label, cols = (240, 520), [520, 800, 1080, 1360]
    y = 300

    def centred(text: str, x0: int, x1: int) -> None:
        draw.text(((x0 + x1 - draw.textlength(text, font=font)) / 2, y), text, font=font, fill="black")

    def value(text: str, x0: int, x1: int) -> None:
        draw.text((x1 - 20 - draw.textlength(text, font=font), y), text, font=font, fill="black")

    sections = [
        ("第二十条第（一）项", [["本年新制作数量", "本年新公开数量", "对外公开总数量"]],
         [("起音", ["0", "2", "2"]), ("规范性文件", ["2", "2", "19"])]),
        ("第二十条第（五）项", [["上一", "本年增", "处理"], ["年项目数量", "1", "决定数量"]],
         [("行政许可", ["0", "0", "158"]), ("其他对外管理服务事项", ["38", "0", "153"])]),
    ]  # fmt: skip
    for heading, header, rows in sections:
        centred(heading, cols[0], cols[-1])
        y += 42
        for line in header:
            if line is header[0]:
                centred("信息内容", *label)
            for k, text in enumerate(line):
                centred(text, cols[k], cols[k + 1])
            y += 42
        for name, values in rows:
            centred(name, *label)
            for k, text in enumerate(values):
                value(text, cols[k], cols[k + 1])
            y += 42
    return page


def test_t2_rows_with_a_misread_label_and_a_figure_in_a_header() -> None:
    readings = read_rows(_tokens(_t2_page()), load_template("2019"))
    got = {k: [t.text if t else None for t in r.cells] for k, r in readings.items()}
    # Seed 716004: 规章 read 起音 matched no row and t2's first row had no row before it to continue:
    # row not found. It is the row right before 规范性文件's, placed by position, in review.
    assert got["t2.regulations"] == ["0", "2", "2"], got
    assert readings["t2.regulations"].confidence < 0.9
    assert got["t2.normative"] == ["2", "2", "19"]
    # Seed 716013: the header's "1" was taken for 行政许可's row by position ("row has 1 cells for 3
    # columns") and the real row, named by its label, was then a row "printed twice".
    assert got["t2.license"] == ["0", "0", "158"], got
    assert got["t2.other_services"] == ["38", "0", "153"], got
    assert not any("twice" in r for r in readings["t2.license"].reasons)
