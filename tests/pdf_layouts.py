"""Text PDFs of a generated report drawn directly with reportlab, with the table layouts real portals and
WPS print (tests only; the product never imports this):

  - rules: a full grid, horizontal rules only (each cell's top and bottom edge), or no rules at all;
  - a vertical merged label: 三、本年度办理结果 one character per line in its merged cell;
  - t3 split across two pages inside a group, its header not repeated, and the continuation drawn at other
    x positions (other column widths and another left edge).

The document (title, prose, t2/t3/t4 with their merged cells) is `synth`'s model of a truth, so the
truth's values are what every drawn cell says.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ingest.values import cell_kind
from synth.layout import t3_rows
from synth.model import Block, Slot, Table
from synth.render import build_document, to_traditional

FONT = "WQY"
FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
PAGE_W, PAGE_H = 595.0, 842.0
LEFT, TOP, BOTTOM = 70.0, 60.0, 60.0
TEXT_W = PAGE_W - 2 * LEFT
RULES = ("grid", "horizontal", "three", "none")  # three: rules above and below the header and below the table


@dataclass(frozen=True, slots=True)
class Layout:
    rules: str = "grid"  # one of RULES
    vertical_label: bool = False  # 三、本年度办理结果 one character per line
    split_t3: bool = False  # t3 continues on the next page without its header, at other x positions
    font_size: float = 9.0
    align: str = "center"  # values: center, right or left in their cells
    valign: str = "middle"  # text in a tall cell: middle or top
    pad: float = 3.0  # points between a cell's edge and its text

    @property
    def name(self) -> str:
        parts = [
            self.rules,
            *(["vlabel"] if self.vertical_label else []),
            *(["split"] if self.split_t3 else []),
        ]
        parts += [f"{self.font_size:g}pt", self.align, self.valign, f"pad{self.pad:g}"]
        return "-".join(parts)


def register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, FONT_FILE, subfontIndex=0))


def write_report(
    truth: dict[str, Any],
    path: Path,
    layout: Layout,
    faults: frozenset[str] = frozenset(),
    traditional: bool = False,
) -> Path:
    """The report of `truth` as a text PDF in `layout`, with `synth`'s cell faults (broken labels,
    blank sub-labels, money forms, ...) and in traditional script when asked."""
    register_font()
    doc = build_document(truth, random.Random("pdf-layouts"), faults=set(faults))
    if traditional:
        doc.map_text(to_traditional)
    canvas = Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    flow = _Flow(canvas, layout)
    for block in doc.blocks:
        flow.block(block)
    canvas.save()
    return path


def wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of `text` that fit `width` (explicit newlines kept), character by character as CJK wraps."""
    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for ch in part:
            if line and pdfmetrics.stringWidth(line + ch, FONT, size) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


