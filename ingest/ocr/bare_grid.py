"""Tables printed with no rules at all: found and cut from their text alone.

A table line has three or more number-wide runs of ink separated by more paper than a column gap, or a
label with one number-wide run far to its right (prose and headings split at a comma into a few long
runs, never into short ones). A table is two such lines, or one under a header line, with the narrow
lines between them (wrapped labels, a vertical label's characters) and the header lines of two or more
runs above; a heading in larger type ends it. Columns are the blank strips the rows share (as for
horizontal-rule tables); a line with ink in the value columns starts a row, a line without continues the
row above. In the label columns a stack of single characters (三、本年度办理结果 one per line) is one
merged cell, as the merged cell of a ruled table reads.
"""

from __future__ import annotations

import itertools

import cv2
import numpy as np

from ingest.ocr.figures import CLOSE_VALUE_GAP, SPECK, point_after_figure
from ingest.ocr.geometry import Grid, cells_from_groups, components, cuts_between, find_root, ink_runs
from ingest.ocr.open_grid import COLUMN_GAP, column_of, merge_section_gaps, section_cuts, spanned
from ingest.ocr.read import looks_like_label, spaced_figure_width

Box = tuple[int, int, int, int]
Line = tuple[int, int, list[tuple[int, int]]]  # y0, y1, x runs

# Gap (in) between two table lines beyond which they are not one table.
MAX_ROW_GAP = 0.9
# A line between table rows holding one run wider than this share of the page's text is prose.
NARROW = 0.4
# A value column's runs are narrower than this (in): numbers; label columns hold long runs.
VALUE_RUN = 0.45
MIN_ANCHORS = 2
# A line of this many number-wide runs alone is a table's row of values (t4's fifteen).
CARRIED_VALUES = 10
# Figures of a row stand this share of their usual step from it at most (_split_merged_figure).
STEP_SPREAD = 0.1
# A blank (in) this wide or wider inside a run may part a label from a figure run into it, and the figure
# stands this close to its place (_split_merged_figure).
MERGED_GAP = 0.05
# ... and of this many, evenly spaced and number-shaped (_figures_only): t3's seven.
MIN_FIGURES = 5
# A label and a value this far apart (in) on one line are two columns.
LABEL_VALUE_GAP = 1.0
# A lone value that far from its label may be an amount up to this wide (in).
FAR_AMOUNT = 0.75
# Closer, down to this gap (in), when the value is one number no wider than CLOSE_VALUE_RUN (in):
# CLOSE_VALUE_GAP (ocr.figures).
CLOSE_VALUE_RUN = 0.35
# A character of a vertical label is at most this wide (in): 9–12 pt CJK glyphs are 0.13–0.17 in.
GLYPH = 0.22
# A band of ink this many times the page's median line height holds more than one line.
TALL_BAND = 1.4
# Lines closer than 0.03 in make one band; a band taller than a line is cut at blank rows this high (in)
# or higher into pieces at least CLOSE_LINE of the page's median band high (_close_lines).
LINE_GAP = 0.01
CLOSE_LINE = 0.6
# A heading stands at least this far (in) below the table line above it.
SET_APART = 0.2
# ... and farther than this many times the gap between a wrapped label's lines (the page's leading: at
# 28 pt spacing a label's next line stands 0.24–0.27 in under its first, a heading 0.4 in under a row).
LEADING_APART = 1.25
# The leading taken from a page is at most this (in): a 9 pt line at 28 pt spacing leaves 0.27 in.
MAX_LEADING = 0.3
# A heading over a table stands at least this far (in) above its first line.
HEADING_APART = 0.1
# A staggered header's last line (理决定数量 under 信息内容) stands up to this far (in) over its row.
STAGGER_APART = 0.35
# An enumerator (三、) stands this close (in) to the heading it starts, or closer.
ENUMERATOR_GAP = 0.15
# Ink this large (in) both ways is no character (a 22 pt title's glyph is 0.3 in): a seal's ring or star.
SEAL = 0.4
# Numbers of a column whose left (right) edges lie within ALIGNED (in) of one another, while their other
# edges and middles spread ALIGN_SHOWN (in) more, and at least twice as much, are set flush left (right).
ALIGNED = 0.05
ALIGN_SHOWN = 0.025
# Two numbers on one line of values stand at least this far (in) apart.
NUMBERS_APART = 0.15
# Figures are at most this share of the height of their label's Chinese characters (measured: 0.83–0.86
# at 200 dpi; header words in the value columns, 0.97–1.0).
FIGURE_HEIGHT = 0.93


def _lines(ink: np.ndarray, ppi: float, points: np.ndarray | None = None) -> list[Line]:
    """Text lines with their runs of ink. A band of ink taller than a line is split where the values
    right of its widest run (the row label) fall into separate lines: a label set off from its rows (a
    vertical 三、本年度办理结果, a group label centred on its sub-rows) joins the bands of two rows."""
    out: list[Line] = []
    gap = int(ppi * COLUMN_GAP)
    bands = ink_runs(ink.max(axis=1), min_gap=int(ppi * 0.03), min_run=int(ppi * 0.05))
    single = float(np.median([b - a for a, b in bands])) if bands else 0.0
    for y0, y1 in [line for band in bands for line in _close_lines(ink, band, single, ppi)]:
        pieces = _split_band(ink, y0, y1, single, ppi)
        by_values = len(pieces) > 1 and _by_values(ink, y0, y1, ppi)
        for a, b in pieces:
            runs = Runs(
                _split_merged_figure(ink[a:b], ink_runs(ink[a:b].max(axis=0), min_gap=gap, min_run=3), ppi)
            )
            if points is not None:
                runs = _across_points(ink[a:b], points[a:b], runs, ppi)
            if by_values:
                runs.band = (y0, y1)
            runs.close_value = _close_value(ink[a:b], runs, ppi)
            runs.amount_row = _amount_row(ink[a:b], runs, ppi)
            runs.far_amount = _far_amount(ink[a:b], runs, ppi)
            runs.figures_only = _figures_only(ink[a:b], runs, ppi)
            runs.stacked = _stacked_header(ink[a:b], runs, single, ppi)
            out.append((a, b, runs))
    for above, line, below in zip(out, out[1:], out[2:], strict=False):
        if isinstance(line[2], Runs):
            line[2].centred_values = _centred_values(ink, above, line, below, ppi)
    return out


def _split_merged_figure(band: np.ndarray, runs: list[tuple[int, int]], ppi: float) -> list[tuple[int, int]]:
    """The line's runs with the first figure of a row of values cut off the label it ran into. A narrow
    label column whose text fills its cell, and figures set at their cells' left (even column widths,
    楷体 10 pt: 認或重新 0, 0.085 in apart) leave less than a column gap between a label's last character
    and the row's first figure, and the two were one run: the first value column held no figure on any
    line of a page's part of t3, its values were read into the labels (synth_996021 page 3: 21 read
    211, the rows after it short of a value). The figures after it are evenly spaced (STEP_SPREAD), so
    the first one stands a step left of the second: a piece of the run right of a blank of MERGED_GAP or
    more, number-wide and number-shaped, shorter than the label's characters (FIGURE_HEIGHT), whose
    left, middle or right edge is within MERGED_GAP of that place (as the figures' alignment puts it) is
    that figure. Three figures or more after it."""
    k = len(runs)
    while k > 0 and runs[k - 1][1] - runs[k - 1][0] < ppi * VALUE_RUN:
        if not _number_shaped(band[:, runs[k - 1][0] : runs[k - 1][1]]):
            break
        if len(runs) - k >= 2:
            # Evenly spaced from the right: the merged run, number-wide and -shaped at times (行 0), is
            # a step and a label's piece away from the figure after it.
            usual = float(np.median([b[0] - a[0] for a, b in itertools.pairwise(runs[k:])]))
            if abs(runs[k][0] - runs[k - 1][0] - usual) > STEP_SPREAD * usual:
                break
        k -= 1
    figures = runs[k:]
    if k == 0 or len(figures) < 3:
        return runs
    steps = [b[0] - a[0] for a, b in itertools.pairwise(figures)]
    step = float(np.median(steps))
    first = figures[0]
    want = (first[0] - step, first[1] - step)
    a, b = runs[k - 1]
    if b <= (want[0] + want[1]) / 2:
        return runs  # the run ends short of where the figure goes: not merged with it
    tol = ppi * MERGED_GAP
    blanks = ink_runs(band[:, a:b].max(axis=0) == 0, min_run=max(2, int(tol)))
    for g0, g1 in reversed(blanks):
        piece = (a + g1, b)
        if piece[1] - piece[0] >= ppi * CLOSE_VALUE_RUN:
            break  # wider than a figure: no blank further left leaves one
        edges = (
            abs(piece[0] - want[0]),
            abs(piece[1] - want[1]),
            abs((piece[0] + piece[1]) - (want[0] + want[1])) / 2,
        )
        crop = band[:, piece[0] : piece[1]]
        # Shorter than the label's characters, as figures are: two characters side by side pass for a
        # number by their shape (5. | 屬於 in a wrapped label, its blank after the enumerator).
        if (
            min(edges) <= tol
            and _number_shaped(crop)
            and _height(crop) < FIGURE_HEIGHT * _height(band[:, a : a + g0])
        ):
            return [*runs[: k - 1], (a, a + g0), piece, *figures]
    return runs


def _across_points(band: np.ndarray, points: np.ndarray, runs: Runs, ppi: float) -> Runs:
    """The runs of a line with an amount broken at its decimal point joined again: a full-width point
    (７９６．０６万元) stands alone in a blank as wide as a column gap, and, a speck, it is not in the
    ink the runs are taken from. Two runs are joined when the blank between them, narrower than
    CLOSE_VALUE_GAP, holds a point (speck-sized ink on the figures' baseline) and the run before it
    ends in a figure (its last glyph spans the line's figure height, no wider than a digit). Broken,
    the amount's second half (０６万元) was a label-wide run, its row no table line, and t2's
    procurement row was lost."""
    if len(runs) < 2:
        return runs
    out = Runs([runs[0]])
    gaps: list[tuple[int, int]] = []
    for a, b in runs[1:]:
        a0, b0 = out[-1]
        dot = points[:, b0:a]
        if a - b0 < ppi * CLOSE_VALUE_GAP and point_after_figure(dot, band[:, a0:b0], ppi):
            out[-1] = (a0, b)
            gaps.append((b0, a))
        else:
            out.append((a, b))
    out.points = tuple(gaps)
    return out


def _close_lines(ink: np.ndarray, band: tuple[int, int], single: float, ppi: float) -> list[tuple[int, int]]:
    """A band of ink taller than a line cut at its blank rows into the lines it holds, when each is a
    line's height or more (CLOSE_LINE of the page's median band): small type at single spacing (黑体
    9 pt, Chromium) leaves 0.025 in between a wrapped label's lines, under the 0.03 in that parts two
    bands, and two or three of a narrow label's lines (2.申請人 / 逾期未按 / 收費通知) made one band. As
    tall as a heading in larger type and with no value in it, each such band ended the table (seed
    752108: t3's row carried onto a page at its 費用、行 … 0 0 0 lost, 98 fields in review). A heading's
    characters leave no blank row across its line; a character's own blank rows cut no piece a line
    high."""
    y0, y1 = band
    if y1 - y0 <= TALL_BAND * single:
        return [band]
    pieces = ink_runs(ink[y0:y1].max(axis=1), min_gap=max(2, int(ppi * LINE_GAP)), min_run=1)
    if len(pieces) < 2 or any(b - a < CLOSE_LINE * single for a, b in pieces):
        return [band]
    return [(y0 + a, y0 + b) for a, b in pieces]


def _stacked_header(band: np.ndarray, runs: list[tuple[int, int]], single: float, ppi: float) -> bool:
    """Is this band, taller than a line, a header whose cells' lines are staggered (本年处 / 理决定数量
    beside 信息内容 centred between them)? Two runs or more, one of them two lines or more (blank rows
    across it cut pieces a line high: CLOSE_LINE of the page's median band), which the run beside it
    bridges (else _close_lines had cut the band). A heading in larger type is one line: its characters
    leave no blank row across a run. Taken for one, the header of t2's one-row section ended the table
    above and started none, and the row (行政许可 … 0) was read as prose (synth_998045: 仿宋 14 pt)."""
    if len(runs) < 2 or band.shape[0] <= TALL_BAND * single:
        return False
    for a, b in runs:
        pieces = ink_runs(band[:, a:b].max(axis=1), min_gap=max(2, int(ppi * LINE_GAP)), min_run=1)
        if len(pieces) >= 2 and all(q - p >= CLOSE_LINE * single for p, q in pieces):
            return True
    return False


def _centred_values(ink: np.ndarray, above: Line, line: Line, below: Line, ppi: float) -> bool:
    """Is this line a row's values with no label, centred on its label's two lines above and below it
    (行政 / 14 … 1 / 事业性收费, 政府集中 / 4 … 527.83万 / 采购: t2's one-row sections at 28 pt spacing)?
    One to three runs, each narrower than FAR_AMOUNT and one of them number-shaped, all right of the
    label's lines by CLOSE_VALUE_GAP; the label's lines one run each, left-aligned within half a
    character, each closer than SET_APART to the values, which stand in their middle. With no label
    on its line, such a row was no table line (or one of no table), and the row was lost."""
    runs = line[2]
    if not 1 <= len(runs) <= 3 or len(above[2]) != 1 or len(below[2]) != 1:
        return False
    (a0, b0), (a1, b1) = above[2][0], below[2][0]
    if abs(a0 - a1) > ppi * GLYPH / 2 or max(b0 - a0, b1 - a1) < ppi * GLYPH:
        return False
    if runs[0][0] - max(b0, b1) < ppi * CLOSE_VALUE_GAP or any(b - a >= ppi * FAR_AMOUNT for a, b in runs):
        return False
    if line[0] - above[1] >= ppi * SET_APART or below[0] - line[1] >= ppi * SET_APART:
        return False
    if not any(_number_shaped(ink[line[0] : line[1], a:b]) for a, b in runs):
        return False
    up = (line[0] + line[1]) / 2 - (above[0] + above[1]) / 2
    down = (below[0] + below[1]) / 2 - (line[0] + line[1]) / 2
    height = float(np.median([ln[1] - ln[0] for ln in (above, line, below)]))
    return abs(up - down) <= max(ppi * 0.03, 0.4 * height)


