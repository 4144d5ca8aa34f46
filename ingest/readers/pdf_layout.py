"""Open tables of a text PDF: tables printed with horizontal rules only, or with no rules at all (WPS and
many portals print them so), rebuilt from the words' positions.

  - rows are the value lines: a line ending in a run of numbers (or dashes) set apart from its label;
  - value columns come from the alignment of the values: word extents that overlap from row to row are
    one column, so centred, left- and right-aligned columns all work, at whatever x each page sets them;
    a column a row leaves empty becomes a blank cell there, as in a ruled grid;
  - label text left of the values is gathered into cells: lines of one wrapped label, the characters of a
    vertical label (三、本年度办理结果 one per line) and a group label beside its sub-rows. Where horizontal
    rules are printed, a label cell reaches from the rule above it to the rule below it and spans the rows
    between (as a merged cell); where there are none, a label belongs to the value line it sits on, or to
    the nearest one, and a vertical label becomes one cell spanning the rows beside it, never values;
  - header lines right above the first row are kept as rows of text cells.
Settings are one frozen object, as pdfplumber's table settings are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from ingest.document import BBox, Cell, Table
from ingest.values import cell_kind

Word = dict[str, Any]
PAGE_NUMBER = re.compile(r"^[-—–\s]*\d+\s*[/／]\s*\d+[-—–\s]*$")
# A row label opens with its enumerator: （三）, 二、, 1. (full-width forms too).
ENUMERATOR = re.compile(
    r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|[0-9０-９]{1,2}[.．、])"
)
METHOD = "pdf-text"
SENTENCE = re.compile(r"[。，；！？,;!?]")


@dataclass(frozen=True, slots=True)
class OpenTableSettings:
    line_tolerance: float = 3.0  # pt: words whose tops differ less than this sit on one line
    label_gap: float = 0.5  # em: a row's values stand at least this far from its label
    tight_gap: float = 0.25  # em: ...or this far, in a short label-and-value line standing apart from prose
    tight_chars: int = 16  # a tight row's label is no longer than this
    wrap_gap: float = 0.7  # em: lines of one cell are closer together than this
    wide_wrap_gap: float = 1.0  # em: ...or than this, in a table whose rows stand far apart (_learned_wrap)
    row_gap: float = 8.0  # em: value lines further apart than this are not one table
    header_gap: float = 1.6  # em: header lines above the first row are closer than this
    stack_chars: int = 3  # a stacked (vertical) label has lines at most this long...
    stack_lines: int = 3  # ...and at least this many of them
    prose_chars: int = 30  # a line this long is prose, not a header...
    long_label_values: int = 3  # ...nor a row label, unless this many values follow it
    header_overhang: float = 2.0  # em: a header line starts no further left of the table's text than this
    min_rule: float = 15.0  # pt: shorter horizontal edges are underlines or glyph parts, not rules


DEFAULT = OpenTableSettings()


@dataclass(slots=True)
class _Row:
    """One value line: its label words on the same line and its values."""

    labels: list[Word]
    values: list[Word]
    top: float
    bottom: float

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class _Region:
    rows: list[_Row] = field(default_factory=list)
    label_lines: list[list[Word]] = field(default_factory=list)  # label-only lines among the rows
    header: list[list[Word]] = field(default_factory=list)
    above: list[list[Word]] = field(default_factory=list)  # lines above the first row, nearest last

    @property
    def value_left(self) -> float:
        return min(w["x0"] for r in self.rows for w in r.values)

    def words(self) -> list[Word]:
        lines = (*self.label_lines, *self.header)
        return [w for r in self.rows for w in (*r.labels, *r.values)] + [w for ln in lines for w in ln]


def open_tables(
    lines: Sequence[list[Word]], rules: Sequence[BBox], settings: OpenTableSettings = DEFAULT
) -> tuple[list[Table], list[Word]]:
    """Tables found among `lines` (visual lines of words, top to bottom, each sorted by x) and the words
    they used; `rules` are the page's horizontal rules as (x0, y, x1, y)."""
    tables: list[Table] = []
    used: list[Word] = []
    for region in _regions(lines, rules, settings):
        tables.append(_build(region, rules, settings))
        used += region.words()
    return tables, used


# ---------------------------------------------------------------- regions


