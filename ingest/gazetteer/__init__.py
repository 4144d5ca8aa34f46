"""Place names of China (provinces, prefectures, counties) to check agency names read by OCR.

OCR can misread a rare character with full confidence in every place it occurs (秭归县 → 种归县 in both
title and signature), so agreement between readings does not prove a name. The place that opens an
agency's name must be a real one.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

# Administrative suffixes a place name ends with (州 alone also ends 福州, 泉州: tried, not trusted).
_SUFFIXES = ("自治区", "自治州", "自治县", "自治旗", "特别行政区", "省", "市", "州", "县", "区", "旗", "盟")


@cache
def places() -> frozenset[str]:
    text = files(__package__).joinpath("places.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _opening_candidates(name: str) -> list[str]:
    return [name[:n] for n in range(2, min(len(name), 12) + 1) if name[:n].endswith(_SUFFIXES)]


def leading_place(name: str) -> str | None:
    """The known place an agency's name opens with; else the place-like opening (省/市/县/区); else None
    (国务院办公厅 opens with no place)."""
    candidates = _opening_candidates(name)
    known = [c for c in candidates if c in places()]
    if known:
        return known[0]
    plain = [c for c in candidates if not c.endswith("州") or c.endswith("自治州")]
    return plain[0] if plain else None


def unknown_place(name: str) -> str | None:
    """The opening place of `name` when it is not a known place name; None when known or absent."""
    place = leading_place(name)
    return place if place and place not in places() else None
