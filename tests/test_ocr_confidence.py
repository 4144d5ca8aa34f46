"""What makes an OCR reading trusted or doubted, piece by piece: the digit vote, the label/number shape
test, agency names read by OCR, OCR look-alikes in prose, unreadable cells in a row, position runs."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ingest.document import UNREADABLE, Cell, Page, SourceDocument, Table
from ingest.gazetteer import leading_place, unknown_place
from ingest.meta import TextLine, find_agency
from ingest.ocr.engine import Reading
from ingest.ocr.read import looks_like_label, tight_box, vote
from ingest.prose import OCR_UNCONFIRMED, prose_figures
from ingest.record import REVIEW, REVIEW_THRESHOLD
from ingest.tables import _near
from ingest.tokens import document_tokens
from synth.scan import FONT


def test_two_first_passes_must_agree_with_confidence_to_settle() -> None:
    text, conf, agree = vote([Reading("17", 93.0), Reading("17", 88.0)])
    assert (text, agree) == ("17", 2) and conf >= REVIEW_THRESHOLD
    # The 11 → 1 failure measured on scans: one pass drops the leading 1, the vote sees it.
    text, conf, _ = vote([Reading("1", 19.0), Reading("11", 87.0), Reading("1", 40.0), Reading("11", 90.0)])
    assert conf < REVIEW_THRESHOLD
    text, conf, agree = vote(
        [Reading("11", 60.0), Reading("11", 87.0), Reading("1", 40.0), Reading("11", 90.0)]
    )
    assert (text, agree) == ("11", 3) and conf >= REVIEW_THRESHOLD
    _, conf, agree = vote([Reading("下", 30.0), Reading("", 0.0)])
    assert agree == 0 and conf < REVIEW_THRESHOLD


def _ink_of(text: str, size: int = 29) -> np.ndarray:
    """Text as a 200-dpi scan shows 10.5pt type: ~29 px to the em, strokes softened by the optics."""
    image = Image.new("L", (size * (len(text) + 2), size * 2), 255)
    ImageDraw.Draw(image).text((size, size // 2), text, font=ImageFont.truetype(FONT, size), fill=0)
    image = image.filter(ImageFilter.GaussianBlur(0.9))
    return (np.asarray(image) < 200).astype(np.uint8) * 255


def test_square_glyphs_are_labels_narrow_ones_numbers() -> None:
    """A shortcut, not the safety: a label that slips through is still caught by the chi_sim passes."""
    for text, is_label in (
        ("行政处罚", True),
        ("申请人情况", True),
        ("362.81", False),
        ("0", False),
        ("1117", False),
    ):
        ink = _ink_of(text)
        box = tight_box(ink)
        assert box is not None
        assert looks_like_label(ink, box) is is_label, text


def test_gazetteer_knows_real_places_only() -> None:
    assert unknown_place("秭归县人民政府办公室") is None
    assert unknown_place("种归县人民政府办公室") == "种归县"  # 秭 misread as 種, in title and signature alike
    assert leading_place("福州市新华区人民政府办公室") == "福州市"
    assert unknown_place("国务院办公厅") is None
    assert unknown_place("湖州市两花区审计局") == "两花区"  # 雨 misread: caught at the second place
    assert unknown_place("泉州市开发区财政局") is None  # a zone, not a division: not checked


def _line(text: str, page: int = 1, by_ocr: bool = True) -> TextLine:
    return TextLine(text, text, page, (0.0, 0.0, 100.0, 10.0), by_ocr)


def test_agency_read_by_ocr_needs_confirmation_and_a_known_place() -> None:
    title = _line("秭归县人民政府办公室政府信息公开工作年度报告")
    ok = find_agency([title, _line("正文。"), _line("秭归县人民政府办公室"), _line("2024年1月9日")], title)
    assert ok.value == "秭归县人民政府办公室" and ok.confidence >= REVIEW_THRESHOLD
    bad_title = _line("种归县人民政府办公室政府信息公开工作年度报告")
    misread = find_agency([bad_title, _line("种归县人民政府办公室"), _line("2024年1月9日")], bad_title)
    assert misread.confidence < REVIEW_THRESHOLD and "not a known place" in misread.reasons[0]
    alone = find_agency([_line("总体情况"), _line("。扬州市鼓楼区教育局"), _line("2024年1月9日")], None)
    assert alone.value == "扬州市鼓楼区教育局"  # the speck read before the name is not part of it
    assert alone.confidence < REVIEW_THRESHOLD  # one OCR reading, nothing to confirm it
    native = find_agency(
        [
            _line("x", by_ocr=False),
            _line("扬州市鼓楼区教育局", by_ocr=False),
            _line("2024年1月9日", by_ocr=False),
        ],
        None,
    )
    assert native.confidence >= REVIEW_THRESHOLD


def test_ocr_lookalikes_in_prose() -> None:
    figures = prose_figures(
        [
            _line("2021年我局末收到政府信息公开申请。"),
            _line("因政府信息公开被申请行政馥议1件，被提起行政诉讼0件。"),
        ]
    )
    assert figures["n.requests_received"].value == 0
    assert figures["n.reviews"].value == 1 and figures["n.lawsuits"].value == 0
    slipped = prose_figures(
        [
            _line("2019年，我局主动公开政府信息共110人条。"),
            _line("未发生因政府信息公开被申请行政复识、提起行政诉讼的情况。"),
        ]
    )
    # 楷体's 条 split by OCR into 人 and 条 (synth_989961, 998052, 998062): the figure is read, and as an
    # OCR reading no digit vote confirmed (its digits stand before 人, no count word), it stays in review.
    active = slipped["n.active_disclosed"]
    active.settle_status()
    assert (active.value, active.status) == (110, REVIEW) and OCR_UNCONFIRMED in active.reasons
    assert slipped["n.reviews"].value == 0
    # "年末收到" is "received at year end", not a negation: not understood → review, never a silent 0.
    year_end = prose_figures([_line("年末收到政府信息公开申请若干。")])["n.requests_received"]
    assert year_end.value is None and year_end.reasons and not year_end.reasons[0].startswith("note:")


def test_t4_header_survives_one_misread_character() -> None:
    assert (
        _near("行政視议", "行政复议") and not _near("行政视察", "行政复议") and not _near("行政", "行政复议")
    )


def test_unreadable_cell_keeps_its_slot_in_the_row() -> None:
    cells = [
        Cell(0, 0, "一、本年新收政府信息公开申请数量", (0, 0, 10, 10)),
        Cell(0, 1, "5", (10, 0, 20, 10), conf=0.95, method="ocr-digits"),
        Cell(0, 2, "人", (20, 0, 30, 10), conf=0.3, method=UNREADABLE),
        Cell(0, 3, "8", (30, 0, 40, 10), conf=0.95, method="ocr-digits"),
    ]
    doc = SourceDocument(
        path="x",
        format="image",
        pages=[Page(number=1, width=50, height=50, unit="px", blocks=[Table(cells, (0, 0, 40, 10))])],
    )
    kinds = [t.kind for t in document_tokens(doc)]
    assert kinds == ["text", "number", "unreadable", "number"]


def test_a_figure_read_as_lookalike_characters_keeps_its_slot() -> None:
    """Seed 725007: t2's 其他对外管理服务事项 printed 39 -7 0 and -7 was read 一了; taken for a label, it
    split the row, and the next rows were each read twice. After a figure of its row, a cell of a figure's
    look-alike characters is a figure misread; a label there keeps its words."""

    def kinds(*texts: str) -> list[str]:
        cells = [Cell(0, i, t, (10.0 * i, 0, 10.0 * i + 9, 10), conf=0.9) for i, t in enumerate(texts)]
        page = Page(number=1, width=50, height=50, unit="px", blocks=[Table(cells, (0, 0, 40, 10))])
        return [t.kind for t in document_tokens(SourceDocument(path="x", format="image", pages=[page]))]

    assert kinds("其他对外管理服务事项", "39", "一了", "0") == ["text", "number", "unreadable", "number"]
    assert kinds("3.其他", "0", "(七)总计", "1") == ["text", "number", "text", "number"]
    assert kinds("其他对外管理服务事项", "一了", "0") == ["text", "text", "number"]  # no figure before it


def test_rules_suggest_the_one_doubtful_reading_of_a_failed_sum() -> None:
    from ingest.record import FieldValue
    from ingest.rules import run_rules

    cols = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
    read = dict(zip(cols, (11, 0, 2, 0, 0, 1, 14), strict=True))
    read["natural"] = 1  # OCR dropped the leading "1" and was unsure of it
    fields = {f"t3.granted.{c}": FieldValue(value=v, confidence=0.97) for c, v in read.items()}
    fields["t3.granted.natural"].confidence = 0.6
    run_rules(fields, "2021")
    assert fields["t3.granted.natural"].suggested == 11
    assert all(f.suggested is None for k, f in fields.items() if k != "t3.granted.natural")
    # Two doubtful readings in the failed sum: nothing is pinned down, nothing suggested.
    fields = {f"t3.granted.{c}": FieldValue(value=v, confidence=0.97) for c, v in read.items()}
    fields["t3.granted.natural"].confidence = fields["t3.granted.total"].confidence = 0.6
    run_rules(fields, "2021")
    assert all(f.suggested is None for f in fields.values())


def test_money_unit_must_be_seen_alike_by_every_pass_that_saw_one() -> None:
    from ingest.ocr.read import unit_agrees

    assert unit_agrees("万元", ["万元", "万"]) and unit_agrees("萬元", ["万元"]) and unit_agrees("", [])
    assert not unit_agrees("元", ["万元"])  # 362.81万元 or 362.81元: 10,000 apart, never settled
    assert not unit_agrees("", ["万元"])  # the label reading lost the unit another pass saw


def test_prose_figure_read_by_ocr_is_settled_only_by_its_table() -> None:
    from ingest.record import FieldValue
    from ingest.rules import run_rules

    lines = [_line("全年主动公开政府信息47条。"), _line("因政府信息公开被申请行政复议2件。")]
    fields = prose_figures(lines)
    assert (
        fields["n.active_disclosed"].value == 47
        and fields["n.active_disclosed"].confidence < REVIEW_THRESHOLD
    )
    fields["t4.review.total"] = FieldValue(value=2, confidence=0.97)
    run_rules(fields, "2021")
    assert fields["n.reviews"].confidence >= REVIEW_THRESHOLD and not fields["n.reviews"].reasons
    assert fields["n.active_disclosed"].confidence < REVIEW_THRESHOLD  # no table states it
    native = prose_figures([_line("全年主动公开政府信息47条。", by_ocr=False)])["n.active_disclosed"]
    assert native.confidence >= REVIEW_THRESHOLD and not native.reasons
