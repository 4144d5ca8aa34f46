"""The trust step (ingest/trust.py): `ok` only on positive evidence, structural faults spread, honest meta."""

from __future__ import annotations

import json
from pathlib import Path

from ingest.meta import TextLine, find_year
from ingest.pipeline import extract
from ingest.prose import prose_figures
from ingest.trust import rule_doubts

REAL = Path(__file__).parent / "fixtures" / "real"
SEEDS = Path(__file__).parent / "fixtures" / "seeds"
COLUMNS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")


def _t3(rows: dict[str, list[int | None]]) -> dict[str, int | None]:
    return {f"t3.{row}.{c}": v for row, values in rows.items() for c, v in zip(COLUMNS, values, strict=True)}


BALANCED: dict[str, list[int | None]] = {
    "new_received": [3, 1, 0, 0, 0, 0, 4],
    "carried_over": [1, 0, 0, 0, 0, 0, 1],
    "granted": [2, 1, 0, 0, 0, 0, 3],
    "partial": [1, 0, 0, 0, 0, 0, 1],
    "total": [3, 1, 0, 0, 0, 0, 4],
    "carried_forward": [1, 0, 0, 0, 0, 0, 1],
}


def test_a_consistent_table_is_confirmed_everywhere() -> None:
    assert rule_doubts(_t3(BALANCED)) == {}


def test_a_rule_that_cannot_run_confirms_nothing() -> None:
    """carried_forward lost: the balance cannot run, so new_received and carried_over (covered by no other
    column rule) lose their confirmation; the outcome rows keep theirs."""
    values = _t3({**BALANCED, "carried_forward": [None] * 7})
    doubts = rule_doubts(values)
    assert {k for k in doubts if k.startswith(("t3.new_received", "t3.carried_over"))} == {
        f"t3.{r}.{c}" for r in ("new_received", "carried_over") for c in COLUMNS
    }
    assert not any(k.startswith(("t3.granted", "t3.partial")) for k in doubts)


def test_a_failed_column_rule_flags_its_whole_column() -> None:
    """The cell that breaks a column may have been read into any row of it."""
    values = _t3({**BALANCED, "granted": [2, 1, 0, 0, 0, 1, 4], "partial": [1, 0, 0, 0, 0, 0, 1]})
    doubts = rule_doubts(values)
    assert {k for k in doubts if k.endswith(".other_org")} == {f"t3.{r}.other_org" for r in BALANCED}


def test_an_agreed_suggestion_confirms_the_rest_of_its_row_and_column() -> None:
    values = _t3({**BALANCED, "carried_forward": [1, 0, 0, 0, 0, 0, None]})
    assert "t3.carried_forward.natural" in rule_doubts(values)
    assert rule_doubts(values, {"t3.carried_forward.total": 1}) == {}
    # A suggestion only its own row agrees with confirms nothing.
    assert "t3.carried_forward.natural" in rule_doubts(values, {"t3.carried_forward.total": 5})


def test_the_2019_single_row_in_a_2021_table_is_not_spread_over_the_sub_rows() -> None:
    record = extract(REAL / "hzq2023_working.pdf").to_json()
    fields = record["fields"]
    subrows = [
        k for k in fields if k.startswith(("t3.other_no_correction", "t3.other_unpaid_fee", "t3.other_misc"))
    ]
    assert len(subrows) == 21
    assert all(fields[k]["value"] is None and fields[k]["status"] == "review" for k in subrows)
    assert fields["t3.other.total"]["value"] == 0
    outcomes = [c for c in record["checks"] if c["rule"] == "t3.outcomes"]
    assert len(outcomes) == 7 and all(c["ok"] for c in outcomes)
    assert "t3.other.natural" in outcomes[0]["keys"]


def test_a_blank_form_gives_no_ok_field() -> None:
    record = extract(REAL / "blank-template-2021.docx").to_json()
    if record["error"] is not None:
        assert record["error"]["code"] == "not_a_report"
        return
    ok = [k for k, f in [*record["meta"].items(), *record["fields"].items()] if f["status"] == "ok"]
    assert ok == []
    assert record["meta"]["template"]["value"] == "2021"