def _em(words: Sequence[Word]) -> float:
    return max((w["bottom"] - w["top"] for w in words), default=10.0)


def _is_value(word: Word) -> bool:
    return cell_kind(word["text"]) in ("number", "dash")


def _value_row(line: list[Word], settings: OpenTableSettings, label_gap: float | None = None) -> _Row | None:
    """The line as a table row, when it ends in values set apart from its label."""
    label_gap = settings.label_gap if label_gap is None else label_gap
    n = len(line)
    while n > 0 and _is_value(line[n - 1]):
        n -= 1
    labels, values = line[:n], line[n:]
    if not values:
        return None
    if labels:
        gap = values[0]["x0"] - labels[-1]["x1"]
        # A long label is running text ending in a figure, unless a run of values follows it (a table
        # wide enough to set a long row label on one line).
        long = len(_joined(labels)) > settings.prose_chars and len(values) < settings.long_label_values
        if gap < label_gap * _em(line) or long:
            return None  # a number inside running text
    elif sum(cell_kind(w["text"]) == "number" for w in values) < 2 or PAGE_NUMBER.match(_joined(line)):
        return None  # a page number ("- 2 -", "3 / 5"), a lone figure
    return _Row(labels, values, min(w["top"] for w in line), max(w["bottom"] for w in line))


def _joined(line: list[Word]) -> str:
    return " ".join(w["text"] for w in line)


def _overlaps(a: Word, b: Word) -> bool:
    return a["x0"] < b["x1"] and b["x0"] < a["x1"]


def _same_columns(region: _Region, row: _Row) -> bool:
    """The row's values stand under the region's value columns (a continuation of the same table)."""
    previous = region.rows[-1].values
    hits = sum(1 for v in row.values if any(_overlaps(v, p) for p in previous))
    return hits * 2 >= max(len(row.values), len(previous)) and abs(len(row.values) - len(previous)) <= 1


def _regions(
    lines: Sequence[list[Word]], rules: Sequence[BBox], settings: OpenTableSettings
) -> list[_Region]:
    regions: list[_Region] = []
    current: _Region | None = None
    pending: list[list[Word]] = []  # label-only lines since the last row
    for index, line in enumerate(lines):
        row = (
            _value_row(line, settings)
            or _lone_value_row(lines, index, settings)
            or _tight_row(lines, index, settings)
        )
        if row is None and current is not None:
            # Values that stand under the table's value columns make a row however close the label is.
            tight = _value_row(line, settings, label_gap=0.0)
            row = tight if tight is not None and _same_columns(current, tight) else None
        if row is not None:
            em = _em(row.values)
            joins = (
                current is not None
                and _widest_gap(current.rows[-1], pending, row) <= settings.row_gap * em
                and _same_columns(current, row)
                and all(_label_like(ln, current, row) for ln in pending)
            )
            if current is not None and joins:
                current.label_lines += pending
                current.rows.append(row)
            else:
                _close(current, pending, rules, settings, regions)
                taken = {id(w) for w in regions[-1].words()} if regions else set()
                current = _Region(rows=[row])
                start = _take_rows_above(current, lines, index, taken, settings)
                _take_lines_above(current, lines, start, settings)
                current.above = [
                    ln for ln in lines[max(start - 8, 0) : start] if not any(id(w) in taken for w in ln)
                ]
            pending = []
        elif current is not None and all(w["x1"] <= current.value_left for w in line):
            pending.append(line)
        else:
            _close(current, pending, rules, settings, regions)
            current, pending = None, []
    _close(current, pending, rules, settings, regions)
    return regions


def _widest_gap(last: _Row, between: list[list[Word]], row: _Row) -> float:
    """The widest blank band from the last row, over the label lines between, to the next row: rows with
    labels wrapped over many lines stand far apart, but their label lines fill the space between."""
    bottom, widest = last.bottom, 0.0
    for line in between:
        widest = max(widest, min(w["top"] for w in line) - bottom)
        bottom = max(bottom, *(w["bottom"] for w in line))
    return max(widest, row.top - bottom)


