"""Tables drawn with horizontal rules only (三线表: a rule above the header, one under it, one at the end).

With no vertical rules the columns come from the white space: the body's ink, projected on the x axis,
leaves gaps wider than a character where one column ends and the next begins. Rows are the text lines
between the rules. Header cells that run over several body columns (a group heading) get a colspan; a
label that wraps onto a second line with nothing else on it is joined to the row above.
"""

from __future__ import annotations

import itertools

import numpy as np

from ingest.ocr.figures import CLOSE_VALUE_GAP, point_after_figure
from ingest.ocr.geometry import (
    Grid,
    GridCell,
    cells_from_groups,
    components,
    cuts_between,
    find_root,
    ink_runs,
)

Box = tuple[int, int, int, int]


def _h_rules(h_mask: np.ndarray, ppi: float) -> list[Box]:
    """Long horizontal rule segments (≥ 1.5 in), as boxes."""
    n, _, stats, _ = components(h_mask)
    return [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _ in stats[1:n] if w >= ppi * 1.5]


def _same_span(table: Box, rule: Box, tol: float, partial: bool = True) -> bool:
    """A rule belongs to the table whose right end it shares and whose left end it does not pass: body
    rules of a table without vertical rules start where a merged label cell ends (the rule under
    （一）予以公开 starts right of the vertical label 三、本年度办理结果), and header rules run under a
    group heading only (法人或其他组织)."""
    return rule[0] >= table[0] - tol and (
        abs(table[2] - rule[2]) <= tol or (partial and rule[2] <= table[2] + tol)
    )


def _stacks(rules: list[Box], ink: np.ndarray, ppi: float) -> list[list[Box]]:
    """Rules within the span of the first (widest) rule of each stack, stacked top to bottom, each gap
    at most a page third and not a heading between two tables. A rule that starts left of the stack's
    first rule joins it too when it ends where that rule ends and lies a row under the stack's last:
    a page that opens inside a merged group label has its first rules start at the sub-labels
    (2.没有现成信息需要另行制作 under （四）无法提供), and the rules under the next group start further
    left; a stack of its own, the first rule alone was no table, and its row was lost (synth_735005,
    Chromium's print, page 3)."""
    stacks: list[list[Box]] = []
    tol = ppi * 0.15
    for rule in sorted(rules, key=lambda r: r[1]):
        home = next(
            (
                s
                for s in reversed(stacks)
                if (
                    _same_span(s[0], rule, tol)
                    or (abs(s[0][2] - rule[2]) <= tol and rule[1] - s[-1][3] < ppi * RULED_ROW_GAP)
                )
                and (rule[1] - s[-1][3] < ppi * 3.5 or _one_row_between(ink, s[-1], rule, ppi))
                and not _rule_between(stacks, s, rule)
                and not _heading_between(ink, s[-1], rule, ppi, min(r[0] for r in s))
            ),
            None,
        )
        if home is None:
            stacks.append([rule])
        else:
            home.append(rule)
    return [s for s in stacks if len(s) >= 2]


def _rule_between(stacks: list[list[Box]], home: list[Box], rule: Box) -> bool:
    """Does another stack have a rule across `rule`'s span between `home`'s last rule and `rule`? Then
    `rule` joining `home` would interleave two tables: t2's last two rows, each taken for a heading, made
    a stack of their own, and the rule under them joined the stack above them, a grid over that grid
    (synth_743011 page 3)."""
    top = home[-1][3]
    return any(
        top < r[1] and r[3] < rule[1] and min(r[2], rule[2]) - max(r[0], rule[0]) > 0
        for other in stacks
        if other is not home
        for r in other
    )


def _one_row_between(ink: np.ndarray, above: Box, below: Box, ppi: float) -> bool:
    """The gap between two rules is one row of the table, however tall: its value columns hold one line,
    of several figures. A label wrapped a few characters a line in large type runs over many lines (t3's
    (六)其他处理 1.申请人无正当理由逾期不补正… in 12 pt: eleven lines, 4.3 in, synth_741011 page 6),
    taller than the most a gap between two tables' rules may be; a paragraph or a heading between two
    tables fills the value columns with lines or runs over them in one run."""
    x0, x1 = min(above[0], below[0]), max(above[2], below[2])
    values = _without_specks(ink[above[3] + 2 : below[1] - 1, int(x1 - (x1 - x0) * VALUE_SHARE) : x1], ppi)
    lines = ink_runs(values.max(axis=1), min_gap=int(ppi * 0.06), min_run=int(ppi * 0.05))
    if len(lines) != 1:
        return False
    a, b = lines[0]
    runs = ink_runs(values[a:b].max(axis=0), min_gap=int(ppi * SPAN_GAP), min_run=2)
    return len(runs) >= 2 and all(q - p <= ppi * FIGURE_WIDTH for p, q in runs)


