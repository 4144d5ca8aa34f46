"""Tables from a page image: ruling lines by morphology, then a grid with merged cells.

Rules are found as long thin runs of ink (opening with a line-shaped kernel longer than any character
stroke). Their positions give the grid lines; a cell boundary whose rule is absent joins the two cells
it separates, which is how a merged cell (rowspan/colspan) shows on paper.
"""

from __future__ import annotations

import itertools

import cv2
import numpy as np

from ingest.ocr.bare_grid import find_bare_tables
from ingest.ocr.clean import page_threshold
from ingest.ocr.geometry import Grid, cells_from_groups, components, find_root
from ingest.ocr.open_grid import find_open_tables
from ingest.ocr.seal import Seal, find_seals, without_red, without_rings, without_seals


def rule_ink(gray: np.ndarray) -> np.ndarray:
    """Binary image for rule finding: a local threshold keeps thin, faint, blurred rules that a global
    Otsu cuts into pieces."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 12)


def rule_masks(ink: np.ndarray, ppi: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rule masks. Kernel ~0.2 in: longer than a 10.5pt character's stroke,
    shorter than the narrowest cell (t4 columns are ~0.4 in). Gaps up to ~0.06 in that noise, JPEG and
    stamp ink cut into rules are bridged after the opening."""
    k = max(25, int(ppi * 0.2))
    gap = max(7, int(ppi * 0.06))
    h = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, k), np.uint8))
    h = cv2.morphologyEx(h, cv2.MORPH_CLOSE, np.ones((1, gap), np.uint8))
    v = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((k, 1), np.uint8))
    v = cv2.morphologyEx(v, cv2.MORPH_CLOSE, np.ones((gap, 1), np.uint8))
    return h, v


def _cluster(values: list[float], weights: list[float], tol: float) -> list[int]:
    """Merge positions closer than `tol` (a rule is several px thick and slightly skewed)."""
    if not values:
        return []
    order = np.argsort(values)
    groups: list[list[int]] = [[int(order[0])]]
    for i in order[1:]:
        if values[i] - values[groups[-1][-1]] <= tol:
            groups[-1].append(int(i))
        else:
            groups.append([int(i)])
    return [round(np.average([values[i] for i in g], weights=[weights[i] for i in g])) for g in groups]


def _segments(mask: np.ndarray, horizontal: bool, min_len: int) -> list[tuple[float, int, int]]:
    """(position, start, end) of each rule segment: y with x0..x1 for horizontal, x with y0..y1 else."""
    n, _, stats, cents = components(mask)
    out = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if horizontal and w >= min_len:
            out.append((float(cents[i][1]), int(x), int(x + w)))
        elif not horizontal and h >= min_len:
            out.append((float(cents[i][0]), int(y), int(y + h)))
    return out


def table_regions(h: np.ndarray, v: np.ndarray, ppi: float) -> list[tuple[int, int, int, int]]:
    """Boxes of connected rule structures big enough to be tables, top to bottom. One row is enough: a
    table split over pages leaves its first header row alone at the foot of a page (~0.2 in)."""
    both = cv2.dilate(cv2.bitwise_or(h, v), np.ones((5, 5), np.uint8))
    n, _, stats, _ = components(both)
    boxes = []
    for i in range(1, n):
        x, y, w, hh, _ = stats[i]
        if w >= ppi * 1.5 and hh >= ppi * 0.12:
            boxes.append((int(x), int(y), int(x + w), int(y + hh)))
    return sorted(boxes, key=lambda b: b[1])


def _grid_lines(
    h: np.ndarray, v: np.ndarray, box: tuple[int, int, int, int], ppi: float
) -> tuple[list[int], list[int]]:
    x0, y0, x1, y1 = box
    tol = max(4.0, ppi * 0.04)
    hs = _segments(h[y0:y1, x0:x1], True, int(ppi * 0.2))
    vs = _segments(v[y0:y1, x0:x1], False, int(ppi * 0.12))
    ys = _cluster([s[0] for s in hs], [s[2] - s[1] for s in hs], tol)
    xs = _cluster([s[0] for s in vs], [s[2] - s[1] for s in vs], tol)
    return [x + x0 for x in xs], [y + y0 for y in ys]


