"""The five real seeds: every expected value right, every must_flag key in review, no wrong value `ok`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.pipeline import extract

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SEED_NAMES = sorted(p.name.removesuffix(".expected.json") for p in SEEDS.glob("*.expected.json"))


def _truth(expected: dict) -> dict:
    return {
        **{f"meta.{k}": v for k, v in expected["meta"].items()},
        **expected["fields"],
        **expected["narrative"],
    }


def _got(record: dict) -> dict:
    return {**{f"meta.{k}": v for k, v in record["meta"].items()}, **record["fields"]}


def _equal(got: object, want: object) -> bool:
    if isinstance(want, float) and got is not None:
        return abs(float(got) - want) < 0.005
    return got == want


@pytest.fixture(scope="module", params=SEED_NAMES)
def seed(request: pytest.FixtureRequest) -> tuple[dict, dict]:
    expected = json.loads((SEEDS / f"{request.param}.expected.json").read_text(encoding="utf-8"))
    return expected, extract(SEEDS / f"{request.param}.txt").to_json()


def test_every_expected_value_is_right(seed: tuple[dict, dict]) -> None:
    expected, record = seed
    got = _got(record)
    wrong = {
        k: (v, got.get(k, {}).get("value"))
        for k, v in _truth(expected).items()
        if not _equal(got.get(k, {}).get("value"), v)
    }
    assert record["error"] is None
    assert wrong == {}


def test_no_wrong_value_is_ok(seed: tuple[dict, dict]) -> None:
    expected, record = seed
    got = _got(record)
    silent = [
        k for k, v in _truth(expected).items() if got[k]["status"] == "ok" and not _equal(got[k]["value"], v)
    ]
    assert silent == []


def test_every_must_flag_key_is_in_review(seed: tuple[dict, dict]) -> None:
    expected, record = seed
    unflagged = [k for k in expected["must_flag"] if record["fields"][k]["status"] != "review"]
    assert unflagged == []


def test_record_shape(seed: tuple[dict, dict]) -> None:
    _, record = seed
    assert set(record) == {"source", "meta", "fields", "checks", "error"}
    assert set(record["meta"]) == {"agency", "year", "template", "published_date"}
    assert len(record["source"]["sha256"]) == 64 and record["source"]["format"] == "text"
    for field in [*record["meta"].values(), *record["fields"].values()]:
        assert {"value", "confidence", "status", "raw", "page", "bbox", "method", "reasons"} <= set(field)
        assert field["status"] in ("ok", "review") and 0 <= field["confidence"] <= 1


def test_document_inconsistency_is_transcribed_and_flagged_not_fixed() -> None:
    record = extract(SEEDS / "001_430d632e98a31d18.txt").to_json()
    row = record["fields"]["t3.new_received.total"]
    assert row["value"] == 1 and row["status"] == "review"
    assert any("t3.row_sum" in r for r in row["reasons"])
    failed = {(c["rule"], c["scope"]) for c in record["checks"] if not c["ok"]}
    assert failed == {
        ("t3.row_sum", "new_received"),
        ("t3.row_sum", "unable_not_held"),
        ("t3.row_sum", "total"),
    }
    # Three rows break, no column does: no single cell is pinned down, so nothing is suggested.
    assert not any("suggested" in f for f in record["fields"].values())


def test_lost_sub_row_labels_are_placed_by_anchored_position() -> None:
    fields = extract(SEEDS / "003_095ca55cda99f324.txt").to_json()["fields"]
    law = fields["t3.denied_law.natural"]
    assert law["value"] == 0 and law["status"] == "ok" and law["method"].endswith(":position")
    assert any("placed by position" in r for r in law["reasons"])


def test_stray_t4_column_is_dropped_only_because_every_alignment_agrees() -> None:
    fields = extract(SEEDS / "004_7f910401a638a500.txt").to_json()["fields"]
    cell = fields["t4.suit_after_review.total"]
    assert cell["value"] == 0 and cell["status"] == "ok"
    assert any("every alignment gives the same values" in r for r in cell["reasons"])


def test_traditional_script_meta_is_simplified_and_web_date_used() -> None:
    meta = extract(SEEDS / "001_430d632e98a31d18.txt").to_json()["meta"]
    assert meta["agency"]["value"] == "张掖市审计局"
    assert meta["published_date"]["value"] == "2021-02-02" and meta["published_date"]["method"] == "page-meta"


def _variant(tmp_path: Path, *edits: tuple[str, str]) -> dict:
    text = (SEEDS / "000_35b29aa8985b6c6f.txt").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "variant.txt"
    path.write_text(text, encoding="utf-8")
    return extract(path).to_json()


def test_a_single_misread_cell_is_pinned_down_and_suggested(tmp_path: Path) -> None:
    # 予以公开 natural 4 → 7 breaks its row sum and the natural column of both column rules.
    record = _variant(tmp_path, ("\t（一）予以公开\n\t4", "\t（一）予以公开\n\t7"))
    cell = record["fields"]["t3.granted.natural"]
    assert cell["value"] == 7 and cell["status"] == "review" and cell["suggested"] == 4
    assert sum("suggested" in f for f in record["fields"].values()) == 1


def test_a_blank_cell_is_not_silently_zero(tmp_path: Path) -> None:
    record = _variant(tmp_path, ("\t规章\n\t0", "\t规章\n\t "))
    cell = record["fields"]["t2.regulations.made"]
    assert cell["value"] is None and cell["status"] == "review"
    assert any("blank" in r for r in cell["reasons"])


def test_money_in_yuan_is_converted_to_wan(tmp_path: Path) -> None:
    record = _variant(tmp_path, ("41.13万", "412,300元"))
    cell = record["fields"]["t2.procurement.amount"]
    assert cell["value"] == pytest.approx(41.23) and cell["raw"] == "412,300元"


def test_prose_figure_that_disagrees_with_the_table_is_flagged(tmp_path: Path) -> None:
    record = _variant(
        tmp_path,
        ("全年共收到政府信息公开申请4件", "全年共收到政府信息公开申请6件"),
        ("依申请公开信息4条", "依申请公开信息6条"),
    )
    fields = record["fields"]
    assert fields["n.requests_received"]["status"] == "review"
    assert fields["t3.new_received.total"]["status"] == "review"
    assert any(c["rule"] == "n.vs_table" and not c["ok"] for c in record["checks"])


def test_prose_that_contradicts_itself_is_flagged(tmp_path: Path) -> None:
    record = _variant(tmp_path, ("全年共收到政府信息公开申请4件", "全年共收到政府信息公开申请6件"))
    field = record["fields"]["n.requests_received"]
    assert field["status"] == "review" and any("different figures" in r for r in field["reasons"])
