"""Tokens → the template's rows: which printed values belong to which row, and how sure we are.

A row is found, in order of trust:
  1. by its own label (traditional or simplified, wrapped, cut across a page break: fuzzy, in order);
  2. by its group's label ("（三）不予公开" names the first of its eight sub-rows);
  3. by position after the last found row, when its label was lost. Such a row is *anchored* when the next
     row found by label comes exactly where the template says; otherwise it is only a guess. A table's
     first row, with no row before it, is placed before the labelled row printed right after it (a guess).
t4 is found by its 行政复议 header or, that misread, as the one label-less row of fifteen figures under
t4's header words.
Rows are matched in template order, so a repeated header or a label cut by a page break cannot send values
backwards. Values are then aligned to the row's columns; a stray extra column is dropped only where every
way of dropping it gives the same values or the row's own arithmetic picks exactly one.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import lru_cache

from ingest.normalize import halfwidth
from ingest.templates import RowSpec, Template, printed_as_one_row, strip_enumerator, t4_header_keys
from ingest.tokens import Token
from ingest.values import compact_text, parse_value

LABEL_MATCH_MIN = 0.78
OTHER_TEMPLATE_ROW = "the group printed as one row, in the other template's form"
EMPTY_CELLS = "empty cells in the row"
STACKED_LABELS = "another row's label stands right before this row's, with no figure between them"
CUT_VALUE = "a figure printed in the row after its values"
# What is left of a figure cut in two: digits and decimal marks, perhaps its unit (,9万元; .9).
_FIGURE_PART = re.compile(r"^[.,。，·]?\d+(?:[.,。，·]\d*)?(?:万元|万|元)?$")
# Prose between two tables is long; a table's labels are short. Past this, position mapping stops.
_PROSE_LENGTH = 60


@dataclass(slots=True)
class RowReading:
    spec: RowSpec
    cells: list[Token | None]  # aligned to spec.columns
    how: str  # label, group, position
    reasons: list[str] = field(default_factory=list)
    confidence: float = 0.99
    ambiguous: set[int] = field(default_factory=set)  # columns whose value the alignment could not decide
    # A structural fault seen in this row (cells missing or extra, an alignment choice, an unconfirmed
    # position, the other template's form): the trust step spreads it to what it could have shifted.
    anomaly: str | None = None


@dataclass(slots=True)
class _Segment:
    labels: list[Token]
    values: list[Token]


def read_rows(tokens: Sequence[Token], template: Template) -> dict[str, RowReading]:
    """Assign value runs to the template's t2/t3 rows."""
    rows = template.rows
    found: dict[str, RowReading] = {}
    order: list[tuple[int, str]] = []  # (row index, how) in the order found
    pos = 0
    last_table: str | None = None
    segments = _segments(tokens)
    pending: _Segment | None = None  # the last run of figures that no label or position placed
    for i, segment in enumerate(segments):
        if not any(t.kind in ("number", "dash") for t in segment.values):
            continue
        # The row of the first real value: a blank cell ending a header row (a stray column) is no value.
        value_row = next(t.row for t in segment.values if t.kind in ("number", "dash"))
        match = _match_label(segment.labels, rows, pos, value_row)
        if match is None and (whole := _label_across_pages(segments, i)) is not None:
            match = _match_label(whole, rows, pos, value_row)
        if match is None and _repeats_found_row(segment, rows, pos, value_row, found):
            continue
        if match is None and (earlier := _earlier_t2_row(segment, rows, pos, value_row, found)) is not None:
            found[rows[earlier].key] = _reading(rows[earlier], segment.values, "label")
            continue
        if (
            match is None
            and _may_continue(segment.labels, rows, pos, last_table)
            and not _label_follows(segments, i, value_row, len(rows[pos].columns))
        ):
            match = (pos, "position")
        if match is None:
            pending = segment
            continue
        index, how = match
        if how == "label" and (before := _row_before(pending, segments[i - 1], rows, index, pos, found)):
            found[before.spec.key] = before
            order.append((index - 1, "position"))
        pending = None
        # Only in t2, which no sum checks: in t3 a figure given to the wrong row fails its rules.
        stacked = _stacked_labels(segment.labels, rows, index, found) if rows[index].table == "t2" else None
        for offset, run in enumerate(_split_run(segment.values, len(rows[index].columns))):
            at = index + offset
            if at >= len(rows) or rows[at].key in found or rows[at].table != rows[index].table:
                break
            spec = rows[at]
            found[spec.key] = _reading(spec, run, how if offset == 0 else "position")
            order.append((at, found[spec.key].how))
            if stacked is not None:
                found[spec.key].confidence = min(found[spec.key].confidence, 0.6)
                found[spec.key].anomaly = STACKED_LABELS
                found[spec.key].reasons.append(
                    f"{STACKED_LABELS} ({stacked}): the values may be another row's"
                )
        if (fragment := _figure_after_values(segments, i)) is not None:
            _doubt_cut_value(found[rows[order[-1][0]].key], fragment)
        pos = order[-1][0] + 1
        last_table = rows[order[-1][0]].table
    _judge_positions(order, rows, found)
    _t3_by_count(segments, rows, found)
    _other_template_rows(rows, found)
    _place_short_rows_by_columns(found)
    return found


def read_t4(tokens: Sequence[Token], template: Template) -> RowReading | None:
    """t4 prints its 15 values in one row under a two-level header."""
    spec = template.t4
    if spec is None:
        return None
    values = _t4_values(tokens)
    if values is None:
        return None
    return _reading(spec, values, "label")