def _present(mask: np.ndarray, fixed: int, a: int, b: int, horizontal: bool, tol: int) -> bool:
    """Is there a rule along this boundary between grid points a..b (ignoring the crossings)?"""
    margin = max(2, (b - a) // 8)
    a, b = a + margin, b - margin
    if b <= a:
        return True
    if horizontal:
        band = mask[max(0, fixed - tol) : fixed + tol + 1, a:b]
        covered = band.max(axis=0) > 0
    else:
        band = mask[a:b, max(0, fixed - tol) : fixed + tol + 1]
        covered = band.max(axis=1) > 0
    return float(covered.mean()) > 0.6


def _spans_a_cell(mask: np.ndarray, fixed: int, cuts: list[int], horizontal: bool, tol: int) -> bool:
    """A real grid line runs the full length of at least one cell; a run of character strokes that
    happened to pass the opening does not reach from one crossing rule to the next."""
    return any(
        _present(mask, fixed, a, b, horizontal, tol) and _touches_ends(mask, fixed, a, b, horizontal, tol)
        for a, b in itertools.pairwise(cuts)
    )


def _touches_ends(mask: np.ndarray, fixed: int, a: int, b: int, horizontal: bool, tol: int) -> bool:
    """Text sits inside the cell padding and never reaches the crossing rules; a rule does."""
    reach = 3 * tol
    if horizontal:
        band = mask[max(0, fixed - tol) : fixed + tol + 1]
        return bool(
            band[:, a : a + reach].any(axis=0).mean() > 0.7
            and band[:, max(0, b - reach) : b].any(axis=0).mean() > 0.7
        )
    band = mask[:, max(0, fixed - tol) : fixed + tol + 1]
    return bool(
        band[a : a + reach].any(axis=1).mean() > 0.7 and band[max(0, b - reach) : b].any(axis=1).mean() > 0.7
    )


def _prune(
    h: np.ndarray, v: np.ndarray, xs: list[int], ys: list[int], tol: int
) -> tuple[list[int], list[int]]:
    for _ in range(3):
        keep_y = [y for i, y in enumerate(ys) if i in (0, len(ys) - 1) or _spans_a_cell(h, y, xs, True, tol)]
        keep_x = [
            x for i, x in enumerate(xs) if i in (0, len(xs) - 1) or _spans_a_cell(v, x, keep_y, False, tol)
        ]
        if keep_x == xs and keep_y == ys:
            break
        xs, ys = keep_x, keep_y
    return xs, ys


# A row is at least this tall (inches): vertical rules running on this far past the last (or before the
# first) horizontal rule hold a row the page cut open.
OPEN_ROW_MIN = 0.15


def _close_open_rows(v: np.ndarray, xs: list[int], ys: list[int], tol: int, ppi: float) -> list[int]:
    """A table broken over pages in a word processor has no rule under its page's last row (nor, at times,
    over the next page's first): the column rules run on past the last horizontal rule and stop. That
    row is read like any other, closed where most column rules end; without this it was lost (the real
    WPS report hzq2023, scanned: 2.没有现成信息需要另行制作, last on its page, gone with its 7 figures)."""
    if len(xs) < 3 or not ys:
        return ys
    min_row = ppi * OPEN_ROW_MIN

    def run(x: int, step: int) -> int:
        """Where the rule at column x, followed from the outer horizontal rule, stops (a one-pixel gap
        in the rule's ink is crossed). A column rule that only starts at the row rule begins past its
        thickness (the rule masks leave the crossing to the row rule)."""
        band = v[:, max(0, x - tol) : x + tol + 1].max(axis=1) > 0
        ahead = band[ys[-1] :] if step > 0 else band[: ys[0] + 1][::-1]
        starts = np.flatnonzero(ahead[: tol + 1])
        if not len(starts):
            return ys[-1] if step > 0 else ys[0]
        ahead = ahead[starts[0] :]
        inked = ahead | np.r_[ahead[1:], False]
        gaps = np.flatnonzero(~inked)
        reach = int(starts[0]) + (int(gaps[0]) - 1 if len(gaps) else len(ahead) - 1)
        return ys[-1] + reach if step > 0 else ys[0] - reach

    closed = list(ys)
    for step in (1, -1):
        ends = sorted(run(x, step) for x in xs)
        edge = ends[len(ends) // 2] if step > 0 else ends[(len(ends) - 1) // 2]  # most rules reach it
        if step > 0 and edge - ys[-1] >= min_row:
            closed.append(edge)
        elif step < 0 and ys[0] - edge >= min_row:
            closed.insert(0, edge)
    return closed


# The least share of its rules' width a ruled grid's column rules span: a seal (42 mm) spans at most
# 0.27 of a table's; the inner rules of a table without outer borders (t2: 0.4) more.
COLUMNS_SPAN = 0.35


def _columns_span(xs: list[int], box: tuple[int, int, int, int]) -> bool:
    """Do the column rules span a good share of the table's width (COLUMNS_SPAN)? Upright strokes of a seal's ring and characters, stamped over a table of horizontal rules,
    passed for column rules 0.2 of its width apart: t4 read as one ruled grid of three columns under the
    seal, its row of figures outside every cell and lost (synth_994102 page 2, 150 dpi, grey seal). Left
    to the reader of tables without column rules, its columns come from the text."""
    return xs[-1] - xs[0] >= (box[2] - box[0]) * COLUMNS_SPAN


def build_grid(h: np.ndarray, v: np.ndarray, box: tuple[int, int, int, int], ppi: float) -> Grid | None:
    xs, ys = _grid_lines(h, v, box, ppi)
    tol = max(3, int(ppi * 0.015))
    if len(ys) == 1:
        # One row alone at a page's top or foot, its other rule on the other page (Chromium prints the
        # last row of a group before the repeated header, seed 794009: 3.补正后… and its 7 figures).
        # Closed before pruning, which keeps only column rules that run between two row rules.
        ys = _close_open_rows(v, xs, ys, tol, ppi)
    xs, ys = _prune(h, v, xs, ys, tol)
    ys = _close_open_rows(v, xs, ys, tol, ppi)
    if len(xs) < 2 or len(ys) < 2 or not _columns_span(xs, box):
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))
    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _present(v, xs[c + 1], ys[r], ys[r + 1], False, tol):
                parent[find_root(parent, r * nc + c + 1)] = find_root(parent, r * nc + c)
            if r + 1 < nr and not _present(h, ys[r + 1], xs[c], xs[c + 1], True, tol):
                parent[find_root(parent, (r + 1) * nc + c)] = find_root(parent, r * nc + c)
    return Grid(box, xs, ys, cells_from_groups(parent, nr, nc, xs, ys))


