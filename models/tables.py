"""The database tables. Names and columns here are a contract with the web app: keep them stable.

State lives here, not in the queue: a Document's `status` is the truth about where a file is, and a
message on the queue is only a nudge to look at a document id.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, DateTime, Index, String, Text, UniqueConstraint, false, text
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

# Document.status values. `queued` and `processing` are transient; the other three are final.
QUEUED = "queued"
PROCESSING = "processing"
DONE = "done"
NEEDS_REVIEW = "needs_review"
FAILED = "failed"
STATUSES = (QUEUED, PROCESSING, DONE, NEEDS_REVIEW, FAILED)
FINAL_STATUSES = (DONE, NEEDS_REVIEW, FAILED)

ROLES = ("operator", "admin")

# Correction.decision values: what a person said about a field.
AS_PRINTED = "as_printed"  # the value is what the document shows (even when its own arithmetic fails)
CORRECTED = "corrected"  # the machine misread it: `new` is the right value
UNREADABLE = "unreadable"  # the document shows something no one can read
NOT_PRINTED = "not_printed"  # this document does not print the field at all
DECISIONS = (AS_PRINTED, CORRECTED, UNREADABLE, NOT_PRINTED)
SUGGESTION_TAKEN = "suggestion taken"  # Correction.reason of a correction to the rules' suggested value


def utcnow() -> datetime:
    return datetime.now(UTC)


def _ts(nullable: bool = True) -> Any:
    return SQLField(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


class Document(SQLModel, table=True):
    """One distinct file content (by SHA-256) that entered the inbox or a bulk import."""

    id: int | None = SQLField(default=None, primary_key=True)
    original_name: str
    inbox_path: str  # where the original is now (inbox/processed/... or inbox/failed/...)
    sha256: str = SQLField(unique=True, index=True, max_length=64)
    size: int
    format: str | None = None
    status: str = SQLField(default=QUEUED, index=True)
    reason: str | None = SQLField(default=None, sa_column=Column(Text))
    error_code: str | None = None
    attempts: int = 0
    queue: str = "native"  # native | ocr: where the next task for it goes
    task_id: str | None = None  # the Celery task that holds the claim while `processing`
    worker: str | None = None  # who holds that claim: Celery node name and pool child pid (kept after)
    # A `processing` claim not renewed by then is presumed dead: the task's heartbeat pushes it forward.
    lease_until: datetime | None = _ts()
    enqueued_at: datetime | None = _ts()  # null: not yet on the queue (broker was down)
    created_at: datetime = SQLField(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    started_at: datetime | None = _ts()
    finished_at: datetime | None = _ts()
    duplicates: int = 0  # how many later drops had the same content (each in DuplicateDrop)
    store_path: str
    pages: int | None = None
    seconds: float | None = None
    # Hints from the folder the file came from, e.g. .../山东省/聊城市/2020/ → region 山东省/聊城市, year 2020.
    hint_region: str | None = None
    hint_year: int | None = None
    hint_agency: str | None = None
    # Per page: the units of its boxes and the image they belong to (the cleaned page image for an OCR'd
    # page): [{"page", "unit", "width", "height", "image"}], from the record's source.page_images.
    page_images: list[dict[str, Any]] | None = SQLField(default=None, sa_column=Column(JSON))
    # The reading's notes beside the values: record.info, e.g. {"seconds": 0.12, "pages_not_read": [3, 4]}.
    info: dict[str, Any] | None = SQLField(default=None, sa_column=Column(JSON))


class DuplicateDrop(SQLModel, table=True):
    """A drop whose content was already stored: kept visible instead of silently ignored."""

    id: int | None = SQLField(default=None, primary_key=True)
    document_id: int = SQLField(foreign_key="document.id", index=True)
    original_name: str
    inbox_path: str
    dropped_at: datetime = SQLField(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class Report(SQLModel, table=True):
    """The machine's reading of one document (at most one per document)."""

    id: int | None = SQLField(default=None, primary_key=True)
    document_id: int = SQLField(foreign_key="document.id", unique=True, index=True)
    agency: str | None = None
    agency_confidence: float | None = None
    agency_status: str | None = None
    year: int | None = SQLField(default=None, index=True)
    year_confidence: float | None = None
    year_status: str | None = None
    template: str | None = None
    # The agency as its printed name resolves (ingest.agency), and as a person's merges map it: the
    # archive, continuity and exports group by agency_id.
    agency_key: str | None = None
    agency_id: str | None = SQLField(default=None, index=True)
    template_confidence: float | None = None
    template_status: str | None = None
    published_date: str | None = None  # ISO date as read
    published_date_confidence: float | None = None
    published_date_status: str | None = None
    status: str = NEEDS_REVIEW  # done | needs_review
    fields_total: int = 0
    fields_review: int = 0
    checks_total: int = 0
    checks_failed: int = 0
    updated_at: datetime = SQLField(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class Field(SQLModel, table=True):
    """One key of a report (meta.* included), as the machine read it. Corrections sit beside it."""

    # Indexes cost every store ~200 row inserts' worth of upkeep, so only what queries use: (report_id, key)
    # finds a report's fields (and keeps keys unique); the partial index finds the review queue and its
    # backlog (`status = 'review'`) without scanning every field of every report.
    __table_args__ = (
        UniqueConstraint("report_id", "key", name="uq_field_report_key"),
        Index(
            "ix_field_review",
            "report_id",
            sqlite_where=text("status = 'review'"),
            postgresql_where=text("status = 'review'"),
        ),
    )

    id: int | None = SQLField(default=None, primary_key=True)
    report_id: int = SQLField(foreign_key="report.id")
    key: str
    value: str | None = SQLField(default=None, sa_column=Column(Text))  # JSON-free text form
    value_type: str = "null"  # null | int | float | str | bool
    raw: str | None = SQLField(default=None, sa_column=Column(Text))
    confidence: float = 0.0
    status: str = "review"  # ok | review
    page: int | None = None
    bbox: list[float] | None = SQLField(default=None, sa_column=Column(JSON))
    method: str = ""
    reasons: list[str] = SQLField(default_factory=list, sa_column=Column(JSON))
    suggested: str | None = None


class CheckResult(SQLModel, table=True):
    id: int | None = SQLField(default=None, primary_key=True)
    report_id: int = SQLField(foreign_key="report.id", index=True)
    rule: str
    scope: str
    ok: bool
    keys: list[str] = SQLField(default_factory=list, sa_column=Column(JSON))
    detail: str = ""
    # A failed rule over a value a person confirmed *as printed*: the document's own inconsistency,
    # transcribed and kept failed, not a misreading still to fix.
    document_inconsistent: bool = SQLField(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )


class Correction(SQLModel, table=True):
    """A person's change to a field. Append-only: never updated, never deleted, survives re-extraction."""

    id: int | None = SQLField(default=None, primary_key=True)
    field_id: int = SQLField(foreign_key="field.id", index=True)
    who: str
    at: datetime = SQLField(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    old: str | None = SQLField(default=None, sa_column=Column(Text))
    new: str | None = SQLField(default=None, sa_column=Column(Text))
    # What the person decided (DECISIONS): the value as the document prints it, a misreading corrected,
    # unreadable, or not printed in this document. `new` is the value that follows from it.
    decision: str = SQLField(
        default=AS_PRINTED, sa_column=Column(String(16), nullable=False, server_default=AS_PRINTED)
    )
    reason: str = ""  # a note beside the decision, e.g. SUGGESTION_TAKEN


class User(SQLModel, table=True):
    id: int | None = SQLField(default=None, primary_key=True)
    username: str = SQLField(unique=True, index=True)
    password_hash: str
    role: str = "operator"  # operator | admin
    language: str | None = None  # zh_CN | en for the web app; None: the default (zh_CN)
    # Disabled, not deleted: Corrections name their author, and a name must not pass to someone else.
    disabled: bool = SQLField(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    created_at: datetime = SQLField(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class WebSession(SQLModel, table=True):
    """A signed-in browser session of the web app. The cookie carries only `id`; ending the row (sign-out,
    a password change, disabling the user) ends the session even for a copy of the cookie."""

    __tablename__ = "web_session"
    id: str = SQLField(primary_key=True, max_length=64)  # sha256 of the random token in the cookie
    user_id: int = SQLField(foreign_key="user.id", index=True)
    created_at: datetime = SQLField(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    ended_at: datetime | None = SQLField(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


# ---------------------------------------------------------------- the archive: agencies across years

MERGE_SUGGESTED, MERGE_MERGED, MERGE_UNDONE, MERGE_REJECTED = "suggested", "merged", "undone", "rejected"


class Agency(SQLModel, table=True):
    """One body as its name resolves against the gazetteer (ingest.agency.identify)."""

    id: str = SQLField(primary_key=True, max_length=200)  # 320813:人民政府, or name:… when unresolved
    name: str  # the fullest name printed for it so far
    kind: str
    province_code: str | None = SQLField(default=None, index=True)
    province: str | None = None
    city_code: str | None = SQLField(default=None, index=True)
    city: str | None = None
    county_code: str | None = SQLField(default=None, index=True)
    county: str | None = None
    # Ids the gazetteer says it could be (unresolved names only): what merges are suggested from.
    candidates: list[str] = SQLField(default_factory=list, sa_column=Column(JSON))
    created_at: datetime = SQLField(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class AgencyMerge(SQLModel, table=True):
    """A person's say that `source_id` is `target_id`: suggested by the machine, merged or rejected by an
    admin, and undone. The latest decision is on the row; every decision is in AgencyDecision."""

    __tablename__ = "agency_merge"
    __table_args__ = (UniqueConstraint("source_id", "target_id", name="uq_agency_merge_pair"),)
    id: int | None = SQLField(default=None, primary_key=True)
    source_id: str = SQLField(foreign_key="agency.id", index=True, max_length=200)
    target_id: str = SQLField(foreign_key="agency.id", index=True, max_length=200)
    state: str = MERGE_SUGGESTED  # suggested | merged | undone | rejected
    reason: str = ""
    decided_by: str | None = None
    decided_at: datetime | None = _ts()
    created_at: datetime = SQLField(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class AgencyDecision(SQLModel, table=True):
    """Append-only: who merged, rejected or undid which merge, and when."""

    __tablename__ = "agency_decision"
    id: int | None = SQLField(default=None, primary_key=True)
    merge_id: int = SQLField(foreign_key="agency_merge.id", index=True)
    action: str  # merged | undone | rejected
    who: str
    at: datetime = SQLField(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class YearCheck(SQLModel, table=True):
    """year.continuity between two reports of one agency a year apart, per t3 column: this year's
    carried_over = last year's carried_forward. One row belongs to both reports."""

    __tablename__ = "year_check"
    id: int | None = SQLField(default=None, primary_key=True)
    agency_id: str = SQLField(index=True, max_length=200)
    report_id: int = SQLField(foreign_key="report.id", index=True)  # this year
    previous_report_id: int = SQLField(foreign_key="report.id", index=True)  # last year
    scope: str  # the t3 column
    ok: bool
    this_value: str | None = None
    previous_value: str | None = None
    detail: str = ""
    checked_at: datetime = SQLField(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class ContinuityFlag(SQLModel, table=True):
    """A cell that a failed year.continuity sent to review, and the status it had before: restored when
    no continuity check fails on it any more."""

    __tablename__ = "continuity_flag"
    field_id: int = SQLField(primary_key=True)  # no foreign key: a re-reading may delete the field
    prior_status: str
