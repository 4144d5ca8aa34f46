"""`ingest export`: reports as a table (one row per report, one column per key) or in long form. The
wide XLSX is a workbook for people (worker/workbook.py); CSV and JSON Lines are for programs.

Values are what a person would sign off: the latest Correction of a field when there is one, else the
machine's reading.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from sqlmodel import Session, col, select

from models.tables import (
    CORRECTED,
    DECISIONS,
    Agency,
    Document,
    Field,
    Report,
    YearCheck,
)
from worker.cells import cell_value, latest_corrections

DOC_COLUMNS = [
    "document_id",
    "original_name",
    "sha256",
    "document_status",
    "hint_region",
    "hint_year",
    "hint_agency",
    "report_status",
]
# The long form is the analysts' archive table: one row per (report, key), each row saying whose report
# (agency id, name, region codes), which year and template, the key's Chinese label, and who decided it.
# year.continuity results are rows too (key year.continuity.<column>, on this year's report and on last
# year's), naming the other report.
LONG_COLUMNS = [
    "document_id",
    "report_id",
    "original_name",
    "agency_id",
    "agency",
    "kind",
    "province_code",
    "province",
    "city_code",
    "city",
    "county_code",
    "county",
    "year",
    "template",
    "key",
    "label_zh",
    "value",
    "status",
    "confidence",
    "corrected",
    "decision",
    "decided_by",
    "decided_at",
    "other_report_id",
    "detail",
]
# OWASP CSV injection: a spreadsheet runs a cell starting with one of these as a formula (or DDE).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def inert(value: Any) -> Any:
    """A text cell a spreadsheet would evaluate, prefixed with ' (shown, not run); plain numbers such as
    a signed count "-3" are data and stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def long_rows(session: Session) -> Iterator[dict[str, Any]]:
    from models.archive import year_checks
    from web.layout import col_label

    corrections = latest_corrections(session)
    agencies = {a.id: a for a in session.exec(select(Agency))}
    labels: dict[tuple[str, str], str] = {}
    checks: dict[int, list[YearCheck]] = {}
    for check in year_checks(session, None):
        checks.setdefault(check.report_id, []).append(check)
        checks.setdefault(check.previous_report_id, []).append(check)
    query = (
        select(Document, Report, Field)
        .join(Report, col(Report.document_id) == col(Document.id))
        .join(Field, col(Field.report_id) == col(Report.id))
        .order_by(col(Document.id), col(Field.key))
    )
    current: Report | None = None
    head: dict[str, Any] = {}
    for doc, report, f in session.exec(query):
        if report is not current:
            if current is not None:
                yield from _continuity_rows(head, current, checks.get(current.id or 0, []))
            current, head = report, _report_head(doc, report, agencies.get(report.agency_id or ""))
        correction = corrections.get(f.id or 0)
        label_key = (report.template or "", f.key)
        if label_key not in labels:
            labels[label_key] = col_label(*label_key)
        cell = cell_value(f, correction)
        yield {
            **head,
            "key": f.key,
            "label_zh": labels[label_key],
            "value": cell.value,
            "status": "ok" if cell.state in DECISIONS else f.status,
            "confidence": f.confidence,
            "corrected": cell.state == CORRECTED,
            "decision": cell.state if cell.state in DECISIONS else None,
            "decided_by": correction.who if correction else None,
            "decided_at": correction.at.isoformat() if correction else None,
        }
    if current is not None:
        yield from _continuity_rows(head, current, checks.get(current.id or 0, []))


def _report_head(doc: Document, report: Report, agency: Agency | None) -> dict[str, Any]:
    """The columns every row of one report repeats."""
    head: dict[str, Any] = {
        "document_id": doc.id,
        "report_id": report.id,
        "original_name": doc.original_name,
        "agency_id": report.agency_id,
        "agency": report.agency,
        "year": report.year,
        "template": report.template,
        "kind": agency.kind if agency else None,
    }
    for level in ("province", "city", "county"):
        head[f"{level}_code"] = getattr(agency, f"{level}_code") if agency else None
        head[level] = getattr(agency, level) if agency else None
    return head


def _continuity_rows(
    head: dict[str, Any], report: Report, checks: list[YearCheck]
) -> Iterator[dict[str, Any]]:
    """year.continuity on this report: against last year (its carried_over) and next year (its
    carried_forward); value true/false, the other report named."""
    for check in checks:
        this_year = check.report_id == report.id
        side = "previous" if this_year else "next"
        yield {
            **head,
            "key": f"year.continuity.{side}.{check.scope}",
            "label_zh": f"跨年度衔接（{'上年结转' if this_year else '下年接续'}）· {check.scope}",
            "value": check.ok,
            "status": "ok" if check.ok else "review",
            "confidence": None,
            "corrected": False,
            "decision": None,
            "decided_by": None,
            "decided_at": None,
            "other_report_id": check.previous_report_id if this_year else check.report_id,
            "detail": check.detail,
        }


def wide_rows(session: Session) -> tuple[list[str], list[dict[str, Any]]]:
    rows: dict[int, dict[str, Any]] = {}
    keys: set[str] = set()
    docs = {d.id: d for d in session.exec(select(Document))}
    reports = {r.document_id: r for r in session.exec(select(Report))}
    for item in long_rows(session):
        doc_id = item["document_id"]
        if doc_id not in rows:
            doc, report = docs[doc_id], reports[doc_id]
            rows[doc_id] = {
                "document_id": doc_id,
                "original_name": doc.original_name,
                "sha256": doc.sha256,
                "document_status": doc.status,
                "hint_region": doc.hint_region,
                "hint_year": doc.hint_year,
                "hint_agency": doc.hint_agency,
                "report_status": report.status,
            }
        rows[doc_id][item["key"]] = item["value"]
        keys.add(item["key"])
    return DOC_COLUMNS + sorted(keys), list(rows.values())


def write(session: Session, fmt: str, long: bool, out: Path | None) -> int:
    if fmt == "xlsx" and not long:  # the statistician's workbook: sheets per template, labels, styles
        from worker.workbook import write_workbook

        return write_workbook(session, out or Path("export.xlsx"))
    if long:
        columns, rows = LONG_COLUMNS, list(long_rows(session))
    else:
        columns, rows = wide_rows(session)
    if fmt == "xlsx":
        _write_xlsx(columns, rows, out or Path("export.xlsx"))
    else:
        with (
            out.open("w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") if out else _stdout()
        ) as fh:
            (_write_csv if fmt == "csv" else _write_jsonl)(columns, rows, fh)
    return len(rows)


def _stdout() -> TextIO:
    return open(sys.stdout.fileno(), "w", encoding="utf-8", newline="", closefd=False)


def _write_csv(columns: list[str], rows: list[dict[str, Any]], fh: TextIO) -> None:
    writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: inert(v) for k, v in row.items()} for row in rows)


def _write_jsonl(_columns: list[str], rows: list[dict[str, Any]], fh: TextIO) -> None:
    for row in rows:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_xlsx(columns: list[str], rows: list[dict[str, Any]], out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    def cell(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = WriteOnlyCell(ws, value=value)
        text.data_type = "s"  # a string cell, never a formula (openpyxl makes "=..." one by default)
        return text

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("reports")
    ws.append(columns)
    for row in rows:
        ws.append([cell(row.get(c)) for c in columns])
    wb.save(out)