# --- segments and label matching -------------------------------------------------------------------


def _segments(tokens: Sequence[Token]) -> list[_Segment]:
    """Alternate label runs and value runs; a value run also ends where a printed row ends."""
    segments: list[_Segment] = []
    labels: list[Token] = []
    values: list[Token] = []
    for token in tokens:
        if token.kind == "text":
            if values:
                segments.append(_Segment(labels, values))
                labels, values = [], []
            labels.append(token)
        else:
            if values and token.row != values[-1].row and _has_value(values):
                segments.append(_Segment(labels, values))
                labels, values = [], []
            values.append(token)
    if values or labels:  # text after the last figures is kept: it may end their printed row
        segments.append(_Segment(labels, values))
    return segments


def _figure_after_values(segments: list[_Segment], i: int) -> str | None:
    """Part of a figure in the same printed row of a table grid right after segment i's values: a value cut in two
    by a column boundary (451.9 万元 read as 451 | ,9万元, seed 792001) whose first part alone reads as
    a figure. The part after it is text to the segments, so without this the row read 451, `ok`."""
    if i + 1 >= len(segments):
        return None
    last = segments[i].values[-1]
    for token in segments[i + 1].labels:
        if not (last.in_table and token.in_table and token.row == last.row):
            return None
        if _FIGURE_PART.match(compact_text(token.text)):
            return token.text
    return None


def _doubt_cut_value(reading: RowReading, fragment: str) -> None:
    reading.reasons.append(f"{CUT_VALUE} ({fragment!r}): a value may be cut in two")
    reading.confidence = min(reading.confidence, 0.5)
    reading.anomaly = reading.anomaly or CUT_VALUE


def _stacked_labels(
    labels: list[Token], rows: list[RowSpec], index: int, found: dict[str, RowReading]
) -> str | None:
    """The own label of a row before the matched one, with no figure between them (printed before it in
    the same run of labels): text that lists a table column by column (pdfminer's reading order: 行政许可,
    其他对外管理服务事项, then both rows' figures) gives the first figures to the last label. The earlier
    row is not read yet, or read only by position (a run of figures spilled into it): a row read by its
    label before may end its label below its figures (行政 / 规范性文件). Returns the earlier label."""
    for token in labels[:-1]:
        if token.kind != "text" or len(token.key) < 2:
            continue
        named = _best_row(token.key, strip_enumerator(token.key), rows, 0, None)
        if named is None or named[1] != "label" or named[0] >= index:
            continue
        earlier = found.get(rows[named[0]].key)
        if rows[named[0]].table == rows[index].table and (earlier is None or earlier.how == "position"):
            return token.text
    return None


def _has_value(tokens: list[Token]) -> bool:
    return any(t.kind in ("number", "dash") for t in tokens)


def _label_across_pages(segments: list[_Segment], index: int) -> list[Token] | None:
    """A row broken by a page break (Word lets a row break across pages): its label starts on one page
    beside the values ("一、本年新收政府信息公") and ends on the next in a row of empty cells ("开申请数量").
    The labels with the two parts joined, or None when the next row is no such rest."""
    segment = segments[index]
    rest = segments[index + 1] if index + 1 < len(segments) else None
    if rest is None or not (segment.labels and rest.labels and rest.values):
        return None
    head, tail = segment.labels[-1], rest.labels[-1]
    empty_cells = all(t.kind == "blank" for t in rest.values)
    if not empty_cells or tail.page <= segment.values[-1].page or head.row != segment.values[0].row:
        return None
    reasons = [*head.reasons, *tail.reasons]
    joined = replace(head, text=head.text + tail.text, conf=min(head.conf, tail.conf), reasons=reasons)
    return [*segment.labels[:-1], joined]


def _match_label(
    labels: list[Token], rows: list[RowSpec], pos: int, value_row: int
) -> tuple[int, str] | None:
    if not labels:
        return None
    # A short label (总计, 其他) also heads a column; it names a row only when printed in the values' row.
    last = strip_enumerator(labels[-1].key) if labels[-1].row == value_row else ""
    number = m.group(1) if last and (m := _PRINTED_NUMBER.match(halfwidth(labels[-1].text))) else None
    own = [t for t in labels[-3:] if t.row == value_row]
    if own and len(own) < len(labels[-3:]):
        # The labels printed in the values' own row decide when they name a row by themselves: text above
        # them (a header repeated after a page break, "…其他") must not make another row's label.
        match = _best_row("".join(t.key for t in own), last, rows, pos, number)
        if match is not None:
            return match
    return _best_row("".join(t.key for t in labels[-3:]), last, rows, pos, number)


_PRINTED_NUMBER = re.compile(r"^\s*(\d+)[.．、]")


def _best_row(
    tail: str, last: str, rows: list[RowSpec], pos: int, number: str | None
) -> tuple[int, str] | None:
    best: tuple[float, int, str] | None = None
    for index in range(pos, len(rows)):
        spec = rows[index]
        if number and spec.number and number != spec.number and len(last) <= 3 and last in spec.labels:
            # A short label says little alone ("2.其他" is the start of 2.其他法律行政法规禁止公开 cut off
            # by a misread row, not 3.其他): its printed number must be the row's.
            continue
        score, how = _row_score(spec, tail, last)
        if score >= LABEL_MATCH_MIN and (best is None or score > best[0] + 1e-9):
            best = (score, index, how)
    return (best[1], best[2]) if best else None


