"""The XLSX export read back with openpyxl: a sheet per template, Chinese headers in template order with
units, a frozen header, review and corrected cells styled with a legend, failed files with their reasons,
and a sheet describing each column."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from ingest.templates import catalogue
from models.tables import FINAL_STATUSES, Correction, Field, Report
from tests.service.conftest import ROOT, wait_until

pytestmark = pytest.mark.services

REAL = ROOT / "tests" / "fixtures" / "real"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
SHEETS = ["2019年模板", "2021年模板", "无国家表格", "失败文件", "列说明"]
DOC_HEADERS = ["文档编号", "文件", "地区（来自文件夹）", "文档状态"]


def test_xlsx_sheets_headers_styles_and_failures(make_service, tmp_path: Path) -> None:
    svc = make_service()
    src = tmp_path / "archive"
    src.mkdir()
    for path in (REAL / "pingtan-2020.txt", REAL / "pingtan-2022.txt", SEEDS / "002_54ff8a29389465ba.txt"):
        shutil.copy(path, src / path.name)  # templates 2019, 2021 and a report without the national tables
    (src / "空白.pdf").write_bytes(b"")  # fails: empty_file
    subprocess.run(
        [sys.executable, "-m", "ingest.cli", "import", "--no-wait", str(src)],
        cwd=ROOT,
        env=svc.env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    svc.worker(concurrency=2)
    wait_until(
        lambda: len(svc.documents()) == 4 and all(d.status in FINAL_STATUSES for d in svc.documents()),
        120,
        what="all final",
    )
    with svc.session() as s:  # a person's correction of one 2019 cell
        report = s.exec(select(Report).where(Report.template == "2019")).one()
        field = s.exec(
            select(Field).where(Field.report_id == report.id, Field.key == "t2.regulations.made")
        ).one()
        s.add(
            Correction(
                field_id=field.id, who="tester", old=field.value, new="7", reason="", decision="corrected"
            )
        )
        s.commit()
        review_keys = set(
            s.exec(select(Field.key).where(Field.report_id == report.id, col(Field.status) == "review"))
        )
    out = tmp_path / "报表.xlsx"
    subprocess.run(
        [sys.executable, "-m", "ingest.cli", "export", "--format", "xlsx", "--out", str(out)],
        cwd=ROOT,
        env=svc.env,
        check=True,
        capture_output=True,
        timeout=120,
    )

    wb = load_workbook(out)
    assert wb.sheetnames == SHEETS
    fields = catalogue().model_dump()
    for sheet_name, template in (("2019年模板", "2019"), ("2021年模板", "2021")):
        ws = wb[sheet_name]
        headers = [c.value for c in ws[1]]
        specs = fields["meta"] + fields["templates"][template] + fields["narrative"]
        assert headers[:4] == DOC_HEADERS
        assert len(headers) == 4 + len(specs)
        first_table = next(s for s in fields["templates"][template])
        assert headers[4 + len(fields["meta"])] == f"{first_table['row_label']} · {first_table['col_label']}"
        assert ws.freeze_panes == "C2"
        assert ws.column_dimensions["B"].width >= 8
        assert ws.max_row == 2  # one report of each template
    assert wb["无国家表格"].max_row == 2
    ws = wb["2019年模板"]
    headers = [c.value for c in ws[1]]
    assert "政府集中采购 · 采购总金额（万元）" in headers  # the unit the spec gives (decimal_wan)
    assert "行政事业性收费 · 本年收费金额（单位：万元）" in [c.value for c in wb["2021年模板"][1]]
    keys = ["", "", "", ""] + [
        s["key"] for s in fields["meta"] + fields["templates"]["2019"] + fields["narrative"]
    ]
    row = {k: c for k, c in zip(keys, ws[2], strict=True) if k}
    assert row["t2.regulations.made"].value == 7  # the correction, as a number
    assert row["t2.regulations.made"].fill.fgColor.rgb.endswith("E2EFDA")
    for key in review_keys - {"t2.regulations.made"}:
        if key in row:
            assert row[key].fill.fgColor.rgb.endswith("FFF2CC"), key
    ok_keys = [k for k in row if k not in review_keys and k != "t2.regulations.made"]
    assert ok_keys and all(row[k].fill.fgColor.rgb in (None, "00000000") for k in ok_keys)

    failed = wb["失败文件"]
    assert [c.value for c in failed[2]][1:4] == ["空白.pdf", "文件为空", "empty_file"]
    assert "完成时间（Asia/Shanghai）" in [c.value for c in failed[1]]  # times in the office's zone, said so
    legend = wb["列说明"]
    assert legend["A2"].value == "待复核" and legend["A2"].fill.fgColor.rgb.endswith("FFF2CC")
    described = {
        r[3]: r for r in legend.iter_rows(min_row=7, values_only=True) if r[0] == "2019年模板" and r[3]
    }
    assert described["t2.procurement.amount"][7] == "万元"
    assert len(described) == len(fields["meta"]) + len(fields["templates"]["2019"]) + len(fields["narrative"])
