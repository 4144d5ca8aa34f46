"""Table rows printed as lines of plain text or Markdown, read into cells.

Shapes besides the tab conventions `tokens` already reads:
  - Markdown (GFM) pipe rows `| label | 1 | 0 |`: one printed row each; separator rows (`|---|`) are no
    row, wherever they stand. Converters from PDF shred tables: labels of merged or multi-line cells end
    up as loose short lines between the pipe rows, away from the row they name, and a displaced cell as a
    bare number. Such loose lines between two pipe rows of one table cannot name the row that follows
    them, so they are left out; rows without a label are then placed by position between labelled rows
    (the table stage confirms or doubts each placement). A section heading between pipe rows ends the
    table, and what stands around it is kept.
  - pandoc's tables: grid tables (`+---+` borders), simple and multiline tables (columns where the dashes
    under the header stand, a multiline row's lines joined).
  - Columns aligned with two or more spaces (or ideographic spaces, or single spaces between figures); the
    rest of a wrapped label printed under its row (pdftotext -layout) joins that row's label.
  - Runs of glued cells behind a template row's label (`ingest.glued`), split by the table's arithmetic.
A t4 header printed as a line of its words ("行政复议行政诉讼") is cut into its words, so the table stage
sees the header cells it looks for.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from ingest.glued import GUESS_CONFIDENCE, GluedRow, split_glued, template_hint
from ingest.normalize import label_key, to_simplified
from ingest.templates import load_template, strip_enumerator, t4_header_keys, template_names
from ingest.values import cell_kind

GLUED_METHOD = "text:glued-split"
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
# GFM also allows rows without the outer pipes ("规章 | 0 | 0 | 7"); such a table is known by its delimiter
# row ("--- | :---: | ---"), and its rows are the lines holding a pipe next to it, up to a blank line.
_DELIMITER_ROW = re.compile(
    r"^\s*(?:\|\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\||\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?)\s*$"
)
_DASH_GROUPS = re.compile(r"^\s*-{2,}(?: +-{2,})+\s*$")
_DASH_LINE = re.compile(r"^\s*-{3,}\s*$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_GRID_BORDER = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
# html2text writes a one-cell header's delimiter as a lone "---" (a setext rule, were no pipe row under it).
_LONE_DELIMITER = re.compile(r"^\s*:?-{3,}:?\s*$")
_INNER_PIPE = re.compile(r"(?<!\\)\|")
_SEPARATOR_CELL = re.compile(r"^\s*:?-{1,}:?\s*$")
_MARKUP = re.compile(r"\*\*|__|<br\s*/?>", re.IGNORECASE)
# A heading ends a shredded table: "三、…情况", "五、其他需要报告的事项", "## 表三". (t3's own labels
# "三、本年度办理结果", "四、结转下年度继续办理" are no headings.)
_HEADING = re.compile(r"^\s*(?:#|[一二三四五六七八九十]+、.*(?:情况|事项|问题))")
# Loose lines longer than this are prose, never label fragments.
_MAX_LOOSE = 40
_ALIGN_GAP = re.compile(r"\s{2,}|\u3000+")
# The rest of a wrapped label on the lines under its row: short, unnumbered, where the label starts.
_MAX_TAIL = 24
_TAIL_INDENT = 4
# A label's two lines beside a row of figures each hold this many characters: a vertical label (度 / 办)
# or a group label's last character (（四）无法提 / 供) is no such label.
_CENTRED_MIN = 2
_TAIL_LEFT = 2  # a vertical label's next character stands further left (三 / 、 / 本 beside the labels)
_ENUMERATED = re.compile(
    r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d{1,2}[.．、]|第.{1,4}条)"
)
_SENTENCE_END = re.compile(r"[。；;！!？?：:]")
# A line of cells: labels are short; a header row is all short cells.
_MAX_LABEL = 60
_MAX_HEADER_CELL = 24
_MIN_HEADER_CELLS = 3
# A t4 header line has at least two of its words and nothing else.
_MIN_HEADER_WORDS = 2


@dataclass(slots=True)
class RowCell:
    text: str
    method: str = "text"
    conf: float = 1.0
    reasons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class TextRow:
    cells: list[RowCell]
    grid: bool = False  # a Markdown pipe row: a row of a real grid


Piece = str | TextRow


def read_text_rows(lines: Sequence[str]) -> dict[int, list[Piece]]:
    """For each line that is (or holds) table rows, or that a shredded table leaves out (empty list), its
    pieces in order: loose text and rows. Lines not in the result are read as before."""
    out: dict[int, list[Piece]] = _grid_tables(lines)
    out.update(_pandoc_tables(lines, out))
    pipes = [i for i in _pipe_rows(lines) if i not in out]
    for i in pipes:
        row = _pipe_row(lines[i])
        out[i] = [row] if row else []
    plain = [i for i in range(len(lines)) if i not in out and "\t" not in lines[i]]
    hint = template_hint("\n".join(lines))
    glued = split_glued([lines[i] for i in plain], hint)
    for k, pieces in glued.items():
        out[plain[k]] = [p for piece in pieces for p in _glued_piece(piece)]
    for i in _loose_in_tables(lines, pipes, out):
        out[i] = []
    aligned: dict[int, TextRow] = {}
    for i in plain:
        if i in out:
            continue
        if found := _aligned(lines[i]):
            out[i] = found
            if isinstance(found[0], TextRow):
                aligned[i] = found[0]
        elif found := _header_line(lines[i]):
            out[i] = found
    _join_label_tails(lines, out, aligned)
    return out


def _join_label_tails(lines: Sequence[str], out: dict[int, list[Piece]], aligned: dict[int, TextRow]) -> None:
    """A label wrapped in its cell, in text laid out by columns (pdftotext -layout): the row's line holds
    the label's first line and the figures, the lines under it the rest of the label, where the label
    starts ("一、本年新收政府  46 0 …" / "信息公开申请数量"). Such a line, short, unnumbered, without a
    sentence's end, right under a row with figures and no further left or right of its label than a few
    characters, is joined to that label and left out."""
    for i, row in sorted(aligned.items()):
        label_cell = _last_label_cell(row)
        if label_cell is None:
            _join_centred_label(lines, out, i, row)
            continue
        start = lines[i].find(label_cell.text)
        j = i + 1
        while j < len(lines) and j not in out and _label_tail(lines[j], start):
            label_cell.text += lines[j].strip()
            out[j] = []
            j += 1


def _join_centred_label(lines: Sequence[str], out: dict[int, list[Piece]], i: int, row: TextRow) -> None:
    """A row of figures only, between the two lines of its label (a browser centres the figures beside a
    label of two lines: 一、本年新收政府 / 3 2 0 … / 信息公开申请数量): the label is both lines, when they
    make a row's label of the templates (a group label or a vertical one set two characters a line beside
    its sub-rows, （四）无法 / 提供 or 三、 / 本年, names no row)."""
    if i == 0 or i + 1 >= len(lines) or i - 1 in out or i + 1 in out:
        return
    if any(cell_kind(c.text) == "text" for c in row.cells):
        return
    above, below = lines[i - 1], lines[i + 1]
    indent = len(above) - len(above.lstrip())
    if (
        len(above.strip()) >= _CENTRED_MIN
        and len(below.strip()) >= _CENTRED_MIN
        and _label_tail(above, indent, enumerated=True)
        and _label_tail(below, indent)
        and strip_enumerator(label_key(above.strip() + below.strip())) in _row_labels()
    ):
        row.cells.insert(0, RowCell(above.strip() + below.strip()))
        out[i - 1] = []
        out[i + 1] = []


@cache
def _row_labels() -> frozenset[str]:
    """Every t2/t3 row's own label in every template, as label keys without their enumerator."""
    return frozenset(
        label for name in template_names() for row in load_template(name).rows for label in row.labels
    )


