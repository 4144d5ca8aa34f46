"""Page clean-up and table finding on generated scans. Orientation on a page whose densest ink is a seal: seed 716501's last page (rule-less, 黑体, grey
150-dpi scan, upright) had a seal over the last paragraph as its densest square; no turn read it clearly
(12–28) and the page was turned by 270 on 28 against 17, so t3's second half and all of t4 were lost.
A window no turn reads clearly gives way to the next densest one; and a window that reads clearly only
on its side turns the page only if the next window agrees (seed 776015). Generated here and read by real
Tesseract."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from ingest.ocr.clean import clean_page
from ingest.ocr.page import _render_pdf_page
from synth.corpus import Case
from tests.conftest import KnobPage, knob_case, knob_page_file


@pytest.mark.slow
def test_an_upright_page_whose_densest_ink_is_a_seal_stays_upright(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = knob_case(monkeypatch, "rules=none", 716501)
    scan = knob_page_file(tmp_path, monkeypatch, "rules=none", case, 0, 4)
    assert scan.suffix == ".pdf"
    page = clean_page(_render_pdf_page(scan, 1, 200))
    assert page.rotation == 0


@pytest.mark.slow
def test_a_seal_that_reads_clearly_on_its_side_does_not_turn_an_upright_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # synth_776015 page 4 (rule-less, 仿宋 10 pt, 300 dpi grey, LibreOffice): the densest window, a seal
    # over the last paragraph, read 21 as scanned and 52 on its side, and the page was turned by 90 and
    # read as garbage (t3's last rows and all of t4 lost: 164 of 208 fields). The next window reads 19
    # on its side.
    knobs = (
        "rules=none,vlabel=wrapped,header_repeat=yes,t3_break=forced,header=classic,widths=even,align=center,"
        "font=仿宋,size=10,spacing=1.5,title=red_header,signature=no,dpi=300,colour=gray,rotation=landscape,"
        "renderer=libreoffice"
    )
    case = Case(776015, "2021", "pdf", "simplified", True)  # the 16th scan of its run (a TIFF)
    scan = knob_page_file(tmp_path, monkeypatch, knobs, case, 15, 4)
    assert scan.suffix == ".tif"
    with Image.open(scan) as tif:
        page = clean_page(tif.convert("RGB"))
    assert page.rotation == 0


@pytest.mark.slow
def test_a_rule_stack_whose_header_rule_is_its_last_reads_no_table_and_no_error(
    knob_page: KnobPage,
) -> None:
    # Seed 931379 (rule-less, red 文件 header, colour 200 dpi, skewed): page 1's rules stacked with the
    # header's rule last left an empty body, and numpy's max over it raised; the PDF reader took the
    # ValueError for a damaged file and the whole report was lost (3 of 208 fields).
    page = knob_page("rules=none", 931379, 1)
    assert any("政府信息公开" in line.text for line in page.lines())