def _take_rows_above(
    region: _Region, lines: Sequence[list[Word]], index: int, taken: set[int], settings: OpenTableSettings
) -> int:
    """Rows above the region's first one whose values stand under its columns but whose label was too
    close to them to tell on its own (left-aligned values in a tight table). Returns the new first index."""
    start, between = index, list[list[Word]]()
    for k in range(index - 1, max(index - 4, -1), -1):
        if any(id(w) in taken for w in lines[k]):
            break
        tight = _value_row(lines[k], settings, label_gap=0.0)
        if tight is not None and _same_columns(region, tight):
            gap = region.rows[0].top - tight.bottom
            if gap > settings.row_gap * _em(tight.values):
                break
            region.rows.insert(0, tight)
            region.label_lines[:0] = between
            start, between = k, []
        elif tight is None and _label_like(lines[k], region):
            between.insert(0, list(lines[k]))
        else:
            break
    return start


def _lone_value_row(lines: Sequence[list[Word]], index: int, settings: OpenTableSettings) -> _Row | None:
    """A single value with its label wrapped on the lines just above and below it (a one-column row)."""
    line = lines[index]
    if len(line) != 1 or cell_kind(line[0]["text"]) != "number":
        return None
    value, em = line[0], _em(line)
    for k in (index - 1, index + 1):
        if not 0 <= k < len(lines) or _value_row(lines[k], settings) is not None:
            continue
        near = min(abs(lines[k][0]["top"] - value["top"]), abs(lines[k][0]["bottom"] - value["bottom"])) <= em
        if near and value["x0"] - lines[k][-1]["x1"] >= settings.label_gap * em:
            return _Row([], [value], value["top"], value["bottom"])
    return None


def _tight_row(lines: Sequence[list[Word]], index: int, settings: OpenTableSettings) -> _Row | None:
    """A label with its values closer than the label gap: a program that fits a table's columns to their
    text (LibreOffice opening a web page) leaves only the cell padding after the longest label. Taken
    when the label is short and no sentence, and no paragraph line runs past the values right above or
    below it (a figure ending a line of running text has its paragraph around it)."""
    row = _value_row(lines[index], settings, label_gap=settings.tight_gap)
    if (
        row is None
        or not row.labels
        or row.values[0]["x0"] - row.labels[-1]["x1"] >= settings.label_gap * _em(lines[index])
    ):
        return None
    label = "".join(w["text"] for w in row.labels)
    if len(label) > settings.tight_chars or SENTENCE.search(label):
        return None
    right, em = max(w["x1"] for w in row.values), _em(lines[index])
    for k in (index - 1, index + 1):
        if not 0 <= k < len(lines):
            continue
        near = min(abs(lines[k][0]["top"] - row.top), abs(lines[k][0]["bottom"] - row.bottom)) <= 3 * em
        prose = _value_row(lines[k], settings) is None and not _header_line(
            lines[k], row.values[0]["x0"], settings
        )
        if near and prose and lines[k][-1]["x1"] > right + em:
            return None
    return row


def _label_like(line: list[Word], region: _Region | None, row: _Row | None = None) -> bool:
    """A line of label text (a wrapped label, a group or vertical label): every word stands over the
    label words of the table's rows, or left of them. Column headings and bands stand elsewhere."""
    known = [w for r in (region.rows if region else []) for w in r.labels] + (row.labels if row else [])
    if not known:
        return region is None or all(w["x1"] <= region.value_left for w in line)
    left = min(k["x0"] for k in known)  # a group or vertical label stands left of the row labels
    return all(w["x1"] <= left + 1 or any(_overlaps(w, k) for k in known) for w in line)


def _close(
    region: _Region | None,
    pending: list[list[Word]],
    rules: Sequence[BBox],
    settings: OpenTableSettings,
    out: list[_Region],
) -> None:
    """End a region: label lines right under its last row are that row's wrapped label. In a table with
    rules between its rows, the lines of the first and the last row's cells reach to the rules around
    them however far apart a fixed line height sets them."""
    if region is None:
        return
    ruled = _ruled_rows(region.rows, rules)
    bottom = region.rows[-1].bottom
    for line in pending:
        if not _label_like(line, region) or not _same_cell(bottom, line, ruled, rules, settings):
            break
        region.label_lines.append(line)
        bottom = max(w["bottom"] for w in line)
    if ruled:
        top = min([region.rows[0].top, *(w["top"] for ln in region.label_lines for w in ln)])
        taken = {id(w) for w in region.words()}
        for line in reversed(region.above):
            if any(id(w) in taken for w in line):
                continue
            if not _label_like(line, region) or not _same_cell(top, line, ruled, rules, settings, above=True):
                break
            region.label_lines.insert(0, line)
            top = min(w["top"] for w in line)
    out.append(region)


