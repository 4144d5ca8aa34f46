"""ingest/rules.py on its own: the table arithmetic over a clean 2021 reading and one damaged cell."""

from __future__ import annotations

import os

from ingest.record import FieldValue
from ingest.rules import continuity_check, holds, run_rules, table_equations
from ingest.templates import load_template
from synth.truth import generate_truth


def _fields(values: dict[str, object]) -> dict[str, FieldValue]:
    return {k: FieldValue(value=v, confidence=0.99, status="ok") for k, v in values.items()}


def _clean_2021() -> dict[str, object]:
    truth = generate_truth(7, "2021", inconsistent=False)
    return dict(truth["fields"])


def test_a_consistent_table_passes_every_rule_it_can_run() -> None:
    fields = _fields(_clean_2021())
    results = run_rules(fields, "2021")
    assert results and all(r.ok for r in results)
    assert {r.rule for r in results} >= {"t3.row_sum", "t3.balance", "t4.sum", "t2.in_force"}
    assert all(f.status == "ok" for f in fields.values())


def test_one_wrong_cell_fails_its_rules_flags_them_and_is_pinned_down() -> None:
    values = _clean_2021()
    key = "t3.granted.natural"
    right = values[key]
    values[key] = int(right) + 5  # type: ignore[call-overload]
    fields = _fields(values)
    failed = [r for r in run_rules(fields, "2021") if not r.ok]
    assert {r.rule for r in failed} >= {"t3.row_sum", "t3.outcomes"}
    assert fields[key].status == "review"
    assert fields[key].suggested == right  # two equations agree on the value the cell should hold


def test_a_rule_missing_a_value_is_not_run() -> None:
    values = _clean_2021()
    values["t3.granted.natural"] = None
    equations = [e for e in table_equations(set(values)) if "t3.granted.natural" in e.keys]
    assert equations and all(holds(e, values) is None for e in equations)


def test_the_2021_in_force_rule_comes_from_the_template_data() -> None:
    assert "t2" in {r.table for r in load_template("2021").rows}
    values = _clean_2021()
    assert any(r.rule == "t2.in_force" for r in run_rules(_fields(values), "2021"))
    assert not any(r.rule == "t2.in_force" for r in run_rules(_fields(values), "2019"))


def test_continuity_compares_carried_over_with_last_years_carried_forward() -> None:
    last = {"t3.carried_forward.natural": 4, "t3.carried_forward.total": 6}
    this = {"t3.carried_over.natural": 4, "t3.carried_over.total": 7}
    results = {r.scope: r.ok for r in continuity_check(this, last)}
    assert results == {"natural": True, "total": False}


def test_equations_list_their_keys_in_the_same_order_in_every_process() -> None:
    """A set's order changes with the process's hash seed; a stored record's checks must not."""
    import subprocess
    import sys

    script = (
        "from ingest.rules import table_equations;"
        "from ingest.templates import all_fields;"
        "keys = {k for k in all_fields() if k.startswith(('t3.', 't4.'))};"
        "print([e.keys for e in table_equations(keys)])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
