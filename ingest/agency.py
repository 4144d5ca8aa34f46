"""Agency identity: one stable id per body, however its name is printed from year to year.

The id comes from the normalized name resolved against the gazetteer's administrative codes: the places
the name opens with (淮安市洪泽区) narrow down to one county, city or province code, and the rest is the
organ (人民政府, 审计局 …). "洪泽区人民政府" and "淮安市洪泽区人民政府" both resolve to 320813 + 人民政府, so
they are one agency: `320813:人民政府`. A name the gazetteer cannot pin down (鼓楼区 is a district of four
cities; a place misread by OCR) keeps an id of its own name (`name:鼓楼区人民政府`) and lists the ids it
could be: those are offered to a person as merges, never merged by the machine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from ingest.gazetteer import national_body
from ingest.normalize import halfwidth, to_simplified

# Noise in a printed name: spaces, quotes, brackets and punctuation (a name wraps or gains them).
_NOISE = re.compile(r"[\s\u3000\"'“”‘’「」『』《》〈〉\[\]【】,，、.。:：;；!！?？/／\\|·・\-—–_~～*＊#]+")
_YEAR = re.compile(r"[（(]?\s*(\d{4}|[〇零一二三四五六七八九○]{4})\s*年度?\s*[)）]?")
# The report's own name and what follows it: never part of the agency's name.
_REPORT_NAME = re.compile(r"(政府信息公开|政务公开|信息公开|年度报告|工作报告|工作总结|年报).*$")
# 政府 straight after a place is the people's government (洪泽区政府 = 洪泽区人民政府).
_BARE_GOVERNMENT = re.compile(r"(?<=[省市县区旗盟州])政府")
_PLACE_SUFFIXES = (
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "特别行政区",
    "省",
    "市",
    "州",
    "县",
    "区",
    "旗",
    "盟",
)

# Kind of body, by what the organ ends with (first match wins: an office of a government is an office).
KINDS = ("街道办事处", "乡镇", "办公室", "人民政府", "委员会", "局", "其他")
_KIND_PATTERNS = (
    ("街道办事处", re.compile(r"街道(办事处)?$|街道办$")),
    ("乡镇", re.compile(r"[乡镇]人民政府$|[乡镇]$")),
    ("办公室", re.compile(r"办公室$|办公厅$")),
    ("人民政府", re.compile(r"人民政府$")),
    ("委员会", re.compile(r"委员会$|委$|管委会$")),
    ("局", re.compile(r"局$")),
)


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # six digits: province 2, prefecture 2, county 2
    name: str

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return "province"
        return "city" if self.code.endswith("00") else "county"


@dataclass(frozen=True, slots=True)
class AgencyIdentity:
    agency_id: str
    name: str  # the normalized name
    organ: str  # the name after its places (人民政府, 审计局 …); the whole name when none resolved
    kind: str
    province: Region | None = None
    city: Region | None = None
    county: Region | None = None
    # Ids this name could be when the gazetteer does not decide (offered as merges), best first.
    candidates: tuple[str, ...] = field(default_factory=tuple)

    @property
    def resolved(self) -> bool:
        return not self.agency_id.startswith("name:")

    @property
    def region(self) -> Region | None:
        return self.county or self.city or self.province


@cache
def regions() -> dict[str, Region]:
    text = files("ingest.gazetteer").joinpath("regions.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {code: Region(code, name) for code, name in rows}


@cache
def _codes_by_name() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for region in regions().values():
        out.setdefault(region.name, []).append(region.code)
    return {name: tuple(codes) for name, codes in out.items()}


def normalize_name(name: str) -> str:
    """Simplified, half-width, without spacing, punctuation, a year, 关于 or the report's own name."""
    text = _NOISE.sub("", to_simplified(halfwidth(name)))
    text = _REPORT_NAME.sub("", _YEAR.sub("", text))
    text = text.replace("关于", "").removesuffix("的")
    return _BARE_GOVERNMENT.sub("人民政府", text)


def kind_of(organ: str) -> str:
    return next((kind for kind, pattern in _KIND_PATTERNS if pattern.search(organ)), "其他")