def _ruled_rows(rows: list[_Row], rules: Sequence[BBox]) -> bool:
    """Rules run between the rows (a table ruled row by row), not only around a block of them."""
    x0, x1 = min(w["x0"] for r in rows for w in r.values), max(w["x1"] for r in rows for w in r.values)
    between = [
        any(r[0] <= x0 + 1 and r[2] >= x1 - 1 and a.bottom <= r[1] <= b.top for r in rules)
        for a, b in pairwise(rows)
    ]
    return len(between) > 0 and sum(between) * 2 > len(between)


def _same_cell(
    edge: float,
    line: list[Word],
    ruled: bool,
    rules: Sequence[BBox],
    settings: OpenTableSettings,
    above: bool = False,
) -> bool:
    """Whether a label line continues the cell whose text ends (or, above, starts) at `edge`."""
    top, bottom = min(w["top"] for w in line), max(w["bottom"] for w in line)
    gap = edge - bottom if above else top - edge
    if gap <= settings.wrap_gap * _em(line):
        return True
    if not ruled or gap > settings.row_gap * _em(line):
        return False
    lo, hi = (bottom, edge) if above else (edge, top)
    x0, x1 = min(w["x0"] for w in line), max(w["x1"] for w in line)
    return not any(r[0] <= x1 and r[2] >= x0 and lo - 1 <= r[1] <= hi + 1 for r in rules)


def _take_lines_above(
    region: _Region, lines: Sequence[list[Word]], index: int, settings: OpenTableSettings
) -> None:
    """Label lines right above the first row (the start of its wrapped label), then header lines."""
    top = region.rows[0].top
    value_left = region.value_left
    # A label is set around its values: it has no more lines above them than below, plus one.
    room = _label_lines_below(region, lines, index, settings) + 1
    k = index - 1
    while k >= 0 and all(w["x1"] <= value_left for w in lines[k]) and _value_row(lines[k], settings) is None:
        if top - max(w["bottom"] for w in lines[k]) > settings.wrap_gap * _em(lines[k]) or room == 0:
            break
        room -= 1
        region.label_lines.insert(0, list(lines[k]))
        top = min(w["top"] for w in lines[k])
        k -= 1
    # Column headings stand over the table; a running head (date, title) starts far left of it.
    left = min(w["x0"] for w in region.words())
    while k >= 0 and _header_line(lines[k], value_left, settings):
        if top - max(w["bottom"] for w in lines[k]) > settings.header_gap * _em(lines[k]):
            break
        if lines[k][0]["x0"] < left - settings.header_overhang * _em(lines[k]):
            break
        region.header.insert(0, list(lines[k]))
        top = min(w["top"] for w in lines[k])
        k -= 1


def _label_lines_below(
    region: _Region, lines: Sequence[list[Word]], index: int, settings: OpenTableSettings
) -> int:
    bottom, count = region.rows[0].bottom, 0
    for line in lines[index + 1 : index + 4]:
        if _value_row(line, settings) is not None or any(w["x1"] > region.value_left for w in line):
            break
        if line[0]["top"] - bottom > settings.wrap_gap * _em(line):
            break
        bottom, count = max(w["bottom"] for w in line), count + 1
    return count


def _header_line(line: list[Word], value_left: float, settings: OpenTableSettings) -> bool:
    """Column headings: short words, some of them over the value columns; no numbers in a row, no prose."""
    if _value_row(line, settings) is not None or any(len(w["text"]) > settings.prose_chars for w in line):
        return False
    over_values = any(w["x1"] > value_left for w in line)
    return over_values and (len(line) >= 2 or line[0]["x0"] >= value_left)


# ---------------------------------------------------------------- one table