def _last_label_cell(row: TextRow) -> RowCell | None:
    kinds = [cell_kind(c.text) for c in row.cells]
    first_value = next((k for k, kind in enumerate(kinds) if kind in ("number", "dash")), None)
    if not first_value or kinds[first_value - 1] != "text":
        return None
    return row.cells[first_value - 1]


def _label_tail(line: str, start: int, enumerated: bool = False) -> bool:
    text = line.strip()
    indent = len(line) - len(line.lstrip())
    return (
        0 < len(text) <= _MAX_TAIL
        and start >= 0
        and start - _TAIL_LEFT <= indent <= start + _TAIL_INDENT
        and len(_ALIGN_GAP.split(text)) == 1
        and cell_kind(text) == "text"
        and (enumerated or not _ENUMERATED.match(text))
        and not _SENTENCE_END.search(text)
        and "\t" not in line
    )


# --- markdown --------------------------------------------------------------------------------------


def looks_like_pipe_row(text: str) -> bool:
    """A line that reads as a pipe row out of context (prose uses it to leave table rows alone): the
    outer pipes, or a cell border (Chinese prose prints no "|"); or a table's border of dashes (grid,
    simple and multiline tables)."""
    return bool(
        _PIPE_ROW.match(text)
        or _INNER_PIPE.search(text)
        or _DASH_LINE.match(text)
        or _DASH_GROUPS.match(text)
        or _GRID_BORDER.match(text)
    )


