"""A figure with its unit that the digit passes read alike, and the label reading garbled: synth_998047's
政府集中采购 amount, 121.83 万 (黑体 10 pt, 300 dpi grey, ruled grid), read 121.83万 by both chi_sim
passes (91, 92), 121.83 and 121.835 by eng, and 121:83琅 by the label reading — the figure was lost as
unreadable. The passes' figure is kept, in review (the label reading disagreed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import Table
from ingest.ocr.engine import Reading
from ingest.ocr.read import _money_of_the_passes
from ingest.record import REVIEW_THRESHOLD
from synth.corpus import Case
from tests.conftest import knob_scan_page

HEI_GRID = (
    "rules=grid,vlabel=wrapped,header_repeat=no,t3_break=natural,header=wrapped,widths=wide_label,"
    "align=right,font=黑体,size=10,spacing=single,title=guanyu,signature=yes,dpi=300,colour=gray,"
    "rotation=none,renderer=libreoffice"
)


def _passes(*read: tuple[str, float]) -> list[Reading]:
    return [Reading(text, conf) for text, conf in read]


def test_a_figure_and_unit_the_passes_agree_on_is_kept_unsettled() -> None:
    measured = _passes(("121.83", 53), ("121.83万", 91), ("121.835", 73), ("121.83万", 92))
    cell = _money_of_the_passes(measured)
    assert cell is not None and cell.text == "121.83万"
    assert cell.conf < REVIEW_THRESHOLD


@pytest.mark.parametrize(
    "read",
    [
        # the chi_sim passes saw different units (万 against 元: ten thousand times apart)
        (("121.83", 53), ("121.83万", 91), ("121.83", 73), ("121.83元", 92)),
        # one chi_sim pass saw no unit: no pass vouches for the unit alone
        (("121.83", 53), ("121.83", 91), ("121.83", 73), ("121.83万", 92)),
        # the figures disagree: no three of four
        (("121.83", 53), ("121.83万", 91), ("171.55", 73), ("171.85万", 92)),
        # a chi_sim pass read a word
        (("121.83", 53), ("采购万", 91), ("121.83", 73), ("121.83万", 92)),
    ],
)
def test_passes_that_do_not_agree_on_figure_and_unit_give_nothing(
    read: tuple[tuple[str, float], ...],
) -> None:
    assert _money_of_the_passes(_passes(*read)) is None


@pytest.mark.slow
def test_the_procurement_amount_of_a_hei_grid_scan_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = Case(998047, "2019", "pdf", "simplified", True)
    page = knob_scan_page(tmp_path, monkeypatch, HEI_GRID, case, 0, 2)
    rows = [[c for c in row] for b in page.blocks if isinstance(b, Table) for row in b.rows()]
    amounts = [c for row in rows for c in row if c.text.startswith("121.83")]
    assert [c.text for c in amounts] == ["121.83万"], [[c.text for c in r] for r in rows]
    assert amounts[0].conf < REVIEW_THRESHOLD
