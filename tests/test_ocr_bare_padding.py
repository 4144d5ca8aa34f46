"""Rule-less tables laid out by a browser at 28 pt line spacing (`rules=none,renderer=chromium,
spacing=exact28`): a row's values centred on its label's many wrapped lines, the rows parted by the
cells' padding on top of the leading. Each on one page of a scan made alone and read by real Tesseract.
Found on the tuning seeds 797201–797208."""

from __future__ import annotations

from pathlib import Path

import pytest

from synth.corpus import Case
from tests.conftest import knob_scan_page, table_rows
from tests.test_ocr_bare_columns import _row

CHROMIUM_28 = "rules=none,renderer=chromium,spacing=exact28"


@pytest.mark.slow
def test_a_row_carried_onto_a_page_stays_in_the_table_across_the_cells_padding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 797203 (the third scan of `--seed 797201`: 黑体 11 pt, widths even, 150 dpi, 1-bit): page 5
    # opens with t3's row 3.补正后申请内容仍不明确, its values centred on its four lines. From its last
    # line (不明確) to the next row's first ((五) | 1.信訪) the blank is 0.35 in, the leading (0.24 in)
    # and the cells' padding: more than a label's next line stands, so the two rows were two tables,
    # the first of one row of values, no table at all. The row was lost and the rows after it were
    # read by position, unconfirmed (t3.ignored_petition lost, 141 fields in review).
    case = Case(797203, "2021", "html", "traditional", True)
    rows = table_rows(knob_scan_page(tmp_path, monkeypatch, CHROMIUM_28, case, 2, 5))
    assert _row(rows, "补正")[-7:] == ["0"] * 7
    assert _row(rows, "信訪")[-7:] == ["0"] * 7
    assert _row(rows, "重複")[-7:] == ["0", "0", "0", "0", "0", "1", "1"]
    # One table: the carried row and the rows under it.
    assert len(rows) == 6 and all(len(row) == 8 for row in rows)
