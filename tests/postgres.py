"""A scratch PostgreSQL database for one test or module: created on the real server, dropped after."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

PG_ADMIN = os.environ.get("INGEST_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


@contextlib.contextmanager
def scratch_database(prefix: str = "ingest_test") -> Iterator[str]:
    """The URL of a fresh database; the test is skipped when no PostgreSQL server is usable."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{PG_ADMIN}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any failure to reach the server or create a database: no PostgreSQL here
        admin.dispose()
        pytest.skip(f"PostgreSQL at {PG_ADMIN} not usable: {exc}")
    try:
        yield f"{PG_ADMIN}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
