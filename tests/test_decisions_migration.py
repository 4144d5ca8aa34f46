"""Migration 0005 gives every earlier correction the decision its reason meant, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from models.db import alembic_config, make_engine, upgrade
from tests.postgres import scratch_database
from tests.service.conftest import reachable

EARLIER = {
    "accept": "as_printed",
    "correct": "corrected",
    "unreadable": "unreadable",
    "correct: typo": "corrected",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ingest.sqlite'}"
        return
    if not reachable("127.0.0.1", 5432):
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    with scratch_database() as url:
        yield url


def test_earlier_reasons_become_decisions(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path))
    command.upgrade(alembic_config(db_url), "0004")
    engine = make_engine(db_url)
    with engine.begin() as db:
        db.execute(
            sa.text(
                "insert into document (original_name, inbox_path, sha256, size, status, attempts, queue, "
                "created_at, duplicates, store_path) values ('a', 'a', 'x', 1, 'done', 0, 'native', "
                "CURRENT_TIMESTAMP, 0, 'a')"
            )
        )
        db.execute(
            sa.text(
                "insert into report (document_id, status, fields_total, fields_review, checks_total, "
                "checks_failed, updated_at) values (1, 'done', 1, 0, 0, 0, CURRENT_TIMESTAMP)"
            )
        )
        db.execute(
            sa.text(
                "insert into field (report_id, key, value_type, confidence, status, method, reasons) "
                "values (1, 't3.granted.natural', 'int', 1, 'ok', '', '[]')"
            )
        )
        for reason in EARLIER:
            db.execute(
                sa.text(
                    "insert into correction (field_id, who, at, reason) values (1, 'olga', "
                    "CURRENT_TIMESTAMP, :r)"
                ),
                {"r": reason},
            )
    upgrade(db_url)
    with engine.begin() as db:
        found = dict(db.execute(sa.text("select reason, decision from correction")).all())
        assert db.execute(sa.text("select document_inconsistent from checkresult")).all() == []
    engine.dispose()
    assert found == EARLIER
