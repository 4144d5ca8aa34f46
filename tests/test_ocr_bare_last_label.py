"""A rule-less table whose last label block reaches the end of its run of value rows, at 28 pt line
spacing (LibreOffice, `rules=none,spacing=exact28`): read by real Tesseract on the synth scan it was
found on (held-out check seed 782001, session 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import Table
from synth.scanned import knob_cases
from tests.conftest import knob_scan_page, pin_knobs

LIBREOFFICE_28PT = "renderer=libreoffice,rules=none,spacing=exact28"


def test_a_last_label_ending_its_value_rows_leaves_the_page_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 782005 (the fifth of `--scans 6 --seed 782001`; 仿宋 9 pt, 300 dpi, colour, skew2, t3 header in
    # two rows): in t2, 政府集中采购's label ends where its run of value rows ends. The check for a wrapped
    # label's next line looked for a next label block that does not exist (IndexError), the whole page
    # was lost ("the page image could not be read") and t2 and t3 went to review: 93 of 206 fields right.
    pin_knobs(monkeypatch, LIBREOFFICE_28PT)
    case = knob_cases(6, 782001)[4]
    page = knob_scan_page(tmp_path, monkeypatch, LIBREOFFICE_28PT, case, 4, 2)
    assert page.error is None
    texts = [c.text for b in page.blocks if isinstance(b, Table) for c in b.cells]
    assert [t for t in texts if "1720" in t or "333.81" in t] == ["1720", "333.81萬元"], texts