def _build(region: _Region, rules: Sequence[BBox], settings: OpenTableSettings) -> Table:
    columns = _with_header_columns(_value_columns(region.rows), region)
    label_cells = _label_cells(region, rules, _learned_wrap(region, settings))
    n_labels = max((len(cells) for cells in label_cells.values()), default=0)
    n_labels = max(n_labels, 1)
    cells: list[Cell] = []
    for r, line in enumerate(region.header):
        cells += _header_cells(line, r, columns, n_labels)
    first = len(region.header)
    for r, row in enumerate(region.rows):
        at = first + r
        for c, (words, span) in enumerate(sorted(label_cells.get(r, []), key=lambda ws: ws[0][0]["x0"])):
            cells.append(Cell(at, c, _text(words, settings), _union(words), rowspan=span, method=METHOD))
        by_column: dict[int, list[Word]] = {}
        for word in row.values:
            by_column.setdefault(_column_of(word, columns), []).append(word)
        for c, (x0, x1) in enumerate(columns):
            words = by_column.get(c, [])
            box = _union(words) if words else (x0, row.top, x1, row.bottom)
            text = " ".join(w["text"] for w in words)
            cells.append(Cell(at, n_labels + c, text, box, method=METHOD))
    return Table(cells=cells, bbox=_union(region.words()))


def _learned_wrap(region: _Region, settings: OpenTableSettings) -> OpenTableSettings:
    """The gap that joins lines of one label cell, for this table: LibreOffice sets a cell's lines 0.73 em
    apart (over the 0.7 em our settings join) in rows 2–4 em apart, so （二）部分公开's five lines were five
    labels. Lines closer than half the closest two rows' gap are one cell's, up to `wide_wrap_gap`; where
    rows are set as close as lines (single spacing, no rules) the setting stands."""
    gaps = [b.top - a.bottom for a, b in pairwise(region.rows) if b.top > a.bottom]
    if len(gaps) < 2:
        return settings
    em = _em([w for r in region.rows for w in r.values])
    wrap = min(settings.wide_wrap_gap, 0.5 * min(gaps) / em)
    return replace(settings, wrap_gap=wrap) if wrap > settings.wrap_gap else settings


def _value_columns(rows: Sequence[_Row]) -> list[tuple[float, float]]:
    """Value columns as x extents: the extents of values that overlap, row to row, are one column."""
    columns: list[list[float]] = []
    for word in sorted((w for r in rows for w in r.values), key=lambda w: w["x0"]):
        if columns and word["x0"] < columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], word["x1"])
        else:
            columns.append([word["x0"], word["x1"]])
    return [(a, b) for a, b in columns]


def _with_header_columns(columns: list[tuple[float, float]], region: _Region) -> list[tuple[float, float]]:
    """A column no row prints a value in (blank all the way down) still has its heading. Headings right of
    the labels are grouped by overlap; a group a value column stands under, or the nearest one to a value
    column no group stands over (values set right or left in a wide column), is that column's; a group
    left over adds a column, so blanks keep their place."""
    labels = [w for r in region.rows for w in r.labels] + [w for ln in region.label_lines for w in ln]
    if not labels or not region.header:
        return columns
    label_right = max(w["x1"] for w in labels)
    groups: list[list[float]] = []
    for word in sorted(
        (w for ln in region.header for w in ln if w["x0"] >= label_right), key=lambda w: w["x0"]
    ):
        if groups and word["x0"] < groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], word["x1"])
        else:
            groups.append([word["x0"], word["x1"]])
    claimed = {i for i, (a, b) in enumerate(groups) if any(a < d and c < b for c, d in columns)}
    for c, d in columns:
        if groups and not any(a < d and c < b for a, b in groups):
            claimed.add(min(range(len(groups)), key=lambda i: max(groups[i][0] - d, c - groups[i][1])))
    extra = [(a, b) for i, (a, b) in enumerate(groups) if i not in claimed]
    return sorted([*columns, *extra])


def _column_of(word: Word, columns: list[tuple[float, float]]) -> int:
    centre = (word["x0"] + word["x1"]) / 2
    return min(range(len(columns)), key=lambda i: max(columns[i][0] - centre, centre - columns[i][1], 0.0))


def _header_cells(
    line: list[Word], row: int, columns: list[tuple[float, float]], n_labels: int
) -> list[Cell]:
    """A header line as cells: a word over the values goes to the column under its centre."""
    cells: list[Cell] = []
    taken: set[int] = set()
    for word in line:
        centre = (word["x0"] + word["x1"]) / 2
        col = n_labels + _column_of(word, columns) if centre >= columns[0][0] else 0
        while col in taken:
            col += 1
        taken.add(col)
        cells.append(Cell(row, col, word["text"], _union([word]), method=METHOD))
    return cells