def _pipe_rows(lines: Sequence[str]) -> list[int]:
    """Indexes of the lines that are pipe rows: with the outer pipes, or in a table with no outer pipes
    (the lines with a pipe above and below its delimiter row)."""
    rows = {i for i, line in enumerate(lines) if _PIPE_ROW.match(line)}
    for d, line in enumerate(lines):
        lone = (
            bool(_LONE_DELIMITER.match(line))
            and d + 1 < len(lines)
            and bool(_INNER_PIPE.search(lines[d + 1]))
        )
        if not (lone or _DELIMITER_ROW.match(line)):
            continue
        for step in (-1, 1):
            i = d
            while 0 <= i < len(lines) and lines[i].strip() and _INNER_PIPE.search(lines[i]):
                rows.add(i)
                i += step
            # GFM ends a table at a blank line only: a line without a pipe below the delimiter is a row of
            # one cell (html2text writes t2's 第二十条第（五）项 so, between the parts' rows).
            outer = line.strip().startswith("|")  # a shredded table's loose lines are no rows
            while step == 1 and not outer and 0 <= i < len(lines) and _one_cell_row(lines, i):
                rows.add(i)
                i += 1
                while i < len(lines) and lines[i].strip() and _INNER_PIPE.search(lines[i]):
                    rows.add(i)
                    i += 1
    return sorted(rows)


def _one_cell_row(lines: Sequence[str], i: int) -> bool:
    """A short line without a pipe inside a table with no outer pipes, a row with pipes right below it."""
    text = lines[i].strip()
    return (
        bool(text)
        and len(text) <= _MAX_LOOSE
        and not _HEADING.match(text)
        and not text.startswith(("#", "**"))
        and i + 1 < len(lines)
        and bool(_INNER_PIPE.search(lines[i + 1]))
    )


def _grid_tables(lines: Sequence[str]) -> dict[int, list[Piece]]:
    """Grid tables (pandoc's `+----+----+` borders): the lines between two borders are one row, a cell's
    text wrapped over them joined again. The row is given to its first line, borders and the other lines
    are left out. Lines whose cells do not line up (spans) are each a row of their own."""
    out: dict[int, list[Piece]] = {}
    i = 0
    while i < len(lines):
        if not _GRID_BORDER.match(lines[i]):
            i += 1
            continue
        out[i] = []
        group: list[int] = []
        i += 1
        while i < len(lines) and (_GRID_BORDER.match(lines[i]) or _PIPE_ROW.match(lines[i])):
            if _GRID_BORDER.match(lines[i]):
                out.update(_grid_row(lines, group))
                out[i] = []
                group = []
            else:
                group.append(i)
            i += 1
        out.update(_grid_row(lines, group))
    return out


