"""The XLSX export a statistician opens as is: one sheet per template (2019, 2021, and reports without the
national tables), columns in the template's order with Chinese headers (row · column, from fields.json)
and units, a frozen header, widths that fit, cells a person still has to review highlighted (a legend
says what each colour means), a sheet of failed files with their reasons, and a sheet describing every
column (key, table, row, column, unit, type).

Values and their states come from worker/cells.py's `cell_value`, as in the CSV and JSON Lines exports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import Session, col, select

from ingest.i18n import _, local_time, time_zone
from ingest.reasons import describe, split_reason
from ingest.templates import CatalogueField, catalogue, template_names
from models.tables import (
    AS_PRINTED,
    CORRECTED,
    FAILED,
    NOT_PRINTED,
    UNREADABLE,
    Correction,
    Document,
    Field,
    Report,
)
from worker.cells import CellValue, cell_value, latest_corrections

# Cell states and their fills. The legend on the columns sheet shows the same fills.
REVIEW_FILL = PatternFill("solid", fgColor="FFF2CC")  # light amber: not signed off, check it
CORRECTED_FILL = PatternFill("solid", fgColor="E2EFDA")  # light green: a person set this value
AS_PRINTED_FILL = PatternFill("solid", fgColor="DDEBF7")  # light blue: a person confirmed the printed value
NO_VALUE_FILL = PatternFill("solid", fgColor="E7E6E6")  # grey: unreadable, or not printed in the document
STATE_FILLS = {
    "review": REVIEW_FILL,
    CORRECTED: CORRECTED_FILL,
    AS_PRINTED: AS_PRINTED_FILL,
    UNREADABLE: NO_VALUE_FILL,
    NOT_PRINTED: NO_VALUE_FILL,
}
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
NARRATIVE = "narrative"  # a report with no national tables: its own sheet, prose figures only
MIN_WIDTH, MAX_WIDTH = 8, 36
UNIT_OF_TYPE = {"decimal_wan": "万元"}
TABLE_NAMES = {
    "t2": "表二 主动公开",
    "t3": "表三 收到和处理申请",
    "t4": "表四 复议诉讼",
    "n": "正文",
    "meta": "报告信息",
}


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # "" for the document columns
    header: str
    unit: str
    type: str
    table: str
    row: str
    col: str


# ---------------------------------------------------------------- columns


def _doc_columns() -> list[Column]:
    names = [_("document id"), _("file"), _("region (from folder)"), _("document status")]
    return [Column("", n, "", "", "", "", "") for n in names]


def _spec_column(spec: CatalogueField, table: str) -> Column:
    unit = UNIT_OF_TYPE.get(spec.type, "")
    row, column = spec.row_label or "", spec.col_label or spec.label or ""
    header = f"{row} · {column}" if row else column
    if unit and unit not in header:
        header += f"（{unit}）"
    return Column(spec.key, header, unit, spec.type, table, row, column)


def template_columns(template: str) -> list[Column]:
    """Meta, then the template's tables in print order, then the figures read from the prose."""
    data = catalogue()
    cols = [_spec_column(s, "meta") for s in data.meta]
    cols += [_spec_column(s, s.table or "") for s in data.templates.get(template, [])]
    cols += [_spec_column(s, "n") for s in data.narrative]
    return cols


# ---------------------------------------------------------------- reading the database


def _reports_by_template(session: Session) -> dict[str, list[tuple[Document, Report]]]:
    groups: dict[str, list[tuple[Document, Report]]] = {name: [] for name in _template_sheets()}
    query = (
        select(Document, Report)
        .join(Report, col(Report.document_id) == col(Document.id))
        .order_by(col(Document.id))
    )
    for doc, report in session.exec(query):
        # A report whose template was not settled goes with the reports without national tables: its
        # meta and prose figures still belong somewhere, and its status says it needs review.
        groups[report.template if report.template in groups else NARRATIVE].append((doc, report))
    return groups


def _fields_of(session: Session, report_ids: list[int]) -> dict[int, dict[str, Field]]:
    fields: dict[int, dict[str, Field]] = {i: {} for i in report_ids}
    if report_ids:
        for f in session.exec(select(Field).where(col(Field.report_id).in_(report_ids))):
            fields[f.report_id][f.key] = f
    return fields


# ---------------------------------------------------------------- sheets


def _template_sheets() -> tuple[str, ...]:
    """One sheet per table template the catalogue defines, then the reports without national tables."""
    return (*template_names(), NARRATIVE)


def _sheet_title(template: str) -> str:
    return _("no national tables") if template == NARRATIVE else _("{name} template").format(name=template)


def _status_words() -> dict[str, str]:
    return {"done": _("done"), "needs_review": _("needs review"), "failed": _("failed")}


def _write_header(ws: Worksheet, headers: list[str]) -> None:
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"  # the header row and the id and file name stay in view


