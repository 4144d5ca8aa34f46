"""`python -m bench misses`: the documents of a kept corpus it reads (not the sources its scans were printed
from), and what it says of each."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench.misses import documents, main

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


def test_a_kept_corpus_is_its_documents_not_its_scans_sources(tmp_path: Path) -> None:
    for folder in ("native", "scanned", "scanned/native"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "synth_1.pdf").write_bytes(b"%PDF")
        (tmp_path / folder / "synth_1.expected.json").write_text("{}", encoding="utf-8")
    (tmp_path / "scanned" / "synth_2.tif").write_bytes(b"II*")
    (tmp_path / "scanned" / "synth_2.expected.json").write_text("{}", encoding="utf-8")
    found = [doc.relative_to(tmp_path).as_posix() for doc, _ in documents(tmp_path, [])]
    assert found == ["native/synth_1.pdf", "scanned/synth_1.pdf", "scanned/synth_2.tif"]
    assert [doc.name for doc, _ in documents(tmp_path, ["2"])] == ["synth_2.tif"]


def test_a_wrong_value_is_shown_with_what_was_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = next(SEEDS.glob("*.txt"))
    shutil.copy(seed, tmp_path / seed.name)
    truth = json.loads(seed.with_name(seed.stem + ".expected.json").read_text(encoding="utf-8"))
    key = next(k for k, v in truth["fields"].items() if isinstance(v, int))
    truth["fields"][key] += 1  # a truth the document does not print: the reading is "wrong"
    (tmp_path / (seed.stem + ".expected.json")).write_text(json.dumps(truth, ensure_ascii=False), "utf-8")
    assert main([str(tmp_path), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert f"  wrong {key} = {truth['fields'][key] - 1!r} (raw " in out
    assert "1 documents:" in out and "0 silent" not in out