def _row_score(spec: RowSpec, tail: str, last: str) -> tuple[float, str]:
    return _labels_score(tuple(spec.labels), spec.group_label, tail, last)


@lru_cache(maxsize=1 << 16)
def _labels_score(
    labels: tuple[str, ...], group_label: str | None, tail: str, last: str
) -> tuple[float, str]:
    score = max((_label_score(label, tail, last) for label in labels), default=0.0)
    if group_label and score < LABEL_MATCH_MIN:
        group_score = _label_score(group_label, tail, last)
        if group_score >= LABEL_MATCH_MIN:
            return group_score * 0.99, "group"
    return score, "label"


def _label_score(label: str, tail: str, last: str) -> float:
    """How much of the row's label the end of the label run shows, in order."""
    if len(label) <= 3:  # short labels (规章, 总计, 其他) must stand alone as the last label
        return 1.0 if last == label else 0.0
    window = tail[-(len(label) + 6) :]
    blocks = SequenceMatcher(None, label, window, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) / len(label)


def _repeats_found_row(
    segment: _Segment, rows: list[RowSpec], pos: int, value_row: int, found: dict[str, RowReading]
) -> bool:
    """A row printed again (the last row of a page repeated at the top of the next): its label names a
    row already read. Its values are not another row's; if they differ from the first printing, the row
    is in doubt."""
    match = _match_label(segment.labels, rows[:pos], 0, value_row)
    if match is None or (match[1] == "group" and _group_label_goes_on(segment.labels)):
        return False
    if match[1] == "group" and _group_under_way(segment.labels, rows, match[0], pos):
        return False
    first = found.get(rows[match[0]].key)
    again = [t.text for t in segment.values if t.kind != "blank"]
    # A repeat has its row's shape; 总计 also ends t4's header, over fifteen values.
    if first is None or abs(len(again) - len(first.spec.columns)) > 1:
        return False
    if again != [t.text for t in first.cells if t is not None and t.kind != "blank"]:
        first.anomaly = "printed twice with different values"
        first.confidence = min(first.confidence, 0.5)
        first.reasons.append("the row is printed twice with different values")
    return True


def _group_label_goes_on(labels: list[Token]) -> bool:
    """A group's merged label cell broken by a page break: （四） beside the group's first sub-row at the
    foot of one page, 无法提供 beside the next sub-row on the next (seed 941489). Its words without their
    enumerator name the group again; the row is the group's next sub-row, not the first printed twice."""
    return bool(labels) and strip_enumerator(labels[-1].key) == labels[-1].key


def _group_under_way(labels: list[Token], rows: list[RowSpec], first: int, pos: int) -> bool:
    """The group label alone (no sub-label) beside a row while its group's sub-rows are being placed:
    Chromium centres the label of a group whose sub-rows print no label beside a middle sub-row (seeds
    762003, 762012: （四）无法提供 beside the second of three). It is that row's, not the group's first row
    printed again; the row is placed by position."""
    group = rows[first].group
    if group is None or pos >= len(rows) or rows[pos].group != group or pos == first:
        return False
    own = [t for t in labels if t.row == labels[-1].row]
    return len(own) == 1


def _earlier_t2_row(
    segment: _Segment, rows: list[RowSpec], pos: int, value_row: int, found: dict[str, RowReading]
) -> int | None:
    """t2's sub-tables stand alone, and some reports print them out of order (（五）–（八） before （一））:
    a t2 row not yet found, named in full by its own label, is read where it stands."""
    tail = "".join(t.key for t in segment.labels[-3:])
    last = (
        strip_enumerator(segment.labels[-1].key)
        if segment.labels and segment.labels[-1].row == value_row
        else ""
    )
    for index in range(pos):
        spec = rows[index]
        if spec.table == "t2" and spec.key not in found and _row_score(spec, tail, last) == (1.0, "label"):
            return index
    return None


def _may_continue(labels: list[Token], rows: list[RowSpec], pos: int, last_table: str | None) -> bool:
    """Position mapping only inside a table already anchored by a label, and not across prose."""
    if pos >= len(rows) or last_table != rows[pos].table:
        return False
    return not any(len(t.text) > _PROSE_LENGTH for t in labels)


def _row_before(
    pending: _Segment | None,
    previous: _Segment,
    rows: list[RowSpec],
    index: int,
    pos: int,
    found: dict[str, RowReading],
) -> RowReading | None:
    """A table's first row whose label is misread beyond matching (规章 read 起音), right before a row
    read by its label: its figures, printed in the row just above, are the row the template puts there.
    Nothing before it confirms the place, so it is placed by position and goes to review."""
    if pending is None or pending is not previous or index < 1 or index - 1 < pos:
        return None
    if not all(t.in_table for t in pending.values):  # only a real grid's rows are printed rows
        return None
    spec = rows[index - 1]
    if spec.key in found or spec.table != rows[index].table:
        return None
    figures = [t for t in pending.values if t.kind != "blank"]
    if len(figures) != len(spec.columns) or any(len(t.text) > _PROSE_LENGTH for t in pending.labels):
        return None
    return _reading(spec, pending.values, "position")


