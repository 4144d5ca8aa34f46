"""The report's own arithmetic (勾稽关系), run on every record.

Every table rule is a linear equation sum(lhs) == sum(rhs) over field keys, which makes two things generic:
checking, and pinning down a wrong cell — a key that lies in every failed equation (its row and its column)
can be solved from one of them; the solution is suggested only if it then satisfies every equation it is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ingest.prose import OCR_UNCONFIRMED
from ingest.record import REVIEW_THRESHOLD, CheckResult, FieldValue
from ingest.templates import all_fields, printed_as_one_row, table_columns, template_rules

T3_COLUMNS = table_columns("t3")  # natural … other_org, total
APPLICANT_COLUMNS = tuple(c for c in T3_COLUMNS if c != "total")
T3_NOT_OUTCOMES = {"new_received", "carried_over", "total", "carried_forward"}
T4_GROUPS = ("review", "suit_direct", "suit_after_review")
T4_PARTS = ("upheld", "corrected", "other", "pending")


@dataclass(frozen=True, slots=True)
class Equation:
    rule: str
    scope: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]

    @property
    def keys(self) -> list[str]:
        return [*self.lhs, *self.rhs]


def table_equations(field_keys: set[str]) -> list[Equation]:
    return list(_equations(frozenset(field_keys)))


@lru_cache(maxsize=64)
def _equations(field_keys: frozenset[str]) -> tuple[Equation, ...]:
    # In the contract's order, not the set's: a record's checks list their keys alike in every process.
    order = {k: i for i, k in enumerate(all_fields())}
    ordered = sorted(field_keys, key=lambda k: (order.get(k, len(order)), k))
    t3_rows = list(dict.fromkeys(k.split(".")[1] for k in ordered if k.startswith("t3.")))
    equations: list[Equation] = []
    if t3_rows:
        # A group printed as the other template's single row is checked as that row.
        stood_for = {
            k for row, subs in printed_as_one_row().items() if row.split(".")[1] in t3_rows for k in subs
        }
        outcomes = [r for r in t3_rows if r not in T3_NOT_OUTCOMES and f"t3.{r}" not in stood_for]
        for col in T3_COLUMNS:
            equations.append(
                Equation(
                    "t3.balance",
                    col,
                    (f"t3.new_received.{col}", f"t3.carried_over.{col}"),
                    (f"t3.total.{col}", f"t3.carried_forward.{col}"),
                )
            )
            equations.append(
                Equation("t3.outcomes", col, (f"t3.total.{col}",), tuple(f"t3.{r}.{col}" for r in outcomes))
            )
        for row in t3_rows:
            equations.append(
                Equation(
                    "t3.row_sum", row, (f"t3.{row}.total",), tuple(f"t3.{row}.{c}" for c in APPLICANT_COLUMNS)
                )
            )
    if any(k.startswith("t4.") for k in field_keys):
        for group in T4_GROUPS:
            equations.append(
                Equation("t4.sum", group, (f"t4.{group}.total",), tuple(f"t4.{group}.{p}" for p in T4_PARTS))
            )
    return tuple(e for e in equations if all(k in field_keys for k in e.keys))


def _sum(keys: tuple[str, ...], values: dict[str, Any]) -> float | None:
    parts = [values.get(k) for k in keys]
    if any(p is None for p in parts):
        return None
    return sum(p for p in parts if p is not None)


def holds(eq: Equation, values: dict[str, Any]) -> bool | None:
    left, right = _sum(eq.lhs, values), _sum(eq.rhs, values)
    if left is None or right is None:
        return None
    return abs(left - right) < 1e-6


def run_rules(fields: dict[str, FieldValue], template: str) -> list[CheckResult]:
    """Evaluate every rule that has all its values; flag every field of a failed rule; suggest where a
    single wrong cell is pinned down."""
    values = {k: f.value for k, f in fields.items()}
    equations = table_equations(set(fields))
    results: list[CheckResult] = []
    failed: list[Equation] = []
    for eq in equations:
        ok = holds(eq, values)
        if ok is None:
            continue
        results.append(CheckResult(eq.rule, eq.scope, ok, eq.keys, "" if ok else _detail(eq, values)))
        if not ok:
            failed.append(eq)
    results += _in_force(values) if "t2.in_force" in template_rules(template) else []
    results += _prose_vs_table(values)
    for result in results:
        if result.rule == "n.vs_table" and result.ok:
            _confirmed_by_table(fields[result.scope])
    for result in results:
        if not result.ok:
            for key in result.keys:
                if key in fields:
                    fields[key].flag(f"rule {result.rule} ({result.scope}) fails: {result.detail}")
    _suggest(failed, equations, values, fields)
    _suggest_doubtful(equations, values, fields)
    return results


def _detail(eq: Equation, values: dict[str, Any]) -> str:
    return f"{_fmt(_sum(eq.lhs, values))} ≠ {_fmt(_sum(eq.rhs, values))}"


def _fmt(x: float | None) -> str:
    return str(int(x)) if x is not None and float(x).is_integer() else str(x)


def _in_force(values: dict[str, Any]) -> list[CheckResult]:
    out = []
    for row in ("regulations", "normative"):
        keys = [f"t2.{row}.{c}" for c in ("made", "repealed", "in_force")]
        present = [values.get(k) for k in keys]
        if any(v is None for v in present):
            continue
        negative = [k for k, v in zip(keys, present, strict=True) if v is not None and v < 0]
        out.append(
            CheckResult(
                "t2.in_force", row, not negative, keys, "negative: " + ", ".join(negative) if negative else ""
            )
        )
    return out


# Prose figure → the table keys whose sum it restates.
PROSE_COUNTERPARTS = {
    "n.requests_received": ("t3.new_received.total",),
    "n.reviews": ("t4.review.total",),
    "n.lawsuits": ("t4.suit_direct.total", "t4.suit_after_review.total"),
}


def _confirmed_by_table(field: FieldValue) -> None:
    """A prose figure read by OCR that the table states too: two independent readings agree."""
    if OCR_UNCONFIRMED in field.reasons:
        field.reasons.remove(OCR_UNCONFIRMED)
        field.confidence = 0.96


def _prose_vs_table(values: dict[str, Any]) -> list[CheckResult]:
    out = []
    for prose_key, table_keys in PROSE_COUNTERPARTS.items():
        stated = values.get(prose_key)
        table = _sum(table_keys, values)
        if stated is None or table is None:
            continue
        ok = abs(stated - table) < 1e-6
        out.append(
            CheckResult(
                "n.vs_table",
                prose_key,
                ok,
                [prose_key, *table_keys],
                "" if ok else f"prose says {_fmt(stated)}, table says {_fmt(table)}",
            )
        )
    return out


def _suggest(
    failed: list[Equation], equations: list[Equation], values: dict[str, Any], fields: dict[str, FieldValue]
) -> None:
    if len(failed) < 2:
        return
    common = set(failed[0].keys).intersection(*(e.keys for e in failed[1:]))
    solutions = {}
    for key in common:
        candidate = _solve(failed[0], key, values)
        trial = {**values, key: candidate}
        if (
            candidate is not None
            and candidate >= 0
            and all(holds(e, trial) is not False for e in equations if key in e.keys)
        ):
            solutions[key] = candidate
    if len(solutions) == 1:
        key, value = solutions.popitem()
        fields[key].suggested = int(value) if float(value).is_integer() else value
        fields[key].flag("the table arithmetic pins this cell down as the wrong one")


def _suggest_doubtful(
    equations: list[Equation], values: dict[str, Any], fields: dict[str, FieldValue]
) -> None:
    """An equation that fails or cannot be evaluated, with exactly one doubtful reading in it (OCR unsure,
    a smudged cell read as nothing): the arithmetic gives that cell's value, suggested when it then
    satisfies every equation the cell is in. The field stays in review; the reviewer confirms it."""
    for eq in equations:
        doubtful = [
            k
            for k in eq.keys
            if k in fields and (fields[k].confidence < REVIEW_THRESHOLD or fields[k].value is None)
        ]
        if len(doubtful) != 1 or holds(eq, values) is True:
            continue
        key = doubtful[0]
        candidate = _solve(eq, key, values)
        if candidate is None or candidate < 0 or fields[key].suggested is not None:
            continue
        trial = {**values, key: candidate}
        if all(holds(e, trial) is not False for e in equations if key in e.keys):
            value = int(candidate) if float(candidate).is_integer() else candidate
            fields[key].suggested = value
            fields[key].flag(f"the table arithmetic gives {value} for this doubtful reading")


def _solve(eq: Equation, key: str, values: dict[str, Any]) -> float | None:
    others = {**values, key: 0}
    left, right = _sum(eq.lhs, others), _sum(eq.rhs, others)
    if left is None or right is None:
        return None
    return right - left if key in eq.lhs else left - right


def continuity_check(this_year: dict[str, Any], last_year: dict[str, Any]) -> list[CheckResult]:
    """year.continuity: this year's carried_over equals last year's carried_forward, per column.
    Run by the service when both years of one agency are stored."""
    out = []
    for col in T3_COLUMNS:
        now, before = this_year.get(f"t3.carried_over.{col}"), last_year.get(f"t3.carried_forward.{col}")
        if now is None or before is None:
            continue
        ok = now == before
        out.append(
            CheckResult(
                "year.continuity",
                col,
                ok,
                [f"t3.carried_over.{col}"],
                "" if ok else f"last year carried forward {before}, this year carried over {now}",
            )
        )
    return out