def _display_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _fit_widths(ws: Worksheet, headers: list[str], rows: Iterable[list[Any]]) -> None:
    """Each column as wide as its widest value, between MIN and MAX; a long header wraps (at most about
    three lines) instead of widening its column."""
    widths = [max(MIN_WIDTH, min(MAX_WIDTH, (_display_width(h) + 2) // 3 + 2)) for h in headers]
    for row in rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], min(MAX_WIDTH, _display_width(value) + 2))
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[1].height = 60


def _template_sheet(
    wb: Workbook,
    session: Session,
    template: str,
    reports: list[tuple[Document, Report]],
    corrections: dict[int, Correction],
) -> int:
    ws = wb.create_sheet(_sheet_title(template))
    columns = _doc_columns() + template_columns(template)
    headers = [c.header for c in columns]
    _write_header(ws, headers)
    fields = _fields_of(session, [r.id for _d, r in reports if r.id is not None])
    statuses = _status_words()
    written: list[list[Any]] = []
    for doc, report in reports:
        by_key = fields.get(report.id or 0, {})
        values: list[Any] = [doc.id, doc.original_name, doc.hint_region, statuses.get(doc.status, doc.status)]
        states = ["ok"] * len(values)
        for column in columns[len(values) :]:
            f = by_key.get(column.key)
            cv = cell_value(f, corrections.get(f.id or 0)) if f is not None else CellValue(None, "ok")
            values.append(cv.value)
            states.append(cv.state)
        ws.append(values)
        for cell, state in zip(ws[ws.max_row], states, strict=True):
            fill = STATE_FILLS.get(state)
            if fill is not None:
                cell.fill = fill
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a string cell, never a formula (openpyxl makes "=..." one)
        written.append(values)
    _fit_widths(ws, headers, written)
    return len(reports)


def _failed_sheet(wb: Workbook, session: Session) -> None:
    ws = wb.create_sheet(_("failed files"))
    headers = [
        _("document id"),
        _("file"),
        _("reason"),
        _("code"),
        _("detail"),
        _("finished (%(zone)s)") % {"zone": time_zone().key},
        _("original now at"),
    ]
    _write_header(ws, headers)
    rows = []
    for doc in session.exec(
        select(Document).where(col(Document.status) == FAILED).order_by(col(Document.id))
    ):
        code, detail = split_reason(doc.reason)
        finished = local_time(doc.finished_at) if isinstance(doc.finished_at, datetime) else ""
        row = [
            doc.id,
            doc.original_name,
            describe(doc.reason, doc.error_code).split(" — ")[0],
            doc.error_code or code,
            detail,
            finished,
            doc.inbox_path,
        ]
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
        rows.append(row)
    _fit_widths(ws, headers, rows)


def _columns_sheet(wb: Workbook) -> None:
    """The legend, then every column of the template sheets: where it comes from and its unit."""
    ws = wb.create_sheet(_("columns"))
    ws.append([_("Legend")])
    ws["A1"].font = Font(bold=True)
    ws.append([_("to review"), _("not signed off: the machine is not sure, or a check failed. Check it.")])
    ws["A2"].fill = REVIEW_FILL
    ws.append([_("corrected"), _("a person set this value in the review app")])
    ws["A3"].fill = CORRECTED_FILL
    ws.append([_("as printed"), _("a person confirmed the value is what the document prints")])
    ws["A4"].fill = AS_PRINTED_FILL
    ws.append([_("no value"), _("a person marked it unreadable, or not printed in this document")])
    ws["A5"].fill = NO_VALUE_FILL
    ws.append([_("no colour"), _("read and checked by the machine")])
    ws.append([])
    header_row = ws.max_row + 1
    headers = [
        _("sheet"),
        _("column"),
        _("header"),
        _("key"),
        _("table"),
        _("row"),
        _("column label"),
        _("unit"),
        _("type"),
    ]
    ws.append(headers)
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    rows = []
    for template in _template_sheets():
        for i, c in enumerate(_doc_columns() + template_columns(template), 1):
            row = [
                _sheet_title(template),
                get_column_letter(i),
                c.header,
                c.key,
                TABLE_NAMES.get(c.table, ""),
                c.row,
                c.col,
                c.unit,
                c.type,
            ]
            ws.append(row)
            rows.append(row)
    _fit_widths(ws, headers, rows)
    ws.row_dimensions[1].height = None
    ws.freeze_panes = f"A{header_row + 1}"


def write_workbook(session: Session, out: Path) -> int:
    """Write the workbook; returns how many reports it holds."""
    wb = Workbook()
    wb.remove(wb.active)
    corrections = latest_corrections(session)
    n = sum(
        _template_sheet(wb, session, t, reports, corrections)
        for t, reports in _reports_by_template(session).items()
    )
    _failed_sheet(wb, session)
    _columns_sheet(wb)
    wb.save(out)
    return n
