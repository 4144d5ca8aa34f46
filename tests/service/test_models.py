"""Schema migrations on SQLite and PostgreSQL; store_record is idempotent and never touches Corrections."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlmodel import Session, select

from models.db import decode_value, make_engine, store_record, upgrade
from models.tables import CheckResult, Correction, Document, Field, Report
from worker.intake import folder_hints
from worker.watcher import mount_fstype, skipped_name

TABLES = {"document", "duplicatedrop", "report", "field", "checkresult", "correction", "user", "alembic_version"}


def record(total: int, with_x: bool = True) -> dict:
    fields = {"t3.total.total": {"value": total, "confidence": 0.99, "status": "ok", "raw": str(total),
                                 "page": 2, "bbox": [1.0, 2.0, 3.0, 4.0], "method": "text", "reasons": []}}
    if with_x:
        fields["t2.procurement.amount"] = {"value": 41.13, "confidence": 0.5, "status": "review",
                                           "reasons": ["low confidence"], "suggested": 41.2}
    return {"source": {"format": "text", "pages": 3},
            "meta": {"agency": {"value": "聊城市财政局", "confidence": 0.99, "status": "ok"},
                     "year": {"value": 2020, "confidence": 0.99, "status": "ok"}},
            "fields": fields, "checks": [{"rule": "t3.balance", "scope": "total", "ok": True, "keys": ["a"]}],
            "error": None}


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'm.sqlite'}"
    return request.getfixturevalue("pg_url")


def test_migration_and_idempotent_store(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path))
    upgrade(db_url)
    upgrade(db_url)  # at head: a no-op
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
    for name in ("~$report.docx", "a.pdf.part", "x.crdownload", ".~lock.a.docx#", "Thumbs.db", ".DS_Store",
                 "a.tmp", ".hidden"):
        assert skipped_name(name), name
    assert not skipped_name("2020年报告.pdf")


def test_mount_type_from_proc_mounts(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text("/dev/sda1 / ext4 rw 0 0\n//nas/share /mnt/nas cifs rw 0 0\nsrv:/x /mnt/nfs nfs4 rw 0 0\n")
    assert mount_fstype(Path("/mnt/nas/inbox"), mounts) == "cifs"
    assert mount_fstype(Path("/mnt/nfs"), mounts) == "nfs4"
    assert mount_fstype(Path("/home/x"), mounts) == "ext4"
