"""Whole tables and rows lost on rough scans (9-pt type at 150 dpi, 1-bit): t4's 行政复议 read 行政祖浙 (seed
716003) or 行以神議 (716004) left t4 unread, 15 fields; t2's first label 规章 read 起音 (716004) left its row
unread; a wrapped header cell 本年增/减 whose /减 read as 1 (716013) was placed as t2's 行政许可 row by
position. The pages here print those misreadings themselves (so the test does not hang on how Tesseract
misreads a glyph) and are read by real Tesseract through the whole OCR route, rows and t4 found by
`ingest.tables`."""

from __future__ import annotations

from PIL import Image

from ingest.document import SourceDocument
from ingest.ocr import ocr_image
from ingest.tables import read_rows, read_t4
from ingest.templates import load_template
from ingest.tokens import Token, document_tokens
from tests.test_ocr_bare_enumerators import A4, T4_VALUES, _font, _t4_page, pytestmark  # noqa: F401
from tests.test_ocr_bare_rows import Section, t2_sections_page


def _tokens(page: Image.Image) -> list[Token]:
    return document_tokens(SourceDocument("scan.png", "image", [ocr_image(page, 1)]))


def test_t4_is_found_by_its_row_of_fifteen_when_its_heading_is_misread() -> None:
    # Seed 716003: 行政复议 read 行政祖浙 in the heading and the header; _t4_start found no 行政复议 and
    # the whole t4 (15 fields) was "row not found in the document".
    reading = read_t4(_tokens(_t4_page(review="行政祖浙")), load_template("2021"))
    assert reading is not None
    assert [t.text if t else None for t in reading.cells] == T4_VALUES


def _t2_page() -> Image.Image:
    """t2's first two sections with no rules, as on seed 716004 and 716013: 规章 printed 起音, and the
    second section's header wrapped over two lines, its 本年增/减 ending in a cell that reads as 1."""
    sections: list[Section] = [
        ("第二十条第（一）项", [["本年新制作数量", "本年新公开数量", "对外公开总数量"]],
         [("起音", ["0", "2", "2"]), ("规范性文件", ["2", "2", "19"])]),
        ("第二十条第（五）项", [["上一", "本年增", "处理"], ["年项目数量", "1", "决定数量"]],
         [("行政许可", ["0", "0", "158"]), ("其他对外管理服务事项", ["38", "0", "153"])]),
    ]  # fmt: skip
    return t2_sections_page(sections, "right")


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
