"""PDF reader (pdfplumber): text lines and tables per page, in points, top-left origin.

Per page:
  - the text layer is judged first, by `pages_needing_ocr` (the one OCR decision, which the service also
    routes by); a page without a usable one (scan, (cid:NN) glyphs, mojibake) is `needs_ocr` and goes to
    `ingest.ocr.ocr_pdf_page` when that module is installed and `limits.ocr` is on;
  - tables with ruling lines come from `find_tables()`; their cell rectangles are snapped to a grid so a
    merged area becomes one `Cell` with rowspan/colspan;
  - on a page with no ruled table but clearly tabular lines (several lines holding numbers in columns),
    pdfplumber's text strategy is run on that region only (borderless tables);
  - the remaining words are grouped into lines by their `top`;
  - a fault of the table finders on one page (a bug of ours or pdfplumber's) costs that page, not the
    file: it goes to the OCR route like a page without a text layer; a page no route could read is
    listed in the record (`pages_not_read`, `page_errors`) with the reason.
A table broken across pages is returned as one `Table` on each page; joining them is the table stage's job.
"""

from __future__ import annotations

import logging
import re
import struct
import zlib
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from ingest.detect import is_pdf
from ingest.document import BBox, Block, Cell, Line, Page, SourceDocument, Table
from ingest.errors import CorruptFile, EncryptedFile, IngestError, NoContent
from ingest.readers import Format, Limits, reader
from ingest.readers.glyphs import fold_radicals
from ingest.readers.pdf_layout import OpenTableSettings, open_tables
from ingest.values import cell_kind

log = logging.getLogger(__name__)

METHOD = "pdf-text"
# A page with fewer real characters than this has no text layer worth trusting (unless it has no image
# either, in which case it is simply a near-empty page).
MIN_TEXT_CHARS = 10
# Above this share of unmapped glyphs / private-use / mojibake characters the text layer is garbage.
MAX_GARBAGE_SHARE = 0.2
# Garbage: private use, the replacement character, controls, and Latin-1/Extended letters (GBK read as
# Latin-1). CJK: the unified ideographs, extension A and the compatibility block.
_GARBAGE_CHAR = re.compile(r"[\ue000-\uf8ff\ufffd\x00-\x1f\u00c0-\u024f]")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]")
LINE_TOLERANCE = 3.0  # points: words whose tops differ less than this sit on one line
EDGE_TOLERANCE = 2.0  # points: cell edges closer than this are one grid line
# Tables with horizontal rules only or none (ingest/readers/pdf_layout.py).
OPEN_TABLES = OpenTableSettings(line_tolerance=LINE_TOLERANCE)


@cache
def _parse_errors() -> tuple[type[BaseException], ...]:
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.pdftypes import PDFException
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    return (
        PdfminerException,
        MalformedPDFException,
        PDFException,
        PSException,
        PDFSyntaxError,
        struct.error,
        zlib.error,
        EOFError,
        KeyError,
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
    )


@reader(
    Format.PDF,
    sniff=lambda s: is_pdf(s.head),
    order=10,
    needs_ocr=lambda p: bool(pages_needing_ocr(p)),
    # pdfplumber (pdfminer) costs ~0.1 s to import, which the importer, routing a PDF by pdfium alone,
    # need not pay: it is imported where a PDF is read, and up front in processes that read.
    preload=("pdfplumber",),
)
def read(path: Path, limits: Limits) -> SourceDocument:
    import pdfplumber

    path = Path(path)
    doc = SourceDocument(path=str(path), format="pdf", info={"reader": "pdfplumber"})
    try:
        with pdfplumber.open(path) as pdf:
            n_pages = len(pdf.pages)
            if n_pages > limits.max_pages:
                # A stack of blank pages is not a large report: say what it is.
                if not has_content(path):
                    raise NoContent(f"{path.name}: all {n_pages} pages are blank (no text, no image)")
                raise limits.too_many_pages(path.name, n_pages)
            if n_pages == 0:
                raise CorruptFile(f"{path.name}: the PDF has no pages")
            # One decision per page, the one the service routed by: the same function on the same text.
            unusable = set(pages_needing_ocr(path, n_pages))
            doc.pages = [
                _read_page(page, path, limits, doc.info, page.page_number in unusable) for page in pdf.pages
            ]
            _drop_running_lines(doc.pages)
    except IngestError:
        raise
    except _parse_errors() as exc:
        raise _typed_error(exc, path) from exc
    return doc


