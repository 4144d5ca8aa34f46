"""Table rows whose cells run together in text, split by the table's own arithmetic.

The text a crawler keeps of a portal page loses the borders between cells: `一、本年新收政府信息公开申请数量
713000074` is 71 3 0 0 0 0 74, and a whole report body may sit on one line. A run of digits can be cut into
the row's cells in several ways; the national tables say which cut is right:
  - every cell is a number as printed (no leading zero, a sign only in a change column, a fraction only in
    a money column), and white space in the run is always a border between cells, as is a change between
    full- and half-width digits (a cell is typed in one width);
  - t3: each row's total is the sum of its six applicant columns, and per column the balance
    (new + carried over = total + carried forward) and the outcomes (total = sum of the outcome rows) hold;
  - t4: per group, total = upheld + corrected + other + pending;
  - t2 has no arithmetic, but the prose may state a cell ("集中公开现行有效行政规范性文件698件"): the cuts
    that print every such figure (that some cut prints) in its column are kept.
The rows are solved together: each row's cuts that satisfy its own sum, then the column equations across
rows. A cell every remaining cut agrees on is read (with a note saying how); a cell the cuts disagree on
is a guess and goes to review. A document whose own columns do not add up keeps what each row alone decides.

Only runs behind a template row's label are cut (so prose figures are left alone), in template order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from ingest.normalize import clean_text, halfwidth, label_key
from ingest.templates import (
    RowSpec,
    Template,
    load_template,
    prose_column_words,
    strip_enumerator,
    t4_header_keys,
    template_markers,
    template_names,
)

# A run of printed numbers: digits, spaces between them, a sign, a decimal point, a comma before each three
# digits of a sum in yuan (412,300元), a money unit at the end (traditional script prints 萬).
_RUN = re.compile(
    r"[-－+＋]?[0-9０-９](?:[0-9０-９\s.．\-－+＋]|[,，](?=[0-9０-９]{3}))*(?:[万萬]元|[万萬]|元)?"
)
# "…00000002.其他…": the digit before ". + a word" is the next row's enumerator, not a cell.
_ENUMERATOR_TAIL = re.compile(r"[0-9０-９][.．]$")
# A figure followed by a counting unit or a date part is prose ("共 34 件", "2020 年"), not a cell run.
_PROSE_UNIT = set("件条项个次人篇份家户余多年月日号%‰倍名期批场")
# A cell as printed; a lone dash is the tables' "none" in any column (0 in the arithmetic).
_CELL = {
    "int": re.compile(r"0|[1-9]\d*|-"),
    "signed_int": re.compile(r"[-+]?(?:0|[1-9]\d*)|-"),
    "decimal_wan": re.compile(r"(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?(?:[万萬]元|[万萬]|元)?|-"),
}
# Past these the search gives up and the cells go to review (no real table comes near them).
_MAX_SPLITS = 20000
_MAX_PARTIAL_SUMS = 200000
GUESS_CONFIDENCE = 0.5
# A line with this many labelled runs is a table row sequence even when prose surrounds it.
_MIN_ROWS_IN_PROSE = 3
# t4's header printed before its run: at least this many of its words in a row.
_T4_HEADER_WORDS = 5
# Words that only a table header prints (a run behind them is a row, not prose).
_TABLE_HEADERS = ("第二十条", "信息内容", "申请人情况", "本年度办理结果")
# The next section's heading ("五、存在的主要问题…") may follow a table's last row on its line.
_SECTION = re.compile(r"[一二三四五六七八九十]+、")
_T3_EDGES = ("t3.new_received", "t3.carried_over", "t3.total", "t3.carried_forward")


@dataclass(frozen=True, slots=True)
class GluedCell:
    text: str
    sure: bool
    reason: str = ""  # a "note: …" when sure, why it is doubtful when not


@dataclass(slots=True)
class GluedRow:
    label: str  # the row's label as printed, with its enumerator
    run: str  # the printed run the cells came from
    cells: list[GluedCell]
    split: bool  # True when a run had to be cut (not only split at its spaces)


Piece = str | GluedRow


@dataclass(slots=True)
class _Segment:
    line: int
    label_start: int
    run_start: int
    run_end: int
    run: str  # half-width
    spec: RowSpec
    splits: list[tuple[str, ...]] = field(default_factory=list)  # every cut into the row's cells
    fitting: list[tuple[str, ...]] = field(default_factory=list)  # the cuts its own arithmetic allows
    kept: list[tuple[str, ...]] = field(default_factory=list)  # the cuts left after the column equations
    how: str = ""
    # Placed by position (a run with no label of its own after its table's rows); None: found by its label.
    # True once the next labelled row comes exactly where the template puts it.
    confirmed: bool | None = None


def template_hint(text: str) -> str | None:
    """The template whose header markers the text shows more of; None on a tie."""
    key = label_key(text)
    scores = {name: sum(1 for m in marks if m in key) for name, marks in template_markers().items()}
    best = max(scores.values())
    winners = [name for name, score in scores.items() if score == best]
    return winners[0] if best and len(winners) == 1 else None


_VERTICAL_LABEL = "三本年度办理结果"


def split_glued(lines: Sequence[str], hint: str | None) -> dict[int, list[Piece]]:
    """For each line holding table rows, its pieces in order: prose/header text and rows of cells.
    Lines without rows are left out. `hint` is the template the document's headers name (None: unknown,
    then t2 runs are not cut, since the two templates give their t2 rows different columns)."""
    template = load_template(hint or _best_template(lines))
    segments = _find_segments(lines, template)
    if not segments:
        return {}
    for segment in segments:
        if hint is None and segment.spec.table == "t2" and not _same_in_both(segment.spec.key):
            continue  # 行政许可 has three columns in 2019 and one in 2021: no cut, no cells
        _enumerate(segment, cut=hint is not None or segment.spec.table != "t2")
    _solve_t3(segments, template)
    _decide_by_prose(segments, lines, template.table_rows("t2"))
    out: dict[int, list[Piece]] = {}
    for line_no, group in itertools.groupby(segments, key=lambda s: s.line):
        pieces = _pieces(lines[line_no], list(group))
        if pieces is not None:
            out[line_no] = pieces
    return out


# --- finding the rows ------------------------------------------------------------------------------


@cache
def _same_in_both(row_key: str) -> bool:
    shapes = {
        tuple(c.type for c in r.columns)
        for name in template_names()
        for r in load_template(name).rows
        if r.key == row_key
    }
    return len(shapes) == 1


def _best_template(lines: Sequence[str]) -> str:
    counts = {name: len(_find_segments(lines, load_template(name))) for name in template_names()}
    return max(template_names(), key=lambda n: (counts[n], n))


def _find_segments(lines: Sequence[str], template: Template) -> list[_Segment]:
    """Labelled runs in template order. A line counts only when it is a row by itself (label and run
    fill it) or holds several rows; a lone labelled figure inside prose is not a table row."""
    rows = [*template.rows, template.t4] if template.t4 else list(template.rows)
    pos = 0
    segments: list[_Segment] = []
    above = ""  # the last non-empty line: t4's header may stand on the line above its run
    in_table = False  # only blank lines and repeated headers since the last row
    for line_no, line in enumerate(lines):
        found = _line_segments(line_no, line, rows, pos, above)
        if found and (len(found) >= _MIN_ROWS_IN_PROSE or _fills_line(line, found)):
            segments.extend(found)
            pos = rows.index(found[-1].spec) + 1
            in_table = True
        elif (
            in_table
            and pos < len(rows)
            and (unlabelled := _unlabelled_row(line_no, line, rows[pos], segments))
        ):
            segments.append(unlabelled)
            pos += 1
        elif line.strip() and (_SECTION.match(line.strip()) or any(ch.isdigit() for ch in line)):
            in_table = False
        above = line if line.strip() else above
    _confirm_positions(segments, rows)
    return segments


def _unlabelled_row(line_no: int, line: str, spec: RowSpec, segments: list[_Segment]) -> _Segment | None:
    """A line that is one run and nothing else (or behind one character of the vertical 三、本年度办理结果)
    right after a row of the same t3 group: the group's next sub-row, whose label was lost (crawler text of a
    table that prints only the group's label, its sub-rows' labels blank or merged away). Only sub-rows lose
    their labels so; a bare number anywhere else (a page number between t2 rows) is no row. Placed only if
    the run cuts into the row's cells."""
    runs = _runs(line)
    if len(runs) != 1 or not segments or spec.group is None or segments[-1].spec.group != spec.group:
        return None
    (start, end) = runs[0]
    head = label_key(line[:start])
    if line[end:].strip() or (head and not _vertical_label_char(head)):
        return None
    run = _cells_run(line[start:end])
    if not _splits(run.split(), [c.type for c in spec.columns]):
        return None
    return _Segment(line_no, 0, start, end, run, spec, confirmed=False)


