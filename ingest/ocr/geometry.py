"""What the table finders produce (a grid of cells with boxes) and the one way the OCR stages find runs
of ink in a projection profile (text lines in a cell, bands of prose, columns of an open table)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import cv2
import numpy as np


@dataclass(slots=True)
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 of the cell inside its rules, page px


@dataclass(slots=True)
class Grid:
    box: tuple[int, int, int, int]
    xs: list[int]
    ys: list[int]
    cells: list[GridCell]
    bare: bool = False  # drawn from the alignment of ink alone, with no rule (ingest/ocr/bare_grid.py)
    # The grid without the rows taken in over its first rule or under its last with no rule on their
    # other side (ingest/ocr/open_grid.py); read instead when those rows do not read as figures.
    fallback: Grid | None = None
    opened: list[tuple[int, int]] = field(default_factory=list)  # (y0, y1) of the rows taken in
    doubt: str | None = None  # why the grid's structure is doubtful: its values go to review


def ink_runs(profile: np.ndarray, min_gap: int = 1, min_run: int = 1) -> list[tuple[int, int]]:
    """(start, end) of the runs of non-zero entries, joined across blank gaps shorter than `min_gap`,
    keeping runs at least `min_run` long."""
    on = np.flatnonzero(profile > 0)
    if not len(on):
        return []
    runs: list[list[int]] = [[int(on[0]), int(on[0]) + 1]]
    for i in on[1:]:
        if i - runs[-1][1] < min_gap:
            runs[-1][1] = int(i) + 1
        else:
            runs.append([int(i), int(i) + 1])
    return [(a, b) for a, b in runs if b - a >= min_run]


def cuts_between(runs: list[tuple[int, int]], start: int, end: int) -> list[int]:
    """Boundaries halfway between consecutive runs, with the outer edges."""
    return [start, *[(a[1] + b[0]) // 2 for a, b in itertools.pairwise(runs)], end]


def find_root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def cells_from_groups(parent: list[int], nr: int, nc: int, xs: list[int], ys: list[int]) -> list[GridCell]:
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find_root(parent, r * nc + c), []).append((r, c))
    taken: set[tuple[int, int]] = set()
    cells = []
    for members in sorted(groups.values(), key=lambda m: min(m)):
        r0, r1 = min(m[0] for m in members), max(m[0] for m in members)
        c0, c1 = min(m[1] for m in members), max(m[1] for m in members)
        # A non-rectangular group (a rule broken by noise) is taken as its bounding rectangle, once.
        if (r0, c0) in taken:
            continue
        taken.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    return cells


# Provisional labels a 16-bit labelling may hand out (its counter is an unsigned short).
LABELS_16 = 65_000


def components(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """`cv2.connectedComponentsWithStats` (8-connected) that survives an empty image: OpenCV 4 crashes the
    process (a segmentation fault, no exception) on an array with no rows or no columns, and a grid
    cut down to nothing (a rule stack whose header rule is its last) hands one over.

    Labelled in 16 bits (a uint16 label image) when that cannot overflow: the same labels, stats and
    centroids (compared call by call over the table finding of a 42-page scan corpus, seed 753001), at
    a third of the CPU on a page (a 300-dpi page's rule mask: 15 ms against 50 ms; the 32-bit path's
    stats cost the difference). A mask that could hold more labels than 16 bits count (see
    _first_pixels) is labelled in 32 bits, and so is one whose 16-bit labelling fails (OpenCV raises
    when its label counter would overflow)."""
    if mask.size == 0:
        return 1, np.zeros(mask.shape, np.int32), np.zeros((1, 5), np.int32), np.zeros((1, 2))
    if mask.size < LABELS_16 or _first_pixels(mask) < LABELS_16:
        try:
            return cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_16U)  # type: ignore[return-value]
        except cv2.error:
            pass
    return cv2.connectedComponentsWithStats(mask, connectivity=8)  # type: ignore[return-value]


def _first_pixels(mask: np.ndarray) -> int:
    """Ink pixels with no ink left of them nor above them: a bound on the provisional labels of OpenCV's
    first scan. The pixel-wise scan (SAUF) opens a label only at ink with no ink to its left or above it;
    the block-wise ones (BBDT, Spaghetti: 2 x 2 blocks) open one only for a block whose ink touches no
    labelled block to its left or above, and such a block's top row's leftmost ink is such a pixel."""
    _, ink = cv2.threshold(mask, 0, 255, cv2.THRESH_BINARY)  # 255 wherever the mask is not 0
    first = cv2.subtract(ink[1:, 1:], ink[1:, :-1])
    first = cv2.subtract(first, ink[:-1, 1:])
    edges = cv2.countNonZero(ink[:1]) + cv2.countNonZero(ink[1:, :1])
    return int(cv2.countNonZero(first)) + edges
