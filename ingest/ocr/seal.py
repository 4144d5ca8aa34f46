"""Round seals (公章) stamped in black or grey, as a 1-bit or grey scan keeps a red seal: their ring and
star are no table rules.

A red seal is lifted by its colour (clean.drop_red); on a page stored without colour it is ink like any
other. Its ring, stroked ~0.05 in wide, runs upright long enough at its left and right and flat at its top
and bottom to pass the rule masks' opening (0.2 in), and its star's arms make a flat edge: over t4, those
strokes were taken for column and row rules (synth_994311 page 2: t4 cut into 19 columns and 7 rows, its
15 fields lost).
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

from ingest.ocr.geometry import components

# A seal is 38-45 mm across (radius 0.75-0.89 in); the range leaves room for a scan's scale.
SEAL_RADIUS = (0.6, 1.0)
# The ring is looked for on a copy at this resolution (ppi): rings ~40 px in radius, a page in ~10 ms.
FIND_PPI = 50
# Share of the ring's circumference that must be ink: the ring of a stamp is closed; characters or a
# table's cells never ring a circle that far.
RING_INKED = 0.8


class Seal(NamedTuple):
    cx: float
    cy: float
    inner: float  # page px, the ring's inner and outer edges
    outer: float


def find_seals(gray: np.ndarray, ppi: float) -> list[Seal]:
    """Closed rings of a seal's size on the page (0 = ink, 255 = paper)."""
    f = FIND_PPI / ppi
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    low, high = (round(r * FIND_PPI) for r in SEAL_RADIUS)
    circles = cv2.HoughCircles(
        cv2.GaussianBlur(small, (3, 3), 0),
        cv2.HOUGH_GRADIENT,
        dp=1,
        minDist=low,
        param1=100,
        param2=30,
        minRadius=low,
        maxRadius=high,
    )
    if circles is None:
        return []
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    seals = []
    for cx, cy, r in circles[0]:
        ring = _ring(ink, float(cx), float(cy), float(r))
        if ring is not None:
            seals.append(Seal(*(q / f for q in ring)))
    return seals


def _ring(ink: np.ndarray, cx: float, cy: float, r: float) -> tuple[float, float, float, float] | None:
    """Centre and inner and outer radius of a closed ring near the circle Hough found, if there is one. Hough's
    circle is off by up to 3 px here (a tenth of the radius): it votes on the ring's inner and outer
    edges and on the star and characters inside."""
    radii = np.arange(0.8 * r, 1.2 * r + 0.5, 0.5)
    best, found = 0.0, None
    for dx in range(-3, 4):
        for dy in range(-3, 4):
            inked = _rings_inked(ink, cx + dx, cy + dy, radii)
            peak = int(inked.argmax())
            if inked[peak] > best:
                inner, outer = peak, peak
                while inner > 0 and inked[inner - 1] >= 0.5:
                    inner -= 1
                while outer + 1 < len(radii) and inked[outer + 1] >= 0.5:
                    outer += 1
                best, found = float(inked[peak]), (cx + dx, cy + dy, float(radii[inner]), float(radii[outer]))
    return found if best >= RING_INKED else None


_ANGLES = np.linspace(0, 2 * np.pi, 180, endpoint=False)


def _rings_inked(ink: np.ndarray, cx: float, cy: float, radii: np.ndarray) -> np.ndarray:
    """For each radius, the share of the circle's points on ink (none where the circle leaves the page:
    a seal cut by the page's edge is left alone)."""
    xs = np.round(cx + np.outer(radii, np.cos(_ANGLES))).astype(int)
    ys = np.round(cy + np.outer(radii, np.sin(_ANGLES))).astype(int)
    if xs.min() < 0 or ys.min() < 0 or xs.max() >= ink.shape[1] or ys.max() >= ink.shape[0]:
        return np.zeros(len(radii))
    return (ink[ys, xs] > 0).mean(axis=1)