class Runs(list[tuple[int, int]]):
    """A line's runs of ink, and whether they are a label with one number close to its right."""

    close_value = False
    amount_row = False
    band: tuple[int, int] | None = None  # the band this line was split from by its values (_split_band)
    centred_values = False  # a row's values alone, centred on its label's lines (_centred_values)
    far_amount = False
    figures_only = False  # a row of figures and nothing else, evenly spaced (_figures_only)
    stacked = False  # a header whose cells' lines are staggered, read as one band (_stacked_header)
    points: tuple[tuple[int, int], ...] = ()  # blanks joined across a decimal point (_across_points)


def _far_amount(band: np.ndarray, runs: list[tuple[int, int]], ppi: float) -> bool:
    """A label and one amount far to its right, wider than a count in large type (行政 … 860.56, 14 pt:
    0.45 in, seed 721031; taken for prose, the line was left out of t2 and the fee was lost): no wider
    than FAR_AMOUNT, number-shaped, and shorter than the label's Chinese characters (a header line,
    行政复议 … 行政诉讼, has words as tall as its first: taken for a row, it joined t4 to t3). A figure
    printed letter-spaced is measured closed up (read.spaced_figure_width): 14 pt figures spaced out
    (6 1 4 . 3 9) ran 0.8 in, the row passed for prose and the fee was lost (synth_998045)."""
    if len(runs) != 2 or runs[1][0] - runs[0][1] <= ppi * LABEL_VALUE_GAP:
        return False
    (a0, b0), (a1, b1) = runs
    crop = band[:, a1:b1]
    if b1 - a1 < ppi * VALUE_RUN:
        return False
    if b1 - a1 < ppi * FAR_AMOUNT:
        if not _number_shaped(crop):
            return False
    elif (spaced_figure_width(crop) or b1 - a1) >= ppi * FAR_AMOUNT:
        return False
    return _height(crop) < FIGURE_HEIGHT * _height(band[:, a0:b0])


def _height(crop: np.ndarray) -> int:
    rows = np.flatnonzero(crop.max(axis=1))
    return int(rows[-1] - rows[0]) + 1 if len(rows) else 0


def _amount_row(band: np.ndarray, runs: list[tuple[int, int]], ppi: float) -> bool:
    """A label, one number and an amount wider than a number, each CLOSE_VALUE_GAP or more from the one
    before: t2's last section (政府集中采购 | 5 | 2,545,800元). Alone under its section heading, the
    row was no table line and was left out of the table: the procurement row was not found. Prose has
    no such gaps (and no number standing alone in them)."""
    if len(runs) != 3:
        return False
    (_a0, b0), (a1, b1), (a2, b2) = runs
    return (
        b1 - a1 < ppi * VALUE_RUN <= b2 - a2
        and a1 - b0 >= ppi * CLOSE_VALUE_GAP
        and a2 - b1 >= ppi * CLOSE_VALUE_GAP
        and (_number_shaped(band[:, a1:b1]) or _digit_strokes(band[:, a1:b1]))
    )


def _close_value(band: np.ndarray, runs: list[tuple[int, int]], ppi: float) -> bool:
    """A label and one number nearer than LABEL_VALUE_GAP (t2's one-value sections with even column
    widths and left-aligned values: 行政许可 … 164, 0.65 in apart): the label at least VALUE_RUN wide,
    the number narrower than CLOSE_VALUE_RUN and number-shaped (or an amount, below), and CLOSE_VALUE_GAP or more from the label
    (running text has no such gap; a wrapped label line's pieces are both narrow, or both wide)."""
    if len(runs) != 2:
        return False
    (a0, b0), (a1, b1) = runs
    if b0 - a0 < ppi * VALUE_RUN or not ppi * CLOSE_VALUE_GAP <= a1 - b0 <= ppi * LABEL_VALUE_GAP:
        return False
    if b1 - a1 < ppi * CLOSE_VALUE_RUN:
        return _number_shaped(band[:, a1:b1]) or _digit_strokes(band[:, a1:b1])
    # An amount, wider than a count (行政事业性收费 … 631.74, 宋体 13 pt: 0.43 in, 0.49 in from its
    # label, seed 725009; taken for no table line, the fee was lost): number-shaped and shorter than the
    # label's Chinese characters, as _far_amount's (a header's words are as tall as its first).
    return (
        b1 - a1 < ppi * FAR_AMOUNT
        and _number_shaped(band[:, a1:b1])
        and _height(band[:, a1:b1]) < FIGURE_HEIGHT * _height(band[:, a0:b0])
    )


def _digit_strokes(crop: np.ndarray) -> bool:
    """Every piece of ink spans the line's height but at most one (a decimal point): digits, even two of
    them blurred into one piece (164 at 150 dpi, whose glyph shape passes for a character's). A Chinese
    character has short pieces (dots, a radical's strokes) beside its tall ones."""
    ys, _xs = np.nonzero(crop)
    if len(ys) < 6:
        return False
    h = int(ys.max()) - int(ys.min()) + 1
    n, _labels, stats, _ = components((crop > 0).astype(np.uint8))
    short = sum(1 for i in range(1, n) if stats[i, cv2.CC_STAT_HEIGHT] < 0.7 * h)
    return n > 1 and short <= 1


