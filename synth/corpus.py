"""A corpus of synthetic reports with their truths, as the `ingest synth` command, the corpus test and
the benchmark all make it: documents plus a `<name>.expected.json` beside each."""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth.knobs import CLASSIC, Knobs, applicable, draw_knobs
from synth.render import ALL_FORMATS, SCRIPTS, docx_to_pdf, render
from synth.truth import generate_truth

TEMPLATE_WEIGHTS = {"2019": 9, "2021": 9, "narrative": 2}


@dataclass(frozen=True, slots=True)
class Case:
    seed: int
    template: str
    fmt: str
    script: str
    varied: bool = False  # layout knobs drawn from the seed (synth.knobs), else the classic layout

    @property
    def name(self) -> str:
        # Neutral names: the template and script must come from the document, not its file name.
        return f"synth_{self.seed:05d}"


@dataclass(frozen=True, slots=True)
class CorpusItem:
    path: Path
    expected_path: Path
    case: Case

    def expected(self) -> dict[str, Any]:
        return json.loads(self.expected_path.read_text(encoding="utf-8"))


def plan(
    count: int,
    formats: list[str],
    seed: int,
    templates: list[str] | None = None,
    scripts: list[str] | None = None,
    varied: bool = False,
) -> list[Case]:
    """Formats in turn; templates weighted (mostly the two table templates); about one in three traditional."""
    rng = random.Random(f"plan:{seed}")
    templates = templates or list(TEMPLATE_WEIGHTS)
    scripts = scripts or list(SCRIPTS)
    weights = [TEMPLATE_WEIGHTS.get(t, 1) for t in templates]
    cases = []
    for i in range(count):
        template = templates[i % len(templates)] if i < len(templates) else rng.choices(templates, weights)[0]
        script = scripts[0] if len(scripts) == 1 else ("traditional" if rng.random() < 0.35 else "simplified")
        cases.append(Case(seed + i, template, formats[i % len(formats)], script, varied))
    return cases


def _write_expected(truth: dict[str, Any], path: Path) -> Path:
    truth["file"] = path.name
    out = path.parent / f"{path.stem}.expected.json"
    out.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def _pdf_knobs(truth: dict[str, Any], pdf: Path, knobs: Knobs, seed: int, mixed_pages: bool) -> None:
    """What only the PDF shows: its layout record as a PDF's, and page 2 scanned under `mixed_scan`
    (unless the PDF is to be scanned whole: `mixed_pages=False`)."""
    if knobs.classic:
        return
    truth["layout"] = applicable(knobs, "pdf", truth["meta"]["template"])
    if not mixed_pages:
        truth["layout"].pop("mixed_scan")
    elif knobs.mixed_scan == "yes":
        from synth.scan import scan_one_page

        page = scan_one_page(pdf, 1, seed)
        truth["notes"] += f" Page {page + 1} is a scan (an image, no text layer)."


def build(cases: list[Case], out_dir: Path, mixed_pages: bool = True) -> list[CorpusItem]:
    """Render every case; PDFs go through one LibreOffice call for the whole batch."""
    out_dir.mkdir(parents=True, exist_ok=True)
    items: list[CorpusItem] = []
    pending_pdf: list[tuple[Case, dict[str, Any], Path, Knobs]] = []
    with tempfile.TemporaryDirectory(prefix="synth-stage-") as stage:
        for case in cases:
            if case.fmt not in ALL_FORMATS:
                raise ValueError(f"unknown format {case.fmt!r}")
            truth = generate_truth(case.seed, case.template)
            knobs = draw_knobs(case.seed) if case.varied else CLASSIC
            if case.fmt == "pdf":
                docx = render(
                    truth,
                    "docx",
                    Path(stage) / f"{case.name}.docx",
                    script=case.script,
                    seed=case.seed,
                    knobs=knobs,
                )
                # The DOCX is only the PDF's source: the note must name the delivered format.
                truth["notes"] = truth["notes"].replace("Rendered as docx", "Rendered as pdf", 1)
                pending_pdf.append((case, truth, docx, knobs))
                continue
            path = render(
                truth,
                case.fmt,
                out_dir / f"{case.name}.{case.fmt}",
                script=case.script,
                seed=case.seed,
                knobs=knobs,
            )
            items.append(CorpusItem(path, _write_expected(truth, path), case))
        pdfs = docx_to_pdf([d for _, _, d, _ in pending_pdf], Path(stage) / "pdf")
        for (case, truth, _, knobs), pdf in zip(pending_pdf, pdfs, strict=True):
            path = out_dir / pdf.name
            shutil.move(str(pdf), path)
            _pdf_knobs(truth, path, knobs, case.seed, mixed_pages)
            items.append(CorpusItem(path, _write_expected(truth, path), case))
    return sorted(items, key=lambda it: it.case.seed)


def make_corpus(
    out_dir: Path,
    count: int,
    formats: list[str],
    seed: int = 0,
    templates: list[str] | None = None,
    scripts: list[str] | None = None,
    varied: bool = False,
    mixed_pages: bool = True,
) -> list[CorpusItem]:
    return build(plan(count, formats, seed, templates, scripts, varied), out_dir, mixed_pages)