def _grid_row(lines: Sequence[str], group: list[int]) -> dict[int, list[Piece]]:
    rows = [_pipe_row(lines[i]) for i in group]
    cells = [r.cells if r else [] for r in rows]
    if not group or len({len(c) for c in cells}) != 1:
        return {i: [r] if r else [] for i, r in zip(group, rows, strict=True)}
    joined = [_join_wrapped([c[k].text for c in cells]) for k in range(len(cells[0]))]
    out: dict[int, list[Piece]] = {i: [] for i in group[1:]}
    out[group[0]] = [TextRow([RowCell(t) for t in joined], grid=True)]
    return out


def _pandoc_tables(lines: Sequence[str], taken: dict[int, list[Piece]]) -> dict[int, list[Piece]]:
    """pandoc's simple and multiline tables: columns set by the runs of dashes under the header (in display
    columns: a CJK character is two wide), a multiline table's rows separated by blank lines, a cell's
    lines ending in `\\` where the source broke it. Each row is given to its first line as one row of
    cells; the other lines and the dash lines are left out."""
    out: dict[int, list[Piece]] = {}
    for d, line in enumerate(lines):
        if d in taken or d in out or not _DASH_GROUPS.match(line):
            continue
        spans = [m.start() for m in re.finditer(r"-+", line)]
        top = d
        while (
            top > 0 and lines[top - 1].strip() and not _DASH_LINE.match(lines[top - 1]) and top - 1 not in out
        ):
            top -= 1
        opener = top > 0 and bool(_DASH_LINE.match(lines[top - 1]))
        # A multiline table opens with a line of dashes above its header and closes with one; without a
        # header it opens and closes with the column dashes. A simple table's header has neither.
        end = _closing_line(lines, d, line if top == d else None) if opener or top == d else None
        multiline = end is not None and (opener or any(not lines[i].strip() for i in range(d + 1, end)))
        rows: list[list[int]] = [list(range(top, d))] if top < d else []
        if multiline and end is not None:
            body = list(range(d + 1, end))
            for blank, group in itertools.groupby(body, key=lambda i: not lines[i].strip()):
                if not blank:
                    rows.append(list(group))
        else:
            i = d + 1
            while i < len(lines) and lines[i].strip() and not _DASH_GROUPS.match(lines[i]):
                rows.append([i])
                i += 1
            end = i if i < len(lines) and _DASH_GROUPS.match(lines[i]) else None
        for rows_lines in rows:
            cut = [_cut_columns(lines[i], spans) for i in rows_lines]
            cells = [_join_wrapped([c[k] for c in cut]) for k in range(len(spans))]
            out[rows_lines[0]] = [TextRow([RowCell(t) for t in cells], grid=True)]
            out.update({i: [] for i in rows_lines[1:]})
        out.update({i: [] for i in (top - 1 if opener else None, d, end) if i is not None})
    return out


def _closing_line(lines: Sequence[str], d: int, columns: str | None) -> int | None:
    """The line closing a multiline table whose column dashes are line `d`, before two blank lines in a
    row: a line of dashes, or (no header) the same column dashes again."""
    blanks = 0
    for i in range(d + 1, len(lines)):
        if _DASH_LINE.match(lines[i]) if columns is None else lines[i].rstrip() == columns.rstrip():
            return i
        if _DASH_LINE.match(lines[i]) or _DASH_GROUPS.match(lines[i]):
            return None
        blanks = blanks + 1 if not lines[i].strip() else 0
        if blanks >= 2:
            return None
    return None