def _confirm_positions(segments: list[_Segment], rows: list[RowSpec]) -> None:
    """Rows placed by position keep their place in the column equations only when the next row found by
    its label comes exactly where the template puts it (as many rows lost as the template has there)."""
    for i, segment in enumerate(segments):
        if segment.confirmed is None or (i + 1 < len(segments) and segments[i + 1].confirmed is not None):
            continue
        following = segments[i + 1] if i + 1 < len(segments) else None
        exact = following is not None and rows.index(following.spec) == rows.index(segment.spec) + 1
        k = i
        while k >= 0 and segments[k].confirmed is not None:
            segments[k].confirmed = exact
            k -= 1


def _line_segments(line_no: int, line: str, rows: list[RowSpec], pos: int, above: str) -> list[_Segment]:
    found: list[_Segment] = []
    context_start = 0
    for run_start, run_end in _runs(line):
        context = line[context_start:run_start]
        from_above = not context.strip() and context_start == 0
        if from_above:
            context = above + context  # a run opening its line: the line above may be t4's header
        context_start = run_end
        match = _match_row(context, rows, pos)
        if match is None or (from_above and rows[match[0]].table != "t4"):
            continue
        index, label_len = match
        run = _cells_run(line[run_start:run_end])
        found.append(_Segment(line_no, run_start - label_len, run_start, run_end, run, rows[index]))
        pos = index + 1
    return found