def _split_band(ink: np.ndarray, y0: int, y1: int, single: float, ppi: float) -> list[tuple[int, int]]:
    if y1 - y0 <= TALL_BAND * single:
        return [(y0, y1)]
    runs = ink_runs(ink[y0:y1].max(axis=0), min_gap=int(ppi * COLUMN_GAP), min_run=3)
    widest = max(runs, key=lambda r: r[1] - r[0])
    start = widest[1] if widest[1] - widest[0] >= ppi * VALUE_RUN else runs[0][0]
    if _by_values(ink, y0, y1, ppi):
        # No long label: a vertical label's characters and a group label in a narrow column
        # ((三) / 不予公 / 开) bridge the rows beside them (seed 736009: 14 pt, rows 0.2 in apart, nine rows
        # read as one). The rows are told apart by the last three columns, the values.
        start = runs[-3][0]
    sub = ink_runs(ink[y0:y1, start:].max(axis=1), min_gap=int(ppi * 0.03), min_run=int(ppi * 0.05))
    if len(sub) < 2:
        return [(y0, y1)]
    cuts = [y0, *[y0 + (a[1] + b[0]) // 2 for a, b in itertools.pairwise(sub)], y1]
    return list(itertools.pairwise(cuts))


def _by_values(ink: np.ndarray, y0: int, y1: int, ppi: float) -> bool:
    """Is a tall band split by its last three columns: six runs or more, none as wide as a label?"""
    runs = ink_runs(ink[y0:y1].max(axis=0), min_gap=int(ppi * COLUMN_GAP), min_run=3)
    return len(runs) >= 6 and max(b - a for a, b in runs) < ppi * VALUE_RUN


def _drop_specks(ink: np.ndarray, ppi: float) -> np.ndarray:
    """Noise specks (and full stops) would count as runs of a line: only ink at least SPECK in tall or
    wide is kept for finding the table's shape (cells are read from the page, not this mask). Nor a
    blob SEAL wide and tall: a seal's ring or star printed black (a bilevel scan) over t4 joined its
    header, its values and the paragraph under it into one band of ink, and t4 was lost (seeds 742009,
    762002)."""
    _n, labels, stats, _ = components(ink)
    size = ppi * SPECK
    keep = (stats[:, cv2.CC_STAT_WIDTH] >= size) | (stats[:, cv2.CC_STAT_HEIGHT] >= size)
    seal = ppi * SEAL
    keep &= (stats[:, cv2.CC_STAT_WIDTH] < seal) | (stats[:, cv2.CC_STAT_HEIGHT] < seal)
    keep[0] = False
    return np.where(keep[labels], ink, 0).astype(ink.dtype)


def _blocks(lines: list[Line], width: int, ppi: float) -> list[list[Line]]:
    """Runs of table lines: anchors (three or more runs), narrow lines between them, and header lines
    (two or more runs) just above the first anchor."""
    blocks: list[list[Line]] = []
    current: list[Line] = []
    pending: list[Line] = []
    # A band split by its values counts once, as the band: its pieces made the median line shorter,
    # and a section heading of t2 (第二十条第（五）项) passed for a heading in larger type.
    bands = {getattr(r, "band", None) or (y0, y1) for y0, y1, r in lines}
    tall = 1.3 * float(np.median([y1 - y0 for y0, y1 in bands])) if bands else 0.0
    apart = _apart(lines, ppi)
    for k, line in enumerate(lines):
        y0, y1, runs = line
        if (
            y1 - y0 > tall
            and not any(b - a < ppi * VALUE_RUN for a, b in runs)
            and not getattr(runs, "stacked", False)
        ):
            # A heading in larger type (四、政府信息公开行政复议…) ends a table and starts none.
            if _is_table(current, ppi):
                blocks.append(_with_tail(current, pending, ppi, apart))
            current, pending = [], []
            continue
        if (
            current
            and _set_apart(line, [*current, *pending], ppi, apart)
            and not _opens_centred_row(lines[k : k + 3], ppi)
        ):
            # Prose set apart from the rows above (三、收到和处理… between t2 and t3) ends the table.
            if _is_table(current, ppi):
                blocks.append(_with_tail(current, pending, ppi, apart))
            current, pending = [], [line] if len(runs) >= 2 else []
            continue
        if current and _heading_left_of(line, current, ppi, lines[k + 1] if k + 1 < len(lines) else None):
            # A heading standing out left of the table's labels (a browser centres a narrow table under
            # the page's headings) ends it, however close it follows the last row.
            if _is_table(current, ppi):
                blocks.append(_with_tail(current, pending, ppi, apart))
            current, pending = [], [line] if len(runs) >= 2 else []
            continue
        anchor = _is_anchor(runs, ppi)
        last = (pending or current)[-1] if (current or pending) else None
        close = last is not None and y0 - last[1] < ppi * MAX_ROW_GAP
        near_rows = bool(current) and (
            y0 - current[-1][1] < ppi * MAX_ROW_GAP or _label_lines(current[-1], pending, line, ppi, apart)
        )
        narrow = all(b - a < NARROW * width for a, b in runs)
        if anchor and near_rows:
            current += [*pending, line]
            pending = []
        elif anchor:
            if _is_table(current, ppi):
                done = _with_tail(current, pending, ppi, apart)
                blocks.append(done)
                pending = pending[len(done) - len(current) :]
            head = [ln for ln in pending if len(ln[2]) >= 2] if close else []
            if getattr(runs, "centred_values", False) and k and lines[k - 1] not in head:
                head.append(lines[k - 1])  # the first line of the values' label
            if not head:
                head = (
                    _staggered_header(lines, k, apart, ppi)
                    or _label_above(lines, k, apart, ppi)
                    or _label_over_values(lines, k, apart, ppi)
                )
            taken = {id(ln) for ln in blocks[-1]} if blocks else set()
            head = [ln for ln in head if id(ln) not in taken]  # none of the table above's tail
            current, pending = [*head, line], []
        elif current and close and narrow:
            pending.append(line)
        else:
            if _is_table(current, ppi):
                blocks.append(_with_tail(current, pending, ppi, apart))
            # Header lines (two runs or more) gather until an anchor takes them as its head.
            keep = [*current, *pending] if not current and close else []
            current = []
            pending = [*keep, line] if len(runs) >= 2 else []
    if _is_table(current, ppi):
        blocks.append(_with_tail(current, pending, ppi, apart))
    return blocks


def _with_tail(block: list[Line], pending: list[Line], ppi: float, apart: float) -> list[Line]:
    """The block with the narrow lines under its last row that continue that row's label (四、结转下年度继
    / 续办理): each closer than `apart` (_apart) to the line above, all left of the row's last three
    runs."""
    last = block[-1][2] if block else []
    if getattr(last, "centred_values", False):
        values = last[0][0]  # values alone on their line, its label's next line under it
    elif len(last) < 2:
        return block
    else:
        values = last[max(1, len(last) - 3)][0]
    tail: list[Line] = []
    for line in pending:
        if not line[2] or line[0] - (tail or block)[-1][1] >= apart:
            break
        if any(b > values for _a, b in line[2]):
            break
        tail.append(line)
    return [*block, *tail]


def _label_lines(row: Line, pending: list[Line], line: Line, ppi: float, apart: float) -> bool:
    """Are the lines between two table rows a label's wrapped lines, however many (a narrow sub-label
    column: 2.其他 / 法律行政 / 法规禁 / 止公开, farther apart than MAX_ROW_GAP)? Each follows the one
    above closer than `apart` (_apart), and all stand left of both rows' last three runs (values). The
    next row may be values alone, centred on its label's lines (_centred_values: 行政事業 / 0 / 性收费,
    t2's last section, 楷体 9 pt, synth_998062): left out, it was a table of one line, no table, and the
    fee was lost."""
    centred = bool(getattr(line[2], "centred_values", False))
    if not pending or len(row[2]) < 2 or not (len(line[2]) >= 2 or centred):
        return False
    chain = [row, *pending, line]
    gaps = [b[0] - a[1] for a, b in itertools.pairwise(chain)]
    wide = [g for g in gaps if g >= apart]
    # One gap may be wider, up to twice `apart`, where both rows' values line up: the boundary between
    # the two rows' labels, the cells' padding added to the leading (a browser's rows at 28 pt spacing:
    # 3.补正後申請 / 內容仍 / 不明確 0.35 in over (五) / 1.信訪, the page's leading 0.24 in; seed 797203:
    # the row carried onto the page was cut off the table and lost).
    if wide and (len(wide) > 1 or wide[0] >= 2 * apart or not _values_line_up(row[2], line[2], ppi)):
        return False
    # The values: the last three runs of each row (a sub-label beside its group label is narrow too).
    values = min(row[2][max(1, len(row[2]) - 3)][0], line[2][0 if centred else max(1, len(line[2]) - 3)][0])
    return all(b <= values for _y0, _y1, runs in pending for _a, b in runs)


def _values_line_up(row: list[tuple[int, int]], line: list[tuple[int, int]], ppi: float) -> bool:
    """Do two rows' last three runs (their values, three or more number-wide runs each) stand in the
    same columns: each pair's middles closer than a character?"""
    ends = [runs[-3:] for runs in (row, line)]
    if any(len(r) < 3 or any(b - a >= ppi * VALUE_RUN for a, b in r) for r in ends):
        return False
    return all(abs((a0 + b0) - (a1 + b1)) / 2 < ppi * GLYPH for (a0, b0), (a1, b1) in zip(*ends, strict=True))


def _set_apart(line: Line, above: list[Line], ppi: float, apart: float) -> bool:
    """A line of one or two long runs (no number) further below the line above than twice the table's
    own line spacing (and more than `apart`, _apart's): a heading, not a wrapped label. A heading's
    enumerator is part of its run: the blank after 三、 is as wide as a column gap, and taken for a short
    run of its own it kept 三、收到和处理政府信息公开申请情况 in the table above, t2's tail and t3 were
    one table, and t3's columns cut t2's rows (seeds 725005, 723017)."""
    y0, _y1, runs = line
    runs = _joined(runs, ppi * ENUMERATOR_GAP)
    if not runs or len(runs) > 2 or any(b - a < ppi * VALUE_RUN for a, b in runs):
        return False
    gaps = [b[0] - a[1] for a, b in itertools.pairwise(above)]
    spacing = float(np.median(gaps)) if gaps else 0.0
    # Rows of one line each stand a line's leading apart too (plus the cells' padding): at 28 pt spacing
    # a label's first line under such rows ((二)部分公开… over its centred values, seed 742002) is no
    # farther from the row above than the rows are from one another.
    rows = [
        b[0] - a[1] for a, b in itertools.pairwise(above) if _is_anchor(a[2], ppi) and _is_anchor(b[2], ppi)
    ]
    if rows:
        apart = max(apart, LEADING_APART * min(float(np.median(rows)), ppi * MAX_LEADING))
    return y0 - above[-1][1] > max(apart, 2 * spacing)


def _apart(lines: list[Line], ppi: float) -> float:
    """How far (px) under the line above a line stands set apart (a heading, not a label's next line):
    SET_APART, or LEADING_APART times the page's leading where that is wider. The leading is the median
    gap from a row of values to its label's next line: a line of one or two runs, no table line, the
    first starting at a label run of the row (within half a character) and the line ending before the
    row's values and no farther right than that label (a wrapped label's lines are as wide as its cell;
    a heading under the last row is wider than its label). At 28 pt line spacing a label's next line
    stands 0.24 in under its first, more than SET_APART: each was taken for a heading that ended the
    table, and a table carried onto a page lost its first rows (seed 742002: 1.申请人无正当理由… / 2.申请
    人逾期… read as no table)."""
    gaps = []
    half = ppi * GLYPH / 2
    for (_y0, y1, runs), (n0, _n1, nxt) in itertools.pairwise(lines):
        if not 1 <= len(nxt) <= 2 or len(runs) < 3 or _is_anchor(nxt, ppi) or n0 <= y1:
            continue
        values = runs[max(1, len(runs) - 3)][0]
        label_runs = _joined([(a, b) for a, b in runs if b <= values], ppi * ENUMERATOR_GAP)
        labels = [(a, b) for a, b in label_runs if b - a >= ppi * GLYPH]
        start, end = nxt[0][0], nxt[-1][1]
        if end <= values and any(abs(a - start) <= half and end <= b + 2 * half for a, b in labels):
            gaps.append(n0 - y1)
    if not gaps:
        return ppi * SET_APART
    return max(ppi * SET_APART, LEADING_APART * min(float(np.median(gaps)), ppi * MAX_LEADING))


def _heading_left_of(line: Line, rows: list[Line], ppi: float, below: Line | None = None) -> bool:
    """Is this line a heading that starts left of the table above: one or two long runs (its enumerator
    joined to its words, as _set_apart's), no table line, and more than a character (GLYPH) left of
    every line of a table with a label column (two lines whose first run is a label)? Chromium centres
    a narrow table and sets the next heading at the page's margin, 0.195 in under t3's last row, just
    closer than SET_APART: 四、政府信息公开行政复议、行政诉讼情况 joined t3 and t4 into one table, t4's
    header and values were cut by t3's columns (seed 736001: 10 t4 fields lost). A label's first run
    is its enumerator joined to its words, as the heading's: 四、结转下年度继续办理 (四、 0.13 in before
    its words) counted for no label, t3's tail on a page had one label line left (3.其他 is narrow), and
    the heading 0.17 in under it joined t4 to t3's table (synth_796010 page 3: t4 in review)."""
    runs = line[2]
    if not runs or _is_anchor(runs, ppi):
        return False
    joined = _enumerator_joined(runs, ppi)
    if len(joined) > 2 or any(b - a < ppi * VALUE_RUN for a, b in joined):
        return False
    firsts = [_joined(ln[2], ppi * ENUMERATOR_GAP)[0] for ln in rows if ln[2]]
    labelled = [(a, b) for a, b in firsts if b - a >= ppi * VALUE_RUN]
    if len(labelled) < 2:
        return False
    left = min(ln[2][0][0] for ln in rows if ln[2])
    if runs[0][0] >= left - ppi * GLYPH:
        return False
    # A group label's first line beside its first sub-label's ((六)其 | 2.申請人, even column widths): the
    # rows above, t3 carried onto a page, are sub-rows only and their labels start at the sub-label
    # column, so the group label column stands left of them. No run of the line reaches the values (a
    # heading runs on across them), and one of its runs starts where their labels do (within half a
    # character), or, the two set closer than a column gap and one run, the next line's does (他處理 |
    # 逾期未按; a heading is followed by prose or t4's header). Taken for a heading, it ended the table,
    # the group's label lines were lost and the rows under them read as a table of their own, the first
    # value column cut into the labels (synth_996021 page 3: 21 read 211).
    values = [ln[2][max(1, len(ln[2]) - 3)][0] for ln in rows if _is_anchor(ln[2], ppi)]
    if not values or runs[-1][1] > min(values):
        return True
    half = ppi * GLYPH / 2
    if any(abs(a - left) <= half for a, _b in runs[1:]):
        return False
    return not (
        below is not None
        and below[0] - line[1] < ppi * SET_APART
        and len(below[2]) >= 2
        and below[2][-1][1] <= min(values)
        and any(abs(a - left) <= half for a, _b in below[2][1:])
    )


def _enumerator_joined(runs: list[tuple[int, int]], ppi: float) -> list[tuple[int, int]]:
    """Runs closer than ENUMERATOR_GAP joined (_joined), and a lone glyph first (四 of 四、) joined to the
    run after it when the blank between them is at most ENUMERATOR_GAP and a glyph's width more: in
    small type the 、 is a speck and dropped (_drop_specks), its glyph's width left blank. Chromium's 仿宋
    11 pt, scanned at 150 dpi in colour, left 0.151 in after 四: the heading 四、政府信息公开行政复议、
    行政诉讼情况 had a short run, passed for no heading 0.19 in under t3's last row, t3's tail and t4 were
    one table, and a cut of t3's ran through t4's review.total (synth_996033 page 3)."""
    joined = _joined(runs, ppi * ENUMERATOR_GAP)
    if len(joined) >= 2:
        (a, b), (c, d) = joined[:2]
        if b - a <= ppi * GLYPH and c - b <= ppi * ENUMERATOR_GAP + (b - a):
            joined = [(a, d), *joined[2:]]
    return joined


def _opens_centred_row(lines: list[Line], ppi: float) -> bool:
    """Is the first of these lines the first line of a label whose row's values stand centred below it:
    a row of values next, its label's next line after it, the values midway between the two (a browser
    centres a cell's values on its wrapped label: 二、上年结转政府信息公 / 0 0 0 … / 开申请数量 at 28 pt
    line spacing)? Set apart from the row above by the cells' padding and the wide spacing, such a line
    passed for a heading and ended the table (seed 736006: t3 read as three tables)."""
    if len(lines) < 3:
        return False
    label, values, rest = lines
    if not _is_anchor(values[2], ppi) or _is_anchor(rest[2], ppi) or not rest[2]:
        return False
    # A label's first line ends left of its row's figures: the last lines of a wrapped header carried
    # over a page (织 | 构, the ends of 社会公益组织 and 科研机构 over t3's first row, header_repeat=no)
    # stand over the value columns, and taken for the first row's label they joined it: 织0 | 构0, and
    # t3's 新收 row was lost (synth_641902: 黑体 13 pt, rules=none, header=wrapped).
    past = [a for a, _b in values[2] if a > max(b for _a, b in rest[2])]
    if past and label[2][-1][1] > min(past):
        return False
    edge = max(b for _a, b in [*label[2], *rest[2]])
    right = [(a, b) for a, b in values[2] if a > edge]
    if getattr(values[2], "centred_values", False):
        pass  # found so, one or two values of a section's row (_centred_values)
    elif len(right) < 2 or any(b - a >= ppi * VALUE_RUN for a, b in right):
        return False
    if values[0] - label[1] >= ppi * SET_APART or rest[0] - values[1] >= ppi * SET_APART:
        return False
    above = (values[0] + values[1]) / 2 - (label[0] + label[1]) / 2
    below = (rest[0] + rest[1]) / 2 - (values[0] + values[1]) / 2
    # Within 0.4 of a line: figures are shorter than the label's characters and sit on their baseline
    # (seed 742008: 0.044 in off the middle of 一、本年新收政府信息公 / 开申请数量).
    height = float(np.median([ln[1] - ln[0] for ln in lines]))
    return abs(above - below) <= max(ppi * 0.03, 0.4 * height)


def _joined(runs: list[tuple[int, int]], gap: float) -> list[tuple[int, int]]:
    """Runs closer than `gap` joined into one."""
    out: list[tuple[int, int]] = []
    for a, b in runs:
        if out and a - out[-1][1] < gap:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _is_table(block: list[Line], ppi: float) -> bool:
    """Two table lines, or one under a header line of two runs or more (a table's last section alone at
    the top of a page: 信息内容 | 本年收费金额 over 行政事业性收费 | 423.11)."""
    anchors = sum(_is_anchor(ln[2], ppi) for ln in block)
    return (
        anchors >= MIN_ANCHORS
        or (anchors == 1 and len(block) >= 2 and len(block[0][2]) >= 2)
        or (anchors == 1 and len(block) >= 2 and any(getattr(ln[2], "centred_values", False) for ln in block))
        or (
            anchors == 1
            and _staggered(block[: next(i for i, ln in enumerate(block) if _is_anchor(ln[2], ppi))])
        )
        or (
            len(block) == 1
            and (
                _carried_values(block[0][2], ppi)
                or _carried_row(block[0][2], ppi)
                or bool(getattr(block[0][2], "figures_only", False))
            )
        )
    )


def _staggered_header(lines: list[Line], k: int, apart: float, ppi: float) -> list[Line]:
    """The header lines over the table line lines[k] when each cell of the header prints its own line
    (信息内容 between 本年处 and 理决定数量: at 28 pt spacing a one-line cell's text is centred between
    the two lines of the cell beside it): the lines above it, the first within `apart`, the others
    closer than HEADING_APART to the next, one or two runs each and no table line, at least two of
    them in different columns (_staggered). With one run a line none was taken for a header, and a
    one-row section of t2 under such a header was no table (seed 742006: 行政许可 … 177 lost). The first
    may stand up to STAGGER_APART over the line (seed 762004, 150 dpi: 0.28 in, the page's leading
    measured none)."""
    stack: list[Line] = []
    limit = max(apart, ppi * STAGGER_APART)
    for line in reversed(lines[:k]):
        below = (stack or [lines[k]])[-1]
        if not 1 <= len(line[2]) <= 2 or _is_anchor(line[2], ppi) or below[0] - line[1] >= limit:
            break
        stack.append(line)
        limit = ppi * HEADING_APART
    stack.reverse()
    return stack if _staggered(stack) else []


def _values_middle(ink: np.ndarray, line: Line, x: int) -> float:
    """The middle of a line's ink right of x (its values)."""
    rows = np.flatnonzero(ink[line[0] : line[1], x:].max(axis=1))
    return line[0] + (rows[0] + rows[-1] + 1) / 2 if len(rows) else (line[0] + line[1]) / 2


def _label_above(lines: list[Line], k: int, apart: float, ppi: float) -> list[Line]:
    """The lines above the table line lines[k] that are its label's first lines, its values centred on
    the label (a row carried onto a page whose label wraps over many lines of a narrow column: 2.申请 /
    人 / 逾期未 / … over 费用、 0 0 …, seed 742006): one run each, each within `apart` of the next and
    starting within half a character of the label's start, as long as its label's lines under the
    values reach down (no more lines above than below, but one)."""
    runs = lines[k][2]
    if not runs or runs[0][1] - runs[0][0] < ppi * GLYPH:
        return []
    start, half = runs[0][0], ppi * GLYPH / 2

    def label_line(line: Line, nxt: Line) -> bool:
        return (
            len(line[2]) == 1
            and not _is_anchor(line[2], ppi)
            and abs(line[2][0][0] - start) <= half
            and nxt[0] - line[1] < apart
        )

    below = 0
    while k + below + 1 < len(lines) and label_line(lines[k + below + 1], lines[k + below]):
        below += 1
    stack: list[Line] = []
    while (
        k - len(stack) > 0
        and len(stack) <= below
        and label_line(lines[k - len(stack) - 1], lines[k - len(stack)])
    ):
        stack.append(lines[k - len(stack) - 1])
    return stack[::-1] if stack and abs(len(stack) - below) <= 1 else []


def _label_over_values(lines: list[Line], k: int, apart: float, ppi: float) -> list[Line]:
    """The first lines of a label whose row's values, no label beside them, stand centred between its
    lines (_opens_centred_row), above the table line lines[k] that opens a table: a row carried onto a
    page (1.本机关不掌握相关政府信 / 0 0 … 1 1 / 息, 14 pt at 28 pt spacing, seed 752102). Left out, the
    label's first line was prose, the row's values were read as the row below's (the rest of its label,
    息, joined the next row's label) and unable_not_held was not found. The lines of one run above the
    values, starting within half a character of the one right above them, each within `apart` of the
    next, as many as the label's lines under the values (so many as centre them)."""
    if k < 1 or k + 1 >= len(lines) or not _opens_centred_row(lines[k - 1 : k + 2], ppi):
        return []
    edge = max(b for _a, b in [*lines[k - 1][2], *lines[k + 1][2]])
    if any(a < edge for a, _b in lines[k][2]):
        # A label's line beside the values (正、行政機關不 0 0 …, its first run a glyph): _label_above's,
        # whose lines above are no heading's (seed 752208: (六)其 left of them ended the table).
        return []
    start, half = lines[k - 1][2][0][0], ppi * GLYPH / 2

    def label_line(line: Line, nxt: Line) -> bool:
        runs = line[2]
        return (
            len(runs) == 1
            and not _is_anchor(runs, ppi)
            and abs(runs[0][0] - start) <= half
            and nxt[0] - line[1] < apart
        )

    below = 1
    while k + below + 1 < len(lines) and label_line(lines[k + below + 1], lines[k + below]):
        below += 1
    stack = [lines[k - 1]]
    while k - len(stack) > 0 and len(stack) < below and label_line(lines[k - len(stack) - 1], stack[-1]):
        stack.append(lines[k - len(stack) - 1])
    return stack[::-1]


def _label_start(block: list[Line], values: int, ppi: float) -> int:
    """The first line of the label whose values block[values] holds, the line above it one of its
    lines (_opens_centred_row): up the lines of one run starting where the label's line above the values
    does (within half a character), no more of them than the label's lines under the values, but one."""
    start, half = block[values - 1][2][0][0], ppi * GLYPH / 2

    def label_line(i: int) -> bool:
        runs = block[i][2]
        return len(runs) == 1 and not _is_anchor(runs, ppi) and abs(runs[0][0] - start) <= half

    below = 0
    while values + below + 1 < len(block) and label_line(values + below + 1):
        below += 1
    first = values - 1
    while first > 0 and values - first <= below and label_line(first - 1):
        first -= 1
    return first


def _staggered(lines: list[Line]) -> bool:
    """Two lines or more, two of them whose runs share no column (x span)."""
    spans = [(ln[2][0][0], ln[2][-1][1]) for ln in lines if ln[2]]
    return len(spans) >= 2 and any(
        b0 <= a1 or b1 <= a0 for (a0, b0), (a1, b1) in itertools.combinations(spans, 2)
    )


def _carried_row(runs: list[tuple[int, int]], ppi: float) -> bool:
    """A row of t3 alone, carried onto the next page above t4's heading (四、结转下年度继续办理 and its
    seven values, seed 742102): a label (a run VALUE_RUN wide or more) and five number-wide runs or more
    after it, nothing else but a glyph (三、) before it. Prose never breaks into so many short runs."""
    wide = [i for i, (a, b) in enumerate(runs) if b - a >= ppi * VALUE_RUN]
    if len(wide) != 1 or wide[0] > 1:
        return False
    values = runs[wide[0] + 1 :]
    return len(values) >= 5 and all(b - a < ppi * VALUE_RUN for a, b in values)


def _carried_values(runs: list[tuple[int, int]], ppi: float) -> bool:
    """A line of many figures and nothing else: t4's one row of fifteen values carried onto the next
    page without its header (seed 721027: 宋体 14 pt, t4's header last on page 3). Alone, it was no
    table, and t4 was not read (15 fields). Prose never breaks into this many number-wide runs."""
    return len(runs) >= CARRIED_VALUES and all(b - a < ppi * VALUE_RUN for a, b in runs)


def _figures_only(band: np.ndarray, runs: list[tuple[int, int]], ppi: float) -> bool:
    """A line of MIN_FIGURES figures or more and nothing else, evenly spaced (no step over 1.5 times the
    usual one), four in five of them number-shaped (a figure blurred at 200 dpi may not be): a row of
    values whose label is on another page or printed nowhere. Chromium prints a group's last sub-row
    before the header it repeats at a page's top, and a report that leaves its sub-labels blank prints
    that row as seven figures alone (synth_996025 page 4: (四)无法提供's third row). No table line
    under it within a row's gap, it was no table: t3 was one row short, its count unused, and every
    label-less row went to review (142 fields). Prose never breaks into so many number-wide runs."""
    if len(runs) < MIN_FIGURES or any(b - a >= ppi * VALUE_RUN for a, b in runs):
        return False
    steps = [b[0] - a[0] for a, b in itertools.pairwise(runs)]
    if max(steps) > 1.5 * float(np.median(steps)):
        return False
    numbers = sum(_number_shaped(band[:, a:b]) for a, b in runs)
    return 5 * numbers >= 4 * len(runs)


def _is_anchor(runs: list[tuple[int, int]], ppi: float) -> bool:
    """A table line: three or more runs number-wide (prose and headings break at a comma or 、 into a
    few long runs, never into short ones), or a label followed by number-wide runs only: two or more,
    or one far to its right (t2's two-column part: 行政处罚 … 1124)."""
    if len(runs) >= 2 and all(b - a < ppi * VALUE_RUN for a, b in runs[1:]):
        # A label and its values (行政事业性收费 | 8 | 0): one value only when it stands far off.
        return (
            len(runs) >= 3
            or runs[1][0] - runs[0][1] > ppi * LABEL_VALUE_GAP
            or bool(getattr(runs, "close_value", False))
        )
    if getattr(runs, "far_amount", False) or getattr(runs, "centred_values", False):
        return True
    return sum(b - a < ppi * VALUE_RUN for a, b in runs) >= 3 or bool(getattr(runs, "amount_row", False))


def _drop_heading(block: list[Line], ppi: float) -> list[Line]:
    """Header lines gathered above the first row stop at a heading (三、收到和处理…: a larger type
    than the table's)."""
    heights = [y1 - y0 for y0, y1, runs in block if _is_anchor(runs, ppi)]
    tall = 1.3 * float(np.median(heights))
    first = next(i for i, ln in enumerate(block) if _is_anchor(ln[2], ppi))
    cut = max((i + 1 for i in range(first) if block[i][1] - block[i][0] > tall), default=0)
    return block[cut:]


def bare_table(ink: np.ndarray, block: list[Line], ppi: float) -> Grid | None:
    block = _drop_heading(block, ppi)
    x0 = min(r[0] for ln in block for r in ln[2])
    x1 = max(r[1] for ln in block for r in ln[2])
    profiles = [ink[y0:y1, x0:x1].max(axis=0) for y0, y1, _r in block]
    for profile, (_y0, _y1, runs) in zip(profiles, block, strict=True):
        for a, b in getattr(runs, "points", []):
            profile[a - x0 : b - x0] = 1  # an amount's decimal point: no column gap (_across_points)
    for i in range(_set_apart_heading(block, ppi)):
        # A heading over the table (四、政府信息公开行政复议、行政诉讼情况, broken at its 、 into three
        # runs) votes no column: its text covered the gaps between t4's value columns.
        profiles[i] = np.zeros_like(profiles[i])
    _clip_header_overhang(block, profiles, x0, ppi)
    sections = _with_value_columns(ink, block, section_cuts(profiles, ppi), x0, ppi)
    sections = _with_close_values(block, sections, ppi)
    sections = _with_aligned_values(ink, block, sections, ppi)
    sections = _between_numbers(ink, block, sections, ppi)
    sections = _centred_value_cuts(block, sections)
    sections = _one_cut_between_values(ink, block, sections, ppi)
    sections = _lone_value_row_cuts(ink, block, sections, ppi)
    xs, snap = _columns_from_cuts(block, sections, x0, x1, ppi)
    if len(xs) < 3:
        return None
    first_value = _first_value_column(block, sections, xs, ppi)
    if first_value is None:
        return None
    numbers = _number_columns(ink, block, ppi)
    if first_value == 0 and len(numbers) >= 2:
        # No label column at all: a group label broken at its brackets ((一) | 予以公) and a vertical
        # label's characters are narrow runs too, and taken for values they made every wrapped label
        # line a row. The values start where the numbers line up, or where a row of values' figures
        # start, left of them: header words pass for numbers too (社会公 / 益组织 over a lone row of
        # figures set at their cells' left, synth_796011 page 2: the first three value columns were
        # taken for labels, their header glyphs joined down into the row of values).
        start = (numbers[0][0] + numbers[0][1]) // 2
        for line in block:
            figures = _row_figures(ink, line, ppi) if _has_numbers(ink, line, ppi) else []
            # A figure in each column from the first to the last: a label's words taken for figures
            # (synth_994312's t3, 3 of them before 7 figures) moved the values into the labels.
            if figures and len(figures) == len(xs) - 1 - column_of(xs, figures[0][0]):
                start = min(start, figures[0][0])
        first_value = column_of(xs, start)
    elif first_value == 0 and _label_in_first_column(block, xs, ppi):
        first_value = 1
    # Each header line above the first row of values is a row of its own: a heading merged into the
    # header cells below it (四、…情况 over 行政复议 | 行政诉讼) hides the header t4 is found by.
    head = next(i for i, ln in enumerate(block) if _is_anchor(ln[2], ppi))
    # The first row's label wrapped around its centred values (一、本年新收政府信息公 / 0 0 … / 开申请数量,
    # its header a table of its own above): the label's first line opens the row, no header line.
    first_opened = head > 0 and _opens_centred_row(block[head - 1 : head + 2], ppi)
    values_line = head
    if first_opened:
        head = _label_start(block, head, ppi)
    first_value = _past_wrapped_labels(ink, block, sections, xs, first_value, head, ppi)
    fixed: list[int] = []
    glyph_cut = _glyph_column_cut(ink, block[head + 1 :], xs, first_value, ppi)
    if glyph_cut is not None:
        xs = sorted([*xs, glyph_cut])
        first_value += 1
        fixed = [glyph_cut]
    valued = [i for i, ln in enumerate(block) if any(b > xs[first_value] for _a, b in ln[2])]
    starts = sorted({0, *range(head + 1), *valued})
    middles = {i: _values_middle(ink, block[i], xs[first_value]) for i in valued}
    opened = _centred_rows(block, valued, head, ppi, middles)
    opened.update(_centred_sub_rows(ink, block, valued, head, xs[first_value], ppi, middles, opened))
    if first_opened:
        opened[head] = values_line
    rows: list[tuple[int, int]] = []
    row_cuts: list[list[int] | None] = []
    of_values: list[bool] = []  # a row of values under the header (it holds a table line)
    for i, ((y0, y1, _runs), cuts) in enumerate(zip(block, sections, strict=True)):
        if i in opened.values() and i > head:
            # The line of values of a row opened by its label's first line above: in the row, though its
            # label's next line under it is merged into the next row's band (seed 742011: the row ended
            # above its values and the boundary cut through them).
            rows[-1] = (rows[-1][0], max(rows[-1][1], y1))
            of_values[-1] = True
            continue
        if i in opened:
            rows.append((y0, y1))
            row_cuts.append(sections[opened[i]])
            of_values.append(False)
        elif i in starts and not any(s < i <= v for s, v in opened.items()):
            rows.append((y0, y1))
            row_cuts.append(cuts)
            of_values.append(i > head and _figures_in(ink, block[i], xs[first_value], ppi))
        else:
            rows[-1] = (rows[-1][0], y1)
            of_values[-1] = of_values[-1] or (i > head and _figures_in(ink, block[i], xs[first_value], ppi))
    # Clamped to the page: a table whose first line touches the page edge (a deskewed scan) is kept.
    top, bottom = max(0, block[0][0] - 4), min(ink.shape[0], block[-1][1] + 4)
    ys = cuts_between(rows, top, bottom)
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))
    for r in range(nr):
        cuts = row_cuts[r]
        merge_section_gaps(parent, r, xs, None if cuts is None else [snap[c] for c in cuts], fixed, 1)
        band = ink[ys[r] : ys[r + 1]]
        for c in spanned(band, xs, ppi):
            if c + 1 == first_value and _number_apart(band, xs, first_value, ppi):
                continue
            parent[find_root(parent, r * nc + c + 1)] = find_root(parent, r * nc + c)
    grouped = _group_cells(ink, xs, ys, parent, first_value, of_values, ppi)
    for c in range(first_value):
        glyphs = []
        for r in range(nr):
            band = ink[ys[r] : ys[r + 1]]
            glyph = _single_glyph(band, xs, c, ppi)
            if glyph and (r, c + 1) not in grouped and _continues_right(band, xs, c):
                # An enumerator (一、) cut off the label it starts: one cell with it, in its own row.
                parent[find_root(parent, r * nc + c + 1)] = find_root(parent, r * nc + c)
                glyph = False
            glyphs.append(glyph)
        for r in range(nr - 1):
            if glyphs[r] and glyphs[r + 1]:
                parent[find_root(parent, (r + 1) * nc + c)] = find_root(parent, r * nc + c)
    return Grid((x0, top, x1, bottom), xs, ys, cells_from_groups(parent, nr, nc, xs, ys), bare=True)


