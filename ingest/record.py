"""The record we make of a report: every field with value, confidence, evidence and status.

Its JSON form is the contract of `ingest extract` (one object per input, JSON Lines):

  {"source": {"path", "sha256", "format", "pages"},
   "meta": {"agency": F, "year": F, "template": F, "published_date": F},
   "fields": {key: F},            # t2.*, t3.*, t4.* of the template, and n.*
   "checks": [{"rule", "scope", "ok", "keys": [...]}],
   "error": null | {"code", "message"}}

  F = {"value", "confidence", "status": "ok"|"review", "raw", "page", "bbox", "method", "reasons": [...],
       "suggested"?}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.document import BBox

OK = "ok"
REVIEW = "review"

# Below this confidence a field is never `ok`. Readings of real text layers sit at 0.99; position-only
# mappings and OCR readings fall under it unless other evidence raises them.
REVIEW_THRESHOLD = 0.9


@dataclass(slots=True)
class FieldValue:
    value: Any = None
    confidence: float = 0.0
    raw: str | None = None
    page: int | None = None
    bbox: BBox | None = None
    method: str = ""
    reasons: list[str] = field(default_factory=list)
    suggested: Any = None
    # Set once by `settle_status`; rules and reasons force `review`.
    status: str = REVIEW

    def flag(self, reason: str) -> None:
        """Send the field to a person, saying why."""
        if reason not in self.reasons:
            self.reasons.append(reason)
        self.status = REVIEW

    def settle_status(self) -> None:
        """`ok` only for a found value we are confident in and that no rule or reader doubts."""
        doubted = any(not r.startswith("note:") for r in self.reasons)
        missing = self.value is None and not self.null_is_answer
        self.status = REVIEW if missing or doubted or self.confidence < REVIEW_THRESHOLD else OK

    # A null that is itself the answer (the prose states no single figure): not a missing field.
    null_is_answer: bool = False
    # A table cell's reading alone, before its row's doubts lower `confidence` (None elsewhere): whether
    # OCR itself was sure of the glyphs (trust.py). Not part of the record's JSON.
    reading_confidence: float | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "confidence": round(self.confidence, 3),
            "status": self.status,
            "raw": self.raw,
            "page": self.page,
            "bbox": [round(v, 1) for v in self.bbox] if self.bbox else None,
            "method": self.method,
            "reasons": list(self.reasons),
        }
        if self.suggested is not None:
            out["suggested"] = self.suggested
        return out


@dataclass(slots=True)
class CheckResult:
    rule: str  # e.g. "t3.row_sum"
    scope: str  # e.g. "granted" (a row), "natural" (a column), "review" (a group)
    ok: bool
    keys: list[str]
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "scope": self.scope, "ok": self.ok, "keys": self.keys}
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass(slots=True)
class Record:
    path: str
    sha256: str
    format: str | None = None
    pages: int = 0
    meta: dict[str, FieldValue] = field(default_factory=dict)
    fields: dict[str, FieldValue] = field(default_factory=dict)
    checks: list[CheckResult] = field(default_factory=list)
    error: dict[str, str] | None = None
    info: dict[str, Any] = field(default_factory=dict)
    # Per page: its number, unit, size and, for pages read by OCR, the cleaned upright image the boxes
    # are in (pixels of that image, not of the original scan, which may be turned or skewed).
    page_images: list[dict[str, Any]] = field(default_factory=list)
    # Each page's text as read, for the archive's full-text search (the worker stores it; not in to_json).
    pages_text: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        source = {
            "path": self.path,
            "sha256": self.sha256,
            "format": self.format,
            "pages": self.pages,
            "page_images": self.page_images,
        }
        if self.info.get("pages_not_read"):
            # A page without a usable text layer that no OCR read: never dropped without a trace.
            source["pages_not_read"] = self.info["pages_not_read"]
        if self.info.get("page_errors"):
            source["page_errors"] = self.info["page_errors"]  # page number → why its reading failed
        return {
            "source": source,
            "meta": {k: v.to_json() for k, v in self.meta.items()},
            "fields": {k: v.to_json() for k, v in self.fields.items()},
            "checks": [c.to_json() for c in self.checks],
            "error": self.error,
        }

    def review_count(self) -> int:
        return sum(1 for f in [*self.meta.values(), *self.fields.values()] if f.status == REVIEW)
