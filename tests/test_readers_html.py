"""HTML reader on pages written here: encodings, layout vs. data tables, spans, metadata lines, noise."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import Line, Table
from ingest.errors import CorruptFile
from ingest.readers import Limits
from ingest.readers.html import read

BODY = """
<div class="nav"><nav><a href="/">首页</a> <a href="/x">政务公开</a></nav></div>
<script>var x = "不要读我";</script><style>p {{ color: red }}</style>
<table class="info"><tr><td>索引号：</td><td>11370000/2021-00012</td><td>发布机构：</td><td>聊城市审计局</td></tr>
<tr><td>生成日期：</td><td>2021-02-02 09:55:35</td><td>文号：</td><td></td></tr></table>
<table width="100%"><tr><td>
  <h1>聊城市审计局2020年政府信息公开工作年度报告</h1>
  <p>　　一、总体情况</p>
  <p>2020年，市审计局发布信息<b>196</b>条。<br>第二行文字</p>
  <table border="1">
    <tr><td rowspan="2">行政复议</td><td colspan="3">行政诉讼</td></tr>
    <tr><td>直接起诉</td><td>复议后起诉</td><td>总计</td></tr>
    <tr><td>1</td><td>0</td><td>2</td><td>3</td></tr>
  </table>
  <p>聊城市审计局</p>
</td></tr></table>
<!-- 注释 --> 尾部文字
"""


def page(charset_meta: str = "") -> str:
    return f"<html><head>{charset_meta}<title>标题</title></head><body>{BODY}</body></html>"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture(params=["utf8", "gbk-meta", "gbk-no-meta", "gbk-lying-meta", "utf8-bom"])
def html_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    variants = {
        "utf8": page('<meta charset="utf-8">').encode("utf-8"),
        "gbk-meta": page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode(
            "gbk"
        ),
        "gbk-no-meta": page().encode("gbk"),
        "gbk-lying-meta": page('<meta charset="utf-8">').encode("gbk"),
        "utf8-bom": b"\xef\xbb\xbf" + page().encode("utf-8"),
    }
    return write(tmp_path, f"{request.param}.html", variants[request.param])


def test_text_and_order_in_every_encoding(html_file: Path) -> None:
    doc = read(html_file, Limits())
    assert doc.format == "html" and len(doc.pages) == 1
    blocks = doc.pages[0].blocks
    texts = ["TABLE" if isinstance(b, Table) else b.text for b in blocks]
    assert texts == [
        "索引号： 11370000/2021-00012 发布机构： 聊城市审计局",
        "生成日期： 2021-02-02 09:55:35 文号：",
        "聊城市审计局2020年政府信息公开工作年度报告",
        "一、总体情况",
        "2020年，市审计局发布信息196条。",
        "第二行文字",
        "TABLE",
        "聊城市审计局",
        "尾部文字",
    ]


def test_gbk_is_read_as_gb18030(tmp_path: Path) -> None:
    data = page('<meta charset="gbk">').encode("gbk")
    assert read(write(tmp_path, "p.html", data), Limits()).info["encoding"] == "gb18030"


def test_spans_follow_the_grid_algorithm(html_file: Path) -> None:
    table = next(read(html_file, Limits()).pages[0].tables())
    by_pos = {(c.row, c.col): c for c in table.cells}
    assert (by_pos[(0, 0)].text, by_pos[(0, 0)].rowspan) == ("行政复议", 2)
    assert (by_pos[(0, 1)].text, by_pos[(0, 1)].colspan) == ("行政诉讼", 3)
    assert [by_pos[(1, c)].text for c in (1, 2, 3)] == ["直接起诉", "复议后起诉", "总计"]
    assert [by_pos[(2, c)].text for c in range(4)] == ["1", "0", "2", "3"]
    assert by_pos[(0, 1)].bbox == (1, 0, 4, 1)
    assert all(c.method == "html" for c in table.cells)


def test_line_bbox_is_block_index(html_file: Path) -> None:
    blocks = read(html_file, Limits()).pages[0].blocks
    line = blocks[3]
    assert isinstance(line, Line)
    assert line.bbox == (0, 3, len(line.text), 4)
    assert blocks[6].bbox == (0, 6, 4, 7)


def test_cell_paragraphs_join_with_newline_and_spans_are_clipped(tmp_path: Path) -> None:
    html = "<table><tr><td rowspan='9'>甲<br>乙</td><td colspan='2'>x</td></tr><tr><td>1</td><td>2</td></tr></table>"
    table = next(read(write(tmp_path, "t.html", html.encode()), Limits()).pages[0].tables())
    first = table.cells[0]
    assert (first.text, first.rowspan) == ("甲\n乙", 2)
    assert table.n_rows == 2 and table.n_cols == 3


def test_empty_page_is_corrupt(tmp_path: Path) -> None:
    with pytest.raises(CorruptFile):
        read(write(tmp_path, "e.html", b"   \n  "), Limits())