def _clip_header_overhang(block: list[Line], profiles: list[np.ndarray], x0: int, ppi: float) -> None:
    """t2's one-row section (信息内容 | 本年处理决定数量 over 行政许可 | 155): its header word centred over
    the value cell stands right of the value, which is set flush left, and voted a column of its own
    (a header of three runs, 本年收费金额 | (单位：万元), voted alone): the value had no header over it
    and the section read as prose, or the value fell in the label column (seed 762007: 行政许可 and
    行政事业性收费 lost). In a block of one line of values, the other lines vote only with their ink
    up to a column gap past the values' right end (their own cell's header words stay whole when they
    overhang no more than that)."""
    anchors = [i for i, ln in enumerate(block) if _is_anchor(ln[2], ppi)]
    if len(anchors) != 1:
        return
    end = max(b for _a, b in block[anchors[0]][2]) - x0 + int(ppi * COLUMN_GAP)
    for i, p in enumerate(profiles):
        if i != anchors[0] and end < len(p):
            profiles[i] = np.concatenate([p[:end], np.zeros_like(p[end:])])


def _label_in_first_column(block: list[Line], xs: list[int], ppi: float) -> bool:
    """Does a line under the first table line hold a label (a run VALUE_RUN wide or more) within the
    first column? Then the first column is a label column, though no table line shows it: t2's last
    section alone, its label wrapped around its centred values (政府集中 / 0 … 0 / 采购) under a header
    that passes for a table line (采购 … 采购总), had no label column, each of its lines was a row, and
    the procurement row was not found (seed 742010)."""
    head = next((i for i, ln in enumerate(block) if _is_anchor(ln[2], ppi)), len(block))
    return any(
        b - a >= ppi * VALUE_RUN and b <= xs[1] for _y0, _y1, runs in block[head + 1 :] for a, b in runs
    )


