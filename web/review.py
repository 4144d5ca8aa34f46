"""Review decisions and what follows them: a Correction row, the rules re-run, statuses updated.

The machine's reading stays on the Field row (value, raw, confidence, reasons); a person's decision is a
Correction appended beside it. Field.status, Field.suggested, the CheckResult rows and the report/document
status are *derived* state, recomputed from (machine reading + latest correction) after every decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field  # a queue item has a `field` of its own
from functools import cache
from typing import Any

from sqlmodel import Session, col, select

from ingest.i18n import _
from ingest.record import REVIEW_THRESHOLD, FieldValue
from ingest.rules import run_rules
from ingest.templates import all_fields
from ingest.trust import rule_doubts
from models.archive import after_decision
from models.db import decode_value, encode_value
from models.tables import (
    AS_PRINTED,
    CORRECTED,
    DECISIONS,
    DONE,
    NEEDS_REVIEW,
    SUGGESTION_TAKEN,
    CheckResult,
    Correction,
    Document,
    Field,
    Report,
    User,
    utcnow,
)
from web.layout import col_label
from worker.cells import latest_corrections

# Reasons the rules write; a field doubted only for these is clean again once its rules hold.
RULE_REASON_PREFIXES = ("rule ", "the table arithmetic pins")


class BadValue(ValueError):
    """A typed correction that does not parse as the field's type."""


@cache
def field_types() -> dict[str, str]:
    return {key: spec.type for key, spec in all_fields().items()}


def _named(key: str, template: str = "") -> str:
    return f"{col_label(template, key)} ({key})"


def _kind_words(kind: str) -> str:
    return {
        "int": _("a whole number"),
        "signed_int": _("a whole number (it may be negative)"),
        "decimal_wan": _("an amount in 万元"),
    }.get(kind, kind)


def parse_value(key: str, text: str, template: str = "") -> Any:
    kind = field_types().get(key, "str")
    text = text.strip()
    if kind in ("int", "signed_int", "decimal_wan"):
        text = text.replace(",", "").replace("，", "")  # thousands separators; text is kept as typed
    try:
        if kind in ("int", "signed_int"):
            return int(text)
        if kind == "decimal_wan":
            return float(text)
    except ValueError as exc:
        raise BadValue(
            _("“{text}” is not {kind}: {field}").format(
                text=text, kind=_kind_words(kind), field=_named(key, template)
            )
        ) from exc
    if not text:
        raise BadValue(_("type a value for {field}").format(field=_named(key, template)))
    return text


def typed(key: str, text: str | None) -> Any:
    """A Correction's stored text back to the field's type."""
    return None if text is None else parse_value(key, text)


def current_value(f: Field, correction: Correction | None) -> Any:
    if correction is not None:
        return typed(f.key, correction.new)
    return decode_value(f.value, f.value_type)


def machine_doubts(f: Field) -> bool:
    """Would the reader alone (no rule) have sent this field to a person?"""
    own = [r for r in f.reasons or [] if not r.startswith(("note:", *RULE_REASON_PREFIXES))]
    # A null prose figure read confidently is itself the answer ("200余条" states no single number).
    missing = f.value is None and not (f.key.startswith("n.") and f.confidence >= REVIEW_THRESHOLD)
    return bool(own) or missing or f.confidence < REVIEW_THRESHOLD


# ---------------------------------------------------------------- re-running the rules


@dataclass(slots=True)
class Recheck:
    checks: list[CheckResult]
    fields_review: int
    status: str


def recheck(session: Session, report: Report) -> Recheck:
    """Re-run the rules on the report's current values and update every derived status."""
    assert report.id is not None
    rows = list(session.exec(select(Field).where(Field.report_id == report.id)))
    latest = latest_corrections(session, [f.id for f in rows if f.id is not None])
    values = {f.key: FieldValue(value=current_value(f, latest.get(f.id or 0))) for f in rows}
    template = str(values["meta.template"].value) if "meta.template" in values else (report.template or "")
    table = {k: v for k, v in values.items() if not k.startswith("meta.")}
    results = run_rules(table, template)
    # The trust step's derived doubts: values no passing rule confirms, columns whose rule fails.
    uncovered = rule_doubts(
        {k: v.value for k, v in table.items()},
        {k: v.suggested for k, v in table.items() if v.suggested is not None},
    )
    printed = {f.key for f in rows if f.id in latest and latest[f.id].decision == AS_PRINTED}
    for f in rows:
        decided = f.id in latest
        # Only the rules wrote reasons here.
        doubted = f.key in uncovered or (f.key in table and bool(table[f.key].reasons))
        # A person's decision settles a field even when the document's own arithmetic stays broken.
        f.status = "ok" if decided or not (machine_doubts(f) or doubted) else "review"
        suggestion = table[f.key].suggested if f.key in table else None
        f.suggested = None if suggestion is None or decided else encode_value(suggestion)[0]
        session.add(f)
    _store_checks(session, report.id, results, printed)
    return _settle_report(session, report, rows, results)


def _store_checks(
    session: Session, report_id: int, results: list[Any], printed: set[str]
) -> list[CheckResult]:
    """The rules' results; a failing one over a value a person kept *as printed* is the document's own
    inconsistency: it stays failed, and says so."""
    for old in session.exec(select(CheckResult).where(CheckResult.report_id == report_id)):
        session.delete(old)
    rows = [
        CheckResult(
            report_id=report_id,
            rule=r.rule,
            scope=r.scope,
            ok=r.ok,
            keys=list(r.keys),
            detail=r.detail,
            document_inconsistent=not r.ok and bool(printed & set(r.keys)),
        )
        for r in results
    ]
    session.add_all(rows)
    return rows


