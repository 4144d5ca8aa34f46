"""Document → one stream of cell tokens in reading order, whatever the format.

Real tables arrive as grids (DOCX, HTML, PDF, OCR), or flattened into text in one of two ways the seeds
show: a cell per line behind a tab (rows separated by blank lines, long labels wrapped onto untabbed lines),
or a row per line with tab-separated cells. Text files also print Markdown pipe rows, space-aligned columns
and runs of glued cells; `ingest.textrows` reads those into rows. Tokens keep which printed row they came
from when that is known, so that rows whose labels were lost can still be told apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ingest.document import UNREADABLE, BBox, Line, SourceDocument, Table
from ingest.normalize import label_key
from ingest.textrows import Piece, RowCell, TextRow, read_text_rows
from ingest.values import cell_kind

# A wrapped label continues on the next untabbed line; prose after a table does not (it is long).
_MAX_WRAP_LENGTH = 24


@dataclass(slots=True)
class Token:
    text: str  # as read
    kind: str  # number, dash, blank, text, unreadable (ink in a number's place that no pass could read)
    page: int
    bbox: BBox
    conf: float
    method: str
    row: int  # tokens printed in one table row share this id
    in_table: bool  # from a real table grid (as opposed to a line of text)
    # What the reader knows about this one cell ("note: …" explains, anything else doubts it).
    reasons: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return label_key(self.text)

    @property
    def is_value(self) -> bool:
        return self.kind in ("number", "dash", "blank", "unreadable")


_WORD = re.compile(r"[\u3400-\u9fffA-Za-z]{2}|[\u3400-\u9fff]")
# Characters OCR reads for a figure's strokes: 一 for a minus or a dash, 了 for 7, 工 and 丨 for 1, 〇 and
# 口 for 0, 乙 for 2; a cell of a few of them is a figure misread, never a word.
_LOOKALIKE_FIGURE = re.compile(r"[-+.\d一了工丨〇口乙]{1,3}")


class _RowIds:
    def __init__(self) -> None:
        self.current = 0

    def next(self) -> int:
        self.current += 1
        return self.current


def document_tokens(doc: SourceDocument) -> list[Token]:
    """All tokens of the document. In documents with real tables, bare numbers on text lines (page
    numbers, footers) are not table values and are dropped."""
    ids = _RowIds()
    tokens: list[Token] = []
    has_tables = any(True for page in doc.pages for _ in page.tables())
    rows = _text_rows(doc) if doc.format == "text" else {}
    for page in doc.pages:
        lines: list[Line] = []
        for block in page.blocks:
            if isinstance(block, Table):
                tokens.extend(_line_tokens(lines, page.number, ids, rows))
                lines = []
                tokens.extend(_table_tokens(block, page.number, ids))
            else:
                lines.append(block)
        tokens.extend(_line_tokens(lines, page.number, ids, rows))
    if has_tables:
        tokens = [t for t in tokens if t.in_table or t.kind == "text"]
    return tokens


def _table_tokens(table: Table, page: int, ids: _RowIds) -> Iterator[Token]:
    for row in table.rows():
        row_id = ids.next()
        after_a_value = False  # a figure of this row stands before the cell
        for cell in row:
            # Labels wrap inside a cell; Chinese joins without a space.
            text = "".join(part.strip() for part in cell.text.splitlines())
            # A number-shaped cell the reader could not read keeps its place in the row (as a value
            # slot that goes to review) instead of reading as a label that would split the row.
            kind = cell_kind(text)
            figure = kind in ("number", "dash")
            if cell.method == UNREADABLE or (
                kind == "text"
                and cell is not row[0]
                and (not _WORD.search(text) or (after_a_value and _LOOKALIKE_FIGURE.fullmatch(text)))
            ):
                # A table's labels are words: after the row's first cell, text that is neither a number
                # nor a word ("0-", "l1.") is a value we could not read; so are a figure's look-alike
                # characters after a figure of the row (-7 read 一了: a label never stands there).
                kind = "unreadable"
            after_a_value = after_a_value or figure
            doubts = [table.doubt] if table.doubt else []
            yield Token(text, kind, page, cell.bbox, cell.conf, cell.method, row_id, True, doubts)


def _text_rows(doc: SourceDocument) -> dict[int, list[Piece]]:
    """Rows printed as text lines (Markdown, aligned, glued), by the id of the line they came from."""
    lines = [block for page in doc.pages for block in page.blocks if isinstance(block, Line)]
    found = read_text_rows([line.text for line in lines])
    return {id(lines[i]): pieces for i, pieces in found.items()}


def _line_tokens(lines: list[Line], page: int, ids: _RowIds, rows: dict[int, list[Piece]]) -> list[Token]:
    out: list[Token] = []
    row_id = ids.next()
    in_cell_rows = False  # inside a "cell per tabbed line" table
    for line in lines:
        if (pieces := rows.get(id(line))) is not None:
            out.extend(_piece_tokens(pieces, page, line, ids))
            row_id = ids.next()
            in_cell_rows = False
            continue
        raw = line.text.rstrip("\n")
        content = raw.lstrip("\t")
        if not raw.strip():
            if raw.startswith("\t") and in_cell_rows:  # a tabbed line with nothing in it: an empty cell
                out.append(_token("", page, line, row_id))
            elif in_cell_rows:
                row_id = ids.next()
            continue
        if "\t" in content:  # a row of tab-separated cells
            row_id = ids.next()
            out.extend(_tab_row(raw, page, line, row_id))
            row_id = ids.next()
            in_cell_rows = False
        elif raw.startswith("\t"):  # one cell of a flattened row
            in_cell_rows = True
            out.append(_token(content.strip(), page, line, row_id))
        elif in_cell_rows and out and _continues_label(out[-1], content):
            last = out[-1]
            last.text += content.strip()
            last.kind = cell_kind(last.text)
        else:
            in_cell_rows = False
            out.append(_token(content.strip(), page, line, row_id))
    return out


def _tab_row(raw: str, page: int, line: Line, row_id: int) -> Iterator[Token]:
    x0, top, _, bottom = line.bbox
    offset = 0
    for part in raw.split("\t"):
        bbox = (x0 + offset, top, x0 + offset + len(part), bottom)
        offset += len(part) + 1
        yield Token(part.strip(), cell_kind(part), page, bbox, line.conf, "text", row_id, False)


def _piece_tokens(pieces: list[Piece], page: int, line: Line, ids: _RowIds) -> Iterator[Token]:
    """Loose text and rows of one line; each row is one printed row, each cell boxed where it stands."""
    x0, top, _, bottom = line.bbox
    at = 0
    for piece in pieces:
        row_id = ids.next()
        grid = isinstance(piece, TextRow) and piece.grid
        for cell in piece.cells if isinstance(piece, TextRow) else [RowCell(piece)]:
            start = line.text.find(cell.text, at) if cell.text else -1
            at = start + len(cell.text) if start >= 0 else at
            left = x0 + max(start, 0)
            bbox = (left, top, left + len(cell.text), bottom)
            conf = min(line.conf, cell.conf)
            yield Token(
                cell.text,
                cell_kind(cell.text),
                page,
                bbox,
                conf,
                cell.method,
                row_id,
                grid,
                list(cell.reasons),
            )


def _token(text: str, page: int, line: Line, row_id: int) -> Token:
    return Token(text, cell_kind(text), page, line.bbox, line.conf, "text", row_id, False)


def _continues_label(previous: Token, content: str) -> bool:
    text = content.strip()
    return previous.kind == "text" and cell_kind(text) == "text" and len(text) <= _MAX_WRAP_LENGTH
