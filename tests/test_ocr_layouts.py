"""The OCR route on scanned reports printed the way real offices print their tables (tests/scan_layouts.py):
horizontal rules only with 三、本年度办理结果 as a vertical label and t3 broken over a page with no
header repeated; a page stored at 1 bit; no rules at all (and the vertical label). Each is rendered by LibreOffice, scanned with
faults, read end to end and scored against its truth: no wrong value may be `ok`.
"""

from __future__ import annotations

import json
import shutil

import pytest

from ingest.pipeline import extract
from synth.scoring import score
from tests.scan_layouts import make

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice renders the reports"),
]

SEED = 5101


def _scored(tmp_path_factory: pytest.TempPathFactory, layout: str):  # type: ignore[no-untyped-def]
    path = make(tmp_path_factory.mktemp(layout), SEED, layout)
    expected = json.loads(path.with_name(f"{path.stem}.expected.json").read_text(encoding="utf-8"))
    record = extract(path).to_json()
    return score(record, expected), record


def _review(record: dict) -> int:  # type: ignore[type-arg]
    return sum(1 for f in record["fields"].values() if f.get("status") == "review")


def test_horizontal_rules_vertical_label_and_a_headless_continuation(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # Before the rule-row reader: 67 % of fields right, nearly all in review (t3 read as four
    # overlapping tables, the continuation page's columns off by one).
    result, record = _scored(tmp_path_factory, "hrules_vlabel_split")
    assert not result.silent, result.silent
    assert result.correct >= 0.98 * result.keys, result.wrong
    assert _review(record) <= 0.06 * result.keys


def test_a_one_bit_scan_reads_like_a_grey_one(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Before softening: a hard-edged "1" read as 工/] sent a whole t3 column to review (32 fields).
    result, record = _scored(tmp_path_factory, "binary")
    assert not result.silent, result.silent
    assert result.correct >= 0.99 * result.keys, result.wrong
    assert _review(record) <= 0.03 * result.keys


def test_tables_without_any_rule(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Before the bare-table reader no table was found at all: 3.8 % of fields right, all in review.
    result, record = _scored(tmp_path_factory, "norules")
    assert not result.silent, result.silent
    assert result.correct >= 0.98 * result.keys, result.wrong
    assert _review(record) <= 0.03 * result.keys
