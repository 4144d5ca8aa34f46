"""Reading cells and lines with Tesseract, and turning its confidences into ones that mean something.

Numeric cells: crop inside the rules, tight crop to the ink, Otsu, scale the glyphs to ~200-dpi text
size, `eng` psm 7 with a digit whitelist. A doubtful reading (low confidence, not a number) is read
again by other passes (chi_sim on the same crop, eng on the grey crop); the cell's confidence comes from
the engine's confidence *and* the agreement of the passes, so a wrong reading lands under 0.9 (the
record's review threshold) unless independent passes agree on it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import NamedTuple

import cv2
import numpy as np

from ingest.document import UNREADABLE
from ingest.ocr.engine import Reading, engines
from ingest.ocr.geometry import components, ink_runs

NUMBER = re.compile(r"^[+-]?\d{1,3}(,?\d{3})*(\.\d+)?$|^[+-]?\d+(\.\d+)?$")
MONEY = re.compile(r"^[+-]?[\d,]+(\.\d+)?(万元|万|元)?$")
CJK = re.compile(r"[\u3400-\u9fff]")
UNIT = re.compile(r"(万元|萬元|万|萬|元)$")
DIGIT_WHITELIST = "0123456789.,-+"
# Prose lines mix both scripts within a report: one pass with both models.
PROSE_LANG = "chi_sim+chi_tra"
# Height of a label's text line fed to Tesseract's Chinese models. Measured on a bold 複議 header of a
# 200-dpi scan (25 px tall): nothing read as it stands or at 48 px; chi_tra 86–92 % at 32–40 px.
LABEL_LINE_HEIGHT = 36
# Heights of the digit glyphs fed to Tesseract. Measured on 1579 numeric cells of scanned reports
# (150–300 dpi): `eng` psm 7 read 99.4 % right at 24 px and 96.1 % at 32 px; `chi_sim` 99.0 % at 24 px.
# Their mistakes differ (a leading "1" dropped at one height, kept at the other), so they vote.
DIGIT_HEIGHTS = (24, 30)
# Two first passes agreeing at this Tesseract confidence (weakest word) settle the cell; otherwise
# two more passes are read and three of the four must agree. Measured on the same cells: 1572 right
# and settled, 7 left for review, none wrong and settled (each one pass alone: 1–4 wrong at conf ≥ 90).
AGREE_CONF = 70.0
# A number-shaped cell that reads as words below this confidence is unreadable, not a label.
UNSURE_LABEL = 0.8
# Scales tried when neither the line-height scale nor 0.85 of it gave any text: seed 630003's clear
# 四、结转下年度继续办理 (29 px) read at 92 at ×0.8, ×1.0 and ×1.24 and as nothing at ×1.05, ×1.1 and ×1.5.
LABEL_RETRY_SCALES = (1.0, 0.75)
# chi_sim reads a hard-edged serif "1" as 工, 二 or ] at both glyph heights, however clear (the OCR'd
# page of a text PDF, 宋体 200 dpi: eng 85–96 for 1 and 11, chi_sim 工 0–56, 11 as ]1 or 1]1). Blurred
# by 1.2 px after binarization, the same model reads 1 at 82–93 and 11 at 69–92 (the softening
# clean.soften gives 1-bit pages): that reading is chi_sim's vote when its first one was no number.
SOFT_SIGMA = 1.2
# Glyph width/height from which a one-line cell is read as a label, not a number (see looks_like_label).
SQUARE_GLYPH = 0.8
# Ink no larger than this (in) both ways, and not a flat stroke (a hyphen, which reads as a dash: 0), is
# punctuation or a speck, never a number: a table digit (9 pt and up) is ≥ 0.08 in tall.
PUNCTUATION = 0.035
# A table character is at most this tall (in): 14 pt CJK is 0.19 in.
ONE_GLYPH = 0.25
# A digit's advance in width/height of its glyph (tabular digits: 0.5 em wide on 0.7 em of height, plus
# the gap): measured on 789 digit cells of four scans (grid, 150–300 dpi), one digit's ink 0.35–0.88 of
# its height, two digits' 1.04–1.42 (2.06 with a speck beside them).
DIGIT_ADVANCE = 0.75
# Confidence of a number read with fewer digits than the glyphs it was read from: under review.
DROPPED_GLYPH_CONF = 0.6
# ... and of a figure with its unit read by the digit passes alone, the label reading garbled: under review.
UNSETTLED_UNIT_CONF = 0.6
# Passes (glyph height, model, softening) read when the first four do not settle. Measured on 1565
# digit cells of eight 宋体 1-bit 150-dpi scans (glyphs 13–24 px tall): one pass alone reads 82–96 %
# right, eng on the softened glyphs best (24 px 94.5 %, 30 px 95.9 %); most misses are no reading at all
# (a 0 read as nothing or 人), not another number. With these four more passes four of eight settle
# 1536 cells right where four passes settled 1451.
SECOND_LOOK = (
    (24, "eng", SOFT_SIGMA),
    (30, "eng", SOFT_SIGMA),
    (20, "eng", 0.0),
    (20, "chi_sim", SOFT_SIGMA),
)
# A number read by a pass at this Tesseract confidence, other than the vote's, keeps the vote from
# settling: a 宋体 5 on a 1-bit 150-dpi scan (11 × 18 px) read 9 by three passes of four (56–78) and 5 by
# eng at 30 px (95) settled as 9, `ok` but for the rules it broke.
CONFIDENT_DISSENT = 90.0
# A cell read as this many CJK characters, its ink at least as many line heights wide, is a label.
LABEL_CHARACTERS = 3
# A table figure is at least this tall (in): 9 pt digits.
FIGURE_HEIGHT = 0.08
# Blank between two glyphs of a line beyond this share of its height is letter spacing (see _set_width):
# CJK characters and proportional digits stand 0.1–0.25 of the line height apart.
LETTER_GAP = 0.3
# ... and closed up to this share to be read: wider, Tesseract read the closed-up ４ ３ １ ． ５ ４ 万元 as
# 4351.54万元; narrower (0.08), it lost the point (43154万元).
CLOSED_GAP = 0.15
# The most a reading closed up is trusted: under REVIEW_THRESHOLD, so it is always reviewed.
CLOSED_UP_CONF = 0.85
# A sign's stroke is at most this share of the line's height (a minus is one stroke thick).
SIGN_HEIGHT = 0.3
# ... and one grown into the first digit leads it by at least this share of the height (see _sign_joined).
JOINED_SIGN = 0.3
# A vote this confident is settled (see vote: two first passes agreeing, or three of four).
SETTLED = 0.9
# A 4's crossbar lies in this band of its glyph's height, a 1's flag above it and its foot below. Measured
# on 1 and 4 of WenQuanYi Zen Hei (Mono), Noto Sans and Serif CJK, regular and bold, glyphs 13–35 px tall,
# thresholded at 100–160, sharp and blurred by 0.7 px: the inked share of the band's fullest row is
# ≥ 0.9 of the glyph's width in every 4 (its crossbar), ≤ STEM_ONLY in 98 % of the 1s (the stem; a 1-bit
# 150-dpi 楷体 1: 0.36–0.45), more only in blurred serif 1s (their foot's flare). Glyphs shorter than
# MIN_SHAPE_HEIGHT px lose a 4's thin crossbar to a blur and are not judged.
FOUR_BAND = (0.4, 0.75)
STEM_ONLY = 0.6
MIN_SHAPE_HEIGHT = 13
# Tesseract's single text line layout: the label reader's fallback when the block layout reads nothing.
SINGLE_LINE_PSM = 7
# Tesseract's raw line mode (no layout analysis): the label reader's last try when both layouts read nothing.
RAW_LINE_PSM = 13


@dataclass(slots=True)
class CellText:
    text: str
    conf: float  # 0–1, calibrated
    method: str


def _ink(crop: np.ndarray, thresh: float) -> np.ndarray:
    ink = (crop < thresh).astype(np.uint8) * 255
    n, labels, stats, _ = components(ink)
    keep = np.zeros(n, bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= 4  # JPEG/noise specks
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def tight_box(ink: np.ndarray) -> tuple[int, int, int, int] | None:
    ys, xs = np.nonzero(ink)
    if len(xs) < 6:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _text_lines(ink: np.ndarray) -> int:
    """Number of text lines in the ink (runs of at least 4 inked rows separated by blank rows)."""
    return max(1, len(ink_runs(ink.max(axis=1), min_run=4)))


def _prep(gray: np.ndarray, box: tuple[int, int, int, int], target: int, soft: float = 0.0) -> np.ndarray:
    """The cell's ink, padded, scaled to `target` px glyph height and Otsu-binarized (then blurred by
    `soft` px when given)."""
    x0, y0, x1, y1 = box
    pad = max(2, (y1 - y0) // 6)
    crop = gray[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
    f = target / max(1, y1 - y0)
    crop = cv2.resize(crop, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC if f > 1 else cv2.INTER_AREA)
    _, crop = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    if soft:
        crop = cv2.GaussianBlur(crop, (0, 0), soft)
    return cv2.copyMakeBorder(crop, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)


def _clean_number(text: str) -> str:
    return text.replace(" ", "").replace("，", ",").replace("。", ".").replace("O", "0").replace("o", "0")


def _number_pass(
    gray: np.ndarray, box: tuple[int, int, int, int], height: int, lang: str, soft: float = 0.0
) -> Reading:
    whitelist = DIGIT_WHITELIST if lang == "eng" else ""
    reading = engines().read(_prep(gray, box, height, soft), lang, 7, whitelist)
    reading.text = _clean_number(reading.text)
    return reading


def read_number_passes(gray: np.ndarray, box: tuple[int, int, int, int]) -> list[Reading]:
    """Two passes (eng with a digit whitelist, chi_sim) at one glyph height; if they do not agree with
    confidence, the same two at the other height. ~2 ms a pass: most cells take two."""
    small, large = DIGIT_HEIGHTS
    passes = [_number_pass(gray, box, small, "eng"), _number_pass(gray, box, small, "chi_sim")]
    a, b = passes
    if a.text == b.text and NUMBER.match(a.text) and min(a.conf, b.conf) >= AGREE_CONF:
        return passes
    return [*passes, _number_pass(gray, box, large, "eng"), _number_pass(gray, box, large, "chi_sim")]


def _second_look(gray: np.ndarray, box: tuple[int, int, int, int]) -> list[Reading]:
    """The passes that read small glyphs best when the first four do not settle (SECOND_LOOK)."""
    return [_number_pass(gray, box, height, lang, soft) for height, lang, soft in SECOND_LOOK]


def vote(passes: list[Reading]) -> tuple[str, float, int]:
    """(text, calibrated confidence, passes that agree). Settled (≥ 0.9) only when the two first passes
    agree with confidence, or three of four (four of six or more) agree and no other number is read
    with confidence (CONFIDENT_DISSENT); otherwise under the review threshold."""
    valid = [p for p in passes if MONEY.match(p.text)]
    if not valid:
        best = max(passes, key=lambda p: p.conf)
        return best.text, min(0.5, best.conf / 200), 0
    support: dict[str, list[float]] = {}
    for p in valid:
        support.setdefault(p.text, []).append(p.conf)
    text = max(support, key=lambda t: (len(support[t]), sum(support[t])))
    confs = support[text]
    agree = len(confs)
    dissent = any(p.conf >= CONFIDENT_DISSENT for p in valid if p.text != text)
    # Four of eight weak readings are no evidence: a serif 11 on a 1-bit 150-dpi scan was read "1" by four
    # passes at confidence 0–27 (and 11 by three others).
    sure_of = len(passes) <= 4 or max(confs) >= AGREE_CONF
    settled = agree == len(passes) == 2 or (agree >= _majority(len(passes)) and not dissent and sure_of)
    conf = 0.9 + 0.09 * min(1.0, min(confs) / 100) if settled else 0.3 + 0.5 * max(confs) / 100
    return text, round(conf, 3), agree


def _majority(passes: int) -> int:
    """Passes that must agree to settle a vote of more than two: three of four (or of five, the money
    vote's four passes and its label reading), four of eight or nine."""
    return 3 if passes <= 5 else 4


def looks_like_label(ink: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Numbers never wrap and are short; a multi-line or long cell is a label. So is a line of square
    glyphs: a digit is about half as wide as it is tall, a Chinese character as wide as tall (measured
    on 200-dpi scans: digits 0.45–0.68, characters 0.85–1.05 of the line height)."""
    if not _one_short_line(ink, box):
        return True
    x0, y0, x1, y1 = box
    return _glyph_aspect(ink[y0:y1, x0:x1]) >= SQUARE_GLYPH


def _one_glyph(box: tuple[int, int, int, int], ppi: float) -> bool:
    """Ink the size and shape of one character: a glyph with a blank row across it (会, 三) counts as
    two text lines, yet it is one glyph that the single-line layout reads. Not a stroke (a rule's stub
    at a cell's edge, 3 × 23 px, stays no number)."""
    x0, y0, x1, y1 = box
    return y1 - y0 <= ppi * ONE_GLYPH and 0.6 * (y1 - y0) <= x1 - x0 <= 1.3 * (y1 - y0)


def _one_short_line(ink: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Shaped like a number but for its glyphs' width: one line, not long."""
    x0, y0, x1, y1 = box
    return _text_lines(ink[y0:y1, x0:x1]) == 1 and (x1 - x0) <= 7 * (y1 - y0)


def _letter_spaced(ink: np.ndarray, box: tuple[int, int, int, int], ppi: float) -> bool:
    """One line of a figure's height, long end to end (past 7 line heights: `_one_short_line` takes it
    for a label) and short in ink (_set_width): a figure printed letter-spaced. In full-width digits
    (４３１．５４万元, each digit half an em of ink on an em's advance, the spacing on top) it stood 8.3
    line heights wide, its ink 4.8, and was read as a label, "4万区" (synth_996042). A label's
    characters are as wide as the line is tall, so a long one is long however it is spaced. A sliver
    of a label's glyphs cut by a row boundary (the foot of 予公开, 0.04 in tall) is no line."""
    x0, y0, x1, y1 = box
    sub = ink[y0:y1, x0:x1]
    h = y1 - y0
    return h >= ppi * FIGURE_HEIGHT and x1 - x0 > 7 * h and _text_lines(sub) == 1 and _set_width(sub) <= 7 * h


def spaced_figure_width(ink: np.ndarray) -> int | None:
    """The width of this ink closed up (_set_width) when it is one line of glyphs narrower than a CJK
    character, as short as a number once closed up: a figure printed letter-spaced (6 1 4 . 3 9), which
    `looks_like_label` takes for a label by its length. None for anything else."""
    ys, xs = np.nonzero(ink)
    if len(xs) < 6:
        return None
    sub = ink[int(ys.min()) : int(ys.max()) + 1, int(xs.min()) : int(xs.max()) + 1]
    h = sub.shape[0]
    width = _set_width(sub)
    if _text_lines(sub) != 1 or width > 7 * h or not 0 < _glyph_aspect(sub) < SQUARE_GLYPH:
        return None
    return width


def _closed_size(ink: np.ndarray, box: tuple[int, int, int, int]) -> tuple[int, int]:
    """(width, height) of the page `_closed_up` draws."""
    x0, y0, x1, y1 = box
    pad = y1 - y0
    return _set_width(ink[y0:y1, x0:x1], CLOSED_GAP) + 2 * pad, y1 - y0 + 2 * pad


def _closed_up(
    gray: np.ndarray, cell: tuple[int, int, int, int], ink: np.ndarray, box: tuple[int, int, int, int]
) -> np.ndarray:
    """The line's glyphs (`box` in the cell's `ink`; the cell at `cell` on `gray`) on a page of their own,
    each blank between them narrowed to CLOSED_GAP of the line height, with a line height of paper
    around them."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    sub = ink[y0:y1, x0:x1]
    runs = ink_runs(sub.max(axis=0), min_gap=1)
    gap = max(1, int(CLOSED_GAP * h))
    line = gray[cell[1] + y0 : cell[1] + y1, cell[0] + x0 : cell[0] + x1]
    parts = [line[:, runs[0][0] : runs[0][1]]]
    for (_a, b), (c, d) in itertools.pairwise(runs):
        parts += [line[:, b : b + min(gap, c - b)], line[:, c:d]]
    closed = np.hstack(parts)
    paper = int(np.percentile(line, 90))
    return cv2.copyMakeBorder(closed, h, h, h, h, cv2.BORDER_CONSTANT, value=paper)


def _set_width(sub: np.ndarray, share: float = LETTER_GAP) -> int:
    """The line's width with each blank between glyphs wider than `share` of its height closed up to
    that much: as wide as it would print without letter spacing."""
    h = sub.shape[0]
    runs = ink_runs(sub.max(axis=0), min_gap=1)
    if not runs:
        return 0
    gap = max(1, int(share * h))
    return sum(b - a for a, b in runs) + sum(min(gap, c - b) for (_a, b), (c, _d) in itertools.pairwise(runs))


def _narrow_glyphs(ink: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """One short line of glyphs narrower than a CJK character (digits, not a word), and nothing else: a
    CJK character of several strokes, none spanning the line's height, counts in no glyph aspect — (六)
    between its two tall parentheses looked narrow and its soft reading was `7` — so the glyphs that do
    span it must cover the line's ink."""
    if not _one_short_line(ink, box):
        return False
    x0, y0, x1, y1 = box
    glyphs = _tall_glyphs(ink[y0:y1, x0:x1])
    return 0 < glyphs.median < SQUARE_GLYPH and glyphs.cover >= 0.8


def _only_narrow_glyphs(ink: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Every glyph spanning the line narrower than a CJK character, and they cover its ink: digits
    alone (a 7), not a label with narrow brackets beside its characters ((六)其他处理, whose median
    glyph is narrow)."""
    if not _one_short_line(ink, box):
        return False
    x0, y0, x1, y1 = box
    glyphs = _tall_glyphs(ink[y0:y1, x0:x1])
    return 0 < glyphs.widest < SQUARE_GLYPH and glyphs.cover >= 0.8


def _glyph_dropped(ink: np.ndarray, box: tuple[int, int, int, int], text: str) -> bool:
    """More digits printed than read: the ink is wider than the digits read could be, and more separate
    full-height glyphs stand in it than there are digits. Both, because a speck widens the ink without a
    glyph, and a thin 0 broken in two arcs is two glyphs without the width. A leading "1" dropped by
    three passes of four (黑体 9 pt, 150 dpi, 1-bit: 15 settled as 5, `ok`) is the case; t2 has no sum
    to catch it."""
    x0, y0, x1, y1 = box
    digits = sum(c.isdigit() for c in text)
    marks = len(text) - digits  # . , - + are narrow
    wide = (x1 - x0) > (DIGIT_ADVANCE * digits + 0.35 * marks + 0.3) * (y1 - y0)
    return wide and _tall_glyphs(ink[y0:y1, x0:x1]).glyph_count > digits


def _sign_dropped(ink: np.ndarray, box: tuple[int, int, int, int], text: str) -> bool:
    """A mark before the first digit that the reading has no sign for: a short stroke left of every
    glyph spanning the line, in its middle. A 宋体 minus on a 1-bit 150-dpi scan is 3 × 2 px; every pass
    read -5 as 5 (eng at 94), `ok` in t2, where no rule checks it. A speck there costs a review."""
    if text.startswith(("-", "+")):
        return False
    x0, y0, x1, y1 = box
    sub = ink[y0:y1, x0:x1]
    h = sub.shape[0]
    if _sign_joined(sub):
        return True
    n, _labels, stats, _ = components(sub)
    tall = [i for i in range(1, n) if stats[i, cv2.CC_STAT_HEIGHT] >= 0.7 * h]
    if not tall:
        return False
    first = min(stats[i, cv2.CC_STAT_LEFT] for i in tall)
    return any(
        stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH] <= first
        and stats[i, cv2.CC_STAT_HEIGHT] <= SIGN_HEIGHT * h
        and stats[i, cv2.CC_STAT_WIDTH] >= stats[i, cv2.CC_STAT_HEIGHT]
        and 0.3 * h <= stats[i, cv2.CC_STAT_TOP] + stats[i, cv2.CC_STAT_HEIGHT] / 2 <= 0.8 * h
        for i in range(1, n)
        if i not in tall
    )


def _sign_joined(sub: np.ndarray) -> bool:
    """A minus grown into the first digit: the ink's leftmost columns, over at least JOINED_SIGN of the
    line's height, hold only a flat stroke (at most SIGN_HEIGHT tall) in the line's middle. 黑体 12 pt
    -4 on a 150-dpi 1-bit scan: the minus touched the 4's crossbar, one glyph, read 4 by every pass, `ok`
    in t2's 本年增/减, where no rule checks it (holdout 989898's synth_989972). A digit's own flat
    strokes lead it by less: a 4's crossbar passes its stem by a tenth of the height at most."""
    h = sub.shape[0]
    run = 0
    for column in sub.T:
        rows = np.flatnonzero(column)
        if not len(rows):
            break
        middle = (rows[0] + rows[-1]) / 2
        if rows[-1] - rows[0] + 1 > SIGN_HEIGHT * h or not 0.3 * h <= middle <= 0.8 * h:
            break
        run += 1
    return run >= JOINED_SIGN * h


def _minus_for_one(passes: list[Reading], ink: np.ndarray, box: tuple[int, int, int, int]) -> list[Reading]:
    """A full-width minus (－２ in 黑体 13 pt) is a long stroke in the middle of the line, as 一 is:
    chi_sim read it 一 (一2 at 64, 一之 at 77), every chi_sim pass read a word, and the cell went to the
    label reading, 一之, its row a value short (synth_615502's t2.other_services.change). Where a sign's
    stroke stands before every glyph spanning the line (_sign_dropped), a leading 一 is the minus."""
    if not any(p.text.startswith("一") for p in passes) or not _sign_dropped(ink, box, ""):
        return passes
    return [Reading("-" + p.text[1:], p.conf, p.mean) if p.text.startswith("一") else p for p in passes]


def _reading_with_every_glyph(
    passes: list[Reading], ink: np.ndarray, box: tuple[int, int, int, int], voted: str
) -> str:
    """The pass that read as many digits as there are glyphs, if one did: the value a person is shown."""
    x0, y0, x1, y1 = box
    glyphs = _tall_glyphs(ink[y0:y1, x0:x1]).glyph_count
    fuller = [p for p in passes if MONEY.match(p.text) and sum(c.isdigit() for c in p.text) == glyphs]
    return max(fuller, key=lambda p: p.conf).text if fuller else voted


def _glyph_aspect(sub: np.ndarray) -> float:
    """Median width/height of the glyphs that span the line's height (0 when there are none)."""
    return _tall_glyphs(sub).median


class TallGlyphs(NamedTuple):
    """The glyphs that span a line's height: their median and largest width/height (0 when there are
    none), the share of the inked columns they cover, and how many there are."""

    median: float
    widest: float
    cover: float
    glyph_count: int = 0


def _tall_glyphs(sub: np.ndarray) -> TallGlyphs:
    h = sub.shape[0]
    n, _labels, stats, _ = components(sub)
    tall = [i for i in range(1, n) if stats[i, cv2.CC_STAT_HEIGHT] >= 0.7 * h]
    if not tall:
        return TallGlyphs(0.0, 0.0, 0.0, 0)
    inked = sub.max(axis=0) > 0
    covered = np.zeros_like(inked)
    for i in tall:
        left = stats[i, cv2.CC_STAT_LEFT]
        covered[left : left + stats[i, cv2.CC_STAT_WIDTH]] = True
    aspects = [stats[i, cv2.CC_STAT_WIDTH] / h for i in tall]
    cover = float((covered & inked).sum() / max(1, inked.sum()))
    return TallGlyphs(float(np.median(aspects)), float(max(aspects)), cover, len(tall))


def read_label(
    gray: np.ndarray, box: tuple[int, int, int, int], ppi: float, line_retry: bool = False
) -> CellText:
    """chi_sim, then chi_tra when doubtful (traditional script), the more confident kept; lines scaled to
    LABEL_LINE_HEIGHT. Tesseract now and then returns nothing for a clear line at one scale and reads it
    at the next (measured: a bold 複議 header empty at ×1.44, 92 % at ×1.3), so a doubtful reading is
    tried once more slightly smaller. With `line_retry` (a cell of one short line of square glyphs), a
    crop read as no word or doubtfully is read again as a single text line."""
    x0, y0, x1, y1 = box
    pad = max(3, int(ppi * 0.03))
    crop = gray[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
    _, ink = cv2.threshold(gray[y0:y1, x0:x1], 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    lines = _text_lines(ink)
    f = min(2.5, max(0.5, LABEL_LINE_HEIGHT * lines / max(1, y1 - y0)))
    best, method = Reading("", 0.0), "ocr-label"
    for scale, lang in itertools.product((f, f * 0.85, *LABEL_RETRY_SCALES), ("chi_sim", "chi_tra")):
        if scale in LABEL_RETRY_SCALES and best.text.strip():
            break
        r = engines().read(_label_image(crop, scale), lang, 6)
        if r.mean > best.mean:
            best, method = r, _label_method(lang)
        if best.mean >= 85:
            break
    if line_retry and (not CJK.search(best.text) or best.mean < 85):
        # A vertical header's character alone in its cell (服 of 法律服务机构 on a 1-bit 200-dpi scan,
        # 会 of 社会公益组织 on a grey one): the block layout (psm 6) reads nothing or garbage (AsDA at
        # 21) at every scale, the single-line layout reads it at 92–96.
        best, method = _better_in_either_script(_label_image(crop, f), SINGLE_LINE_PSM, best, method)
    if not best.text.strip() and lines == 1:
        # A clear line that both layouts read as nothing at every scale: seed 727009's 政府集中采购
        # (楷体, 300 dpi, grey), empty by psm 6 and 7 however scaled or padded, read at 93 as a raw
        # line (no layout analysis at all). Its row lost its label, and with it procurement.count.
        best, method = _better_in_either_script(_label_image(crop, f), RAW_LINE_PSM, best, method)
    text = "".join(best.text.split())
    return CellText(text, round(min(0.97, best.mean / 100), 3), method)


def _label_method(lang: str) -> str:
    return "ocr-label" if lang == "chi_sim" else "ocr-label+tra"


def _better_in_either_script(image: np.ndarray, psm: int, best: Reading, method: str) -> tuple[Reading, str]:
    """`best` (read by `method`), or the more confident reading of `image` in one layout, simplified or
    traditional."""
    for lang in ("chi_sim", "chi_tra"):
        r = engines().read(image, lang, psm)
        if r.mean > best.mean:
            best, method = r, _label_method(lang)
    return best, method


def _label_image(crop: np.ndarray, scale: float) -> np.ndarray:
    if abs(scale - 1) > 0.05:
        crop = cv2.resize(
            crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
        )
    return cv2.copyMakeBorder(crop, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255)


def read_cell(
    gray: np.ndarray, box: tuple[int, int, int, int], thresh: float, ppi: float
) -> tuple[CellText, tuple[int, int, int, int] | None]:
    """Read one cell given its inner box (inside the rules). Returns the text and the ink box."""
    x0, y0, x1, y1 = box
    ink = _ink(gray[y0:y1, x0:x1], thresh)
    tb = tight_box(ink)
    if tb is None:
        # Nothing but paper inside the rules: an empty cell, and we are sure of it.
        return CellText("", 0.95, "ocr-empty"), None
    w, h = tb[2] - tb[0], tb[3] - tb[1]
    if max(w, h) < ppi * PUNCTUATION and w < 2 * h:
        # A mark smaller than any digit both ways: the 、 of a vertical 三、本年度办理结果 alone in its
        # cell (4 × 6 px at 200 dpi), read by the digit passes as "4" — a value in the label column that
        # cost its row. No number: an empty cell (a value cell stays null and in review).
        return CellText("", 0.95, "ocr-empty"), None
    page_box = (tb[0] + x0, tb[1] + y0, tb[2] + x0, tb[3] + y0)
    if _letter_spaced(ink, tb, ppi):
        # Read closed up: Tesseract reads a letter-spaced figure's digits apart, and as words (the label
        # reading of ４ ３ １ ． ５ ４ 万元 was "4万区"; closed up, 431.54万元).
        # A reading of a redrawn cell is a guess at the gap the printer left out (CLOSED_GAP, set on one
        # scan's font): never settled, it goes to a reviewer with the cell's image.
        closed, _ink_box = read_cell(
            _closed_up(gray, box, ink, tb), (0, 0, *_closed_size(ink, tb)), thresh, ppi
        )
        return CellText(closed.text, min(closed.conf, CLOSED_UP_CONF), "ocr-closed-up"), page_box
    square: CellText | None = None
    if looks_like_label(ink, tb):
        short = _one_short_line(ink, tb) or _one_glyph(tb, ppi)
        label = read_label(gray, page_box, ppi, line_retry=short)
        if not short or (CJK.search(label.text) and label.conf >= UNSURE_LABEL):
            return label, page_box
        # Square glyphs that read as no word, or as a word unsurely: a round digit (a 仿宋 0 on a
        # softened 1-bit scan is 0.81 as wide as tall; read as a label it came out 0O, or 中 at 0.28, and
        # its row lost a cell). An unsure word is kept unless the digit passes settle on a number.
        square = label if CJK.search(label.text) else None
    passes = _minus_for_one(read_number_passes(gray, page_box), ink, tb)
    chinese = passes[1::2]  # the chi_sim passes: only they can see a unit (万元) or a word
    if _a_word(passes):
        # Every chi_sim pass reads a word, one with confidence, and no eng pass a number: a character of
        # two narrow halves (供 = 亻+ 共, the wrapped end of (四)无法提供: glyph aspect 0.52), which
        # the narrow-glyph test takes for digits and the softened reading turned into "1".
        label = square or read_label(gray, page_box, ppi)
        word = max(chinese, key=lambda p: p.conf)
        if word.conf / 100 > label.conf:  # the digit-height chi_sim pass read it better (会 at 96, not 公)
            label = CellText("".join(word.text.split()), round(min(0.97, word.conf / 100), 3), "ocr-label")
        if CJK.search(label.text):
            return label, page_box
    if _narrow_glyphs(ink, tb) and not all(MONEY.match(p.text) for p in chinese):
        # Narrower than a CJK character, so digits: a chi_sim reading that is no number (工, 二, ]1 for
        # a serif 1 or 11) is replaced by its reading of the softened glyphs at the same height.
        passes = [
            _number_pass(gray, page_box, DIGIT_HEIGHTS[i // 2], "chi_sim", SOFT_SIGMA)
            if i % 2 and not MONEY.match(p.text)
            else p
            for i, p in enumerate(passes)
        ]
        chinese = passes[1::2]
    text, conf, _agree = vote(passes)
    if conf < SETTLED and len(passes) > 2 and any(NUMBER.match(p.text) for p in passes):
        # Kept only if it settles: an unsettled second vote is no better evidence than the first, and
        # it can outvote the first's choice (楷体's flagged 1 on a 300-dpi scan: eng 4 at 93–95 at every
        # height, chi_sim 1 at 91–96; four passes left it 1 for the rules to confirm, eight made it 4).
        more = [*passes, *_second_look(gray, page_box)]
        if (second := vote(more))[1] >= SETTLED:
            passes, (text, conf, _agree) = more, second
    if conf < SETTLED and (shaped := _one_or_four(passes, ink, tb)) is not None:
        text = shaped
        conf = round(0.3 + 0.5 * max(p.conf for p in passes if p.text == shaped) / 100, 3)
    if square is not None and not (NUMBER.match(text) and conf >= SETTLED):
        return square, page_box
    units_seen = [u for p in chinese if (u := split_unit(p.text)[1])]
    # A unit seen by any pass sends the cell to the unit reading: the eng passes cannot see 万元 and
    # would settle its number without it (a value off by 10,000). A word read by every chi_sim pass
    # sends it to the label reading too, unless its glyphs are narrower than any CJK character: then
    # the word is a digit misread (仿宋's 7 as 了 at 90–95 on a 1-bit 150-dpi scan, its row a cell
    # short) and the digits stand, unsettled (two passes of four at most agree on them).
    if (
        MONEY.match(text)
        and not units_seen
        and (_only_narrow_glyphs(ink, tb) or not all(CJK.search(p.text) for p in chinese))
    ):
        method = "ocr-digits" if len(passes) == 2 else "ocr-digits+vote"
        if _glyph_dropped(ink, tb, text):
            text, conf = _reading_with_every_glyph(passes, ink, tb, text), min(conf, DROPPED_GLYPH_CONF)
        if _sign_dropped(ink, tb, text):
            # The reading a person is shown keeps the sign when a pass read it.
            text = "-" + text if any(p.text == "-" + text for p in passes) else text
            conf = min(conf, DROPPED_GLYPH_CONF)
        return CellText(text, conf, method), page_box
    label = read_label(gray, page_box, ppi)
    number, unit = split_unit(label.text.replace(",", ""))
    if not NUMBER.match(number) and (passes_read := _money_of_the_passes(passes)) is not None:
        return passes_read, page_box
    if not NUMBER.match(number):
        if (label.conf < UNSURE_LABEL and not _a_line_of_words(tb, label.text)) or not CJK.search(label.text):
            # Number-shaped ink that reads as nothing sure, or as no word ("0-"): a smudge, seal residue
            # or a mangled number, not a label.
            return CellText(label.text, min(label.conf, 0.3), UNREADABLE), page_box
        return label, page_box
    # Money with its unit: the number part is voted on by all passes and the label reading; the unit
    # is the label reading's (eng passes cannot see it), settled only if the chi_sim passes that saw a
    # unit saw the same one.
    numbers = [Reading(split_unit(p.text)[0], p.conf) for p in passes]
    text, conf, _agree = vote([*numbers, Reading(split_unit(label.text)[0], label.conf * 100)])
    if not unit_agrees(unit, units_seen):
        conf = min(conf, 0.6)
    return CellText(text + unit, min(conf, label.conf), "ocr-digits+unit"), page_box


def _money_of_the_passes(passes: list[Reading]) -> CellText | None:
    """A figure and its unit as the digit passes read them, when the label reading of the cell is no
    number: every chi_sim pass saw the same unit after a number, and the number parts of all passes
    agree as a vote of three of four would. 黑体 10 pt 121.83 万 read 121.83万 by both chi_sim passes (91,
    92) and 121.83 / 121.835 by eng, and 121:83琅 by the label reading, which lost the figure
    (synth_998047). The label reading disagreed, so the figure is never settled: a reviewer sees it."""
    chinese = passes[1::2]
    units = {split_unit(p.text)[1] for p in chinese if MONEY.match(p.text)}
    if len(units) != 1 or "" in units or not all(MONEY.match(p.text) for p in chinese):
        return None
    text, _conf, agree = vote([Reading(split_unit(p.text)[0], p.conf) for p in passes])
    if agree < _majority(len(passes)) or not NUMBER.match(text):
        return None
    return CellText(text + units.pop(), UNSETTLED_UNIT_CONF, "ocr-digits+unit")


def _one_or_four(passes: list[Reading], ink: np.ndarray, box: tuple[int, int, int, int]) -> str | None:
    """1 for a single glyph the passes split on, 1 against 4, when its shape shows no 4: a 4's crossbar
    fills a row of its middle band (FOUR_BAND) nearly across the glyph, where a 1 has only its stem (its
    flag above, its foot below). A 楷体 1 (WenQuanYi Zen Hei Mono) has a long flag reaching down the
    glyph's left: `eng` read it 4 at 93–96 at every height, `chi_sim` 1 at 84–96, the split vote chose 4
    by the sum of its confidences and the second look did not settle (synth_996019, synth_996031: three
    t3 cells 4 for 1, in review). None when the passes read
    anything else, the glyph is too small to tell, or a row of the band is wider than a stem: the vote
    stands. Either way the reading stays unsettled (the table's arithmetic may confirm it)."""
    read = {p.text for p in passes if NUMBER.match(p.text)}
    if read != {"1", "4"}:
        return None
    x0, y0, x1, y1 = box
    sub = ink[y0:y1, x0:x1] > 0
    h, w = sub.shape
    if h < MIN_SHAPE_HEIGHT or _tall_glyphs(sub.astype(np.uint8)).glyph_count != 1:
        return None
    lo, hi = FOUR_BAND
    band = sub[int(lo * h) : int(np.ceil(hi * h))]
    return "1" if int(band.sum(axis=1).max()) <= STEM_ONLY * w else None


def _a_line_of_words(box: tuple[int, int, int, int], text: str) -> bool:
    """Ink as wide as a row label, read as one, however unsurely: on a 1-bit 150-dpi scan the strokes of
    a 宋体 label break into pieces narrower than a character, so its glyphs look like digits
    ((一)予以公开, (七)总计 read at 0.3–0.7); taken for an unreadable number, the row lost its label and
    three rows went to review. No pass read a number in it (that reading would have been kept)."""
    x0, y0, x1, y1 = box
    return len(CJK.findall(text)) >= LABEL_CHARACTERS and x1 - x0 >= LABEL_CHARACTERS * (y1 - y0)


def _a_word(passes: list[Reading]) -> bool:
    """The chi_sim passes all read CJK, one at least at AGREE_CONF, and no eng pass reads a number at it
    (构 = 木 + 勾: chi_sim 构 at 39 and 91, eng 4 at 29 and 25)."""
    chinese, latin = passes[1::2], passes[0::2]
    return (
        all(CJK.search(p.text) for p in chinese)
        and any(p.conf >= AGREE_CONF for p in chinese)
        and not any(NUMBER.match(p.text) and p.conf >= AGREE_CONF for p in latin)
    )


def unit_agrees(unit: str, units_seen: list[str]) -> bool:
    """The label reading's unit and every unit another pass saw mean one magnitude (万, 萬, 万元 are
    one; 元 is another; no unit a third)."""
    return len({"万" if ("万" in u or "萬" in u) else u for u in [unit, *units_seen]}) == 1


def split_unit(text: str) -> tuple[str, str]:
    m = UNIT.search(text)
    return (text[: m.start()], m.group()) if m else (text, "")