def _label_follows(segments: list[_Segment], index: int, value_row: int, columns: int) -> bool:
    """Fewer figures than the row has columns, and a word after them in their own printed row: a header
    row, its wrapped 本年增/減 read as 1 before 决定数量 — a row of figures prints its label before them,
    so this is no row to place by position. (A one-character speck after a full row is no word.)"""
    rest = segments[index + 1] if index + 1 < len(segments) else None
    if rest is None or not rest.labels:
        return False
    label = rest.labels[0]
    figures = [t for t in segments[index].values if t.kind in ("number", "dash")]
    # Only a real grid's row ids are printed rows (a text line's run of blocks shares one id).
    in_grid = label.in_table and segments[index].values[-1].in_table
    return in_grid and label.row == value_row and len(label.key) >= 2 and len(figures) < columns


def _split_run(values: list[Token], n: int) -> list[list[Token]]:
    """A run holding several unlabelled rows back to back is cut into rows of n."""
    numeric = [t for t in values if t.kind != "blank"]
    rows_by_print = [
        g for _, grp in itertools.groupby(values, key=lambda t: t.row) if _has_value(g := list(grp))
    ]
    if len(rows_by_print) > 1:
        return rows_by_print
    # A one-column row with two values has a stray cell, not two rows.
    if n > 1 and len(numeric) > n and len(numeric) % n == 0 and len(numeric) == len(values):
        return [numeric[i : i + n] for i in range(0, len(numeric), n)]
    return [values]


def _judge_positions(order: list[tuple[int, str]], rows: list[RowSpec], found: dict[str, RowReading]) -> None:
    """A run of rows placed by position is trusted only if it starts right after a row read cleanly by
    its label and ends right before the next labelled row, or closes its table exactly. A run after or
    containing a broken row (cells missing, merged by a lost rule) may be off by a row: its values go to
    review."""
    at = 0
    for positioned, group in itertools.groupby(order, key=lambda o: o[1] == "position"):
        run = [index for index, _ in group]
        start, at = at, at + len(run)
        if not positioned:
            continue
        before = order[start - 1][0] if start > 0 else None
        after = order[at][0] if at < len(order) else None
        clean = before is not None and all(found[rows[j].key].confidence >= 0.9 for j in [before, *run])
        # Only the labelled row the template puts right after the run confirms it (the next table's first
        # row closes a table's last rows); the end of the document says nothing about a row lost before it.
        anchored = clean and after == run[-1] + 1
        for index in run:
            reading = found[rows[index].key]
            if anchored:
                reading.confidence = min(reading.confidence, 0.95)
                reading.reasons.append("note: row label missing; placed by position between labelled rows")
            else:
                reading.confidence = min(reading.confidence, 0.6)
                reading.anomaly = "unconfirmed position"
                reading.reasons.append(
                    "row label missing and its position is not confirmed by the rows around it"
                )


# --- t3 by the count of its printed rows ------------------------------------------------------------

T3_COUNTED = (
    "note: row label missing or unreadable; placed by the count of t3's printed rows between its labelled "
    "first and last rows"
)
T3_COUNT_CONTRADICTED = (
    "its label names another row than the one the count of t3's printed rows puts here: the rows may "
    "have shifted"
)
# A run of figures holds a t3 row when at most this many of its cells are empty or unread.
_T3_ROW_GAPS = 2
# The positional row's label counts as shown in a run's label text when this share of it is there, in order.
_T3_LABEL_SHOWN = 0.6
# t3's first row's label wrapped into the next row: this share of it at least printed beside its figures.
_T3_FIRST_LABEL_OWN = 0.3
# A group label centred on its rows is read beside a row at most this many rows before or after them.
_T3_CENTRED_REACH = 2
# More rows whose labels contradict the count than this, and the count decides nothing.
_T3_MAX_CONTRADICTED = 2


def _t3_by_count(segments: list[_Segment], rows: list[RowSpec], found: dict[str, RowReading]) -> None:
    """t3 printed with rows whose labels are lost (Chromium prints a report's blank sub-label cells as
    nothing, and centres the group label 「（三）不予公开」 beside a middle sub-row; wrapped labels drift a
    line up or down in rule-less scans): read by label, a mid-group label looks like the group's first row
    printed again, and a drifted label names a neighbour, so rows are dropped or shifted.

    When the table's first row (新收) and last row (结转下年度) are both found by their own labels and the
    runs of figures between them, one per printed row, are exactly as many as the template's t3 rows, the
    n-th run is the n-th row: only a row lost together with a row too many could shift one, and t3's row
    sums and column balances still check every value. A run's label then confirms its row (agrees), is
    silent (none, unreadable, its group's label, or the text also shows the positional row's own label:
    a drifted line), or contradicts it (names another row and shows nothing of this one): such a row
    and its neighbours stay in review; more than _T3_MAX_CONTRADICTED and the count is not used."""
    t3 = [r for r in rows if r.table == "t3"]
    counted = _t3_printed_rows(segments, t3)
    if counted is None or len(counted) != len(t3):
        return
    verdicts = [
        _t3_label_verdict(labels, shown, run, t3, j, counted)
        for j, (labels, shown, run) in enumerate(counted)
    ]
    if sum(v == "contradicts" for v in verdicts) > _T3_MAX_CONTRADICTED:
        return
    for j, ((_, _, run), verdict) in enumerate(zip(counted, verdicts, strict=True)):
        spec = t3[j]
        old = found.get(spec.key)
        if old is not None and old.how != "position" and verdict == "agrees" and _same_run(old, run):
            continue  # found by its own label on the same printed row: nothing to add
        reading = _reading(spec, run, "label" if verdict == "agrees" else "position")
        if verdict == "silent":
            reading.confidence = min(reading.confidence, 0.95)
            reading.reasons.append(T3_COUNTED)
        elif verdict == "contradicts":
            reading.confidence = min(reading.confidence, 0.6)
            reading.anomaly = reading.anomaly or "unconfirmed position"
            reading.reasons.append(T3_COUNT_CONTRADICTED)
        found[spec.key] = reading


