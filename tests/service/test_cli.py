"""`ingest import` (resumable, folder hints), `status` and `export` in all three formats, end to end."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

from models.tables import FINAL_STATUSES
from tests.service.conftest import ROOT, Service, wait_until
from tests.service.corpus import SEEDS


def ingest(svc: Service, *args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=ROOT, env=svc.env, check=True,
                         capture_output=True, text=True, timeout=120)
    return out.stdout


def test_import_status_export(make_service, tmp_path: Path) -> None:
    svc = make_service()
    src = tmp_path / "archive" / "山东省" / "聊城市" / "2020"
    src.mkdir(parents=True)
    for seed in SEEDS[:3]:
        shutil.copy(seed, src / seed.name)
    assert "3 new" in ingest(svc, "import", str(tmp_path / "archive"))
    assert "3 already stored" in ingest(svc, "import", str(tmp_path / "archive"))  # resumable
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

    sheet = load_workbook(tmp_path / "r.xlsx").active
    assert sheet.max_row == len(reported) + 1