def _glyph_column_cut(
    ink: np.ndarray, lines: list[Line], xs: list[int], first_value: int, ppi: float
) -> int | None:
    """A column boundary right of a vertical label's characters (三、本年度办理结果 one per line) that
    share the first label column with the group labels beside them: only a few rows hold them, too few
    to vote a column of their own (t3 carried onto a page at 28 pt spacing, seed 742002). In one cell
    with the group labels, 結 was read into (三)不予公 and the rows under a label-less group could not
    be told from the label's own. The boundary stands midway in the blank right of the characters, where
    at least three lines hold a character alone at the column's left, two of them with a label to its
    right, and no other line's ink (but a label starting at the column's left, as wide as two
    characters or more: 二、上年结转…, joined over the boundary as a spanning cell) falls in that blank."""
    x0, end = xs[0], xs[first_value]
    gap = int(ppi * COLUMN_GAP)
    glyph = ppi * GLYPH
    firsts = [ink_runs(ink[y0:y1, x0:end].max(axis=0), min_gap=gap, min_run=2) for y0, y1, _r in lines]
    glyphs = [runs for runs in firsts if runs and runs[0][0] < glyph and runs[0][1] - runs[0][0] <= glyph]
    if len(glyphs) < 3 or sum(len(runs) > 1 for runs in glyphs) < 2:
        return None
    right = max(runs[0][1] for runs in glyphs)
    after = []
    for runs in firsts:
        if runs and runs[0][0] < glyph and runs[0][1] - runs[0][0] > 2 * glyph:
            continue  # a label from the column's left edge, over both columns
        after += [a for a, _b in runs if a >= right]
        if any(a < right + gap < b for a, b in runs):
            return None
    if not after or min(after) - right < gap:
        return None
    cut = x0 + (right + min(after)) // 2
    if any(x0 + right <= x <= x0 + min(after) for x in xs[1:first_value]):
        return None  # the characters have their column already
    return cut


def _group_cells(
    ink: np.ndarray,
    xs: list[int],
    ys: list[int],
    parent: list[int],
    first_value: int,
    of_values: list[bool],
    ppi: float,
) -> set[tuple[int, int]]:
    """Group labels centred on sub-rows that print no label of their own ((三)不予 / 公开 beside eight
    rows of values, (四)无法 / 提供 beside three), each joined into one cell over its sub-rows as the
    group's merged cell of a ruled table reads; returns the (row, column) cells so joined. A row of
    values starts a row of a rule-less table, so such a label stood in its middle sub-rows, and where
    its lines fell between two rows of values the boundary midway cut through them: read in pieces
    (提供's halves read 十1大, a 7), a piece read as a figure made a stray column, and the rows around
    were left unconfirmed (seed 741010: 78 fields in review).

    Down a label column, the blank rows of values between two labels belong to one or the other: the
    rows above a label (down to the last row taken by the label above) are its own, and as many below
    as put the label in the middle of its rows. A label with none above it may be its own row's alone
    (a header, a label set at the top of its cell); one whose rows above cannot centre it leaves the
    rest undecided. Rows are joined only where the label has label-less sub-rows (no text right of
    the column either) both above and below it. Not where it fills its rows: the wrapped labels of
    rows of their own, set close (（二）部分公开… over （三）不予公 / 开 beside 1.属于国家秘密, seed 742001), touch
    across the boundaries between them just as one label's lines cut by them do, and were joined."""
    nc = len(xs) - 1
    tol = max(ppi * 0.03, 0.25 * float(np.median(np.diff(ys))))
    joined: set[tuple[int, int]] = set()

    def inked(r: int, c0: int, c1: int) -> bool:
        return bool(ink[ys[r] + 1 : ys[r + 1] - 1, xs[c0] + 1 : xs[c1] - 1].any())

    for c in range(first_value):
        labelled = [inked(r, c, first_value) for r in range(len(ys) - 1)]
        labels = _label_rows(ink, xs, ys, c)
        for r0, r1 in ink_runs(np.array(of_values)):
            blocks = [(max(s, r0), min(e, r1)) for s, e in labels if s < r1 and e > r0]
            lo = r0
            k = 0
            while k < len(blocks):
                s, e = blocks[k]
                if s < lo:
                    break  # the label above took this one's rows
                k += 1
                hi = blocks[k][0] if k < len(blocks) else r1
                span = _centred_span(ink, xs, ys, c, (s, e), lo, hi, tol)
                if span is None and lo < s and hi == e and k < len(blocks) and _one_label(ink, xs, ys, c, e):
                    # A wrapped label's lines set a row's pitch apart (28 pt spacing: (三)不予公 / 開,
                    # seed 742002) stand in rows of their own: centred on its rows as one label.
                    after = blocks[k + 1][0] if k + 1 < len(blocks) else r1
                    both = _centred_span(ink, xs, ys, c, (s, blocks[k][1]), lo, after, tol)
                    if both is not None:
                        span, e, hi = both, blocks[k][1], after
                        k += 1
                if span is None and lo < s:
                    break  # the rows above belong to no label for sure: nothing below is decided
                lo, end = span or (s, e)
                around = [*range(lo, s), *range(e, end)]
                if (
                    lo < s
                    and e < end
                    and not any(labelled[r] for r in around)
                    and _alone_in_column(parent, nc, c, range(lo, end))
                ):
                    for r in range(lo + 1, end):
                        parent[find_root(parent, r * nc + c)] = find_root(parent, lo * nc + c)
                    joined.update((r, c) for r in range(lo, end))
                lo = end
    return joined


def _one_label(ink: np.ndarray, xs: list[int], ys: list[int], c: int, r: int) -> bool:
    """Are the last line of column c above row r and the first line from row r on no further apart
    than a line at 28 pt spacing (twice a line's height), and left-aligned (a wrapped label's lines)?"""
    crop = ink[ys[0] : ys[-1], xs[c] + 1 : xs[c + 1] - 1]
    lines = ink_runs(crop.max(axis=1), min_gap=3, min_run=2)
    cut = ys[r] - ys[0]
    above = [ln for ln in lines if ln[1] <= cut]
    below = [ln for ln in lines if ln[0] >= cut]
    if not above or not below:
        return False
    (a0, a1), (b0, b1) = above[-1], below[0]
    height = max(a1 - a0, b1 - b0)
    left_a = int(np.flatnonzero(crop[a0:a1].max(axis=0))[0])
    left_b = int(np.flatnonzero(crop[b0:b1].max(axis=0))[0])
    return b0 - a1 <= 2 * height and abs(left_a - left_b) <= height


def _label_rows(ink: np.ndarray, xs: list[int], ys: list[int], c: int) -> list[tuple[int, int]]:
    """The rows (start, end) each label of column c stands in: its lines are closer together than
    0.4 of a line's height (a wrapped label's leading; two rows' labels are also the cells' padding
    apart), and labels in one row are one."""
    profile = ink[ys[0] : ys[-1], xs[c] + 1 : xs[c + 1] - 1].max(axis=1)
    lines = ink_runs(profile, min_gap=3, min_run=2)
    if not lines:
        return []
    height = float(np.median([b - a for a, b in lines]))
    out: list[tuple[int, int]] = []
    for a, b in ink_runs(profile, min_gap=max(3, int(0.4 * height) + 1), min_run=2):
        s = column_of(ys, ys[0] + a)
        e = column_of(ys, ys[0] + b - 1) + 1
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _centred_span(
    ink: np.ndarray,
    xs: list[int],
    ys: list[int],
    c: int,
    label: tuple[int, int],
    lo: int,
    hi: int,
    tol: float,
) -> tuple[int, int] | None:
    """The rows lo .. end (end ≤ hi) whose middle the label in rows `label` of column c stands in."""
    s, e = label
    lines = np.flatnonzero(ink[ys[s] : ys[e], xs[c] + 1 : xs[c + 1] - 1].max(axis=1))
    if not len(lines):
        return None
    middle = ys[s] + (int(lines[0]) + int(lines[-1])) / 2
    for end in range(e, hi + 1):
        if abs(middle - (ys[lo] + ys[end]) / 2) <= tol:
            return lo, end
    return None


def _alone_in_column(parent: list[int], nc: int, c: int, rows: range) -> bool:
    """Is each of these rows' cells in column c a cell of its own width (joined to no cell beside it)?"""
    return all(
        find_root(parent, r * nc + c) != find_root(parent, r * nc + k)
        for r in rows
        for k in (c - 1, c + 1)
        if 0 <= k < nc
    )


def _figures_in(ink: np.ndarray, line: Line, x: int, ppi: float) -> bool:
    """Does the line hold two number-shaped runs or more right of x (in the value columns)? A header's
    words there are square."""
    return sum(a >= x and _is_number(ink, line, (a, b), ppi) for a, b in line[2]) >= 2


def _centred_rows(
    block: list[Line], valued: list[int], head: int, ppi: float, middles: dict[int, float] | None = None
) -> dict[int, int]:
    """Rows whose values a browser centred on their wrapped label (1.屬於 / 國家祕 0 0 … / 密, or 一、本年新收
    政府信息公 / 0 1 0 … / 开申请数量 at 28 pt spacing): {the label's first line: the line of values}.
    In a rule-less table a line with values starts a row, so the label's lines above its values were
    read as the end of the row above. The lines with no value between two lines of values (or between
    the header and the first row) are parted where both say so: each goes to the line of values it is
    nearer, and the blank there is the widest between them (the cells' padding); and the row so opened
    must have its values in the middle of its lines. Values set at the top of their cell (LibreOffice's
    layout) leave no such row: the blank before the next row's values is the widest."""
    height = float(np.median([y1 - y0 for y0, y1, _r in block]))
    tol = max(ppi * 0.03, 0.4 * height)  # as _opens_centred_row's: figures sit low in their line

    def centre(i: int) -> float:
        # A line of values merged with a label's line beside it (one band): the values' own middle.
        return (middles or {}).get(i, (block[i][0] + block[i][1]) / 2)

    opened: dict[int, int] = {}
    for v in valued:
        if v < head:
            continue
        before = [i for i in valued if i < v]
        if not before:
            continue
        p = before[-1]
        between = list(range(p + 1, v))
        if not between:
            continue
        near = [centre(i) - centre(p) > centre(v) - centre(i) for i in between]
        k = near.index(True) if True in near else len(between)
        if not all(near[k:]) or k == len(between):
            continue
        chain = [p, *between, v]
        gaps = [block[b][0] - block[a][1] for a, b in itertools.pairwise(chain)]
        widest = max(range(len(gaps)), key=lambda g: gaps[g])
        if widest != k or sorted(gaps)[-2:-1] == [gaps[k]]:
            # The blanks do not tell (a group label's line, set off its rows, narrows one): the part
            # where the row above, opened by its label's first line, holds its values in the middle.
            s = next((f for f, w in opened.items() if w == p), None)
            if s is None or abs((block[s][0] + block[between[k - 1]][1]) / 2 - centre(p)) > tol:
                continue
        opened[between[k]] = v
    # Each row opened must hold its values midway between its first line and its last.
    changed = True
    while changed:
        changed = False
        firsts = sorted({*opened, *(v for v in valued if v not in opened.values())})
        for s, v in list(opened.items()):
            later = [f for f in firsts if f > v]
            last = later[0] - 1 if later else len(block) - 1
            if abs((block[s][0] + block[last][1]) / 2 - centre(v)) > tol:
                del opened[s]
                changed = True
                break
    return opened


def _label_extent(ink: np.ndarray, line: Line, start: int, end: int, ppi: float) -> tuple[int, int] | None:
    """The top and bottom of the line's ink in its runs that start within half a character of `start`
    and end before `end` (a label's lines in its cell: a group label or a vertical label's character
    beside them starts elsewhere), None when it has none."""
    y0, y1, runs = line
    half = ppi * GLYPH / 2
    rows = [
        np.flatnonzero(ink[y0:y1, a:b].max(axis=1)) for a, b in runs if abs(a - start) <= half and b <= end
    ]
    rows = [r for r in rows if len(r)]
    if not rows:
        return None
    return y0 + min(int(r[0]) for r in rows), y0 + max(int(r[-1]) for r in rows) + 1


def _centred_sub_rows(
    ink: np.ndarray,
    block: list[Line],
    valued: list[int],
    head: int,
    values_x: int,
    ppi: float,
    middles: dict[int, float],
    opened: dict[int, int],
) -> dict[int, int]:
    """Rows _centred_rows leaves unopened whose values are centred on their own label's lines:
    {the label's first line: the line of values}. The label's lines are the runs that start where its
    next line under the values starts (within half a character; a label's wrapped lines are aligned),
    left of the values (`values_x`); other ink is no line of it: a group label's line between two
    rows ((四)无法提 over 2.没有现成信息需要另行制 / 0 0 … / 作) or a vertical label's character beside the
    label's first line (果 beside 2.其他法律行政法规禁止公 / 0 0 … / 开) moved the row's first line up or
    its top, its values no longer stood in its middle, and the label's first line was read as the end
    of the row above: two rows' labels in one cell, a row lost (seed 752102, 14 pt at 28 pt spacing:
    denied_secret and unable_not_held, 63 fields unconfirmed). The same evidence as _centred_rows asks,
    on the label's lines only: between the two rows of values, the lines nearer the values below all
    come after those nearer the values above, the widest blank between them parts the two, and the
    values stand midway between the label's first line and its last (before the next row)."""
    height = float(np.median([y1 - y0 for y0, y1, _r in block]))
    tol = max(ppi * 0.03, 0.4 * height)
    taken = {*opened, *opened.values()}

    def centre(i: int) -> float:
        return middles.get(i, (block[i][0] + block[i][1]) / 2)

    def nearer(y: float, a: int, b: int) -> bool:
        """Is y nearer line b's values than line a's?"""
        return y - centre(a) > centre(b) - y

    out: dict[int, int] = {}
    for p, v in itertools.pairwise(valued):
        if v <= head or v in taken or any(p < s < v for s in opened) or v + 1 >= len(block):
            continue
        later = [i for i in valued if i > v]
        bound = min([*later, *(s for s in opened if s > v)], default=len(block))
        below = [(a, b) for a, b in block[v + 1][2] if b <= values_x]
        if v + 1 >= bound or not below:
            continue
        start = below[-1][0]  # the label's next line: its last run before the values
        extent = {
            i: e
            for i in range(p + 1, bound)
            if i != v and (e := _label_extent(ink, block[i], start, values_x, ppi))
        }
        mid = {i: (e[0] + e[1]) / 2 for i, e in extent.items()}
        between = [i for i in range(p + 1, v) if i in extent]
        # The label's lines under the values: nearer them than the next row's values (the next row's
        # label may start before its values).
        tail = [i for i in range(v + 1, bound) if i in extent and not (later and nearer(mid[i], v, later[0]))]
        if not between or not tail:
            continue
        near = [nearer(mid[i], p, v) for i in between]
        k = near.index(True) if True in near else len(between)
        if k == len(between) or not all(near[k:]):
            continue
        edges = [(block[p][0], block[p][1]), *(extent[i] for i in between), (block[v][0], block[v][1])]
        gaps = [b[0] - a[1] for a, b in itertools.pairwise(edges)]
        if max(gaps) != gaps[k] or sorted(gaps)[-2:-1] == [gaps[k]]:
            continue
        if abs((extent[between[k]][0] + extent[tail[-1]][1]) / 2 - centre(v)) > tol:
            continue
        out[between[k]] = v
    return out


