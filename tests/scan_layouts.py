"""Scanned reports whose tables are printed the way real offices print them, not the way our generator
draws them: horizontal rules only, no rules at all, 三、本年度办理结果 as a vertical label (one character
per line), t3 broken over a page with no header repeated, pages binarized to 1 bit.

A generated report is rendered to DOCX, its table XML is rewritten for the layout, LibreOffice makes the
PDF and the scan faults are applied. Kept under tests/ (not synth): the layouts are test inputs
for the OCR route.

    python -m tests.scan_layouts OUT_DIR [seed ...]     # every layout for each seed, with .expected.json
    python -m tests.scan_layouts OUT_DIR SEED TEMPLATE LAYOUT ...   # chosen layouts of one template
"""

from __future__ import annotations

import copy
import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from PIL import Image

from synth.render import docx_to_pdf, render
from synth.scan import ScanFaults, scan_pdf, write_scan
from synth.truth import generate_truth

FAULTS = ScanFaults(
    dpi=200, skew=1.0, noise=6.0, blur=0.5, jpeg_quality=70, uneven_light=0.2, seal_pages=(-1,)
)
VERTICAL_LABEL = "三、本年度办理结果"
# Each layout: which borders stay, vertical label, t3 split without header, binarized.
LAYOUTS: dict[str, dict[str, Any]] = {
    "hrules": {"borders": "horizontal"},
    "norules": {"borders": "none"},
    "vlabel": {"vertical_label": True},
    "t3split": {"split_t3": True},
    "binary": {"binary": True},
    "hrules_vlabel_split": {"borders": "horizontal", "vertical_label": True, "split_t3": True},
    "norules_binary": {"borders": "none", "vertical_label": True, "binary": True},
}


def _set_borders(tbl: Any, keep: set[str]) -> None:
    """Table-level borders: those in `keep` single, the rest nil (overrides the Table Grid style);
    cell-level borders dropped so the table's decide."""
    pr = tbl.tblPr
    for old in pr.findall(qn("w:tblBorders")):
        pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        if side in keep:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), "6")
            el.set(qn("w:color"), "000000")
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)
    pr.append(borders)
    for tc_borders in tbl.iter(qn("w:tcBorders")):
        tc_borders.getparent().remove(tc_borders)


BORDERS = {
    "grid": {"top", "left", "bottom", "right", "insideH", "insideV"},
    "horizontal": {"top", "bottom", "insideH"},
    "none": set(),
}


def _vertical_label(tbl: Any) -> None:
    """The merged 三、本年度办理结果 cell printed one character per line (a break after each)."""
    for tc in tbl.iter(qn("w:tc")):
        text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
        if text != VERTICAL_LABEL:
            continue
        run = next(tc.iter(qn("w:r")))
        for t in list(run.findall(qn("w:t"))):
            run.remove(t)
        for i, ch in enumerate(VERTICAL_LABEL):
            if i:
                run.append(OxmlElement("w:br"))
            t = OxmlElement("w:t")
            t.text = ch
            run.append(t)


def _is_t3(tbl: Any) -> bool:
    return any("申请人情况" in (t.text or "") for t in tbl.iter(qn("w:t")))


def _split_table(tbl: Any, at_row: int) -> None:
    """Cut the table before row `at_row` into a second table on the next page, with no header: rows
    that continue a vertical merge across the cut restart it there (printed empty, as offices do)."""
    rows = tbl.findall(qn("w:tr"))
    second = copy.deepcopy(tbl)
    for tr in second.findall(qn("w:tr"))[:at_row]:
        second.remove(tr)
    for tr in rows[at_row:]:
        tbl.remove(tr)
    for tr in rows:
        pr = tr.find(qn("w:trPr"))
        if pr is not None:
            for h in pr.findall(qn("w:tblHeader")):
                pr.remove(h)
    first = second.find(qn("w:tr"))
    for merge in first.iter(qn("w:vMerge")):
        merge.set(qn("w:val"), "restart")
    brk = OxmlElement("w:p")
    r = OxmlElement("w:r")
    br = OxmlElement("w:br")
    br.set(qn("w:type"), "page")
    r.append(br)
    brk.append(r)
    tbl.addnext(brk)
    brk.addnext(second)


def _rewrite(docx: Path, layout: dict[str, Any]) -> None:
    doc = Document(str(docx))
    for table in doc.tables:
        tbl = table._tbl
        _set_borders(tbl, BORDERS[layout.get("borders", "grid")])
        if layout.get("vertical_label"):
            _vertical_label(tbl)
    if layout.get("split_t3"):
        t3 = next(t._tbl for t in doc.tables if _is_t3(t._tbl))
        # After the header (3 rows) and about half the body: inside 三、本年度办理结果.
        _split_table(t3, 3 + 12)
    doc.save(str(docx))


def binarize(image: Image.Image, threshold: int = 150) -> Image.Image:
    """A 1-bit page as a bilevel office scanner stores it."""
    return image.convert("L").point(lambda v: 255 if v > threshold else 0, mode="1")


def make(out_dir: Path, seed: int, name: str, template: str = "2021") -> Path:
    """One scanned document of layout `name` for `seed`, with `<stem>.expected.json` beside it."""
    layout = LAYOUTS[name]
    out_dir.mkdir(parents=True, exist_ok=True)
    truth = generate_truth(seed, template, inconsistent=False)
    with tempfile.TemporaryDirectory(prefix="scan-layouts-") as tmp:
        docx = render(truth, "docx", Path(tmp) / f"r{seed}-{name}.docx", faults=set(), seed=seed)
        _rewrite(docx, layout)
        pdf = docx_to_pdf([docx], Path(tmp))[0]
        faults = replace(FAULTS, jpeg_quality=None) if layout.get("binary") else FAULTS
        pages = scan_pdf(pdf, faults, seed=seed)
    if layout.get("binary"):
        for p in pages:
            p.image = binarize(p.image)
    suffix = ".tif" if layout.get("binary") or seed % 2 else ".pdf"
    path = write_scan(pages, out_dir / f"r{seed}-{template}-{name}{suffix}", dpi=faults.dpi)[0]
    truth["file"] = path.name
    truth["notes"] = f"{truth.get('notes', '')} Scan layout: {name}.".strip()
    path.with_name(f"{path.stem}.expected.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return path


def main(argv: list[str]) -> None:
    out = Path(argv[0])
    if len(argv) > 3 and argv[2] in ("2019", "2021"):
        for name in argv[3:]:
            print(make(out, int(argv[1]), name, argv[2]))
        return
    for seed in [int(s) for s in argv[1:]] or [5101]:
        for name in LAYOUTS:
            print(make(out, seed, name))


if __name__ == "__main__":
    main(sys.argv[1:])
