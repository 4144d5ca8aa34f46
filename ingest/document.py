"""What every reader produces: pages holding text lines and tables, each piece with its evidence.

A reader turns one file into a `SourceDocument`. Everything after it (table reconstruction, mapping,
checks) works on this structure only, so adding a format means adding one reader and nothing else.

Coordinates: `bbox` is (x0, top, x1, bottom) in the page's own units, named by `Page.unit`:
  - "pt"   PDF points, origin at the top-left of the page (pdfplumber's convention);
  - "px"   pixels of the page image the OCR route read;
  - "line" formats with no geometry (DOCX, HTML, text): x is a character/cell offset and y the index of
           the block in reading order, so evidence still points at one place in the source.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]


@dataclass(slots=True)
class Line:
    """One line (or paragraph) of running text outside any table."""

    text: str
    bbox: BBox
    conf: float = 1.0
    # OCR'd lines: every run of digits in the line as read (half-width, without thousands separators),
    # in reading order, each with whether the digit vote read it again alike (ocr.page._digit_runs).
    digit_runs: tuple[tuple[str, bool], ...] = ()


# Cell.method of a cell shaped like a number that no reading could make a number of (seal residue,
# a smudge): the table stage keeps it as a value slot for review, never as a label.
UNREADABLE = "ocr-unreadable"


@dataclass(slots=True)
class Cell:
    """One cell of a table grid. A merged cell appears once, with its span."""

    row: int
    col: int
    text: str
    bbox: BBox
    rowspan: int = 1
    colspan: int = 1
    conf: float = 1.0
    # What read the text: "docx", "html", "pdf-text", "text", "ocr-digits", "ocr-label", ...
    method: str = ""


@dataclass(slots=True)
class Table:
    """A table as found on one page. A table split over pages is several `Table`s; the table
    stage joins them."""

    cells: list[Cell]
    bbox: BBox | None = None
    # Why the table's structure is doubtful (an OCR grid that overlaps another): its cells' values go to
    # review, whatever they read.
    doubt: str | None = None

    @property
    def n_rows(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((c.col + c.colspan for c in self.cells), default=0)

    def rows(self) -> list[list[Cell]]:
        """Cells grouped by the row they start in, left to right."""
        grouped: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            grouped[cell.row].append(cell)
        for row in grouped:
            row.sort(key=lambda c: c.col)
        return grouped


Block = Line | Table


@dataclass(slots=True)
class Page:
    """One page in reading order: `blocks` interleaves lines and tables as a reader meets them."""

    number: int  # 1-based
    width: float
    height: float
    unit: str = "line"
    blocks: list[Block] = field(default_factory=list)
    # True when the page has no usable text layer; the OCR route reads such pages.
    needs_ocr: bool = False
    # Path of a rendered image of the page, when the reader made one (OCR route), for evidence crops.
    image_path: str | None = None
    # Why the page could not be read, when a reader's analysis failed on it (the page has no blocks):
    # a fault on one page costs that page, not the file, and the record says which and why.
    error: str | None = None

    def lines(self) -> Iterator[Line]:
        return (b for b in self.blocks if isinstance(b, Line))

    def tables(self) -> Iterator[Table]:
        return (b for b in self.blocks if isinstance(b, Table))


@dataclass(slots=True)
class SourceDocument:
    """A file as read: its format and pages. `pages` is empty only when reading failed."""

    path: str
    format: str  # docx, pdf, html, text, image, doc
    pages: list[Page] = field(default_factory=list)
    # Free-form facts a reader learned (encoding, converter used, OCR language...), for the record's source.
    info: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """All running text and table cell text in reading order, one block per line."""
        out: list[str] = []
        for page in self.pages:
            for block in page.blocks:
                if isinstance(block, Line):
                    out.append(block.text)
                else:
                    for row in block.rows():
                        out.append("\t".join(c.text for c in row))
        return "\n".join(out)
