"""Unit tests of the stages after reading (ingest/build.py): what `tokens` refuses, what `tables` takes for
a report, and what `keys`, `rules` and `statuses` do with a stream built here."""

from __future__ import annotations

import pytest

from ingest.build import build_from_tokens, to_text
from ingest.document import Line, Page, SourceDocument
from ingest.errors import NeedsOCR, NoContent, NotAReport
from ingest.meta import TextLine
from ingest.record import Record
from tests.test_tables import GRANTED, _stream

TITLE = "某某市审计局2022年政府信息公开工作年度报告"


def _page(number: int, *texts: str, needs_ocr: bool = False) -> Page:
    blocks = [Line(text, (0.0, i * 20.0, 300.0, i * 20.0 + 15)) for i, text in enumerate(texts)]
    return Page(number=number, width=595, height=842, blocks=list(blocks), needs_ocr=needs_ocr)


def _lines(*texts: str) -> list[TextLine]:
    return [TextLine(t, t, 1, (0.0, i * 20.0, 300.0, i * 20.0 + 15)) for i, t in enumerate(texts)]


def test_pages_with_no_text_layer_and_no_ocr_fail_as_needs_ocr() -> None:
    doc = SourceDocument("x.pdf", "pdf", [_page(1, needs_ocr=True), _page(2, needs_ocr=True)])
    with pytest.raises(NeedsOCR):
        to_text(doc)


def test_blank_pages_fail_as_no_content() -> None:
    with pytest.raises(NoContent):
        to_text(SourceDocument("x.pdf", "pdf", [_page(1), _page(2)]))


def test_an_unread_page_is_listed_not_dropped() -> None:
    doc = SourceDocument("x.pdf", "pdf", [_page(1, TITLE), _page(2, needs_ocr=True)])
    assert to_text(doc).pages_not_read == [2]


def test_text_without_a_title_tables_or_disclosure_prose_is_not_a_report() -> None:
    record = Record(path="x.txt", sha256="0")
    with pytest.raises(NotAReport):
        build_from_tokens([], _lines("会议纪要", "本次会议讨论了三项议题。"), record)


def test_a_report_that_should_print_tables_but_does_not_sends_its_figures_to_review() -> None:
    record = Record(path="x.txt", sha256="0")
    prose = "全年共收到政府信息公开申请4件，均已按时答复。"
    build_from_tokens([], _lines(TITLE, prose), record)
    assert record.meta["year"].value == 2022
    assert record.fields["n.requests_received"].value == 4
    assert record.fields["n.requests_received"].status == "review"


def test_a_row_that_breaks_its_own_sum_is_kept_as_printed_and_flagged() -> None:
    printed = [*GRANTED[:-1], "5"]  # 3+1+0+0+0+0 = 4, printed 5
    record = Record(path="x.txt", sha256="0")
    build_from_tokens(_stream([["（一）予以公开", *printed]]), _lines(TITLE), record)
    total = record.fields["t3.granted.total"]
    assert total.value == 5 and total.status == "review"
    assert any(c.rule == "t3.row_sum" and not c.ok for c in record.checks if "t3.granted.total" in c.keys)


@pytest.mark.parametrize(
    ("signed", "status"),
    [
        ("2023年2月12日", "ok"),
        ("2022年12月30日", "ok"),
        ("2025年2月12日", "review"),
        ("2099年1月5日", "review"),
    ],
)
def test_a_publication_date_outside_the_report_year_and_the_next_is_review(signed: str, status: str) -> None:
    record = Record(path="x.txt", sha256="0")
    title = "某某市审计局2022年政府信息公开工作年度报告"
    build_from_tokens([], _lines(title, "全年共收到政府信息公开申请4件。", "某某市审计局", signed), record)
    assert record.meta["year"].value == 2022
    assert record.meta["published_date"].status == status, record.meta["published_date"].reasons


def test_a_table_whose_grid_overlaps_another_sends_its_values_to_review() -> None:
    """ocr/grid's safety net: two OCR grids overlapping on one page mean rows may have been shared out
    wrongly between them; values that read right and add up still go to a person."""
    from dataclasses import replace

    from ingest.ocr.geometry import Grid
    from ingest.ocr.grid import OVERLAPPING, _doubt_overlaps

    upper, lower, apart = (
        Grid((0, 0, 1000, 500), [], [], []),
        Grid((0, 400, 1000, 900), [], [], []),
        Grid((0, 1000, 1000, 1400), [], [], []),
    )
    _doubt_overlaps([upper, lower, apart], ppi=200)
    assert upper.doubt == lower.doubt == OVERLAPPING and apart.doubt is None

    doubted = [replace(t, reasons=[OVERLAPPING]) for t in _stream([["（一）予以公开", *GRANTED]])]
    record = Record(path="x.txt", sha256="0")
    build_from_tokens(doubted, _lines(TITLE), record)
    granted = record.fields["t3.granted.natural"]
    assert granted.value == 3 and granted.status == "review" and OVERLAPPING in granted.reasons