# ---------------------------------------------------------------- label cells


def _label_cells(
    region: _Region, rules: Sequence[BBox], settings: OpenTableSettings
) -> dict[int, list[tuple[list[Word], int]]]:
    """Row index → its label cells as (words, rowspan). Each label cell is emitted in the first row it
    spans, as a merged grid cell is."""
    segments = [w for r in region.rows for w in r.labels] + [w for ln in region.label_lines for w in ln]
    anchors = {id(w): i for i, r in enumerate(region.rows) for w in r.labels}
    placed: list[_Placed] = []
    chains = _chains(segments, rules, _ruled_rows(region.rows, rules), settings)
    for chain in chains:
        box = _rule_box(chain, rules)
        several_rows = len({anchors[id(w)] for w in chain if id(w) in anchors}) > 1
        several_cells = len(_cut_at_row_gaps(chain)) > 1
        if box is not None and (several_rows or several_cells or _shares_box(chain, box, chains)):
            box = None  # rules around a whole block of rows (a three-line table), not around this cell
        for words, rows in _place_chain(chain, region.rows, anchors, box, settings):
            placed.append(
                _Placed(
                    words,
                    rows[0],
                    rows[-1],
                    ruled=box is not None,
                    stacked=_stacked(words, settings) and not ENUMERATOR.match(words[0]["text"]),
                )
            )
    _centre_group_labels(placed, region.rows)
    out: dict[int, list[tuple[list[Word], int]]] = {}
    for cell in placed:
        out.setdefault(cell.first, []).append((cell.words, cell.last - cell.first + 1))
    return out


@dataclass(slots=True)
class _Placed:
    """A label cell and the rows it spans (first to last)."""

    words: list[Word]
    first: int
    last: int
    ruled: bool  # its rows were decided by the rules around it
    stacked: bool  # a vertical label (one character per line; a numbered label wrapped narrow is none)

    @property
    def x(self) -> tuple[float, float]:
        return min(w["x0"] for w in self.words), max(w["x1"] for w in self.words)

    @property
    def centre(self) -> float:
        return (min(w["top"] for w in self.words) + max(w["bottom"] for w in self.words)) / 2


def _stacked(words: list[Word], settings: OpenTableSettings) -> bool:
    return len(words) >= settings.stack_lines and all(len(w["text"]) <= settings.stack_chars for w in words)


def _centre_group_labels(placed: list[_Placed], rows: list[_Row]) -> None:
    """Group labels set in the middle of their rows (a browser centres a rowspan cell), read where no rule
    bounds them. Rows with no label in a group label's column lie above and below it; when every such
    label of the column stands at the centre of the rows from the one after the previous group to as far
    below as it must, each spans those rows. Labels set at the top of their group leave no unlabelled
    rows above them and fit no such centring (an unlabelled row would be left over or too few lie below
    a label), so they keep the rows beside them."""
    groups = sorted(
        (c for c in placed if not c.ruled and not c.stacked and ENUMERATOR.match(c.words[0]["text"])),
        key=lambda c: c.first,
    )
    for column in _label_columns(groups):
        others = [c for c in placed if not c.stacked and _overlap(c.x, column[0].x)]
        covered = {r for c in others for r in range(c.first, c.last + 1)}
        spans = _centred_spans(column, covered, rows)
        if spans is not None and any(span[0] < c.first for c, span in zip(column, spans, strict=True)):
            for cell, (first, last) in zip(column, spans, strict=True):
                cell.first, cell.last = first, last


def _label_columns(groups: list[_Placed]) -> list[list[_Placed]]:
    """Labels of one column start where it starts (a wide label reaching over the next column is not in
    that column)."""
    columns: list[list[_Placed]] = []
    for cell in groups:
        for column in columns:
            if abs(cell.x[0] - column[0].x[0]) <= _em(cell.words) / 2:
                column.append(cell)
                break
        else:
            columns.append([cell])
    return columns


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _centred_spans(
    column: list[_Placed], covered: set[int], rows: list[_Row]
) -> list[tuple[int, int]] | None:
    """Each label's rows when every label of the column is centred on its rows, or None when they are not
    or more than one way fits. Unlabelled rows that open the table (a group continued from the page
    before) may belong to that group or to the first label here: each split is tried, and only a single
    one that fits every label is taken."""
    opening = column[0].first
    while opening - 1 >= 0 and opening - 1 not in covered:
        opening -= 1
    if opening > 0:  # the unlabelled rows above the first label follow a labelled row: they are its own
        return _spans_from(opening, column, covered, rows)
    starts = range(opening, column[0].first + 1)
    found = [s for start in starts if (s := _spans_from(start, column, covered, rows))]
    return found[0] if len(found) == 1 else None


