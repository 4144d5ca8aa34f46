"""Layout knobs: each drawn on its own, each value really visible in the rendered document, the truth
unchanged by them (except what the layout removes: no signature, no date)."""

from __future__ import annotations

import random
import shutil
import subprocess
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from PIL import Image

from synth import generate_truth, render
from synth.corpus import build, plan
from synth.knobs import NATIVE_KNOBS, SCAN_KNOBS, Knobs, ScanKnobs, draw_knobs, draw_scan_knobs
from synth.layout import T3_COLUMNS, t3_rows
from synth.render import build_document, docx_to_pdf
from synth.scan import ScanFaults, scan_pdf, scan_pdf_page
from synth.scanned import scan_faults
from tests.conftest import KnobScan

BASE = Knobs(classic=False)  # every knob at its first value, but applied (not the classic path)
T3_RESULTS = "三、本年度办理结果"


def test_every_value_of_every_knob_is_drawn_and_knobs_are_independent() -> None:
    drawn = [draw_knobs(seed) for seed in range(300)]
    for name, values in NATIVE_KNOBS.items():
        assert {getattr(k, name) for k in drawn} == set(values), name
    # Independent streams: every pair of values of two knobs occurs (a shared stream would tie them).
    pairs = Counter((k.rules, k.vlabel, k.title) for k in drawn)
    assert len(pairs) == 3 * 2 * 5
    scans = [draw_scan_knobs(seed) for seed in range(100)]
    for name, values in SCAN_KNOBS.items():
        assert {getattr(k, name) for k in scans} == set(values), name


def test_knob_stream_does_not_depend_on_the_other_knobs() -> None:
    # The value of `font` for a seed is the choice of its own stream, whatever the other knobs drew.
    for seed in range(20):
        own = random.Random(f"knob:font:{seed}").choice(NATIVE_KNOBS["font"])
        assert draw_knobs(seed).font == own


def _t3_values(doc: Any) -> list[str]:
    t3 = next(b.table for b in doc.blocks if b.table is not None and b.table.name == "t3")
    return [c.text for row in t3.rows for c in row if c.value]


@pytest.mark.parametrize("header", NATIVE_KNOBS["header"])
@pytest.mark.parametrize("vlabel", NATIVE_KNOBS["vlabel"])
def test_t3_values_stay_the_truth_under_every_header_and_label(header: str, vlabel: str) -> None:
    truth = generate_truth(21, "2021", inconsistent=False)
    knobs = replace(BASE, header=header, vlabel=vlabel)
    doc = build_document(truth, random.Random(1), set(), knobs)
    expected = [str(truth["fields"][f"t3.{r}.{c}"]) for r in t3_rows("2021") for c in T3_COLUMNS]
    assert _t3_values(doc) == expected


# ---------------------------------------------------------------- DOCX and PDF (one LibreOffice call)

DOCS: dict[str, Knobs] = {
    "grid": replace(BASE, rules="grid"),
    "horizontal": replace(BASE, rules="horizontal", align="right", font="仿宋", size=14, title="red_header"),
    "none": replace(
        BASE,
        rules="none",
        vlabel="vertical",
        t3_break="forced",
        header_repeat="no",
        signature="no",
        title="agency_line",
        font="楷体",
    ),
    "repeat": replace(
        BASE, t3_break="forced", header_repeat="yes", header="two_rows", spacing="exact28", font="黑体"
    ),
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, Any], Path, Path]]:
    out = tmp_path_factory.mktemp("knobs")
    docs = {}
    for name, knobs in DOCS.items():
        truth = generate_truth(31, "2019", inconsistent=False)
        docx = render(truth, "docx", out / f"{name}.docx", faults=set(), seed=31, knobs=knobs)
        docs[name] = (truth, docx)
    pdfs = docx_to_pdf([d for _, d in docs.values()], out / "pdf")
    return {name: (truth, docx, pdf) for (name, (truth, docx)), pdf in zip(docs.items(), pdfs, strict=True)}


def _edges(pdf: Path) -> tuple[int, int]:
    """Vertical and horizontal line objects (lines, and rects thin enough to be rules) on every page."""
    vertical = horizontal = 0
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for obj in [*page.lines, *page.rects]:
                w, h = abs(obj["x1"] - obj["x0"]), abs(obj["bottom"] - obj["top"])
                vertical += h > 5 and w < 2
                horizontal += w > 5 and h < 2
    return vertical, horizontal