def test_tables_named_but_unreadable_keep_their_template_in_review(tmp_path: Path) -> None:
    """A report that speaks of the national tables but whose rows cannot be read is not `narrative`."""
    text = (SEEDS / "004_7f910401a638a500.txt").read_text(encoding="utf-8")
    garbled = "".join("#" if ch.isdigit() else ch for ch in text.split("二、", 1)[1])
    path = tmp_path / "report.txt"
    path.write_text(text.split("二、", 1)[0] + "二、" + garbled, encoding="utf-8")
    record = extract(path).to_json()
    template = record["meta"]["template"]
    assert template["value"] in ("2019", "2021") and template["status"] == "review"
    table = {k: f for k, f in record["fields"].items() if k.startswith(("t2.", "t3.", "t4."))}
    assert table and all(f["status"] == "review" for f in table.values())
    assert all(f["status"] == "review" for k, f in record["fields"].items() if k.startswith("n."))


def test_seed_001_flags_its_inconsistent_rows_and_nothing_else() -> None:
    expected = json.loads((SEEDS / "001_430d632e98a31d18.expected.json").read_text(encoding="utf-8"))
    record = extract(SEEDS / "001_430d632e98a31d18.txt").to_json()
    review = {k for k, f in record["fields"].items() if f["status"] == "review"}
    assert review == set(expected["must_flag"])


def _line(text: str, by_ocr: bool) -> TextLine:
    return TextLine(text, text, 1, (0, 0, 1, 1), by_ocr)


def test_an_implausible_or_unconfirmed_ocr_year_is_not_ok() -> None:
    """楷体's 0 read as 9: 2922 is no report year; a year OCR read once needs a second mention."""
    title = _line("某某县林业局2922年政府信息公开工作年度报告", True)
    assert find_year([title], title).status != "ok"
    title = _line("某某县林业局2022年政府信息公开工作年度报告", True)
    year = find_year([title], title)
    year.settle_status()
    assert (year.value, year.status) == (2022, "review")
    period = _line("本报告中所列数据统计期限自2022年1月1日起至2022年12月31日止。", True)
    year = find_year([title, period], title)
    year.settle_status()
    assert (year.value, year.status) == (2022, "ok")


def test_no_prose_figure_found_by_ocr_is_not_an_answer() -> None:
    """OCR can lose the line that states the figure: its absence is `review`, not a confident null."""
    lines = [_line("2023年，我们的政府信息公开工作取得了一定成效。", by_ocr) for by_ocr in (True,)]
    figures = prose_figures(lines)
    for f in figures.values():
        f.settle_status()
    assert all(f.value is None and f.status == "review" for f in figures.values())
    native = prose_figures([_line("2023年，我们的政府信息公开工作取得了一定成效。", False)])
    for f in native.values():
        f.settle_status()
    assert all(f.status == "ok" for f in native.values())


def test_ocr_proven_wrong_by_the_tables_is_not_trusted_where_nothing_checks_it() -> None:
    """A failed t3 rule over OCR'd cells shows OCR misreading what it was sure of: t2, which no rule checks,
    goes to review; the same t2 read from a text layer stays `ok`."""
    from ingest.record import CheckResult, FieldValue, Record
    from ingest.trust import settle

    def record(method: str) -> Record:
        r = Record(path="x", sha256="")
        r.fields = {
            "t2.regulations.made": FieldValue(8, 0.98, method=method),
            "t3.granted.natural": FieldValue(8, 0.98, method=method),
            "t3.granted.total": FieldValue(0, 0.98, method=method),
        }
        r.checks = [CheckResult("t3.row_sum", "granted", False, ["t3.granted.total", "t3.granted.natural"])]
        return r

    scanned, native = record("ocr-digits:label"), record("pdf-text:label")
    settle(scanned, None, {})
    settle(native, None, {})
    assert scanned.fields["t2.regulations.made"].status == "review"
    assert native.fields["t2.regulations.made"].status == "ok"


