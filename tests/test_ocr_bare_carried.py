"""Reports printed by Chromium with no rules (`renderer=chromium,rules=none`): rows, labels and columns
cut from the text alone where a page holds only part of a table. Found on synth_996025 and synth_996021 of the
c996019 scans (session 18); drawn here from other seeds with the same layout knobs pinned.

- A group's last sub-row printed above the header repeated at the page's top, its label blank (the
  report leaves sub-labels blank): seven figures alone on their line, no table, t3 one row short.
- A narrow label column filled to its edge (even widths, 楷体 10 pt) and figures set at their cells'
  left: a label's last character and the row's first figure closer than a column gap, one run, and the
  first value column read into the labels (21 read 211); and the group label's first line beside its
  sub-label's, left of the page's rows of sub-labels, taken for a heading that ended the table.
- t2's fee section alone under its header, its amount wider than a number run: no value column."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.build import to_text
from ingest.document import SourceDocument, Table
from ingest.tables import read_rows
from ingest.templates import load_template
from synth.corpus import Case
from synth.scanned import knob_cases
from tests.conftest import knob_scan_page, pin_knobs, table_rows

# synth_996025's layout.
REPEATED_HEADER = (
    "renderer=chromium,rules=none,vlabel=vertical,header_repeat=yes,t3_break=forced,header=wrapped,"
    "widths=classic,align=center,font=宋体,size=12,spacing=exact28,dpi=200,colour=colour,rotation=upside_down"
)
# synth_996021's layout.
NARROW_LEFT = (
    "renderer=chromium,rules=none,vlabel=wrapped,header_repeat=no,t3_break=forced,header=classic,"
    "widths=even,align=left,font=楷体,size=10,spacing=single,dpi=200,colour=bilevel,rotation=upside_down"
)
ZEROS = ["0"] * 7


@pytest.mark.slow
def test_a_sub_row_alone_above_the_repeated_header_is_a_row_of_t3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 773196 (faults lost_header, missing_sublabels, page_split): (四)无法提供's third row, 0 0 0 0 0
    # 0 0 with no label, stands at page 4's top over the repeated header. Left out, t3 was a row short:
    # its count could not place the label-less rows, (三)'s were unconfirmed and denied_query was lost.
    case = Case(773196, "2019", "html", "simplified", True)
    pages = [
        knob_scan_page(tmp_path / f"p{n}", monkeypatch, REPEATED_HEADER, case, 0, n, mixed_pages=False)
        for n in (3, 4)
    ]
    first = next(b for b in pages[1].blocks if isinstance(b, Table))
    assert [[c.text for c in row] for row in first.rows()] == [ZEROS]
    template = load_template("2019")
    found = read_rows(to_text(SourceDocument("synth_773196.pdf", "image", pages)).tokens, template)
    t3 = [r.key for r in template.rows if r.table == "t3"]
    assert all(key in found for key in t3)
    assert not any(found[key].anomaly == "unconfirmed position" for key in t3)
    assert [c.text for c in found["t3.unable_create"].cells] == ["1", "1", "0", "0", "0", "0", "2"]
    assert [c.text for c in found["t3.unable_unclear"].cells] == ZEROS


@pytest.mark.slow
def test_a_label_run_into_its_first_figure_and_a_group_label_left_of_the_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 773512 (2021 template, traditional script): page 3 starts with (五)'s last sub-rows; (六)其他處理
    # stands left of them beside 2.申請人逾期未按…, its first line (六)其 | 2.申請人 one run. It ended the
    # table; the rows under it, their labels' last characters run into the first figures (費用、行 0,
    # 3.其他 0), read (七)總計 0 as 00 and 四、結轉 and 3.其他 one value short.
    case = Case(773512, "2021", "html", "traditional", True)
    page = knob_scan_page(tmp_path, monkeypatch, NARROW_LEFT, case, 0, 3, mixed_pages=False)
    tables = [b for b in page.blocks if isinstance(b, Table)]
    assert len(tables) == 2  # t3's part and t4
    rows = table_rows(page)
    t3 = [[c.text for c in row] for row in tables[0].rows()]
    assert all(len(row) == 8 and all(v.isdigit() for v in row[1:]) for row in t3), t3
    by_label = {row[0]: row[1:] for row in t3}
    assert any(label.startswith("(六)") and values == ZEROS for label, values in by_label.items()), t3
    assert by_label["3.其他"] == ZEROS
    assert by_label["(七)總計"] == ["0", "1", "0", "0", "0", "3", "3"]
    assert next(row for row in rows if row[0].endswith("下年度繼續辦理"))[1:] == ZEROS


@pytest.mark.slow
def test_a_lone_fee_amount_wider_than_a_number_is_a_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 773196 on the 2021 template: t2's fee section alone under its header (信息内容 | 本年收費金額
    # (單位：萬元) over 行政事业性收费 … 444.29), the amount 0.48 in wide in 宋体 12 pt, wider than a number
    # run. Its column had no run narrow enough to be a value, the section no value column, and no table:
    # t2.fees.amount was lost.
    case = Case(773196, "2021", "html", "simplified", True)
    page = knob_scan_page(tmp_path, monkeypatch, REPEATED_HEADER, case, 0, 2, mixed_pages=False)
    assert ["行政事业性收费", "444.29"] in table_rows(page)


@pytest.mark.slow
def test_a_wrapped_labels_enumerator_blank_cuts_off_no_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 774105 (`rules=none` pinned; 宋体 10 pt at 28 pt spacing, even widths, centred figures): 5.屬於
    # stands beside its row's figures, the blank after 5. as wide as a figure's margin, and 屬於 where the
    # first figure's place would be. Cut off as a figure (two characters pass for a number by their
    # shape, not by their height), it made the wrapped labels' lines above the first row no table line:
    # 合法權 / 益, the tail of 4.保護第三方合法權益, and other label lines were lost.
    pin_knobs(monkeypatch, "rules=none")
    case = knob_cases(1, 774105)[0]
    page = knob_scan_page(tmp_path, monkeypatch, "rules=none", case, 0, 3, mixed_pages=False)
    texts = [t for row in table_rows(page) for t in row]
    assert any("合法權" in t for t in texts), texts
    assert any("法案卷" in t for t in texts), texts