def _heading_between(ink: np.ndarray, above: Box, below: Box, ppi: float, left: int) -> bool:
    """A tall gap holding one line of text between two rules is a heading between two tables (四、政府
    信息公开行政复议、行政诉讼情况 between t3's last rule and t4's first), not a table row: rows that tall
    hold a wrapped label of several lines. In small type the gap is shorter (9 pt: 0.59 in, seed
    701175): a gap of HEADING_GAP_FLUSH holding one line that starts at the table's left edge and
    stays out of its value columns is a heading too (a row's one line has figures at the right; a t2
    section heading such as 第二十条第（五）项 is centred). A line that starts in the page's margin, left
    of the table (`left`, its rules' left end), is no row of it however short the gap: Chromium prints a
    heading with little space around it (9 pt: 0.39 in between t3's last rule and t4's first, under
    四、政府信息公开行政复议、行政诉讼情况, synth_741015; t3 and t4 were one table, t4 cut into t3's
    columns)."""
    gap = below[1] - above[3]
    x0, x1 = min(above[0], below[0]), max(above[2], below[2])
    margin = ink[above[3] + 2 : below[1] - 1, max(0, left - int(ppi)) : max(0, left - int(ppi * 0.1))]
    if gap < ppi * HEADING_GAP_FLUSH and not _without_specks(margin, ppi).any():
        return False
    band = ink[above[3] + 2 : below[1] - 1, x0:x1]
    band = _without_specks(band, ppi)  # seed 701003: four 2-px dots over 13 px read as a line of text
    lines = ink_runs(band.max(axis=1), min_gap=int(ppi * 0.04), min_run=int(ppi * 0.06))
    # One line, no taller than a heading's: in 14 pt single-spaced type the lines of a wrapped header
    # (法人或/其他组/织 beside 自然人) leave under 0.04 in between them and ran as one, so t3's header
    # was taken for a heading, its rules given to t2 (synth_743012 page 2).
    if len(lines) != 1 or lines[0][1] - lines[0][0] > ppi * HEADING_LINE:
        return False
    if gap >= ppi * HEADING_GAP:
        return True
    # One run of words: a row's label and its figures stand apart (行政事业性收费 0 0 in left-aligned
    # columns of a wide t2 stays out of the value share too, synth_743011 page 3).
    words = ink_runs(band.max(axis=0), min_gap=int(ppi * HEADING_WORD_RUN), min_run=2)
    cols = np.flatnonzero(band.max(axis=0))
    return len(words) == 1 and cols[0] < ppi * 0.5 and cols[-1] < (x1 - x0) * (1 - VALUE_SHARE)


def open_table(ink: np.ndarray, h_mask: np.ndarray, stack: list[Box], ppi: float) -> Grid | None:
    """A grid for the rules in `stack` and the ink (rules removed, 255 = ink) between them: rows from
    the rules when every row has one (a table printed without vertical rules), else from text lines."""
    if _ruled_rows(ink, stack, ppi) or _one_ruled_row(ink, stack, ppi):
        return rule_rows_table(ink, h_mask, stack, ppi)
    x0, x1 = min(r[0] for r in stack), max(r[2] for r in stack)
    top, bottom = stack[0][3], stack[-1][1]
    body_top = _header_bottom(stack, ppi) if len(stack) >= 3 else top  # under the header rule, if any
    body = ink[body_top:bottom, x0:x1]
    if not body.size:  # the header's rule is the stack's last (seed 931379): no body to read
        return None
    columns = ink_runs(body.max(axis=0), min_gap=int(ppi * 0.15), min_run=3)
    if len(columns) < 2:
        return None
    xs = [x + x0 for x in cuts_between(columns, 0, x1 - x0)]
    rel_xs = [x - x0 for x in xs]
    header = ink_runs(ink[top:body_top, x0:x1].max(axis=1), min_gap=int(ppi * 0.06), min_run=3)
    body_lines = ink_runs(body.max(axis=1), min_gap=int(ppi * 0.06), min_run=3)
    lines = [(a + top, b + top) for a, b in _header_rows(ink[top:body_top, x0:x1], header, rel_xs)]
    lines += [(a + body_top, b + body_top) for a, b in _join_wrapped(body, body_lines, rel_xs)]
    # One line between two rules is a table's last row carried onto the next page (行政事业性收费 | 0,
    # seed 690104), when its ink leaves two columns.
    if len(lines) < (1 if len(stack) == 2 else 2):
        return None
    ys = cuts_between(lines, top, bottom)
    cells = [
        c for row, (y_a, y_b) in enumerate(itertools.pairwise(ys)) for c in _row_cells(ink, row, y_a, y_b, xs)
    ]
    return Grid((x0, top, x1, bottom), xs, ys, cells)


def _one_ruled_row(ink: np.ndarray, stack: list[Box], ppi: float) -> bool:
    """Two rules around one row (`_one_row_between`): its label's lines, one to a text line, are one
    cell, not a row each (a row carried alone onto a page, 11 lines of label with its figures beside the
    sixth, synth_741011 page 6)."""
    lines = _rule_lines(stack, ppi)
    if len(lines) != 2:
        return False
    (ya, a0, a1), (yb, b0, b1) = lines
    return _one_row_between(ink, (a0, ya, a1, ya + 1), (b0, yb - 1, b1, yb), ppi)


