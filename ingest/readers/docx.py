"""DOCX reader: word/document.xml read directly with lxml, body in order.

Paragraphs become `Line`s and tables become `Table`s with merged cells as spans (gridSpan → colspan,
vMerge restart/continue → rowspan on the starting cell; continuation cells are not emitted).
Pages are split where Word put a page break (explicit w:br, pageBreakBefore, lastRenderedPageBreak,
section breaks that start a new page); a document with none of these is one page.

Layout tables — tables whose cells hold other tables — are descended into: their cells' paragraphs and
tables are emitted in order as if they were body content. Breaks inside a table end the page after the
table, so a table always stays whole on the page it starts on.
Text boxes, headers, footers and footnotes are not read (body only).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ingest.detect import is_zip
from ingest.document import Block, Cell, Line, Page, SourceDocument, Table
from ingest.errors import CorruptFile, TooLarge
from ingest.readers import Format, Limits, reader

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT_PART = "word/document.xml"
# Real DOCX parts compress 3–30×; a bomb compresses thousands of times.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_MIN_BYTES = 1 << 20
# Containers whose children belong to the body flow as if they were not there.
TRANSPARENT = {f"{{{W}}}sdt", f"{{{W}}}sdtContent", f"{{{W}}}customXml", f"{{{W}}}smartTag"}
# Subtrees whose text is not body text (field codes, deleted text, text boxes, comments marks).
SKIPPED_TEXT = {
    f"{{{W}}}instrText",
    f"{{{W}}}delText",
    f"{{{W}}}del",
    f"{{{W}}}txbxContent",
    f"{{{W}}}pPr",
    f"{{{W}}}rPr",
}
PAGE_STARTING_SECTIONS = {"nextPage", "evenPage", "oddPage"}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@reader(Format.DOCX, sniff=lambda s: is_zip(s.head) and "word/document.xml" in s.zip_names, order=20)
def read(path: Path, limits: Limits) -> SourceDocument:
    body = _load_body(Path(path), limits)
    builder = _PageBuilder(next_section_types=_section_types(body))
    _walk_container(body, builder)
    return SourceDocument(path=str(path), format="docx", pages=builder.finish(), info={"reader": "docx-lxml"})


# ---------------------------------------------------------------- unpacking, with zip-bomb bounds


def _load_body(path: Path, limits: Limits) -> etree._Element:
    xml = _read_document_part(path, limits)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise CorruptFile(f"{path.name}: word/document.xml is not well-formed XML ({exc})") from exc
    body = root.find(w("body"))
    if body is None:
        raise CorruptFile(f"{path.name}: word/document.xml has no <w:body>")
    return body


def _read_document_part(path: Path, limits: Limits) -> bytes:
    try:
        with zipfile.ZipFile(path) as archive:
            _refuse_bombs(archive, path, limits)
            try:
                info = archive.getinfo(DOCUMENT_PART)
            except KeyError:
                raise CorruptFile(f"{path.name}: not a Word document (no word/document.xml)") from None
            with archive.open(info) as member:
                # Declared sizes can lie: never inflate more than the limit, whatever the header says.
                data = member.read(limits.max_unpacked_bytes + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise CorruptFile(f"{path.name}: damaged DOCX zip archive ({exc})") from exc
    except OSError as exc:  # zlib errors surface as OSError/zlib.error subclasses of it
        raise CorruptFile(f"{path.name}: damaged DOCX zip archive ({exc})") from exc
    if len(data) > limits.max_unpacked_bytes:
        raise limits.unpacks_too_big(f"{path.name} (word/document.xml)")
    return data


def _refuse_bombs(archive: zipfile.ZipFile, path: Path, limits: Limits) -> None:
    entries = archive.infolist()
    total = sum(e.file_size for e in entries)
    if total > limits.max_unpacked_bytes:
        raise limits.unpacks_too_big(path.name, total)
    for entry in entries:
        if entry.file_size < RATIO_CHECK_MIN_BYTES:
            continue
        ratio = entry.file_size / max(entry.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO:
            raise TooLarge(
                f"{path.name}: zip entry {entry.filename} compresses {ratio:.0f}× "
                f"(over the compression ratio limit of {MAX_COMPRESSION_RATIO}×): refusing a likely zip bomb"
            )


def _section_types(body: etree._Element) -> list[str]:
    """How each section after the first starts, in order: the type named in the *next* sectPr."""
    sect_prs = [e for e in body.iter(w("sectPr")) if e.getparent().tag in (w("pPr"), w("body"))]
    types = []
    for sect in sect_prs[1:]:
        type_el = sect.find(w("type"))
        types.append(type_el.get(w("val"), "nextPage") if type_el is not None else "nextPage")
    return types


# ---------------------------------------------------------------- pages


@dataclass
class _PageBuilder:
    """Collects blocks into pages. A break is only *pending* until content follows it, so a page break
    followed by Word's rendered-break marker (or a trailing break) does not make an empty page."""

    next_section_types: list[str]
    pages: list[list[Block]] = field(default_factory=lambda: [[]])
    break_pending: bool = False
    sections_seen: int = 0

    def page_break(self) -> None:
        self.break_pending = True

    def section_end(self) -> None:
        kind = (
            self.next_section_types[self.sections_seen]
            if self.sections_seen < len(self.next_section_types)
            else "nextPage"
        )
        self.sections_seen += 1
        if kind in PAGE_STARTING_SECTIONS:
            self.page_break()

    def add_line(self, text: str) -> None:
        if not text.strip():
            return
        self._start_page_if_pending()
        index = len(self.pages[-1])
        self.pages[-1].append(Line(text=text, bbox=(0, index, len(text), index + 1)))

    def add_table(self, cells: list[Cell]) -> None:
        if not cells:
            return
        self._start_page_if_pending()
        index = len(self.pages[-1])
        n_cols = max(c.col + c.colspan for c in cells)
        self.pages[-1].append(Table(cells=cells, bbox=(0, index, n_cols, index + 1)))

    def _start_page_if_pending(self) -> None:
        if self.break_pending and self.pages[-1]:
            self.pages.append([])
        self.break_pending = False

    def finish(self) -> list[Page]:
        return [_page(number, blocks) for number, blocks in enumerate(self.pages, start=1)]