# A line this close to the page's top or bottom edge (share of its height) may be a running head or foot.
MARGIN_SHARE = 0.08
_DIGITS = re.compile(r"\d+")


def _drop_running_lines(pages: list[Page]) -> None:
    """Running heads and feet (a browser prints the date, the title, the address and `2/3` on every
    page) are page furniture, not the report: a line in the top or bottom margin printed at the same
    height on another page, the same but for its numbers, is dropped. Left in, it stands between a table
    and its continuation on the next page."""
    seen: dict[tuple[str, int], set[int]] = {}
    margin: list[tuple[Page, Line, tuple[str, int]]] = []
    for page in pages:
        for line in page.lines():
            top, bottom = line.bbox[1], line.bbox[3]
            if top < MARGIN_SHARE * page.height or bottom > (1 - MARGIN_SHARE) * page.height:
                key = (_DIGITS.sub("#", line.text), round(top / 2))
                seen.setdefault(key, set()).add(page.number)
                margin.append((page, line, key))
    for page, line, key in margin:
        if len(seen[key]) > 1:
            page.blocks = [b for b in page.blocks if b is not line]


def _typed_error(exc: BaseException, path: Path) -> IngestError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return EncryptedFile(f"{path.name} is password-protected; send an unprotected copy")
    return CorruptFile(
        f"{path.name} is not a readable PDF (truncated or damaged): {type(cause).__name__}: {cause}"
    )


def _read_page(plumber_page: Any, path: Path, limits: Limits, info: dict[str, str], needs_ocr: bool) -> Page:
    page = Page(
        number=plumber_page.page_number,
        width=float(plumber_page.width),
        height=float(plumber_page.height),
        unit="pt",
    )
    if needs_ocr:
        page.needs_ocr = True
        return _ocr_page(path, page, limits, info)
    # Fake bold (the same glyph printed twice, slightly offset) is common in these reports; deduping
    # costs as much as parsing the page, so only pay for it when a double is there.
    pp = plumber_page.dedupe_chars() if has_doubled_chars(plumber_page.chars) else plumber_page
    for char in pp.chars:
        if char["text"] > "\u2e7f":
            char["text"] = fold_radicals(char["text"])
    words = _split_glued_values(
        pp.extract_words(keep_blank_chars=False, use_text_flow=False, return_chars=True)
    )
    pp.objects  # noqa: B018 - parsed here, where a damaged stream is the file's fault
    try:
        page.blocks = _page_blocks(pp, words, page.width)
    except IngestError:
        raise
    except Exception as exc:  # a fault of the table finders on this page: it costs the page, not the file
        log.exception("%s page %d: the text layer's layout could not be read", path.name, page.number)
        page.needs_ocr = True
        page.error = f"the text layer's layout could not be read: {type(exc).__name__}: {exc}"
        return _ocr_page(path, page, limits, info)
    return page


def _page_blocks(pp: Any, words: list[dict[str, Any]], width: float) -> list[Block]:
    """The page's tables (ruled, then open) and the lines outside them, in reading order, a column at a
    time when the page is set in two."""
    ruled = _ruled_tables(pp)
    outside = [wd for wd in words if not any(_inside(wd, t.bbox) for t in ruled)]
    rules = _horizontal_rules(pp)
    gutter = column_gutter(words, width)
    page_blocks: list[Block] = []
    for side in (None,) if gutter is None else (True, False):  # left column first, then the right one

        def in_column(x0: float, x1: float, left: bool | None = side) -> bool:
            return left is None or ((x0 + x1) / 2 < gutter) == left  # type: ignore[operator]

        tables = [t for t in ruled if t.bbox and in_column(t.bbox[0], t.bbox[2])]
        column = [wd for wd in outside if in_column(wd["x0"], wd["x1"])]
        open_found, used = open_tables(
            _group_lines(column), [r for r in rules if in_column(r[0], r[2])], OPEN_TABLES
        )
        if open_found:
            tables += open_found
            taken = {id(wd) for wd in used}
            column = [wd for wd in column if id(wd) not in taken]
        blocks: list[Block] = [*tables, *_lines(column)]
        blocks.sort(key=lambda b: (b.bbox[1], b.bbox[0]) if b.bbox else (0.0, 0.0))
        page_blocks += blocks
    return page_blocks