def test_rules_knob_shows_in_the_pdf(rendered: dict[str, tuple[dict[str, Any], Path, Path]]) -> None:
    grid, horizontal, none = (_edges(rendered[n][2]) for n in ("grid", "horizontal", "none"))
    assert grid[0] > 50 and grid[1] > 50
    assert horizontal[0] == 0 and horizontal[1] > 50, "horizontal rules only"
    assert none == (0, 0), "no rules at all"


def test_vertical_label_is_one_character_a_line_in_a_merged_cell(
    rendered: dict[str, tuple[dict[str, Any], Path, Path]],
) -> None:
    doc = open_docx(str(rendered["none"][1]))
    t3 = doc.tables[1]
    label = next(
        tc
        for tc in t3._tbl.iter(qn("w:tc"))
        if "".join(t.text or "" for t in tc.iter(qn("w:t"))) == T3_RESULTS
    )
    merge = label.tcPr.find(qn("w:vMerge"))
    assert merge is not None and merge.get(qn("w:val")) == "restart"
    assert len(label.findall(".//" + qn("w:br"))) == len(T3_RESULTS) - 1
    with pdfplumber.open(rendered["none"][2]) as pdf:
        words = [w for p in pdf.pages for w in p.extract_words() if w["text"] in ("本", "年", "度")]
    assert len({round(w["top"]) for w in words}) >= 3, "the label's characters stand on separate lines"


def test_header_repeat_knob_decides_the_second_page_header(
    rendered: dict[str, tuple[dict[str, Any], Path, Path]],
) -> None:
    assert "w:tblHeader" in open_docx(str(rendered["repeat"][1])).tables[1]._tbl.xml
    assert "w:tblHeader" not in open_docx(str(rendered["none"][1])).tables[1]._tbl.xml
    counts = {}
    for name in ("repeat", "none"):
        text = subprocess.run(
            ["pdftotext", str(rendered[name][2]), "-"], capture_output=True, text=True, check=True
        ).stdout
        counts[name] = text.count("法人或其他组织")
    assert counts == {"repeat": 2, "none": 1}


def test_two_row_header_has_no_applicant_row(rendered: dict[str, tuple[dict[str, Any], Path, Path]]) -> None:
    t3 = open_docx(str(rendered["repeat"][1])).tables[1]
    assert "申请人情况" not in t3._tbl.xml and t3.cell(0, 3).text == "自然人"


def test_title_signature_font_size_align_knobs_in_the_docx(
    rendered: dict[str, tuple[dict[str, Any], Path, Path]],
) -> None:
    truth, docx, pdf = rendered["horizontal"]
    doc = open_docx(str(docx))
    masthead = doc.paragraphs[0]
    assert (
        masthead.text == f"{truth['meta']['agency']}文件" and str(masthead.runs[0].font.color.rgb) == "D01010"
    )
    body = next(p for p in doc.paragraphs if p.text.startswith("根据"))
    assert body.runs[0].font.size.pt == 14
    value = doc.tables[1].rows[-1].cells[-1].paragraphs[0]
    assert value.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYi" in fonts, "仿宋 is drawn with WenQuanYi Zen Hei"
    truth, docx, _ = rendered["none"]
    paras = [p.text for p in open_docx(str(docx)).paragraphs if p.text]
    assert paras[0] == truth["meta"]["agency"] and paras[1].endswith("年政府信息公开工作年度报告")
    assert truth["meta"]["published_date"] is None and not paras[-1].endswith("日"), "no signature, no date"
    assert truth["layout"]["signature"] == "no" and "signature=no" in truth["notes"]


def test_html_split_t3_without_its_header_and_rules_none(tmp_path: Path) -> None:
    truth = generate_truth(8, "2021", inconsistent=False)
    knobs = replace(BASE, rules="none", t3_break="forced", header_repeat="no", align="left")
    text = render(truth, "html", tmp_path / "r.html", faults=set(), seed=8, knobs=knobs).read_bytes()
    page = text.decode("gbk" if "gbk" in truth["notes"] else "utf-8")
    assert page.count("<table") == 4 and page.count("申请人情况") == 1
    assert "border:none" in page and 'border="1"' not in page and "td.v{text-align:left}" in page