def _spans_from(
    start: int, column: list[_Placed], covered: set[int], rows: list[_Row]
) -> list[tuple[int, int]] | None:
    """The labels' rows when the first label's rows start at `start`: a label takes the unlabelled rows
    right above it (back to the rows an earlier label took) and, below it, the rows that put it at their
    centre."""
    spans: list[tuple[int, int]] = []
    free_from = start
    for index, cell in enumerate(column):
        first = cell.first
        while first - 1 >= free_from and first - 1 not in covered:
            first -= 1
        limit = column[index + 1].first - 1 if index + 1 < len(column) else len(rows) - 1
        last = cell.last
        while last + 1 <= limit and last + 1 not in covered:
            last += 1
        fits = [e for e in range(cell.last, last + 1) if _centred(cell, rows[first], rows[e])]
        if len(fits) != 1:
            return None
        spans.append((first, fits[0]))
        free_from = fits[0] + 1
        if fits[0] < last and index + 1 == len(column):
            return None  # unlabelled rows left under the last label: no centring explains them
    return spans


def _centred(cell: _Placed, first: _Row, last: _Row) -> bool:
    """The label's middle is the middle of the rows first..last, within a quarter of a row."""
    pitch = max(last.bottom - last.top, first.bottom - first.top)
    return abs(cell.centre - (first.top + last.bottom) / 2) <= pitch / 4


def _shares_box(chain: list[Word], box: tuple[float, float], chains: list[list[Word]]) -> bool:
    x0, x1 = min(w["x0"] for w in chain), max(w["x1"] for w in chain)
    for other in chains:
        if other is chain:
            continue
        centre = (min(w["top"] for w in other) + max(w["bottom"] for w in other)) / 2
        if box[0] < centre < box[1] and any(w["x0"] < x1 and x0 < w["x1"] for w in other):
            return True
    return False


def _chains(
    segments: list[Word], rules: Sequence[BBox], ruled: bool, settings: OpenTableSettings
) -> list[list[Word]]:
    """Label words joined into cells: a word continues the chain above it when it overlaps it in x, sits
    right below it (in a table ruled row by row: below it, however far, short of the next row), and no rule
    runs between them."""
    chains: list[list[Word]] = []
    for word in sorted(segments, key=lambda w: (w["top"], w["x0"])):
        for chain in chains:
            last = chain[-1]
            gap = word["top"] - last["bottom"]
            if (
                _overlaps(word, last)
                and -settings.line_tolerance < gap
                and gap <= (settings.row_gap if ruled else settings.wrap_gap) * _em([word])
                and not _rule_between(last, word, rules)
            ):
                chain.append(word)
                break
        else:
            chains.append([word])
    return chains


def _rule_between(upper: Word, lower: Word, rules: Sequence[BBox]) -> bool:
    x0, x1 = max(upper["x0"], lower["x0"]), min(upper["x1"], lower["x1"])
    return any(r[0] <= x0 and r[2] >= x1 and upper["bottom"] - 1 <= r[1] <= lower["top"] + 1 for r in rules)


