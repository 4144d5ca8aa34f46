"""Engine, sessions, schema upgrades and `store_record`: the one way code reaches the database.

DATABASE_URL picks the database (PostgreSQL in production: `postgresql+psycopg://user@host/db`).
Without it: a SQLite file `<data dir>/ingest.sqlite` (data dir = INGEST_DATA_DIR, default ./var), in WAL
mode with a busy timeout so the watcher, workers and web app can share it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, bindparam, delete, event, insert, text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, create_engine, select

from ingest.errors import ErrorCode
from models.tables import DONE, NEEDS_REVIEW, CheckResult, Correction, Document, Field, Report, utcnow

# How long a SQLite write waits on another process's lock before OperationalError (then the task's
# retry with backoff, or the watcher's next rescan, takes over). INGEST_SQLITE_BUSY_TIMEOUT, seconds.
SQLITE_BUSY_TIMEOUT_MS = int(float(os.environ.get("INGEST_SQLITE_BUSY_TIMEOUT", "30")) * 1000)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
log = logging.getLogger("ingest.db")


def data_dir() -> Path:
    """Where the service keeps its state (INGEST_DATA_DIR, default ./var). Only named here: whoever writes
    under it makes the folders it needs, so importing a module or reading a setting creates nothing."""
    return Path(os.environ.get("INGEST_DATA_DIR", "var")).resolve()


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir() / 'ingest.sqlite'}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a power cut loses at most the last commits
    cur.close()


def _private_sqlite_file(url: str) -> None:
    """The SQLite file holds password hashes: owner-only (600). SQLite gives its -wal and -shm files the
    database file's mode, so creating it 600 covers them; files made before this are narrowed too."""
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Never open an existing database file here: closing any descriptor of it drops this process's
        # POSIX locks on it, and SQLite's connections in this process would lose theirs (the WAL with them).
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError, PermissionError):  # not ours to narrow: leave it
            file.chmod(0o600)


def make_engine(url: str | None = None, wait_for_disk: bool = True) -> Engine:
    """`wait_for_disk=False` (PostgreSQL): every commit on this engine's connections is made with
    `synchronous_commit = off` (see `session_scope`), set once per connection instead of once per
    transaction (a round trip of its own, twice a document)."""
    url = url or database_url()
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    options = {} if wait_for_disk else {"connect_args": {"options": "-c synchronous_commit=off"}}
    # pre_ping: a database restart must not hand a dead pooled connection to the next task.
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, **options)


_ENGINES: dict[bool, Engine] = {}


def get_engine(wait_for_disk: bool = True) -> Engine:
    """The process's engine for DATABASE_URL (one per process, and on PostgreSQL a second one for commits
    that need not wait for the disk; forked workers call `reset_engine`)."""
    if not wait_for_disk and not database_url().startswith("postgresql"):
        wait_for_disk = True  # SQLite: one engine, whose commits never wait for more than its WAL
    engine = _ENGINES.get(wait_for_disk)
    if engine is None:
        engine = _ENGINES[wait_for_disk] = make_engine(wait_for_disk=wait_for_disk)
    return engine


def reset_engine() -> None:
    """Drop pooled connections inherited across fork() and forget the cached engines."""
    for engine in _ENGINES.values():
        engine.dispose(close=False)
    _ENGINES.clear()


