"""One reader per format, behind one small interface, chosen by the detected format (never the file name).

A reader is a callable `read(path: Path, limits: Limits) -> SourceDocument`. It raises an
`ingest.errors.IngestError` subclass for a file it cannot read. Register it with `@reader("fmt")`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.document import SourceDocument
from ingest.errors import TooLarge, UnsupportedFormat

MB = 1024 * 1024


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep one bad file from hurting the worker. Each is a setting (environment), and the
    reason of a file that hits one names it, so a person knows which to raise."""

    max_pages: int = field(default_factory=lambda: _env_int("INGEST_MAX_PAGES", 200))
    # DOCX/zip: refuse a zip bomb before inflating it.
    max_unpacked_bytes: int = field(default_factory=lambda: _env_int("INGEST_MAX_UNPACKED_MB", 200) * MB)
    max_file_bytes: int = field(default_factory=lambda: _env_int("INGEST_MAX_FILE_MB", 200) * MB)
    ocr: bool = True  # read pages without a text layer through the OCR route when it is installed

    def too_many_pages(self, name: str, pages: int) -> TooLarge:
        return TooLarge(f"{name} has {pages} pages, over the page limit INGEST_MAX_PAGES={self.max_pages}")

    def file_too_big(self, name: str, size: int) -> TooLarge:
        return TooLarge(
            f"{name} is {size / MB:.1f} MB, over the file size limit INGEST_MAX_FILE_MB={self.max_file_bytes // MB}"
        )

    def unpacks_too_big(self, name: str, size: int | None = None) -> TooLarge:
        amount = f"{size / MB:.1f} MB" if size is not None else "more"
        return TooLarge(
            f"{name} would unpack to {amount}, over the unpacked size limit "
            f"INGEST_MAX_UNPACKED_MB={self.max_unpacked_bytes // MB} (a zip bomb or an oversized document)"
        )


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
