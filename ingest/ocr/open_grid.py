"""Tables drawn with horizontal rules only (三线表: a rule above the header, one under it, one at the end).

With no vertical rules the columns come from the white space: the body's ink, projected on the x axis,
leaves gaps wider than a character where one column ends and the next begins. Rows are the text lines
between the rules. Header cells that run over several body columns (a group heading) get a colspan; a
label that wraps onto a second line with nothing else on it is joined to the row above.
"""

from __future__ import annotations

import itertools

import cv2
import numpy as np

from ingest.ocr.geometry import Grid, GridCell, cuts_between, ink_runs

Box = tuple[int, int, int, int]


def _h_rules(h_mask: np.ndarray, ppi: float) -> list[Box]:
    """Long horizontal rule segments (≥ 1.5 in), as boxes."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(h_mask, connectivity=8)
    return [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _ in stats[1:n] if w >= ppi * 1.5]


def _same_span(a: Box, b: Box, tol: float) -> bool:
    return abs(a[0] - b[0]) <= tol and abs(a[2] - b[2]) <= tol


def _stacks(rules: list[Box], ppi: float) -> list[list[Box]]:
    """Rules of the same left and right ends, stacked top to bottom, each gap at most a page third."""
    stacks: list[list[Box]] = []
    for rule in sorted(rules, key=lambda r: r[1]):
        home = next((s for s in stacks if _same_span(s[-1], rule, ppi * 0.15)
                     and rule[1] - s[-1][3] < ppi * 3.5), None)
        if home is None:
            stacks.append([rule])
        else:
            home.append(rule)
    return [s for s in stacks if len(s) >= 2]


def open_table(ink: np.ndarray, stack: list[Box], ppi: float) -> Grid | None:
    """A grid for the rules in `stack` and the ink (rules removed, 255 = ink) between them."""
    x0, x1 = min(r[0] for r in stack), max(r[2] for r in stack)
    top, bottom = stack[0][3], stack[-1][1]
    body_top = stack[1][3] if len(stack) >= 3 else top  # under the header rule, when there is one
    body = ink[body_top:bottom, x0:x1]
    columns = ink_runs(body.max(axis=0), min_gap=int(ppi * 0.15), min_run=3)
    if len(columns) < 2:
        return None
    xs = [x + x0 for x in cuts_between(columns, 0, x1 - x0)]
    rel_xs = [x - x0 for x in xs]
    header = ink_runs(ink[top:body_top, x0:x1].max(axis=1), min_gap=int(ppi * 0.06), min_run=3)
    body_lines = ink_runs(body.max(axis=1), min_gap=int(ppi * 0.06), min_run=3)
    lines = [(a + top, b + top) for a, b in _header_rows(ink[top:body_top, x0:x1], header, rel_xs)]
    lines += [(a + body_top, b + body_top) for a, b in _join_wrapped(body, body_lines, rel_xs)]
    if len(lines) < 2:
        return None
    ys = cuts_between(lines, top, bottom)
    cells = [c for row, (y_a, y_b) in enumerate(itertools.pairwise(ys)) for c in _row_cells(ink, row, y_a, y_b, xs)]
    return Grid((x0, top, x1, bottom), xs, ys, cells)


def _header_rows(ink: np.ndarray, lines: list[tuple[int, int]], xs: list[int]) -> list[tuple[int, int]]:
    """A heading line that runs over column boundaries (行政复议 over five columns) is a row of its own;
    the other header lines (wrapped column titles) make one row together."""
    out: list[tuple[int, int]] = []
    merging = False
    for a, b in lines:
        if _crosses_columns(ink[a:b], xs):
            out.append((a, b))
            merging = False
        elif merging:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
            merging = True
    return out


def _crosses_columns(ink: np.ndarray, xs: list[int]) -> bool:
    runs = ink_runs(ink.max(axis=0), min_gap=3)
    return any(_column_of(xs, b - 1) > _column_of(xs, a) for a, b in runs)


def _join_wrapped(ink: np.ndarray, lines: list[tuple[int, int]], xs: list[int]) -> list[tuple[int, int]]:
    """A line with ink only in the first column continues the label of the line above."""
    out: list[tuple[int, int]] = []
    for a, b in lines:
        beyond_first = ink[a:b, xs[1]:].any()
        if out and not beyond_first:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _row_cells(ink: np.ndarray, row: int, y0: int, y1: int, xs: list[int]) -> list[GridCell]:
    """One cell per column, except where one run of ink crosses column boundaries (a group heading)."""
    cols = ink_runs(ink[y0:y1, xs[0]:xs[-1]].max(axis=0), min_gap=3)
    spans: list[tuple[int, int]] = []
    for a, b in cols:
        first = _column_of(xs, a + xs[0])
        last = _column_of(xs, b - 1 + xs[0])
        if last > first:
            spans.append((first, last))
    cells, col = [], 0
    while col < len(xs) - 1:
        last = next((e for s, e in spans if s == col), col)
        cells.append(GridCell(row, col, 1, last - col + 1, (xs[col], y0, xs[last + 1], y1)))
        col = last + 1
    return cells


def _column_of(xs: list[int], x: int) -> int:
    return max(0, min(len(xs) - 2, int(np.searchsorted(xs, x, side="right")) - 1))


def find_open_tables(h_mask: np.ndarray, ink: np.ndarray, ppi: float, taken: list[Box]) -> list[Grid]:
    """Tables of horizontal rules only, outside the ruled tables already found (`taken`)."""
    free = [r for r in _h_rules(h_mask, ppi) if not any(_inside(r, t) for t in taken)]
    grids = []
    for stack in _stacks(free, ppi):
        grid = open_table(ink, stack, ppi)
        if grid is not None:
            grids.append(grid)
    return grids


def _inside(rule: Box, table: Box) -> bool:
    pad = 6
    return table[0] - pad <= rule[0] and rule[2] <= table[2] + pad and table[1] - pad <= rule[1] <= table[3] + pad
