"""After reading: tables → template → keys and values → meta and prose → rules → statuses."""

from __future__ import annotations

from ingest.document import SourceDocument
from ingest.errors import NeedsOCR, NotAReport
from ingest.meta import find_agency, find_date, find_title, find_year, prose_lines
from ingest.prose import prose_figures
from ingest.record import FieldValue, Record
from ingest.rules import run_rules
from ingest.tables import RowReading, read_rows, read_t4
from ingest.templates import TEMPLATE_NAMES, Template, load_template, template_markers, template_years
from ingest.tokens import Token, document_tokens
from ingest.values import parse_value


def build_record(doc: SourceDocument, record: Record) -> None:
    if doc.pages and all(p.needs_ocr and not p.blocks for p in doc.pages):
        raise NeedsOCR("no page has a text layer and the OCR route could not read them")
    tokens = document_tokens(doc)
    lines = prose_lines(doc)
    title = find_title(lines)
    year = find_year(lines, title)
    template_field, readings = _detect_template(tokens, year.value)
    if (
        template_field.value == "narrative"
        and title is None
        and not any("政府信息公开" in ln.text for ln in lines)
    ):
        raise NotAReport("no 政府信息公开 title, tables or prose figures: not an annual disclosure report")
    record.meta = {
        "agency": find_agency(lines, title),
        "year": year,
        "template": template_field,
        "published_date": find_date(lines),
    }
    if template_field.value in TEMPLATE_NAMES:
        record.fields.update(_table_fields(load_template(template_field.value), readings))
    record.fields.update(prose_figures(lines))
    record.checks = run_rules(record.fields, template_field.value or "")
    for f in [*record.meta.values(), *record.fields.values()]:
        f.settle_status()
    if any(p.needs_ocr and not p.blocks for p in doc.pages):
        skipped = [p.number for p in doc.pages if p.needs_ocr and not p.blocks]
        record.info["pages_not_read"] = skipped


# --- template --------------------------------------------------------------------------------------


def _detect_template(tokens: list[Token], year: int | None) -> tuple[FieldValue, dict]:
    """Headers decide; the year is checked against them. Both templates are read and the one whose
    markers the document shows wins; with no markers, the one whose rows were found, by year."""
    markers = template_markers()
    keys = [t.key for t in tokens if t.kind == "text"]
    scores = {name: sum(1 for m in markers[name] if any(m in k for k in keys)) for name in TEMPLATE_NAMES}
    readings = {name: _read_tables(tokens, load_template(name)) for name in TEMPLATE_NAMES}
    found_rows = {name: sum(1 for r in readings[name] if r != "t4") for name in TEMPLATE_NAMES}
    by_year = _template_for_year(year)
    if max(found_rows.values()) == 0:
        return FieldValue("narrative", 0.95, method="tables", reasons=["note: no standard tables found"]), {}
    best = max(TEMPLATE_NAMES, key=lambda n: (scores[n], found_rows[n], n == by_year))
    field = FieldValue(
        best, 0.99, raw=f"markers 2019:{scores['2019']} 2021:{scores['2021']}", method="headers"
    )
    if scores[best] == 0:
        field.confidence = 0.7
        field.reasons.append("no template-specific header found; template chosen by the rows found")
    elif scores[best] == min(scores.values()):
        field.flag("headers of both templates found")
    if by_year and by_year != best:
        field.flag(f"report year {year} implies template {by_year}, but the table headers are {best}")
    return field, readings[best]


def _template_for_year(year: int | None) -> str | None:
    if year is None:
        return None
    return next((n for n, (lo, hi) in template_years().items() if lo <= year <= hi), None)


def _read_tables(tokens: list[Token], template: Template) -> dict[str, RowReading]:
    readings = read_rows(tokens, template)
    t4 = read_t4(tokens, template)
    if t4:
        readings["t4"] = t4
    return readings


# --- keys and values -------------------------------------------------------------------------------


def _table_fields(template: Template, readings: dict[str, RowReading]) -> dict[str, FieldValue]:
    fields: dict[str, FieldValue] = {}
    specs = [*template.rows, *([template.t4] if template.t4 else [])]
    for spec in specs:
        reading = readings.get(spec.key)
        for i, col in enumerate(spec.columns):
            if reading is None:
                fields[col.key] = FieldValue(method="tables", reasons=["row not found in the document"])
            else:
                fields[col.key] = _cell_field(reading, i, col.type)
    return fields


def _cell_field(reading: RowReading, column: int, field_type: str) -> FieldValue:
    token = reading.cells[column]
    if token is None:
        return FieldValue(method="tables", reasons=["cell not found in its row", *reading.reasons])
    parsed = parse_value(token.text, field_type)
    reasons = [*reading.reasons, *token.reasons, *parsed.reasons]
    if column in reading.ambiguous:
        reasons.append("this cell's position in the row is uncertain")
    return FieldValue(
        value=parsed.value,
        # The weaker of the two doubts: where the row sits and how the cell was read (a product would
        # push two 'sure' readings under the threshold).
        confidence=min(reading.confidence, token.conf),
        raw=token.text,
        page=token.page,
        bbox=token.bbox,
        method=f"{token.method}:{reading.how}",
        reasons=reasons,
    )