# Two columns of text: a band this wide (points) that no word crosses, between 30 % and 70 % of the page's
# width; on one side paragraphs (lines of this many characters filling most of their column), on the other
# lines of text (a word of COLUMN_TEXT_CHARS characters, not a figure).
GUTTER_MIN = 6.0
COLUMN_PROSE_LINES = 5
COLUMN_PROSE_CHARS = 8
COLUMN_PROSE_FILL = 0.6
COLUMN_TEXT_LINES = 8
COLUMN_TEXT_CHARS = 4


def column_gutter(words: Sequence[dict[str, Any]], width: float) -> float | None:
    """The x of the gutter of a page set in two columns (a newspaper layout, CSS columns), or None.

    Read across, a two-column page runs the two columns' lines into one another: a prose sentence
    ("全年受理依申请公开件 0 件") is cut by the other column's text. A one-column page has no such band but
    on pages of tables, between labels and figures; there, one side is figures and headings repeated over
    each part (t2), and paragraphs stand on neither side, or labels fill one side and the other holds only
    a header's few lines (t3)."""
    if len(words) < 2 * COLUMN_TEXT_LINES:
        return None
    lo, hi = width * 0.3, width * 0.7
    best, start = (0.0, 0.0), lo  # the widest band of [lo, hi] no word crosses
    for x0, x1 in sorted((w["x0"], w["x1"]) for w in words if w["x1"] > lo and w["x0"] < hi):
        if x0 - start > best[1] - best[0]:
            best = (start, x0)
        start = max(start, x1)
    if hi - start > best[1] - best[0]:
        best = (start, hi)
    if best[1] - best[0] < GUTTER_MIN:
        return None
    gutter = (best[0] + best[1]) / 2
    left = [w for w in words if w["x1"] <= gutter]
    right = [w for w in words if w["x0"] >= gutter]
    if not left or not right:
        return None
    sides = ((left, gutter - min(w["x0"] for w in left)), (right, max(w["x1"] for w in right) - gutter))

    def tops(side: tuple[list[dict[str, Any]], float], chars: int, fill: float = 0.0) -> int:
        words, extent = side
        return len(
            {
                round(w["top"])
                for w in words
                if len(w["text"]) >= chars
                and cell_kind(w["text"]) == "text"
                and w["x1"] - w["x0"] >= fill * extent
            }
        )

    for prose, other in (sides, sides[::-1]):
        if tops(prose, COLUMN_PROSE_CHARS, COLUMN_PROSE_FILL) >= COLUMN_PROSE_LINES and (
            tops(other, COLUMN_TEXT_CHARS) >= COLUMN_TEXT_LINES
        ):
            return gutter
    return None


# A word ending in a number glued to text before it ("禁止公开0"): a cell's value set right after a label.
_GLUED_VALUE = re.compile(r"^(.*\D)(\d+(?:\.\d+)?)$")
# Points, as a share of the font size: a number this far from the text before it stands in a cell of its
# own (pdfplumber joins characters up to 3 pt apart into one word; a label's characters touch).
GLUED_GAP = 0.2