def _page(number: int, blocks: list[Block]) -> Page:
    width = max((b.bbox[2] for b in blocks if b.bbox), default=0)
    return Page(number=number, width=float(width), height=float(len(blocks)), unit="line", blocks=blocks)


# ---------------------------------------------------------------- body walk


def _children(container: etree._Element) -> Iterator[etree._Element]:
    """Block-level children, looking through content controls and custom XML wrappers."""
    for child in container:
        if child.tag in TRANSPARENT:
            yield from _children(child)
        else:
            yield child


def _walk_container(container: etree._Element, builder: _PageBuilder) -> None:
    for child in _children(container):
        if child.tag == w("p"):
            _add_paragraph(child, builder)
        elif child.tag == w("tbl"):
            _add_table(child, builder)


def _add_paragraph(p: etree._Element, builder: _PageBuilder) -> None:
    ppr = p.find(w("pPr"))
    if ppr is not None and _on(ppr.find(w("pageBreakBefore"))):
        builder.page_break()
    for segment, broke_after in _paragraph_segments(p):
        builder.add_line(segment)
        if broke_after:
            builder.page_break()
    if ppr is not None and ppr.find(w("sectPr")) is not None:
        builder.section_end()


def _on(flag: etree._Element | None) -> bool:
    return flag is not None and flag.get(w("val"), "true") not in ("0", "false", "off")


def _paragraph_segments(p: etree._Element) -> list[tuple[str, bool]]:
    """The paragraph's text cut at page breaks: [(text, page break follows)]."""
    segments: list[tuple[str, bool]] = []
    parts: list[str] = []
    for kind, value in _paragraph_tokens(p):
        if kind == "text":
            parts.append(value)
        else:
            segments.append(("".join(parts), True))
            parts = []
    segments.append(("".join(parts), False))
    return segments