class _Flow:
    """Blocks top to bottom, a new page when the next one does not fit."""

    def __init__(self, canvas: Canvas, layout: Layout) -> None:
        self.c = canvas
        self.layout = layout
        self.size = layout.font_size
        self.leading = layout.font_size * 1.35
        self.y = TOP  # distance from the top of the page

    def new_page(self) -> None:
        self.c.showPage()
        self.y = TOP

    def text(self, x: float, top: float, text: str, size: float | None = None) -> None:
        size = size or self.size
        self.c.setFont(FONT, size)
        self.c.drawString(x, PAGE_H - top - size * 0.88, text)

    def block(self, block: Block) -> None:
        if block.kind == "table" and block.table is not None:
            self.table(block.table)
            return
        size = {"title": 15.0, "heading": 11.0}.get(block.kind, 10.5)
        lines = wrap(block.text, TEXT_W, size)
        for line in lines:
            if self.y + size * 1.5 > PAGE_H - BOTTOM:
                self.new_page()
            width = pdfmetrics.stringWidth(line, FONT, size)
            x = (
                (PAGE_W - width) / 2
                if block.kind == "title"
                else PAGE_W - LEFT - width
                if block.kind == "sign"
                else LEFT
            )
            self.text(x, self.y, line, size)
            self.y += size * 1.6
        self.y += size * 0.4

    def table(self, table: Table) -> None:
        if self.layout.split_t3 and table.name == "t3":
            at = table.header_rows + t3_rows("2021").index("unable_create")  # inside group （四）
            first, rest = table.split(at)
            rest.rows, rest.header_rows = rest.rows[rest.header_rows :], 0  # the header is not repeated
            self.place(first, LEFT, _widths(first, TEXT_W))
            self.new_page()
            # The continuation at other x positions: narrower labels, wider values, another left edge.
            widths = _widths(rest, TEXT_W - 24)
            label_cut = sum(widths[:3]) * 0.25
            widths = [w * 0.75 for w in widths[:3]] + [w + label_cut / (len(widths) - 3) for w in widths[3:]]
            self.place(rest, LEFT + 24, widths)
        else:
            self.place(table, LEFT, _widths(table, TEXT_W))
        self.y += self.leading

    def place(self, table: Table, x0: float, widths: list[float]) -> None:
        grid = table.grid()
        heights = self.row_heights(grid, widths)
        room = PAGE_H - BOTTOM
        if self.y + sum(heights) > room and TOP + sum(heights) <= room:
            self.new_page()
        elif self.y + sum(heights) > room:  # taller than a page: break it, the header is not repeated
            self.place_broken(table, x0, widths)
            return
        xs = [x0 + sum(widths[:i]) for i in range(len(widths) + 1)]
        ys = [self.y + sum(heights[:i]) for i in range(len(heights) + 1)]
        for slot in _starts(grid):
            cell = slot.cell
            box = (xs[slot.col], ys[slot.row], xs[slot.col + cell.colspan], ys[slot.row + cell.rowspan])
            self.cell_text(slot, box)
            self.cell_rules(box)
        if self.layout.rules == "three":
            self.c.setLineWidth(0.8)
            for y in {ys[0], ys[table.header_rows], ys[-1]}:
                self.c.line(xs[0], PAGE_H - y, xs[-1], PAGE_H - y)
        self.y = ys[-1]

    def place_broken(self, table: Table, x0: float, widths: list[float]) -> None:
        if self.y > PAGE_H / 2:
            self.new_page()
        for at in range(len(table.rows) - 1, table.header_rows, -1):
            first, rest = table.split(at)
            if self.y + sum(self.row_heights(first.grid(), widths)) <= PAGE_H - BOTTOM:
                break
        rest.rows, rest.header_rows = rest.rows[rest.header_rows :], 0
        self.place(first, x0, widths)
        self.new_page()
        self.place(rest, x0, widths)

    def row_heights(self, grid: list[list[Slot | None]], widths: list[float]) -> list[float]:
        heights = [self.leading + 2 * self.layout.pad] * len(grid)
        for slot in sorted(_starts(grid), key=lambda s: s.cell.rowspan):
            need = len(self.cell_lines(slot, widths)) * self.leading + 2 * self.layout.pad
            rows = range(slot.row, slot.row + slot.cell.rowspan)
            short = need - sum(heights[r] for r in rows)
            if short > 0:
                heights[rows[-1]] += short
        return heights

    def cell_lines(self, slot: Slot, widths: list[float]) -> list[str]:
        text = slot.cell.text
        if self.layout.vertical_label and text.startswith("三、本年度办理结果"):
            return list(text)
        if cell_kind(text) in ("number", "dash"):
            return [text]  # a number is never wrapped (it may overrun a narrow cell)
        return wrap(
            text, sum(widths[slot.col : slot.col + slot.cell.colspan]) - 2 * self.layout.pad, self.size
        )

    def cell_text(self, slot: Slot, box: tuple[float, float, float, float]) -> None:
        x0, top, x1, bottom = box
        lines = [ln for ln in self.cell_lines(slot, _one(slot, x1 - x0)) if ln]
        pad = self.layout.pad
        middle = (top + bottom - len(lines) * self.leading) / 2
        y = (middle if self.layout.valign == "middle" else top + pad) + (self.leading - self.size) / 2
        numeric = cell_kind(slot.cell.text) in ("number", "dash")
        for line in lines:
            width = pdfmetrics.stringWidth(line, FONT, self.size)
            # Headers centred, row labels left, values as the layout says.
            if numeric and self.layout.align != "center":
                x = x1 - pad - width if self.layout.align == "right" else x0 + pad
            else:
                x = (x0 + x1 - width) / 2 if numeric or slot.cell.header or len(line) == 1 else x0 + pad
            self.text(x, y, line)
            y += self.leading

    def cell_rules(self, box: tuple[float, float, float, float]) -> None:
        if self.layout.rules in ("none", "three"):
            return
        x0, top, x1, bottom = box
        self.c.setLineWidth(0.6)
        for y in (top, bottom):
            self.c.line(x0, PAGE_H - y, x1, PAGE_H - y)
        if self.layout.rules == "grid":
            for x in (x0, x1):
                self.c.line(x, PAGE_H - top, x, PAGE_H - bottom)


def _one(slot: Slot, width: float) -> list[float]:
    """Column widths for wrapping one cell that is `width` wide in all."""
    return [0.0] * slot.col + [width] + [0.0] * (slot.cell.colspan - 1)


def _starts(grid: list[list[Slot | None]]) -> list[Slot]:
    return [s for r, row in enumerate(grid) for c, s in enumerate(row) if s and s.row == r and s.col == c]


def _widths(table: Table, total: float) -> list[float]:
    cm = table.widths or [1.0] * len(table.grid()[0])
    return [w * total / sum(cm) for w in cm]


def write_corpus(out: Path, seed: int, count: int) -> list[Path]:
    """`count` reports with every knob drawn at random (and synth's cell faults, a third in traditional
    script), each with its `*.expected.json`, for the official scorer: how docs/readers.md's per-knob
    table was measured (`python -m tests.pdf_layouts OUT SEED COUNT`)."""
    import json

    from synth.render import choose_faults
    from synth.truth import generate_truth

    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        layout = Layout(
            rules=rng.choice(("grid", "horizontal", "three", "none", "none")),
            vertical_label=rng.random() < 0.5,
            split_t3=rng.random() < 0.4,
            font_size=rng.choice((9.0, 10.5, 12.0, 14.0)),
            align=rng.choice(("center", "right", "left")),
            valign=rng.choice(("middle", "top")),
            pad=rng.choice((1.5, 3.0, 5.0)),
        )
        template = rng.choice(("2019", "2021"))
        truth = generate_truth(seed + i, template, inconsistent=False)
        faults = frozenset(choose_faults(seed + i, template) - {"page_split"})
        path = out / f"{i:03d}-{template}-{layout.name}.pdf"
        write_report(truth, path, layout, faults, traditional=rng.random() < 0.3)
        truth.update(file=path.name, notes=",".join(sorted(faults)))
        (out / f"{path.stem}.expected.json").write_text(
            json.dumps(truth, ensure_ascii=False), encoding="utf-8"
        )
        paths.append(path)
    return paths


if __name__ == "__main__":
    import sys

    write_corpus(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