@pytest.mark.parametrize("layout", ["cells", "tsv"])
def test_text_vertical_label_and_layout_record(tmp_path: Path, layout: str) -> None:
    truth = generate_truth(8, "2019", inconsistent=False)
    knobs = replace(BASE, vlabel="vertical", title="year_first", text_layout=layout)
    text = render(truth, "txt", tmp_path / "v.txt", faults=set(), seed=8, knobs=knobs).read_text("utf-8")
    assert text.startswith(f"{truth['meta']['year']}年{truth['meta']['agency']}")
    assert "rules" not in truth["layout"] and truth["layout"]["vlabel"] == "vertical", "text shows no rules"
    assert T3_RESULTS not in text.replace("\t", "") and f"({layout} layout)" in truth["notes"]
    if layout == "tsv":  # one character at the head of each row the label spans, as pdftotext gives it
        lines = text.splitlines()
        granted = next(i for i, line in enumerate(lines) if "（一）予以公开" in line)
        assert (
            "".join(line.split("\t")[0] for line in lines[granted : granted + len(T3_RESULTS)]) == T3_RESULTS
        )
    else:
        assert "\t" + "\n".join(T3_RESULTS) in text


def test_corpus_records_layout_per_document(tmp_path: Path) -> None:
    items = build(plan(4, ["html", "txt"], 500, templates=["2019", "2021"], varied=True), tmp_path)
    layouts = [it.expected()["layout"] for it in items]
    assert all({"title", "signature", "vlabel"} <= set(lay) for lay in layouts)
    assert len({tuple(sorted(lay.items())) for lay in layouts}) == 4


@pytest.mark.parametrize(
    ("colour", "mode", "colours"), [("bilevel", "1", 2), ("gray", "L", None), ("colour", "RGB", None)]
)
def test_scan_colour_knob(
    rendered: dict[str, tuple[dict[str, Any], Path, Path]], colour: str, mode: str, colours: int | None
) -> None:
    faults = scan_faults(ScanKnobs(dpi=150, colour=colour, rotation="upside_down"), seed=3)
    pages = scan_pdf(rendered["grid"][2], faults, seed=3)
    assert all(p.image.mode == mode for p in pages)
    assert pages[1].rotation == 180 and abs(pages[0].image.width - 21 / 2.54 * 150) < 3
    if colours:
        found = Image.Image.getcolors(pages[0].image.convert("L"))
        assert found is not None and len(found) == colours


@pytest.mark.parametrize("exact_skew", [False, True])
def test_one_page_scanned_alone_is_that_page_of_the_whole_scan(
    rendered: dict[str, tuple[dict[str, Any], Path, Path]], exact_skew: bool
) -> None:
    """`scan_pdf_page` (what the one-page OCR tests read) gives each page the pixels `scan_pdf` gives it:
    seals on every page, one over the cells, a page upside down, noise, light, skew and JPEG all drawn."""
    faults = ScanFaults(
        dpi=150, skew=1.5, noise=8.0, blur=0.6, jpeg_quality=60, uneven_light=0.25,
        seal_pages=(0, -1), seal_over_cells=True, upside_down=(1,), colour="gray",
    )  # fmt: skip
    pdf = rendered["grid"][2]
    whole = scan_pdf(pdf, faults, seed=5, exact_skew=exact_skew)
    assert len(whole) >= 3
    for number, page in enumerate(whole, 1):
        alone = scan_pdf_page(pdf, number, faults, seed=5, exact_skew=exact_skew)
        assert (alone.rotation, alone.skew, alone.seals) == (page.rotation, page.skew, page.seals)
        assert alone.image.tobytes() == page.image.tobytes(), number


def test_command_draws_knobs(tmp_path: Path) -> None:
    from ingest.cli import main as cli_main

    assert (
        cli_main(["synth", str(tmp_path), "--count", "2", "--formats", "html", "--seed", "3", "--knobs"]) == 0
    )
    truths = sorted(tmp_path.glob("*.expected.json"))
    assert len(truths) == 2 and all('"layout"' in p.read_text(encoding="utf-8") for p in truths)


