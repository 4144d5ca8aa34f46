"""Trust as positive evidence: the one step that decides every field's status, for every format.

A value is `ok` only when independent evidence supports it:
1. its reading is sure: a value was read (a null is `ok` only where it is itself the answer), with
   confidence ≥ REVIEW_THRESHOLD and no doubt from the reader;
2. its place is known: its row identified by its own label or group label, or placed by position between
   two rows found by label with the template's count of rows between them, and its column by the row's
   shape (as many cells as columns, or stray cells every alignment agrees on) — tables.py records both;
3. every rule that covers it was evaluated and passed. A rule that cannot be evaluated (a member missing
   or unreadable) is not a pass: in t3 a value needs its row sum and a column rule (t3.balance or
   t3.outcomes) evaluated and passing; in t4, its group sum.

Structural anomalies spread to every cell whose place they could have shifted: a table row that was not
found or has missing, extra or unplaced cells sends its neighbouring rows to review (values slide between
rows when a rule or a label is lost, and the arithmetic cannot see a permutation of rows); a failed column
rule sends its whole column to review (the cell that breaks it may have been read into another row).
In t3 the spread spares the cells the column rules pin: no error confined to the faulted row and its
neighbours can move them without breaking a passing column rule or a count read as 0 (_pinned_by_columns).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from typing import Any

from ingest.record import REVIEW, REVIEW_THRESHOLD, FieldValue, Record
from ingest.rules import PROSE_COUNTERPARTS, T3_COLUMNS, Equation, holds, table_equations
from ingest.tables import EMPTY_CELLS, OTHER_TEMPLATE_ROW, RowReading
from ingest.templates import RowSpec, Template, printed_as_one_row

COLUMN_RULES = ("t3.balance", "t3.outcomes")
NOT_CONFIRMED = "rule coverage: no rule confirms this value"


def settle(record: Record, template: Template | None, readings: dict[str, RowReading]) -> None:
    """Set the status of every field of the record: positive evidence or `review`."""
    if template is not None:
        _spread_anomalies(record.fields, template, readings)
    _doubt_unchecked_ocr(record)
    values = {k: f.value for k, f in record.fields.items()}
    suggested = _doubtful_suggestions(record.fields)
    for key, reason in rule_doubts(values, suggested).items():
        record.fields[key].flag(reason)
    _clear_failures_mended_by_suggestions(record.fields, values, suggested)
    _confirm_doubtful_digits(record.fields, suggested)
    for f in [*record.meta.values(), *record.fields.values()]:
        f.settle_status()
    _doubt_prose_confirmed_by_doubted_ocr(record)


def _doubtful_suggestions(fields: dict[str, FieldValue]) -> dict[str, Any]:
    """The suggestions (rules.py) for cells read blank or with doubt: only these may stand in for the
    reading when the arithmetic mends failed rules (_clear_failures_mended_by_suggestions, rule_doubts). A cell
    read surely that two failed equations name is no evidence that it is the wrong one: two faults apart
    (a misread total, a column off by the report's own slip) meet there as well, and putting the
    suggestion in would clear both failures and mark the misread `ok` (MUTATION_SEED=23, trial 2568)."""
    return {
        k: f.suggested
        for k, f in fields.items()
        if f.suggested is not None and (f.value is None or not _read_surely(f))
    }


FAILED_RULE = re.compile(r"^rule (\S+) \((\S+)\) fails: ")


def _clear_failures_mended_by_suggestions(
    fields: dict[str, FieldValue], values: dict[str, Any], suggested: dict[str, Any]
) -> None:
    """A rule that fails only through a cell the arithmetic pins down — its suggested value agreed by two
    equations (its row sum and its column rule), see rule_doubts — holds with that value in: the failure
    is that one cell's, which stays in review with its suggestion. The rule's other cells lose the
    failure's reason (rules.run_rules gives it to every cell of a failed rule), and rule_doubts has
    already judged them on the mended values: confirmed where their row sum and column rule both hold.
    Seed 711005 (仿宋 10 pt, 1-bit 300 dpi): a 1 read as 4 at 0.705 sent its row and column, 20 right
    values read at 0.9–0.99, to review. A second misread in the row or column breaks the other equation
    the suggestion needs, so then nothing is agreed and every failure stays."""
    equations = table_equations(set(values))
    mended = _with_agreed_suggestions(values, suggested, equations)
    agreed = {k for k in suggested if k in mended and mended[k] == suggested[k]}
    if not agreed:
        return
    holding = {(eq.rule, eq.scope) for eq in equations if holds(eq, mended) is True and set(eq.keys) & agreed}
    for key, f in fields.items():
        if key in agreed:
            continue
        kept = []
        for reason in f.reasons:
            m = FAILED_RULE.match(reason)
            if not (m and (m.group(1), m.group(2)) in holding):
                kept.append(reason)
        f.reasons[:] = kept


DOUBT_CONFIRMED = "note: an unsettled digit reading that its row sum and its column's rule both confirm"
# Cell readings raised by two passing equations: digits voted on, in t3 (every t3 cell is in a row sum
# and a column rule; a t4 cell is in one group sum only).
DIGIT_METHODS = ("ocr-digits:", "ocr-digits+vote:")


def _confirm_doubtful_digits(fields: dict[str, FieldValue], suggested: dict[str, Any] | None = None) -> None:
    """A t3 cell whose digit vote did not settle (passes disagreeing, seed 630012's blurred 1-bit 0s at
    0.7–0.85) is confirmed when its row sum and a column rule, evaluated on the values as read, both
    hold: a wrong reading would need compensating misreads in its row and in its column, each of which
    would break its own column or row in turn. Only a cell nothing else doubts (its row found by label
    or anchored by position, no stray column, no rule failing) — the evidence a sure reading needs
    besides its confidence."""
    values = {k: f.value for k, f in fields.items()}
    equations = table_equations(set(values))
    # With the suggestions two equations agree on put in (rule_doubts): a column failing only through
    # another cell the arithmetic pins down (seed 711005: a 1 read as 4) confirms its other cells.
    values = _with_agreed_suggestions(values, suggested or {}, equations)
    state = {(eq.rule, eq.scope): holds(eq, values) for eq in equations}
    for key, f in fields.items():
        if not key.startswith("t3.") or f.value is None or f.confidence >= REVIEW_THRESHOLD:
            continue
        if not f.method.startswith(DIGIT_METHODS) or any(not r.startswith("note:") for r in f.reasons):
            continue
        if not _missing_cover(key, [eq for eq in equations if key in eq.keys], state):
            f.confidence = REVIEW_THRESHOLD
            f.reasons.append(DOUBT_CONFIRMED)


# branch s4-scans: a confirmation is only as good as the figure that gives it.
TABLE_COUNTERPART_DOUBTED = "the table figure that confirms it was read by OCR and is itself in review"


def _doubt_prose_confirmed_by_doubted_ocr(record: Record) -> None:
    """A prose figure read by OCR is settled by its table counterpart agreeing (rules.run_rules). A
    counterpart read by OCR and itself in review is no confirmation: the same glyph misread the same way
    in both (楷体's slashed 0 read as 9: 30 → 39 in the prose and in t3's total) agrees with itself.
    Unless the counterpart's glyphs were read surely and a passing column rule covers it: its review then
    comes from elsewhere in its row (seeds 711006, 711105, 711111: a report whose 新收 row sum is off by
    one as printed, t3.balance over the total column holding), and the same misread in the total would
    have broken that column rule as well. Not where any column rule of its column fails (楷体's 0 read
    as 8 in two totals of a column, 30 → 38 and 20 → 28, keeps t3.balance holding, not t3.outcomes),
    nor where the arithmetic shows OCR misreading what it was sure of (_sure_misread_shown)."""
    column_rules = [c for c in record.checks if c.rule in COLUMN_RULES]
    failing_columns = {c.scope for c in column_rules if not c.ok}
    column_confirmed = (
        set()
        if _sure_misread_shown(record)
        else {k for c in column_rules if c.ok and c.scope not in failing_columns for k in c.keys}
    )
    for prose_key, table_keys in PROSE_COUNTERPARTS.items():
        prose = record.fields.get(prose_key)
        table = {k: record.fields[k] for k in table_keys if k in record.fields}
        if prose is None or prose.value is None or prose.status == REVIEW:
            continue
        if any(
            t.method.startswith("ocr")
            and t.status == REVIEW
            and not (k in column_confirmed and _read_surely(t))
            for k, t in table.items()
        ):
            prose.flag(TABLE_COUNTERPART_DOUBTED)


def _doubt_unchecked_ocr(record: Record) -> None:
    """Where the document's own arithmetic shows OCR misreading figures it was sure of (a failed t3/t4 rule
    over OCR'd cells: 楷体's 0 read as 8), its readings that no rule checks (t2) are no evidence either.
    A failed rule every OCR'd cell of which another rule confirms (a row sum off by one whose cells all
    sit in passing column rules) shows no misread: one misread cell breaks its row and its column, so
    that is the report's own inconsistency, transcribed as printed. Nor does a failed rule whose cells
    that no passing rule confirms were all read with doubt (the digit passes disagreed: the cell's own
    reading under REVIEW_THRESHOLD, whatever its row's place): OCR said it was unsure, and those cells
    are in review already. A misread OCR was sure of is either in a passing rule (which one wrong cell breaks)
    or among the unconfirmed cells, where it still counts."""
    if not _sure_misread_shown(record):
        return
    for key, f in record.fields.items():
        if key.startswith("t2.") and f.method.startswith("ocr") and f.value is not None:
            f.flag(
                "OCR misread figures in this document's checked tables; its unchecked readings are not trusted"
            )


def _sure_misread_shown(record: Record) -> bool:
    """A failed t3/t4 rule with an OCR'd cell read surely that no passing rule confirms (see
    _doubt_unchecked_ocr). A failure through a cell OCR doubted counts too when the rule has such
    cells: seed 711355 (楷体 14 pt, 1-bit 150 dpi) read a 0 as 8 at 0.775 in t4, its only failing rule,
    and another 0 as 8 at 0.967 in t2, where no rule checks it."""
    passing = [c for c in record.checks if c.ok]
    failed = [c for c in record.checks if not c.ok and c.rule.startswith(("t3.", "t4."))]
    return any(
        record.fields[k].method.startswith("ocr")
        and _read_surely(record.fields[k])
        and not any(k in p.keys for p in passing)
        for c in failed
        for k in c.keys
        if k in record.fields
    )


def _read_surely(f: FieldValue) -> bool:
    """OCR was sure of the glyphs: the cell's own reading, not its row's place (a row with a cell
    missing caps its cells at 0.5 however clear their digits), is at or over REVIEW_THRESHOLD."""
    own = f.reading_confidence if f.reading_confidence is not None else f.confidence
    return own >= REVIEW_THRESHOLD


def rule_doubts(values: dict[str, Any], suggested: dict[str, Any] | None = None) -> dict[str, str]:
    """Table keys holding a value that no evaluated, passing rule confirms, or in a column whose rule
    fails, with the reason. Derived from the values alone, so it is run again after every correction
    (web.review): a correction can complete or mend a rule.

    A doubtful cell's suggested value (rules.py) stands in for it where two equations agree on it: the
    cell stays in review, but the rest of its row and column are confirmed by two independent sums."""
    equations = table_equations(set(values))
    values = _with_agreed_suggestions(values, suggested or {}, equations)
    state = {(eq.rule, eq.scope): holds(eq, values) for eq in equations}
    covering: dict[str, list[Equation]] = {}
    for eq in equations:
        for key in eq.keys:
            covering.setdefault(key, []).append(eq)
    failed_columns = {
        eq.scope: eq.rule
        for eq in equations
        if eq.rule in COLUMN_RULES and state[(eq.rule, eq.scope)] is False
    }
    doubts: dict[str, str] = {}
    for key, eqs in covering.items():
        if values.get(key) is None:
            continue  # a missing value is in review already, with its own reason
        column = key.rsplit(".", 1)[1]
        if key.startswith("t3.") and column in failed_columns:
            # The cell that breaks a column rule may have been read into any row of that column.
            doubts[key] = f"rule {failed_columns[column]} ({column}) fails in this column"
        elif missing := _missing_cover(key, eqs, state):
            doubts[key] = f"{NOT_CONFIRMED} ({missing} not evaluated or not passing)"
    return doubts


def _with_agreed_suggestions(
    values: dict[str, Any], suggested: dict[str, Any], equations: list[Equation]
) -> dict[str, Any]:
    """The suggestions that two equations each agree on. Several unreadable cells of one column (楷体
    zeros read as 0O in three rows) are each pinned by their row sum, but the column rule holds only
    with all of them in: they are put in together, and any that then falls short of two holding
    equations is taken out again (with whatever rested on it) until every one left has its two."""
    agreed = dict(suggested)
    while True:
        trial = {**values, **agreed}
        short = [
            key
            for key in agreed
            if sum(1 for eq in equations if key in eq.keys and holds(eq, trial) is True) < 2
        ]
        if not short:
            return trial
        for key in short:
            del agreed[key]


def _missing_cover(key: str, eqs: list[Equation], state: dict[tuple[str, str], bool | None]) -> str:
    def passing(rules: Iterable[str]) -> bool:
        return any(state[(e.rule, e.scope)] is True for e in eqs if e.rule in rules)

    if key.startswith("t3."):
        if not passing(["t3.row_sum"]):
            return "its row sum"
        if not passing(COLUMN_RULES):
            return "its column's balance or outcomes"
    elif key.startswith("t4.") and not passing(["t4.sum"]):
        return "its group sum"
    return ""


# --- structural anomalies -------------------------------------------------------------------------


def _spread_anomalies(
    fields: dict[str, FieldValue], template: Template, readings: dict[str, RowReading]
) -> None:
    for table in ("t2", "t3"):
        rows = template.table_rows(table)
        if not any(r.key in readings for r in rows):
            continue  # a table not printed at all is missing whole: every field says so already
        causes = [_row_anomaly(spec, readings) for spec in rows]
        pinned = _pinned_by_columns(fields, rows, causes) if table == "t3" else set()
        for i, (spec, cause) in enumerate(zip(rows, causes, strict=True)):
            # In t3 a row with an empty cell fails to prove its own sum, and its neighbours still need
            # theirs and their columns': only t2, which has no arithmetic, needs the spread.
            if cause is None or (table == "t3" and cause == EMPTY_CELLS):
                continue
            for neighbour in rows[max(i - 1, 0) : i + 2]:
                if neighbour is not spec:
                    _flag_row(
                        fields,
                        neighbour,
                        f"a neighbouring row shows a structural fault ({cause}): "
                        "values may have moved between the rows",
                        pinned,
                    )
        if table == "t3":
            _confirm_pinned_faulted_rows(fields, rows, causes, readings, pinned)
    t4 = readings.get("t4")
    if t4 is not None and t4.anomaly and template.t4 is not None:
        _flag_row(fields, template.t4, f"the table shows a structural fault ({t4.anomaly})")


PINNED = "its column's rules pin this value whatever the rows around the fault hold"


def _pinned_by_columns(
    fields: dict[str, FieldValue], rows: list[RowSpec], causes: list[str | None]
) -> set[str]:
    """The t3 cells around structural faults that the column rules pin down. A fault can move values
    between the faulted row and its neighbours (the suspect rows); the rows further off are as read,
    each checked by its own row sum and column rules. In one column, an error confined to the suspect
    rows that keeps every passing column rule (t3.balance, t3.outcomes) passing is a solution of those
    equations restricted to the suspect rows; where a 0 was read the truth is 0 or more, so the error
    (read − truth) there is 0 or less. A cell is pinned when no such error moves it. Every such error
    is a sum of circuits (errors over at most three members, as a column has at most two rules) whose
    signs agree with it (Rockafellar's elementary vectors), so a cell is pinned when every circuit
    through it, taken either way, would put a negative count in some row read as 0:
    - carried_forward and total beside a faulty total or carried_forward: t3.outcomes fixes total from
      outcome rows that are not suspect, then t3.balance fixes carried_forward;
    - a faulty total between 其他处理 and carried_forward read as 0: +d, +d, −d keeps both rules, but
      would need −d or +d requests in a row read as 0;
    - outcome rows read as 0 in a column whose total is not suspect: their errors sum to 0 and none
      can be above 0.
    Two outcome rows, or new_received and carried_over, trade values under every rule (a permutation
    of rows the arithmetic cannot see): neither is pinned, their cells keep the spread's doubt."""
    suspects: set[str] = set()
    for i, cause in enumerate(causes):
        if cause is not None:
            suspects.update(spec.key.split(".", 1)[1] for spec in rows[max(i - 1, 0) : i + 2])
    if not suspects:
        return set()
    # A group printed in the other template's form (the 2019 （六）其他处理 in a 2021 table) stands in its
    # sub-rows' place: its row is as suspect as they are.
    for row, subrows in printed_as_one_row().items():
        names, one = {k.split(".", 1)[1] for k in subrows}, row.split(".", 1)[1]
        if one in suspects:
            suspects |= names
        elif suspects & names:
            suspects.add(one)
    values = {k: f.value for k, f in fields.items()}
    passing = [
        eq for eq in table_equations(set(values)) if eq.rule in COLUMN_RULES and holds(eq, values) is True
    ]
    pinned: set[str] = set()
    for column in T3_COLUMNS:
        matrix = [_coefficients(eq, suspects) for eq in passing if eq.scope == column]
        variables = sorted({r for row in matrix for r in row})
        if not variables:
            continue
        zero = {r for r in variables if values.get(f"t3.{r}.{column}") == 0}
        moved: set[str] = set()
        for size in (2, 3):  # a circuit of at most two equations has at most three members
            for support in itertools.combinations(variables, size):
                if not set(support) - moved:
                    continue
                circuit = _circuit([[row.get(r, 0) for r in support] for row in matrix])
                if circuit is None:
                    continue
                signs = [x for r, x in zip(support, circuit, strict=True) if r in zero]
                if all(x <= 0 for x in signs) or all(x >= 0 for x in signs):
                    moved.update(support)
        pinned.update(f"t3.{r}.{column}" for r in variables if r not in moved)
    return pinned


def _coefficients(eq: Equation, rows: set[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for sign, keys in ((1, eq.lhs), (-1, eq.rhs)):
        for key in keys:
            row = key.split(".")[1]
            if row in rows:
                out[row] = out.get(row, 0) + sign
    return {r: c for r, c in out.items() if c}


def _circuit(matrix: list[list[int]]) -> list[int] | None:
    """The error over these two or three members that keeps every equation (matrix·v = 0), when it is
    unique up to scale and moves every member (a circuit); else None. A column has at most two rules."""
    rows = [r for r in matrix if any(r)]
    if not rows:
        return None
    if len(rows[0]) == 2:
        v = [rows[0][1], -rows[0][0]]
    elif len(rows) == 2:
        (a1, a2, a3), (b1, b2, b3) = rows
        v = [a2 * b3 - a3 * b2, a3 * b1 - a1 * b3, a1 * b2 - a2 * b1]  # a 0 vector: rank 1, no circuit
    else:
        return None  # three members, one equation: a plane of errors, made of the pairs' circuits
    if not all(v) or any(sum(x * y for x, y in zip(r, v, strict=True)) for r in rows):
        return None
    return v


# The faults of a row's place or of its cells' alignment (tables.py), which the pin answers.
PLACE_FAULTS = ("unconfirmed position", "cells missing", "stray column")


def _confirm_pinned_faulted_rows(
    fields: dict[str, FieldValue],
    rows: list[RowSpec],
    causes: list[str | None],
    readings: dict[str, RowReading],
    pinned: set[str],
) -> None:
    """A faulted t3 row's cell doubted only for its row's fault (its place, its cells' alignment), read
    surely, and pinned by its column's rules (_pinned_by_columns): whatever the fault moved, any other
    value there would break a passing column rule or make a count negative. The doubt becomes a note;
    the cell still needs its row sum and a column rule passing (rule_doubts), like any other."""
    for spec, cause in zip(rows, causes, strict=True):
        reading = readings.get(spec.key)
        if cause not in PLACE_FAULTS or reading is None:
            continue  # a row printed twice with different values may be the report's own inconsistency
        row_doubts = {r for r in reading.reasons if not r.startswith("note:")}
        for key in spec.keys:
            f = fields.get(key)
            if f is None or f.value is None or key not in pinned or not _read_surely(f):
                continue
            doubts = [r for r in f.reasons if not r.startswith("note:")]
            if not set(doubts) <= row_doubts:
                continue
            f.reasons[:] = [r if r.startswith("note:") else f"note: {r}; {PINNED}" for r in f.reasons]
            f.confidence = max(f.confidence, f.reading_confidence or f.confidence)


def _row_anomaly(spec: RowSpec, readings: dict[str, RowReading]) -> str | None:
    """What could have shifted values into or out of this row. The other template's single row for a
    group is a known form read by its label, not a fault; its sub-rows are absent by design."""
    reading = readings.get(spec.key)
    printed_as_group = any(
        r.anomaly == OTHER_TEMPLATE_ROW and r.spec.group == spec.group
        for r in readings.values()
        if spec.group
    )
    if printed_as_group:
        return None
    if reading is None:
        return "an expected row was not found"
    return reading.anomaly


def _flag_row(
    fields: dict[str, FieldValue], spec: RowSpec, reason: str, spared: set[str] | None = None
) -> None:
    for key in spec.keys:
        if key in fields and fields[key].value is not None:
            if spared and key in spared:
                if (note := f"note: {reason}; {PINNED}") not in fields[key].reasons:
                    fields[key].reasons.append(note)
            else:
                fields[key].flag(reason)
