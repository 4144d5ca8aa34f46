"""Schema migrations on SQLite and PostgreSQL; store_record is idempotent and never touches Corrections."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlmodel import Session, select

from models.db import SCHEMA_HEAD, alembic_config, at_head, decode_value, make_engine, store_record, upgrade
from models.tables import CheckResult, Correction, Document, Field, Report
from worker.inbox import skipped_name
from worker.intake import folder_hints
from worker.watcher import mount_fstype

TABLES = {
    "document",
    "duplicatedrop",
    "report",
    "field",
    "checkresult",
    "correction",
    "user",
    "alembic_version",
}


def record(total: int, with_x: bool = True) -> dict:
    fields = {
        "t3.total.total": {
            "value": total,
            "confidence": 0.99,
            "status": "ok",
            "raw": str(total),
            "page": 2,
            "bbox": [1.0, 2.0, 3.0, 4.0],
            "method": "text",
            "reasons": [],
        }
    }
    if with_x:
        fields["t2.procurement.amount"] = {
            "value": 41.13,
            "confidence": 0.5,
            "status": "review",
            "reasons": ["low confidence"],
            "suggested": 41.2,
        }
    return {
        "source": {"format": "text", "pages": 3},
        "meta": {
            "agency": {"value": "聊城市财政局", "confidence": 0.99, "status": "ok"},
            "year": {"value": 2020, "confidence": 0.99, "status": "ok"},
        },
        "fields": fields,
        "checks": [{"rule": "t3.balance", "scope": "total", "ok": True, "keys": ["a"]}],
        "error": None,
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'm.sqlite'}"
    return request.getfixturevalue("pg_url")


def test_migration_and_idempotent_store(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path))
    assert not at_head(db_url)
    upgrade(db_url)
    assert at_head(db_url)
    upgrade(db_url)  # at head: a no-op
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(alembic_config(db_url)).get_current_head() == SCHEMA_HEAD
    engine = make_engine(db_url)
    assert set(inspect(engine).get_table_names()) >= TABLES
    with Session(engine) as s:
        doc = Document(original_name="a.txt", inbox_path="/x", sha256="ab" * 32, size=1, store_path="/s")
        s.add(doc)
        s.flush()
        store_record(s, doc, record(5))
        s.commit()
        x = s.exec(select(Field).where(Field.key == "t2.procurement.amount")).one()
        s.add(Correction(field_id=x.id, who="alice", old="41.13", new="41.2", reason="typo"))
        s.commit()
        field_ids = {f.key: f.id for f in s.exec(select(Field))}
        for _ in range(2):  # re-extraction: same ids, new values, correction intact
            store_record(s, doc, record(6, with_x=False))
            s.commit()
        fields = {f.key: f for f in s.exec(select(Field))}
        assert {k: f.id for k, f in fields.items()} == field_ids
        assert decode_value(fields["t3.total.total"].value, fields["t3.total.total"].value_type) == 6
        assert fields["t3.total.total"].bbox == [1.0, 2.0, 3.0, 4.0]
        assert fields["t2.procurement.amount"].value is None  # kept because a person corrected it
        assert len(s.exec(select(Correction)).all()) == 1
        assert len(s.exec(select(Report)).all()) == 1
        assert len(s.exec(select(CheckResult)).all()) == 1
        report = s.exec(select(Report)).one()
        assert (report.agency, report.year, report.fields_total) == ("聊城市财政局", 2020, 3)
        store_record(s, doc, {"error": {"code": "corrupt_file", "message": "bad"}})
        assert (doc.status, doc.error_code, doc.reason) == ("failed", "corrupt_file", "corrupt_file: bad")
    engine.dispose()


def test_folder_hints_and_skipped_names() -> None:
    assert folder_hints(Path("山东省/聊城市/2020/r.pdf")) == ("山东省/聊城市", 2020, None)
    assert folder_hints(Path("浙江省/2021年/杭州市财政局/r.pdf")) == ("浙江省", 2021, "杭州市财政局")
    assert folder_hints(Path("r.pdf")) == (None, None, None)
    for name in (
        "~$report.docx",
        "a.pdf.part",
        "x.crdownload",
        ".~lock.a.docx#",
        "Thumbs.db",
        ".DS_Store",
        "a.tmp",
        ".hidden",
    ):
        assert skipped_name(name), name
    assert not skipped_name("2020年报告.pdf")


def test_mount_type_from_proc_mounts(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda1 / ext4 rw 0 0\n//nas/share /mnt/nas cifs rw 0 0\nsrv:/x /mnt/nfs nfs4 rw 0 0\n"
    )
    assert mount_fstype(Path("/mnt/nas/inbox"), mounts) == "cifs"
    assert mount_fstype(Path("/mnt/nfs"), mounts) == "nfs4"
    assert mount_fstype(Path("/home/x"), mounts) == "ext4"


def big_record(keys: list[str], value: int, checks: int) -> dict:
    """A reading the size of a real report: ~200 fields and ~50 checks, with JSON columns filled."""
    fields = {
        k: {
            "value": value + i,
            "confidence": 0.9,
            "status": "ok" if i % 7 else "review",
            "raw": str(value + i),
            "page": 1 + i % 3,
            "bbox": [float(i), 2.0, 3.0, 4.5],
            "method": "table",
            "reasons": [f"r{i}"],
        }
        for i, k in enumerate(keys)
    }
    return {
        "source": {"format": "docx", "pages": 3},
        "meta": {"year": {"value": 2021, "status": "ok"}},
        "fields": fields,
        "checks": [
            {
                "rule": f"t3.row_sum.{i}",
                "scope": "row",
                "ok": i % 5 != 0,
                "keys": keys[i : i + 2],
                "detail": "x",
            }
            for i in range(checks)
        ],
        "info": {"pages_not_read": [3], "seconds": 0.1},
        "error": None,
    }


def test_restore_keeps_every_correction(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bulk storing changes nothing a person relies on: after re-extraction every Correction still points
    at its field row (same id), a corrected key the new reading lacks stays (emptied, flagged), an
    uncorrected one goes, new keys arrive, checks are replaced, and the record's info reaches the document."""
    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path))
    upgrade(db_url)
    engine = make_engine(db_url)
    keys = [f"t3.row{i:03d}.total" for i in range(200)]
    with Session(engine) as s:
        doc = Document(original_name="a.docx", inbox_path="/x", sha256="cd" * 32, size=1, store_path="/s")
        s.add(doc)
        s.flush()
        store_record(s, doc, big_record(keys, 100, 50))
        s.commit()
        ids = {f.key: f.id for f in s.exec(select(Field))}
        assert len(ids) == 201 and doc.info == {"pages_not_read": [3], "seconds": 0.1}
        corrected = [keys[0], keys[10], keys[199]]  # keys[199] will be missing from the next reading
        for k in corrected:
            s.add(Correction(field_id=ids[k], who="alice", old="x", new="y", reason="checked on paper"))
        s.commit()
        later = [*keys[:198], "t3.new.total"]  # keys[198] (uncorrected) and keys[199] (corrected) gone
        for _ in range(2):  # storing twice gives the same state
            store_record(s, doc, big_record(later, 500, 40))
            s.commit()
            s.expire_all()
            fields = {f.key: f for f in s.exec(select(Field))}
            assert set(fields) == {"meta.year", *later, keys[199]}
            assert all(fields[k].id == ids[k] for k in [*keys[:198], keys[199]])
            assert decode_value(fields[keys[10]].value, fields[keys[10]].value_type) == 510
            assert (fields[keys[10]].bbox, fields[keys[10]].reasons) == ([10.0, 2.0, 3.0, 4.5], ["r10"])
            gone = fields[keys[199]]
            assert (gone.value, gone.status, gone.reasons) == (
                None,
                "review",
                ["not in the latest machine reading"],
            )
            corrections = s.exec(select(Correction)).all()
            assert sorted(c.field_id for c in corrections) == sorted(ids[k] for k in corrected)
            assert len(s.exec(select(CheckResult)).all()) == 40
            report = s.exec(select(Report)).one()
            assert (report.fields_total, report.checks_total, report.checks_failed) == (200, 40, 8)
    engine.dispose()