def _t3_printed_rows(
    segments: list[_Segment], t3: list[RowSpec]
) -> list[tuple[list[Token], list[Token], list[Token]]] | None:
    """t3's printed rows from the one labelled as its first row to the one labelled as its last, each as
    (its own labels, all label text since the previous row, its run of figures); None when either end is
    not found by its label, a row is not a real grid's, or a run holds too few figures to be a row."""
    n = len(t3[0].columns)
    out: list[tuple[list[Token], list[Token], list[Token]]] = []
    shown: list[Token] = []  # label text since the last run of figures (label-only rows included)
    for i, segment in enumerate(segments):
        shown = [*shown, *segment.labels]
        if not _has_value(segment.values):
            continue
        value_row = next(t.row for t in segment.values if t.kind in ("number", "dash"))
        match = _match_label(segment.labels, t3, 0, value_row) if segment.labels else None
        if not out and match != (0, "label") and not _t3_first_label_wrapped(segments, i, t3):
            shown = []
            continue
        for k, run in enumerate(_split_run(segment.values, n)):
            filled = [t for t in run if t.kind != "blank"]
            if not all(t.in_table for t in run) or len(filled) < n - _T3_ROW_GAPS:
                return None
            out.append((segment.labels if k == 0 else [], shown if k == 0 else [], run))
        shown = []
        if len(out) > 1 and match == (len(t3) - 1, "label"):
            return out
    return None


def _t3_first_label_wrapped(segments: list[_Segment], i: int, t3: list[RowSpec]) -> bool:
    """t3's first row whose label wraps into the next printed row (一、本年新收政府 | 信息公开申请数量二、上年
    结转…, synth_998040: rule-less, the cell's lines cut by the row bands): its own text is the label's
    start, and with the next row's label text the label is shown whole; that next row is t3's second row
    by its own label. Too little of the label alone to match it, the count never started."""
    if not segments[i].labels or i + 1 >= len(segments) or not _has_value(segments[i + 1].values):
        return False
    following = segments[i + 1]
    value_row = next(t.row for t in following.values if t.kind in ("number", "dash"))
    if _match_label(following.labels, t3, 0, value_row) != (1, "label"):
        return False
    own = strip_enumerator("".join(t.key for t in segments[i].labels))
    text = own + "".join(t.key for t in following.labels)
    return any(
        label.startswith(own[:2])
        and _label_shown(label, own) >= _T3_FIRST_LABEL_OWN
        and _label_shown(label, text) >= LABEL_MATCH_MIN
        for label in t3[0].labels
    )


def _t3_label_verdict(
    labels: list[Token],
    shown: list[Token],
    run: list[Token],
    t3: list[RowSpec],
    j: int,
    counted: list[tuple[list[Token], list[Token], list[Token]]],
) -> str:
    """agrees, silent or contradicts: what a run's label says of the row the count puts it in."""
    value_row = next((t.row for t in run if t.kind in ("number", "dash")), run[0].row)
    match = _match_label(labels, t3, 0, value_row) if labels else None
    if match is None:
        return "silent"
    index, how = match
    if how == "group":
        if t3[index].group == t3[j].group or _centred_on_its_group(
            labels[-1], t3, j, t3[index].group, counted
        ):
            return "silent"
        return "contradicts"
    if index == j:
        return "agrees"
    text = "".join(t.key for t in shown)
    if any(_label_shown(label, text) >= _T3_LABEL_SHOWN for label in t3[j].labels):
        return "silent"  # the text also holds this row's own label: a line drifted from a neighbour
    return "contradicts"


def _centred_on_its_group(
    label: Token,
    t3: list[RowSpec],
    j: int,
    group: str | None,
    counted: list[tuple[list[Token], list[Token], list[Token]]],
) -> bool:
    """A group label read beside a row just before or after its group's rows (the count's), printed
    centred on them: it wraps over lines whose first stands a row or two early (synth_998040 p3: （四）无法
    提供 beside (三)'s last row; seed 774614: （五）不予处理's cell from (四)'s middle row down). Its middle
    lies among the rows the count gives the group, on the same page, and not in the row it was read
    beside: the label names the group where the count puts it."""
    members = [k for k, spec in enumerate(t3) if spec.group == group]
    if not members or not members[0] - _T3_CENTRED_REACH <= j <= members[-1] + _T3_CENTRED_REACH:
        return False
    figures = [t for k in members for t in counted[k][2] if t.kind in ("number", "dash")]
    own = [t for t in counted[j][2] if t.kind in ("number", "dash")]
    if not figures or not own or any(t.page != label.page for t in [*figures, *own]):
        return False
    middle = (label.bbox[1] + label.bbox[3]) / 2
    top, bottom = min(t.bbox[1] for t in figures), max(t.bbox[3] for t in figures)
    own_top, own_bottom = min(t.bbox[1] for t in own), max(t.bbox[3] for t in own)
    return top < middle < bottom and not own_top <= middle <= own_bottom