def _fills_line(line: str, found: list[_Segment]) -> bool:
    """What stands before the first label is nothing or a table header, and what follows the last run is
    nothing, a header, or the next section."""
    head = label_key(line[: found[0].label_start])
    tail = line[found[-1].run_end :].strip()
    head_ok = (
        not head
        or found[0].spec.table == "t4"
        or _has_header_word(head)
        or _vertical_label_char(head)
        or _group_head(head, found[0].spec)
    )
    return head_ok and (not tail or bool(_SECTION.match(tail)) or _has_header_word(label_key(tail)))


def _vertical_label_char(key: str) -> bool:
    """One character of 三、本年度办理结果 printed vertically heads each row it spans ("本（三）不予公开…")."""
    return len(key) == 1 and key in _VERTICAL_LABEL


def _group_head(key: str, spec: RowSpec) -> bool:
    """The group's label before its first sub-row ("（三）不予公开1.属于国家秘密…"), perhaps behind a
    character of the vertical label."""
    if spec.group is None:
        return False
    return spec.group in (
        strip_enumerator(key),
        strip_enumerator(key[1:]) if _vertical_label_char(key[:1]) else "",
    )


def _has_header_word(key: str) -> bool:
    return any(word in key for word in _header_words())


@cache
def _header_words() -> tuple[str, ...]:
    markers = [m for marks in template_markers().values() for m in marks]
    return (*_TABLE_HEADERS, *markers)


