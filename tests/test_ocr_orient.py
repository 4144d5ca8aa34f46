"""Orientation on a page whose densest ink is a seal: seed 716501's last page (rule-less, 黑体, grey
150-dpi scan, upright) had a seal over the last paragraph as its densest square; no turn read it clearly
(12–28) and the page was turned by 270 on 28 against 17, so t3's second half and all of t4 were lost.
A window no turn reads clearly gives way to the next densest one. Generated here and read by real
Tesseract."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.ocr.clean import clean_page
from ingest.ocr.page import _render_pdf_page
from synth.scanned import make_knob_scans


@pytest.mark.slow
def test_an_upright_page_whose_densest_ink_is_a_seal_stays_upright(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNTH_FORCE_KNOBS", "rules=none")
    scan = make_knob_scans(tmp_path, 1, 716501)[0]
    assert scan.path.suffix == ".pdf"
    page = clean_page(_render_pdf_page(scan.path, 4, 200))
    assert page.rotation == 0
