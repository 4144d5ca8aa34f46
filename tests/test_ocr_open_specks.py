"""Horizontal-rule tables ruled row by row, on scans with noise (issue 10, session 7, branch s7-hc2,
tuning seeds 706001–706200)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import Table
from synth.corpus import Case
from tests.conftest import knob_scan_page

KNOBS = "rules=horizontal,size=9,align=left,widths=even,font=楷体,colour=colour,rotation=upside_down,vlabel=wrapped"


def _rows(table: Table) -> list[list[str]]:
    rows: dict[int, list[str]] = {}
    for c in sorted(table.cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(c.row, []).append(c.text)
    return list(rows.values())


def test_specks_in_a_tall_rows_value_columns_are_no_second_line_of_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 706023 (the third scan of `bench layouts --scans 3 --seed 706021` with KNOBS; 9 pt, 150 dpi):
    # on page 4, t3's row 2.申请人逾期未按收费通知要求缴纳费用… wraps over 13 lines (2.2 in). Two 2-px
    # specks 7 px apart in its value columns read as a second line of values, so the table was taken
    # for a 三线表 and cut into text lines: five columns, the header joined to the rows, (六)其他处理,
    # (七)总计 and 四、结转下年度继续办理 in review ("row has 4 cells for 7 columns").
    page = knob_scan_page(tmp_path, monkeypatch, KNOBS, Case(706023, "2021", "pdf", "simplified", True), 2, 4)
    tables = [b for b in page.blocks if isinstance(b, Table)]
    rows = [
        r for t in tables for r in _rows(t) if any("总计" in x for x in r) and any(x.isdigit() for x in r)
    ]
    assert [[x for x in r if x] for r in rows] == [["(七)总计", "12", "0", "0", "0", "0", "0", "12"]]
    carried = [r for t in tables for r in _rows(t) if any("结转" in x for x in r)]
    assert [[x for x in r if x] for r in carried] == [
        ["四、结转下年度继续办理", "0", "0", "0", "0", "0", "0", "0"]
    ]
