"""Rule-less tables printed by Chromium (`renderer=chromium`, `rules=none`): the browser centres a row's
values on its wrapped label, so the label's first line stands above the values, set apart from the row
above by the cells' padding. Found on the tuning seeds 736001–736010 (and 796001–796012, values at their
cells' left)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.ocr.bare_grid import Line, Runs, _blocks
from synth.corpus import Case
from tests.conftest import knob_scan_page, table_rows
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


def test_a_heading_left_of_a_table_whose_labels_start_with_their_enumerators() -> None:
    # synth_796010, page 3 (Chromium, rules none, align left, 黑体 10 pt, 200 dpi), the lines as found
    # (y px, runs in px): t3's tail (请 / 3.其他 / (七)總計 / 四、結轉下年度繼續辦理, its 四、 a run of
    # its own, 0.13 in before its words), then 四、政府信息公開行政複議、行政訴訟情況 at the page's margin
    # 0.17 in under it, then t4. 3.其他 is narrower than a label run and 四、 is a glyph: one line left
    # with a label, the heading passed for none, and t4's values were cut by t3's columns (in review).
    ppi = 204.8
    t3 = [(603 + 128.3 * k, 620 + 128.3 * k) for k in range(7)]
    t4 = [(181 + 90.5 * k, 197 + 90.5 * k) for k in range(15)]

    def line(y0: int, y1: int, runs: list[tuple[float, float]]) -> Line:
        return (y0, y1, Runs((int(a), int(b)) for a, b in runs))

    lines = [
        line(79, 108, [(406, 568)]),
        line(113, 140, [(404, 431)]),
        line(155, 183, [(406, 487), *t3]),
        line(195, 225, [(293, 415), *t3]),
        line(237, 266, [(219, 244), (272, 523), *t3]),
        line(301, 330, [(80, 105), (132, 411), (439, 604)]),
        line(368, 397, [(341, 453), (1020, 1133)]),
        line(410, 445, [(189, 241), (280, 331), (370, 424), (461, 515), (738, 961), (1234, 1372)]),
        line(445, 514, [(188 + 90.5 * k, 245 + 90.5 * k) for k in range(15)]),
        line(528, 552, t4),
    ]
    blocks = _blocks(lines, int(7.5 * ppi), ppi)
    assert [(b[0][0], b[-1][1]) for b in blocks] == [(113, 266), (301, 552)]


@pytest.mark.slow
def test_t4_under_a_heading_close_under_t3s_enumerated_last_row_is_its_own_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # synth_796010 page 3 (the tenth scan of `--seed 796001`, values at their cells' left) as a scan:
    # the lines of the test above. t4's fifteen values are a row of their own, not cut by t3's columns.
    case = Case(796010, "2021", "html", "traditional", True)
    rows = table_rows(knob_scan_page(tmp_path, monkeypatch, "renderer=chromium,align=left", case, 9, 3))
    assert ["0"] * 15 in rows
    assert _row(rows, "下年度")[-7:] == ["0"] * 7