def _header_bottom(stack: list[Box], ppi: float) -> int:
    """The foot of the header's last rule: the first inner rule, or, when rules under group headings
    (申请人情况, 法人或其他组织) start right of the rule under the whole header, that lower rule. t3
    carried onto a page with its header repeated and two rows under it (seed 711102: 黑体 11 pt, 200
    dpi, rules=horizontal): the body began under 申请人情况, so 法人或其他组织 ran over three value
    columns, the columns were cut from it, and 0 0 0 read as one cell "000" (14 fields lost, 124 in
    review). A rule starting left of every inner rule above it closes the header."""
    lines = _rule_lines(stack, ppi)[1:-1]
    tol = ppi * 0.08
    first = min(range(len(lines)), key=lambda i: (lines[i][1], i)) if lines else 0
    if not lines or any(a <= lines[first][1] + tol for _y, a, _b in lines[:first]):
        return stack[1][3]
    y = lines[first][0]
    return max(r[3] for r in stack if abs((r[1] + r[3]) // 2 - y) <= ppi * 0.03)


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
    return any(column_of(xs, b - 1) > column_of(xs, a) for a, b in runs)


def _join_wrapped(ink: np.ndarray, lines: list[tuple[int, int]], xs: list[int]) -> list[tuple[int, int]]:
    """A line with ink only in the first column continues the label of the line above."""
    out: list[tuple[int, int]] = []
    for a, b in lines:
        beyond_first = ink[a:b, xs[1] :].any()
        if out and not beyond_first:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _row_cells(ink: np.ndarray, row: int, y0: int, y1: int, xs: list[int]) -> list[GridCell]:
    """One cell per column, except where one run of ink crosses column boundaries (a group heading)."""
    cols = ink_runs(ink[y0:y1, xs[0] : xs[-1]].max(axis=0), min_gap=3)
    spans: list[tuple[int, int]] = []
    for a, b in cols:
        first = column_of(xs, a + xs[0])
        last = column_of(xs, b - 1 + xs[0])
        if last > first:
            spans.append((first, last))
    cells, col = [], 0
    while col < len(xs) - 1:
        last = next((e for s, e in spans if s == col), col)
        cells.append(GridCell(row, col, 1, last - col + 1, (xs[col], y0, xs[last + 1], y1)))
        col = last + 1
    return cells


def column_of(xs: list[int], x: int) -> int:
    return max(0, min(len(xs) - 2, int(np.searchsorted(xs, x, side="right")) - 1))


def find_open_tables(h_mask: np.ndarray, ink: np.ndarray, ppi: float, taken: list[Box]) -> list[Grid]:
    """Tables of horizontal rules only, outside the ruled tables already found (`taken`). A row just
    over a table's first rule or just under its last one, with no rule on its other side, is taken in
    when its figures stand in the table's value columns (see `_open_row`); the grid without it is kept
    as the fallback for when its cells do not read as figures."""
    free = [r for r in _h_rules(h_mask, ppi) if not any(_inside(r, t) for t in taken)]
    grids = []
    claimed: list[Box] = []  # rows taken in so far: a row between two tables' rules is taken once
    for stack in _stacks(free, ink, ppi):
        grid = open_table(ink, h_mask, stack, ppi)
        if grid is None:
            continue
        fences = [*free, *claimed, *taken]
        wider, bands = list(stack), []
        for below in (False, True):
            found = _open_row(ink, grid, stack, fences, below, ppi)
            if found is not None:
                rule, band = found
                wider.append(rule)
                bands.append(band)
                claimed.append((grid.box[0], band[0], grid.box[2], band[1]))
        if bands:
            opened = open_table(ink, h_mask, wider, ppi)
            if opened is not None and len(opened.ys) > len(grid.ys):
                opened.fallback, opened.opened = grid, bands
                grid = opened
        grids.append(grid)
    return grids


# The most blank (in) between a row's text and the rule on its one side: a cell's padding, or the half
# of a tall row its figures do not fill (values centred on a wrapped label's middle line).
OPEN_ROW_GAP = 0.3
# The most blank (in) between two lines of one row (a label wrapped in a narrow cell; 28 pt exact line
# spacing in 12 pt type leaves ~0.22 in).
OPEN_LINE_GAP = 0.26


def _open_row(
    ink: np.ndarray, grid: Grid, stack: list[Box], fences: list[Box], below: bool, ppi: float
) -> tuple[Box, tuple[int, int]] | None:
    """A rule closing the row just over the stack's first rule (`below` False) or just under its last,
    when that row is a row of the table the printer drew no rule for: CSS draws each row's bottom
    border, so a table carried onto a new page opens with a row and no rule over it (1.属于国家秘密
    0 0 0 0 0 0 0 above the page's first rule), and a table whose rules start further left than the
    rules above (the rows under a merged group label end where the group does) begins a stack of its
    own, leaving the row between the two stacks to neither (（七）总计, synth_734010, page 3). The row is
    a block of lines next to the rule: one line with figures at its right end (`_figures`), at least
    half as many as the stack's fullest row has, the other lines left of its first figure (a label
    wrapped in a narrow cell, its figures centred on the middle line; the label may run past the column
    cut voted on the stack's short labels: 5.要求行政机关确认或, synth_735007 page 5), and a label
    somewhere. A prose line runs over the columns in one run, a heading (四、…) has no figures: neither
    is a row. The rule is drawn as far beyond
    the block as the rule next to it is on its near side, and spans as that rule does. Returns the rule
    and the row's band (y0, y1)."""
    lines = _rule_lines(stack, ppi)
    x0, x1 = min(r[0] for r in stack), max(r[2] for r in stack)
    near = lines[-1] if below else lines[0]
    thick = [r for r in stack if abs((r[1] + r[3]) // 2 - near[0]) <= ppi * 0.03]
    face = max(r[3] for r in thick) if below else min(r[1] for r in thick)
    # The nearest fence (a rule, a row taken in, a table) across the table's span on that side.
    across = [f for f in fences if f[0] < x1 and f[2] > x0 and (f[1] > face if below else f[3] < face)]
    if below:
        limit = min([f[1] for f in across], default=ink.shape[0])
        band = ink[face + 1 : limit, x0:x1]
    else:
        limit = max([f[3] for f in across], default=0)
        band = ink[limit:face, x0:x1]
    if band.shape[0] < 3:
        return None
    band = _without_specks(band, ppi)
    runs = ink_runs(band.max(axis=1), min_gap=int(ppi * 0.04), min_run=int(ppi * 0.05))
    if not runs:
        return None
    origin = face + 1 if below else limit
    order = runs if below else runs[::-1]
    first = order[0]
    gap = first[0] if below else band.shape[0] - first[1]
    if gap > ppi * OPEN_ROW_GAP:
        return None
    xs = [x - x0 for x in grid.xs]
    # Figures stand in the value columns: in a narrow label column a short sub-label (4.保护, 12 pt, the
    # label wrapped four characters a line, synth_741011 page 3) is as narrow as a figure and has a
    # column of its own; counted as one, it was taken for the row's first figure and its label for none.
    # (A table whose value columns all hold wide text has no value edge: any column past the first.)
    edge_at = grid.xs.index(_value_edge(ink, grid.xs, grid.ys, ppi))
    value_col = edge_at if 0 < edge_at < len(xs) - 1 else 1
    rows = [
        _figures(_without_specks(ink[a:b, x0:x1], ppi), xs, ppi, value_col)[0]
        for a, b in itertools.pairwise(grid.ys)
    ]
    need = max(1, (max(rows, default=0) + 1) // 2)
    kinds = [_figures(band[a:b], xs, ppi, value_col) for a, b in order]
    value_at = next((i for i, (n, _edge) in enumerate(kinds) if n >= need), -1)
    if value_at < 0 or kinds[value_at][1] <= 0:
        return None
    edge = kinds[value_at][1]  # where the leftmost figure starts: label lines stay left of it
    block: list[tuple[int, int]] = []
    for i, (a, b) in enumerate(order):
        if block:
            prev = block[-1]
            if (a - prev[1] if below else prev[0] - b) > ppi * OPEN_LINE_GAP:
                break
        if i != value_at and not _label_line(band[a:b], edge, ppi):
            break
        block.append((a, b))
    # A row with no label is a row still when it has as many figures as the table's rows have (the
    # median: a short label in a value column counts as one more): a group's sub-rows printed without
    # their sub-labels (missing_sublabels), carried onto a new page under their group's label
    # (synth_743012 page 3: 0 0 0 0 0 0 0 over the page's first rule).
    full = kinds[value_at][0] >= max(3, float(np.median(rows)) if rows else 0)
    if len(block) <= value_at or not (full or _labelled(band, block, edge)):
        return None
    # Label lines beyond the figures: at most one more than on the rule's side (the figures are centred).
    block = block[: 2 * value_at + 2]
    far = block[-1][1] if below else block[-1][0]
    margin = max(2, gap)
    y = min(limit - 2, origin + far + margin) if below else max(limit + 2, origin + far - margin)
    a, b = near[1], near[2]
    return (a, y - 1, b, y + 1), ((face, y) if below else (y, face))


# A figure is at most this wide (in): t2's money (748.35) in 14 pt type.
FIGURE_WIDTH = 0.7


def _figures(line: np.ndarray, xs: list[int], ppi: float, first: int = 1) -> tuple[int, int]:
    """The figures at the right end of a line: runs of ink, from the right, each narrow and inside one
    column of its own from column `first` on; how many, and where the leftmost one starts (0 if none).
    A prose line or a heading runs over the columns in one run and has none. `xs` are relative to the
    line's left."""
    runs = ink_runs(line.max(axis=0), min_gap=int(ppi * SPAN_GAP), min_run=2)
    used: list[int] = []
    left = 0
    for a, b in reversed(runs):
        c = column_of(xs, a)
        if c < first or c != column_of(xs, b - 1) or c in used or b - a > ppi * FIGURE_WIDTH:
            break
        used.append(c)
        left = a
    return len(used), left


def _label_line(line: np.ndarray, edge: int, ppi: float) -> bool:
    """A line of a wrapped label: ink, all of it left of the figures' columns."""
    cols = np.flatnonzero(line.max(axis=0))
    return bool(len(cols)) and cols[-1] < edge - ppi * 0.03


def _labelled(band: np.ndarray, block: list[tuple[int, int]], edge: int) -> bool:
    """Some ink of the block left of the figures: a row of a report's table has a label (a page number
    `- 3 -` under a table's last rule has none)."""
    return any(band[a:b, :edge].any() for a, b in block)


def _inside(rule: Box, table: Box) -> bool:
    pad = 6
    return (
        table[0] - pad <= rule[0]
        and rule[2] <= table[2] + pad
        and table[1] - pad <= rule[1] <= table[3] + pad
    )


# --- tables with a horizontal rule under every row, and no vertical rules ----------------------------

# A gap between rules this tall (in) with one line of text in it is a heading, not a row.
HEADING_GAP = 0.6
# A shorter gap (in) with one line flush left, clear of the value columns, is a heading too.
HEADING_GAP_FLUSH = 0.4
# A heading's line is at most this tall (in): 16 pt 黑体 is ~0.22 in.
HEADING_LINE = 0.35
# A blank this wide (in) in a line between two rules parts a row's cells: a heading's words stand closer.
HEADING_WORD_RUN = 0.3
# A stack of this many rule lines (clustered) whose gaps are all under RULED_ROW_GAP, or hold one line of
# values, is ruled row by row.
RULED_ROWS_MIN = 4
RULED_ROW_GAP = 1.2  # in: a t3 row with a three-line label is ~0.6 in
# Bands under the top rule that may be a header: t3's three levels (申请人情况; 自然人, 法人或其他组织,
# 总计; the five organisations), each closed by a rule where the heading over it spans columns.
HEADER_BANDS = 3
# The value columns: this share of the table's width at its right end, clear of the widest label column.
VALUE_SHARE = 0.4
# Columns of value cells are separated by blank space at least this wide in the rows under the header.
COLUMN_GAP = 0.1  # in
# Ink closer than this across a column boundary is one cell's text running over it (a merged cell).
SPAN_GAP = 0.1  # in
# Lines of ink in a value column are at most this wide (in) in a quarter of its rows or more: t3's
# figures take one to three digits; its sub-labels (2.重复申请) wrap at no less than 0.4 in.
VALUE_WIDTH = 0.33
# A blob of ink smaller than this (in) both ways is a speck of scan noise: a full stop in 9 pt type is
# ~0.025 in, 、 ~0.045 in.
SPECK_SIZE = 0.02


def _rule_lines(stack: list[Box], ppi: float) -> list[tuple[int, int, int]]:
    """(y, x0, x1) of the stack's rules, pieces of one rule at one height joined."""
    out: list[tuple[int, int, int]] = []
    for r in sorted(stack, key=lambda r: (r[1] + r[3]) / 2):
        y = (r[1] + r[3]) // 2
        if out and abs(out[-1][0] - y) <= ppi * 0.03:
            out[-1] = (out[-1][0], min(out[-1][1], r[0]), max(out[-1][2], r[2]))
        else:
            out.append((y, r[0], r[2]))
    return out


def _ruled_rows(ink: np.ndarray, stack: list[Box], ppi: float) -> bool:
    """A rule under every row: many rules, and between two of them either a short gap or one row whose
    label wraps over many lines (a narrow label column in large type: 2.申请人逾期未按收费通知要求缴纳
    费用… over eight lines, 1.6 in) with its values on one line. A tall band holding several lines of
    values is a 三线表's body, unless it is one of the top three bands with rows below: a header wrapped
    one character per line (seed 630007: 商/业/企/业 under 法人或其他组织, 1.25 in; seed 690103: the
    same in t3's third header level, under 申请人情况 and 法人或其他组织, 1.3 in). (Taking any tall
    band with rows below for a header read seed 630019's t3 worse than the 三线表 path: 153 fields in
    review instead of 26.)"""
    lines = _rule_lines(stack, ppi)
    if len(lines) < RULED_ROWS_MIN:
        return False
    x0, x1 = min(r[0] for r in stack), max(r[2] for r in stack)
    values_x = int(x1 - (x1 - x0) * VALUE_SHARE)
    gaps = list(itertools.pairwise(lines))
    for i, (a, b) in enumerate(gaps):
        header = i < HEADER_BANDS and len(gaps) - 1 - i >= RULED_ROWS_MIN - 1
        if b[0] - a[0] < ppi * RULED_ROW_GAP or header:
            continue
        # Specks are no line of values: two 2-px dots 7 px apart read as one (seed 706023, 150 dpi).
        band = _without_specks(ink[a[0] + 3 : b[0] - 2, values_x:x1], ppi)
        if len(ink_runs(band.max(axis=1), min_gap=int(ppi * 0.06), min_run=int(ppi * 0.05))) > 1:
            return False
    return True


def _label_cuts(lines: list[tuple[int, int, int]], x0: int, x1: int, ppi: float) -> list[int]:
    """Column boundaries at the left ends of rules that start inside the table: a rule under a row
    starts where the merged label cell to its left ends, and runs to the table's right end. A header
    rule under a group heading (法人或其他组织, stopping before 总计) starts at no label's end: taken for
    one, it hid the boundary between the labels and the 自然人 column."""
    tol = ppi * 0.08
    starts = sorted(a for _y, a, b in lines if a > x0 + tol and a < x1 - tol and b >= x1 - tol)
    cuts: list[int] = []
    for a in starts:
        if not cuts or a - cuts[-1] > tol:
            cuts.append(a)
    return cuts


def vote_cuts(profiles: list[np.ndarray], ppi: float) -> list[int]:
    """Column boundaries in the middle of blank strips down the rows of values. Only rows of three or
    more separate runs of text vote (two in a table that has none): a heading row, 第二十条第（五）项 or
    行政复议 | 行政诉讼, spans columns. A strip must be blank in two thirds of the voters (未经复议直接
    起诉 spans five columns of the row under it)."""
    strips = _vote_strips(profiles, ppi)
    return cuts_between(strips, 0, len(profiles[0]))[1:-1] if strips else []


def _vote_strips(profiles: list[np.ndarray], ppi: float) -> list[tuple[int, int]]:
    """The strips inked in more than a third of the voters (vote_cuts), left to right."""
    gap = int(ppi * COLUMN_GAP)
    runs = [len(ink_runs(p, min_gap=gap, min_run=3)) for p in profiles]
    # A table of two columns (t2's lower part: 行政处罚 | 1124) has no row of three. A row of no more than
    # half the runs of the fullest heads groups of its columns (t4's 未经复议直接起诉 and 复议后起诉 over
    # five columns each, beside 行政复议's four column titles): with titles and figures at their cells'
    # left (align=left), a heading ran over the blank after a title that its figure below left, two
    # voters of three inked it, and a cut fell through the title: t4 read 16 cells for 15 columns
    # (synth_796002, synth_796004, synth_796008).
    most = max(runs, default=0)
    need = max(3, most // 2 + 1) if most >= 3 else 2
    voters = [p for p, n in zip(profiles, runs, strict=True) if n >= need]
    if not voters:
        return []
    inked = np.sum([p > 0 for p in voters], axis=0)
    blank = inked <= len(voters) - int(np.ceil(len(voters) * 2 / 3))
    return ink_runs((~blank).astype(np.uint8), min_gap=gap, min_run=3)


def _first_value_cut(profiles: list[np.ndarray], labels_end: int, ppi: float) -> tuple[int, int] | None:
    """The left edge of the first value column, mirroring the gap between the first two figure strips
    (the narrow strips at the right end, right of the last label cut), and where the strip before it
    ends: (end, edge). t3 carried
    onto a page with its sub-labels blank (`missing_sublabels`) has the group labels in few rows, and
    blank from there to 自然人's figures in the rest. When the figures' strip was the first, no cut fell
    left of it, and 自然人 shared a cell with the empty sub-label column (seed 701007, where (六)其他处理
    and (七)总计 took their first figures into their labels); when the group labels' strip was, the cut
    fell halfway across the blank, and the few sub-labels printed ran over it into 自然人's cell and took
    its figures (synth_743012 page 3: "row has 6 cells for 7 columns" in twelve rows)."""
    strips = _vote_strips(profiles, ppi)
    i = len(strips)
    while (
        i > 0 and strips[i - 1][0] > labels_end and strips[i - 1][1] - strips[i - 1][0] <= ppi * FIGURE_WIDTH
    ):
        i -= 1
    if i > len(strips) - 2:
        return None
    (a, b), (c, _d) = strips[i], strips[i + 1]
    cut = a - (c - b) // 2
    end = strips[i - 1][1] if i else 0
    # Mirrored into the strip before, the edge would cut through the labels a third of the rows print
    # there: figures printed at their cells' left (align=left) stand a padding right of their column's
    # edge, not half a gap, and labels filling their cells end just left of them. The cut voted in the
    # blank between the two strips is the edge then (Chromium, align=left: (三)不予公开's sub-labels ran
    # to 0.09 in of 自然人's figures, the mirrored cut fell 0.11 in inside them, and the sliver between it
    # and the voted cut made t3's rows 6 cells for 7 columns, synth_795004 page 4).
    if cut < end:
        return None
    return (end, cut) if cut > labels_end + ppi * COLUMN_GAP else None


def section_cuts(
    profiles: list[np.ndarray], ppi: float, whole: list[list[tuple[int, int]]] | None = None
) -> list[list[int] | None]:
    """Per row, the column cuts of its section. A table of sections under centred headings (t2:
    第二十条第（八）项 over 上一年项目数量 | 本年增/减, 第二十条第（六）项 over four columns) has
    other columns in each section; each votes on its own. None for a heading row. `whole`, per row, holds
    spans no cut of the row's section may run through (its figures): a section of two rows votes every
    blank of its one row of values, and a full-width amount leaves one after its point."""
    width = len(profiles[0]) if profiles else 0
    groups: list[list[int]] = [[]]
    joint: list[list[int]] = [[]]  # the sections a heading found at COLUMN_GAP starts
    for i, p in enumerate(profiles):
        if _centred_heading(p, width, ppi, COLUMN_GAP):
            joint.append([])
        if _centred_heading(p, width, ppi, HEADING_WORD_GAP):
            groups.append([])
        else:
            groups[-1].append(i)
            joint[-1].append(i)
    fallback = {i: group for group in joint for i in group}
    out: list[list[int] | None] = [None] * len(profiles)
    for group in groups:
        cuts = vote_cuts([profiles[i] for i in group], ppi) if group else []
        if not cuts and group:
            # Too few rows to vote a cut (行政 | 860.56 over 事业性收费 under a header of two lines, each
            # of two runs: no strip inked in two voters of three, seed 721031): the section votes with
            # the sections around it, as before a heading with full-width brackets started one.
            cuts = vote_cuts([profiles[i] for i in fallback[group[0]]], ppi)
        spans = [span for i in group for span in (whole[i] if whole else [])]
        cuts = [c for c in cuts if not any(a < c < b for a, b in spans)]
        for i in group:
            out[i] = cuts
    return out


# A centred heading's words may be this far apart (in): full-width brackets leave ~0.1 in blank each
# side in bold 黑体 11 pt (第二十條第（一）項, seed 711102), which COLUMN_GAP took for three cells, so
# the heading voted as a row of values and t2's left-aligned columns were cut wrong (10 fields lost).
# Such a heading votes no cut and starts a section of its own, as one found by COLUMN_GAP does: joined
# into one section, t2's sections of three values and of two shared their cuts, one ran through a
# three-value header (對外公開總數量) and one through procurement's amount (７３．９５萬 read `3本`, seed
# 610317; ８７０．５２ read 870, seed 615502, both 黑体 13 pt, rules=none). A section of two rows then
# votes a cut into a spaced full-width amount (３８８．６７万元, seed 711109), which `whole` keeps whole.
HEADING_WORD_GAP = 0.2


def _centred_heading(profile: np.ndarray, width: int, ppi: float, word_gap: float) -> bool:
    runs = ink_runs(profile, min_gap=int(ppi * word_gap), min_run=3)
    return len(runs) == 1 and runs[0][0] > 0.3 * width and runs[0][1] < 0.7 * width


def merge_section_gaps(
    parent: list[int], row: int, xs: list[int], cuts: list[int] | None, fixed: list[int], tol: float
) -> None:
    """Join the cells of `row` across every column boundary its section has no cut at (a boundary from
    another section), as a ruled grid joins cells across a missing rule. A cut of the section holds the
    one boundary nearest it: two sections' cuts at the end of their label columns may stand a little
    over `tol` apart and both be boundaries (t2's first section, its long label 其他对外管理服务事项,
    cut 0.12 in right of the procurement section's), and a cut within `tol` of both kept the sliver
    between them as a column of its own in its rows: the procurement count read from the empty sliver
    and the amount from the count's cell (synth_996042 page 2)."""
    if cuts is None:
        return
    nc = len(xs) - 1
    held = {
        min(range(1, nc), key=lambda k: abs(xs[k] - c))
        for c in cuts
        if nc > 1 and min(abs(xs[k] - c) for k in range(1, nc)) <= tol
    }
    for k in range(1, nc):
        x = xs[k]
        if k in held or any(abs(x - c) <= tol for c in fixed):
            continue
        parent[find_root(parent, row * nc + k)] = find_root(parent, row * nc + k - 1)


def _amounts(band: np.ndarray, ppi: float) -> list[tuple[int, int]]:
    """The spans of a row's amounts broken at their decimal point (as `bare_grid._across_points` joins
    them): a full-width point (３８８．６７万元) stands at the left of its em, a blank as wide as a column
    gap after it. Two runs closer than CLOSE_VALUE_GAP are one amount when the blank between them holds
    a point, or the first ends in one, after a figure (speck-sized ink on the figures' baseline)."""
    kept = _without_specks(band, ppi)
    runs = ink_runs(kept.max(axis=0), min_gap=int(ppi * COLUMN_GAP), min_run=3)
    out = []
    for (a0, b0), (a1, b1) in itertools.pairwise(runs):
        if a1 - b0 >= ppi * CLOSE_VALUE_GAP:
            continue
        dot = np.where(kept > 0, 0, band)[:, b0:a1]
        if point_after_figure(dot, kept[:, a0:b0], ppi):
            out.append((a0, b1))
            continue
        # The point the last glyph of the run before: what stands before it ends in a figure.
        glyphs = ink_runs(kept[:, a0:b0].max(axis=0), min_gap=1, min_run=1)
        if len(glyphs) >= 2:
            g0, g1 = glyphs[-1]
            dot = kept[:, a0 + g0 : a0 + g1]
            figure = kept[:, a0 : a0 + glyphs[-2][1]]
            if point_after_figure(dot, figure, ppi):
                out.append((a0, b1))
    return out


def _values_both_sides(profile: np.ndarray, x: int, ppi: float) -> bool:
    """Values, not a label's text, either side of x in the last row: short runs of ink (t4: 2 | 0 | 1).
    A wrapped label in the last row (t3 broken over a page after (二)部分公开（区分处理的，只计这一情形，
    …) has blank after a comma too; taken for a column there, it split the label (seed 701010)."""
    near, clear = int(ppi * 0.6), int(ppi * 0.04)
    if not (
        profile[max(0, x - near) : x - clear].any()
        and profile[x + clear : x + near].any()
        and not profile[x - clear : x + clear].any()
    ):
        return False
    runs = ink_runs(profile, min_gap=int(ppi * SPAN_GAP))
    left = [b - a for a, b in runs if b <= x]
    right = [b - a for a, b in runs if a >= x]
    return bool(left and right and left[-1] < near and right[0] < near)


def _merge_cuts(a: list[int], b: list[int], tol: float) -> list[int]:
    out: list[int] = []
    for x in sorted(a + b):
        if out and x - out[-1] <= tol:
            continue
        out.append(x)
    return out


def rule_rows_table(ink: np.ndarray, h_mask: np.ndarray, stack: list[Box], ppi: float) -> Grid | None:
    """Rows between the rules, columns from the rules' left ends and the body's blank strips. A cell
    whose lower rule does not reach across it continues down (a merged label, the vertical
    三、本年度办理结果); text that runs over a column boundary makes its cell span it."""
    lines = _rule_lines(stack, ppi)
    x0, x1 = min(r[0] for r in stack), max(r[2] for r in stack)
    ys = [y for y, _a, _b in lines]
    labels = _label_cuts(lines, x0, x1, ppi)
    # Left of the last label cut, a blank strip is a column only if the last row has values both sides
    # of it (t4's 行政复议 columns); else it is the white space of short labels. Specks are no values:
    # 2-px dots of scan noise beside two of t4's left-aligned zeros (seed 727013, 楷体 10 pt, 300 dpi) sat
    # in the blank where the cuts fell, so 0 0 0 read as one cell "000" and t4 lost three fields.
    last = _without_specks(ink[ys[-2] + 2 : max(ys[-2] + 3, ys[-1] - 2)], ppi).max(axis=0)
    # Specks vote for no column either: beside two of t4's zeros they made one strip of two columns
    # once the heading row over them no longer voted (seed 727013).
    profiles = [
        _without_specks(ink[a + 2 : max(a + 3, b - 2), x0:x1], ppi).max(axis=0)
        for a, b in itertools.pairwise(ys)
    ]
    whole = [_amounts(ink[a + 2 : max(a + 3, b - 2), x0:x1], ppi) for a, b in itertools.pairwise(ys)]
    sections = [None if c is None else [x + x0 for x in c] for c in section_cuts(profiles, ppi, whole)]
    voted = sorted({x for c in sections if c for x in c})
    values = [
        x
        for x in _merge_cuts(voted, [], ppi * 0.12)
        if not labels or x > labels[-1] or _values_both_sides(last, x, ppi)
    ]
    first = _first_value_cut(profiles, labels[-1] - x0, ppi) if labels else None
    if first is not None:  # the first value column's edge replaces a cut voted in the blank before it
        values = [x for x in values if not first[0] < x - x0 < first[1] + ppi * 0.12]
    fixed = [*labels, *([first[1] + x0] if first is not None else [])]
    cuts = _merge_cuts(fixed, values, ppi * 0.12)
    xs = [x0, *cuts, x1]
    if len(xs) < 3:
        return None
    edge = _value_edge(ink, xs, ys, ppi)
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))
    overhangs: dict[int, int] = {}
    # A label cut in the value columns is a boundary in every row (申请人情况's rule starts at their
    # left edge; t4's 行政诉讼). One left of them is where a merged label cell ends, and holds only in
    # the rows that cell takes (a rule around the row starts there): {k: does it hold, per row}.
    tol = ppi * 0.12
    held = {
        k: [_label_cut_here(lines, xs, r, k, tol) for r in range(nr)]
        for k in range(1, nc)
        if xs[k] < edge - tol and any(abs(xs[k] - x) <= tol for x in labels)
    }
    for r in range(nr):
        merge_section_gaps(parent, r, xs, sections[r], fixed, ppi * 0.12)
        band = ink[ys[r] + 2 : max(ys[r] + 3, ys[r + 1] - 2)]
        at_edge = labels and x0 < edge < x1
        if at_edge and figure_past_edge(band, xs, xs.index(edge), ppi):
            overhangs[r] = edge
        elif at_edge and (end := _overhang(band, xs, xs.index(edge), ppi)) is not None:
            overhangs[r] = end
        for c in spanned(band, xs, ppi):
            # Where a label cut holds, the printer drew the cell's border there, and text either side is
            # two cells' however close: Chromium pads cells by a pixel or two, and a group label
            # (（三）不予公開, its cell ending at the sub-rows' rules) ended 0.09 in left of its sub-label
            # 4.保護第三方; read as one run over the cut, it joined the group's eight sub-labels into one
            # cell and their rows lost their labels (synth_735104, page 2).
            if (r in overhangs and xs[c + 1] == edge) or (c + 1 in held and held[c + 1][r]):
                continue
            parent[find_root(parent, r * nc + c + 1)] = find_root(parent, r * nc + c)
        if r + 1 < nr:
            _y, a, b = lines[r + 1]
            for c in range(nc):
                covered = max(0, min(b, xs[c + 1]) - max(a, xs[c])) / max(1, xs[c + 1] - xs[c])
                if covered < 0.6:
                    parent[find_root(parent, (r + 1) * nc + c)] = find_root(parent, r * nc + c)
    for k, holds in held.items():
        for r in range(nr):
            if not holds[r]:
                parent[find_root(parent, r * nc + k)] = find_root(parent, r * nc + k - 1)
    cells = cells_from_groups(parent, nr, nc, xs, ys)
    for cell in cells:  # a label's line past the values' edge: that row's boundary moves right of it
        x_a, y_a, x_b, y_b = cell.box
        if cell.rowspan == 1 and cell.row in overhangs:
            if x_b == edge:
                cell.box = (x_a, y_a, overhangs[cell.row], y_b)
            elif x_a == edge:
                cell.box = (overhangs[cell.row], y_a, x_b, y_b)
    return Grid((x0, ys[0], x1, ys[-1]), xs, ys, cells)


def _value_edge(ink: np.ndarray, xs: list[int], ys: list[int], ppi: float) -> int:
    """The left edge of the value columns: of the columns at the right end whose lines of ink are short
    in a quarter of the rows or more (figures; t4's headings fill its narrow columns), the leftmost. A
    label column's lines run long in nearly every row. Under `header: two_rows` no rule starts at that edge; the last rule start is where the
    sub-labels begin."""
    pad = int(ppi * 0.03)
    edge = xs[-1]
    for c in range(len(xs) - 2, -1, -1):
        widths = []
        for a, b in itertools.pairwise(ys):
            cell = _without_specks(ink[a + 2 : max(a + 3, b - 2), xs[c] + pad : xs[c + 1] - pad], ppi)
            cols = np.flatnonzero(cell.max(axis=0))
            if len(cols):
                widths.append(int(cols[-1] - cols[0]) + 1)
        if widths and float(np.percentile(widths, 25)) >= ppi * VALUE_WIDTH:
            break
        edge = xs[c]
    return edge


def figure_past_edge(band: np.ndarray, xs: list[int], k: int, ppi: float) -> bool:
    """Is this row blank at the values' left edge xs[k], with one figure right of it in the first value
    column? Then the label's text that ends closer to the figure than a gap between two cells' text
    (SPAN_GAP) ends at the edge all the same: figures printed at their cells' left (align=left) stand a
    cell padding right of the edge, and a label that fills its cell ends a padding left of it. Chromium
    pads by ~0.045 in, so the two stood 0.09 in apart in every row whose label fills its cell; read as one
    run over the edge, the label took the row's first figure ((三)不予公开's and (六)其他处理's rows,
    "row has 6 cells for 7 columns", synth_795004). A label running on past the edge has ink at it."""
    clear = max(2, int(ppi * EDGE_CLEAR))
    x = xs[k]
    ink = _without_specks(band[:, xs[k - 1] : xs[k + 1]], ppi).max(axis=0)
    at = x - xs[k - 1]
    if ink[max(0, at - clear) : at + clear].any() or not ink[:at].any():
        return False
    runs = ink_runs(ink[at:], min_gap=int(ppi * SPAN_GAP), min_run=2)
    return len(runs) == 1 and runs[0][1] - runs[0][0] <= ppi * VALUE_WIDTH


# The blank (in) either side of the values' edge in a row whose label ends just left of a figure at its
# cell's left: half the two cells' paddings, less a pixel.
EDGE_CLEAR = 0.03


def _overhang(band: np.ndarray, xs: list[int], k: int, ppi: float) -> int | None:
    """Where this row's boundary at the values' left edge xs[k] belongs instead, when a label's line
    runs past it and stops short of the figures: voted halfway across the blank that most rows leave
    between labels and figures, the edge may fall inside the first line of a long label ((二)部分公开
    （区分处理的，只计这一情形，不计其 runs on towards 自然人, seed 690108). Spanning the edge, the
    label took the row's first figure into its cell. A line may also stop past the middle of the first
    value column when its figure stands at the column's right end (align=right, seed 727024: (二)部分公开
    （区分处理的，只计这一情形，不计 ran to 0.6 of 自然人's column, its 1 right of it; the row lost the
    figure, "row has 6 cells for 7 columns"): then one run of figure width must follow it, clear of it,
    and nothing else. None if no line stops there."""
    lo, hi = xs[k - 1], xs[k + 1]
    runs = ink_runs(_without_specks(band[:, lo:hi], ppi).max(axis=0), min_gap=int(ppi * SPAN_GAP), min_run=2)
    at, half = xs[k] - lo, (xs[k] + xs[k + 1]) // 2 - lo
    for i, (a, b) in enumerate(runs):
        if not a < at < b:
            continue
        rest = runs[i + 1 :]
        figure = len(rest) == 1 and rest[0][1] - rest[0][0] <= ppi * VALUE_WIDTH
        if b > half and not figure:
            return None
        after = rest[0][0] if rest else hi - lo
        return lo + (b + after) // 2 if after - b >= ppi * COLUMN_GAP else None
    return None


def _covers(line: tuple[int, int, int], a: int, b: int) -> bool:
    return max(0, min(line[2], b) - max(line[1], a)) / max(1, b - a) >= 0.6


def _label_cut_here(lines: list[tuple[int, int, int]], xs: list[int], r: int, k: int, tol: float) -> bool:
    """Does a column boundary taken from the rules' left ends (xs[k], a label cut) hold in row r? Only
    if a rule around the label cell left of it starts there: the rule over or under that cell, or one
    inside it when it runs down several rows (the vertical 三、本年度办理结果 ends where the rules under
    its sub-rows begin). A row ruled across the cut above and below is one label over it (一、本年新收
    政府信息公开申请数量 over the group and sub-label columns; the gap after 一、 is as wide as a column
    gap in large type, seed 690104)."""
    a, b = xs[k - 1], xs[k]
    r0, r1 = r, r
    while r0 > 0 and not _covers(lines[r0], a, b):
        r0 -= 1
    while r1 + 2 < len(lines) and not _covers(lines[r1 + 1], a, b):
        r1 += 1
    return any(abs(lines[i][1] - b) <= tol for i in range(r0, r1 + 2))


def spanned(band: np.ndarray, xs: list[int], ppi: float) -> list[int]:
    """Columns c whose boundary xs[c+1] a run of this row's text runs over. Specks of scan noise are
    no text: two 2-px dots astride the boundary between 自然人 and 商业企业 joined the row's first two
    values (seed 690103), one in the blank left of 1.信访举报投诉类申请 joined it to its group label
    (五)不予处理 (seed 701011)."""
    inside = _without_specks(band[:, xs[0] : xs[-1]], ppi)
    runs = ink_runs(inside.max(axis=0), min_gap=int(ppi * SPAN_GAP), min_run=2)
    out: list[int] = []
    for a, b in runs:
        first, last = column_of(xs, a + xs[0]), column_of(xs, b - 1 + xs[0])
        out += range(first, last)
    return out


def _without_specks(ink: np.ndarray, ppi: float) -> np.ndarray:
    n, labels, stats, _ = components((ink > 0).astype(np.uint8))
    small = [i for i in range(1, n) if max(stats[i][2], stats[i][3]) < ppi * SPECK_SIZE]
    if not small:
        return ink
    return np.where(np.isin(labels, small), 0, ink)