def _columns_from_cuts(
    block: list[Line], sections: list[list[int] | None], x0: int, x1: int, ppi: float
) -> tuple[list[int], dict[int, int]]:
    """The table's column boundaries from every section's cuts (cuts closer than 0.12 in to the one
    before are one boundary: the first of them that runs through no text of the sections that voted
    them, else the first), and each cut's boundary. A section is matched to the
    boundaries by that map, not by distance: a cut 0.12 in right of the boundary it was joined to (t2's
    label cut at 441 px, another section's at 423 px, 150 dpi) passed for no cut, and the section's
    labels were joined to their first values (规章7)."""
    cuts = sorted({x for c in sections if c for x in c})
    xs = [x0, *cuts, x1]
    keep = [i == 0 or x - xs[i - 1] > ppi * 0.12 or i == len(xs) - 1 for i, x in enumerate(xs)]
    # Runs of close cuts, each made one boundary.
    groups: list[list[int]] = []
    for x, k in zip(xs, keep, strict=True):
        if k:
            groups.append([x])
        else:
            groups[-1].append(x)
    snap: dict[int, int] = {}
    kept: list[int] = []
    for i, group in enumerate(groups):
        x = group[0]
        if 0 < i < len(groups) - 1 and len(group) > 1:
            x = next((c for c in group if not _cuts_text(block, sections, c, group)), x)
        kept.append(x)
        snap.update(dict.fromkeys(group, x))
    return kept, snap


def _cuts_text(block: list[Line], sections: list[list[int] | None], x: int, group: list[int]) -> bool:
    """Would a boundary at x run through a run of text on a line of a section that voted one of the
    `group` of close cuts? t2's last row (行政强制 … 0, one section of two columns) votes its cut
    midway across its wide blank, which fell 13 px left of a t3 column's cut (seed 723017, right
    aligned values at 200 dpi): the first was taken, it ran through t3's figures and joined two value
    columns of every row (00)."""
    return any(
        a < x < b
        for (_y0, _y1, runs), cuts in zip(block, sections, strict=True)
        if cuts and any(c in group for c in cuts)
        for a, b in runs
    )


def _set_apart_heading(block: list[Line], ppi: float) -> int:
    """How many lines at the top of the block are a heading: one line of text (a run at least VALUE_RUN
    wide, three runs at most, no table line) standing further above the next line than HEADING_APART
    and 2.5 times the spacing of the lines below it (t4's heading at 150 dpi: 0.14 in over lines 0.04
    in apart)."""
    if len(block) < 3:
        return 0
    _y0, y1, runs = block[0]
    if _is_anchor(runs, ppi) or len(runs) > 3 or all(b - a < ppi * VALUE_RUN for a, b in runs):
        return 0
    gaps = [b[0] - a[1] for a, b in itertools.pairwise(block[1:])]
    spacing = float(np.median(gaps))
    return int(block[1][0] - y1 > max(ppi * HEADING_APART, 2.5 * spacing))


def _past_wrapped_labels(
    ink: np.ndarray,
    block: list[Line],
    sections: list[list[int] | None],
    xs: list[int],
    first: int,
    head: int,
    ppi: float,
) -> int:
    """The first value column moved right past columns that wrap: a value never takes a second line,
    a label does. Narrow label columns (even column widths, a label of three characters a line: 1.属于 /
    国家秘 / 密) hold runs as narrow as numbers, and taken for values every wrapped line of a label was a
    row of its own, its label cut off its values. A column whose text goes on, in two lines or more
    below the first row, with nothing right of it, is a label column: text running into it from the
    left, or narrow text in it that is no number; not a centred heading, nor a wide header title
    inside it (本年处理决定数量 over a one-value section)."""
    middle, width = (xs[0] + xs[-1]) / 2, xs[-1] - xs[0]
    while first < len(xs) - 2:
        wrapped = 0
        for (y0, y1, runs), cuts in zip(block[head + 1 :], sections[head + 1 :], strict=True):
            if not runs or cuts is None or _is_anchor(runs, ppi):
                continue
            a, b = runs[-1]
            if column_of(xs, b - 1) != first or (a >= xs[first] and b - a >= ppi * VALUE_RUN):
                continue  # ends elsewhere, or wide within the column: a header (本年处理决定数量)
            if abs((a + b) / 2 - middle) < 0.15 * width:
                continue  # a heading centred on the table (第二十条第（六）项)
            if not _number_shaped(ink[y0:y1, a:b]):  # a value set close to its label (行政处罚 1124)
                wrapped += 1
        if wrapped < 2:
            break
        first += 1
    return first


