"""A small document model shared by every output format: blocks of prose and tables with merged cells.

Tables are stored the HTML way (each row lists only the cells that start in it, with colspan/rowspan);
`grid()` places them on the full grid, which DOCX merging and text flattening need.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from synth.knobs import CLASSIC, Knobs


@dataclass(slots=True)
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    value: bool = False  # a figure (aligned by the `align` knob), not a label


@dataclass(slots=True)
class Table:
    name: str  # t2, t3, t4
    rows: list[list[Cell]]
    header_rows: int = 0  # rows repeated on every page when the table breaks
    repeat_header: bool = False
    tall_rows: bool = False  # row height that forces the table across a page break
    # Widths in cm of each grid column, for DOCX; None lets Word decide.
    widths: list[float] | None = None
    split_at: int | None = None  # row before which a page-split fault breaks the table (text/HTML)

    def grid(self) -> list[list[Slot | None]]:
        """Row × column: for every grid slot, the cell covering it and where that cell starts."""
        placed: dict[tuple[int, int], Slot] = {}
        width = 0
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in placed:
                    c += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        placed[(r + dr, c + dc)] = Slot(cell, r, c)
                c += cell.colspan
                width = max(width, c)
        return [[placed.get((r, c)) for c in range(width)] for r in range(len(self.rows))]

    def split(self, at: int) -> tuple[Table, Table]:
        """Break before row `at` as a page break does: the second part repeats the header rows when the
        table says so, and a cell spanning the break continues as an empty cell (its text stays on the
        first page)."""
        first_rows = [[_cut(c, r, at) for c in row] for r, row in enumerate(self.rows[:at])]
        grid = self.grid()
        repeated = self.rows[: self.header_rows] if self.repeat_header else []
        second: list[list[Cell]] = [[_copy(c) for c in row] for row in repeated]
        for r in range(at, len(self.rows)):
            row: list[Cell] = []
            for c, slot in enumerate(grid[r]):
                if slot is None or slot.col != c:  # a colspan continuation: the cell was handled
                    continue
                if slot.row == r:
                    row.append(_copy(slot.cell))
                elif slot.row < at and r == at:
                    row.append(Cell("", colspan=slot.cell.colspan, rowspan=slot.row + slot.cell.rowspan - at))
            second.append(row)
        first = Table(
            self.name, first_rows, self.header_rows, self.repeat_header, self.tall_rows, self.widths
        )
        rest = Table(
            self.name,
            second,
            self.header_rows if repeated else 0,
            self.repeat_header,
            self.tall_rows,
            self.widths,
        )
        return first, rest


@dataclass(frozen=True, slots=True)
class Slot:
    cell: Cell
    row: int  # where the cell starts
    col: int


def _copy(cell: Cell) -> Cell:
    return Cell(cell.text, cell.colspan, cell.rowspan, cell.header, cell.value)


def _cut(cell: Cell, r: int, at: int) -> Cell:
    out = _copy(cell)
    out.rowspan = min(cell.rowspan, at - r)
    return out


@dataclass(slots=True)
class Block:
    kind: str  # masthead (red 文件 header), docno, title, heading, subheading, para, table, sign
    text: str = ""
    table: Table | None = None


@dataclass(slots=True)
class Document:
    blocks: list[Block] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    knobs: Knobs = CLASSIC

    def map_text(self, fn: Callable[[str], str]) -> None:
        """Apply a text conversion (e.g. simplified → traditional) to every string of the document."""
        for block in self.blocks:
            block.text = fn(block.text) if block.text else block.text
            if block.table:
                for row in block.table.rows:
                    for cell in row:
                        cell.text = fn(cell.text) if cell.text else cell.text
