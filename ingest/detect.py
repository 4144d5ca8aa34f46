"""Which reader a file needs, decided from its bytes, never its name.

Government sites serve `.doc` files that are HTML, `.pdf` links that are JPEG scans and `.wps` files that
are Word 97 documents, so the extension is not evidence. Order of tests: binary signatures first (they
are exact), then zip contents (DOCX vs. other zips), then a text sniff (HTML vs. plain text vs. garbage).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ingest.errors import EmptyFile, UnsupportedFormat

# Enough to see a signature and judge whether text is text; whole-file reads are the readers' job.
SNIFF_BYTES = 64 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps, .et: Microsoft compound file
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
BMP_INFO_HEADER_SIZES = {12, 16, 40, 52, 56, 64, 108, 124}

HTML_MARKERS = re.compile(rb"<(?:!doctype\s+html|html|body|table|p|div|meta|head)[\s>/]", re.IGNORECASE)
# Share of printable characters below which decoded "text" is really binary.
MIN_PRINTABLE_SHARE = 0.95


def detect_format(path: Path) -> str:
    """The format of the first registered reader whose sniff claims the file (ingest/readers: exact
    signatures first, text last); a typed error otherwise."""
    from ingest.readers import Sample, registered

    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head:
        raise EmptyFile(f"{path.name} is empty (0 bytes)")
    sample = Sample(path, head, decode_sniff)
    for spec in registered():
        if spec.sniff is not None and spec.sniff(sample):
            return spec.format
    if is_zip(head):
        raise UnsupportedFormat(
            f"{path.name} is a zip archive but not a Word document (no word/document.xml)"
            f"{_office_kind(set(sample.zip_names))}; send the report itself as DOCX, PDF, HTML or an image"
        )
    raise UnsupportedFormat(f"{path.name} does not look like a document (binary content of unknown type)")


# ---------------------------------------------------------------- signatures the readers sniff with


def is_pdf(head: bytes) -> bool:
    # Some PDF writers put junk (or a BOM) before the header; readers tolerate up to 1 KiB of it.
    return b"%PDF-" in head[:1024]


def is_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGICS)


def is_legacy_word(head: bytes) -> bool:
    """OLE2 (.doc, .wps) or RTF, which LibreOffice converts like any legacy Word file."""
    return head.startswith(OLE2_MAGIC) or head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"{\\rtf")


def is_image(head: bytes) -> bool:
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")):
        return True
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):  # TIFF and BigTIFF
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    return _is_bmp(head)


def _is_bmp(head: bytes) -> bool:
    # "BM" alone would catch text files starting with those letters; check the info header size too.
    if not head.startswith(b"BM") or len(head) < 18:
        return False
    return int.from_bytes(head[14:18], "little") in BMP_INFO_HEADER_SIZES


def _binary(head: bytes) -> bool:
    return is_pdf(head) or is_zip(head) or is_legacy_word(head) or is_image(head)


def is_text(head: bytes, text: str | None) -> bool:
    """Bytes that decode as clean text (`text`: `decode_sniff(head)`) and carry no binary signature."""
    if _binary(head):
        return False
    return text is not None and printable_share(text) >= MIN_PRINTABLE_SHARE


def is_html(head: bytes, text: str | None) -> bool:
    return is_text(head, text) and bool(HTML_MARKERS.search((text or "").encode("utf-8", "ignore")))


def _office_kind(names: set[str]) -> str:
    if "xl/workbook.xml" in names:
        return " — it is an Excel workbook"
    if "ppt/presentation.xml" in names:
        return " — it is a PowerPoint file"
    if "content.xml" in names:
        return " — it is an OpenDocument file"
    return ""


def decode_sniff(head: bytes) -> str | None:
    """The sniffed bytes as text in the first encoding that reads them as clean text (or, failing
    that, the least garbled reading); None when no candidate decodes them at all."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return _decode_prefix(head[len(bom) :], codec)
    # NUL bytes only occur in text as half of a UTF-16 code unit.
    codecs = ("utf-16-le", "utf-16-be") if b"\x00" in head else ("utf-8", "gb18030", "big5")
    readings = [t for t in (_decode_prefix(head, c) for c in codecs) if t is not None]
    for text in readings:
        if printable_share(text) >= MIN_PRINTABLE_SHARE:
            return text
    return max(readings, key=printable_share, default=None)


def _decode_prefix(data: bytes, codec: str) -> str | None:
    # The sniff window may cut a multi-byte character in two: allow a few undecodable trailing bytes.
    for cut in range(4):
        chunk = data[: len(data) - cut] if cut else data
        try:
            return chunk.decode(codec)
        except UnicodeDecodeError as exc:
            if exc.start < len(chunk) - 4:
                return None
    return None


def printable_share(text: str) -> float:
    if not text:
        return 0.0
    # Judged per distinct character (a report's 64 KiB sniff holds a few thousand), then counted in C.
    garbage = [ch for ch in set(text) if _is_garbage_char(ch)]
    bad = sum(text.count(ch) for ch in garbage)
    return 1.0 - bad / len(text)


def _is_garbage_char(ch: str) -> bool:
    if ch in "\t\n\r\f\v":
        return False
    category = unicodedata.category(ch)
    # Control, unassigned, private-use and surrogates: what random bytes decode to.
    return category in ("Cc", "Cn", "Co", "Cs") or ch == "\ufffd"
