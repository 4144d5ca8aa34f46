"""Rule-less tables printed by Chromium (`renderer=chromium`, `rules=none`): the browser centres a row's
values on its wrapped label, so the label's first line stands above the values, set apart from the row
above by the cells' padding. Found on the tuning seeds 736001–736010."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.ocr.bare_grid import Runs, _blocks
from tests.test_ocr_bare_columns import _page_rows, _row


@pytest.mark.slow
def test_a_labels_first_line_above_its_centred_values_opens_the_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 736006 (仿宋 9 pt, 28 pt line spacing, wide label column, 200 dpi, upside down): t3's labels
    # wrap in two lines with the values midway between them (一、本年新收政府信息公 / 0 1 0 0 2 0 3 /
    # 开申请数量). Each first line, 0.3 in under the row above, passed for a heading and ended the table
    # (t3 read as three tables), and each was read as the end of the row above: 136 fields lost.
    knobs = "renderer=chromium,rules=none"
    rows = _page_rows(tmp_path, monkeypatch, knobs, (736006, "2021"), 5, 3, mixed_pages=False, fmt="html")
    assert _row(rows, "本年新收")[-7:] == ["0", "1", "0", "0", "2", "0", "3"]
    assert _row(rows, "开申请数量") == _row(rows, "本年新收")
    assert _row(rows, "第三方")[-7:] == ["0", "1", "0", "0", "0", "0", "1"]
    assert _row(rows, "法权益") == _row(rows, "第三方")
    assert _row(rows, "四类过程")[-7:] == ["0"] * 7


def _line(y0: int, y1: int, runs: list[tuple[float, float]], ppi: float) -> tuple[int, int, Runs]:
    return (y0, y1, Runs((int(a * ppi), int(b * ppi)) for a, b in runs))


def test_a_heading_left_of_a_centred_table_parts_it_from_the_next() -> None:
    # Seed 736001, page 3 (Chromium, rules none, 200 dpi), the lines as found (y px, runs in inches):
    # t3's last rows, then 四、政府信息公开行政复议、行政诉讼情况 at the page's margin 0.195 in under
    # 四、结转下年度继续办理 (closer than SET_APART), then t4's header and values. One table, t4's
    # values were cut by t3's columns (10 t4 fields lost).
    ppi = 204.8
    values = [(4.09 + 0.5 * k, 4.15 + 0.5 * k) for k in range(7)]
    lines = [
        _line(207, 271, [(2.2, 2.92), *values], ppi),
        _line(291, 317, [(2.2, 2.8), *values], ppi),
        _line(337, 401, [(1.35, 2.0), (2.2, 3.05), *values], ppi),
        _line(412, 483, [(1.27, 1.4), (2.2, 3.17), *values], ppi),
        _line(504, 529, [(2.2, 2.68)], ppi),
        _line(541, 567, [(2.2, 3.78), *values], ppi),
        _line(579, 604, [(2.2, 2.44)], ppi),
        _line(624, 687, [(1.27, 2.0), *values], ppi),
        _line(707, 734, [(1.35, 1.88), *values], ppi),
        _line(754, 780, [(1.0, 1.1), (1.23, 2.32), *values], ppi),
        _line(820, 847, [(0.39, 0.49), (0.62, 1.85), (1.96, 2.7)], ppi),
        _line(887, 914, [(1.69, 2.19), (5.01, 5.5)], ppi),
        _line(
            933, 969, [(0.93, 1.18), (1.38, 1.62), (1.82, 2.06), (2.27, 2.5), (3.66, 4.64), (6.06, 6.67)], ppi
        ),
        _line(1064, 1086, [(1.03 + 0.443 * k, 1.09 + 0.443 * k) for k in range(15)], ppi),
    ]
    blocks = _blocks(lines, int(7.5 * ppi), ppi)
    assert [(b[0][0], b[-1][1]) for b in blocks] == [(207, 780), (820, 1086)]