def _place_chain(
    chain: list[Word],
    rows: list[_Row],
    anchors: dict[int, int],
    box: tuple[float, float] | None,
    settings: OpenTableSettings,
) -> list[tuple[list[Word], list[int]]]:
    """Which rows a label cell belongs to: [(words, rows it spans)]."""
    if box is not None:  # a ruled cell: the rows whose values sit between its rules
        inside = [i for i, r in enumerate(rows) if box[0] < r.centre < box[1]]
        if inside:
            return [(chain, inside)]
    placed: list[tuple[list[Word], list[int]]] = []
    for piece in (part for cut in _cut_at_row_gaps(chain) for part in _cut_at_enumerators(cut)):
        stacked = _stacked(piece, settings)
        anchored = sorted({anchors[id(w)] for w in piece if id(w) in anchors})
        if stacked:  # a vertical label: one cell beside the rows it spans
            top, bottom = min(w["top"] for w in piece), max(w["bottom"] for w in piece)
            beside = [i for i, r in enumerate(rows) if top <= r.centre <= bottom]
            placed.append((piece, beside or [_nearest_row(piece, rows)]))
        elif ENUMERATOR.match(piece[0]["text"]) and anchored:
            # One numbered label, however its lines are set: one cell over the rows it stands beside (a group
            # label spans its sub-rows, as a merged cell does).
            placed.append((piece, list(range(anchored[0], anchored[-1] + 1))))
        else:
            placed += _place_piece(piece, rows, anchors)
    return placed


def _cut_at_enumerators(piece: list[Word]) -> list[list[Word]]:
    """A line opening with an enumerator begins a new label: where a table has no rules and single
    spacing, the lines of one cell and the rows are set equally far apart, and only the numbering tells
    where the next row's label starts."""
    parts: list[list[Word]] = []
    for word in piece:
        if not parts or ENUMERATOR.match(word["text"]):
            parts.append([])
        parts[-1].append(word)
    return parts


def _cut_at_row_gaps(chain: list[Word]) -> list[list[Word]]:
    """Labels of consecutive rows set close together chain up; the gap between two rows is still wider
    than between the lines of one cell (the cell padding), so cut where a gap exceeds the narrowest."""
    if len(chain) < 3:
        return [chain]
    gaps = [b["top"] - a["bottom"] for a, b in pairwise(chain)]
    narrowest = min(gaps)
    pieces = [[chain[0]]]
    for gap, word in zip(gaps, chain[1:], strict=True):
        if gap > narrowest + max(1.0, 0.12 * _em([word])):
            pieces.append([])
        pieces[-1].append(word)
    return pieces


def _nearest_row(words: list[Word], rows: list[_Row]) -> int:
    centre = (min(w["top"] for w in words) + max(w["bottom"] for w in words)) / 2
    return min(range(len(rows)), key=lambda i: abs(rows[i].centre - centre))


def _place_piece(
    chain: list[Word], rows: list[_Row], anchors: dict[int, int]
) -> list[tuple[list[Word], list[int]]]:
    """A label on its row's value line belongs to that row. A line beside the values goes to the nearest
    row that may own it: one whose label this chain holds, or one with no label on its value line (its
    label is wrapped around the values)."""
    anchored = {anchors[id(w)] for w in chain if id(w) in anchors}
    if not anchored:
        return [(chain, [_nearest_row(chain, rows)])]
    owners = sorted(anchored | {i for i, r in enumerate(rows) if not r.labels})
    parts: dict[int, list[Word]] = {}
    for word in chain:
        row = anchors.get(id(word))
        if row is None:
            centre = (word["top"] + word["bottom"]) / 2
            row = min(owners, key=lambda i: abs(rows[i].centre - centre))
        parts.setdefault(row, []).append(word)
    return [(words, [row]) for row, words in sorted(parts.items())]


def _rule_box(chain: list[Word], rules: Sequence[BBox]) -> tuple[float, float] | None:
    """The rules right above and right below a label cell that cover its width, if both are printed."""
    x0, x1 = min(w["x0"] for w in chain), max(w["x1"] for w in chain)
    top, bottom = min(w["top"] for w in chain), max(w["bottom"] for w in chain)
    covering = [r[1] for r in rules if r[0] <= x0 + 1 and r[2] >= x1 - 1]
    above = [y for y in covering if y <= top + 1]
    below = [y for y in covering if y >= bottom - 1]
    if not above or not below:
        return None
    return max(above), min(below)


# ---------------------------------------------------------------- text


def _text(words: list[Word], settings: OpenTableSettings) -> str:
    """Words of one cell: visual lines top to bottom joined by \\n, words of a line by a space."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]["top"]) <= settings.line_tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    return "\n".join(" ".join(w["text"] for w in sorted(ln, key=lambda w: w["x0"])) for ln in lines)


def _union(items: Sequence[Word]) -> BBox:
    return (
        min(i["x0"] for i in items),
        min(i["top"] for i in items),
        max(i["x1"] for i in items),
        max(i["bottom"] for i in items),
    )
