"""The record as the service stores it: `ingest.pipeline.extract`'s record plus `source.page_images`.

A field's bbox is in its page's own units, and for a page the OCR route read those are pixels of the
cleaned, upright page image it saved (`Page.image_path`), not of the original scan, which may be rotated
or skewed. The record JSON does not carry the page units or that image, so this keeps them per page for the
review app's crops:

    "source": {..., "page_images": [{"page": 1, "unit": "px", "width": 1654, "height": 2339,
                                     "image": "<data dir>/ocr-pages/….jpg"}, ...]}

It mirrors `ingest.pipeline.extract` step by step (same stages, same error handling) because `extract`
returns only the record and drops the `SourceDocument`. Once the record itself carries `page_images`,
this becomes `extract(...).to_json()`.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from ingest.document import SourceDocument
from ingest.errors import IngestError
from ingest.pipeline import read_document, sha256_of
from ingest.readers import Limits
from ingest.record import Record

log = logging.getLogger(__name__)


def page_images(doc: SourceDocument) -> list[dict[str, Any]]:
    return [{"page": p.number, "unit": p.unit, "width": p.width, "height": p.height, "image": p.image_path}
            for p in doc.pages]


def extract_json(path: str | Path, limits: Limits | None = None, sha256: str | None = None) -> dict[str, Any]:
    """`extract(path, limits, sha256).to_json()` with the page units and images kept in `source`."""
    from ingest.build import build_record  # the stages after reading, as extract() imports them

    path = Path(path)
    started = time.perf_counter()
    record = Record(path=str(path), sha256=sha256 or "")
    pages: list[dict[str, Any]] = []
    try:
        if not record.sha256:
            record.sha256 = sha256_of(path)
        doc = read_document(path, limits or Limits())
        record.format, record.pages = doc.format, len(doc.pages)
        pages = page_images(doc)
        build_record(doc, record)
    except IngestError as exc:
        record.error = exc.as_dict()
    except OSError as exc:
        record.error = {"code": "io_error", "message": f"{type(exc).__name__}: {exc}"}
    except Exception as exc:  # as extract(): a bug of ours or a library's still ends the file failed
        log.exception("extract failed on %s", path)
        record.error = {"code": "internal_error", "message": f"{type(exc).__name__}: {exc}"}
    record.info["seconds"] = round(time.perf_counter() - started, 3)
    out = record.to_json()
    out["source"]["page_images"] = pages
    return out
