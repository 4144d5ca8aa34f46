"""Reading cells and lines with Tesseract, and turning its confidences into ones that mean something.

Numeric cells: crop inside the rules, tight crop to the ink, Otsu, scale the glyphs to ~200-dpi text
size, `eng` psm 7 with a digit whitelist. A doubtful reading (low confidence, not a number) is read
again by other passes (chi_sim on the same crop, eng on the grey crop); the cell's confidence comes from
the engine's confidence *and* the agreement of the passes, so a wrong reading lands under 0.9 (the
record's review threshold) unless independent passes agree on it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ingest.ocr.engine import Reading, engines

NUMBER = re.compile(r"^[+-]?\d{1,3}(,?\d{3})*(\.\d+)?$|^[+-]?\d+(\.\d+)?$")
MONEY = re.compile(r"^[+-]?[\d,]+(\.\d+)?(万元|万|元)?$")
CJK = re.compile(r"[\u3400-\u9fff]")
DIGIT_WHITELIST = "0123456789.,-+"
# Height of digit glyphs fed to Tesseract: ~ 10.5pt digits at 300 dpi; LSTM rescales lines to 36 px.
DIGIT_HEIGHT = 32
LABEL_LANG = "chi_sim+chi_tra"

# Engine confidence (weakest word, 0–100) from which one pass alone is trusted. Measured: Tesseract's
# confident substitutions (25→29) exist, but below ~70 sit most raw misses; 90 keeps the few above it rare.
TRUST_ALONE = 90.0


@dataclass(slots=True)
class CellText:
    text: str
    conf: float  # 0–1, calibrated
    method: str


def _ink(crop: np.ndarray, thresh: float) -> np.ndarray:
    ink = (crop < thresh).astype(np.uint8) * 255
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = np.zeros(n, bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= 4  # JPEG/noise specks
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def tight_box(ink: np.ndarray) -> tuple[int, int, int, int] | None:
    ys, xs = np.nonzero(ink)
    if len(xs) < 6:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _text_lines(ink: np.ndarray) -> int:
    """Number of text lines in the ink (runs of inked rows separated by blank rows)."""
    rows = ink.max(axis=1) > 0
    runs = np.diff(np.concatenate([[0], rows.astype(np.int8), [0]]))
    starts = np.flatnonzero(runs == 1)
    ends = np.flatnonzero(runs == -1)
    tall = [(s, e) for s, e in zip(starts, ends, strict=False) if e - s >= 4]
    return max(1, len(tall))


def _prep(gray: np.ndarray, box: tuple[int, int, int, int], target: int, otsu: bool) -> Image.Image:
    x0, y0, x1, y1 = box
    pad = max(2, (y1 - y0) // 6)
    crop = gray[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
    f = target / max(1, y1 - y0)
    crop = cv2.resize(crop, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC if f > 1 else cv2.INTER_AREA)
    if otsu:
        _, crop = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return Image.fromarray(cv2.copyMakeBorder(crop, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255))


def _clean_number(text: str) -> str:
    return text.replace(" ", "").replace("，", ",").replace("。", ".").replace("O", "0").replace("o", "0")


def read_number_passes(gray: np.ndarray, box: tuple[int, int, int, int]) -> list[Reading]:
    """Up to three passes; stops as soon as one pass is trusted alone or two agree."""
    eng = engines()
    first = eng.read(_prep(gray, box, DIGIT_HEIGHT, True), "eng", 7, DIGIT_WHITELIST)
    first.text = _clean_number(first.text)
    passes = [first]
    if first.conf >= TRUST_ALONE and NUMBER.match(first.text):
        return passes
    second = eng.read(_prep(gray, box, DIGIT_HEIGHT, True), "chi_sim", 7)
    second.text = _clean_number(second.text)
    passes.append(second)
    if second.text == first.text and NUMBER.match(first.text):
        return passes
    third = eng.read(_prep(gray, box, int(DIGIT_HEIGHT * 1.25), False), "eng", 8, DIGIT_WHITELIST)
    third.text = _clean_number(third.text)
    passes.append(third)
    return passes


def vote(passes: list[Reading]) -> tuple[str, float, int]:
    """(text, calibrated confidence, passes that agree)."""
    valid = [p for p in passes if MONEY.match(p.text)]
    if not valid:
        best = max(passes, key=lambda p: p.conf)
        return best.text, min(0.5, best.conf / 200), 0
    counts = Counter(p.text for p in valid)
    text, agree = counts.most_common(1)[0]
    confs = [p.conf for p in valid if p.text == text]
    if agree >= 2:
        # Two differently made passes agreeing: trusted unless both are very unsure.
        conf = 0.9 + 0.09 * min(1.0, max(confs) / 100) if max(confs) >= 50 else 0.8
    elif len(passes) == 1:
        conf = 0.9 + 0.09 * (confs[0] - TRUST_ALONE) / (100 - TRUST_ALONE)
    else:
        # One pass only, the others disagree: never above the review threshold.
        conf = 0.3 + 0.5 * max(confs) / 100
    return text, round(conf, 3), agree


def looks_like_label(ink: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Numbers never wrap and are short; a multi-line or long cell is a label."""
    x0, y0, x1, y1 = box
    return _text_lines(ink[y0:y1, x0:x1]) > 1 or (x1 - x0) > 7 * (y1 - y0)


def read_label(gray: np.ndarray, box: tuple[int, int, int, int], ppi: float) -> CellText:
    """chi_sim first (half the cost of chi_sim+chi_tra); a doubtful reading, which is what traditional
    script gives chi_sim, is read again with both scripts and the more confident one kept."""
    x0, y0, x1, y1 = box
    pad = max(3, int(ppi * 0.03))
    crop = gray[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
    # Characters of 150-dpi scans (~22 px) are too small for Tesseract's CJK models: bring them to ~200.
    f = min(2.0, max(1.0, 200 / ppi))
    if f > 1.01:
        crop = cv2.resize(crop, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)
    img = Image.fromarray(cv2.copyMakeBorder(crop, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255))
    r = engines().read(img, "chi_sim", 6)
    method = "ocr-label"
    if r.mean < 85:
        r2 = engines().read(img, LABEL_LANG, 6)
        if r2.mean > r.mean:
            r, method = r2, "ocr-label+tra"
    text = "".join(r.text.split())
    return CellText(text, round(min(0.97, r.mean / 100), 3), method)


def read_cell(gray: np.ndarray, box: tuple[int, int, int, int], thresh: float, ppi: float) -> tuple[CellText, tuple[int, int, int, int] | None]:
    """Read one cell given its inner box (inside the rules). Returns the text and the ink box."""
    x0, y0, x1, y1 = box
    ink = _ink(gray[y0:y1, x0:x1], thresh)
    tb = tight_box(ink)
    if tb is None:
        # Nothing but paper inside the rules: an empty cell, and we are sure of it.
        return CellText("", 0.95, "ocr-empty"), None
    page_box = (tb[0] + x0, tb[1] + y0, tb[2] + x0, tb[3] + y0)
    if looks_like_label(ink, tb):
        return read_label(gray, page_box, ppi), page_box
    passes = read_number_passes(gray, page_box)
    text, conf, _agree = vote(passes)
    if not MONEY.match(text) or CJK.search(passes[-1].text):
        label = read_label(gray, page_box, ppi)
        if not MONEY.match(label.text.replace(",", "")):
            return label, page_box
        text, conf = label.text, min(conf, label.conf)
    method = "ocr-digits" if len(passes) == 1 else "ocr-digits+vote"
    return CellText(text, conf, method), page_box
