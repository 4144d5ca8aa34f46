"""DOCX reader on documents built here with python-docx: merged cells, order, page breaks, bounds."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK

from ingest.document import Line, Table
from ingest.errors import CorruptFile, TooLarge
from ingest.readers import Limits
from ingest.readers.docx import read


def build_report(path: Path) -> Path:
    """A small report: title, prose, a t4-like table with merged headers, a page break, a t3-like table."""
    document = docx.Document()
    document.add_paragraph("某某市审计局2021年政府信息公开工作年度报告")
    document.add_paragraph("一、总体情况")
    document.add_paragraph("2021年，本局主动公开政府信息37条。")
    t4 = document.add_table(rows=3, cols=4)
    t4.cell(0, 0).merge(t4.cell(1, 0)).text = "行政复议"  # vertical merge: rowspan 2
    t4.cell(0, 1).merge(t4.cell(0, 3)).text = "行政诉讼"  # horizontal merge: colspan 3
    for col, label in enumerate(["未经复议直接起诉", "复议后起诉", "总计"], start=1):
        t4.cell(1, col).text = label
    for col, value in enumerate(["1", "0", "2", "3"]):
        t4.cell(2, col).text = value
    t4.cell(2, 0).add_paragraph("第二段")  # two paragraphs in one cell → joined with \n
    document.add_paragraph("表格之后的段落").add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    t3 = document.add_table(rows=2, cols=2)
    t3.cell(0, 0).text = "一、本年新收政府信息公开申请数量"
    t3.cell(0, 1).text = "5"
    t3.cell(1, 0).text = "二、上年结转政府信息公开申请数量"
    t3.cell(1, 1).text = "0"
    document.add_paragraph("")  # empty paragraph: no Line
    document.add_paragraph("某某市审计局\n2022年1月20日")
    document.save(path)
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report(tmp_path_factory.mktemp("docx") / "report.docx")


def test_body_order_and_pages(report: Path) -> None:
    doc = read(report, Limits())
    assert doc.format == "docx"
    assert len(doc.pages) == 2
    first, second = doc.pages
    kinds = ["T" if isinstance(b, Table) else b.text for b in first.blocks]
    assert kinds == [
        "某某市审计局2021年政府信息公开工作年度报告",
        "一、总体情况",
        "2021年，本局主动公开政府信息37条。",
        "T",
        "表格之后的段落",
    ]
    assert isinstance(second.blocks[0], Line)
    assert second.blocks[0].text == "三、收到和处理政府信息公开申请情况"
    assert isinstance(second.blocks[1], Table)
    assert second.blocks[-1].text == "某某市审计局\n2022年1月20日"
    assert first.number == 1 and second.number == 2 and first.unit == "line"


def test_merged_cells_become_spans(report: Path) -> None:
    table = next(read(report, Limits()).pages[0].tables())
    by_pos = {(c.row, c.col): c for c in table.cells}
    assert by_pos[(0, 0)].text == "行政复议"
    assert (by_pos[(0, 0)].rowspan, by_pos[(0, 0)].colspan) == (2, 1)
    assert by_pos[(0, 1)].text == "行政诉讼"
    assert (by_pos[(0, 1)].rowspan, by_pos[(0, 1)].colspan) == (1, 3)
    assert (1, 0) not in by_pos  # continuation of the vertical merge is not emitted
    assert (0, 2) not in by_pos
    assert [by_pos[(1, c)].text for c in (1, 2, 3)] == ["未经复议直接起诉", "复议后起诉", "总计"]
    assert by_pos[(2, 0)].text == "1\n第二段"
    assert by_pos[(0, 1)].bbox == (1, 0, 4, 1)
    assert by_pos[(0, 0)].bbox == (0, 0, 1, 2)
    assert table.n_rows == 3 and table.n_cols == 4
    assert all(c.method == "docx" and c.conf == 1.0 for c in table.cells)
    assert table.bbox == (0, 3, 4, 4)


def test_line_bbox_is_block_index(report: Path) -> None:
    page = read(report, Limits()).pages[0]
    line = page.blocks[2]
    assert isinstance(line, Line)
    assert line.bbox == (0, 2, len(line.text), 3)


def test_nested_table_is_descended(tmp_path: Path) -> None:
    document = docx.Document()
    outer = document.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.paragraphs[0].text = "外层说明"
    inner = cell.add_table(rows=2, cols=2)
    inner.cell(0, 0).text = "行政处罚"
    inner.cell(0, 1).text = "12"
    inner.cell(1, 0).text = "行政强制"
    inner.cell(1, 1).text = "0"
    path = tmp_path / "nested.docx"
    document.save(path)
    blocks = read(path, Limits()).pages[0].blocks
    assert isinstance(blocks[0], Line) and blocks[0].text == "外层说明"
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 1
    assert [[c.text for c in row] for row in tables[0].rows()] == [["行政处罚", "12"], ["行政强制", "0"]]


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a>" + b" " * (50 * 1024 * 1024) + b"</a>")
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(TooLarge, match="zip bomb"):
        read(path, Limits())
    with pytest.raises(TooLarge):
        read(path, Limits(max_unpacked_bytes=10 * 1024 * 1024))


def test_malformed_xml_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document><w:body><w:p>")
    with pytest.raises(CorruptFile, match="not well-formed"):
        read(path, Limits())


def test_truncated_zip_is_corrupt(tmp_path: Path, report: Path) -> None:
    path = tmp_path / "cut.docx"
    path.write_bytes(report.read_bytes()[:2000])
    with pytest.raises(CorruptFile):
        read(path, Limits())


def test_vertical_merge_chain_and_block_merge(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    table.cell(0, 0).merge(table.cell(3, 0)).text = "依申请公开"  # rowspan 4
    table.cell(1, 1).merge(table.cell(2, 2)).text = "块"  # 2×2 block
    path = tmp_path / "merge.docx"
    document.save(path)
    cells = next(read(path, Limits()).pages[0].tables()).cells
    by_pos = {(c.row, c.col): c for c in cells}
    assert (by_pos[(0, 0)].rowspan, by_pos[(0, 0)].colspan) == (4, 1)
    assert (by_pos[(1, 1)].rowspan, by_pos[(1, 1)].colspan) == (2, 2)
    assert by_pos[(1, 1)].text == "块"
    assert len(cells) == 6  # (0,0) + row 0: 2 + the block + row 3: 2


def test_grid_before_shifts_cells(tmp_path: Path) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for col, text in enumerate(["a", "b", "c"]):
        table.cell(0, col).text = text
    row = table.rows[1]._tr
    row.remove(row.tc_lst[0])  # the second row starts one grid column in
    row.insert(0, parse_xml(f'<w:trPr {nsdecls("w")}><w:gridBefore w:val="1"/></w:trPr>'))
    row.tc_lst[0].append(parse_xml(f"<w:p {nsdecls('w')}><w:r><w:t>x</w:t></w:r></w:p>"))
    path = tmp_path / "gridbefore.docx"
    document.save(path)
    cells = next(read(path, Limits()).pages[0].tables()).cells
    assert {(c.row, c.col) for c in cells if c.row == 1} == {(1, 1), (1, 2)}
    assert next(c for c in cells if (c.row, c.col) == (1, 1)).text == "x"


def test_section_breaks_split_pages_unless_continuous(tmp_path: Path) -> None:
    from docx.enum.section import WD_SECTION

    document = docx.Document()
    document.add_paragraph("第一页")
    document.add_section(WD_SECTION.CONTINUOUS)
    document.add_paragraph("仍在第一页")
    document.add_section(WD_SECTION.NEW_PAGE)
    document.add_paragraph("第二页")
    path = tmp_path / "sections.docx"
    document.save(path)
    pages = read(path, Limits()).pages
    assert [[b.text for b in p.lines()] for p in pages] == [["第一页", "仍在第一页"], ["第二页"]]