def _label_shown(label: str, text: str) -> float:
    """The share of a label found in the text, in order (anywhere in it, not only at its end)."""
    blocks = SequenceMatcher(None, label, text, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) / len(label)


def _same_run(reading: RowReading, run: list[Token]) -> bool:
    ids = {id(t) for t in run}
    return any(t is not None and id(t) in ids for t in reading.cells)


def _place_short_rows_by_columns(found: dict[str, RowReading]) -> None:
    """A grid row with a cell missing has its figures filled in from the left, as a text row must be; a
    grid knows better: each figure stands under one of the columns a full row of the same table and page
    sets out (seed 725011: t3's 部分公开 lost its first figure into the wrapped label beside it, and its
    figures slid one column left, failing two columns' rules). The row stays a structural fault."""
    for reading in found.values():
        present = [t for t in reading.cells if t is not None]
        if reading.anomaly != "cells missing" or not present or not all(t.in_table for t in present):
            continue
        centres = _column_centres(reading, found)
        columns = _columns_under(present, centres) if centres is not None else None
        if columns is None:
            continue
        placed: list[Token | None] = [None] * len(reading.cells)
        for token, column in zip(present, columns, strict=True):
            placed[column] = token
        if placed != reading.cells:
            reading.cells = placed
            reading.reasons.append("note: its figures placed under the columns of a full row above or below")


def _column_centres(reading: RowReading, found: dict[str, RowReading]) -> list[float] | None:
    """The x centres of the cells of the nearest full, sound row of the same table on the same page."""
    first = next(t for t in reading.cells if t is not None)
    full = [
        cells
        for r in found.values()
        if r.spec.table == reading.spec.table
        and r.anomaly is None
        and len(r.cells) == len(reading.cells)
        and len(cells := [t for t in r.cells if t is not None and t.in_table and t.page == first.page])
        == len(r.cells)
    ]
    if not full:
        return None
    nearest = min(full, key=lambda cells: abs(cells[0].bbox[1] - first.bbox[1]))
    return [(t.bbox[0] + t.bbox[2]) / 2 for t in nearest]


def _columns_under(tokens: list[Token], centres: list[float]) -> list[int] | None:
    """The column each token stands under: the one whose centre is nearer than half the gap between two
    columns; None unless every token has one and they keep their order."""
    if len(centres) < 2:
        return None
    reach = min(abs(b - a) for a, b in itertools.pairwise(centres)) / 2
    columns = []
    for token in tokens:
        x = (token.bbox[0] + token.bbox[2]) / 2
        best = min(range(len(centres)), key=lambda j: abs(centres[j] - x))
        if abs(centres[best] - x) >= reach:
            return None
        columns.append(best)
    return columns if columns == sorted(set(columns)) else None


def _other_template_rows(rows: list[RowSpec], found: dict[str, RowReading]) -> None:
    """A group named only by its label with none of its sub-rows found is the other template's single
    row (the 2019 （六）其他处理 in a 2021 table): its figures belong to no one sub-row (build.py keeps them
    under the other template's key)."""
    for spec in rows:
        reading = found.get(spec.key)
        if reading is None or reading.how != "group" or spec.group is None:
            continue
        subrows = [r for r in rows if r.group == spec.group]
        if not any(spec.key in keys for keys in printed_as_one_row().values()):
            continue  # no other template prints this group as one row: the group label names its first row
        if len(subrows) > 1 and not any(r.key in found for r in subrows if r is not spec):
            reading.anomaly = OTHER_TEMPLATE_ROW


# --- aligning values to columns --------------------------------------------------------------------


def _reading(spec: RowSpec, run: list[Token], how: str) -> RowReading:
    n = len(spec.columns)
    rule = _row_rule(spec)
    run = _split_leading_zero(run, n, checked=rule is not None)
    candidates = _alignments(run, n, checked=rule is not None)
    reading = RowReading(spec=spec, cells=list(candidates[0]), how=how)
    if how == "group":
        reading.reasons.append("note: row named by its group label")
    if len(candidates) == 1:
        _note_shape(reading, run, n)
        _note_gaps(reading)
        return reading
    return _choose_alignment(reading, candidates, rule, run, n)


# Two figures run together with a 0 first ("00", "03"): a count is never printed with a leading zero.
_RUN_TOGETHER = re.compile(r"0\d")


def _split_leading_zero(run: list[Token], n: int, checked: bool) -> list[Token]:
    """A row one figure short whose one figure with a leading zero is two cells run together: 0 and the digit
    after it, each half of its box. Rule-less t4 printed review.total 0 beside suit_direct.upheld 0 with no
    column cut between them, read 00, and the row of 14 cells lost both (holdout 989898's synth_989967).
    The split is the only one (no count has a leading zero), but it takes the row to be short for that
    reason alone: where the row's own arithmetic checks it (`checked`: t3, t4) the halves carry a note
    saying where they came from; elsewhere (t2) nothing would catch a misread (a speck read 0 before a 5),
    so the halves are doubted and go to a person."""
    joined = [i for i, t in enumerate(run) if t.kind == "number" and _RUN_TOGETHER.fullmatch(t.text.strip())]
    if sum(t.kind != "blank" for t in run) != n - 1 or len(joined) != 1:
        return run
    token = run[joined[0]]
    x0, y0, x1, y1 = token.bbox
    mid = (x0 + x1) / 2
    why = f"read {token.text.strip()!r}, taken as two cells run together (a count has no leading zero)"
    why = f"note: {why}" if checked else f"{why}; no rule of the row checks the split"
    halves = [
        replace(token, text=text, bbox=box, reasons=[*token.reasons, why])
        for text, box in (
            (token.text.strip()[0], (x0, y0, mid, y1)),
            (token.text.strip()[1], (mid, y0, x1, y1)),
        )
    ]
    return [*run[: joined[0]], *halves, *run[joined[0] + 1 :]]