def _cut_columns(line: str, starts: list[int]) -> list[str]:
    """The line's text per column: a character goes to the column its display position falls in, unless
    it continues a word that started in the column before (a header wider than its column)."""
    cells = [""] * len(starts)
    col, k, prev = 0, 0, " "
    for ch in line:
        here = max(bisect.bisect_right(starts, col) - 1, 0)
        if not (ch != " " and prev != " " and here > k):
            k = here
        cells[k] += ch
        prev = ch
        col += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return [_MD_ESCAPE.sub(r"\1", c.strip().removesuffix("\\").strip()) for c in cells]


def _join_wrapped(parts: list[str]) -> str:
    """A cell's lines as one text: no space between CJK lines, one between words of Latin script."""
    text = ""
    for part in (p for p in parts if p):
        text += " " + part if text and text[-1].isascii() and part[0].isascii() else part
    return text


def _pipe_row(line: str) -> TextRow | None:
    """Cells of a pipe row; None for a separator row."""
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    parts = [_MARKUP.sub("", p).strip() for p in re.split(r"(?<!\\)\|", inner)]
    if all(_SEPARATOR_CELL.match(p) for p in parts):
        return None
    return TextRow([RowCell(p.replace("\\|", "|")) for p in parts], grid=True)


def _loose_in_tables(lines: Sequence[str], pipes: list[int], rows: dict[int, list[Piece]]) -> list[int]:
    """Short loose lines between two pipe rows of one table (no heading between them)."""
    out: list[int] = []
    for a, b in itertools.pairwise(pipes):
        between = [i for i in range(a + 1, b) if lines[i].strip()]
        if any(_HEADING.match(lines[i]) for i in between):
            continue
        out.extend(i for i in between if i not in rows and len(lines[i].strip()) <= _MAX_LOOSE)
    return out


# --- aligned columns -------------------------------------------------------------------------------


def _aligned(line: str) -> list[Piece] | None:
    """Cells separated by two or more spaces; a cell of single-spaced figures is several cells."""
    parts = [p for p in _ALIGN_GAP.split(line.strip()) if p]
    if len(parts) < 2:
        return None
    cells: list[str] = []
    for part in parts:
        words = part.split()
        cells.extend(
            words if len(words) > 1 and all(cell_kind(w) in ("number", "dash") for w in words) else [part]
        )
    kinds = [cell_kind(c) for c in cells]
    labels = [c for c, k in zip(cells, kinds, strict=True) if k == "text"]
    values = len(labels) < len(cells)
    header = len(cells) >= _MIN_HEADER_CELLS and all(len(c) <= _MAX_HEADER_CELL for c in cells)
    if (values and all(len(c) <= _MAX_LABEL for c in labels)) or header:
        return [TextRow([RowCell(c) for c in cells])]
    return None


# --- glued runs and t4 header lines ----------------------------------------------------------------


def _glued_piece(piece: str | GluedRow) -> list[Piece]:
    if isinstance(piece, str):
        return _header_line(piece) or [piece]
    cells = [RowCell(piece.label)] if piece.label else []
    for cell in piece.cells:
        method = GLUED_METHOD if piece.split else "text"
        conf = 1.0 if cell.sure else GUESS_CONFIDENCE
        cells.append(RowCell(cell.text, method, conf, [cell.reason] if cell.reason else []))
    return [TextRow(cells)]


def _header_line(text: str) -> list[Piece] | None:
    """A line that ends in t4's header words ("…行政复议行政诉讼", "结果维持结果纠正…总计"): the text
    before them and each word apart."""
    simple = to_simplified(text)
    if len(simple) != len(text):
        return None
    words = "|".join(sorted(t4_header_keys(), key=len, reverse=True))
    suffix = re.search(rf"(?:(?:{words})\s*)+$", simple)
    if not suffix or len(found := re.findall(words, suffix.group())) < _MIN_HEADER_WORDS:
        return None
    head = text[: suffix.start()].strip()
    return [*([head] if head else []), *found]
