"""Writers from the document model to DOCX, HTML and flattened text."""

from __future__ import annotations

import html
import random
from pathlib import Path
from typing import Any

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from synth.knobs import CLASSIC, CSS_FAMILIES, Knobs
from synth.model import Document, Table

SERIF = {"simplified": "Noto Serif CJK SC", "traditional": "Noto Serif CJK TC"}
SANS = {"simplified": "Noto Sans CJK SC", "traditional": "Noto Sans CJK TC"}


# ---------------------------------------------------------------- DOCX

RED = RGBColor(0xD0, 0x10, 0x10)
# Word's alignment per `align` knob for value cells.
ALIGN = {
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
}


def _set_font(run: Any, name: str, size: float, bold: bool = False, colour: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if colour is not None:
        run.font.color.rgb = colour
    # Word picks East Asian glyphs from w:eastAsia, not from the ASCII font name.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(
    doc: Any,
    text: str,
    font: str,
    size: float,
    *,
    bold: bool = False,
    align: Any = None,
    indent: bool = False,
    spacing: str = "single",
    colour: RGBColor | None = None,
) -> Any:
    para = doc.add_paragraph()
    if align is not None:
        para.alignment = align
    if indent:
        para.paragraph_format.first_line_indent = Pt(size * 2)
    para.paragraph_format.space_after = Pt(4)
    if spacing == "1.5":
        para.paragraph_format.line_spacing = 1.5
    elif spacing == "exact28":
        para.paragraph_format.line_spacing = Pt(max(28.0, size * 1.3))
    _set_font(para.add_run(text), font, size, bold, colour)
    return para