def _note_shape(reading: RowReading, run: list[Token], n: int) -> None:
    real = [t for t in run if t.kind != "blank"]
    if len(real) < n and len(run) < n:
        reading.reasons.append(f"row has {len(run)} cells for {n} columns")
        reading.confidence = min(reading.confidence, 0.5)
        reading.anomaly = "cells missing"
    elif len(run) > n:
        reading.reasons.append(f"note: {len(run) - n} empty stray cell(s) dropped")


def _note_gaps(reading: RowReading) -> None:
    """An empty or unreadable cell among the row's values: the others may have slid along the row (a lost
    cell and a shifted column look exactly like this), so the row holds no sure place."""
    gaps = [
        t is None or t.kind in ("blank", "unreadable") or parse_value(t.text, col.type).kind == "invalid"
        for t, col in zip(reading.cells, reading.spec.columns, strict=True)
    ]
    if any(gaps) and not all(gaps) and reading.anomaly is None:
        reading.anomaly = EMPTY_CELLS
        # In t3 and t4 the row and column sums show a shift; t2 has no arithmetic to show it.
        if reading.spec.table == "t2":
            reading.reasons.append(
                "an empty or unreadable cell in this row: its other values may have shifted"
            )


def _alignments(run: list[Token], n: int, checked: bool = False) -> list[list[Token | None]]:
    """Ways to read the run as the row's n cells. `checked`: the row has its own arithmetic to choose
    among them (t3, t4)."""
    values = list(run)
    while len(values) > n and values[0].kind == "blank":
        values.pop(0)
    while len(values) > n and values[-1].kind == "blank":
        values.pop()
    if len(values) > n and sum(t.kind == "blank" for t in values) == len(values) - n:
        filled: list[Token | None] = [t for t in values if t.kind != "blank"]
        if not (checked and len(values) == n + 1 and values[n - 1].kind == "blank"):
            return [filled]
        # The row's last column (its total) empty and one figure after it: a total the report left blank
        # with a stray figure (a speck read as 1), or an empty cell too many. The arithmetic may choose
        # (_choose_alignment), never the shape alone (MUTATION_SEED=61: kewei's blank carried_forward
        # total with a stray 1 after it was read 1, `ok`). The empty cell dropped comes last: the pick
        # when nothing decides. (An empty cell inside the row is a layout's spare cell: scans' t4 rows
        # hold them often, and a blank inner cell with a stray figure is no likelier than it.)
        return [[*values[:-1]], filled]
    if len(values) == n:
        return [list(values)]
    if len(values) < n:
        return [[*values, *([None] * (n - len(values)))]]
    extra = len(values) - n
    windows = [values[i : i + n] for i in range(extra + 1)]
    if extra == 1:
        windows += [values[:i] + values[i + 1 :] for i in range(1, n)]
    unique: dict[tuple[int, ...], list[Token | None]] = {}
    for window in windows:
        unique.setdefault(tuple(id(t) for t in window), list(window))
    return list(unique.values())


def _choose_alignment(
    reading: RowReading,
    candidates: list[list[Token | None]],
    rule: Callable[[list[str]], bool] | None,
    run: list[Token],
    n: int,
) -> RowReading:
    stray = max(1, len([t for t in run if t.kind != "blank"]) - n)  # an empty cell too many is one stray
    texts = [[(t.text if t else "") for t in c] for c in candidates]
    if all(x == texts[0] for x in texts):
        reading.reasons.append(f"note: {stray} stray column(s); every alignment gives the same values")
        return reading
    fitting = [c for c, x in zip(candidates, texts, strict=True) if rule and rule(x)]
    pick = fitting[0] if len(fitting) == 1 else candidates[-1 if not fitting else 0]
    reading.cells = list(pick)
    reading.confidence = min(reading.confidence, 0.8 if len(fitting) == 1 else 0.5)
    reading.anomaly = "stray column"
    options = [c for c in (fitting or candidates)]
    reading.ambiguous = {i for i in range(n) if len({(t.text if (t := c[i]) else "") for c in options}) > 1}
    # A figure that another way of reading the row leaves blank may be a stray in a cell printed empty:
    # no arithmetic over the row's figures can tell (rules assume a figure is there).
    reading.ambiguous |= {
        i for i in range(n) if any(not _filled(c[i]) for c in candidates) and _filled(pick[i])
    }
    if len(fitting) == 1:
        reading.reasons.append(
            f"{stray} stray column(s); alignment chosen because only it satisfies the row sum"
        )
    else:
        reading.reasons.append(f"{stray} stray column(s); cannot tell which cells are the stray ones")
    return reading


def _filled(token: Token | None) -> bool:
    return token is not None and token.kind != "blank"


def _row_rule(spec: RowSpec) -> Callable[[list[str]], bool] | None:
    """The arithmetic inside one printed row, used to pick among alignments."""
    if spec.table == "t3":
        return lambda xs: (v := _ints(xs)) is not None and sum(v[:6]) == v[6]
    if spec.table == "t4":
        return lambda xs: (
            (v := _ints(xs)) is not None and all(sum(v[g : g + 4]) == v[g + 4] for g in (0, 5, 10))
        )
    return None


