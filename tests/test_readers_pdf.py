"""PDF reader on PDFs made here: LibreOffice exports of a DOCX (text layer, ruled and borderless tables,
merged cells, a table broken across pages), a Pillow image-only PDF, encrypted and truncated files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from PIL import Image

from ingest.document import Table
from ingest.errors import CorruptFile, EncryptedFile, TooLarge
from ingest.readers import Limits
from ingest.readers.pdf import read

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is needed to make PDFs")

LONG_ROWS = 70  # enough rows to push the long table over a page break


def build_source(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("某某市审计局2020年政府信息公开工作年度报告")
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    t4 = document.add_table(rows=3, cols=4)
    t4.style = "Table Grid"
    t4.cell(0, 0).merge(t4.cell(1, 0)).text = "行政复议"
    t4.cell(0, 1).merge(t4.cell(0, 3)).text = "行政诉讼"
    for col, label in enumerate(["直接起诉", "复议后起诉", "总计"], start=1):
        t4.cell(1, col).text = label
    for col, value in enumerate(["1", "0", "2", "3"]):
        t4.cell(2, col).text = value
    document.add_paragraph("表后说明文字，共计3件。")
    document.add_paragraph("五、存在的主要问题及改进情况").add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    long_table = document.add_table(rows=LONG_ROWS, cols=3)
    long_table.style = "Table Grid"
    for row in range(LONG_ROWS):
        long_table.cell(row, 0).text = f"第{row + 1}行项目"
        long_table.cell(row, 1).text = str(row)
        long_table.cell(row, 2).text = str(row * 2)
    document.add_paragraph("二、主动公开政府信息情况")
    borderless = document.add_table(rows=4, cols=4)  # default style: no ruling lines
    for row, values in enumerate(
        [
            ["信息内容", "制发件数", "废止件数", "现行有效"],
            ["规章", "3", "1", "12"],
            ["规范性文件", "5", "0", "40"],
            ["行政许可", "7", "2", "9"],
        ]
    ):
        for col, value in enumerate(values):
            borderless.cell(row, col).text = value
    document.add_paragraph("某某市审计局")
    document.save(path)
    return path


def soffice_convert(source: Path, fmt: str, outdir: Path) -> Path:
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return outdir / f"{source.stem}.{fmt}"


@pytest.fixture(scope="module")
def text_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdf")
    return soffice_convert(build_source(folder / "report.docx"), "pdf", folder)


def test_ruled_table_with_merged_cells(text_pdf: Path) -> None:
    page = read(text_pdf, Limits()).pages[0]
    assert page.unit == "pt" and not page.needs_ocr
    assert page.width == pytest.approx(612, abs=100)
    table = next(page.tables())
    by_pos = {(c.row, c.col): c for c in table.cells}
    assert (by_pos[(0, 0)].text, by_pos[(0, 0)].rowspan, by_pos[(0, 0)].colspan) == ("行政复议", 2, 1)
    assert (by_pos[(0, 1)].text, by_pos[(0, 1)].rowspan, by_pos[(0, 1)].colspan) == ("行政诉讼", 1, 3)
    assert [by_pos[(2, c)].text for c in range(4)] == ["1", "0", "2", "3"]
    assert (1, 0) not in by_pos
    assert all(c.method == "pdf-text" and c.conf == 1.0 for c in table.cells)
    x0, top, x1, bottom = by_pos[(0, 0)].bbox
    assert x0 < x1 and top < bottom and bottom <= table.bbox[3] + 0.5


def test_lines_in_reading_order_outside_tables(text_pdf: Path) -> None:
    page = read(text_pdf, Limits()).pages[0]
    texts = ["TABLE" if isinstance(b, Table) else b.text for b in page.blocks]
    assert texts == [
        "某某市审计局2020年政府信息公开工作年度报告",
        "四、政府信息公开行政复议、行政诉讼情况",
        "TABLE",
        "表后说明文字，共计3件。",
        "五、存在的主要问题及改进情况",
    ]
    tops = [b.bbox[1] for b in page.blocks if b.bbox]
    assert tops == sorted(tops)


def test_table_split_across_pages_is_one_table_per_page(text_pdf: Path) -> None:
    doc = read(text_pdf, Limits())
    assert len(doc.pages) == 3
    first_part = next(doc.pages[1].tables())
    second_part = next(doc.pages[2].tables())
    assert first_part.n_cols == second_part.n_cols == 3
    assert first_part.n_rows + second_part.n_rows == LONG_ROWS
    assert first_part.rows()[0][0].text == "第1行项目"
    last = second_part.rows()[-1]
    assert [c.text for c in last] == [f"第{LONG_ROWS}行项目", str(LONG_ROWS - 1), str((LONG_ROWS - 1) * 2)]


def test_borderless_numeric_table(text_pdf: Path) -> None:
    page = read(text_pdf, Limits()).pages[2]
    tables = list(page.tables())
    assert len(tables) == 2
    rows = [[c.text for c in row] for row in tables[1].rows()]
    assert rows == [
        ["信息内容", "制发件数", "废止件数", "现行有效"],
        ["规章", "3", "1", "12"],
        ["规范性文件", "5", "0", "40"],
        ["行政许可", "7", "2", "9"],
    ]
    assert [b.text for b in page.lines()] == ["二、主动公开政府信息情况", "某某市审计局"]


def test_image_only_page_needs_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(path)
    doc = read(path, Limits(ocr=False))
    assert len(doc.pages) == 1
    assert doc.pages[0].needs_ocr and doc.pages[0].blocks == []


def test_too_many_pages(text_pdf: Path) -> None:
    with pytest.raises(TooLarge, match="3 pages"):
        read(text_pdf, Limits(max_pages=2))


def test_encrypted_with_password_is_refused(text_pdf: Path, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=text_pdf)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    writer.write(path)
    with pytest.raises(EncryptedFile):
        read(path, Limits())


def test_encrypted_with_empty_user_password_is_read(text_pdf: Path, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=text_pdf)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "print-protected.pdf"
    writer.write(path)
    doc = read(path, Limits())
    assert next(doc.pages[0].lines()).text == "某某市审计局2020年政府信息公开工作年度报告"


def test_truncated_pdf_is_corrupt(text_pdf: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(text_pdf.read_bytes()[:600])
    with pytest.raises(CorruptFile):
        read(path, Limits())


def test_garbage_after_header_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    with pytest.raises(CorruptFile):
        read(path, Limits())


def test_fake_bold_is_deduplicated(tmp_path: Path) -> None:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "bold.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 14)
    for dx in (0, 0.3):  # the title printed twice, slightly offset, as "bold"
        pdf.drawString(72 + dx, 720, "一、总体情况说明与政府信息公开")
    pdf.drawString(72, 690, "本年度主动公开政府信息37条。")
    pdf.save()
    lines = [b.text for b in read(path, Limits()).pages[0].lines()]
    assert lines == ["一、总体情况说明与政府信息公开", "本年度主动公开政府信息37条。"]