def _red_rule(para: Any) -> None:
    """The red line under a 文件 masthead: a bottom border on its paragraph."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, val in (("val", "single"), ("sz", "18"), ("space", "4"), ("color", "D01010")):
        bottom.set(qn(f"w:{attr}"), val)
    borders.append(bottom)
    para._p.get_or_add_pPr().append(borders)


def _rules(out: Any, rules: str) -> None:
    """Table borders as the `rules` knob says: a full grid, horizontal rules only, or none at all.
    Direct tblBorders override the table style, in Word and LibreOffice alike."""
    drawn = {
        "grid": ("top", "left", "bottom", "right", "insideH", "insideV"),
        "horizontal": ("top", "bottom", "insideH"),
        "none": (),
    }[rules]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        if edge in drawn:
            for attr, val in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
                el.set(qn(f"w:{attr}"), val)
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)
    out._tbl.tblPr.append(borders)


def _mark_header_row(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def _docx_table(doc: Any, table: Table, font: str, knobs: Knobs = CLASSIC) -> None:
    """Merged cells written as Word stores them (w:gridSpan across, w:vMerge down).

    Done on the XML directly: python-docx's `cell()`/`merge()` rebuild the cell list on every call, which
    made one report table take seconds.
    """
    grid = table.grid()
    out = doc.add_table(rows=len(grid), cols=len(grid[0]))
    out.style = "Table Grid"
    if not knobs.classic:
        _rules(out, knobs.rules)
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    out.autofit = False
    tcs = [list(tr.tc_lst) for tr in out._tbl.tr_lst]
    doomed = []
    for r, grid_row in enumerate(grid):
        for c, slot in enumerate(grid_row):
            tc = tcs[r][c]
            if slot is None:
                continue
            if slot.col != c:  # covered by a cell starting to the left: folded into its gridSpan
                doomed.append(tc)
                continue
            _span(
                tc,
                slot.cell.colspan,
                "restart"
                if slot.row == r and slot.cell.rowspan > 1
                else None
                if slot.row == r
                else "continue",
            )
            if slot.row == r:
                _fill_cell(_Cell(tc, out), slot.cell, font, knobs)
    for tc in doomed:
        tc.getparent().remove(tc)
    _size_table(out, table)


def _span(tc: Any, colspan: int, vmerge: str | None) -> None:
    tc_pr = tc.get_or_add_tcPr()
    if colspan > 1:
        grid_span = OxmlElement("w:gridSpan")
        grid_span.set(qn("w:val"), str(colspan))
        tc_pr.append(grid_span)
    if vmerge:
        merge = OxmlElement("w:vMerge")
        if vmerge == "restart":
            merge.set(qn("w:val"), "restart")
        tc_pr.append(merge)


def _fill_cell(cell: Any, model: Any, font: str, knobs: Knobs) -> None:
    text, header = model.text, model.header
    para = cell.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER if len(text) < 8 or header else WD_ALIGN_PARAGRAPH.LEFT
    if model.value and not knobs.classic:
        para.alignment = ALIGN[knobs.align]
    _set_font(para.add_run(text), font, 9 if knobs.classic else knobs.table_size, header)


def _size_table(out: Any, table: Table) -> None:
    if table.widths:
        # LibreOffice lays out by the grid columns (w:gridCol); Word by the cells' widths, which it
        # recomputes from the grid when they are absent.
        for col, width in zip(out._tbl.tblGrid.gridCol_lst, table.widths, strict=False):
            col.w = Cm(width)
    for r, row in enumerate(out.rows):
        if r < table.header_rows and table.repeat_header:
            _mark_header_row(row)
        if table.tall_rows and r >= table.header_rows:
            # Tall rows make the table longer than a page, so it breaks and the header repeats.
            row.height = Cm(1.05)


def write_docx(doc: Document, path: Path, script: str) -> None:
    out = new_docx()
    section = out.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.4)
    section.top_margin = section.bottom_margin = Cm(2.5)
    if doc.knobs.classic:
        _classic_blocks(out, doc, script)
    else:
        _knob_blocks(out, doc, script)
    titles = [b.text for b in doc.blocks if b.kind == "title"]
    out.core_properties.title = "".join(titles)
    out.save(str(path))


def _knob_blocks(out: Any, doc: Document, script: str) -> None:
    """Every block in the knob's face, size and line spacing."""
    k = doc.knobs
    face, size = k.face(script), float(k.size)
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    for block in doc.blocks:
        if block.kind == "masthead":
            _red_rule(_paragraph(out, block.text, face, size + 12, bold=True, align=center, colour=RED))
        elif block.kind == "docno":
            _paragraph(out, block.text, face, size, align=center)
        elif block.kind == "title":
            _paragraph(out, block.text, face, size + 6, bold=True, align=center, spacing=k.spacing)
        elif block.kind in ("heading", "subheading"):
            _paragraph(
                out, block.text, face, size, bold=True, indent=block.kind == "subheading", spacing=k.spacing
            )
        elif block.kind == "para":
            _paragraph(out, block.text, face, size, indent=True, spacing=k.spacing)
        elif block.kind == "sign":
            _paragraph(out, block.text, face, size, align=right, spacing=k.spacing)
        elif block.table is not None:
            _docx_table(out, block.table, face, k)
            out.add_paragraph()