def _paragraph_tokens(el: etree._Element) -> Iterator[tuple[str, str]]:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIPPED_TEXT:
            continue
        if tag == w("t"):
            yield "text", child.text or ""
        elif tag == w("tab"):
            yield "text", "\t"
        elif tag == w("br"):
            yield ("break", "") if child.get(w("type")) == "page" else ("text", "\n")
        elif tag == w("lastRenderedPageBreak"):
            yield "break", ""
        elif tag in (w("cr"),):
            yield "text", "\n"
        elif tag in (w("noBreakHyphen"), w("softHyphen")):
            yield "text", "-" if tag == w("noBreakHyphen") else ""
        else:
            yield from _paragraph_tokens(child)


def _cell_text(tc: etree._Element) -> str:
    paragraphs = [p for p in _children(tc) if p.tag == w("p")]
    texts = ["".join(v for k, v in _paragraph_tokens(p) if k == "text") for p in paragraphs]
    return "\n".join(t.strip() for t in texts).strip()


def _has_break(el: etree._Element) -> bool:
    for br in el.iter(w("br"), w("lastRenderedPageBreak")):
        if br.tag == w("lastRenderedPageBreak") or br.get(w("type")) == "page":
            return True
    return False


# ---------------------------------------------------------------- tables


def _add_table(tbl: etree._Element, builder: _PageBuilder) -> None:
    if _is_layout_table(tbl):
        for tc in _table_cells(tbl):
            _walk_container(tc, builder)
        return
    builder.add_table(table_cells(tbl))
    if _has_break(tbl):
        builder.page_break()


def _is_layout_table(tbl: etree._Element) -> bool:
    return any(child.tag == w("tbl") for tc in _table_cells(tbl) for child in _children(tc))


def _rows(tbl: etree._Element) -> list[etree._Element]:
    return [r for r in _children(tbl) if r.tag == w("tr")]


def _table_cells(tbl: etree._Element) -> Iterator[etree._Element]:
    for tr in _rows(tbl):
        yield from (c for c in _children(tr) if c.tag == w("tc"))


def _int_val(parent: etree._Element | None, tag: str, default: int) -> int:
    el = parent.find(w(tag)) if parent is not None else None
    if el is None:
        return default
    try:
        return max(int(el.get(w("val"), default)), 0)
    except ValueError:
        return default


def table_cells(tbl: etree._Element) -> list[Cell]:
    """Grid cells of one table with spans resolved (gridBefore, gridSpan, vMerge, legacy hMerge)."""
    cells: list[Cell] = []
    open_merges: dict[int, Cell] = {}  # grid column -> cell whose vertical merge may continue
    for row_index, tr in enumerate(_rows(tbl)):
        col = _int_val(tr.find(w("trPr")), "gridBefore", 0)
        continued: dict[int, Cell] = {}
        previous: Cell | None = None
        for tc in (c for c in _children(tr) if c.tag == w("tc")):
            tcpr = tc.find(w("tcPr"))
            span = max(_int_val(tcpr, "gridSpan", 1), 1)
            merge = _merge_kind(tcpr, "vMerge")
            if merge == "continue" and col in open_merges:
                above = open_merges[col]
                above.rowspan = row_index - above.row + 1
                _refresh_bbox(above)
                continued[col] = above
            elif _merge_kind(tcpr, "hMerge") == "continue" and previous is not None:
                previous.colspan += span
                _refresh_bbox(previous)
            else:
                previous = Cell(
                    row=row_index,
                    col=col,
                    text=_cell_text(tc),
                    bbox=(0, 0, 0, 0),
                    colspan=span,
                    method="docx",
                )
                _refresh_bbox(previous)
                cells.append(previous)
                if merge == "restart":
                    continued[col] = previous
            col += span
        open_merges = continued
    return cells


def _merge_kind(tcpr: etree._Element | None, tag: str) -> str | None:
    el = tcpr.find(w(tag)) if tcpr is not None else None
    if el is None:
        return None
    return "restart" if el.get(w("val")) == "restart" else "continue"


def _refresh_bbox(cell: Cell) -> None:
    cell.bbox = (cell.col, cell.row, cell.col + cell.colspan, cell.row + cell.rowspan)
