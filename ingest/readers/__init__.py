"""One reader per format, behind one small interface, chosen by the detected format (never the file name).

A reader is a callable `read(path: Path, limits: Limits) -> SourceDocument`. It raises an
`ingest.errors.IngestError` subclass for a file it cannot read. Register it with `@reader("fmt")`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.document import SourceDocument
from ingest.errors import UnsupportedFormat


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep one bad file from hurting the worker."""

    max_pages: int = 200
    max_unpacked_bytes: int = 200 * 1024 * 1024  # DOCX/zip: refuse a zip bomb before inflating it
    max_file_bytes: int = 200 * 1024 * 1024
    ocr: bool = True  # read pages without a text layer through the OCR route when it is installed


Reader = Callable[[Path, Limits], SourceDocument]
_READERS: dict[str, Reader] = {}


def reader(fmt: str) -> Callable[[Reader], Reader]:
    def register(fn: Reader) -> Reader:
        _READERS[fmt] = fn
        return fn

    return register


def reader_for(fmt: str) -> Reader:
    _load_builtin_readers()
    try:
        return _READERS[fmt]
    except KeyError:
        raise UnsupportedFormat(f"no reader for format {fmt!r}") from None


def _load_builtin_readers() -> None:
    # Imported lazily so that `ingest extract` on a text file does not import pdfplumber or OpenCV.
    import importlib

    for name in ("text", "html", "docx", "pdf", "legacy", "image"):
        try:
            importlib.import_module(f"ingest.readers.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"ingest.readers.{name}":
                raise