def test_suggestions_in_one_column_are_agreed_together() -> None:
    """Two unreadable cells of one column, each pinned by its row sum: the column rule holds only with
    both in, so they confirm each other's column; the cells themselves stay in review (no value)."""
    rows = {**BALANCED, "granted": [2, 1, 0, 0, 0, None, 3], "partial": [1, 0, 0, 0, 0, None, 1]}
    values = _t3(rows)
    alone = rule_doubts(values)
    assert {"t3.granted.natural", "t3.partial.natural"} <= set(alone)
    both = {"t3.granted.other_org": 0, "t3.partial.other_org": 0}
    assert rule_doubts(values, both) == {}
    # One of them wrong (its row sum alone cannot see it): the column fails with both in, nothing agreed.
    wrong = {"t3.granted.other_org": 0, "t3.partial.other_org": 2}
    assert {"t3.granted.natural", "t3.partial.natural"} <= set(rule_doubts(values, wrong))


def test_a_printed_row_sum_error_over_confirmed_cells_shows_no_ocr_misread() -> None:
    """A row sum the report itself got wrong (seed 630002: 11+1+0+1+0+12 printed as 24), every cell of it
    in a passing column rule: one misread cell would break its column too, so t2 keeps its trust. If a
    cell of the failed row is in no passing rule, the failure may be a misread, and t2 goes to review."""
    from ingest.record import CheckResult, FieldValue, Record
    from ingest.trust import settle

    row = ["t3.granted.natural", "t3.granted.total"]

    def record(column_ok: bool) -> Record:
        r = Record(path="x", sha256="")
        r.fields = {k: FieldValue(8, 0.98, method="ocr-digits:label") for k in ["t2.regulations.made", *row]}
        r.checks = [
            CheckResult("t3.row_sum", "granted", False, row),
            CheckResult("t3.outcomes", "natural", True, ["t3.granted.natural", "t3.total.natural"]),
            CheckResult("t3.outcomes", "total", column_ok, ["t3.granted.total", "t3.total.total"]),
        ]
        return r

    printed, misread = record(True), record(False)
    settle(printed, None, {})
    settle(misread, None, {})
    assert printed.fields["t2.regulations.made"].status == "ok"
    assert misread.fields["t2.regulations.made"].status == "review"


def test_an_unsettled_digit_both_its_equations_confirm_is_ok() -> None:
    """A t3 cell whose digit vote did not settle (0.72) is `ok` when its row sum and its column rule both
    hold on the values as read; not when its column rule cannot run, nor when anything else doubts it."""
    from ingest.record import FieldValue, Record
    from ingest.trust import settle

    def record(values: dict[str, int | None], reason: str | None = None) -> Record:
        r = Record(path="x", sha256="")
        r.fields = {k: FieldValue(v, 0.97, method="ocr-digits:label") for k, v in values.items()}
        doubtful = r.fields["t3.granted.natural"]
        doubtful.confidence, doubtful.method = 0.72, "ocr-digits+vote:label"
        if reason:
            doubtful.reasons.append(reason)
        return r

    confirmed = record(_t3(BALANCED))
    settle(confirmed, None, {})
    assert confirmed.fields["t3.granted.natural"].status == "ok"
    unchecked = record(_t3({**BALANCED, "total": [3, 1, 0, 0, 0, 0, None]}))  # outcomes (natural) holds,
    settle(unchecked, None, {})  # but the total row's sum cannot run: total.natural loses its row sum
    assert unchecked.fields["t3.granted.natural"].status == "ok"
    assert unchecked.fields["t3.total.natural"].status == "review"
    no_column = record(_t3({**BALANCED, "partial": [None, 0, 0, 0, 0, 0, 1]}))
    settle(no_column, None, {})
    assert no_column.fields["t3.granted.natural"].status == "review"
    doubted = record(_t3(BALANCED), "a neighbouring row shows a structural fault (cells missing)")
    settle(doubted, None, {})
    assert doubted.fields["t3.granted.natural"].status == "review"