def _split_glued_values(words: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Words cut where a number stands apart from the text before it, further than any two characters
    of that text: a program that fits a table's columns to their text (LibreOffice opening a web page)
    leaves only the cell padding, under 3 pt, between a label and the value after it. A figure in running
    text follows its words without a gap and stays one word with them."""
    out: list[dict[str, Any]] = []
    for word in words:
        chars = word.pop("chars", None)
        match = _GLUED_VALUE.match(word["text"])
        if match is None or not chars or len(chars) != len(word["text"]):
            out.append(word)
            continue
        cut = len(match.group(1))
        head, tail = chars[:cut], chars[cut:]
        gap = tail[0]["x0"] - head[-1]["x1"]
        inner = max((b["x0"] - a["x1"] for a, b in pairwise(head)), default=0.0)
        if gap < GLUED_GAP * float(tail[0].get("size", 10.0)) or gap <= inner + 0.5:
            out.append(word)
            continue
        for part, text in ((head, match.group(1)), (tail, match.group(2))):
            box = _union(part)
            out.append({**word, "text": text, "x0": box[0], "top": box[1], "x1": box[2], "bottom": box[3]})
    return out


# ---------------------------------------------------------------- text layer check and OCR route


def has_doubled_chars(chars: Sequence[dict[str, Any]]) -> bool:
    # Two rounding grids so that a pair straddling a grid line still collides in one of them.
    for shift in (0.0, 0.5):
        seen: set[tuple[str, int, int]] = set()
        for c in chars:
            key = (c["text"], int(c["x0"] + shift), int(c["top"] + shift))
            if key in seen and not c["text"].isspace():
                return True
            seen.add(key)
    return False


def text_layer_usable(text: str, has_images: bool) -> bool:
    """Judged on a page's text as pdfium gives it, one character a unit, counted by regular expressions
    rather than a Python loop (every PDF is judged twice: by the importer's routing and by `read`)."""
    units = "".join(text.split())  # white space is neither text nor garbage
    garbage = len(_GARBAGE_CHAR.findall(units))
    real = len(units) - garbage
    if real < MIN_TEXT_CHARS:
        # Nearly no text: a scan when there is an image, otherwise a (nearly) blank page.
        return not has_images and garbage == 0
    if garbage / len(units) > MAX_GARBAGE_SHARE:
        return False
    return _CJK_CHAR.search(units) is not None


def pages_needing_ocr(path: Path, max_pages: int = 200) -> list[int]:
    """Numbers of the pages whose text layer is not usable: the one OCR decision, per page, made from
    pdfium's text (15x faster than pdfminer's layout). The service routes by it before reading and `read`
    follows it page by page, so the two never disagree. Any doubt (a page or file pdfium cannot read)
    counts as needing OCR, since the OCR route also reads text pages."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return list(range(1, max_pages + 1))  # unreadable here: the OCR route renders it with poppler
    try:
        numbers = []
        for index in range(min(len(pdf), max_pages)):
            page = pdf[index]
            try:
                text = page.get_textpage().get_text_range()
                # Images only decide a page with almost no text; listing a page's objects (every text
                # run is one) cost more than its text, so a page whose text layer is usable whatever its
                # images is not listed (the service's importer probes every PDF before queueing it).
                if text_layer_usable(text, has_images=True):
                    continue
                images = any(o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for o in page.get_objects())
            except pdfium.PdfiumError:
                text, images = "", True
            if not text_layer_usable(text, has_images=images):
                numbers.append(index + 1)
        return numbers
    finally:
        pdf.close()


def has_content(path: Path) -> bool:
    """Whether any page holds text or an image, from pdfium (fast: no layout). Stops at the first one."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                if page.get_textpage().get_text_range().strip():
                    return True
                if any(o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for o in page.get_objects()):
                    return True
            except pdfium.PdfiumError:
                return True  # a page pdfium cannot read may well hold something
        return False
    finally:
        pdf.close()


def _ocr_page(path: Path, page: Page, limits: Limits, info: dict[str, str]) -> Page:
    if not limits.ocr:
        return page
    try:
        from ingest.ocr import ocr_pdf_page
    except ImportError as exc:  # the OCR route (or its engine) is not installed: the page stays needs_ocr
        info["ocr"] = f"unavailable ({exc})"
        return page
    return ocr_pdf_page(path, page.number, limits)


# ---------------------------------------------------------------- tables


def _ruled_tables(pp: Any) -> list[Table]:
    tables = []
    for found in pp.find_tables():
        table = _grid_table(found.cells, found.bbox, pp.chars)
        if table is not None:
            tables.append(table)
    return tables


def _horizontal_rules(pp: Any) -> list[BBox]:
    """Horizontal lines and rectangle edges long enough to be a table's rules, as (x0, y, x1, y). A rule
    drawn cell by cell (a browser draws each cell's border) is joined into one."""
    edges = sorted(
        ((e["top"], e["x0"], e["x1"]) for e in pp.horizontal_edges), key=lambda e: (round(e[0]), e[1])
    )
    joined: list[list[float]] = []
    for y, x0, x1 in edges:
        last = joined[-1] if joined else None
        if last is not None and abs(last[1] - y) <= EDGE_TOLERANCE / 2 and x0 <= last[2] + EDGE_TOLERANCE:
            last[2] = max(last[2], x1)
        else:
            joined.append([x0, y, x1, y])
    return [(a, y, b, y) for a, y, b, _ in joined if b - a >= OPEN_TABLES.min_rule]


def _grid_table(rects: list[BBox], bbox: BBox, chars: Iterable[dict[str, Any]]) -> Table | None:
    """Cells from pdfplumber's cell rectangles, snapped to the table's grid lines so that merged areas
    become spans. Text is assigned char by char to the cell holding the char's centre."""
    xs = _cluster_edges([r[0] for r in rects] + [r[2] for r in rects])
    ys = _cluster_edges([r[1] for r in rects] + [r[3] for r in rects])
    if len(xs) < 3 or len(ys) < 2:  # a single column is a box around text, not a table
        return None
    cells, owner = _place_cells(rects, xs, ys)
    texts: dict[int, list[dict[str, Any]]] = {}
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        if not (xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]):
            continue
        key = owner.get((_slot(ys, cy), _slot(xs, cx)))
        if key is not None:
            texts.setdefault(key, []).append(ch)
    for index, cell in enumerate(cells):
        cell.text = chars_to_text(texts.get(index, []))
    return Table(cells=cells, bbox=(xs[0], ys[0], xs[-1], ys[-1]))


def _place_cells(
    rects: list[BBox], xs: list[float], ys: list[float]
) -> tuple[list[Cell], dict[tuple[int, int], int]]:
    cells: list[Cell] = []
    owner: dict[tuple[int, int], int] = {}  # (row, col) grid slot -> index of the cell covering it
    for x0, top, x1, bottom in sorted(rects, key=lambda r: (r[1], r[0])):
        col, col_end = _nearest(xs, x0), _nearest(xs, x1)
        row, row_end = _nearest(ys, top), _nearest(ys, bottom)
        if (row, col) in owner or col_end <= col or row_end <= row:
            continue
        owner.update({(r, c): len(cells) for r in range(row, row_end) for c in range(col, col_end)})
        cells.append(
            Cell(
                row=row,
                col=col,
                text="",
                bbox=(x0, top, x1, bottom),
                rowspan=row_end - row,
                colspan=col_end - col,
                method=METHOD,
            )
        )
    return cells, owner


def _cluster_edges(values: list[float]) -> list[float]:
    edges: list[float] = []
    for v in sorted(values):
        if edges and v - edges[-1] <= EDGE_TOLERANCE:
            continue
        edges.append(v)
    return edges


def _nearest(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _slot(edges: list[float], value: float) -> int:
    return min(max(bisect_right(edges, value) - 1, 0), len(edges) - 2)


def chars_to_text(chars: list[dict[str, Any]]) -> str:
    """Chars of one cell as text: visual lines top to bottom joined by \\n; a space where a gap is wide."""
    out: list[str] = []
    for line in _group_by_top(chars):
        line.sort(key=lambda c: c["x0"])
        parts: list[str] = []
        for prev, ch in zip([None, *line[:-1]], line, strict=True):
            if prev is not None and ch["x0"] - prev["x1"] > 0.5 * ch.get("size", 10):
                parts.append(" ")
            parts.append(ch["text"])
        out.append(re.sub(r"\s+", " ", "".join(parts)).strip())
    return "\n".join(t for t in out if t)


# ---------------------------------------------------------------- running text


def _group_by_top(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    lines: list[list[dict[str, Any]]] = []
    line_top = None
    for item in sorted(items, key=lambda i: (i["top"], i["x0"])):
        if line_top is None or item["top"] - line_top > LINE_TOLERANCE:
            lines.append([])
            line_top = item["top"]
        lines[-1].append(item)
    return lines


def _group_lines(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [sorted(ln, key=lambda w: w["x0"]) for ln in _group_by_top(words)]


def _lines(words: list[dict[str, Any]]) -> list[Line]:
    return [Line(text=" ".join(w["text"] for w in ln), bbox=_union(ln)) for ln in _group_lines(words)]


def _union(items: list[dict[str, Any]]) -> BBox:
    return (
        min(i["x0"] for i in items),
        min(i["top"] for i in items),
        max(i["x1"] for i in items),
        max(i["bottom"] for i in items),
    )


def _inside(word: dict[str, Any], bbox: BBox | None) -> bool:
    if bbox is None:
        return False
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]
