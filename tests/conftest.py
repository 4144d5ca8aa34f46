"""Fixtures shared by the test modules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from ingest.document import Page, Table
from synth.corpus import Case, build
from synth.knobs import FORCE_ENV
from synth.scanned import ScannedItem, knob_cases, make_knob_scans, scan_knobs_page

KnobScan = Callable[[str, int], ScannedItem]
KnobPage = Callable[[str, int, int], Page]


def pin_knobs(monkeypatch: pytest.MonkeyPatch, knobs: str) -> None:
    """Pin `knobs` (SYNTH_FORCE_KNOBS, as a tuning run does), and the page renderer to LibreOffice unless
    `knobs` names one: the regressions the tests keep were scans of that rendering, drawn before the
    renderer knob existed."""
    if "renderer=" not in knobs:
        knobs = ",".join(filter(None, (knobs, "renderer=libreoffice")))
    monkeypatch.setenv(FORCE_ENV, knobs)


@pytest.fixture
def knob_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> KnobScan:
    """`knob_scan("rules=none", 716501)`: the generated scan of that seed with those knobs pinned (as
    SYNTH_FORCE_KNOBS pins them in a tuning run; the others drawn from the seed as usual, the renderer
    as `pin_knobs` says)."""

    def make(knobs: str, seed: int) -> ScannedItem:
        pin_knobs(monkeypatch, knobs)
        return make_knob_scans(tmp_path / f"scan-{seed}", 1, seed)[0]

    return make


def knob_page_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    knobs: str,
    case: Case,
    index: int,
    number: int,
    mixed_pages: bool = False,
) -> Path:
    """A one-page scan (image PDF or TIFF, as the whole scan is stored) of page `number` of the `index`-th
    scan of a `bench layouts --scans N` run (whose case that is), with `knobs` pinned: the pixels the whole
    scan gives that page (`synth.scanned.scan_knobs_page`), made without the other pages.
    `mixed_pages=False` builds the report as the bench does; `True` as `synth.corpus.build` does by default."""
    pin_knobs(monkeypatch, knobs)
    native = build([case], tmp_path, mixed_pages=mixed_pages)
    return scan_knobs_page(native[0], index, number, tmp_path)


def knob_scan_page(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    knobs: str,
    case: Case,
    index: int,
    number: int,
    mixed_pages: bool = False,
) -> Page:
    """That page (`knob_page_file`) read by OCR as the whole scan's page `number` is read."""
    from ingest.ocr import ocr_image  # the OCR stack only in the modules that read scans
    from ingest.ocr.page import ocr_pdf_page
    from ingest.readers import Limits

    path = knob_page_file(tmp_path, monkeypatch, knobs, case, index, number, mixed_pages)
    if path.suffix == ".tif":
        with Image.open(path) as tif:
            return ocr_image(tif.convert("RGB"), number)
    page = ocr_pdf_page(path, 1, Limits())
    page.number = number
    return page


def table_rows(page: Page) -> list[list[str]]:
    """The cell texts of every table row on a page, table after table."""
    return [[c.text for c in row] for b in page.blocks if isinstance(b, Table) for row in b.rows()]


@pytest.fixture
def knob_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> KnobPage:
    """`knob_page("rules=none", 716501, 3)`: page 3 of `knob_scan("rules=none", 716501)`, read by OCR."""

    def make(knobs: str, seed: int, number: int) -> Page:
        return knob_scan_page(tmp_path, monkeypatch, knobs, knob_case(monkeypatch, knobs, seed), 0, number)

    return make


def knob_case(monkeypatch: pytest.MonkeyPatch, knobs: str, seed: int) -> Case:
    """The report `knob_scan(knobs, seed)` scans, its knobs drawn with `knobs` pinned (pinned here, first:
    the renderer drawn decides the report's format)."""
    pin_knobs(monkeypatch, knobs)
    return knob_cases(1, seed)[0]


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own, which reads the marks into the node ids
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`make test` runs the suite on every core (pytest-xdist, `--dist loadgroup`). A module runs whole on
    one worker, so what its module fixtures make (a rendered scan, a corpus read once) is made once; the
    service tests run one after another on one worker, because some of them stop the real Redis that the
    others use; the web tests share one server and one browser."""
    for item in items:
        item.add_marker(pytest.mark.xdist_group(_group(Path(str(item.path)))))


def _group(path: Path) -> str:
    tests = Path(__file__).parent
    part = path.relative_to(tests).parts
    return part[0] if part[0] in ("service", "web") else path.stem
