"""The stages after reading, each a function with a typed input and output (ingest/pipeline.py lists them
in order): tokens → tables → keys → rules → statuses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.document import SourceDocument
from ingest.errors import NeedsOCR, NoContent, NotAReport
from ingest.meta import TextLine, check_date, find_agency, find_date, find_title, find_year, prose_lines
from ingest.normalize import label_key
from ingest.prose import prose_figures
from ingest.record import FieldValue, Record
from ingest.rules import run_rules
from ingest.tables import OTHER_TEMPLATE_ROW, RowReading, read_rows, read_t4
from ingest.templates import (
    RowSpec,
    Template,
    load_template,
    printed_as_one_row,
    table_vocabulary,
    template_markers,
    template_names,
    template_years,
)
from ingest.tokens import Token, document_tokens
from ingest.trust import settle
from ingest.values import parse_value


@dataclass(slots=True)
class DocumentText:
    """The `tokens` stage's output: every format as one stream of cell tokens, and the prose lines."""

    tokens: list[Token]
    lines: list[TextLine]
    pages_not_read: list[int] = field(default_factory=list)
    # Why a page was not read, when a reader's analysis failed on it (page number → reason).
    page_errors: dict[int, str] = field(default_factory=dict)


@dataclass(slots=True)
class TableReading:
    """The `tables` stage's output: which template the document prints and its rows as read."""

    title: TextLine | None
    year: FieldValue
    shows_tables: bool
    template_field: FieldValue
    readings: dict[str, Any]

    @property
    def template(self) -> Template | None:
        name = self.template_field.value
        return load_template(name) if name in template_names() else None


def to_text(doc: SourceDocument) -> DocumentText:
    """tokens: the document's pages as one token stream and its prose lines; a document with nothing to
    read fails here."""
    if doc.pages and all(p.needs_ocr and not p.blocks for p in doc.pages):
        raise NeedsOCR("no page has a text layer and the OCR route could not read them")
    if doc.pages and not any(p.blocks or p.needs_ocr for p in doc.pages):
        raise NoContent(f"all {len(doc.pages)} page(s) are blank: no text, no image")
    skipped = [p.number for p in doc.pages if p.needs_ocr and not p.blocks]
    errors = {p.number: p.error for p in doc.pages if p.error and not p.blocks}
    return DocumentText(document_tokens(doc), prose_lines(doc), skipped, errors)


def read_tables(text: DocumentText) -> TableReading:
    """tables: the template the headers (and the year) name, and its rows found by label, group and
    position. A document that is no annual report fails here."""
    title = find_title(text.lines)
    year = find_year(text.lines, title)
    shows_tables = _shows_national_tables(text.tokens, text.lines)
    template_field, readings = _detect_template(text.tokens, year.value, shows_tables)
    if (
        template_field.value == "narrative"
        and title is None
        and not any("政府信息公开" in ln.text for ln in text.lines)
    ):
        raise NotAReport("no 政府信息公开 title, tables or prose figures: not an annual disclosure report")
    if shows_tables and not readings and title is None:
        raise NotAReport("a blank form: the national tables' labels are printed, with no values and no title")
    return TableReading(title, year, shows_tables, template_field, readings)


def fill_keys(text: DocumentText, tables: TableReading, record: Record) -> None:
    """keys: every key of the contract gets its value, raw text and evidence: meta, the table cells, the
    prose figures."""
    record.meta = {
        "agency": find_agency(text.lines, tables.title),
        "year": tables.year,
        "template": tables.template_field,
        "published_date": find_date(text.lines),
    }
    check_date(record.meta["published_date"], tables.year.value)
    if tables.template is not None:
        record.fields.update(_table_fields(tables.template, tables.readings))
    record.fields.update(prose_figures(text.lines))
    unread = tables.shows_tables and not tables.readings
    if unread or _tables_expected_but_absent(tables.template_field, tables.year.value, tables.title):
        # Tables named but unread, or a report that should have them: the prose alone settles nothing.
        for key in [k for k in record.fields if k.startswith("n.")]:
            record.fields[key].flag("the national tables of this report were not read")
    if text.pages_not_read:
        record.info["pages_not_read"] = text.pages_not_read
    if text.page_errors:
        record.info["page_errors"] = {str(n): why for n, why in text.page_errors.items()}


def check(tables: TableReading, record: Record) -> None:
    """rules: the report's own arithmetic, every rule of its template."""
    record.checks = run_rules(record.fields, tables.template_field.value or "")


def decide_statuses(tables: TableReading, record: Record) -> None:
    """statuses: `ok` only on positive evidence (ingest/trust.py)."""
    settle(record, tables.template, tables.readings)


