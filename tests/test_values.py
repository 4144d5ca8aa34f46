"""ingest/values.py on its own: how one printed cell becomes a value, or a reason it does not."""

from __future__ import annotations

import pytest

from ingest.values import cell_kind, parse_value


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("12", "int", 12),
        ("1,234", "int", 1234),
        ("１２", "int", 12),  # full-width digits
        (" 3 ", "int", 3),
        ("—", "int", 0),  # a dash is printed for zero
        ("无", "int", 0),
        ("41.13", "decimal_wan", 41.13),
        ("41.13万元", "decimal_wan", 41.13),
        ("41.13萬元", "decimal_wan", 41.13),  # traditional script
        ("65,934,800元", "decimal_wan", 6593.48),  # yuan converted to 万元
        ("-3", "signed_int", -3),
    ],
)
def test_printed_cells_read_as_values(text: str, kind: str, value: float) -> None:
    parsed = parse_value(text, kind)
    assert parsed.value == value and parsed.kind in ("number", "dash")


@pytest.mark.parametrize(
    ("text", "kind", "reason"),
    [
        ("", "int", "blank cell: not read as 0"),
        ("09", "int", "a number with a leading zero"),  # two cells run together
        ("1.5", "int", "a count with a fraction"),
        ("abc", "int", "not a number"),
    ],
)
def test_cells_that_are_not_values_say_why(text: str, kind: str, reason: str) -> None:
    parsed = parse_value(text, kind)
    assert parsed.value is None and any(r.startswith(reason) for r in parsed.reasons)


def test_doubtful_counts_keep_their_value_with_a_reason() -> None:
    negative = parse_value("-2", "int")
    assert negative.value == -2 and "negative count" in negative.reasons
    assert "unit '万元' in a count column" in parse_value("3万元", "int").reasons


def test_cell_kinds_without_a_column() -> None:
    assert [cell_kind(t) for t in ("12", "", "—", "自然人")] == ["number", "blank", "dash", "text"]


def test_a_comma_before_two_last_digits_is_a_decimal_point_in_doubt() -> None:
    """Held-out seed 931313's scan 931387: 558.91万元 read 558,91萬元 by OCR; the cell read as a word, not a
    value, and t2.procurement.amount was lost. Thousands come in threes, so the comma is a decimal point:
    the value is offered for a person to confirm, never settled."""
    money = parse_value("558,91萬元", "decimal_wan")
    assert money.value == 558.91 and any(r.startswith("a comma where a decimal point") for r in money.reasons)
    assert cell_kind("558,91萬元") == "number"
    assert parse_value("5,9", "int").value is None  # a count has no fraction
    assert parse_value("1,234", "decimal_wan").reasons == ()  # a thousands separator is one
