"""Text PDFs whose tables are printed with a full grid, horizontal rules only, three-line rules or none,
with a vertical merged label, and with t3 continued on the next page without its header at other x
positions (drawn by tests/pdf_layouts.py with reportlab): every table value read is the value drawn, `ok`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from ingest.document import SourceDocument, Table
from ingest.pipeline import extract
from ingest.readers import Limits
from ingest.readers.pdf import read
from synth.truth import generate_truth
from tests.pdf_layouts import FONT, PAGE_H, PAGE_W, Layout, register_font, write_report

LAYOUTS = {
    "grid": Layout("grid"),
    "horizontal": Layout("horizontal"),
    "none": Layout("none"),
    "vlabel-none": Layout("none", vertical_label=True),
    "vlabel-horizontal": Layout("horizontal", vertical_label=True),
    "split-none": Layout("none", vertical_label=True, split_t3=True),
    "split-horizontal": Layout("horizontal", split_t3=True),
    "three-line": Layout("three", vertical_label=True),
    "three-line-tight-right": Layout("three", split_t3=True, font_size=10.5, align="right", pad=1.5),
    # Tight and unusual settings: big type, little padding, values left- or right-aligned, top-aligned text.
    "tight-left-top": Layout("none", font_size=12.0, align="left", valign="top", pad=1.5),
    "tight-right": Layout(
        "horizontal", vertical_label=True, split_t3=True, font_size=14.0, align="right", pad=1.5
    ),
}
TEMPLATES = ("2019", "2021")
VERTICAL_LABEL = "三、本年度办理结果"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[Path, dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("layouts")
    out = {}
    for template in TEMPLATES:
        truth = generate_truth(31 if template == "2019" else 32, template, inconsistent=False)
        for name, layout in LAYOUTS.items():
            out[(template, name)] = (write_report(truth, folder / f"{template}-{name}.pdf", layout), truth)
    return out


def _tables(doc: SourceDocument) -> list[tuple[int, Table]]:
    return [(page.number, t) for page in doc.pages for t in page.tables()]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("name", LAYOUTS)
def test_every_table_value_is_read_right(drawn: dict, template: str, name: str) -> None:
    path, truth = drawn[(template, name)]
    record = extract(path)
    assert record.error is None
    wrong = {
        key: (expected, record.fields[key].value, record.fields[key].status, record.fields[key].reasons)
        for key, expected in truth["fields"].items()
        if record.fields[key].value != pytest.approx(expected) or record.fields[key].status != "ok"
    }
    assert not wrong
    assert record.meta["template"].value == template


@pytest.mark.parametrize("name", ["vlabel-none", "vlabel-horizontal", "split-none"])
def test_a_vertical_label_is_one_label_cell_spanning_its_rows(drawn: dict, name: str) -> None:
    path, _ = drawn[("2021", name)]
    doc = read(path, Limits(ocr=False))
    cells = [c for _, t in _tables(doc) for c in t.cells]
    vertical = [c for c in cells if c.text.replace("\n", "") == VERTICAL_LABEL]
    assert len(vertical) == 1 and vertical[0].rowspan > 1 and vertical[0].text.count("\n") == 8
    # None of its characters was left behind as a cell or a line of its own.
    assert not [c.text for c in cells if len(c.text) == 1 and c.text in VERTICAL_LABEL]
    assert not [
        ln.text for p in doc.pages for ln in p.lines() if len(ln.text) == 1 and ln.text in VERTICAL_LABEL
    ]


@pytest.mark.parametrize("name", ["split-none", "split-horizontal"])
def test_t3_continued_without_header_at_other_x_positions(drawn: dict, name: str) -> None:
    path, _ = drawn[("2021", name)]
    doc = read(path, Limits(ocr=False))
    t3 = [(page, t) for page, t in _tables(doc) if t.n_cols >= 8 and t.n_rows >= 5]
    (first_page, first), (second_page, second) = t3[:2]
    assert second_page == first_page + 1
    # No header on the continuation: its first row holds values.
    assert re.fullmatch(r"\d+", second.rows()[0][-1].text)
    # The continuation sets its value columns elsewhere; each still reads as seven values.
    first_x = [c.bbox[0] for c in first.rows()[-1][-7:]]
    second_x = [c.bbox[0] for c in second.rows()[0][-7:]]
    assert len(first_x) == len(second_x) == 7 and abs(first_x[0] - second_x[0]) > 20


def test_prose_and_page_numbers_are_not_tables(drawn: dict) -> None:
    path, _ = drawn[("2021", "none")]
    doc = read(path, Limits(ocr=False))
    texts = [c.text for _, t in _tables(doc) for c in t.cells]
    assert not [t for t in texts if len(t) > 40]  # no paragraph swallowed by a table
    assert any("一、总体情况" in ln.text for p in doc.pages for ln in p.lines())


@pytest.mark.parametrize("rules", ["none", "horizontal"])
@pytest.mark.parametrize(
    ("template", "key"),
    [
        ("2019", "t2.fees.prev"),
        ("2019", "t2.regulations.made"),
        ("2021", "t2.regulations.made"),
        ("2021", "t3.granted.research"),
    ],
)
def test_a_blank_cell_keeps_its_column(tmp_path: Path, rules: str, template: str, key: str) -> None:
    """A cell left blank (here the only value of its column in a sub-table, or the first one) is null and
    `review`; its neighbours are not shifted into its place."""
    truth = generate_truth(41, template, inconsistent=False)
    truth["fields"][key] = None
    record = extract(write_report(truth, tmp_path / "blank.pdf", Layout(rules)))
    assert record.fields[key].value is None and record.fields[key].status == "review"
    assert {k: record.fields[k].value for k in truth["fields"]} == truth["fields"]


# --- tables a program fitted to their text (LibreOffice opening a web page) ---------------------------------


def _draw(path: Path, items: Sequence[tuple[float, float, str]], size: float = 10.5) -> Path:
    """A one-page PDF with each text at (x, top) in points."""
    register_font()
    canvas = Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    canvas.setFont(FONT, size)
    for x, top, text in items:
        canvas.drawString(x, PAGE_H - top - size * 0.88, text)
    canvas.save()
    return path


def _width(text: str, size: float = 10.5) -> float:
    register_font()
    return float(pdfmetrics.stringWidth(text, FONT, size))


def test_a_value_close_to_its_label_is_a_row_unless_it_ends_a_paragraph_line(tmp_path: Path) -> None:
    """LibreOffice sizes a one-value table to its text: 470 stands 0.4 em after 行政事业性收费 (less than the
    0.5 em that sets a row's values apart). Alone on its line it is a row; the same gap after running text
    (a paragraph line running past it above) keeps the figure in the prose."""
    label, prose = "行政事业性收费", "全年主动公开政府信息，其中通过门户网站公开信息条数为"
    gap = 0.4 * 10.5
    items = [
        (70, 100, "第二十条第（八）项"),
        (70, 200, label),
        (70 + _width(label) + gap, 200, "470"),
        (70, 300, prose + "，政务新媒体公开信息条数为一百二十"),
        (70, 318, "本年度"),
        (70 + _width("本年度") + gap, 318, "88"),
    ]
    doc = read(_draw(tmp_path / "tight.pdf", items), Limits(ocr=False))
    rows = [[c.text for c in row] for _, t in _tables(doc) for row in t.rows()]
    assert rows == [[label, "470"]]
    assert any(ln.text == "本年度 88" for p in doc.pages for ln in p.lines())


def test_a_value_glued_to_its_label_is_cut_off_a_figure_in_prose_is_not(tmp_path: Path) -> None:
    """LibreOffice leaves only the cell padding (3 pt, which pdfplumber joins into one word) between a
    long label and the value after it: the value is cut off as a cell of its own. A figure set right
    after its words (共收到申请29件) stays in the text."""
    label = "2.其他法律行政法规禁止公开"
    x = 70 + _width(label) + 3.0
    items = [(70, 200, label)] + [(x + 25 * i, 200, "0") for i in range(7)]
    items += [(70, 230, "3.危及“三安全一稳定”")] + [(x + 25 * i, 230, str(i)) for i in range(7)]
    items += [(70, 300, "全年共收到申请29")]
    doc = read(_draw(tmp_path / "glued.pdf", items), Limits(ocr=False))
    rows = [[c.text for c in row] for _, t in _tables(doc) for row in t.rows()]
    assert rows[0] == [label, *"0000000"]
    assert any(ln.text == "全年共收到申请29" for p in doc.pages for ln in p.lines())


def test_a_long_row_label_on_one_line_is_a_row(tmp_path: Path) -> None:
    """A table wide enough to set a long label on one line (more than a heading's 30 characters): the run
    of values after it makes it a row, where a line of text ending in one figure stays text."""
    label = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    x = 70 + _width(label, 9) + 8
    items = [(70, 200, label)] + [(x + 18 * i, 200, "0") for i in range(7)]
    items += [(70, 230, "3.其他")] + [(x + 18 * i, 230, "1") for i in range(7)]
    doc = read(_draw(tmp_path / "long.pdf", items, size=9), Limits(ocr=False))
    rows = [[c.text for c in row] for _, t in _tables(doc) for row in t.rows()]
    assert rows == [[label, *"0000000"], ["3.其他", *"1111111"]]
