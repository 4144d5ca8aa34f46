"""The pipeline, stage by stage: detect → read → tables → map to keys → meta & prose → check.

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


def read_document(path: Path, limits: Limits | None = None) -> SourceDocument:
    """detect + read: the file as pages of lines and tables."""
    limits = limits or Limits()
    fmt = detect_format(path)
    return reader_for(fmt)(path, limits)


def extract(path: str | Path, limits: Limits | None = None, sha256: str | None = None) -> Record:
    from ingest.build import build_record  # the stages after reading

    path = Path(path)
    started = time.perf_counter()
    record = Record(path=str(path), sha256=sha256 or "")
    try:
        if not record.sha256:
            record.sha256 = sha256_of(path)
        doc = read_document(path, limits)
        record.format = doc.format
        record.pages = len(doc.pages)
        record.page_images = [
            {"page": p.number, "unit": p.unit, "width": p.width, "height": p.height, "image": p.image_path}
            for p in doc.pages
        ]
        build_record(doc, record)
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
