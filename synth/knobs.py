"""Layout knobs: independent choices of how a report is printed, so accuracy can be grouped per value.

Each knob is drawn from its own random stream (`knob:<name>:<seed>`), so the value of one never depends
on another, and adding a knob leaves the others' draws unchanged. `CLASSIC` is the layout the generator
drew before the knobs existed: documents rendered without knobs are byte-for-byte what they were.

The values a document got are written to its `*.expected.json` under `layout` (and summed up in `notes`).
"""

from __future__ import annotations

import os
import random
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

# Knob → its values. The first value of each is the classic layout.
NATIVE_KNOBS: dict[str, tuple[Any, ...]] = {
    "rules": ("grid", "horizontal", "none"),  # table rules: full grid, horizontal only, none
    "vlabel": ("wrapped", "vertical"),  # 三、本年度办理结果: wrapped by the column, or one character per line
    "header_repeat": ("no", "yes"),  # t3's header rows repeated on the next page
    "t3_break": ("natural", "forced"),  # t3 forced across a page (or split in two in HTML/text)
    "header": ("classic", "two_rows", "wrapped"),  # t3 header: 3 rows; no 申请人情况 row; labels wrapped
    "widths": ("classic", "even", "wide_label"),  # t3 column widths
    "align": ("center", "right", "left"),  # alignment of the value cells
    "font": ("宋体", "仿宋", "楷体", "黑体"),
    "size": (9, 10, 11, 12, 13, 14),  # body text, pt (tables use at most 10.5)
    "spacing": ("single", "1.5", "exact28"),  # line spacing; exact 28 pt is the 公文 standard
    "title": ("classic", "agency_line", "year_first", "guanyu", "red_header"),
    "signature": ("yes", "no"),
    # Markdown tables: every grid slot a cell, or shredded as converters leave them (merged slots dropped,
    # so a row has fewer cells than the header and sub-rows lose their group label).
    "md_tables": ("full", "shredded"),
    # Text: one cell a line (Word → text), one tab-separated row a line (PDF → text), or a row's cells run
    # together as a crawler keeps a portal page (`713000074` = 71 3 0 0 0 0 74).
    "text_layout": ("cells", "tsv", "glued"),
    # Text PDF: page 2 replaced by a scan of itself (an image, no text layer), as in mixed PDFs.
    "mixed_scan": ("no", "yes"),
}
SCAN_KNOBS: dict[str, tuple[Any, ...]] = {
    "dpi": (200, 150, 300),
    "colour": ("colour", "gray", "bilevel"),  # bilevel: binarized to 1 bit
    "rotation": ("none", "skew2", "upside_down", "landscape"),
    # Who laid out the printed page: LibreOffice from the DOCX (the text PDFs' renderer), or Chromium
    # printing the HTML page, as a portal's page is printed and then scanned (its own table layout: cells
    # padded and centred by the browser, rules as CSS draws them, its own line breaks in labels).
    "renderer": ("libreoffice", "chromium"),
}

# The four typeface names of Chinese official documents, mapped to the installed faces (fc-list :lang=zh
# has only Noto Serif/Sans CJK and WenQuanYi Zen Hei; there is no real 仿宋 or 楷体). 宋体 → Noto Serif,
# 黑体 → Noto Sans, 仿宋 → WenQuanYi Zen Hei, 楷体 → WenQuanYi Zen Hei Mono: the last two share their CJK
# glyphs and differ in the digits (proportional vs fixed-width). LibreOffice does not select Noto Sans
# Mono CJK from its collection (it falls back to Noto Sans), so that face could not stand for 楷体.
FONT_FACES: dict[str, dict[str, str]] = {
    "宋体": {"simplified": "Noto Serif CJK SC", "traditional": "Noto Serif CJK TC"},
    "仿宋": {"simplified": "WenQuanYi Zen Hei", "traditional": "WenQuanYi Zen Hei"},
    "楷体": {"simplified": "WenQuanYi Zen Hei Mono", "traditional": "WenQuanYi Zen Hei Mono"},
    "黑体": {"simplified": "Noto Sans CJK SC", "traditional": "Noto Sans CJK TC"},
}
CSS_FAMILIES = {
    "宋体": "SimSun, 宋体, serif",
    "仿宋": "FangSong, 仿宋, serif",
    "楷体": "KaiTi, 楷体, serif",
    "黑体": "SimHei, 黑体, sans-serif",
}


