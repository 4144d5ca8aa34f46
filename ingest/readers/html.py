"""HTML reader (lxml.html): a saved web page as one page of lines and tables, in document order.

Encoding: BOM, then the page's own <meta charset>/http-equiv declaration (if it decodes cleanly), then
charset-normalizer; GBK/GB2312 are read as GB18030, their superset.
Block elements (p, div, h1–h6, li, …) and <br> end a `Line`. A <table> becomes a `Table` with
colspan/rowspan placed by the HTML table grid algorithm — unless it is a layout table (its cells hold
other tables, or long prose, or it is a single cell), which is walked like any container. A small table
of page metadata (索引号, 发布机构, 生成日期 …) is emitted as one Line per row so its text reads as lines.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from lxml import etree

from ingest.detect import is_html
from ingest.document import Block, Cell, Line, Page, SourceDocument, Table
from ingest.errors import CorruptFile
from ingest.readers import Format, Limits, reader
from ingest.readers.glyphs import fold_radicals
from ingest.readers.text import text_lines, text_page

METHOD = "html"
SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "title",
    "nav",
    "select",
    "option",
    "button",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "input",
    "textarea",
    "map",
}
BLOCK_TAGS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "main",
    "blockquote",
    "pre",
    "address",
    "center",
    "form",
    "fieldset",
    "figure",
    "figcaption",
    "hr",
    "tr",
    "td",
    "th",
    "caption",
    "body",
    "html",
    "table",
    "tbody",
    "thead",
    "tfoot",
}
# Tags that end a line as this reader walks HTML (BLOCK_TAGS and <br>): where none stands outside a
# file's raw tables, the text's own line breaks are its only lines.
_LINE_MARKUP = re.compile(rf"<(?:{'|'.join(sorted(BLOCK_TAGS | {'br'}))})\b", re.IGNORECASE)
META_KEYWORDS = (
    "索引号",
    "发布机构",
    "生成日期",
    "发文日期",
    "成文日期",
    "发布日期",
    "主题分类",
    "文号",
    "公开方式",
    "信息来源",
)
MAX_META_ROWS = 8
PROSE_CELL_CHARS = 200  # a cell this long is prose: its table is page layout, not data
MAX_SPAN = 1000  # browsers cap colspan at 1000 and rowspan at 65534; we need less
CHARSET_DECL = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
WHITESPACE = re.compile(r"\s+")
_PAGE_SKELETON = re.compile(r"<(?:!doctype|html|head|body)[\s>/]", re.IGNORECASE)
_MARKDOWN_MARK = re.compile(
    r"^\s*(?:\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?|\+(?:[-=:]+\+)+|#{1,6}\s+\S.*|:{3,}.*)\s*$"
)
_RAW_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_RAW_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
CJK_CODECS = {"gb18030", "big5", "big5hkscs", "cp950", "utf-16", "utf-16-le", "utf-16-be", "utf-32"}
GB_ALIASES = {"gbk", "gb2312", "gb_2312", "gb_2312-80", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}


@reader(Format.HTML, sniff=lambda s: is_html(s.head, s.text), order=80, preload=("charset_normalizer",))
def read(path: Path, limits: Limits) -> SourceDocument:
    path = Path(path)
    data = path.read_bytes()
    if len(data) > limits.max_file_bytes:
        raise limits.file_too_big(path.name, len(data))
    text, encoding = decode_html(data)
    text = fold_radicals(text)  # a page made from a PDF keeps its text layer's radicals (⻓ for 长)
    if is_markdown_with_markup(text):
        return markdown_document(path, text, encoding)
    root = _parse(text, path)
    walker = _Walker()
    walker.walk(root.find("body") if root.find("body") is not None else root)
    walker.flush()
    blocks = walker.blocks
    width = max((b.bbox[2] for b in blocks if b.bbox), default=0)
    page = Page(number=1, width=float(width), height=float(len(blocks)), unit="line", blocks=blocks)
    return SourceDocument(path=str(path), format="html", pages=[page], info={"encoding": encoding})


# ---------------------------------------------------------------- Markdown with raw HTML


def is_markdown_with_markup(text: str) -> bool:
    """Markdown that carries some raw HTML: pandoc keeps a page's `<div>`s, and writes a table whose spans
    it cannot print as pipes or a grid as a raw `<table>`, between Markdown tables and paragraphs.
    Detection calls it HTML; parsed as HTML, its Markdown tables and lines would run together into one
    line. Known by Markdown's own marks (a pipe table's delimiter row, a grid table's border, a `#`
    heading, a pandoc `:::` div) and no page skeleton (`<html>`, `<body>`). Or by no line markup at all
    around its raw tables: a PDF-to-Markdown converter (MinerU) writes paragraphs as plain lines and every
    table as raw `<table>`; there, line breaks are the only lines (the signature's agency and date ran
    into the paragraph above as HTML, and the date was lost)."""
    if _PAGE_SKELETON.search(text):
        return False
    if any(_MARKDOWN_MARK.match(line) for line in text.splitlines()):
        return True
    around = _RAW_TABLE.sub("\n", text)
    return around != text and not _LINE_MARKUP.search(around) and len(around.strip().splitlines()) >= 2


def markdown_document(path: Path, text: str, encoding: str) -> SourceDocument:
    """The Markdown read as text, as the text reader reads Markdown (its table stage reads pipe and grid
    tables), each raw `<table>` printed as pipe rows (a cell's text in the first slot it spans, the other
    slots empty, as our Markdown prints merged cells) and other raw tags taken out of their lines."""
    text = _RAW_TABLE.sub(lambda m: "\n" + "\n".join(_pipe_lines(m.group(0))) + "\n", text)
    pages = [
        text_page(number, [_RAW_TAG.sub("", line) for line in text_lines(chunk)])
        for number, chunk in enumerate(text.split("\f"), start=1)
    ]
    return SourceDocument(path=str(path), format="text", pages=pages, info={"encoding": encoding})


def _pipe_lines(fragment: str) -> list[str]:
    try:
        table = lxml.html.fragment_fromstring(fragment)
    except (etree.ParserError, ValueError):
        return [fragment]
    cells = grid_cells(table_rows(table))
    if not cells:
        return []
    grid = [
        [""] * max(c.col + c.colspan for c in cells) for _ in range(max(c.row + c.rowspan for c in cells))
    ]
    for cell in cells:
        grid[cell.row][cell.col] = cell.text.replace("\n", "").replace("|", "｜")
    lines = ["| " + " | ".join(row) + " |" for row in grid]
    return [lines[0], "|" + "---|" * len(grid[0]), *lines[1:]]


# ---------------------------------------------------------------- encoding


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's text and the encoding it was read with."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace"), codec
    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass  # pages often lie about their charset: fall through to detection
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    codec = _guess_codec(data)
    return data.decode(codec, errors="replace"), codec


def _guess_codec(data: bytes) -> str:
    from charset_normalizer import from_bytes  # on use: most pages are UTF-8 or say their charset

    best = from_bytes(data).best()
    codec = _normal_codec(best.encoding) if best is not None else "gb18030"
    if codec in CJK_CODECS:
        return codec
    # On short pages the detector may name a single-byte codepage; these sites are Chinese, so a
    # clean GB18030 decode is the better bet.
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return codec
    return "gb18030"


def _declared_charset(data: bytes) -> str | None:
    match = CHARSET_DECL.search(data[:8192])
    if not match:
        return None
    return _normal_codec(match.group(1).decode("ascii", "ignore"))


def _normal_codec(name: str) -> str:
    name = name.strip().lower()
    if name in GB_ALIASES or name.replace("-", "_") in GB_ALIASES:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def _parse(text: str, path: Path) -> etree._Element:
    text = XML_DECL.sub("", text, count=1)  # lxml refuses str input that declares an encoding
    if not text.strip():
        raise CorruptFile(f"{path.name}: the HTML page is empty")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise CorruptFile(f"{path.name}: could not parse the HTML ({exc})") from exc


# ---------------------------------------------------------------- walking


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _clean(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()


@dataclass
class _Walker:
    """Turns a subtree into blocks: inline text accumulates until a block boundary ends a Line."""

    blocks: list[Block] = field(default_factory=list)
    inline: list[str] = field(default_factory=list)

    def flush(self) -> None:
        text = _clean("".join(self.inline))
        self.inline = []
        if text:
            i = len(self.blocks)
            self.blocks.append(Line(text=text, bbox=(0, i, len(text), i + 1)))

    def walk(self, el: etree._Element) -> None:
        tag = _tag(el)
        if tag in SKIP_TAGS or not tag:
            return  # comments and processing instructions too; their tail is handled by the parent
        if tag == "table":
            self._table(el)
            return
        if tag == "br":
            self.flush()
            return
        block = tag in BLOCK_TAGS
        if block:
            self.flush()
        self.inline.append(el.text or "")
        for child in el:
            self.walk(child)
            self.inline.append(child.tail or "")
        if block:
            self.flush()

    def _table(self, table: etree._Element) -> None:
        self.flush()
        rows = table_rows(table)
        if is_layout_table(table, rows):
            for row in rows:
                for cell in row:
                    self.walk(cell)
                    self.flush()
            return
        if is_metadata_table(rows):
            for row in rows:
                self.inline.append(" ".join(t for t in (cell_text(c) for c in row) if t))
                self.flush()
            return
        cells = grid_cells(rows)
        if cells:
            i = len(self.blocks)
            n_cols = max(c.col + c.colspan for c in cells)
            self.blocks.append(Table(cells=cells, bbox=(0, i, n_cols, i + 1)))


# ---------------------------------------------------------------- tables


def table_rows(table: etree._Element) -> list[list[etree._Element]]:
    """The table's own rows (through thead/tbody/tfoot, not nested tables), each a list of its td/th."""
    rows: list[etree._Element] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if _tag(r) == "tr")
    return [[c for c in row if _tag(c) in ("td", "th")] for row in rows]


