"""Scoring as the spec defines it: correct, silent error, needless review, must_flag."""

from __future__ import annotations

import copy
from typing import Any

from synth import generate_truth
from synth.scoring import aggregate, expected_items, format_table, score, values_equal


def record_for(expected: dict[str, Any], status: str = "ok") -> dict[str, Any]:
    """A record that reads every expected value right, in the JSON shape of `Record.to_json`."""

    def field(value: Any) -> dict[str, Any]:
        return {"value": value, "confidence": 0.99, "status": status, "raw": str(value), "method": "test"}

    return {
        "source": {"path": expected["file"], "sha256": "", "format": "txt", "pages": 1},
        "meta": {k: field(v) for k, v in expected["meta"].items()},
        "fields": {k: field(v) for k, v in {**expected["fields"], **expected["narrative"]}.items()},
        "checks": [],
        "error": None,
    }


def test_a_perfect_record_scores_perfect() -> None:
    expected = generate_truth(1, "2019", inconsistent=False)
    result = score(record_for(expected), expected)
    assert result.perfect and result.keys == 4 + 198 + 4 and result.accuracy == 1.0
    assert result.review_load == 0.0


def test_wrong_and_ok_is_a_silent_error_wrong_and_review_is_not() -> None:
    expected = generate_truth(2, "2021", inconsistent=False)
    record = record_for(expected)
    record["fields"]["t3.granted.natural"]["value"] += 1
    record["fields"]["t4.review.total"] = {"value": 99, "status": "review"}
    result = score(record, expected)
    assert [m.key for m in result.silent] == ["t3.granted.natural"]
    assert {m.key for m in result.wrong} == {"t3.granted.natural", "t4.review.total"}
    assert "expected" in result.describe() and not result.perfect


def test_missing_field_is_wrong_but_not_silent() -> None:
    expected = generate_truth(3, "2019")
    record = record_for(expected)
    del record["fields"]["t2.procurement.amount"]
    del record["meta"]["agency"]
    result = score(record, expected)
    assert {m.key for m in result.wrong} == {"t2.procurement.amount", "meta.agency"}
    assert result.silent == []


def test_review_load_counts_only_right_fields_outside_failed_rules() -> None:
    expected = generate_truth(4, "2019", inconsistent=False)
    record = record_for(expected)
    for key in ("t3.granted.natural", "t3.granted.total", "t2.license.prev"):
        record["fields"][key]["status"] = "review"
    record["checks"] = [
        {
            "rule": "t3.row_sum",
            "scope": "granted",
            "ok": False,
            "keys": [f"t3.granted.{c}" for c in ("natural", "total")],
        }
    ]
    result = score(record, expected)
    assert result.needless_review == ["t2.license.prev"]
    assert abs(result.review_load - 1 / result.keys) < 1e-12
    # The shared scorer counts a right key in a failed rule as needless review too.
    assert set(result.scorer_needless) == {"t3.granted.natural", "t3.granted.total", "t2.license.prev"}


def test_scorer_review_load_leaves_out_nulls_the_document_does_not_give() -> None:
    expected = generate_truth(4, "2019", inconsistent=False)
    expected["fields"]["t2.fees.amount"] = None
    record = record_for(expected)
    record["fields"]["t2.fees.amount"] = {"value": None, "status": "review"}
    record["fields"]["t2.license.prev"]["status"] = "review"
    result = score(record, expected)
    assert set(result.needless_review) == {"t2.fees.amount", "t2.license.prev"}
    assert result.scorer_needless == ["t2.license.prev"]
    given = sum(v is not None for v in expected_items(expected).values())
    assert result.scorer_base == given < result.keys
    assert abs(aggregate([result])["scorer_review_load"] - 1 / given) < 1e-12


def test_every_must_flag_key_must_be_review() -> None:
    expected = generate_truth(5, "2019", inconsistent=True)
    assert expected["must_flag"]
    record = record_for(expected)
    assert {m.key for m in score(record, expected).must_flag_missed} == set(expected["must_flag"])
    for key in expected["must_flag"]:
        record["fields"][key]["status"] = "review"
    result = score(record, expected)
    assert result.must_flag_missed == [] and result.needless_review == [] and result.perfect


def test_money_tolerance_and_types() -> None:
    assert values_equal(41.13, 41.134) and not values_equal(41.13, 41.136)
    assert values_equal(0, 0.0) and values_equal(None, None)
    assert not values_equal(1, None) and not values_equal(2020, "2020") and not values_equal(3, 4)
    assert values_equal("2021-01-27", "2021-01-27")


def test_aggregate_and_table() -> None:
    a = generate_truth(6, "2019", inconsistent=False)
    b = generate_truth(7, "2021", inconsistent=False)
    bad = copy.deepcopy(record_for(b))
    bad["fields"]["t2.fees.amount"]["value"] = 123.0
    bad["fields"]["t2.fees.amount"]["status"] = "ok"
    totals = aggregate([score(record_for(a), a), score(bad, b)])
    assert totals["documents"] == 2 and totals["perfect_documents"] == 1 and totals["silent_errors"] == 1
    assert totals["correct"] == totals["keys"] - 1
    table = format_table([{"format": "txt", **totals}], ["format", "documents", "accuracy", "silent_errors"])
    lines = table.splitlines()
    assert lines[0].split() == ["format", "documents", "accuracy", "silent_errors"]
    assert lines[2].split() == ["txt", "2", f"{100 * totals['accuracy']:.2f}%", "1"]
