"""Limit-hit and no-content reasons: a blank document is `no_content` (however many pages), a real one
over the page limit is `too_large` and the reason names the setting that set the limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import extract
from ingest.readers import Limits
from tests.service.corpus import pdf_bytes


@pytest.mark.parametrize("pages", [3, 300])
def test_blank_pages_fail_as_no_content_not_too_large(tmp_path: Path, pages: int) -> None:
    path = tmp_path / "blank.pdf"
    path.write_bytes(pdf_bytes(pages))
    error = extract(path).error
    assert error is not None and error["code"] == "no_content", error
    assert "blank" in error["message"]


def test_page_limit_is_a_setting_named_in_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_bytes(3, text="Annual report page"))
    monkeypatch.setenv("INGEST_MAX_PAGES", "2")
    assert Limits().max_pages == 2
    error = extract(path).error
    assert error == {
        "code": "too_large",
        "message": "long.pdf has 3 pages, over the page limit INGEST_MAX_PAGES=2",
    }
    monkeypatch.setenv("INGEST_MAX_PAGES", "3")
    assert (extract(path).error or {}).get("code") != "too_large"


def test_file_size_limit_names_its_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_text("政府信息公开工作年度报告\n" * 200_000, encoding="utf-8")
    monkeypatch.setenv("INGEST_MAX_FILE_MB", "1")
    error = extract(path).error
    assert error is not None and error["code"] == "too_large"
    assert "INGEST_MAX_FILE_MB=1" in error["message"]
