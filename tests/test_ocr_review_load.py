"""Right values in review on rule-less and 1-bit scans (issue 10, the review load): a header character,
a wrapped label's last character or a vertical label's 、 alone in a table cell was read as a digit, the
row it sat in gained a value, the real row was "printed twice" and lost, and the column rules of every
other row could no longer run (130 of 208 fields in review on seeds 702001, 702022, 702031, 702033).
Each cause on glyphs drawn, scanned (synth.scan) and read by real Tesseract; the status side on records.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.document import Table
from ingest.ocr.clean import clean_page
from ingest.ocr.glyphs import unslash_zeros
from ingest.ocr.page import ocr_pdf_page
from ingest.ocr.read import read_cell
from ingest.readers import Limits
from ingest.record import CheckResult, FieldValue, Record
from ingest.trust import settle
from synth.scan import ScanFaults, scan_pages
from tests.conftest import KnobScan

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")  # index 0: WenQuanYi Zen Hei (仿宋 here)
# Simplified or traditional: the label reader tries both scripts, a table's labels are read in either.
SAME = {"务": "務", "会": "會", "织": "織", "构": "構", "机": "機"}


def _scanned_cells(dpi: int, pt: float, glyphs: str, colour: str, seed: int) -> list[tuple[str, str]]:
    """Each glyph alone in a cell-sized box on a scanned A4 page (lines of text above, so the page reads
    upright): (glyph, text read)."""
    page = Image.new("RGB", (int(8.27 * dpi), int(11.69 * dpi)), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(WQY), round(pt / 72 * dpi), index=0)
    for i in range(6):
        draw.text(
            (int(0.8 * dpi), dpi + int(0.3 * dpi) * i),
            "本年度办理结果予以公开部分公开",
            font=font,
            fill="black",
        )
    boxes = []
    for i, ch in enumerate(glyphs):
        x, y = dpi + (i % 10) * int(0.6 * dpi), 4 * dpi + (i // 10) * int(0.5 * dpi)
        draw.text((x, y), ch, font=font, fill="black")
        boxes.append((x - int(0.15 * dpi), y - int(0.08 * dpi), x + int(0.35 * dpi), y + int(0.25 * dpi)))
    scanned = scan_pages([page], ScanFaults(dpi=dpi, colour=colour, skew=0.0, seal_pages=()), seed=seed)
    cleaned = clean_page(scanned[0].image.convert("RGB"))
    unslash_zeros(cleaned.gray, cleaned.scale)
    return [
        (ch, read_cell(cleaned.gray, box, 128.0, cleaned.scale)[0].text)
        for ch, box in zip(glyphs, boxes, strict=True)
    ]


@pytest.mark.skipif(not WQY.exists(), reason="CJK fonts for drawing pages")
@pytest.mark.parametrize(
    ("dpi", "pt", "colour", "seed"),
    [(200, 10.5, "gray", 0), (200, 10.5, "gray", 1), (150, 10.5, "bilevel", 0)],
)
def test_a_character_alone_in_a_cell_is_read_as_that_character(
    dpi: int, pt: float, colour: str, seed: int
) -> None:
    # A vertical header's characters (社会公益组织, 法律服务机构 one a line) and a wrapped label's last one
    # (供 of (四)无法提供). Before: 会 read as 性羡 or 改ER (the block layout's garbage; the single-line
    # layout reads it at 96), 构 (木 + 勾, two narrow halves) as the digit 4, 织 as 織2; the digits beside
    # them stay digits.
    read = _scanned_cells(dpi, pt, "服会供构务益织机70", colour, seed)
    for glyph, text in read[:-2]:
        assert text in (glyph, SAME.get(glyph)), (glyph, text)
    assert [text for _glyph, text in read[-2:]] == ["7", "0"]


@pytest.mark.skipif(not WQY.exists(), reason="CJK fonts for drawing pages")
@pytest.mark.parametrize(
    ("dpi", "colour", "seed"), [(200, "bilevel", 0), (200, "gray", 1), (150, "bilevel", 1)]
)
def test_a_mark_smaller_than_any_digit_is_no_number(dpi: int, colour: str, seed: int) -> None:
    # 三、本年度办理结果 set one character a line in a rule-less table: the 、 fell alone into the label
    # column of the (二)部分公开 row and was read as "4" (seed 702001), a value where the label goes; the
    # row was lost and with it the column rules of all t3's outcome rows. Before: 全, 有, N, AN, 同.
    read = _scanned_cells(dpi, 10.5, "、、、、", colour, seed)
    assert [text for _glyph, text in read] == ["", "", "", ""]


@pytest.mark.slow
def test_a_narrow_seven_that_chi_sim_reads_as_le_stays_a_digit(
    knob_scan: KnobScan,
) -> None:
    # Seed 702023 (仿宋 13 pt, 1-bit 150 dpi, rules=none): the 7 of (四)1.本机关不掌握… read 了 at 95 and
    # 90 by chi_sim (eng: 7 at 80 and 94); every chi_sim pass reading a word sent the cell to the label
    # reading, so the row had 6 cells for 7 columns. A glyph narrower than any CJK character is a digit:
    # the 7 stands (unsettled when two passes of four read it), for the rules to confirm.
    scan = knob_scan("rules=none,colour=bilevel,font=仿宋", 702023)
    page = ocr_pdf_page(scan.path, 2, Limits())
    table = next(b for b in page.blocks if isinstance(b, Table) and len(b.cells) > 100)
    row = next(
        sorted((c for c in table.cells if c.row == cell.row), key=lambda c: c.col)
        for cell in table.cells
        if cell.text.startswith("1.本机关不掌握")
    )
    values = [c for c in row if c.col > next(c.col for c in row if c.text.startswith("1.本机关"))]
    assert [c.text for c in values if c.text] == ["7", "0", "0", "0", "0", "0", "7"]


# --- status: a failed rule explained by cells OCR itself doubted -----------------------------------------


def _record(natural_reading: float, natural_row: float) -> Record:
    """t2 read surely; t3's natural column fails its outcomes rule (19 ≠ 21) through one cell, read in a
    row with cells missing (its row confidence `natural_row`) with its own reading `natural_reading`;
    every other cell of the rule sits in a passing row sum."""
    r = Record(path="x", sha256="")
    ocr = "ocr-digits:label"
    r.fields = {
        "t2.regulations.made": FieldValue(3, 0.98, method=ocr, reading_confidence=0.98),
        "t3.total.natural": FieldValue(19, 0.98, method=ocr, reading_confidence=0.98),
        "t3.granted.natural": FieldValue(11, 0.98, method=ocr, reading_confidence=0.98),
        "t3.partial.natural": FieldValue(
            10, min(natural_row, natural_reading), method=ocr, reading_confidence=natural_reading
        ),
    }
    r.checks = [
        CheckResult(
            "t3.outcomes", "natural", False, ["t3.total.natural", "t3.granted.natural", "t3.partial.natural"]
        ),
        CheckResult("t3.row_sum", "total", True, ["t3.total.natural"]),
        CheckResult("t3.row_sum", "granted", True, ["t3.granted.natural"]),
    ]
    return r


def test_a_rule_failing_through_a_doubtful_reading_leaves_unchecked_sure_readings_ok() -> None:
    # Seed 702001: the failed column rule's only unconfirmed cell was read "4" at 0.38 (passes disagreeing):
    # OCR said it was unsure. Before, all 22 t2 readings (read surely, right) went to review with it.
    doubted = _record(natural_reading=0.38, natural_row=0.5)
    settle(doubted, None, {})
    assert doubted.fields["t2.regulations.made"].status == "ok"
    assert doubted.fields["t3.partial.natural"].status == "review"


@pytest.mark.parametrize("row", [0.99, 0.5])
def test_a_rule_failing_through_a_sure_misread_still_doubts_unchecked_readings(row: float) -> None:
    # The mutation: the same unconfirmed cell read surely (passes agreeing at 0.98) and wrong. OCR misread
    # a figure it was sure of, so t2, which no rule checks, goes to review — also when the cell's row
    # (cells missing) lowered its confidence: the doubt that counts is the reading's own.
    sure = _record(natural_reading=0.98, natural_row=row)
    settle(sure, None, {})
    assert sure.fields["t2.regulations.made"].status == "review"


def test_a_rule_stub_at_a_cell_edge_stays_an_empty_slot_not_an_unreadable_value() -> None:
    # Seed 702013's t4 header (landscape, 1-bit 150 dpi): a cell held only a rule's stub, 3 × 23 px at its
    # left edge. Read as a one-glyph label it gave no text and stayed a blank; taken for a character (the
    # single-glyph retry above) it went on to the digit passes and came back an unreadable value slot, a
    # sixteenth value in t4's row of fifteen.
    gray = np.full((76, 90), 255, np.uint8)
    gray[8:18, 2:5] = 0  # broken where the scan thinned it: two pieces, two 'lines' of ink
    gray[21:31, 2:5] = 0
    text, _box = read_cell(gray, (0, 0, 90, 76), 128.0, 200.0)
    assert text.text == "" and text.method == "ocr-label"
