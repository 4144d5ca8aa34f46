"""Render a report truth as a document a person would recognise: DOCX, PDF (DOCX through LibreOffice),
HTML (UTF-8 or GBK, with or without a meta charset) or flattened text like the seeds.

`render` records the faults it applied, the script and the encoding in `truth["notes"]` (it updates the
dict it is given), so the `*.expected.json` beside each document says what the document contains.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from ingest.external import run_tool
from synth import prose
from synth.backends import write_docx, write_html, write_md, write_txt
from synth.knobs import CLASSIC, Knobs, applicable
from synth.model import Block, Document
from synth.tables import Styler, build_t2, build_t3, build_t4

FORMATS = ("docx", "pdf", "html", "txt")
# Made on request only (not in the default mix): markdown as portals and converters export it.
ALL_FORMATS = (*FORMATS, "md")
SCRIPTS = ("simplified", "traditional")
# Faults a table document may carry; a few are drawn per document unless the caller names them.
TABLE_FAULTS = (
    "page_split",
    "broken_labels",
    "lost_header",
    "stray_column",
    "missing_sublabels",
    "money_forms",
    "fullwidth_digits",
)
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu"]
SOFFICE_TIMEOUT = 300


@cache
def _converter(name: str) -> Any:
    import opencc

    return opencc.OpenCC(name)


def to_traditional(text: str) -> str:
    return str(_converter("s2t").convert(text))


def choose_faults(seed: int, template: str) -> set[str]:
    """Two or three layout faults per table document, reproducible from the seed."""
    if template not in ("2019", "2021"):
        return set()
    rng = random.Random(f"faults:{seed}")
    return set(rng.sample(TABLE_FAULTS, k=rng.choice((0, 1, 2, 2, 3, 3))))


def _title(rng: random.Random, meta: dict[str, Any]) -> str:
    if meta["template"] == "narrative":
        return f"{meta['agency']}{meta['year']}年政府信息公开工作{rng.choice(('年度报告', '总结'))}"
    return rng.choice(
        (
            f"{meta['agency']}{meta['year']}年政府信息公开工作年度报告",
            f"{meta['agency']}政府信息公开工作年度报告（{meta['year']}年度）",
        )
    )


def _title_blocks(rng: random.Random, meta: dict[str, Any], knobs: Knobs) -> list[Block]:
    """The title as the `title` knob prints it; the agency is always named somewhere in the document."""
    agency, year = meta["agency"], meta["year"]
    if knobs.title == "classic":
        return [Block("title", _title(rng, meta))]
    if knobs.title == "agency_line":
        return [Block("title", agency), Block("title", f"{year}年政府信息公开工作年度报告")]
    if knobs.title == "year_first":
        return [Block("title", f"{year}年{agency}政府信息公开工作年度报告")]
    if knobs.title == "guanyu":
        return [
            Block(
                "title",
                rng.choice(
                    (
                        f"{agency}关于{year}年度政府信息公开工作情况的报告",
                        f"关于{year}年度政府信息公开工作情况的报告",
                    )
                ),
            )
        ]
    # red_header: the agency's masthead in red, a document number, then the title.
    return [
        Block("masthead", f"{agency}文件"),
        Block("docno", f"〔{year + 1}〕{rng.randint(1, 40)}号"),
        Block("title", f"关于{year}年政府信息公开工作年度报告的报告"),
    ]


def signature_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def build_document(
    truth: dict[str, Any], rng: random.Random, faults: set[str], knobs: Knobs = CLASSIC
) -> Document:
    meta = truth["meta"]
    template = meta["template"]
    doc = Document(faults=sorted(faults), knobs=knobs)
    add = doc.blocks.append
    doc.blocks.extend(_title_blocks(rng, meta, knobs))
    add(
        Block(
            "para",
            "根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室有关要求，"
            f"{meta['agency']}编制了{meta['year']}年政府信息公开工作年度报告。本报告中所列数据的统计期限"
            f"自{meta['year']}年1月1日起至{meta['year']}年12月31日止。",
        )
    )
    add(Block("heading", "一、总体情况"))
    for kind, text in prose.overview(rng, truth):
        add(Block(kind, text))
    problems, other = prose.closing(rng, truth)
    if template in ("2019", "2021"):
        st = Styler(rng, faults, template, knobs)
        fields = truth["fields"]
        add(Block("heading", "二、主动公开政府信息情况"))
        add(Block("table", table=build_t2(fields, template, st)))
        add(Block("heading", "三、收到和处理政府信息公开申请情况"))
        add(Block("table", table=build_t3(fields, template, st)))
        add(Block("heading", "四、政府信息公开行政复议、行政诉讼情况"))
        add(Block("table", table=build_t4(fields, st)))
        add(Block("heading", "五、存在的主要问题及改进情况"))
    else:
        add(Block("heading", "二、存在的主要问题及改进情况"))
    add(Block("para", problems))
    add(Block("heading", "六、其他需要报告的事项" if template != "narrative" else "三、其他需要报告的事项"))
    add(Block("para", other))
    if meta.get("published_date") and knobs.signature == "yes":
        add(Block("sign", meta["agency"]))
        add(Block("sign", signature_date(meta["published_date"])))
    return doc


def _note(
    truth: dict[str, Any], fmt: str, script: str, faults: Iterable[str], extra: str, knobs: Knobs
) -> None:
    parts = [f"Rendered as {fmt}{extra}, {script} script"]
    parts.append(f"faults: {', '.join(sorted(faults))}" if faults else "no layout faults")
    if not knobs.classic:
        parts.append("layout: " + ", ".join(f"{k}={v}" for k, v in truth["layout"].items()))
    rendered = "; ".join(parts) + "."
    truth["notes"] = f"{truth.get('notes', '')} {rendered}".strip()


def apply_knobs(truth: dict[str, Any], fmt: str, faults: set[str], knobs: Knobs) -> set[str]:
    """Keep the truth exact under the knobs: records those the document shows under `layout`; without
    a signature the document states no date, so `published_date` is null. The t3 break is the
    `t3_break` knob's, not a fault's."""
    if knobs.classic:
        return faults
    truth["layout"] = applicable(knobs, fmt, truth["meta"]["template"])
    if knobs.signature == "no":
        truth["meta"]["published_date"] = None
    faults = set(faults) - {"page_split"}
    if knobs.t3_break == "forced" and truth["meta"]["template"] in ("2019", "2021"):
        faults.add("page_split")
    return faults


def render(
    truth: dict[str, Any],
    fmt: str,
    out_path: Path,
    *,
    script: str = "simplified",
    faults: set[str] | None = None,
    seed: int = 0,
    knobs: Knobs = CLASSIC,
) -> Path:
    """Write one document for `truth`; faults default to a seed-chosen few, the layout to the classic
    one (`synth.knobs.draw_knobs` varies it). Returns the written path."""
    if fmt not in ALL_FORMATS or script not in SCRIPTS:
        raise ValueError(f"unsupported format/script: {fmt}/{script}")
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    faults = choose_faults(seed, truth["meta"]["template"]) if faults is None else set(faults)
    faults = apply_knobs(truth, fmt, faults, knobs)
    rng = random.Random(f"render:{seed}")
    doc = build_document(truth, rng, faults, knobs)
    if script == "traditional":
        doc.map_text(to_traditional)
    extra = ""
    if fmt == "docx":
        write_docx(doc, out_path, script)
    elif fmt == "pdf":
        with tempfile.TemporaryDirectory(prefix="synth-docx-") as tmp:
            docx = Path(tmp) / (out_path.stem + ".docx")
            write_docx(doc, docx, script)
            produced = docx_to_pdf([docx], Path(tmp))[0]
            shutil.move(str(produced), out_path)
    elif fmt == "html":
        extra = write_html(doc, out_path, truth["meta"], rng)
    elif fmt == "md":
        extra = write_md(doc, out_path)
    else:
        extra = write_txt(doc, out_path, rng)
    _note(truth, fmt, script, faults, extra, knobs)
    return out_path


def docx_to_pdf(docx_paths: list[Path], out_dir: Path, timeout: int = SOFFICE_TIMEOUT) -> list[Path]:
    """Convert many DOCX files with one LibreOffice call (start-up dominates), in a private profile."""
    if not docx_paths:
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="synth-lo-profile-") as profile:
        cmd = [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *map(str, docx_paths),
        ]
        run_tool(cmd, timeout=timeout, check=True, what="docx to pdf")
    produced = [out_dir / (p.stem + ".pdf") for p in docx_paths]
    missing = [p for p in produced if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not produce {len(missing)} PDFs, e.g. {missing[0]}")
    return produced


def html_to_pdf(page: Path, printed: Path, head_and_foot: bool = False, timeout: int = 120) -> Path:
    """Print an HTML page to PDF with headless Chromium, in a private profile; without `head_and_foot`
    no running head and foot (date, title, address, page numbers)."""
    furniture = [] if head_and_foot else ["--no-pdf-header-footer"]
    with tempfile.TemporaryDirectory(prefix="synth-chromium-") as profile:
        cmd = [
            *CHROMIUM,
            f"--user-data-dir={profile}",
            *furniture,
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ]
        run_tool(cmd, timeout=timeout, check=True, what="html to pdf")
    return printed
