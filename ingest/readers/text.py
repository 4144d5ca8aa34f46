"""Plain text and Markdown: every line kept as read (tabs included), pages split at form feeds.

Text flattened from a report keeps its tables as lines: one cell per line behind a tab, or a row per line
with tab-separated cells. The reader does not guess at tables; the table stage reads those conventions.
"""

from __future__ import annotations

from pathlib import Path

from ingest.detect import is_text
from ingest.document import Block, Line, Page, SourceDocument
from ingest.errors import CorruptFile
from ingest.readers import Format, Limits, reader
from ingest.readers.glyphs import fold_radicals

_ENCODINGS = ("utf-8-sig", "gb18030", "big5")


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode with the first encoding that fits; UTF-16 only with its BOM."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16"
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise CorruptFile("text file in an unknown encoding (tried UTF-8, GB18030, Big5, UTF-16)")


@reader(Format.TEXT, sniff=lambda s: is_text(s.head, s.text), order=90)
def read(path: Path, limits: Limits) -> SourceDocument:
    data = path.read_bytes()
    if len(data) > limits.max_file_bytes:
        raise limits.file_too_big(path.name, len(data))
    text, encoding = decode_text(data)
    text = fold_radicals(text)  # text made from a PDF keeps its text layer's radicals (⻓ for 长)
    pages = [text_page(number, text_lines(chunk)) for number, chunk in enumerate(text.split("\f"), start=1)]
    if len(pages) > limits.max_pages:
        raise limits.too_many_pages(path.name, len(pages))
    return SourceDocument(path=str(path), format="text", pages=pages, info={"encoding": encoding})


def text_lines(chunk: str) -> list[str]:
    """A page of text as its lines, whatever its line ends."""
    return chunk.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def text_page(number: int, lines: list[str]) -> Page:
    """A page of text lines, each line a block one unit high (unit `line`)."""
    blocks: list[Block] = [Line(text=line, bbox=(0, i, len(line), i + 1)) for i, line in enumerate(lines)]
    width = max((len(line) for line in lines), default=0)
    return Page(number=number, width=width, height=len(lines), unit="line", blocks=blocks)
