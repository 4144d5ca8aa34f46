"""Score an extracted record against a hand-checked (or generated) truth, as the spec defines it.

For each expected key (meta.*, the template's fields, the narrative n.*):
- correct: the value equals the truth (money within 0.005);
- silent error: wrong and status `ok` — the one outcome that must never happen;
- needless review: status `review` although right and in no failed rule (the review load);
and every `must_flag` key must be `review`.

The held-out sets are scored by the shared scorer (score.py), which counts review differently, so both are
kept: `review_load` (ours: over every key; a null the document does not give, reported null/`review` by
design, counts as needless; a key in a failed rule does not) and `scorer_review_load` (score.py's: over the
keys whose truth is not null; right, `review`, not must_flag — a key in a failed rule counts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

MONEY_TOLERANCE = 0.005


@dataclass(frozen=True, slots=True)
class Miss:
    key: str
    expected: Any
    got: Any
    status: str

    def __str__(self) -> str:
        return f"{self.key}: expected {self.expected!r}, got {self.got!r} ({self.status})"


@dataclass(slots=True)
class Score:
    name: str
    keys: int = 0
    correct: int = 0
    wrong: list[Miss] = field(default_factory=list)  # every incorrect key, silent or flagged
    silent: list[Miss] = field(default_factory=list)
    needless_review: list[str] = field(default_factory=list)
    scorer_base: int = 0  # keys whose truth is not null: the shared scorer's review denominator
    scorer_needless: list[str] = field(default_factory=list)
    must_flag_missed: list[Miss] = field(default_factory=list)
    error: dict[str, Any] | None = None

    @property
    def accuracy(self) -> float:
        return self.correct / self.keys if self.keys else 1.0

    @property
    def review_load(self) -> float:
        return len(self.needless_review) / self.keys if self.keys else 0.0

    @property
    def perfect(self) -> bool:
        return not (self.wrong or self.silent or self.must_flag_missed or self.error)

    def describe(self, limit: int = 12) -> str:
        """A readable account of what went wrong, for test failures and bench logs."""
        lines = [
            f"{self.name}: {self.correct}/{self.keys} right, {len(self.silent)} silent, "
            f"{len(self.needless_review)} needless review, {len(self.must_flag_missed)} must_flag missed"
        ]
        if self.error:
            lines.append(f"  error: {self.error}")
        for title, items in (
            ("silent", self.silent),
            ("wrong (flagged)", [m for m in self.wrong if m not in self.silent]),
            ("must_flag not flagged", self.must_flag_missed),
        ):
            lines += [f"  {title}: {m}" for m in items[:limit]]
            if len(items) > limit:
                lines.append(f"  … {len(items) - limit} more {title}")
        if self.needless_review:
            lines.append(f"  needless review: {', '.join(self.needless_review[:limit])}")
        return "\n".join(lines)


def values_equal(expected: Any, got: Any) -> bool:
    """Exact for ints, strings and dates; money (any float on either side) within 0.005."""
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected == got
    if isinstance(expected, int | float) and isinstance(got, int | float):
        if isinstance(expected, float) or isinstance(got, float):
            return abs(float(expected) - float(got)) <= MONEY_TOLERANCE
        return expected == got
    return bool(expected == got)


def expected_items(expected: dict[str, Any]) -> dict[str, Any]:
    """Every scored key of a truth with its value: meta.*, fields, n.*."""
    items = {f"meta.{k}": v for k, v in expected.get("meta", {}).items()}
    items.update(expected.get("fields", {}))
    items.update(expected.get("narrative", {}))
    return items


def _record_field(record: dict[str, Any], key: str) -> dict[str, Any]:
    if key.startswith("meta."):
        found = (record.get("meta") or {}).get(key.removeprefix("meta."))
    else:
        found = (record.get("fields") or {}).get(key)
    return found if isinstance(found, dict) else {"value": None, "status": "missing"}


def failed_rule_keys(record: dict[str, Any]) -> set[str]:
    """Keys the record's own checks put in a failed rule: their review is not needless."""
    return {
        k for check in record.get("checks") or [] if not check.get("ok", True) for k in check.get("keys", [])
    }


def score(record_json: dict[str, Any], expected: dict[str, Any], name: str | None = None) -> Score:
    result = Score(name=name or str(expected.get("file", "")), error=record_json.get("error"))
    in_failed_rule = failed_rule_keys(record_json)
    must_flag = set(expected.get("must_flag") or [])
    for key, truth in expected_items(expected).items():
        got = _record_field(record_json, key)
        value, status = got.get("value"), got.get("status", "missing")
        right = values_equal(truth, value)
        result.keys += 1
        result.scorer_base += truth is not None
        miss = Miss(key, truth, value, status)
        if right:
            result.correct += 1
            if status != "ok" and key not in in_failed_rule and key not in must_flag:
                result.needless_review.append(key)
            if status != "ok" and truth is not None and key not in must_flag:
                result.scorer_needless.append(key)
        else:
            result.wrong.append(miss)
            if status == "ok":
                result.silent.append(miss)
        if key in must_flag and status != "review":
            result.must_flag_missed.append(miss)
    return result


def aggregate(scores: Iterable[Score]) -> dict[str, Any]:
    scores = list(scores)
    keys = sum(s.keys for s in scores)
    correct = sum(s.correct for s in scores)
    needless = sum(len(s.needless_review) for s in scores)
    scorer_base = sum(s.scorer_base for s in scores)
    scorer_needless = sum(len(s.scorer_needless) for s in scores)
    return {
        "documents": len(scores),
        "perfect_documents": sum(1 for s in scores if s.perfect),
        "keys": keys,
        "correct": correct,
        "accuracy": correct / keys if keys else 1.0,
        "silent_errors": sum(len(s.silent) for s in scores),
        "review_load": needless / keys if keys else 0.0,
        "scorer_review_load": scorer_needless / scorer_base if scorer_base else 0.0,
        "must_flag_missed": sum(len(s.must_flag_missed) for s in scores),
        "errors": sum(1 for s in scores if s.error),
    }


def format_table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """A plain aligned text table (floats to 3 significant places, shares as percentages)."""
    if not rows:
        return "(no rows)"
    columns = list(columns or rows[0].keys())
    cells = [[_fmt(col, row.get(col)) for col in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.rjust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join([line, rule, *body])


def _fmt(column: str, value: Any) -> str:
    if isinstance(value, float):
        if column in ("accuracy", "review_load") or column.endswith("%"):
            return f"{value * 100:.2f}%"
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return "" if value is None else str(value)
