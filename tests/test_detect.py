"""Format detection from content: every file here carries a misleading or no extension on purpose."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import docx
import pytest
from PIL import Image

from ingest.detect import detect_format
from ingest.errors import CorruptFile, EmptyFile, UnsupportedFormat

REPORT_TEXT = "某某市审计局2021年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开政府信息37条。\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def image_file(tmp_path: Path, fmt: str, name: str, **save: object) -> Path:
    path = tmp_path / name
    Image.new("RGB", (40, 30), "white").save(path, format=fmt, **save)
    return path


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "BMP", "GIF", "WEBP", "TIFF"])
def test_images_by_signature(tmp_path: Path, fmt: str) -> None:
    assert detect_format(image_file(tmp_path, fmt, "scan.docx")) == "image"


def test_jpeg_named_pdf_is_image(tmp_path: Path) -> None:
    assert detect_format(image_file(tmp_path, "JPEG", "report.pdf")) == "image"


def test_multipage_tiff_is_image(tmp_path: Path) -> None:
    path = tmp_path / "pages.tif"
    first, second = Image.new("L", (40, 30), 255), Image.new("L", (40, 30), 0)
    first.save(path, save_all=True, append_images=[second], compression="tiff_deflate")
    assert detect_format(path) == "image"


def test_pdf_even_with_junk_before_header(tmp_path: Path) -> None:
    assert detect_format(write(tmp_path, "a.doc", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")) == "pdf"
    assert detect_format(write(tmp_path, "b", b"\r\n  %PDF-1.4\n")) == "pdf"


def test_docx_by_its_parts(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    docx.Document().save(path)
    assert detect_format(path) == "docx"


def test_zip_that_is_not_word_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnsupportedFormat, match=r"not a Word document.*Excel"):
        detect_format(path)


def test_damaged_zip_is_corrupt(tmp_path: Path) -> None:
    source = tmp_path / "ok.docx"
    docx.Document().save(source)
    with pytest.raises(CorruptFile):
        detect_format(write(tmp_path, "cut.docx", source.read_bytes()[:500]))


def test_ole2_and_rtf_are_doc(tmp_path: Path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert detect_format(write(tmp_path, "x.wps", ole)) == "doc"
    assert detect_format(write(tmp_path, "x.txt", b"{\\rtf1\\ansi hello}")) == "doc"


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(EmptyFile):
        detect_format(write(tmp_path, "empty.pdf", b""))


def test_random_bytes_are_unsupported(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat, match="does not look like a document"):
        detect_format(write(tmp_path, "noise.doc", os.urandom(20000)))


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb18030", "utf-8-sig", "utf-16", "utf-16-le", "big5"])
def test_plain_text_in_chinese_encodings(tmp_path: Path, encoding: str) -> None:
    text = REPORT_TEXT if encoding != "big5" else "政府資訊公開工作年度報告\n"
    assert detect_format(write(tmp_path, "r.pdf", text.encode(encoding))) == "text"


@pytest.mark.parametrize(
    "html",
    [
        "<!DOCTYPE html><html><body><p>报告</p></body></html>",
        "<HTML><HEAD><META http-equiv=Content-Type content='text/html; charset=gb2312'></HEAD><BODY>报告",
        "<table><tr><td>报告</td></tr></table>",
        "\ufeff<p>一、总体情况</p>",
    ],
)
def test_html_by_tags(tmp_path: Path, html: str) -> None:
    assert detect_format(write(tmp_path, "word-saved.doc", html.encode("gbk", "ignore"))) == "html"


def test_text_starting_with_bm_is_not_bmp(tmp_path: Path) -> None:
    assert detect_format(write(tmp_path, "t", b"BM report text, plain and simple.\n")) == "text"