def _leading_places(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """The gazetteer places the name opens with, in order (淮安市, 洪泽区), each with its possible codes;
    the longest known prefix at each step."""
    places: list[tuple[str, tuple[str, ...]]] = []
    rest = name
    while len(places) < 3:
        known = [rest[:n] for n in range(min(len(rest) - 1, 12), 1, -1) if rest[:n] in _codes_by_name()]
        if not known:
            break
        places.append((known[0], _codes_by_name()[known[0]]))
        rest = rest[len(known[0]) :]
    return places


def _inside(code: str, outer: str) -> bool:
    """Is region `code` within region `outer` (or the same)?"""
    level = Region(outer, "").level
    return (
        code[:2] == outer[:2]
        if level == "province"
        else code[:4] == outer[:4]
        if level == "city"
        else code == outer
    )


def _chain_codes(places: list[tuple[str, tuple[str, ...]]], hint_codes: list[str]) -> list[str]:
    """The codes of the last place that every earlier place (and the folder's hint) contains."""
    codes = list(places[-1][1])
    for _name, outer in places[:-1]:
        codes = [c for c in codes if any(_inside(c, o) for o in outer)]
    narrowed = [c for c in codes if all(_inside(c, h) or _inside(h, c) for h in hint_codes)]
    return narrowed or codes


def hint_codes(hint_region: str | None) -> list[str]:
    """A folder hint such as 江苏省/淮安市 as the code of its deepest place, when the hint decides it."""
    names = [normalize_name(part) for part in re.split(r"[/\\\s]+", hint_region or "")]
    places = [(n, _codes_by_name()[n]) for n in names if n in _codes_by_name()]
    codes = _chain_codes(places, []) if places else []
    return codes if len(codes) == 1 else []


def _region_chain(code: str) -> tuple[Region | None, Region | None, Region | None]:
    table = regions()
    region = table[code]
    province = table.get(code[:2] + "0000")
    city = table.get(code[:4] + "00") if region.level != "province" else None
    county = region if region.level == "county" else None
    return province, city, county


def _misread_places(name: str) -> list[str]:
    """Known places one character away from the place-like opening of `name` (种归县 → 秭归县): an OCR
    misreading the gazetteer cannot settle by itself."""
    opening = next(
        (name[:n] for n in range(2, min(len(name), 8)) if name[:n].endswith(_PLACE_SUFFIXES)), None
    )
    if not opening or len(opening) < 3 or opening in _codes_by_name():
        return []
    return [
        known
        for known in _codes_by_name()
        if len(known) == len(opening) and sum(a != b for a, b in zip(known, opening, strict=True)) == 1
    ]


def place_misread_mended(name: str) -> str | None:
    """`name` with its opening place, unknown to the gazetteer, replaced by the one known place a
    character away (种归县林业局 → 秭归县林业局); None when there is not exactly one."""
    found = _misread_places(name)
    return found[0] + name[len(found[0]) :] if len(found) == 1 else None


def identify(printed: str, hint_region: str | None = None) -> AgencyIdentity:
    """The identity of the agency printed as `printed` (a folder's region hint may settle a place that
    several cities share)."""
    name = normalize_name(printed)
    nation = national_body(name)
    places = _leading_places(name[len(nation) :] if nation else name)
    organ = name[len(nation or "") + sum(len(p) for p, _ in places) :] if places else name
    codes = _chain_codes(places, hint_codes(hint_region)) if places else []
    if nation or not organ:
        # A national body's local bureau, or a bare place: known by its full name; placed when clear.
        chain = _region_chain(codes[0]) if len(codes) == 1 else (None, None, None)
        return AgencyIdentity(f"name:{name}", name, organ or name, kind_of(organ or name), *chain)
    if len(codes) == 1:
        return AgencyIdentity(f"{codes[0]}:{organ}", name, organ, kind_of(organ), *_region_chain(codes[0]))
    candidates = [f"{c}:{organ}" for c in codes]
    for place in _misread_places(name):
        candidates += [f"{c}:{name[len(place) :]}" for c in _codes_by_name()[place]]
    return AgencyIdentity(f"name:{name}", name, organ, kind_of(organ), candidates=tuple(candidates))
