"""The pipeline, stage by stage: detect → read → tokens → tables → keys → rules → statuses (STAGES).

`extract(path)` is the one entry point every caller uses (CLI, workers, benchmarks). It never raises for
a bad file: the record carries the error instead, so a batch always gets one record per input.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

from ingest.detect import detect_format
from ingest.document import SourceDocument
from ingest.errors import ErrorCode, IngestError, error_dict
from ingest.readers import Limits, reader_for
from ingest.record import Record

log = logging.getLogger(__name__)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read(path: Path, fmt: str, limits: Limits) -> SourceDocument:
    """read: the file as pages of lines and tables, by its format's reader."""
    return reader_for(fmt)(path, limits)


def read_document(path: Path, limits: Limits | None = None) -> SourceDocument:
    """detect + read: what the evidence viewer and the benchmarks need of a file."""
    return read(path, detect_format(path), limits or Limits())


# The pipeline, in order: each stage a function with a typed input and output. The README's table of
# stages is checked against these names (tests/test_pipeline.py).
STAGES: tuple[tuple[str, str], ...] = (
    ("detect", "ingest.detect.detect_format: Path → format"),
    ("read", "ingest.pipeline.read: Path, format, Limits → SourceDocument"),
    ("tokens", "ingest.build.to_text: SourceDocument → DocumentText"),
    ("tables", "ingest.build.read_tables: DocumentText → TableReading"),
    ("keys", "ingest.build.fill_keys: DocumentText, TableReading → Record (meta, fields)"),
    ("rules", "ingest.build.check: TableReading, Record → Record (checks)"),
    ("statuses", "ingest.build.decide_statuses: TableReading, Record → Record (each field ok or review)"),
)


def load_stages() -> None:
    """Import every stage and every reader now, not in the first file's `extract()`: for a process that
    forks readers (they inherit the imports) or a worker child before its first task."""
    from ingest import build  # noqa: F401
    from ingest.readers import preload_readers

    preload_readers()


def extract(path: str | Path, limits: Limits | None = None, sha256: str | None = None) -> Record:
    """Every stage of STAGES in turn. Never raises for a bad file: the record carries the error."""
    from ingest import build  # the stages after reading import the table and template machinery

    path = Path(path)
    started = time.perf_counter()
    record = Record(path=str(path), sha256=sha256 or "")
    try:
        if not record.sha256:
            record.sha256 = sha256_of(path)
        doc = read(path, detect_format(path), limits or Limits())
        record.format = doc.format
        record.pages = len(doc.pages)
        record.page_images = [
            {"page": p.number, "unit": p.unit, "width": p.width, "height": p.height, "image": p.image_path}
            for p in doc.pages
        ]
        text = build.to_text(doc)
        tables = build.read_tables(text)
        build.fill_keys(text, tables, record)
        build.check(tables, record)
        build.decide_statuses(tables, record)
        record.pages_text = [SourceDocument(doc.path, doc.format, [p]).text() for p in doc.pages]
    except IngestError as exc:
        record.error = exc.as_dict()
    except OSError as exc:
        record.error = error_dict(ErrorCode.IO_ERROR, f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # a bug of ours or a library's: the file still ends failed, with the reason
        log.exception("extract failed on %s", path)
        record.error = error_dict(ErrorCode.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}")
    record.info["seconds"] = round(time.perf_counter() - started, 3)
    return record