def _classic_blocks(out: Any, doc: Document, script: str) -> None:
    serif, sans = SERIF[script], SANS[script]
    for block in doc.blocks:
        if block.kind == "title":
            _paragraph(out, block.text, sans, 18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        elif block.kind == "heading":
            _paragraph(out, block.text, sans, 14, bold=True)
        elif block.kind == "subheading":
            _paragraph(out, block.text, serif, 12, bold=True, indent=True)
        elif block.kind == "para":
            _paragraph(out, block.text, serif, 12, indent=True)
        elif block.kind == "sign":
            _paragraph(out, block.text, serif, 12, align=WD_ALIGN_PARAGRAPH.RIGHT)
        elif block.table is not None:
            _docx_table(out, block.table, serif)
            out.add_paragraph()


# ---------------------------------------------------------------- HTML


def _split_t3(table: Table) -> list[Table]:
    """A page-split t3 as it appears in web pages converted from PDF: two tables, header repeated."""
    if table.split_at is None:
        return [table]
    return list(table.split(table.split_at))


def _html_table(table: Table, knobs: Knobs = CLASSIC) -> str:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row:
            tag = "th" if cell.header else "td"
            span = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + (
                f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
            )
            value = ' class="v"' if cell.value and not knobs.classic else ""
            text = html.escape(cell.text).replace("\n", "<br/>")
            cells.append(f"<{tag}{span}{value}>{text}</{tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if knobs.classic:
        return '<table class="MsoTableGrid" border="1" cellspacing="0">\n' + "\n".join(rows) + "\n</table>"
    cols = "".join(f'<col style="width:{w:.2f}cm">' for w in table.widths or [])
    border = ' border="1"' if knobs.rules == "grid" else ""
    return (
        f'<table class="rules-{knobs.rules}"{border} cellspacing="0">\n<colgroup>{cols}</colgroup>\n'
        + "\n".join(rows)
        + "\n</table>"
    )


def _html_style(knobs: Knobs) -> str:
    """The page's CSS: the classic grid, or the knobs' rules, alignment, face, size and spacing."""
    if knobs.classic:
        return (
            "table{border-collapse:collapse;margin:8px auto}td,th{border:1px solid #333;padding:2px 4px;"
            "font-size:13px}body{font-family:'Noto Serif CJK SC',serif;max-width:900px;margin:auto}"
        )
    cell_border = {
        "grid": "border:1px solid #333",
        "horizontal": "border-top:1px solid #333;border-bottom:1px solid #333",
        "none": "border:none",
    }[knobs.rules]
    height = {"single": "1.2", "1.5": "1.5", "exact28": "28pt"}[knobs.spacing]
    return (
        f"table{{border-collapse:collapse;margin:8px auto}}td,th{{{cell_border};padding:2px 4px;"
        f"font-size:{knobs.table_size}pt}}td.v{{text-align:{knobs.align}}}"
        f"body{{font-family:{CSS_FAMILIES[knobs.font]};font-size:{knobs.size}pt;line-height:{height};"
        "max-width:900px;margin:auto}.masthead{color:#d01010;font-size:32pt;text-align:center;"
        "border-bottom:3px solid #d01010}.docno{text-align:center}"
    )


def _html_body(doc: Document) -> list[str]:
    parts: list[str] = []
    for block in doc.blocks:
        text = html.escape(block.text)
        if block.kind == "title" and parts and parts[-1].startswith('<h1 class="title">'):
            # A title in two lines (agency, then the report's name) is one heading with a line break.
            parts[-1] = parts[-1].removesuffix("</h1>") + f"<br/>{text}</h1>"
        elif block.kind == "title":
            parts.append(f'<h1 class="title">{text}</h1>')
        elif block.kind in ("masthead", "docno"):
            parts.append(f'<div class="{block.kind}">{text}</div>')
        elif block.kind == "heading":
            parts.append(f"<p><strong>{text}</strong></p>")
        elif block.kind in ("para", "subheading"):
            parts.append(f'<p style="text-indent:2em">{text}</p>')
        elif block.kind == "sign":
            parts.append(f'<p style="text-align:right">{text}</p>')
        elif block.table is not None:
            parts.extend(_html_table(t, doc.knobs) for t in _split_t3(block.table))
    return parts


def write_html(doc: Document, path: Path, meta: dict[str, Any], rng: random.Random) -> str:
    """A saved government web page; returns a note on its encoding."""
    encoding, with_meta = rng.choice((("utf-8", True), ("utf-8", True), ("gbk", True), ("gbk", False)))
    head = f'<meta charset="{encoding}">' if with_meta else ""
    title = html.escape("".join(b.text for b in doc.blocks if b.kind == "title"))
    info = ""
    if meta.get("published_date") and rng.random() < 0.4:
        info = (
            f'<div class="info"><span>发布机构：{html.escape(doc.blocks[-2].text)}</span>'
            f"<span>生成日期：{meta['published_date']} 09:{rng.randint(10, 59)}:{rng.randint(10, 59)}</span></div>"
        )
    page = (
        f"<!DOCTYPE html>\n<html><head>{head}<title>{title}</title>\n"
        f"<style>{_html_style(doc.knobs)}</style>"
        f'</head>\n<body>\n<div class="nav">首页 &gt; 政府信息公开 &gt; 年度报告</div>{info}\n'
        '<div class="article">\n' + "\n".join(_html_body(doc)) + "\n</div>\n</body></html>\n"
    )
    path.write_bytes(page.encode(encoding, errors="xmlcharrefreplace"))
    return f" ({encoding}{', meta charset' if with_meta else ', no meta charset'})"


# ---------------------------------------------------------------- text


def _flatten_cells(table: Table) -> list[str]:
    """One cell per line, tab-prefixed, rows separated by a blank line (Word → text, seed 000)."""
    lines: list[str] = []
    for r, grid_row in enumerate(table.grid()):
        for c, slot in enumerate(grid_row):
            if slot is None:
                lines.append("\t")
            elif slot.col == c:  # origin, or a vertically merged continuation (printed empty)
                lines.append("\t" + (slot.cell.text if slot.row == r else ""))
        lines.append("")
    return lines


def _flatten_tsv(table: Table) -> list[str]:
    """One row per line, cells tab-separated, merged slots empty (PDF → text, seed 004); a vertical label
    (one character a line, spanning rows) gives one character to each row it spans, as pdftotext does."""
    lines = []
    for r, grid_row in enumerate(table.grid()):
        cells = []
        for c, slot in enumerate(grid_row):
            cells.append("" if slot is None or slot.col != c else _tsv_cell(slot, r))
        lines.append("\t".join(cells))
    return [*lines, ""]


def _tsv_cell(slot: Any, r: int) -> str:
    if _is_vertical(slot.cell):
        chars = slot.cell.text.split("\n")
        i = r - slot.row
        return chars[i] if i < len(chars) else ""
    return str(slot.cell.text.replace("\n", "")) if slot.row == r else ""


def _flatten_glued(table: Table) -> list[str]:
    """A row's cells run together, as text a crawler kept of a portal page (`713000074`)."""
    return [line.replace("\t", "") for line in _flatten_tsv(table)]


def write_txt(doc: Document, path: Path, rng: random.Random) -> str:
    style = rng.choice(("cells", "tsv")) if doc.knobs.classic else doc.knobs.text_layout
    flatten = {"cells": _flatten_cells, "tsv": _flatten_tsv, "glued": _flatten_glued}[style]
    lines: list[str] = []
    for block in doc.blocks:
        if block.table is not None:
            for part in _split_t3(block.table):
                lines.extend(flatten(part))
                lines.append("")
        elif block.kind == "sign":
            lines.append(" " * 28 + block.text)
        else:
            lines.append(("    " if block.kind == "para" else "") + block.text)
            lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f" ({style} layout)"


# ---------------------------------------------------------------- markdown


def _md_rows(table: Table, shredded: bool) -> list[list[str]]:
    """Grid rows as markdown cells: merged slots empty, or (shredded) dropped altogether."""
    rows = []
    for r, grid_row in enumerate(table.grid()):
        cells = []
        for c, slot in enumerate(grid_row):
            origin = slot is not None and (slot.row, slot.col) == (r, c)
            if shredded and not origin and not (slot and slot.col == c and _is_vertical(slot.cell)):
                continue
            cells.append("" if slot is None or slot.col != c else _tsv_cell(slot, r))
        rows.append(cells)
    return rows


def _is_vertical(cell: Any) -> bool:
    chars = cell.text.split("\n")
    return cell.rowspan > 1 and len(chars) > 1 and all(len(ch) == 1 for ch in chars)


def _md_table(table: Table, shredded: bool) -> list[str]:
    """A pipe table: the first grid row is the markdown header, the other header rows follow as rows."""
    rows = _md_rows(table, shredded)
    width = max(len(r) for r in rows)
    line = ["| " + " | ".join(c.replace("|", "｜") for c in r) + " |" for r in rows]
    return [line[0], "|" + "---|" * (len(rows[0]) if shredded else width), *line[1:], ""]


def write_md(doc: Document, path: Path) -> str:
    """Markdown as portals export it: # title, ## headings, paragraphs, pipe tables."""
    shredded = doc.knobs.md_tables == "shredded"
    lines: list[str] = []
    for block in doc.blocks:
        if block.table is not None:
            for part in _split_t3(block.table):
                lines.extend(_md_table(part, shredded))
        elif block.kind in ("title", "masthead"):
            lines += [f"# {block.text}", ""]
        elif block.kind == "heading":
            lines += [f"## {block.text}", ""]
        elif block.kind == "subheading":
            lines += [f"**{block.text}**", ""]
        else:
            lines += [block.text, ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f" ({'shredded' if shredded else 'full'} pipe tables)"