@dataclass(frozen=True, slots=True)
class Knobs:
    rules: str = "grid"
    vlabel: str = "wrapped"
    header_repeat: str = "no"
    t3_break: str = "natural"
    header: str = "classic"
    widths: str = "classic"
    align: str = "center"
    font: str = "宋体"
    size: int = 12
    spacing: str = "single"
    title: str = "classic"
    signature: str = "yes"
    md_tables: str = "full"
    text_layout: str = "cells"  # classic documents draw cells or tsv from the render seed instead
    mixed_scan: str = "no"
    classic: bool = True  # False once drawn: render then applies every knob

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("classic")
        return out

    def face(self, script: str) -> str:
        return FONT_FACES[self.font][script]

    @property
    def table_size(self) -> float:
        # Ten columns in 16 cm: larger type would only wrap every label; real reports shrink tables too.
        return min(float(self.size), 10.5)


CLASSIC = Knobs()


@dataclass(frozen=True, slots=True)
class ScanKnobs:
    dpi: int = 200
    colour: str = "colour"
    rotation: str = "none"
    renderer: str = "libreoffice"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _draw(name: str, values: tuple[Any, ...], seed: int) -> Any:
    return random.Random(f"knob:{name}:{seed}").choice(values)


# Tuning runs may pin knob values: SYNTH_FORCE_KNOBS="font=楷体,size=11,dpi=150,colour=bilevel". The
# other knobs are drawn as usual; the truth records the pinned values like drawn ones.
FORCE_ENV = "SYNTH_FORCE_KNOBS"


def forced_knobs(table: dict[str, tuple[Any, ...]]) -> dict[str, Any]:
    """The pinned values (from FORCE_ENV) of this table's knobs, typed like the knob's values."""
    out: dict[str, Any] = {}
    for item in filter(None, (p.strip() for p in os.environ.get(FORCE_ENV, "").split(","))):
        name, _, raw = item.partition("=")
        if name not in NATIVE_KNOBS and name not in SCAN_KNOBS:
            raise ValueError(f"{FORCE_ENV}: unknown knob {name!r}")
        if name not in table:
            continue
        match = [v for v in table[name] if str(v) == raw]
        if not match:
            raise ValueError(f"{FORCE_ENV}: {name} has no value {raw!r} (one of {table[name]})")
        out[name] = match[0]
    return out


def draw_knobs(seed: int) -> Knobs:
    """Every native knob drawn on its own from the seed (or pinned by FORCE_ENV)."""
    drawn = {name: _draw(name, values, seed) for name, values in NATIVE_KNOBS.items()}
    return replace(Knobs(**{**drawn, **forced_knobs(NATIVE_KNOBS)}), classic=False)


def draw_scan_knobs(seed: int) -> ScanKnobs:
    drawn = {name: _draw(name, values, seed) for name, values in SCAN_KNOBS.items()}
    return ScanKnobs(**{**drawn, **forced_knobs(SCAN_KNOBS)})


TABLE_KNOBS = ("rules", "vlabel", "header_repeat", "t3_break", "header", "widths", "align")
# What a flattened text cannot show: no rules, widths, alignment, typeface, size or line spacing.
NOT_IN_TEXT = ("rules", "widths", "align", "font", "size", "spacing")


def applicable(knobs: Knobs, fmt: str, template: str) -> dict[str, Any]:
    """The knob values a document of this format and template really shows: what its truth records,
    so a per-knob table counts a document only under values it carries."""
    out = knobs.as_dict()
    dropped: set[str] = set()
    if template not in ("2019", "2021"):
        dropped |= set(TABLE_KNOBS)
    if fmt in ("txt", "md"):
        dropped |= set(NOT_IN_TEXT)
    if fmt != "md" or template not in ("2019", "2021"):
        dropped.add("md_tables")
    if fmt != "txt":
        dropped.add("text_layout")
    if fmt != "pdf":
        dropped.add("mixed_scan")
    if fmt in ("html", "txt", "md") and knobs.t3_break != "forced":
        dropped.add("header_repeat")  # a web page or text has no pages: only a split t3 shows it
    return {k: v for k, v in out.items() if k not in dropped}


def knob_names() -> list[str]:
    return [f.name for f in fields(Knobs) if f.name != "classic"]
