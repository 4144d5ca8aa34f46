"""t3 carried onto a page without its header repeated, the header's wrapped last lines above its first
row (synth_641902: 黑体 13 pt, rules=none, header=wrapped, header_repeat=no, 200 dpi colour)."""

from __future__ import annotations

from ingest.ocr.bare_grid import Runs, _opens_centred_row

PPI = 200.0
FIGURES = [(904, 918), (986, 1001), (1068, 1083), (1151, 1166), (1234, 1249), (1318, 1331), (1399, 1414)]
# 一、本年新收政府信息公 | 6 0 0 0 0 1 7, then 开申请数量 (synth_641902 page 3, as `bare_grid._lines` found them).
VALUES = (249, 277, Runs([(177, 216), (235, 496), *FIGURES]))
REST = (291, 319, Runs([(177, 321)]))


def test_a_header_end_over_the_values_opens_no_row() -> None:
    # 织 | 构, the ends of 社会公益组织 and 科研机构, stood over the value columns above the first row: taken
    # for the first line of its label, they joined the row (织0 | 构0), and t3's 新收 row was lost.
    header_end = (206, 235, Runs([(1145, 1173), (1227, 1255)]))
    assert not _opens_centred_row([header_end, VALUES, REST], PPI)


def test_a_label_line_over_its_centred_values_still_opens_the_row() -> None:
    # A browser centres a row's values on its wrapped label: 二、上年结转政府信息公 / 0 0 0 … / 开申请数量.
    label = (206, 235, Runs([(177, 216), (235, 496)]))
    values = (249, 277, Runs(FIGURES))
    assert _opens_centred_row([label, values, REST], PPI)
