"""Templates are data: the JSON is validated on load, and a new template is a JSON edit only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from ingest import templates
from worker import workbook

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "ingest" / "templates"
SEED = ROOT / "tests" / "fixtures" / "seeds" / "000_35b29aa8985b6c6f"
NEW_WORDING = "本年新制定数量"  # the toy template prints 本年新制作数量 so


@pytest.fixture
def template_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("fields.json", "labels.json"):
        shutil.copy(DATA / name, tmp_path / name)
    monkeypatch.setenv("INGEST_TEMPLATE_DIR", str(tmp_path))
    templates.clear_caches()
    yield tmp_path
    monkeypatch.delenv("INGEST_TEMPLATE_DIR")
    templates.clear_caches()


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_broken_edit_fails_on_load_naming_the_key(template_dir: Path) -> None:
    _edit(template_dir / "fields.json", lambda d: d["templates"]["2019"][0].update(type="integer"))
    with pytest.raises(ValidationError, match=r"templates\.2019\.0\.type"):
        templates.catalogue()


def test_labels_may_not_name_a_template_that_does_not_exist(template_dir: Path) -> None:
    _edit(template_dir / "labels.json", lambda d: d["template_years"].update({"2030": [2030, 2035]}))
    with pytest.raises(ValueError, match="2030"):
        templates.template_years()


def _add_toy_template(fields: dict, labels: dict) -> None:
    """Template "2019b": the 2019 tables with one column worded anew — fields.json and labels.json only."""
    toy = [dict(spec) for spec in fields["templates"]["2019"]]
    for spec in toy:
        spec["col_label"] = spec["col_label"].replace("本年新制作数量", NEW_WORDING)
    fields["templates"]["2019b"] = toy
    next(f for f in fields["meta"] if f["key"] == "meta.template")["values"].append("2019b")
    labels["template_markers"]["2019b"] = [*labels["template_markers"]["2019"], NEW_WORDING]
    labels["template_years"]["2019b"] = labels["template_years"]["2019"]


def test_a_new_template_is_a_json_edit_only(
    template_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    fields = json.loads((template_dir / "fields.json").read_text(encoding="utf-8"))
    labels = json.loads((template_dir / "labels.json").read_text(encoding="utf-8"))
    _add_toy_template(fields, labels)
    (template_dir / "fields.json").write_text(json.dumps(fields, ensure_ascii=False), encoding="utf-8")
    (template_dir / "labels.json").write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
    assert templates.template_names() == ("2019", "2021", "2019b")
    assert workbook._template_sheets() == ("2019", "2021", "2019b", "narrative")  # the XLSX gets its sheet

    report = tmp_path_factory.mktemp("toy") / "report.txt"
    text = SEED.with_suffix(".txt").read_text(encoding="utf-8")
    assert "本年新制作数量" in text
    report.write_text(text.replace("本年新制作数量", NEW_WORDING), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "extract", str(report)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    record = json.loads(out.stdout)
    truth = json.loads(SEED.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert record["meta"]["template"]["value"] == "2019b"
    wrong = {
        k: (record["fields"][k]["value"], v)
        for k, v in truth["fields"].items()
        if k.startswith("t") and record["fields"].get(k, {}).get("value") != v
    }
    assert not wrong