def _first_value_column(
    block: list[Line], sections: list[list[int] | None], xs: list[int], ppi: float
) -> int | None:
    """The first of the columns at the right whose runs (in the anchor lines) are all number-wide (a
    vertical label's column at the left is narrow too, but labels stand between it and the values).
    A centred section heading is no row: 第二十条第（五）项 breaks at its brackets into three runs, an
    anchor, and its wide 第二十条第 in the first value column outvoted t2's two rows of figures there
    (seed 721043: the column was taken for labels, and 规章's 2 over 行政规范性文件's 2 for a vertical
    label's characters, one cell: 4 t2 fields wrong). The amount of a row with a count and an amount
    (_amount_row: 政府集中采购 | 10 | 492.94万元) is a value however wide: with its unit it is wider than a
    number, and t2's last section alone at the top of a page had no value column (seed 742007). So is a
    lone amount beside its label (_far_amount, _close_value: 行政事业性收费 … 546.27, 宋体 12 pt: 0.48 in,
    synth_996025): t2's fee section alone under its header had no value column, and the fee was lost."""
    widths: dict[int, list[int]] = {}
    for (_y0, _y1, runs), cuts in zip(block, sections, strict=True):
        if cuts is None or not _is_anchor(runs, ppi):
            continue
        for a, b in runs[:-1] if _amount_last(runs) else runs:
            widths.setdefault(column_of(xs, (a + b) // 2), []).append(b - a)
    first = None
    for c in reversed(range(len(xs) - 1)):
        if c in widths and float(np.median(widths[c])) >= ppi * VALUE_RUN:
            break
        first = c
    return first


def _amount_last(runs: list[tuple[int, int]]) -> bool:
    """Does the line end in an amount found so, however wide: a count and an amount (_amount_row), or
    a label's one amount far off (_far_amount) or close (_close_value)?"""
    return any(getattr(runs, k, False) for k in ("amount_row", "far_amount", "close_value"))


def _single_glyph(band: np.ndarray, xs: list[int], c: int, ppi: float) -> bool:
    """Is this row's ink in column c one character standing alone (a vertical label's character),
    with nothing running into the next column?"""
    runs = ink_runs(band[:, xs[c] : xs[c + 1]].max(axis=0), min_gap=int(ppi * COLUMN_GAP), min_run=2)
    if len(runs) != 1 or runs[0][1] - runs[0][0] > ppi * GLYPH:
        return False
    clear = max(1, int(ppi * 0.02))
    if c > 0 and band[:, max(0, xs[c] - clear) : xs[c] + clear].any():
        return False  # the end of a label running over from the column on the left, not a glyph alone
    lines = ink_runs(band[:, xs[c] : xs[c + 1]].max(axis=1), min_gap=int(ppi * 0.03), min_run=2)
    return len(lines) <= 2 and runs[0][1] < xs[c + 1] - xs[c] - ppi * 0.05


def _continues_right(band: np.ndarray, xs: list[int], c: int) -> bool:
    """Does the text line of this row's glyph in column c go on to its right, closer than a character's
    height (一、 | 本年新收…: an enumerator that starts a label line, cut off at a column boundary)? A
    vertical label's character stands alone in its narrow column, its row's sub-label a column gap
    and the cells' padding away; a label's own next character follows within a character's width (the
    blank right of 、 in its em box is about half a character)."""
    cell = band[:, xs[c] : xs[c + 1]]
    cols = np.flatnonzero(cell.max(axis=0))
    rows = np.flatnonzero(cell.max(axis=1))
    if not len(cols):
        return False
    end = xs[c] + int(cols[-1]) + 1
    right = band[:, end:]
    # The text line (of the ink right of the glyph) that the glyph's ink stands in.
    for y0, y1 in ink_runs(band[:, xs[c] :].max(axis=1), min_gap=2, min_run=2):
        if y1 <= rows[0] or y0 > rows[-1]:
            continue
        ink_x = np.flatnonzero(right[y0:y1].max(axis=0))
        if len(ink_x) and ink_x[0] < y1 - y0:
            return True
    return False


def find_bare_tables(ink: np.ndarray, ppi: float, taken: list[Box]) -> list[Grid]:
    """Tables with no rules, outside the tables already found (`taken`)."""
    free = ink.copy()
    for x0, y0, x1, y1 in taken:
        free[max(0, y0 - 4) : y1 + 5, max(0, x0 - 4) : x1 + 5] = 0
    kept = _drop_specks(free, ppi)
    # The specks dropped: decimal points among them join an amount's two halves (_across_points).
    points = np.where(kept > 0, 0, free).astype(free.dtype)
    free = kept
    cols = np.flatnonzero(free.max(axis=0))
    if not len(cols):
        return []
    width = int(cols[-1] - cols[0])
    grids = []
    for block in _blocks(_lines(free, ppi, points), width, ppi):
        grid = bare_table(free, block, ppi)
        if grid is not None:
            grids.append(grid)
    return grids


def _with_value_columns(
    ink: np.ndarray, block: list[Line], sections: list[list[int] | None], x0: int, ppi: float
) -> list[list[int] | None]:
    """Each section's cuts in its value region replaced by the columns its numbers line up in. A blank
    strip voted down the rows misses the boundary between a label and a value set close to it (a
    left-aligned 自然人 column: 一、本年新收…数量 12) and, in a section of three lines, cuts through
    its header; numbers printed in one column overlap one another whatever their alignment, so the
    runs of numbers, grouped where they overlap, are the value columns. `sections` (one list shared by
    the lines of a section, None for a heading) are relative to x0; the result is in page px."""
    sections = [None if c is None else c for c in sections]
    groups: dict[int, list[int]] = {}
    for i, cuts in enumerate(sections):
        if cuts is not None:
            groups.setdefault(id(cuts), []).append(i)
    replaced: dict[int, list[int]] = {}
    for key, members in groups.items():
        columns = _number_columns(ink, [block[i] for i in members], ppi)
        if len(columns) < 2:
            continue
        cuts = [x + x0 for x in sections[members[0]] or []]
        left = columns[0][0]
        before = _ink_end_before([block[i] for i in members], left)
        if before is None:
            continue
        # A label ending close to the numbers (9 pt at 150 dpi) leaves no room for a midpoint: the cut
        # goes just left of the numbers, and replaces any cut voted in between.
        close = left - before <= ppi * 0.2
        if not close and any(before <= c <= left for c in cuts):
            continue  # the voted cut stands in the clear strip (and lines up with the other sections')
        first = left - int(ppi * 0.03) if close else (before + left) // 2
        replaced[key] = sorted({*[c for c in cuts if not before <= c <= left], first})
    # One list per section still (the later steps find a section's lines by it).
    for key, members in groups.items():
        replaced.setdefault(key, [x + x0 for x in sections[members[0]] or []])
    return [None if c is None else replaced[id(c)] for c in sections]


def _with_close_values(
    block: list[Line], sections: list[list[int] | None], ppi: float
) -> list[list[int] | None]:
    """A cut just before the numbers that stand close to their labels, one a line (t2's one-value
    sections: 行政许可 … 164): each section is a line or two, too few to vote a column, and its blank
    strips lie around the centred header (本年处理决定数量), right of the numbers. Taken only when two
    lines or more hold such a number and the numbers overlap one another (one column)."""
    close = [i for i, (_y0, _y1, runs) in enumerate(block) if getattr(runs, "close_value", False)]
    pairs = [(block[i][2][0][1], block[i][2][1]) for i in close]
    if len(pairs) < 2:
        return _with_lone_close_value(block, sections, close)
    left, right = min(a for _e, (a, _b) in pairs), max(b for _e, (_a, b) in pairs)
    if any(b <= left or a >= right for _e, (a, b) in pairs) or max(a for _e, (a, _b) in pairs) >= min(
        b for _e, (_a, b) in pairs
    ):
        return sections
    label_end = max(e for e, _run in pairs)
    cut = (label_end + left) // 2
    # Only the sections holding such a line (a section's lines share one list of cuts).
    mine = {id(sections[i]) for i in close if sections[i] is not None}
    done: dict[int, list[int]] = {}
    out: list[list[int] | None] = []
    for cuts in sections:
        if cuts is None or id(cuts) not in mine:
            out.append(cuts)
            continue
        if id(cuts) not in done:
            done[id(cuts)] = sorted({*(c for c in cuts if not label_end <= c <= right), cut})
        out.append(done[id(cuts)])
    return out


def _with_lone_close_value(
    block: list[Line], sections: list[list[int] | None], close: list[int]
) -> list[list[int] | None]:
    """A cut midway between the label and the number of the one line with a close value (_close_value),
    in its section, where the section has none there: t2's last section (信息内容 | 本年收费金额(单位：
    / 万元) over 行政事业性收费 … 0) alone in its table. The header's three runs outvote the row's two
    (_vote_strips), and its cuts fall between the header's words, right of a value set at its cell's
    left: the label and its value read as one cell (行政事业性收费0, synth_796010: t2.fees.amount
    lost)."""
    if len(close) != 1 or sections[close[0]] is None:
        return sections
    i = close[0]
    cuts = sections[i] or []
    (_a, label_end), (left, _b) = block[i][2][0], block[i][2][1]
    if any(label_end <= c <= left for c in cuts):
        return sections
    new = sorted({*cuts, (label_end + left) // 2})
    return [new if c is sections[i] else c for c in sections]


def _with_aligned_values(
    ink: np.ndarray, block: list[Line], sections: list[list[int] | None], ppi: float
) -> list[list[int] | None]:
    """One cut between two columns of numbers, placed by the way the numbers are aligned. Values set
    flush left (or right) in wide columns under centred headers leave two blank strips between two
    value columns (0 … 新制作数量 … 0): both were voted cuts, each column of values got an empty
    column beside it and the header its own, and whole sections of t2 went to review as rows with stray
    empty cells. Numbers of a column whose left edges line up while their right edges do not are flush
    left: the column starts just left of them; flush right, it ends just right of them; otherwise a
    single voted cut stays and two or none become one midway. Unchanged where a line of values has ink
    between two number columns (a column of amounts) or across the new cut."""
    values = [ln for ln in block if _labelled_values(ink, ln, ppi)]
    columns = _number_columns(ink, values, ppi)
    if len(columns) < 2:
        return sections
    align = _alignment(ink, values, columns, ppi)
    start, end = columns[0][0], columns[-1][1]
    # The lines whose labels and numbers the cuts must keep whole: every line of numbers with a label
    # (not only those VALUE_RUN wide: (二)部分公开… reaches close to its first number).
    # A wrapped label's next line (行政 | 2 over 事业性收费) is kept whole too.
    rows = [
        ln
        for ln in block
        if (_has_numbers(ink, ln, ppi) and ln[2][0][0] < start)
        or (ln[2] and all(b <= start for _a, b in ln[2]))
    ]
    replaced: dict[int, list[int]] = {}
    for cuts in sections:
        if cuts is None or id(cuts) in replaced:
            continue
        runs = [r for ln, c in zip(block, sections, strict=True) if c is cuts and ln in rows for r in ln[2]]
        # One boundary between the labels and the first numbers, the one nearest the labels: a flush
        # right first column's header (本年新制作数量) stands clear of both and voted a second.
        before = max((b for _a, b in runs if b <= start), default=start)
        first = [c for c in cuts if before <= c < start][:1]
        # A cut through a label too close to the first numbers to leave a label column (less than
        # VALUE_RUN; a vote where most labels are short, 其他对外管理服务事项 the longest) is none: it
        # cut that label off its end, and the labels voting it off their first values.
        labels = [c for c in cuts if c < before]
        while (
            first
            and labels
            and first[0] - labels[-1] < ppi * VALUE_RUN
            and any(a < labels[-1] < b for a, b in runs)
        ):
            labels.pop()
        new = labels + first
        for left, right in itertools.pairwise(columns):
            inside = [c for c in cuts if left[1] <= c <= right[0]]
            if align is None and len(inside) == 1:
                new += inside
            else:
                new.append(_cut_between(left, right, align, ppi))
        if align != "left":
            # Past the last column of numbers: flush-left values leave their header's right half there.
            new += [c for c in cuts if c > end]
        # The section's figures, shaped like numbers or not (a wide 仿宋 0 at 200 dpi passes for no
        # number, and its row for none of values): no cut runs through one.
        figures = [
            r
            for ln, c in zip(block, sections, strict=True)
            if c is cuts
            for r in _figure_runs(ink, ln, ppi) or _beside_figures(ink, ln, start, ppi)
        ]
        if (
            not runs
            or any(a < c < b for a, b in [*runs, *figures] for c in new if c >= before)
            or any(
                left[1] < a and b < right[0] for a, b in runs for left, right in itertools.pairwise(columns)
            )
        ):
            replaced[id(cuts)] = cuts
        else:
            replaced[id(cuts)] = sorted(set(new))
    return [None if c is None else replaced[id(c)] for c in sections]


def _figure_runs(ink: np.ndarray, line: Line, ppi: float) -> list[tuple[int, int]]:
    """The runs right of a row's label when every one of them is a figure by its strokes and height:
    number-wide, every piece spanning the line (_digit_strokes), shorter than the label's Chinese
    characters. Header words are as tall as the label (信息内容 | 采购项 | 采购总); a section heading
    broken at its brackets (第二十条第 | （一） | 项) has its bracket run, no figure."""
    runs = line[2]
    if not _is_anchor(runs, ppi) or runs[0][1] - runs[0][0] < ppi * VALUE_RUN:
        return []
    label = _ink_height(ink, line, runs[0])
    figures = [
        (a, b)
        for a, b in runs[1:]
        if b - a < ppi * VALUE_RUN
        and _digit_strokes(ink[line[0] : line[1], a:b])
        and _ink_height(ink, line, (a, b)) < FIGURE_HEIGHT * label
    ]
    return figures if len(figures) == len(runs) - 1 else []


def _beside_figures(ink: np.ndarray, line: Line, start: int, ppi: float) -> list[tuple[int, int]]:
    """The runs of a row of values from the first column of numbers (`start`) on, when a label stands
    left of them and one of them is a figure (_figure_runs' test): a row whose other value is wider than
    a number or has a unit (政府集中采购 | 8 | ８７０．５２ or ７３．９５萬), or whose label wraps narrow.
    Cuts placed by the number columns of other sections (three values where this one has two) ran
    through the amount, and it read as 870 and a stray cell (synth_615502, 黑体 13 pt, rules=none: a
    silent error)."""
    labels = [r for r in line[2] if r[1] <= start]
    values = [r for r in line[2] if r[0] >= start]
    if not labels or not values:
        return []
    label = max(_ink_height(ink, line, r) for r in labels)
    crop = ink[line[0] : line[1]]
    if any(
        b - a < ppi * VALUE_RUN
        and _digit_strokes(crop[:, a:b])
        and _ink_height(ink, line, (a, b)) < FIGURE_HEIGHT * label
        for a, b in values
    ):
        return values
    return []


def _cut_between(left: tuple[int, int], right: tuple[int, int], align: str | None, ppi: float) -> int:
    """The boundary between two value columns' numbers: just left of the right one's when flush left,
    just right of the left one's when flush right, else midway."""
    m = min(int(ppi * 0.03), (right[0] - left[1]) // 2)
    if align == "left":
        return right[0] - m
    if align == "right":
        return left[1] + m
    return (left[1] + right[0]) // 2


def _between_numbers(
    ink: np.ndarray, block: list[Line], sections: list[list[int] | None], ppi: float
) -> list[list[int] | None]:
    """A cut between every two numbers side by side on a line of values: two numbers are two cells.
    A header spanning several columns (未经复议直接起诉 over five of t4's) and a heading standing close
    above it (四、政府信息公开行政复议、行政诉讼情况, three runs, so a voter) inked the strip between two
    of t4's one-row values, no cut was voted there and the two read as one cell (00). The cut goes where
    the numbers' alignment puts it, as between value columns."""
    labelled = [ln for ln in block if _labelled_values(ink, ln, ppi)]
    align = _alignment(ink, labelled, _number_columns(ink, labelled, ppi), ppi)
    # t4's one line of values, the table's last, has no label: all its runs are numbers (bold header
    # words, 商业 | 科研, pass for numbers too, but stand above the values).
    last = block[-1]
    values = [*labelled]
    if last not in labelled and (numbers := _row_numbers(ink, last, ppi)) and numbers == list(last[2]):
        values.append(last)
    added: dict[int, set[int]] = {}
    for line, cuts in zip(block, sections, strict=True):
        # Only a labelled line can be header words in disguise; t4's label-less values keep their cuts
        # even where one of its figures runs over a cut voted from its header (seed 721102).
        if cuts is None or line not in values or (line in labelled and _crosses_cut(ink, line, cuts, ppi)):
            continue
        # The number-shaped runs, and the runs of their size (a round 0, _numbers).
        figures = {r for r in line[2] if _is_number(ink, line, r, ppi)} | set(_numbers(ink, line, ppi))
        for left, right in itertools.pairwise(line[2]):
            # And one between a row's label and its first figure: t2's 行政规范性文件 | 2 | 0 | 27 alone
            # at the top of a page votes with t3's header lines under it, whose ink fills the strip
            # after the label, and the 2 read in the label's cell (seed 721045).
            if not (right in figures and (left in figures or line in labelled)):
                continue
            if any(left[1] <= c <= right[0] for c in [*cuts, *added.get(id(cuts), ())]):
                continue
            added.setdefault(id(cuts), set()).add(_cut_between(left, right, align, ppi))
    done: dict[int, list[int]] = {}
    for cuts in sections:
        if cuts is not None and id(cuts) in added and id(cuts) not in done:
            done[id(cuts)] = sorted({*cuts, *added[id(cuts)]})
    return [None if c is None else done.get(id(c), c) for c in sections]


def _centred_value_cuts(block: list[Line], sections: list[list[int] | None]) -> list[list[int] | None]:
    """A cut between a row's label and its first value, and between each two of its values, on a line of
    values centred on its label's lines (_centred_values): the label is on the lines around it, so no
    line of the section held both and voted the boundary (行政 / 14 … 1 / 事业性收费 read 行政 14 事业性
    收费 in one cell), and a header's cut may run through an amount (527.83万). Cuts inside the values'
    runs are dropped from their section."""
    added: dict[int, tuple[list[int], set[int], set[int]]] = {}
    for i, ((_y0, _y1, runs), cuts) in enumerate(zip(block, sections, strict=True)):
        if cuts is None or not getattr(runs, "centred_values", False) or not 0 < i < len(block) - 1:
            continue
        ends = [b for _y, _z, around in (block[i - 1], block[i + 1]) for _a, b in around if b <= runs[0][0]]
        if not ends:
            continue
        _cuts, new, gone = added.setdefault(id(cuts), (cuts, set(), set()))
        for left, right in itertools.pairwise([(0, max(ends)), *runs]):
            if not any(left[1] <= c <= right[0] for c in cuts):
                new.add((left[1] + right[0]) // 2)
        gone.update(c for c in cuts for a, b in runs if a < c < b)
    done = {key: sorted({*cuts, *new} - gone) for key, (cuts, new, gone) in added.items()}
    return [None if c is None else done.get(id(c), c) for c in sections]


def _one_cut_between_values(
    ink: np.ndarray, block: list[Line], sections: list[list[int] | None], ppi: float
) -> list[list[int] | None]:
    """One column boundary between each two neighbouring values of t4's line of values (the block's
    last line, a value in every column: four in five runs number-shaped, all number-wide and evenly
    spaced, no blank cell between): the cuts its header's words voted there besides the one between
    the values split a column in two, its value in one half (seed 742108: 尚未 / 审结 over a flush-right
    0, a stray column and t4's values in review). The cut kept is the one whose distance from the left
    value is nearest the usual distance of the cuts standing alone between the line's other values.
    Not on other lines: a label split into narrow runs ((七) | 总计) passes for values."""
    if not block or sections[-1] is None:
        return sections
    runs = block[-1][2]
    cuts = sections[-1]
    # A figure blurred past number shape (a 4 at 150 dpi) leaves the line one of values.
    numbers = sum(_is_number(ink, block[-1], r, ppi) for r in runs)
    if len(runs) < 5 or 5 * numbers < 4 * len(runs) or any(b - a >= ppi * VALUE_RUN for a, b in runs):
        return sections
    steps = [b[0] - a[0] for a, b in itertools.pairwise(runs)]
    step = float(np.median(steps))
    if any(s > 1.5 * step for s in steps):
        return sections
    inside = [[c for c in cuts if a[1] <= c <= b[0]] for a, b in itertools.pairwise(runs)]
    alone = [c[0] - a[1] for c, (a, _b) in zip(inside, itertools.pairwise(runs), strict=True) if len(c) == 1]
    if not alone:
        return sections
    usual = float(np.median(alone))
    gone: set[int] = set()
    moved: dict[int, int] = {}
    heading = _set_apart_heading(block, ppi)  # votes no column (bare_table)
    words = [r for _y0, _y1, rs in block[heading:-1] for r in rs if r[1] - r[0] < step]
    for between, (a, b) in zip(inside, itertools.pairwise(runs), strict=True):
        if len(between) >= 2:
            keep = min(between, key=lambda c: abs(c - a[1] - usual))
            gone.update(c for c in between if c != keep)
            between = [keep]
        if len(between) == 1:
            free = _free_strip(between[0], (a[1], b[0]), words, ppi)
            if free is not None:
                moved[between[0]] = free
    if not gone and not moved:
        return sections
    kept = [moved.get(c, c) for c in cuts if c not in gone]
    return [None if c is None else kept if c is cuts else c for c in sections]


# A figure's blank to the next one is at most this many times the figures' usual blank.
FIGURE_GAP_SPREAD = 2.5


def _row_figures(ink: np.ndarray, line: Line, ppi: float) -> list[tuple[int, int]]:
    """A line's figures: its runs from the right as long as each is a number (_is_number) and stands no
    further from the next than the figures do (FIGURE_GAP_SPREAD), three or more of them; none if fewer.
    Label words pass for numbers at times ((一)公开 | 予以公 beside 2 0 0 0 2, seed 620087): taken for
    figures 3.3 times the figures' blank away, they moved the first value column into the labels, and
    each wrapped label line became a row."""
    runs = line[2]
    k = len(runs)
    while k > 0 and _is_number(ink, line, runs[k - 1], ppi):
        if len(runs) - k >= 2:
            blanks = [b[0] - a[1] for a, b in itertools.pairwise(runs[k:])]
            if runs[k][0] - runs[k - 1][1] > FIGURE_GAP_SPREAD * float(np.median(blanks)):
                break
        k -= 1
    return list(runs[k:]) if len(runs) - k >= 3 else []


def _lone_value_row_cuts(
    ink: np.ndarray, block: list[Line], sections: list[list[int] | None], ppi: float
) -> list[list[int] | None]:
    """The value cuts of a section whose one line of values has a label (on its line, or on its lines
    above and below, the values centred on them): a cut between the label and the first figure and one
    between each two figures, and no other from the first figure to the last. One row of figures is
    one voter against the header's lines: t3's header words (商业企 / 业 over 科研机 / 构 …, centred in
    their cells) outvoted the figures set at their cells' left, the cuts fell between the header words,
    and the row at a page's foot (一、本年新收政府信息公开 / 0 1 0 0 4 3 7 / 申请数量) read its first
    figure into the label and had stray empty columns (synth_796011 page 2). Each cut goes in the widest
    strip between the two that no other line's word crosses (a header word stays whole), else midway.
    A label-less line of values (t4's) is _one_cut_between_values'."""
    by_section: dict[int, list[int]] = {}
    for i, cuts in enumerate(sections):
        if cuts is not None:
            by_section.setdefault(id(cuts), []).append(i)
    done: dict[int, list[int]] = {}
    for members in by_section.values():
        values = [i for i in members if _has_numbers(ink, block[i], ppi)]
        if len(values) != 1:
            continue
        i = values[0]
        runs = block[i][2]
        figures = _row_figures(ink, block[i], ppi)
        if not figures:
            continue
        k = len(runs) - len(figures)
        start = figures[0][0]
        if k:
            ends = [b for _a, b in runs[:k]]
        elif 0 < i < len(block) - 1 and _opens_centred_row(block[i - 1 : i + 2], ppi):
            ends = [b for _y, _z, around in (block[i - 1], block[i + 1]) for _a, b in around if b <= start]
        else:
            continue
        if not ends:
            continue
        label_end = max(ends)
        # A group heading over several columns (法人或其他组织) is crossed by their cuts whatever they do.
        step = float(np.median([b[0] - a[0] for a, b in itertools.pairwise(figures)]))
        words = [r for j in members if j != i for r in block[j][2] if r[1] - r[0] < step]
        cuts = sections[i] or []
        new = [c for c in cuts if c < label_end or c > figures[-1][1]]
        for left, right in itertools.pairwise([(0, label_end), *figures]):
            free = _free_strip(-1, (left[1], right[0]), words, ppi, always=True)
            new.append(free if free is not None else (left[1] + right[0]) // 2)
        done[id(sections[i])] = sorted(set(new))
    return [None if c is None else done.get(id(c), c) for c in sections]


def _free_strip(
    cut: int, gap: tuple[int, int], words: list[tuple[int, int]], ppi: float, always: bool = False
) -> int | None:
    """The middle of the widest strip of the gap between two values that no header word above crosses,
    where the cut voted there runs through a header word (Chromium sets t4's two-line header words
    centred in cells whose values stand flush right: the blank the header rows share with the values is
    narrow, the cut voted midway between two values crossed 结果 / 纠正 and merged its cell with its
    neighbours', and the header row read as a stray column; seeds 742001, 742012). None if the cut
    crosses no word (unless `always`) or no strip of COLUMN_GAP / 2 stays free."""
    lo, hi = gap
    inside = [(max(lo, a), min(hi, b)) for a, b in words if a < hi and b > lo]
    if not always and not any(a < cut < b for a, b in inside):
        return None
    taken = np.zeros(hi - lo, dtype=np.uint8)
    for a, b in inside:
        taken[a - lo : b - lo] = 1
    strips = ink_runs(1 - taken, min_run=max(1, int(ppi * COLUMN_GAP / 2)))
    if not strips:
        return None
    a, b = max(strips, key=lambda s: s[1] - s[0])
    return lo + (a + b) // 2


def _crosses_cut(ink: np.ndarray, line: Line, cuts: list[int], ppi: float) -> bool:
    """Does a number-shaped run of this line run over one of its section's cuts? A figure stays inside
    its column; a header word centred over flush-left values does not: t3's 商业企 | 科研机 | 社会公
    (bold 宋体 at 200 dpi) pass for numbers, and beside the wide 第三项加第四项之和) for a row of
    values, and a cut between each two of them split every value column in two (seed 721042: 44 t3
    fields in review)."""
    return any(a < c < b for a, b in line[2] if _is_number(ink, line, (a, b), ppi) for c in cuts)


def _labelled_values(ink: np.ndarray, line: Line, ppi: float) -> bool:
    """A row of values beside its label: a run at least VALUE_RUN wide left of its numbers (_row_numbers).
    Header lines have none: bold 商业 | 科研 | 社会 at 300 dpi pass for numbers by their shape."""
    numbers = _row_numbers(ink, line, ppi)
    if not numbers:
        return False
    return any(b - a >= ppi * VALUE_RUN for a, b in line[2] if b <= numbers[0][0])


def _ink_height(ink: np.ndarray, line: Line, run: tuple[int, int]) -> int:
    return _height(ink[line[0] : line[1], run[0] : run[1]])


def _has_numbers(ink: np.ndarray, line: Line, ppi: float) -> bool:
    """Is this line a line of values (_row_numbers)?"""
    return bool(_row_numbers(ink, line, ppi))


def _row_numbers(ink: np.ndarray, line: Line, ppi: float) -> list[tuple[int, int]]:
    """The numbers of a line of values, none when it is no such line: two number-shaped runs or more
    (_numbers), each NUMBERS_APART or more from the next (a heading's bracketed enumerator and the
    character after it, （一） 项, are number-shaped too, but close together)."""
    numbers = _numbers(ink, line, ppi)
    if (
        len(numbers) >= 2
        and all(b[0] - a[1] >= ppi * NUMBERS_APART for a, b in itertools.pairwise(numbers))
        and _shorter_than_words(ink, line, numbers)
    ):
        return numbers
    return []


def _numbers(ink: np.ndarray, line: Line, ppi: float) -> list[tuple[int, int]]:
    """The line's numbers: its runs number-shaped (_is_number) with a digit's strokes (_digit_strokes),
    and the runs of their size beside them that have a digit's strokes too (as tall as their median
    within FIGURE_SIZE of it, no wider than FIGURE_WIDEST times the widest). 仿宋's round 0 in a 1-bit
    scan is 0.82 as wide as tall, square enough to pass for a Chinese character (SQUARE_GLYPH): t4's line
    of values was no line of numbers, no cut went between review.total 2 and suit_direct.upheld 0 (their
    header words on other lines: 总计 centred on three, 结果 / 维持 lower), and they read as one cell
    "20", every value after it a column to the left; t2's 政府集中采购 0 0 was no row of values, and its
    two zeros read as one cell "00" (synth_996040, 仿宋 12 pt, 200 dpi). A Chinese character is taller
    than the figures beside it (FIGURE_HEIGHT), or has short strokes."""
    crop = ink[line[0] : line[1]]
    strict = [r for r in line[2] if _is_number(ink, line, r, ppi) and _digit_strokes(crop[:, r[0] : r[1]])]
    if not strict:
        return []
    height = float(np.median([_ink_height(ink, line, r) for r in strict]))
    widest = max(b - a for a, b in strict)
    return [
        (a, b)
        for a, b in line[2]
        if (a, b) in strict
        or (
            b - a < ppi * VALUE_RUN
            and b - a <= FIGURE_WIDEST * widest
            and abs(_ink_height(ink, line, (a, b)) - height) <= max(1.0, FIGURE_SIZE * height)
            and _digit_strokes(crop[:, a:b])
        )
    ]


# A run is a figure's size when as tall as the line's figures within this share, and no wider than
# FIGURE_WIDEST times the widest of them.
FIGURE_SIZE = 0.05
FIGURE_WIDEST = 1.15


def _shorter_than_words(ink: np.ndarray, line: Line, numbers: list[tuple[int, int]]) -> bool:
    """Are the numbers shorter than the line's other text (its label's Chinese characters)? Figures
    are; header words are as tall. Bold 本年增 | 处理 (14 pt, 200 dpi) pass for numbers by their shape,
    and beside 信息内容 for a row of values: the value columns were taken from the header's words, and
    each t2 column was cut in two (seed 721032). A line of numbers alone (t4's values) has no words."""
    words = [r for r in line[2] if r not in numbers]
    if not words:
        return True
    tallest = max(_ink_height(ink, line, r) for r in words)
    return float(np.median([_ink_height(ink, line, r) for r in numbers])) < FIGURE_HEIGHT * tallest


def _is_number(ink: np.ndarray, line: Line, run: tuple[int, int], ppi: float) -> bool:
    a, b = run
    return b - a < ppi * VALUE_RUN and _number_shaped(ink[line[0] : line[1], a:b])


def _alignment(ink: np.ndarray, lines: list[Line], columns: list[tuple[int, int]], ppi: float) -> str | None:
    """How the numbers stand in their columns: "left", "right" or "centre" when a column shows it (its
    numbers' edges or middles line up within ALIGNED, and the other two spread ALIGN_SHOWN more, or
    twice as much) and none shows another; None otherwise (numbers all one digit wide)."""
    found: dict[int, list[tuple[int, int]]] = {}
    for line in lines:
        for run in line[2]:
            if _is_number(ink, line, run, ppi):
                for k, (c0, c1) in enumerate(columns):
                    if c0 <= run[0] and run[1] <= c1:
                        found.setdefault(k, []).append(run)
    votes: set[str] = set()
    for runs in found.values():
        if len(runs) < 2:
            continue
        spread = {
            "left": float(np.ptp([a for a, _b in runs])),
            "right": float(np.ptp([b for _a, b in runs])),
            "centre": float(np.ptp([a + b for a, b in runs])) / 2,
        }
        best = min(spread, key=lambda k: spread[k])
        other = min(v for k, v in spread.items() if k != best)
        if spread[best] <= ppi * ALIGNED and other - spread[best] >= max(ppi * ALIGN_SHOWN, spread[best]):
            votes.add(best)
    return votes.pop() if len(votes) == 1 else None


def _number_columns(ink: np.ndarray, lines: list[Line], ppi: float) -> list[tuple[int, int]]:
    """x spans of the columns of numbers: number-shaped runs of the table lines, joined where they
    overlap; a column needs numbers on two lines at least."""
    runs: list[tuple[int, int, bool]] = []
    for i, (y0, y1, line_runs) in enumerate(lines):
        if not _is_anchor(line_runs, ppi):
            continue
        for a, b in line_runs:
            if b - a < ppi * VALUE_RUN and _number_shaped(ink[y0:y1, a:b]):
                runs.append((a, b, _wraps(ink, lines[i + 1 : i + 2], (a, b), ppi)))
    columns: list[list[int]] = []
    for a, b, wraps in sorted(runs):
        if columns and a <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], b)
            columns[-1][2] += 1
            columns[-1][3] += wraps
        else:
            columns.append([a, b, 1, int(wraps)])
    # Leading columns whose "figures" mostly go on in text on the line below are a label's first lines.
    while columns and 2 * columns[0][3] >= columns[0][2]:
        columns.pop(0)
    found = [(a, b, n) for a, b, n, _w in columns if n >= 2]
    return _value_run(_past_enumerators(found))


def _wraps(ink: np.ndarray, below: list[Line], run: tuple[int, int], ppi: float) -> bool:
    """Does text that is no number stand under this run on the next line (its label going on: a group
    label's enumerator （四） over 无法提, a narrow sub-label's 1.申请 over 人无正)? A figure never wraps.
    With even column widths the enumerators and sub-labels (number-shaped, at column steps) passed for
    the first value columns, the labels for values, and the 自然人 column was read as one tall cell of
    a vertical label's characters (seed 725009: 000110091251000)."""
    a, b = run
    # The text below stays within a character of the run either side: the same narrow column, not a
    # centred section heading (第二十条第（五）项) under t2's figures.
    reach = ppi * GLYPH
    return any(
        min(b, b1) > max(a, a1)
        and a - reach <= a1
        and b1 <= b + reach
        and not _number_shaped(ink[y0:y1, a1:b1])
        for y0, y1, runs in below
        for a1, b1 in runs
    )


def _past_enumerators(columns: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Columns (a, b, count) less leading ones that are a label's enumerators: (四) (五) (六) or （一）
    （三） are number-shaped and line up on the few rows that open a group, like a column of numbers
    left of the values. Dropped when each has fewer numbers than half the fullest column and a gap
    wider than 1.5 times the usual step between columns follows them (value columns are evenly spaced;
    on 150-dpi 1-bit pages only some zeros pass for number-shaped, so a count alone does not tell)."""
    if len(columns) < 3:
        return [(a, b) for a, b, _n in columns]
    most = max(n for _a, _b, n in columns)
    steps = [q[0] - p[0] for p, q in itertools.pairwise(columns)]
    usual = float(np.median(steps))
    start = 0
    for i, step in enumerate(steps):
        if columns[i][2] * 2 >= most:
            break
        if step > 1.5 * usual:
            start = i + 1
    return [(a, b) for a, b, _n in columns[start:]]


def _value_run(columns: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The columns at the right spaced like the table's values: a column far left of them (a vertical
    label's characters, which at 9 pt on 150 dpi are as narrow as digits) is not one."""
    if len(columns) < 3:
        return columns
    steps = [b[0] - a[0] for a, b in itertools.pairwise(columns)]
    usual = float(np.median(steps))
    start = len(columns) - 1
    while start > 0 and steps[start - 1] <= 2.5 * usual:
        start -= 1
    return columns[start:]


def _number_shaped(crop: np.ndarray) -> bool:
    """Digits are about half as wide as tall; a Chinese character (a vertical label's, a header's) is
    square."""
    ys, xs = np.nonzero(crop)
    if len(xs) < 6:
        return False
    box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    return not looks_like_label(crop, box)


def _number_apart(band: np.ndarray, xs: list[int], col: int, ppi: float) -> bool:
    """Does this row hold a number in column `col` with paper between it and the label on its left?
    Text closer than SPAN_GAP runs over a boundary (a merged cell), but a label set close to the first
    number column (一、本年新收…数量 3, 9 pt at 150 dpi) is not merged with its value."""
    edge, clear = xs[col], max(1, int(ppi * 0.02))
    if band[:, edge - clear : edge + clear].any():
        return False
    cell = band[:, edge : xs[col + 1]]
    return bool(cell.any()) and _number_shaped(cell)


def _ink_end_before(lines: list[Line], x: int) -> int | None:
    """The right end of the rightmost run left of x on the section's lines (its labels)."""
    ends = [b for _y0, _y1, runs in lines for a, b in runs if b <= x]
    return max(ends) if ends else None
