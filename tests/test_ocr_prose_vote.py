"""A count in a scan's prose read twice (branch s19-prose): the line's reading by Tesseract's Chinese
models, and the digit vote of table cells (eng and chi_sim at two glyph heights) on the digits' ink.
主动公开政府信息132条 has no table counterpart, so before this every scan sent it to review as read once
(prose.OCR_UNCONFIRMED). Confirmed only when the vote settles on the same digits; a misread the vote
does not repeat, or a Chinese numeral, stays in review. Pages drawn here and read by real Tesseract."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ingest.document import SourceDocument
from ingest.meta import TextLine, prose_lines
from ingest.ocr import ocr_image
from ingest.ocr.engine import engines
from ingest.ocr.page import _digit_runs
from ingest.ocr.read import PROSE_LANG
from ingest.prose import OCR_UNCONFIRMED, VOTE_CONFIRMED, prose_figures
from ingest.record import OK, REVIEW, FieldValue
from synth.scan import FONT

DPI = 200
ACTIVE, REQUESTS = "n.active_disclosed", "n.requests_received"


def _page(*lines: str) -> Image.Image:
    """An A4 page at 200 dpi with the lines in 12 pt Noto Serif CJK (the synthetic scans' face)."""
    page = Image.new("RGB", (int(8.27 * DPI), int(11.69 * DPI)), "white")
    draw = ImageDraw.Draw(page)
    body = ImageFont.truetype(FONT, 34)
    for i, text in enumerate(lines):
        draw.text((160, 300 + 90 * i), text, fill="black", font=body)
    return page


def _figures(lines: list[TextLine]) -> dict[str, FieldValue]:
    fields = prose_figures(lines)
    for field in fields.values():
        field.settle_status()
    return fields


def test_a_count_in_a_scanned_line_read_again_alike_is_confirmed_and_ok() -> None:
    page = ocr_image(_page("本年度主动公开政府信息132条，其中规范性文件25件。", "共办结二十件，2023年。"), 1)
    read = {line.text: line.digit_runs for line in page.lines()}
    assert read["本年度主动公开政府信息132条，其中规范性文件25件。"] == (("132", True), ("25", True))
    # A year is no count: not read again; a Chinese numeral has no digits to confirm.
    assert read["共办结二十件，2023年。"] == (("2023", False),)
    field = _figures(prose_lines(SourceDocument("x.png", "image", [page])))[ACTIVE]
    assert field.value == 132 and field.status == OK
    assert OCR_UNCONFIRMED not in field.reasons and VOTE_CONFIRMED in field.reasons


def test_digits_the_line_misread_are_not_confirmed_by_the_vote() -> None:
    # The line as Tesseract read it, with one digit changed: 132 printed, 182 "read". The vote reads the
    # ink (132) and does not settle on 182: the run stays unconfirmed, whatever the line says.
    gray = np.asarray(_page("本年度主动公开政府信息132条。").convert("L")).copy()
    crop = gray[280:360, 140:1200]
    (line,) = engines().lines(crop, PROSE_LANG, 6)
    assert _digit_runs(gray, 128, DPI, line, (140, 280, 1.0)) == (("132", True),)
    symbols = list(line.symbols)
    line.text = line.text.replace("132", "182")
    line.symbols = [("8" if s == "3" else s, box) for s, box in symbols]
    assert _digit_runs(gray, 128, DPI, line, (140, 280, 1.0)) == (("182", False),)
    # A digit the line's reading dropped (132 read 32): the vote reads every digit beside the ones read.
    line.text = line.text.replace("182", "32")
    line.symbols = [sym for sym in symbols if sym[0] != "1"]
    assert _digit_runs(gray, 128, DPI, line, (140, 280, 1.0)) == (("32", False),)


def _ocr_line(text: str, runs: tuple[tuple[str, bool], ...]) -> TextLine:
    return TextLine(text, text, 1, (0.0, 0.0, 100.0, 10.0), by_ocr=True, digit_runs=runs)


def test_a_prose_figure_the_vote_confirmed_carries_no_doubt() -> None:
    field = _figures([_ocr_line("本年度主动公开政府信息132条。", (("132", True),))])[ACTIVE]
    assert (field.value, field.status) == (132, OK)
    assert OCR_UNCONFIRMED not in field.reasons and VOTE_CONFIRMED in field.reasons


def test_a_prose_figure_read_once_stays_in_review() -> None:
    for runs in [(("132", False),), (), (("25", True),)]:
        field = _figures([_ocr_line("本年度主动公开政府信息132条。", runs)])[ACTIVE]
        assert (field.value, field.status) == (132, REVIEW)
        assert OCR_UNCONFIRMED in field.reasons and VOTE_CONFIRMED not in field.reasons


def test_every_run_of_the_figures_digits_must_be_confirmed() -> None:
    # 132 read twice on the line: once confirmed, once not (the vote read other digits there). The
    # figure may be the misread one: in review.
    text = "本年度主动公开政府信息132条，其中规范性文件132件。"
    field = _figures([_ocr_line(text, (("132", False), ("132", True)))])[ACTIVE]
    assert field.status == REVIEW and OCR_UNCONFIRMED in field.reasons


def test_a_chinese_numeral_is_never_confirmed_by_digits() -> None:
    text = "本年度主动公开政府信息一百三十二条，收到政府信息公开申请132件。"
    fields = _figures([_ocr_line(text, (("132", True),))])
    assert (fields[ACTIVE].value, fields[ACTIVE].status) == (132, REVIEW)
    assert OCR_UNCONFIRMED in fields[ACTIVE].reasons
    assert VOTE_CONFIRMED in fields[REQUESTS].reasons


def test_a_figure_on_the_next_line_of_its_sentence_is_confirmed_there() -> None:
    # The sentence starts on one line (its evidence) and states its figure on the next.
    first = _ocr_line("本年度，本机关在门户网站主动公开政府信息", ())
    second = _ocr_line("132条，及时回应社会关切。", (("132", True),))
    lines = [_ocr_line("x" * 20, ()) for _ in range(4)] + [first, second]
    field = _figures(lines)[ACTIVE]
    assert (field.value, field.status) == (132, OK)
