"""The pipeline is one visible list of stages, and the README says the same."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

from ingest.pipeline import STAGES

README = Path(__file__).resolve().parents[1] / "README.md"


def _readme_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## The pipeline", 1)[1].split("\n## ", 1)[0]


def test_the_readme_names_the_stages_in_the_codes_order() -> None:
    section = _readme_section()
    names = [name for name, _ in STAGES]
    arrow_line = re.search(r"`([a-z →]+)`", section)
    assert arrow_line and arrow_line.group(1).split(" → ") == names
    table = re.findall(r"^\| ([a-z]+) \| `", section, flags=re.M)
    assert table == names


def test_every_stage_is_a_typed_function() -> None:
    for _name, where in STAGES:
        dotted = where.split(":", 1)[0]
        module, _, function = dotted.rpartition(".")
        fn = getattr(importlib.import_module(module), function)
        signature = inspect.signature(fn)
        assert signature.return_annotation is not inspect.Signature.empty, dotted
        assert all(p.annotation is not inspect.Parameter.empty for p in signature.parameters.values()), dotted