def is_layout_table(table: etree._Element, rows: list[list[etree._Element]]) -> bool:
    cells = [c for row in rows for c in row]
    if len(cells) <= 1:
        return True
    for cell in cells:
        if any(_tag(d) == "table" for d in cell.iterdescendants()):
            return True
        if len(_clean(cell.text_content())) > PROSE_CELL_CHARS:
            return True
    return False


def is_metadata_table(rows: list[list[etree._Element]]) -> bool:
    if len(rows) > MAX_META_ROWS:
        return False
    text = " ".join(_clean(c.text_content()) for row in rows for c in row)
    return sum(1 for k in META_KEYWORDS if k in text) >= 2


def cell_text(cell: etree._Element) -> str:
    walker = _Walker()
    walker.walk(cell)
    walker.flush()
    return "\n".join(b.text for b in walker.blocks if isinstance(b, Line))


def _span(cell: etree._Element, name: str) -> int:
    try:
        value = int(re.sub(r"[^\d]", "", cell.get(name, "1")) or 1)
    except ValueError:
        return 1
    return min(max(value, 1), MAX_SPAN)


def grid_cells(rows: list[list[etree._Element]]) -> list[Cell]:
    """The HTML table grid algorithm: each cell goes to the first free slot of its row, and claims
    colspan × rowspan slots; rowspans past the last row are cut there."""
    taken: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    for r, row in enumerate(rows):
        col = 0
        for el in row:
            while (r, col) in taken:
                col += 1
            colspan = _span(el, "colspan")
            rowspan = min(_span(el, "rowspan"), len(rows) - r)
            taken.update((r + dr, col + dc) for dr in range(rowspan) for dc in range(colspan))
            cells.append(
                Cell(
                    row=r,
                    col=col,
                    text=cell_text(el),
                    bbox=(col, r, col + colspan, r + rowspan),
                    rowspan=rowspan,
                    colspan=colspan,
                    method=METHOD,
                )
            )
            col += colspan
    return cells
