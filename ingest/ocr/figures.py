"""What the ink of a figure looks like, for the readers of tables without column rules (bare_grid,
open_grid): a decimal point beside its digits, a run that ends in a digit, and how close the two halves of
an amount broken at its point stand."""

from __future__ import annotations

import cv2
import numpy as np

from ingest.ocr.geometry import components

# Ink smaller than this (in) both ways is a speck or a full stop.
SPECK = 0.04
# Two runs of a line closer than this (in) may be one figure (an amount broken at its point), or a label
# and one number beside it (bare_grid).
CLOSE_VALUE_GAP = 0.3


def a_point(dot: np.ndarray, before: np.ndarray, ppi: float) -> bool:
    """Is this ink one decimal point: speck-sized, on the baseline of the figures `before` it (its foot
    within a fifth of their height of theirs: noise lies anywhere), or centred on their middle as a
    traditional face centres its full-width punctuation (Noto Sans CJK TC's ．: ７３．９５萬, synth_610317)?"""
    ys, xs = np.nonzero(dot)
    rows = np.flatnonzero(before.max(axis=1))
    if not len(rows):
        return False
    top, foot = int(rows[0]), int(rows[-1])
    tol = max(2, 0.2 * (foot - top + 1))
    return (
        int(xs.max() - xs.min()) < ppi * SPECK
        and int(ys.max() - ys.min()) < ppi * SPECK
        and (
            abs(int(ys.max()) - foot) <= tol
            or abs((int(ys.max()) + int(ys.min())) / 2 - (top + foot) / 2) <= tol / 2
        )
    )


def ends_in_figure(crop: np.ndarray) -> bool:
    """Does this run end in a figure: its last glyph a piece spanning most of the run's height and
    narrower than 0.8 of its own height (a digit; a CJK character is as wide as tall)?"""
    n, _labels, stats, _ = components((crop > 0).astype(np.uint8))
    if n < 2:
        return False
    last = max(range(1, n), key=lambda i: stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH])
    rows = np.flatnonzero(crop.max(axis=1))
    height = int(rows[-1] - rows[0]) + 1
    w, hh = stats[last, cv2.CC_STAT_WIDTH], stats[last, cv2.CC_STAT_HEIGHT]
    return hh >= 0.7 * height and w < 0.8 * hh


def point_after_figure(dot: np.ndarray, figure: np.ndarray, ppi: float) -> bool:
    """Is the ink `dot` a decimal point after the figure `figure` ends in: an amount broken at its point
    (７９６．０６万元), whose halves are one value (bare_grid._across_points, open_grid._amounts)."""
    return bool(dot.any()) and a_point(dot, figure, ppi) and ends_in_figure(figure)