@contextmanager
def session_scope(engine: Engine | None = None, wait_for_disk: bool = True) -> Iterator[Session]:
    """A session that commits on success and rolls back on any exception.

    `wait_for_disk=False` is for work whose loss the reconciler repairs (a claim, a note that a message
    was sent, a stored reading): on PostgreSQL its commit does not wait for the WAL to reach the disk
    (`synchronous_commit = off` for this transaction only; ~3 ms of fsync on the development VM). It is
    visible to everyone at once and survives any client's death; only a crash of the database server
    itself (or of its machine) could lose it — the last ~0.6 s of such commits at most (3 ×
    `wal_writer_delay`) — and then the document is back in an earlier state that the reconciler acts on
    (never sent, sent but not in the queue, or a claim whose lease runs out), so it is read again from its
    stored original. Any later ordinary commit flushes it to disk along with its own. This is what
    SQLite here gives every commit (WAL, synchronous=NORMAL: a power cut can roll back the last few).
    What must wait: intake's row (without it a moved original would be untracked) and people's work."""
    with Session(engine or get_engine(wait_for_disk), expire_on_commit=False) as session:
        try:
            if engine is not None and not wait_for_disk and engine.dialect.name == "postgresql":
                session.execute(text("SET LOCAL synchronous_commit TO OFF"))  # not one of ours
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str | None = None) -> Any:
    from alembic.config import Config

    cfg = Config(str(MIGRATIONS_DIR.parent / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return cfg


# The newest migration in models/migrations/versions (a test keeps the two equal).
SCHEMA_HEAD = "0007"


# How long a command starting up waits for an unreachable database (a restart, compose bringing
# PostgreSQL up) before giving up: a service process must not die of an outage it could wait out.
DB_WAIT_SECONDS = float(os.environ.get("INGEST_DB_WAIT_SECONDS", "60"))


def schema_version(url: str | None = None) -> str | None:
    """The database's Alembic revision (None: no schema yet). OperationalError when unreachable."""
    from sqlalchemy import text as sql
    from sqlalchemy.exc import DBAPIError

    # The process's own engine when asked about its database: the connection is the one its work goes on.
    engine = make_engine(url) if url else get_engine()
    try:
        with engine.connect() as conn:
            try:
                return conn.execute(sql("SELECT version_num FROM alembic_version")).scalar()
            except DBAPIError:  # no alembic_version table: a new database
                return None
    finally:
        if url:
            engine.dispose()


def at_head(url: str | None = None) -> bool:
    """True when the database already has the newest schema."""
    from sqlalchemy.exc import OperationalError

    try:
        return schema_version(url) == SCHEMA_HEAD
    except OperationalError:
        return False


def upgrade(url: str | None = None) -> None:
    """`alembic upgrade head`, serialized across local processes that start together (`ingest run`).
    At head already (the usual start): one query instead of loading Alembic and its scripts. An
    unreachable database is waited for, up to INGEST_DB_WAIT_SECONDS."""
    from sqlalchemy.exc import OperationalError

    deadline = time.monotonic() + DB_WAIT_SECONDS
    while True:
        try:
            version = schema_version(url)
            break
        except OperationalError as exc:
            if time.monotonic() >= deadline:
                raise
            log.warning("database unreachable (%s); waiting", str(exc).splitlines()[0])
            time.sleep(1.0)
    if version == SCHEMA_HEAD:
        return
    from alembic import command

    lock_path = data_dir() / ".migrate.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # PostgreSQL is also guarded by an advisory lock in env.py
        command.upgrade(alembic_config(url), "head")


# ---------------------------------------------------------------- storing a record


def encode_value(value: Any) -> tuple[str | None, str]:
    """A field value as (text, type): the text column stays readable and typed values round-trip."""
    if value is None:
        return None, "null"
    if isinstance(value, bool):
        return ("true" if value else "false"), "bool"
    if isinstance(value, int):
        return str(value), "int"
    if isinstance(value, float):
        return repr(value), "float"
    return str(value), "str"


def decode_value(text: str | None, value_type: str) -> Any:
    if text is None or value_type == "null":
        return None
    if value_type == "int":
        return int(text)
    if value_type == "float":
        return float(text)
    if value_type == "bool":
        return text == "true"
    return text


def field_values(data: dict[str, Any]) -> dict[str, Any]:
    """The machine-read columns of a Field row, from the record's JSON for one key."""
    value, value_type = encode_value(data.get("value"))
    suggested = data.get("suggested")
    return {
        "value": value,
        "value_type": value_type,
        "raw": data.get("raw"),
        "confidence": float(data.get("confidence") or 0.0),
        "status": data.get("status") or "review",
        "page": data.get("page"),
        "bbox": data.get("bbox"),
        "method": data.get("method") or "",
        "reasons": list(data.get("reasons") or []),
        "suggested": None if suggested is None else encode_value(suggested)[0],
    }


def _apply_meta(report: Report, meta: dict[str, Any]) -> None:
    for name in ("agency", "year", "template", "published_date"):
        item = meta.get(name) or {}
        value = item.get("value")
        if name == "year" and value is not None:
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = None  # the Field row keeps what was read
        setattr(report, name, None if value is None else value if name == "year" else str(value))
        setattr(report, f"{name}_confidence", item.get("confidence"))
        setattr(report, f"{name}_status", item.get("status"))


# Storing is set-based: a report has ~200 fields and ~50 checks, and one ORM object per row cost more
# than reading a born-digital document. Field ids are what Corrections point at, so existing rows are
# updated in place, never replaced.
FIELDS, CHECKS = Field.__table__, CheckResult.__table__  # type: ignore[attr-defined]
_UPDATE_FIELD = update(FIELDS).where(FIELDS.c.id == bindparam("field_id"))


@cache
def _recordset_insert(table: Any) -> Any:
    """PostgreSQL: INSERT … SELECT FROM json_to_recordset(:rows) — every row in one JSON parameter, so one
    statement whatever the row count, compiled once (a multi-row VALUES is compiled anew per row count and
    binds each value separately; executemany sends a statement per row)."""
    from sqlalchemy.dialects import postgresql

    cols = [c for c in table.columns if not c.primary_key]
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    names = ", ".join(f'"{c.name}"' for c in cols)
    types = ", ".join(f'"{c.name}" {c.type.compile(dialect=dialect)}' for c in cols)
    return text(
        f'INSERT INTO "{table.name}" ({names}) SELECT {names} '
        f"FROM json_to_recordset(CAST(:rows AS json)) AS x({types})"
    )


@cache
def _sqlite_insert(table: Any) -> tuple[str, tuple[tuple[str, bool], ...]]:
    """SQLite: the driver's own executemany on plain tuples, which runs in C (SQLAlchemy's executemany
    processed each row's parameters in Python: 3.2 against 2.8 ms CPU for a report's ~200 fields; SQLite's
    json_each, tried too, re-parses the JSON once per column and was slower than either). A JSON column
    holds its value's JSON text, or SQL NULL for None (as on PostgreSQL)."""
    cols = [c for c in table.columns if not c.primary_key]
    names = ", ".join(f'"{c.name}"' for c in cols)
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" for _ in cols)})'
    return sql, tuple((c.name, isinstance(c.type, JSON)) for c in cols)


def _insert_rows(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """All rows in one statement and round trip."""
    if not rows:
        return
    dialect_name = session.get_bind().dialect.name
    if dialect_name == "sqlite":
        sql, cols = _sqlite_insert(table)
        values = itemgetter(*(name for name, _ in cols))
        json_at = [i for i, (_, is_json) in enumerate(cols) if is_json]
        params = []
        for row in rows:
            row_values = list(values(row))
            for i in json_at:
                if row_values[i] is not None:
                    row_values[i] = json.dumps(row_values[i])
            params.append(tuple(row_values))
        session.connection().exec_driver_sql(sql, params)
        return
    if dialect_name == "postgresql":
        try:
            payload = json.dumps(rows, ensure_ascii=False, allow_nan=False)
        except ValueError:  # a NaN or infinity, which JSON cannot carry: bind the values one by one
            payload = None
        if payload is not None:
            session.execute(_recordset_insert(table), {"rows": payload})
            return
    session.execute(insert(table), rows)


def _sync_fields(
    session: Session, report_id: int, items: dict[str, dict[str, Any]], first_reading: bool
) -> None:
    """Update rows in place (their ids are what Corrections point at); a key the new reading lacks is
    deleted unless a person corrected it, in which case it stays, emptied and flagged."""
    existing: dict[str, int] = {}
    if not first_reading:
        rows = session.execute(select(FIELDS.c.key, FIELDS.c.id).where(FIELDS.c.report_id == report_id)).all()
        existing = {key: field_id for key, field_id in rows}
    new = [
        {"report_id": report_id, "key": key, **field_values(data)}
        for key, data in items.items()
        if key not in existing
    ]
    changed = [
        {"field_id": existing.pop(key), **field_values(data)}
        for key, data in items.items()
        if key in existing
    ]
    if existing:  # keys of an earlier reading that this one lacks
        ids = list(existing.values())
        corrected = set(
            session.execute(
                select(col(Correction.field_id)).where(col(Correction.field_id).in_(ids))
            ).scalars()
        )
        emptied = field_values({"value": None, "reasons": ["not in the latest machine reading"]})
        changed += [{"field_id": i, **emptied} for i in ids if i in corrected]
        gone = [i for i in ids if i not in corrected]
        if gone:
            session.execute(delete(FIELDS).where(FIELDS.c.id.in_(gone)))
    _insert_rows(session, FIELDS, new)
    if changed:
        session.execute(_UPDATE_FIELD, changed)


def _replace_checks(
    session: Session, report_id: int, checks: list[dict[str, Any]], first_reading: bool
) -> None:
    if not first_reading:
        session.execute(delete(CHECKS).where(CHECKS.c.report_id == report_id))
    rows = [
        {
            "report_id": report_id,
            "rule": c.get("rule", ""),
            "scope": c.get("scope", ""),
            "ok": bool(c.get("ok")),
            "keys": list(c.get("keys") or []),
            "detail": c.get("detail") or "",
            "document_inconsistent": False,
        }
        for c in checks
    ]
    _insert_rows(session, CHECKS, rows)


def report_status(record_json: dict[str, Any]) -> str:
    """`done` only when every field is `ok` and every rule holds; otherwise a person looks at it."""
    items = [*record_json.get("meta", {}).values(), *record_json.get("fields", {}).values()]
    all_ok = all(i.get("status") == "ok" for i in items) and bool(items)
    checks_ok = all(c.get("ok") for c in record_json.get("checks", []))
    return DONE if all_ok and checks_ok else NEEDS_REVIEW


def store_record(session: Session, document: Document, record_json: dict[str, Any]) -> Report | None:
    """Store the machine's reading of `document`. Idempotent: storing again replaces the reading
    (fields updated in place, checks replaced) and never touches Corrections.

    A record with an `error` stores no report; the document's status/reason say why. Sets the
    document's final status; the caller commits. The document's changes go out in one UPDATE with the
    report's row (everything is set before the flush), and a first reading skips looking for earlier
    fields and checks: a report made in this transaction has none.
    """
    assert document.id is not None
    error = record_json.get("error")
    report = None
    if not error:
        with session.no_autoflush:  # the document's pending changes go out with the rest, in one UPDATE
            report = session.exec(select(Report).where(Report.document_id == document.id)).first()
    source = record_json.get("source") or {}
    document.format = source.get("format") or document.format
    document.pages = source.get("pages")
    document.page_images = source.get("page_images")  # which image each page's boxes belong to
    document.info = record_json.get("info") or None  # e.g. pages_not_read: pages no reader could read
    document.finished_at = utcnow()
    if error:
        document.status, document.error_code = "failed", error.get("code") or ErrorCode.INTERNAL_ERROR
        document.reason = f"{document.error_code}: {error.get('message', '')}"
        session.add(document)
        return None
    first_reading = report is None
    report = report or Report(document_id=document.id)
    _apply_meta(report, record_json.get("meta") or {})
    items = {f"meta.{k}": v for k, v in (record_json.get("meta") or {}).items()}
    items.update(record_json.get("fields") or {})
    checks = record_json.get("checks") or []
    report.status = report_status(record_json)
    report.fields_total = len(items)
    report.fields_review = sum(1 for v in items.values() if v.get("status") != "ok")
    report.checks_total = len(checks)
    report.checks_failed = sum(1 for c in checks if not c.get("ok"))
    report.updated_at = utcnow()
    document.status, document.error_code, document.reason = report.status, None, None
    if report.status == NEEDS_REVIEW:
        document.reason = f"{report.fields_review} field(s) to review, {report.checks_failed} failed check(s)"
    # The archive: the report's agency (set before the report's row goes out, so that its INSERT carries
    # it), its text for search, year.continuity with its neighbours.
    from models.archive import after_store, assign_agency

    session.add(document)
    assign_agency(session, report, document.hint_region)
    session.flush()
    assert report.id is not None
    _sync_fields(session, report.id, items, first_reading)
    _replace_checks(session, report.id, checks, first_reading)
    after_store(session, report, record_json.get("pages_text"), first_reading)
    return report