def _ints(texts: list[str]) -> list[int] | None:
    out = []
    for text in texts:
        parsed = parse_value(text, "int")
        if parsed.value is None:
            return None
        out.append(int(parsed.value))
    return out


# --- t4 --------------------------------------------------------------------------------------------


def _t4_values(tokens: Sequence[Token]) -> list[Token] | None:
    header = t4_header_keys()
    start = _t4_start(tokens, header)
    if start is None:
        return _t4_by_shape(tokens)
    values: list[Token] = []
    for token in tokens[start:]:
        if token.kind == "text":
            if strip_enumerator(token.key) in header or _is_header_fragment(token.key, header):
                values.clear()  # blanks so far were empty header cells
                continue
            if _has_value(values):
                break
            continue
        values.append(token)
    return values if _has_value(values) else None


def _t4_start(tokens: Sequence[Token], header: set[str]) -> int | None:
    """The 行政复议 header cell followed by 行政诉讼 or 结果维持; one character in four may be misread
    (OCR: 行政視議), the pair of headers together still names the table."""
    for i, token in enumerate(tokens):
        if _near(token.key, "行政复议"):
            following = tokens[i + 1 : i + 10]
            if any(_near(t.key, "行政诉讼") or _near(t.key, "结果维持") for t in following):
                return i
        if _is_header_line(token.key, header):
            return i
    return None


# t4's own header words: t3's header also prints 其他 and 总计.
_T4_OWN_WORDS = ("行政复议", "行政诉讼", "结果维持", "结果纠正", "尚未审结", "未经复议直接起诉", "复议后起诉")
_T4_COLUMNS = 15


def _t4_by_shape(tokens: Sequence[Token]) -> list[Token] | None:
    """t4 when its 行政复议 is misread beyond _t4_start's tolerance (行政祖浙, 行以神議: 9-pt type on
    150-dpi bilevel scans): the document's one printed row of fourteen to sixteen figures and no label
    (t2 and t3 rows hold three to seven figures after a label), under header text that shows at least two
    of t4's own words or their halves (结果维持, 尚未, 審結, 行政匆讼: one character in four may be
    misread). Two such rows, or a header that names no t4 column, and t4 stays unread."""
    rows = [list(group) for _, group in itertools.groupby(tokens, key=lambda t: t.row)]
    found: list[list[Token]] = []
    words: list[Token] = []  # text since the last row with a figure
    for row in rows:
        figures = [t for t in row if t.kind in ("number", "dash", "unreadable")]
        if not figures:
            words.extend(t for t in row if t.kind == "text")
            continue
        texts = [t for t in row if t.kind == "text"]
        # Only a real grid's row ids are printed rows (a text line's run of blocks shares one id).
        in_grid = all(t.in_table for t in row)
        if in_grid and not texts and abs(len(figures) - _T4_COLUMNS) <= 1 and _t4_header_shown(words):
            found.append(row)
        words = list(texts)
    if len(found) != 1:
        return None
    return found[0]


def _t4_header_shown(words: list[Token]) -> bool:
    """Two of t4's own words or their halves among the header's cells; a header printed with no row under
    it on its page (the row carried onto the next) is read as lines of prose, and a line of header words
    (_header_words_only) counts each own word it holds whole (未经复议直接起诉复议后起诉: two). Not counted,
    a rule-less t4 header at a page's foot over its row on the next left t4 unread (synth_772204: 15 fields
    not found)."""
    hits = 0
    within: set[str] = set()
    for token in words:
        key = strip_enumerator(token.key)
        if any(_near(key, w) or (len(key) >= 2 and len(key) <= 4 and key in w) for w in _T4_OWN_WORDS):
            hits += 1
        elif len(key) > 4 and _header_words_only(key):
            within.update(w for w in _T4_OWN_WORDS if w in key)
    return hits + len(within) >= 2


# t4's header words, the halves a two-line cell prints among them.
_T4_HEADER_WORDS = sorted(
    {*_T4_OWN_WORDS, "结果", "维持", "纠正", "其他", "尚未", "审结", "总计"}, key=len, reverse=True
)


def _header_words_only(key: str) -> bool:
    """A line of t4's header words and little else (a quarter of its characters at most): not prose that
    names them (行政复议和行政诉讼情况良好)."""
    rest = key
    for word in _T4_HEADER_WORDS:
        rest = rest.replace(word, "")
    return 4 * len(rest) <= len(key)


def _is_header_line(key: str, header: set[str]) -> bool:
    """The header's top cells printed as one line of text ("行政复议 行政诉讼" above a table that starts
    on the next page): 行政复议 and then nothing but other header words."""
    if not key.startswith("行政复议") or len(key) == len("行政复议"):
        return False
    return _header_words(frozenset(header)).fullmatch(key[len("行政复议") :]) is not None


@lru_cache(maxsize=4)
def _header_words(header: frozenset[str]) -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(sorted(header, key=len, reverse=True)) + ")+")


def _near(key: str, target: str) -> bool:
    """Equal but for at most one character in four of the same length."""
    if len(key) != len(target):
        return False
    return sum(a != b for a, b in zip(key, target, strict=True)) * 4 <= len(target)


def _is_header_fragment(key: str, header: set[str]) -> bool:
    return bool(key) and len(key) <= 4 and any(key in h for h in header)
