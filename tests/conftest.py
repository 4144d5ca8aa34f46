"""Fixtures shared by the test modules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from synth.knobs import FORCE_ENV
from synth.scanned import ScannedItem, make_knob_scans

KnobScan = Callable[[str, int], ScannedItem]


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
