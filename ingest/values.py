"""Cell text → typed value, with the doubts a person should know about.

How we treat what is not a plain number (the policy a reviewer can rely on):
- a blank cell is not 0: value null, status review (the rules may then suggest 0);
- a dash (—, -, －, /, ／, 无) is the national tables' way of printing "none": value 0, kept `ok`
  because the table arithmetic still checks it, with a note saying it was a dash;
- money is a decimal in 万元: "41.13万" → 41.13, "24.47万元" → 24.47, "412,300元" → 41.23;
  a bare number in a money column is taken as 万元 (the column header says so);
- a sign is only meaningful in `change` columns; elsewhere a negative count is flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ingest.normalize import fix_digit_lookalikes, halfwidth, to_simplified

DASHES = {"—", "–", "-", "－", "/", "／", "无", "——", "--", "―"}
_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(万元|万|元)?$")
_SPACES = re.compile(r"[\s\u3000\xa0]+")
# A comma before the last one or two digits separates no thousands (those come in threes): it is a
# decimal point, misread (OCR reads 558.91万元 as 558,91萬元) or printed so. Read as one, in doubt.
_DECIMAL_COMMA = re.compile(r"^([+-]?)(\d+),(\d{1,2})(万元|万|元)?$")


@dataclass(frozen=True, slots=True)
class ParsedValue:
    value: int | float | None
    kind: str  # "number", "blank", "dash", "invalid"
    reasons: tuple[str, ...] = ()


def cell_kind(text: str) -> str:
    """Classify a token without knowing its column: number, blank, dash or text."""
    compact = compact_text(text)
    if not compact:
        return "blank"
    if compact in DASHES:
        return "dash"
    if _NUMBER.match(compact) or _DECIMAL_COMMA.match(compact) or compact == "〇":
        return "number"  # 〇: the zero of Chinese numerals (parse_value reads it)
    return "text"


@lru_cache(maxsize=1 << 14)
def parse_value(text: str, field_type: str) -> ParsedValue:
    compact = compact_text(text)
    if not compact:
        return ParsedValue(None, "blank", ("blank cell: not read as 0",))
    if compact in DASHES:
        return ParsedValue(0, "dash", (f"note: dash {text.strip()!r} read as 0",))
    match = _NUMBER.match(compact) or _NUMBER.match(fix_digit_lookalikes(compact))
    if not match and (comma := _DECIMAL_COMMA.match(compact)):
        return _comma_decimal(comma, text, field_type)
    if not match:
        return ParsedValue(None, "invalid", (f"not a number: {text.strip()!r}",))
    sign, whole, frac, unit = match.groups()
    number = _decimal(sign, whole, frac)
    if len(whole) > 1 and whole.startswith("0"):
        # Tables never print "09": two cells run together (a lost cell border), or a misread.
        return ParsedValue(None, "invalid", (f"a number with a leading zero: {text.strip()!r}",))
    if field_type == "decimal_wan":
        return _money(number, unit)
    return _count(number, unit, field_type, sign)


def _comma_decimal(match: re.Match[str], text: str, field_type: str) -> ParsedValue:
    sign, whole, frac, unit = match.groups()
    number = _decimal(sign, whole, frac)
    if field_type != "decimal_wan":
        return ParsedValue(None, "invalid", (f"a count with a fraction: {text.strip()!r}",))
    money = _money(number, unit)
    why = f"a comma where a decimal point stands: {text.strip()!r} read as {number}"
    return ParsedValue(money.value, "number", (why, *money.reasons))


def compact_text(text: str) -> str:
    """The text as figures are matched: simplified, half-width, no white space."""
    return _SPACES.sub("", to_simplified(halfwidth(text)))  # 萬元 → 万元


def _decimal(sign: str, whole: str, frac: str | None) -> Decimal:
    try:
        return Decimal(f"{sign}{whole.replace(',', '')}.{frac or '0'}")
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return Decimal(0)


def _money(number: Decimal, unit: str | None) -> ParsedValue:
    if unit == "元":
        return ParsedValue(float(round(number / 10000, 4)), "number", ("note: yuan converted to 万元",))
    return ParsedValue(float(number), "number")


def _count(number: Decimal, unit: str | None, field_type: str, sign: str) -> ParsedValue:
    reasons: list[str] = []
    if number != number.to_integral_value():
        return ParsedValue(None, "invalid", (f"a count with a fraction: {number}",))
    if unit:
        reasons.append(f"unit {unit!r} in a count column")
    if number < 0 and field_type != "signed_int":
        reasons.append("negative count")
    if sign == "+" and field_type != "signed_int":
        reasons.append("signed value in a count column")
    return ParsedValue(int(number), "number", tuple(reasons))
