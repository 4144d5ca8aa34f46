"""Place names of China (provinces, prefectures, counties, and zones that report under their own name)
and national bodies, to check agency names.

OCR can misread a rare character with full confidence in every place it occurs (秭归县 → 种归县 in both
title and signature), so agreement between readings does not prove a name. The place that opens an
agency's name must be a real one.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

# Administrative suffixes a place name ends with (州 alone also ends 福州, 泉州: tried, not trusted).
_SUFFIXES = ("自治区", "自治州", "自治县", "自治旗", "特别行政区", "省", "市", "州", "县", "区", "旗", "盟")


def _names(file: str) -> frozenset[str]:
    text = files(__package__).joinpath(file).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@cache
def places() -> frozenset[str]:
    return _names("places.txt") | _names("zones.txt")


@cache
def national_bodies() -> frozenset[str]:
    return _names("national.txt")


def national_body(name: str) -> str | None:
    """The national body an agency's name opens with (国家税务总局上海市税务局 → 国家税务总局), longest first."""
    return max((body for body in national_bodies() if name.startswith(body)), key=len, default=None)


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


# Zones named in agencies that are not administrative divisions (泉州市开发区财政局).
_ZONES = ("开发区", "高新区", "新区", "保税区", "试验区", "园区", "管理区", "示范区")


def unknown_place(name: str) -> str | None:
    """The first place in `name` (its opening one, and a district or county right after a known city)
    that is not a known place name; None when all are known or there is none. 湖州市两花区 (雨 misread)
    is caught at its second place."""
    place = leading_place(name)
    if not place:
        return None
    if place not in places():
        return place
    rest = name[len(place) :]
    second = next((c for c in _opening_candidates(rest)[:3] if c.endswith(("区", "县", "市", "旗"))), None)
    if second and len(second) <= 5 and not second.endswith(_ZONES) and second not in places():
        return second
    return None
