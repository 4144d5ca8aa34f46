"""`ingest import` (resumable, folder hints), `status` and `export` in all three formats, end to end."""

from __future__ import annotations

import csv
import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from models.tables import FINAL_STATUSES, DuplicateDrop
from tests.service.conftest import ROOT, ingest, wait_until
from tests.service.corpus import SEEDS, report_text, write


def test_import_status_export(make_service, tmp_path: Path) -> None:
    svc = make_service()
    src = tmp_path / "archive" / "山东省" / "聊城市" / "2020"
    src.mkdir(parents=True)
    for seed in SEEDS[:3]:
        shutil.copy(seed, src / seed.name)
    assert "3 new" in ingest(svc, "import", "--no-wait", str(tmp_path / "archive"))
    assert "3 already stored" in ingest(svc, "import", "--no-wait", str(tmp_path / "archive"))  # resumable
    assert all(p.is_file() for p in src.iterdir())  # bulk import leaves originals in place
    svc.worker(concurrency=2)
    wait_until(lambda: all(d.status in FINAL_STATUSES for d in svc.documents()), 60, what="imports final")
    assert {(d.hint_region, d.hint_year) for d in svc.documents()} == {("山东省/聊城市", 2020)}
    assert "queued" in ingest(svc, "status")
    wide = tmp_path / "r.csv"
    ingest(svc, "export", "--format", "csv", "--out", str(wide))
    rows = list(csv.DictReader(wide.open(encoding="utf-8-sig")))
    reported = [d for d in svc.documents() if d.status != "failed"]
    assert len(rows) == len(reported) > 0
    assert "meta.agency" in rows[0] and rows[0]["hint_year"] == "2020"
    long = [json.loads(line) for line in ingest(svc, "export", "--format", "jsonl", "--long").splitlines()]
    assert {r["key"] for r in long} >= {"meta.agency", "meta.year"}
    ingest(svc, "export", "--format", "xlsx", "--out", str(tmp_path / "r.xlsx"))
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "r.xlsx")
    assert sum(book[name].max_row - 1 for name in book.sheetnames[:3]) == len(reported)  # the template sheets


def test_import_interrupted_by_sigint_then_rerun(make_service, tmp_path: Path) -> None:
    """Ctrl-C while storing: a summary of what was stored, queued and left, exit code 130; the same
    command again stores the rest and follows the processing: exactly 50 documents, each final once."""
    svc = make_service(INGEST_DEBUG_IMPORT_DELAY="0.1")  # 50 files take ~5 s to store: room for the Ctrl-C
    src = tmp_path / "archive"
    for i in range(50):
        write(src / f"{i // 10}" / f"report-{i:02d}.txt", report_text(i))
    cmd = [sys.executable, "-m", "ingest.cli", "import", str(src)]
    env = {**svc.env, "INGEST_LANG": "en"}
    first = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    wait_until(lambda: len(svc.documents()) >= 10, 60, step=0.1, what="ten files stored")
    first.send_signal(signal.SIGINT)
    out, err = first.communicate(timeout=60)
    print(out)
    assert first.returncode == 130, (out, err)
    assert "Traceback" not in err
    stored = len(svc.documents())
    assert 10 <= stored < 50
    assert f"50 file(s) found, {stored} looked at, {50 - stored} left." in out
    assert f"Stored: {stored} new" in out and "Interrupted." in out
    assert f"{stored} queued" in out

    svc.worker(concurrency=2)
    second = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    print(second.stdout)
    assert second.returncode == 0, second.stderr
    assert f"{50 - stored} new, {stored} already stored" in second.stdout
    docs = svc.documents()
    assert len(docs) == 50 and all(d.status in FINAL_STATUSES for d in docs)
    assert "0 queued, 0 being processed" in second.stdout
    with svc.session() as s:
        assert s.exec(select(func.count()).select_from(DuplicateDrop)).one() == 0
        assert len({d.sha256 for d in docs}) == 50