# A rule segment is the seal's when at least this share of its pixels lie on its ring. Table rules
# crossing the ring reach out of it and stay.
SEAL_SHARE = 0.9
# Inches: the seal's star is a solid blob, its flat edge as wide as a rule is long; a printed rule is
# under 0.03 in thick.
BLOB_THICKNESS = 0.03


def _rings(shape: tuple[int, ...], seals: list[Seal], ppi: float) -> tuple[np.ndarray, np.ndarray]:
    """Masks (1 = in) of the seals' rings, widened by a margin (the copy they were measured on is
    coarse; the rule masks' closing reaches out), and of the discs inside them."""
    margin = ppi * 0.03
    ring, disc = np.zeros(shape[:2], np.uint8), np.zeros(shape[:2], np.uint8)
    for seal in seals:
        centre = (round(seal.cx), round(seal.cy))
        cv2.circle(ring, centre, round(seal.outer + margin), 1, -1)
        cv2.circle(ring, centre, max(0, round(seal.inner - margin)), 0, -1)
        cv2.circle(disc, centre, round(seal.inner), 1, -1)
    return ring, disc


def without_rings(ink: np.ndarray, seals: list[Seal], ppi: float) -> np.ndarray:
    """The text mask without the seals' rings: a ring's arc running through a row of figures joined
    them into one run over their columns' boundaries."""
    if not seals:
        return ink
    ring, _disc = _rings(ink.shape, seals, ppi)
    return np.where(ring > 0, 0, ink).astype(ink.dtype)


def without_seals(mask: np.ndarray, seals: list[Seal], ppi: float) -> np.ndarray:
    """The rule mask without the seals' ring runs and star: segments lying on a ring, and blobs too
    thick for a rule inside one. Table rules under a seal stay, whole."""
    if not seals:
        return mask
    ring, disc = _rings(mask.shape, seals, ppi)
    n, labels, stats, _ = components((mask > 0).astype(np.uint8))
    area = np.maximum(stats[:, cv2.CC_STAT_AREA], 1)
    on_ring = np.bincount(labels.ravel(), weights=ring.ravel(), minlength=n) / area
    in_disc = np.bincount(labels.ravel(), weights=disc.ravel(), minlength=n) / area
    length = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    blob = area / np.maximum(length, 1) > ppi * BLOB_THICKNESS
    drop = np.flatnonzero((on_ring >= SEAL_SHARE) | ((in_disc >= SEAL_SHARE) & blob))
    drop = drop[drop > 0]
    if not len(drop):
        return mask
    return np.where(np.isin(labels, drop), 0, mask).astype(mask.dtype)


# A rule segment is red ink's when at least this share of its pixels lie on red. A black rule under a
# seal crosses its strokes and runs on beyond them: measured under 0.3 (synth_996030 page 2); the ring's
# arcs 1.0, a character's stroke lined up with a figure 0.84.
RED_SHARE = 0.6


def without_red(mask: np.ndarray, red: np.ndarray | None) -> np.ndarray:
    """The rule mask without segments of red ink (`red`, 255; clean.drop_red) on a colour page. The page
    rules are found in keeps a red seal's strokes where they are dark in red (a thin stroke at 150 dpi,
    blurred and its colour stored at half the resolution by the JPEG: ~155 in red on paper at ~230, the
    ring ~180), so that a black rule under the seal is kept; the ring is too faint there to be found as
    one (find_seals). Over t4, the ring's arcs and the stroke of 用 lined up with a 0's left side were
    taken for column rules, and lifting that rule from the page as read cut the 0 in half: read 9
    (synth_996030 page 2, 150 dpi colour)."""
    if red is None:
        return mask
    n, labels, stats, _ = components((mask > 0).astype(np.uint8))
    area = np.maximum(stats[:, cv2.CC_STAT_AREA], 1)
    share = np.bincount(labels.ravel(), weights=(red.ravel() > 0), minlength=n) / area
    drop = np.flatnonzero(share >= RED_SHARE)
    drop = drop[drop > 0]
    if not len(drop):
        return mask
    return np.where(np.isin(labels, drop), 0, mask).astype(mask.dtype)
