"""Glyph repairs before reading: a slashed zero becomes a plain one.

Monospaced faces (the 楷体 stand-in of many office machines, WenQuanYi Zen Hei Mono, and typewriter-like
report fonts) print 0 with a diagonal slash. Tesseract reads it as 8, 6, 9 or 4, and the digit vote
cannot help: every pass sees the same stroke (measured on a 150-dpi 楷体 scan: 102 of 126 zeros of t3
misread, all t3 rules failing). The slash cuts the zero's counter into two triangles side by side (upper
left, lower right), unlike an 8's two counters stacked one over the other, so the glyph is found by its
counters alone, and the slash is erased by clearing everything inside the ring.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

# A digit is 0.06–0.3 in tall (9 pt at 60 % cap height up to a 14 pt heading figure).
DIGIT_HEIGHT = (0.055, 0.3)
# Width / height of a zero: narrow (a CJK character with two counters side by side, 丽, is square).
ZERO_ASPECT = (0.3, 0.85)
# Measured on 0 and 8 rendered in WenQuanYi Zen Hei (Mono), Noto Sans and Serif CJK (regular, bold) at
# 16–46 px glyph height, thresholded at 90–210 (1-bit scans) and blurred (grey ones): the floor of the
# upper counter and the roof of the lower one rise to the right by 0.65–1.55 px a px in the slashed zero,
# and by -0.6..0.24 in 8 (966 glyphs). The counters of 8 are parted by its waist (up to 0.21 of the
# height); the zero's by the slash only (up to 0.17 on 1-bit scans, where strokes thicken).
MAX_COUNTER_GAP = 0.2
MIN_SLASH_SLOPE = 0.45
# The same glyphs at 13–25 px, thresholded and blurred as above (341 zeros, 1984 eights): the lower
# counter's centre lies right of the upper one's by at most 0.08 of the width in any 8; a zero whose
# counters rise by 0.15 or more and are shifted by 0.12 or more is one (277 of 341), no 8 is.
MIN_SMALL_SLOPE = 0.15
MIN_SHIFT = 0.12
# 9–11 pt at 150 dpi, stored at 1 bit (glyphs 15–20 px tall, 7–10 wide): counters of 2–4 px, often
# 4 px apart or split by a speck into three, the slope no longer measurable. A 楷体 10 pt t3 at 150 dpi
# lost 93 of 208 fields (every 0 read as 8, 6 or 9). Two measures still part a zero from an 8, measured
# on 10894 eights of the four faces and 2655 slashed zeros (9–12 pt, 150 and 200 dpi, grey and 1-bit,
# scanned by synth.scan): the lower counter lies right of the upper one (shift: every eight ≤ 0.06) and
# the outline has no waist (its narrowest row in the middle third over its widest: eights ≤ 0.91, and
# those of them ≥ 0.88 have shift ≤ 0.034). On a page whose face is shown to slash its zeros
# (MIN_ZEROS_ON_PAGE found by the tests above), a glyph with shift ≥ 0.1, or ≥ 0.07 and no waist, is a
# zero too: 241 of the 421 zeros the tests above miss, no eight.
LOOSE_WAIST = 0.88
LOOSE_SHIFT = 0.07
CLEAR_SHIFT = 0.1
# 楷体 13 pt t3 at 150 dpi, 1-bit (seed 705002): zeros 17–18 px tall whose 2–3 px counters sit almost one
# over the other (shift 0.02–0.07), so 6 of 85 on the page kept their slash and read as 8, 9 or 6 (12
# fields wrong, their columns in review). Each counter is still a slit along the slash, leaning right as
# it rises, where an 8's counters stand upright: the lean of the paper inside the outline (grey levels,
# upper and lower halves, summed) was ≥ 0.2 for those zeros (0.21–0.35) and ≤ 0.17 for every one of
# 2432 eights (8–14 pt, 150 and 200 dpi, grey and 1-bit, synth.scan), ≤ 0.09 for the eights without a
# waist. On a slashed page, a glyph without a waist whose lower counter is not left of the upper one
# and whose counters lean that far is a zero.
MIN_LEAN = 0.2
# 楷体 9 pt at 150–200 dpi, 1-bit, skewed (seeds 614422, 618650): zeros 8–12 px wide whose strokes thickened
# until the counters are slits of 1–3 px, one of them often a single pixel. Their shift is then 0 or ±1 px
# and the lean of a 1-px slit is noise, and the waist fails too: a zero is an ellipse, so the ends of its
# middle third are a pixel narrower than its middle, 0.78–0.83 at 9–12 px wide, under LOOSE_WAIST with no
# pinch at all (614422: 3 zeros of t3 read 8, its balance failed and t2 went to review; 618650: 68 of 208
# fields wrong). What thickening leaves is the outline: an 0 is widest in its middle, an 8 narrower there
# than its bowls, however thick its strokes (_bulge, mean widths over bands of rows, so that a skewed
# edge's 1-px steps do not count). Drawn and scanned by synth.scan (1-bit, skew 2°, 150–300 dpi, 9–11 pt):
# 450 of 476 slashed zeros have bulge ≥ 0, and no 8 of 1763 (WenQuanYi Zen Hei Mono and Zen Hei, Noto Sans
# and Serif CJK) more than -0.65. On a page shown to slash its zeros, a glyph with two or three counters
# of those zeros' own size (width and height within SIZE_SLACK of their median) whose middle is as wide as
# its bowls is one of them, unless it stands in a line of CJK: the nearest glyph left or right of it on its
# line is wider or taller than the zeros (a size rule without that test erased the counters of 自 in an
# agency line, 安溪县口然资源局, synth_996022; 明's 日 is a zero's size and has no waist).
MIN_BULGE = 0.0
SIZE_SLACK = 0.06  # of the zeros' height, at least 1 px


def _is_slashed_zero(contour: np.ndarray, holes: list[np.ndarray], ppi: float) -> bool:
    """Two counters one over the other, not parted by a waist, split by a stroke rising to the right."""
    _x, _y, w, h = cv2.boundingRect(contour)
    if not (
        DIGIT_HEIGHT[0] * ppi <= h <= DIGIT_HEIGHT[1] * ppi and ZERO_ASPECT[0] <= w / h <= ZERO_ASPECT[1]
    ):
        return False
    upper, lower = sorted(holes, key=lambda c: cv2.boundingRect(c)[1])
    (_ux, uy, _uw, uh), (_lx, ly, _lw, lh) = cv2.boundingRect(upper), cv2.boundingRect(lower)
    if min(uh, lh) < 0.22 * h or ly - (uy + uh) > MAX_COUNTER_GAP * h:
        return False
    rise = -(_edge_slope(upper, bottom=True) + _edge_slope(lower, bottom=False)) / 2
    # Small glyphs (16 px: 10 pt at 150 dpi) leave counters 3–5 px wide, too few columns for a steep
    # fit; there the slash still shows in where the counters sit: upper left, lower right.
    return rise >= MIN_SLASH_SLOPE or (
        rise >= MIN_SMALL_SLOPE and _counter_shift(upper, lower, w) >= MIN_SHIFT
    )


def _is_small_slashed_zero(
    contour: np.ndarray, holes: list[np.ndarray], ppi: float, gray: np.ndarray | None = None
) -> bool:
    """The looser test, for a page whose face slashes its zeros (see LOOSE_WAIST)."""
    x, y, w, h = cv2.boundingRect(contour)
    if not (
        DIGIT_HEIGHT[0] * ppi <= h <= DIGIT_HEIGHT[1] * ppi and ZERO_ASPECT[0] <= w / h <= ZERO_ASPECT[1]
    ):
        return False
    # A third counter is a speck of paper left inside a stroke at this size: the two largest are the
    # glyph's. No gap test: 2-px counters of a 16-px zero lie up to 5 px apart (a quarter of the height).
    largest = sorted(holes, key=cv2.contourArea)[-2:]
    upper, lower = sorted(largest, key=lambda c: cv2.boundingRect(c)[1])
    shift = _counter_shift(upper, lower, w)
    if shift >= CLEAR_SHIFT:
        return True
    if shift < 0 or _waist(contour, (x, y, w, h)) < LOOSE_WAIST:
        return False
    return shift >= LOOSE_SHIFT or (gray is not None and _paper_lean(gray, contour) >= MIN_LEAN)


def _paper_lean(gray: np.ndarray, contour: np.ndarray) -> float:
    """How far the paper inside the outline leans right as it rises (px right per px up), measured on
    the grey glyph in its upper and lower halves and summed: the slash's two slits lean, an 8's counters
    stand upright (about 0)."""
    x, y, w, h = cv2.boundingRect(contour)
    pad = 1
    if y < pad or x < pad or y + h + pad > gray.shape[0] or x + w + pad > gray.shape[1]:
        return 0.0  # at the page edge
    region = gray[y - pad : y + h + pad, x - pad : x + w + pad].astype(np.float64)
    filled = np.zeros(region.shape, np.uint8)
    cv2.drawContours(filled, [contour], -1, 255, cv2.FILLED, offset=(pad - x, pad - y))
    inside = cv2.erode(filled, np.ones((3, 3), np.uint8)) > 0
    paper = np.where(inside, region, 0.0)
    mid = paper.shape[0] // 2
    lean = 0.0
    for half in (paper[:mid], paper[mid:]):
        m = cv2.moments(half)
        lean += -m["mu11"] / m["mu02"] if m["mu02"] > 0 else 0.0
    return float(lean)


def _bulge(contour: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """The middle fifth's mean width less the wider of the mean widths of the bands above and below it
    (px): a zero's ellipse is widest in its middle (about 0 or more), an 8 pinches there between two bowls
    (negative), however thick its strokes."""
    x, y, w, h = box
    mask = np.zeros((h, w), np.uint8)
    cv2.drawContours(mask, [contour], -1, 255, cv2.FILLED, offset=(-x, -y))
    widths = (mask > 0).sum(axis=1).astype(np.float64)
    top, bottom = int(0.4 * h), math.ceil(0.6 * h)
    upper, lower = widths[int(0.15 * h) : top], widths[bottom : math.ceil(0.85 * h)]
    if not (len(upper) and len(lower) and bottom > top):
        return -float(w)
    return float(widths[top:bottom].mean() - max(upper.mean(), lower.mean()))


def _waist(contour: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """The outline's narrowest row in its middle third over its widest row (8 pinches there, 0 not)."""
    x, y, w, h = box
    mask = np.zeros((h, w), np.uint8)
    cv2.drawContours(mask, [contour], -1, 255, cv2.FILLED, offset=(-x, -y))
    widths = (mask > 0).sum(axis=1)
    middle = widths[h // 3 : h - h // 3]
    return float(middle.min() / max(1, widths.max())) if len(middle) else 0.0


def _counter_shift(upper: np.ndarray, lower: np.ndarray, width: int) -> float:
    """How far right of the upper counter's centre the lower one's lies, in glyph widths."""
    centres = []
    for hole in (upper, lower):
        m = cv2.moments(hole)
        x, _y, w, _h = cv2.boundingRect(hole)
        centres.append(m["m10"] / m["m00"] if m["m00"] else x + w / 2)
    return (centres[1] - centres[0]) / width


def _edge_slope(hole: np.ndarray, bottom: bool) -> float:
    """Slope (px down per px right) of a counter's floor (bottom) or roof, fitted over its columns."""
    x, y, w, h = cv2.boundingRect(hole)
    mask = np.zeros((h, w), np.uint8)
    cv2.drawContours(mask, [hole], -1, 255, cv2.FILLED, offset=(-x, -y))
    cols = np.flatnonzero(mask.max(axis=0))
    if len(cols) < 3:
        return 0.0
    edge = [np.flatnonzero(mask[:, c])[-1 if bottom else 0] for c in cols]
    return float(np.polyfit(cols, edge, 1)[0])


# A face that slashes its zeros slashes every one: a page of tables shows many. A lone candidate on a page
# is more likely an 8 the measures misjudge than the one zero of a slashed face, and an 8 repaired into a
# 0 would be a confident misreading no rule checks in t2: leave such a page as printed.
MIN_ZEROS_ON_PAGE = 3


def unslash_zeros(gray: np.ndarray, ppi: float) -> int:
    """Erase the slash of every slashed zero on the page (in place), when the page shows at least
    MIN_ZEROS_ON_PAGE of them. Returns how many were erased."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    if hierarchy is None:
        return 0
    tree = hierarchy[0]
    found: list[tuple[np.ndarray, list[np.ndarray]]] = []
    loose: list[tuple[np.ndarray, list[np.ndarray]]] = []
    others: list[tuple[np.ndarray, list[np.ndarray]]] = []
    for i, contour in enumerate(contours):
        if tree[i][3] != -1:
            continue  # a counter, not a glyph's outline
        holes = []
        child = tree[i][2]
        while child != -1:
            holes.append(contours[child])
            child = tree[child][0]
        if len(holes) not in (2, 3):
            continue
        if len(holes) == 2 and _is_slashed_zero(contour, holes, ppi):
            found.append((contour, holes))
        elif _is_small_slashed_zero(contour, holes, ppi, gray):
            loose.append((contour, holes))
        else:
            others.append((contour, holes))
    if len(found) < MIN_ZEROS_ON_PAGE:
        return 0
    found += loose + _zeros_of_page_size(ink, [c for c, _ in found], others)
    for contour, holes in found:
        x, y, w, h = cv2.boundingRect(contour)
        _erase_inside(gray, contour, (x, y, w, h), holes)
    return len(found)


def _zeros_of_page_size(
    ink: np.ndarray, zeros: list[np.ndarray], others: list[tuple[np.ndarray, list[np.ndarray]]]
) -> list[tuple[np.ndarray, list[np.ndarray]]]:
    """The glyphs with two or three counters and no waist that have the size of the page's slashed zeros
    (`zeros`) and no CJK-sized neighbour on their line (see MIN_BULGE)."""
    if not others:
        return []
    boxes = np.array([cv2.boundingRect(c) for c in zeros])
    zw, zh = float(np.median(boxes[:, 2])), float(np.median(boxes[:, 3]))
    slack = max(1.0, SIZE_SLACK * zh)
    picked: list[tuple[tuple[int, int, int, int], np.ndarray, list[np.ndarray]]] = []
    for contour, holes in others:
        x, y, w, h = cv2.boundingRect(contour)
        if abs(w - zw) <= slack and abs(h - zh) <= slack and _bulge(contour, (x, y, w, h)) >= MIN_BULGE:
            picked.append(((x, y, w, h), contour, holes))
    if not picked:
        return []
    _n, _labels, stats, _centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    glyphs = stats[1:, :4]
    # Rules and boxes (far taller or wider than a line of text) are no neighbours; nor are specks.
    size_ok = (glyphs[:, 3] <= 3 * zh) & (glyphs[:, 2] <= 3 * zh) & (glyphs[:, 3] >= 0.3 * zh)
    glyphs = glyphs[size_ok]
    return [(c, holes) for box, c, holes in picked if not _cjk_neighbour(box, glyphs, zw, zh, slack)]


def _cjk_neighbour(
    box: tuple[int, int, int, int], glyphs: np.ndarray, zw: float, zh: float, slack: float
) -> bool:
    """Whether the nearest glyph left or right of `box` on its line (within a zero's height) is wider or
    taller than the page's zeros: a CJK character."""
    x, y, w, h = box
    gx, gy, gw, gh = glyphs[:, 0], glyphs[:, 1], glyphs[:, 2], glyphs[:, 3]
    overlap = np.minimum(gy + gh, y + h) - np.maximum(gy, y)
    on_line = overlap >= 0.5 * np.minimum(gh, h)
    for side in (gx + gw <= x, gx >= x + w):
        gap = np.where(side, x - (gx + gw), gx - (x + w))
        near = np.flatnonzero(on_line & side & (gap <= zh))
        if len(near):
            i = near[np.argmin(gap[near])]
            if gw[i] > zw + slack or gh[i] > zh + slack:
                return True
    return False


def _erase_inside(
    gray: np.ndarray, contour: np.ndarray, box: tuple[int, int, int, int], holes: list[np.ndarray]
) -> None:
    """Paper inside the ring: the filled outline eroded by the ring's stroke width."""
    x, y, w, h = box
    pad = 2
    filled = np.zeros((h + 2 * pad, w + 2 * pad), np.uint8)
    cv2.drawContours(filled, [contour], -1, 255, cv2.FILLED, offset=(pad - x, pad - y))
    ink_area = cv2.contourArea(contour) - sum(cv2.contourArea(c) for c in holes)
    slash = 0.6 * float(np.hypot(w, h))
    # Rounded up: the outline's area runs through its edge pixels' centres and so measures a 2-px ring
    # as 1.3; eroding 1 px left a 1-px ring that the tables' text mask (a 2x2 opening) deletes.
    stroke = max(1, math.ceil(ink_area / (cv2.arcLength(contour, True) + slash)))
    k = 2 * stroke + 1
    inside = cv2.erode(filled, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    region = gray[y - pad : y + h + pad, x - pad : x + w + pad]
    if region.shape != inside.shape:
        return  # at the page edge: leave it
    region[inside > 0] = 255
