"""`python -m bench layouts`: documents grouped under every knob value they carry, scored with the project's
scorer; silent errors listed with their document's knobs."""

from __future__ import annotations

from pathlib import Path

from bench.layouts import Scored, faults_of, page_error_list, per_value, silent_list
from synth.scoring import score


def _doc(name: str, layout: dict[str, str], got: int, status: str = "ok") -> Scored:
    expected = {
        "meta": {"agency": "聊城市审计局", "template": "2021"},
        "fields": {"t4.review.total": 2},
        "narrative": {},
        "must_flag": [],
        "layout": layout,
        "notes": "Rendered as pdf, simplified script; faults: lost_header, page_split; layout: …",
    }
    record = {
        "meta": {
            "agency": {"value": "聊城市审计局", "status": "ok"},
            "template": {"value": "2021", "status": "ok"},
        },
        "fields": {"t4.review.total": {"value": got, "status": status}},
    }
    return Scored(Path(name), "native", expected, 2, score(record, expected, name=name))


def test_faults_are_read_from_the_notes() -> None:
    assert faults_of(
        "Rendered as txt (tsv layout), traditional script; faults: money_forms, stray_column."
    ) == ["money_forms", "stray_column"]
    assert faults_of("Rendered as html, simplified script; no layout faults.") == ["none"]


def test_rows_per_knob_value_and_silent_errors_named() -> None:
    docs = [
        _doc("a.pdf", {"rules": "none", "font": "黑体"}, 3),
        _doc("b.pdf", {"rules": "grid", "font": "黑体"}, 2),
        _doc("c.pdf", {"rules": "none", "font": "宋体"}, 5, status="review"),
    ]
    rows = {(r["knob"], r["value"]): r for r in per_value(docs)}
    assert rows[("all", "all")]["docs"] == 3 and rows[("all", "all")]["keys"] == 9
    assert rows[("rules", "none")]["docs"] == 2 and rows[("rules", "none")]["silent_errors"] == 1
    assert rows[("rules", "grid")]["accuracy"] == 1.0
    assert abs(rows[("rules", "none")]["accuracy"] - 4 / 6) < 1e-9
    assert rows[("font", "黑体")]["silent_errors"] == 1 and rows[("font", "宋体")]["silent_errors"] == 0
    assert rows[("fault", "page_split")]["docs"] == 3
    silent = silent_list(docs)
    assert len(silent) == 1 and silent[0].startswith("a.pdf") and "rules=none, font=黑体" in silent[0]


def test_pages_a_reader_gave_up_on_are_listed() -> None:
    # A crash inside a reader costs a page whose fields go to review: no score counts them wrong, so the
    # bench names the page (seed 782005 lost page 2 to an IndexError that way).
    lost = _doc("d.pdf", {"rules": "none"}, 2)
    lost.page_errors = {"2": "the page image could not be read: IndexError: list index out of range"}
    assert page_error_list([_doc("a.pdf", {}, 2), lost]) == [
        "d.pdf page 2: the page image could not be read: IndexError: list index out of range"
    ]