def _settle_report(session: Session, report: Report, rows: list[Field], results: list[Any]) -> Recheck:
    review = sum(1 for f in rows if f.status != "ok")
    report.fields_review = review
    report.checks_total = len(results)
    report.checks_failed = sum(1 for r in results if not r.ok)
    report.status = DONE if review == 0 else NEEDS_REVIEW
    report.updated_at = utcnow()
    session.add(report)
    doc = session.get(Document, report.document_id)
    if doc is not None:
        doc.status = report.status
        doc.reason = (
            None if review == 0 else f"{review} field(s) to review, {report.checks_failed} failed check(s)"
        )
        session.add(doc)
    return Recheck(
        list(session.exec(select(CheckResult).where(CheckResult.report_id == report.id))),
        review,
        report.status,
    )


# ---------------------------------------------------------------- a decision


def decided_value(f: Field, decision: str, text: str, template: str = "") -> Any:
    """The value a decision gives the field. *As printed* keeps what was read from the document, so a
    field nothing was read for cannot be signed off blank: it needs a typed value, unreadable or not
    printed."""
    if decision == AS_PRINTED:
        printed = decode_value(f.value, f.value_type)
        if printed is None:
            raise BadValue(
                _(
                    "nothing was read for {field}: type the value, or mark it unreadable or not "
                    "printed in this document"
                ).format(field=_named(f.key, template))
            )
        return printed
    if decision == CORRECTED:
        return parse_value(f.key, text, template)
    return None  # unreadable, not printed


def decide(
    session: Session, f: Field, user: User, decision: str, text: str = "", suggestion: bool = False
) -> Correction:
    """Append the person's decision and re-run the rules. Raises BadValue for a decision the field cannot
    take (an unparsable value, *as printed* on a field never read). A correction to the rules' suggested
    value says it took the suggestion."""
    if decision not in DECISIONS:
        raise BadValue(_("unknown decision {decision}").format(decision=decision))
    assert f.id is not None
    report = session.get(Report, f.report_id)
    assert report is not None
    previous = latest_corrections(session, [f.id]).get(f.id)
    old = current_value(f, previous)
    new = decided_value(f, decision, text, report.template or "")
    took = (
        decision == CORRECTED
        and suggestion
        and f.suggested is not None
        and encode_value(new)[0] == f.suggested
    )
    correction = Correction(
        field_id=f.id,
        who=user.username,
        old=encode_value(old)[0],
        new=encode_value(new)[0],
        decision=decision,
        reason=SUGGESTION_TAKEN if took else "",
    )
    session.add(correction)
    session.flush()
    _mirror_meta(report, f.key, new)
    recheck(session, report)
    after_decision(session, report, f.key)  # the archive: agency, year.continuity with neighbours
    return correction


def _mirror_meta(report: Report, key: str, value: Any) -> None:
    """Report's meta columns feed the lists and filters: keep them at the decided value."""
    if not key.startswith("meta."):
        return
    name = key.removeprefix("meta.")
    if name == "year":
        value = value if isinstance(value, int) else None
    if hasattr(report, name):
        setattr(report, name, value if value is None or name == "year" else str(value))
        setattr(report, f"{name}_status", "ok")


# ---------------------------------------------------------------- the queue


@dataclass(slots=True)
class QueueItem:
    field: Field
    report: Report
    document: Document
    failed: list[CheckResult] = dataclass_field(default_factory=list)

    @property
    def score(self) -> tuple[int, float]:
        # A cell in both its failed row and its failed column is the likeliest culprit: most failures first.
        return (-len(self.failed), self.field.confidence)


def template_order() -> dict[str, int]:
    return {k: i for i, k in enumerate(field_types())}


def review_queue(session: Session, report_id: int | None = None) -> list[QueueItem]:
    query = (
        select(Field, Report, Document)
        .join(Report, col(Report.id) == col(Field.report_id))
        .join(Document, col(Document.id) == col(Report.document_id))
        .where(Field.status == "review")
    )
    if report_id is not None:
        query = query.where(Field.report_id == report_id)
    items = [QueueItem(f, r, d) for f, r, d in session.exec(query)]
    failed = _failed_checks(session, {i.report.id for i in items if i.report.id is not None})
    for item in items:
        item.failed = [c for c in failed.get(item.report.id or 0, []) if item.field.key in c.keys]
    order = template_order()
    items.sort(key=lambda i: (i.score, i.report.id or 0, order.get(i.field.key, 10_000), i.field.key))
    return items


def _failed_checks(session: Session, report_ids: set[int]) -> dict[int, list[CheckResult]]:
    out: dict[int, list[CheckResult]] = {}
    query = select(CheckResult).where(col(CheckResult.report_id).in_(report_ids), CheckResult.ok == False)  # noqa: E712
    for c in session.exec(query):
        out.setdefault(c.report_id, []).append(c)
    return out


@dataclass(slots=True)
class HistoryRow:
    correction: Correction
    field: Field
    report: Report
    document: Document


def history(session: Session, field_id: int | None = None, limit: int = 500) -> list[HistoryRow]:
    query = (
        select(Correction, Field, Report, Document)
        .join(Field, col(Field.id) == col(Correction.field_id))
        .join(Report, col(Report.id) == col(Field.report_id))
        .join(Document, col(Document.id) == col(Report.document_id))
    )
    if field_id is not None:
        query = query.where(Correction.field_id == field_id)
    query = query.order_by(col(Correction.at).desc(), col(Correction.id).desc()).limit(limit)
    return [HistoryRow(c, f, r, d) for c, f, r, d in session.exec(query)]
