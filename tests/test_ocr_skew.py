"""Deskew (`clean.skew_angle`). The angle is checked against the skew the scan generator applied: the one
oracle here that no reader tuning can bias. Seed 752105's page 3 (Chromium, rule-less, 28 pt rows, grey
300 dpi) holds a table of sparse value rows; the row profile's variance peaked at +2.3 degrees where the page
needed -1.2, and t3 was read with broken rows (177 of 206 fields)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from ingest.ocr.clean import clean_page, skew_angle
from synth.corpus import build
from synth.scanned import knob_cases, scan_knobs_page_alone
from tests.conftest import pin_knobs


def _lines_page(angle: float) -> np.ndarray:
    """A white page (8.3 x 11.7 in at 100 ppi) of 30 dark text-like bars, turned by `angle` degrees."""
    page = np.full((1170, 830), 255, np.uint8)
    for row in range(30):
        y = 80 + row * 34
        for x in range(80, 740, 22):
            cv2.rectangle(page, (x, y), (x + 16, y + 14), 0, -1)
    m = cv2.getRotationMatrix2D((415, 585), angle, 1.0)
    return cv2.warpAffine(page, m, (830, 1170), flags=cv2.INTER_LINEAR, borderValue=255)


@pytest.mark.parametrize("angle", [-2.0, -0.6, 0.0, 1.3])
def test_lines_turned_by_an_angle_are_turned_back(angle: float) -> None:
    assert skew_angle(_lines_page(angle)) == pytest.approx(-angle, abs=0.1)


def test_the_angle_stays_inside_the_limit() -> None:
    # One short line: every angle scores almost alike, and the search must not walk past its limit.
    page = np.full((1170, 830), 255, np.uint8)
    cv2.rectangle(page, (600, 100), (700, 114), 0, -1)
    assert abs(skew_angle(page, limit=3.0)) <= 3.0


@pytest.mark.slow
def test_a_sparse_rule_less_table_is_deskewed_by_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pin_knobs(monkeypatch, "rules=none")
    case = knob_cases(8, 752101)[4]  # synth_752105 of a `bench layouts --scans 8 --seed 752101` run
    item = build([case], tmp_path, mixed_pages=False)[0]
    _, scanned = scan_knobs_page_alone(item, 3)
    page = clean_page(scanned.image)
    assert page.rotation == 0
    assert page.skew == pytest.approx(-scanned.skew, abs=0.3)