def test_postgres_stores_values_json_cannot_carry(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A NaN confidence cannot travel in the one-JSON-parameter insert: those rows are bound one by one."""
    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path))
    upgrade(pg_url)
    engine = make_engine(pg_url)
    rec = big_record(["a", "b"], 1, 1)
    rec["fields"]["a"]["confidence"] = float("nan")
    with Session(engine) as s:
        doc = Document(original_name="a.docx", inbox_path="/x", sha256="ef" * 32, size=1, store_path="/s")
        s.add(doc)
        s.flush()
        store_record(s, doc, rec)
        s.commit()
        confidences = {f.key: f.confidence for f in s.exec(select(Field))}
    assert confidences["a"] != confidences["a"] and confidences["b"] == 0.9  # NaN kept as NaN
    engine.dispose()


def test_upgrade_waits_for_an_unreachable_database(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command starting while PostgreSQL is briefly unreachable waits for it instead of dying."""
    import threading
    import time

    from tests.service.conftest import PgProxy, reachable, wait_until

    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path))
    proxy = PgProxy()
    proxy.down()
    # A thread blocked in accept() on the closed listener takes one more connection: use it up, so that
    # the database is really unreachable when upgrade() starts.
    wait_until(lambda: not reachable("127.0.0.1", proxy.port), 10, what="the proxy to refuse connections")
    threading.Timer(3.0, proxy.up).start()
    started = time.monotonic()
    upgrade(pg_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}"))
    assert time.monotonic() - started >= 2.5 and at_head(pg_url)