def find_tables(
    gray: np.ndarray,
    ppi: float,
    read: np.ndarray | None = None,
    red: np.ndarray | None = None,
    seals: list[Seal] | None = None,
) -> tuple[list[Grid], np.ndarray]:
    """Every table on the page, ruled or of horizontal rules only, top to bottom, and the mask of all
    rules (to lift them out before reading). Rules are found in `gray`; the text whose blank strips
    give the columns of tables without column rules is taken from `read`, the page as read (see _words),
    when given; `red` masks a colour page's red ink (seal.without_red), when it has any; `seals` are the
    seals on `gray` when the caller has found them already (found here otherwise)."""
    ink = rule_ink(gray)
    seals = find_seals(gray, ppi) if seals is None else seals
    h, v = (without_red(without_seals(mask, seals, ppi), red) for mask in rule_masks(ink, ppi))
    rules = cv2.bitwise_or(h, v)
    grids = []
    for box in table_regions(h, v, ppi):
        grid = build_grid(h, v, box, ppi)
        if grid and len(grid.cells) >= 2:
            grids.append(grid)
    words = ink if read is None else _words(read)
    text = cv2.morphologyEx(
        cv2.subtract(without_rings(words, seals, ppi), cv2.dilate(rules, np.ones((3, 3), np.uint8))),
        cv2.MORPH_OPEN,
        np.ones((2, 2), np.uint8),
    )
    grids += find_open_tables(h, text, ppi, [g.box for g in grids])
    grids += find_bare_tables(text, ppi, [g.box for g in grids])
    _doubt_overlaps(grids, ppi)
    return sorted(grids, key=lambda g: g.box[1]), rules


def _words(read: np.ndarray) -> np.ndarray:
    """The text mask of the page as read (its red ink lifted, clean.drop_red): its ink, less the blobs
    with no pixel dark enough to be read as ink (`page_threshold`), which no cell's reading sees either.
    A red seal's strokes leave a faint rim in the page as read, and the rule page keeps them darker still
    (only the seal's clear body is lifted there): over t4, its arcs and characters ran between the
    figures of 复议后起诉, the blank strips between those columns were voted shut, and the row lost six
    of its fifteen cells (synth_996030 page 2, 150 dpi colour, the seal not found as a ring). Paper
    grain in a grey scan leaves faint blobs of two or three pixels that the text mask's opening keeps:
    between t4's header words they shut the strip between two columns, and two value cells were one
    (synth_996035 page 5, 200 dpi grey: review.upheld and suit_after_review.corrected lost)."""
    ink = rule_ink(read)
    n, labels, _stats, _ = components((ink > 0).astype(np.uint8))
    dark = np.zeros(n, bool)
    dark[np.unique(labels[(ink > 0) & (read < page_threshold(read))])] = True
    dark[0] = False
    return np.where(dark[labels], ink, 0).astype(ink.dtype)


OVERLAPPING = "this table's grid overlaps another table's on the page: rows may be cut or shared between them"


def _doubt_overlaps(grids: list[Grid], ppi: float) -> None:
    """Two tables found on one page whose boxes overlap: one page area read as two tables means their
    rules or rows were shared out wrongly (stacks of horizontal rules interleaved), and a row read in
    one of them may belong to the other. Both go to review."""
    tol = ppi * 0.05
    for a, b in itertools.combinations(grids, 2):
        if _overlap(a.box, b.box, 0) > tol and _overlap(a.box, b.box, 1) > tol:
            for grid in (a, b, a.fallback, b.fallback):
                if grid is not None:
                    grid.doubt = OVERLAPPING


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int], axis: int) -> int:
    return min(a[axis + 2], b[axis + 2]) - max(a[axis], b[axis])
