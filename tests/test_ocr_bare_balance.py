"""Rule-less tables as Chromium prints them (`renderer=chromium,rules=none`) whose t3 rows were lost, so
that t3's column rules could not be evaluated and every t3 value went to review (seeds 752102 and
752108, 133 and 141 needless reviews): lines of small type closer than two bands are apart, a carried
row's label line over label-less values, and rows centred on their own label's lines beside a group
label or a vertical label's character. Each on a page of the bench scan (`bench layouts --docs 0 --scans 8
--seed 752101` with the knobs pinned) made alone and read by real Tesseract."""

from __future__ import annotations

from pathlib import Path

import pytest

from synth.scanned import knob_cases
from tests.conftest import knob_scan_page, pin_knobs, table_rows
from tests.test_ocr_bare_columns import _row

KNOBS = "renderer=chromium,rules=none"


def _rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: int, page: int) -> list[list[str]]:
    """The rows (cell texts) of the tables on page `page` of the `index`-th scan of the run."""
    pin_knobs(monkeypatch, KNOBS)
    case = knob_cases(index + 1, 752101)[index]
    read = knob_scan_page(tmp_path, monkeypatch, KNOBS, case, index, page)
    return table_rows(read)


@pytest.mark.slow
def test_a_narrow_labels_lines_of_small_type_are_no_heading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 752108 (黑体 9 pt, single spacing, 200 dpi): t3's row 2.申請人逾期未按收費通知要求繳納費用、行
    # 政機關不再處理其政府信息公開申請 opens page 3, its label wrapped over nine lines of four characters,
    # 0.025 in apart: two or three of them made one band, as tall as a heading in larger type, which
    # ended the table. The row was read as prose, other_unpaid_fee was not found, t3.outcomes could be
    # evaluated in no column: 98 right values in review.
    rows = _rows(tmp_path, monkeypatch, 7, 3)
    assert _row(rows, "逾期未按")[-7:] == ["0"] * 7
    assert _row(rows, "3.其他")[-7:] == ["3", "0", "0", "0", "0", "0", "3"]


@pytest.mark.slow
def test_rows_centred_on_their_labels_beside_a_group_label(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 752102 (黑体 14 pt at 28 pt spacing, 300 dpi), page 4: 1.本机关不掌握相关政府信 / 0 … 1 1 / 息
    # opens the page, its first line above the values (no label beside them) was left out of the
    # table; 2.没有现成信息需要另行制 / 0 … / 作 has the group label's line (四)无法提 above it. The rows'
    # labels were cut between the wrong lines: unable_not_held lost, its values read as unable_create's.
    rows = _rows(tmp_path, monkeypatch, 1, 4)
    assert _row(rows, "不掌握")[-7:] == ["0", "0", "0", "0", "0", "1", "1"]
    assert not any("另行制" in text for text in _row(rows, "不掌握"))
    assert _row(rows, "另行")[-7:] == ["0"] * 7
    assert _row(rows, "重新出具")[-7:] == ["0"] * 7
    assert not any("逾期不" in text for text in _row(rows, "重新出具"))


@pytest.mark.slow
def test_a_rows_first_line_beside_a_vertical_labels_character(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 752102, page 3: 2.其他法律行政法规禁止公 / 0 0 … / 开 with 果 (三、本年度办理结果 down the first
    # column) beside its first line, whose band then started a character higher: the values no longer
    # stood midway, and the line was read as the end of 1.属于国家秘密's row (denied_secret lost).
    rows = _rows(tmp_path, monkeypatch, 1, 3)
    secret = _row(rows, "家秘密")
    assert not any("禁止" in text for text in secret)
    assert secret[-7:] == ["0"] * 7