def build_from_tokens(tokens: list[Token], lines: list[TextLine], record: Record) -> None:
    """The stages after `tokens`, from a token stream: the mutation tests enter here with streams they
    have damaged."""
    text = DocumentText(tokens, lines)
    tables = read_tables(text)
    fill_keys(text, tables, record)
    check(tables, record)
    decide_statuses(tables, record)


# --- template --------------------------------------------------------------------------------------


def _detect_template(tokens: list[Token], year: int | None, shows_tables: bool) -> tuple[FieldValue, dict]:
    """Headers decide; the year is checked against them. Both templates are read and the one whose
    markers the document shows wins; with no markers, the one whose rows were found, by year.
    `narrative` only when the document shows no trace of the national tables."""
    markers = template_markers()
    keys = [t.key for t in tokens if t.kind == "text"]
    scores = {name: sum(1 for m in markers[name] if any(m in k for k in keys)) for name in template_names()}
    readings = {name: _read_tables(tokens, load_template(name)) for name in template_names()}
    found_rows = {name: sum(1 for r in readings[name] if r != "t4") for name in template_names()}
    by_year = _template_for_year(year)
    if max(found_rows.values()) == 0:
        if shows_tables:
            return _unread_tables_template(scores, by_year), {}
        return FieldValue("narrative", 0.95, method="tables", reasons=["note: no standard tables found"]), {}
    best = max(template_names(), key=lambda n: (scores[n], found_rows[n], n == by_year))
    field = FieldValue(best, 0.99, raw=_markers_found(scores), method="headers")
    if scores[best] == 0:
        field.confidence = 0.7
        field.reasons.append("no template-specific header found; template chosen by the rows found")
    elif scores[best] == min(scores.values()):
        field.flag("headers of both templates found")
    if by_year and by_year != best:
        field.flag(f"report year {year} implies template {by_year}, but the table headers are {best}")
    return field, readings[best]


def _markers_found(scores: dict[str, int]) -> str:
    return "markers " + " ".join(f"{name}:{count}" for name, count in scores.items())


def _unread_tables_template(scores: dict[str, int], by_year: str | None) -> FieldValue:
    """The national tables are named but none of their rows could be read: the template their headers or
    the year imply, in review, and every table field null (`review`)."""
    by_headers = max(template_names(), key=lambda n: scores[n]) if max(scores.values()) else None
    name = by_headers or by_year
    field = FieldValue(name, 0.5, raw=_markers_found(scores), method="headers")
    field.flag("the document names the national tables, but no table row could be read")
    if name is None:
        field.flag("neither the table headers nor the year say which template")
    return field


def _shows_national_tables(tokens: list[Token], lines: list[TextLine]) -> bool:
    """The tables' own vocabulary (two distinct terms): the document prints them, read or not."""
    text = "".join(t.key for t in tokens if t.kind == "text") + "".join(label_key(ln.text) for ln in lines)
    return sum(1 for term in table_vocabulary() if term in text) >= 2


def _tables_expected_but_absent(template: FieldValue, year: int | None, title: TextLine | None) -> bool:
    """A report of a year after the 2019 format, not a summary, without tables: a page is missing or the
    document is not what it seems; nothing read from it is settled."""
    if template.value != "narrative" or year is None or year < 2019:
        return False
    if title is not None and "总结" in title.text:
        return False
    template.flag(f"a report of {year} should print the national tables; none was found")
    return True


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
        if reading is not None and reading.anomaly == OTHER_TEMPLATE_ROW:
            fields.update(_one_row_for_group(spec, reading))
            continue
        for i, col in enumerate(spec.columns):
            if reading is None:
                # A sub-row of a group printed as one row already holds its own reason.
                if col.key not in fields:
                    fields[col.key] = FieldValue(method="tables", reasons=["row not found in the document"])
            else:
                fields[col.key] = _cell_field(reading, i, col.type)
    return fields


def _one_row_for_group(spec: RowSpec, reading: RowReading) -> dict[str, FieldValue]:
    """The other template's single row for a group: transcribed under that template's key (the rules check
    it in the group's place); the group's own sub-rows are not printed, so they stay null."""
    row_key, subrows = next((k, v) for k, v in printed_as_one_row().items() if spec.key in v)
    reason = (
        f"the report prints the group as one row ({row_key}, the other template's form), not its sub-rows"
    )
    note = f"note: {reason}"
    fields = {}
    for sub in subrows:
        for col in spec.columns:
            key = f"{sub}.{col.key.rsplit('.', 1)[1]}"
            fields[key] = FieldValue(method="tables", reasons=[reason])
    for i, col in enumerate(spec.columns):
        cell = _cell_field(reading, i, col.type)
        cell.reasons.append(note)
        fields[f"{row_key}.{col.key.rsplit('.', 1)[1]}"] = cell
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
        reading_confidence=token.conf,
        raw=token.text,
        page=token.page,
        bbox=token.bbox,
        method=f"{token.method}:{reading.how}",
        reasons=reasons,
    )
