"""One reader per format, behind one small interface, chosen by the detected format (never the file name).

A reader is a callable `read(path: Path, limits: Limits) -> SourceDocument` that raises an
`ingest.errors.IngestError` subclass for a file it cannot read. A reader module registers itself with
`@reader(format, sniff=…, order=…, needs_ocr=…)`: `sniff` claims a file from its first bytes (detection asks
every registered reader, in `order`: exact signatures first, guesses about text last) and `needs_ocr` says
whether a file goes to the OCR queue (routing asks it). Detection and routing run in the importer, which
never reads a file: a reader imports its heavy libraries where it reads and names them in `preload`,
which `ingest.pipeline.load_stages` imports up front in processes that read. Readers are found, not
listed: every module of this package, and any module named under the `ingest.readers` entry-point group of an installed package —
so a new format is one module (docs/readers.md).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property
from importlib.metadata import entry_points
from pathlib import Path

from ingest.document import SourceDocument
from ingest.errors import TooLarge, UnsupportedFormat


class Format(StrEnum):
    """The formats this package reads. A reader from another package may register a name of its own."""

    PDF = "pdf"
    DOCX = "docx"
    DOC = "doc"  # Word 97-2003, WPS, RTF: converted by LibreOffice
    HTML = "html"
    TEXT = "text"  # plain text and Markdown
    IMAGE = "image"


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


@dataclass  # no slots: cached_property needs the instance dict
class Sample:
    """What detection looks at: the file's first bytes, and on demand a zip's member names and the bytes
    read as text (decoded once, however many readers ask)."""

    path: Path
    head: bytes
    decode: Callable[[bytes], str | None]  # detection's text sniff (ingest.detect.decode_sniff)

    @cached_property
    def text(self) -> str | None:
        return self.decode(self.head)

    @cached_property
    def zip_names(self) -> frozenset[str]:
        import zipfile

        from ingest.errors import CorruptFile

        try:
            with zipfile.ZipFile(self.path) as archive:
                return frozenset(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise CorruptFile(
                f"{self.path.name} is a damaged zip archive (a DOCX must be a valid zip): {exc}"
            ) from exc


Reader = Callable[[Path, Limits], SourceDocument]
Sniff = Callable[[Sample], bool]


def _never(_path: Path) -> bool:
    return False


@dataclass(frozen=True, slots=True)
class ReaderSpec:
    format: str
    read: Reader
    sniff: Sniff | None  # None: never chosen by detection (only by name)
    order: int  # detection asks readers in this order
    needs_ocr: Callable[[Path], bool]  # routing: True sends the file to the OCR queue
    preload: tuple[str, ...] = ()  # modules `read` imports on use; loaded up front by processes that read


_READERS: dict[str, ReaderSpec] = {}


def reader(
    fmt: str,
    *,
    sniff: Sniff | None = None,
    order: int = 50,
    needs_ocr: Callable[[Path], bool] = _never,
    preload: tuple[str, ...] = (),
) -> Callable[[Reader], Reader]:
    def register(fn: Reader) -> Reader:
        _READERS[fmt] = ReaderSpec(fmt, fn, sniff, order, needs_ocr, preload)
        return fn

    return register


@cache
def _load_readers() -> None:
    """Import every reader module: this package's, then those other packages name as entry points."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    for entry in entry_points(group="ingest.readers"):
        entry.load()


def registered() -> list[ReaderSpec]:
    """Every reader, in detection order."""
    _load_readers()
    return sorted(_READERS.values(), key=lambda spec: (spec.order, spec.format))


def preload_readers() -> None:
    """Import every module the readers import on use (a process that reads files, before it forks)."""
    for spec in registered():
        for module in spec.preload:
            importlib.import_module(module)


def spec_for(fmt: str) -> ReaderSpec:
    _load_readers()
    try:
        return _READERS[fmt]
    except KeyError:
        raise UnsupportedFormat(f"no reader for format {fmt!r}") from None


def reader_for(fmt: str) -> Reader:
    return spec_for(fmt).read