# Between a full-width digit and a half-width one: a cell is typed in one width, so a change of width
# within a run is a border between cells, like white space (行政许可３７５00 is 375 | 0 | 0).
_WIDTH_CHANGE = re.compile(r"(?<=[０-９])(?=[0-9])|(?<=[0-9])(?=[０-９])")


def _cells_run(printed: str) -> str:
    """A printed run as the splitter reads it: half-width, a space where its digits change width."""
    return halfwidth(_WIDTH_CHANGE.sub(" ", printed))


def _runs(line: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for match in _RUN.finditer(line):
        start, end = match.span()
        text = match.group()
        stripped = text.rstrip()
        if _ENUMERATOR_TAIL.search(stripped) and not line[end : end + 1].isdigit():
            stripped = stripped[:-2]  # the next label's "2."
        stripped = stripped.rstrip(".．+＋ \t\u3000\xa0")
        if not any(ch.isdigit() for ch in stripped):
            continue
        after = line[start + len(stripped) :].lstrip()[:1]
        if after in _PROSE_UNIT:
            continue
        out.append((start, start + len(stripped)))
    return out


def _match_row(context: str, rows: list[RowSpec], pos: int) -> tuple[int, int] | None:
    """The first template row at or after `pos` whose label ends the context, and the printed length of
    that label (with its enumerator)."""
    key = label_key(context)
    if not key:
        return None
    t4 = next((i for i in range(pos, len(rows)) if rows[i].table == "t4"), None)
    if t4 is not None and _is_t4_header(key):  # its header ends in 总计, which also names a t3 row
        return t4, 0
    for index in range(pos, len(rows)):
        # A group's label alone names its first sub-row ("（三）不予公开0000000"), as in the table stage.
        for label in [*rows[index].labels, *filter(None, [rows[index].group_label])]:
            if key.endswith(label):
                return index, _printed_length(context, label)
    return None


def _is_t4_header(key: str) -> bool:
    """The context ends in t4's column header (结果维持 结果纠正 … 总计), not merely in prose that
    mentions 行政复议."""
    words = "|".join(sorted(t4_header_keys(), key=len, reverse=True))
    suffix = re.search(f"(?:{words})+$", key)
    if suffix is None:
        return False
    return len(re.findall(words, suffix.group())) >= _T4_HEADER_WORDS and "结果维持" in suffix.group()


_ENUMERATOR_PREFIX = re.compile(
    r"(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d[.．、])\s*$"
)


def _printed_length(context: str, label: str) -> int:
    """How many characters at the end of the context print the label, its enumerator included."""
    for size in range(len(label), len(context) + 1):
        if label_key(context[-size:]).endswith(label):
            head = context[: len(context) - size]
            enumerator = _ENUMERATOR_PREFIX.search(head)
            return size + (len(enumerator.group()) if enumerator else 0)
    return len(context)


# --- cutting one run -------------------------------------------------------------------------------


def _enumerate(segment: _Segment, cut: bool) -> None:
    types = [c.type for c in segment.spec.columns]
    groups = segment.run.split()
    if not cut:
        segment.splits = [tuple(groups)] if len(groups) == len(types) else []
    else:
        segment.splits = _splits(groups, types)
    rule = _row_rule(segment.spec.table)
    segment.fitting = [s for s in segment.splits if rule is None or rule(s)]
    segment.kept = segment.fitting


def _splits(groups: list[str], types: list[str]) -> list[tuple[str, ...]]:
    """Every way to cut the groups (white space is always a border) into one valid cell per column."""
    out: list[tuple[str, ...]] = []
    n = len(types)

    def walk(group: int, at: int, cells: list[str]) -> None:
        if len(out) > _MAX_SPLITS:
            return
        if group == len(groups):
            if len(cells) == n:
                out.append(tuple(cells))
            return
        column = len(cells)
        if column == n or n - column < len(groups) - group:
            return
        text = groups[group]
        for end in range(at + 1, len(text) + 1):
            cell = text[at:end]
            if not _CELL[types[column]].fullmatch(cell):
                continue
            if end == len(text):
                walk(group + 1, 0, [*cells, cell])
            else:
                walk(group, end, [*cells, cell])

    walk(0, 0, [])
    return out if len(out) <= _MAX_SPLITS else []


def _row_rule(table: str) -> Callable[[Sequence[str]], bool] | None:
    if table == "t3":
        return lambda cells: (v := _ints(cells)) is not None and sum(v[:6]) == v[6]
    if table == "t4":
        return lambda cells: (
            (v := _ints(cells)) is not None and all(sum(v[g : g + 4]) == v[g + 4] for g in (0, 5, 10))
        )
    return None


def _ints(cells: Sequence[str]) -> list[int] | None:
    try:
        return [0 if c == "-" else int(c) for c in cells]
    except ValueError:
        return None


# --- t3 columns, jointly -----------------------------------------------------------------------------


def _solve_t3(segments: list[_Segment], template: Template) -> None:
    """Keep, for each t3 row, only the cuts that take part in a solution of every column equation that
    can be written (all its rows found). A row whose own sum no cut satisfies (the document printed it
    so) takes part with all its cuts: the columns may still decide its cells. With no solution at all
    (the document's columns do not add up), each row keeps what its own sum allows."""
    t3 = {
        s.spec.key: s
        for s in segments
        if s.spec.table == "t3" and _candidates(s) and s.confirmed is not False
    }
    outcomes = [r.key for r in template.table_rows("t3") if r.key not in _T3_EDGES]
    # Each equation as row → coefficient: the weighted sum of the rows is 0 in every column.
    equations: list[dict[str, int]] = []
    if all(k in t3 for k in _T3_EDGES):
        equations.append(
            {"t3.new_received": 1, "t3.carried_over": 1, "t3.total": -1, "t3.carried_forward": -1}
        )
    if "t3.total" in t3 and all(k in t3 for k in outcomes):
        equations.append({"t3.total": 1, **{k: -1 for k in outcomes}})
    involved = sorted({k for eq in equations for k in eq})
    if not equations:
        return
    options = {k: [_contribution(_ints(c) or [], k, equations) for c in _candidates(t3[k])] for k in involved}
    keep = _solutions([options[k] for k in involved])
    if keep is None:
        return  # too many partial sums to follow: each row keeps what its own sum allows
    if not all(keep):
        for k in involved:
            t3[k].how = "no cut makes the columns add up (the document's own inconsistency?)"
        return
    for k, kept in zip(involved, keep, strict=True):
        t3[k].kept = [_candidates(t3[k])[i] for i in sorted(kept)]
        if len(_candidates(t3[k])) > 1:
            t3[k].how = "column equations"


def _candidates(segment: _Segment) -> list[tuple[str, ...]]:
    """The cuts a row brings to the column equations: those its own sum allows, or every cut when its
    sum holds for none."""
    return segment.fitting or segment.splits


def _contribution(values: list[int], row: str, equations: list[dict[str, int]]) -> tuple[int, ...]:
    """What one row adds to every equation, column by column."""
    return tuple(eq.get(row, 0) * v for eq in equations for v in values)


def _solutions(rows: list[list[tuple[int, ...]]]) -> list[set[int]] | None:
    """For each row, the options that belong to some choice (one option per row) summing to zero. The
    search follows the reachable partial sums forward, then the sums that can still reach zero backward,
    so it stays small when most rows have a single option. None when the sums grow past the limit."""
    width = len(rows[0][0]) if rows and rows[0] else 0
    reach: list[set[tuple[int, ...]]] = [{(0,) * width}]
    for options in rows:
        reach.append({_add(s, o) for s in reach[-1] for o in options})
        if len(reach[-1]) > _MAX_PARTIAL_SUMS:
            return None
    wanted = {(0,) * width} & reach[-1]
    keep: list[set[int]] = [set() for _ in rows]
    for i in range(len(rows) - 1, -1, -1):
        before: set[tuple[int, ...]] = set()
        for s in reach[i]:
            for j, option in enumerate(rows[i]):
                if _add(s, option) in wanted:
                    keep[i].add(j)
                    before.add(s)
        wanted = before
    return keep


def _add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(x + y for x, y in zip(a, b, strict=True))


# --- t2 cells the prose states ----------------------------------------------------------------------

# A figure with a counting unit, and what may stand between a row's label and it ("…规范性文件共88件").
_STATED = re.compile(r"(?<![\d.])(\d+)[件个项条]")
_STATED_FILLER = re.compile(r"(?:的|共|计|为|达|合计)+$")
_CLAUSE = re.compile(r"[，,。；;：:！？!?、（）()]")


def _decide_by_prose(segments: list[_Segment], lines: Sequence[str], t2_rows: list[RowSpec]) -> None:
    """Narrow a t2 run's cuts to those printing the figures the prose states for its cells. A statement
    names one row and one of its columns right before its figure; a figure no cut prints is about something
    else and is ignored, and a cell stated twice with different figures decides nothing."""
    open_rows = {s.spec.key: s for s in segments if s.spec.table == "t2" and len(s.kept) > 1}
    if not open_rows:
        return
    stated = _prose_figures(_prose_text(segments, lines), [s.spec for s in open_rows.values()], t2_rows)
    for key, columns in stated.items():
        segment = open_rows[key]
        keep = segment.kept
        said: list[str] = []
        for column, figure in columns.items():
            narrowed = [cut for cut in keep if _ints([cut[column]]) == [figure]]
            if narrowed:
                keep = narrowed
                said.append(f"{segment.spec.columns[column].label} {figure}")
        if said and len(keep) < len(segment.kept):
            segment.kept = keep
            segment.how = f"the figures the prose states ({', '.join(said)})"


def _prose_text(segments: list[_Segment], lines: Sequence[str]) -> list[str]:
    """The document's lines with every table run cut out (a run is never a statement)."""
    out = list(lines)
    for segment in sorted(segments, key=lambda s: -s.run_start):
        line = out[segment.line]
        out[segment.line] = f"{line[: segment.label_start]}。{line[segment.run_end :]}"
    return out


def _prose_figures(
    lines: Sequence[str], specs: list[RowSpec], t2_rows: list[RowSpec]
) -> dict[str, dict[int, int]]:
    """Row key → column index → the figure the prose states for that cell (stated alike every time). A
    statement naming two rows ("规章和规范性文件共5件") states neither."""
    words = prose_column_words()
    seen: dict[tuple[str, int], set[int]] = {}
    for line in lines:
        for clause in _CLAUSE.split(_clause_text(line)):
            at = 0
            for m in _STATED.finditer(clause):
                before = _STATED_FILLER.sub("", label_key(clause[at : m.start()]))
                at = m.end()
                named = [(spec, i) for spec in specs for i in _named_columns(before, spec, words)]
                rows = {row.key for row in t2_rows if any(label in before for label in row.labels)}
                if len(named) == 1 and len(rows) == 1:
                    spec, column = named[0]
                    seen.setdefault((spec.key, column), set()).add(int(m.group(1)))
    out: dict[str, dict[int, int]] = {}
    for (key, column), figures in seen.items():
        if len(figures) == 1:
            out.setdefault(key, {})[column] = figures.pop()
    return out


def _named_columns(before: str, spec: RowSpec, words: dict[str, list[str]]) -> list[int]:
    """The row's columns the text names, when it ends in the row's label ("现行有效行政规范性文件")."""
    if not any(before.endswith(label) for label in spec.labels):
        return []
    return [
        i
        for i, column in enumerate(spec.columns)
        if column.type == "int" and any(w in before for w in words.get(column.key.rsplit(".", 1)[1], []))
    ]


def _clause_text(line: str) -> str:
    return clean_text(line).replace(" ", "")


# --- pieces for the token stream -------------------------------------------------------------------


def _pieces(line: str, segments: list[_Segment]) -> list[Piece] | None:
    readable = [s for s in segments if s.splits]
    if not readable:
        return None
    pieces: list[Piece] = []
    at = 0
    for segment in readable:
        if line[at : segment.label_start].strip():
            pieces.append(line[at : segment.label_start].strip())
        label = line[segment.label_start : segment.run_start].strip()
        pieces.append(
            GluedRow(label, line[segment.run_start : segment.run_end], _cells(segment), _was_cut(segment))
        )
        at = segment.run_end
    if line[at:].strip():
        pieces.append(line[at:].strip())
    return pieces


def _was_cut(segment: _Segment) -> bool:
    return len(segment.run.split()) != len(segment.spec.columns)


def _cells(segment: _Segment) -> list[GluedCell]:
    run = segment.run.strip()
    if not _was_cut(segment) and len(segment.splits) == 1:
        return [GluedCell(text, True) for text in segment.splits[0]]  # printed apart: nothing to decide
    options = segment.kept or segment.fitting or segment.splits
    if len(options) == 1:
        why = "the only cut into the row's cells" if len(segment.splits) == 1 else _decider(segment)
        note = f"note: cells split from the glued digits {run!r}: {why}"
        return [GluedCell(text, True, note) for text in options[0]]
    guess = min(options, key=lambda cells: _unlikeliness(segment.spec, cells))
    doubt = _doubt(segment, len(options))
    out: list[GluedCell] = []
    for column, text in enumerate(guess):
        seen = list(dict.fromkeys(o[column] for o in options))
        if len(seen) == 1:
            out.append(GluedCell(text, True, f"note: every cut of the glued digits {run!r} gives this cell"))
        else:
            shown = ", ".join(seen[:4]) + (" …" if len(seen) > 4 else "")
            out.append(GluedCell(text, False, f"{doubt}; this cell could be {shown}"))
    return out


# Columns that count what changed in the year (本年增/减, 废止): next to the counts they change they are small,
# most often 0, in the reports we have seen.
_CHANGE_COLUMNS = (".change", ".repealed")


def _unlikeliness(spec: RowSpec, cells: tuple[str, ...]) -> tuple[int, int, int]:
    """Orders the cuts of a run the arithmetic leaves open, so that the value shown for review is the likeliest.

    Only the guess depends on it; its cells stay in review. First the cuts that read a dash glued to the next
    digits as a minus sign rather than as an empty cell, then the shortest change cells, then the cut whose
    longest cell is shortest (cells of a row are of like size more often than not).
    """
    dashes = sum(1 for c, after in itertools.pairwise(cells) if c == "-" and after[:1].isdigit())
    change = sum(len(c) for c, f in zip(cells, spec.columns, strict=False) if f.key.endswith(_CHANGE_COLUMNS))
    return dashes, change, max(len(c) for c in cells)


def _decider(segment: _Segment) -> str:
    if segment.how.startswith("the figures the prose states"):
        return f"the only cut that prints {segment.how}"
    if segment.how == "column equations" and not segment.fitting:
        return "the only cut that satisfies the column equations (no cut satisfies the row's own sum)"
    if segment.how == "column equations":
        return "the only cut that satisfies the row sum and the column equations"
    if segment.spec.table == "t4":
        return "the only cut that satisfies the group sums"
    return "the only cut that satisfies the row sum"


def _doubt(segment: _Segment, count: int) -> str:
    run = segment.run.strip()
    if not segment.fitting:
        return f"glued digits {run!r}: no cut satisfies the row's arithmetic; {count} cuts possible"
    if segment.spec.table == "t2":
        return f"glued digits {run!r} can be cut {count} ways and t2 has no arithmetic to choose"
    return f"glued digits {run!r} can be cut {count} ways that all satisfy the table's arithmetic"