def test_markdown_pipe_tables_full_and_shredded(tmp_path: Path) -> None:
    widths = {}
    for shape in ("full", "shredded"):
        truth = generate_truth(4, "2021", inconsistent=False)
        knobs = replace(BASE, md_tables=shape)
        text = render(truth, "md", tmp_path / f"{shape}.md", faults=set(), seed=4, knobs=knobs).read_text(
            "utf-8"
        )
        rows = [line for line in text.splitlines() if line.startswith("| ")]
        widths[shape] = {line.count("|") for line in rows}
        assert truth["layout"]["md_tables"] == shape and text.startswith("# ")
        granted = next(line for line in rows if "（一）予以公开" in line)
        cells = [c.strip() for c in granted.strip("|").split("|")]
        assert cells[-7:] == [str(truth["fields"][f"t3.granted.{c}"]) for c in T3_COLUMNS]
    assert len(widths["shredded"]) > len(widths["full"]), "shredded rows have fewer cells than others"


def test_glued_text_runs_a_rows_cells_together(tmp_path: Path) -> None:
    truth = generate_truth(12, "2021", inconsistent=False)
    knobs = replace(BASE, text_layout="glued")
    text = render(truth, "txt", tmp_path / "g.txt", faults=set(), seed=12, knobs=knobs).read_text("utf-8")
    row = "".join(str(truth["fields"][f"t3.new_received.{c}"]) for c in T3_COLUMNS)
    assert f"一、本年新收政府信息公开申请数量{row}" in text and "\t" not in text
    assert truth["layout"]["text_layout"] == "glued" and "(glued layout)" in truth["notes"]


def test_mixed_pdf_has_one_page_without_text(
    rendered: dict[str, tuple[dict[str, Any], Path, Path]], tmp_path: Path
) -> None:
    from synth.scan import scan_one_page

    pdf = tmp_path / "mixed.pdf"
    pdf.write_bytes(rendered["grid"][2].read_bytes())
    assert scan_one_page(pdf, 1, seed=5) == 1
    with pdfplumber.open(pdf) as doc:
        chars = [len(p.chars) for p in doc.pages]
        assert chars[1] == 0 and len(doc.pages[1].images) == 1
        assert all(n > 100 for i, n in enumerate(chars) if i != 1)


def test_forced_knobs_pin_their_values_and_leave_the_others_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tuning runs pin knob values with SYNTH_FORCE_KNOBS; an unknown knob or value is refused, not ignored."""
    drawn = [(draw_knobs(seed), draw_scan_knobs(seed)) for seed in range(20)]
    monkeypatch.setenv("SYNTH_FORCE_KNOBS", "rules=none,font=楷体,dpi=150")
    pinned = [(draw_knobs(seed), draw_scan_knobs(seed)) for seed in range(20)]
    assert {(k.rules, k.font, s.dpi) for k, s in pinned} == {("none", "楷体", 150)}
    # The knobs not pinned are drawn as without it.
    assert [(k.align, s.colour) for k, s in pinned] == [(k.align, s.colour) for k, s in drawn]
    monkeypatch.setenv("SYNTH_FORCE_KNOBS", "colour=sepia")
    with pytest.raises(ValueError, match="colour has no value"):
        draw_scan_knobs(1)
    monkeypatch.setenv("SYNTH_FORCE_KNOBS", "ink=red")
    with pytest.raises(ValueError, match="unknown knob"):
        draw_knobs(1)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_scan_renderer_knob_prints_the_html_page_with_chromium(knob_scan: KnobScan) -> None:
    """`renderer=chromium`: the scan is of the report's HTML page as Chromium prints it (its own page
    breaks and table layout), with the truth of that rendering."""
    scanned = knob_scan("renderer=chromium,rotation=none", 733101)
    truth = scanned.expected()
    assert (
        truth["layout"]["renderer"] == "chromium" and "Rendered as html printed by Chromium" in truth["notes"]
    )
    assert truth["file"] == scanned.path.name and scanned.pages >= 2
    assert truth["fields"] == generate_truth(733101, truth["meta"]["template"])["fields"]
