"""Rule-less tables printed by Chromium (`renderer=chromium`, `rules=none`): the browser centres a row's
values on its wrapped label, so the label's first line stands above the values, set apart from the row
above by the cells' padding. Found on the tuning seeds 736001–736010."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from ingest.document import Table
from ingest.ocr import ocr_image
from synth.corpus import Case, build
from synth.scanned import _scan_knobs_one
from tests.conftest import pin_knobs
from tests.test_ocr_bare_columns import _row


@pytest.mark.slow
def test_a_labels_first_line_above_its_centred_values_opens_the_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seed 736006 (仿宋 9 pt, 28 pt line spacing, wide label column, 200 dpi, upside down): t3's labels
    # wrap in two lines with the values midway between them (一、本年新收政府信息公 / 0 1 0 0 2 0 3 /
    # 开申请数量). Each first line, 0.3 in under the row above, passed for a heading and ended the table
    # (t3 read as three tables), and each was read as the end of the row above: 136 fields lost.
    pin_knobs(monkeypatch, "renderer=chromium,rules=none")
    native = build([Case(736006, "2021", "html", "simplified", True)], tmp_path, mixed_pages=False)
    scan = _scan_knobs_one(native[0], 5, tmp_path)
    with Image.open(scan.path) as tif:
        tif.seek(2)
        page = ocr_image(tif.convert("RGB"), 3)
    rows = [[c.text for c in row] for b in page.blocks if isinstance(b, Table) for row in b.rows()]
    assert _row(rows, "本年新收")[-7:] == ["0", "1", "0", "0", "2", "0", "3"]
    assert _row(rows, "开申请数量") == _row(rows, "本年新收")
    assert _row(rows, "第三方")[-7:] == ["0", "1", "0", "0", "0", "0", "1"]
    assert _row(rows, "法权益") == _row(rows, "第三方")
    assert _row(rows, "四类过程")[-7:] == ["0"] * 7
