"""Legacy reader: a .doc made here by LibreOffice from a DOCX, an RTF, and the converter's failure modes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.errors import ConverterMissing, Timeout
from ingest.readers import Limits, legacy
from ingest.readers.legacy import read
from tests.test_readers_docx import build_report
from tests.test_readers_pdf import soffice_convert

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")

RTF = rb"""{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 SimSun;}}
\f0\fs24 \'d5\'fe\'b8\'ae\'d0\'c5\'cf\'a2\'b9\'ab\'bf\'aa\par
second line 2021\par
}"""


@pytest.fixture(scope="module")
def legacy_doc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("legacy")
    doc = soffice_convert(build_report(folder / "report.docx"), "doc", folder)
    named_wps = folder / "报告 (final).wps"  # odd name and a misleading extension
    doc.rename(named_wps)
    return named_wps


@needs_soffice
def test_doc_is_converted_and_read(legacy_doc: Path) -> None:
    doc = read(legacy_doc, Limits())
    assert doc.format == "doc"
    assert doc.path == str(legacy_doc)
    assert doc.info["converter"] == "libreoffice"
    lines = [b.text for b in doc.pages[0].lines()]
    assert lines[0] == "某某市审计局2021年政府信息公开工作年度报告"
    table = next(doc.pages[0].tables())
    by_pos = {(c.row, c.col): c for c in table.cells}
    assert (by_pos[(0, 0)].text, by_pos[(0, 0)].rowspan) == ("行政复议", 2)
    assert (by_pos[(0, 1)].text, by_pos[(0, 1)].colspan) == ("行政诉讼", 3)
    assert len(doc.pages) == 2  # the explicit page break survives the round trip


@needs_soffice
def test_rtf_is_read(tmp_path: Path) -> None:
    path = tmp_path / "notice"
    path.write_bytes(RTF)
    lines = [b.text for b in read(path, Limits()).pages[0].lines()]
    assert lines == ["政府信息公开", "second line 2021"]


@needs_soffice
def test_hung_conversion_is_stopped(legacy_doc: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(legacy, "CONVERT_TIMEOUT_SECONDS", 0.05)
    with pytest.raises(Timeout, match="stopped"):
        read(legacy_doc, Limits())


def test_missing_libreoffice_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.doc"
    path.write_bytes(RTF)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ConverterMissing, match="libreoffice-writer-nogui"):
        read(path, Limits())
