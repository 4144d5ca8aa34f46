"""A small, independent checker of the spec's rules (勾稽关系) over a truth's fields.

The generator uses it to compute `must_flag` (every key of every failed rule) for documents that carry a
deliberate source inconsistency. It is kept separate from the production rules on purpose: the fixtures
must not agree with the extractor merely because both share one implementation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from synth.layout import T3_APPLICANTS, T3_COLUMNS, T4_COLUMNS, T4_GROUPS, t3_outcome_rows, t3_rows


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    rule: str
    scope: str
    ok: bool
    keys: tuple[str, ...]


def _num(fields: dict[str, Any], key: str) -> float:
    value = fields.get(key)
    return float(value) if isinstance(value, int | float) else 0.0


def _t3_checks(fields: dict[str, Any], template: str) -> list[RuleOutcome]:
    out: list[RuleOutcome] = []
    outcomes = t3_outcome_rows(template)
    for col in T3_COLUMNS:
        balance = ("new_received", "carried_over", "total", "carried_forward")
        keys = tuple(f"t3.{r}.{col}" for r in balance)
        lhs = _num(fields, keys[0]) + _num(fields, keys[1])
        rhs = _num(fields, keys[2]) + _num(fields, keys[3])
        out.append(RuleOutcome("t3.balance", col, lhs == rhs, keys))
        okeys = tuple(f"t3.{r}.{col}" for r in outcomes)
        total = _num(fields, f"t3.total.{col}")
        out.append(
            RuleOutcome(
                "t3.outcomes", col, total == sum(_num(fields, k) for k in okeys), (f"t3.total.{col}", *okeys)
            )
        )
    for row in t3_rows(template):
        keys = tuple(f"t3.{row}.{c}" for c in T3_COLUMNS)
        parts = sum(_num(fields, f"t3.{row}.{c}") for c in T3_APPLICANTS)
        out.append(RuleOutcome("t3.row_sum", row, parts == _num(fields, f"t3.{row}.total"), keys))
    return out


def _t4_checks(fields: dict[str, Any]) -> list[RuleOutcome]:
    out: list[RuleOutcome] = []
    for group in T4_GROUPS:
        keys = tuple(f"t4.{group}.{c}" for c in T4_COLUMNS)
        parts = sum(_num(fields, k) for k in keys[:-1])
        out.append(RuleOutcome("t4.sum", group, parts == _num(fields, keys[-1]), keys))
    return out


def _t2_checks(fields: dict[str, Any], template: str) -> list[RuleOutcome]:
    if template != "2021":
        return []
    out: list[RuleOutcome] = []
    for item in ("regulations", "normative"):
        keys = tuple(f"t2.{item}.{c}" for c in ("made", "repealed", "in_force"))
        out.append(RuleOutcome("t2.in_force", item, all(_num(fields, k) >= 0 for k in keys), keys))
    return out


def _narrative_checks(fields: dict[str, Any], narrative: dict[str, Any]) -> list[RuleOutcome]:
    pairs = {
        "n.requests_received": ("t3.new_received.total",),
        "n.reviews": ("t4.review.total",),
        "n.lawsuits": ("t4.suit_direct.total", "t4.suit_after_review.total"),
    }
    out: list[RuleOutcome] = []
    for nkey, table_keys in pairs.items():
        stated = narrative.get(nkey)
        if stated is None or any(k not in fields for k in table_keys):
            continue
        table = sum(_num(fields, k) for k in table_keys)
        out.append(RuleOutcome("n.vs_table", nkey, float(stated) == table, (nkey, *table_keys)))
    return out


def check_truth(fields: dict[str, Any], template: str, narrative: dict[str, Any]) -> list[RuleOutcome]:
    """Every rule instance of the spec that applies to one report (year.continuity needs two reports)."""
    if template not in ("2019", "2021"):
        return []
    return [
        *_t2_checks(fields, template),
        *_t3_checks(fields, template),
        *_t4_checks(fields),
        *_narrative_checks(fields, narrative),
    ]


def failed_keys(fields: dict[str, Any], template: str, narrative: dict[str, Any]) -> list[str]:
    """Sorted keys taking part in at least one failed rule: what a correct extractor must flag."""
    keys = {k for c in check_truth(fields, template, narrative) if not c.ok for k in c.keys}
    return sorted(keys)
