"""A new format is one module: a reader registered from another package (an entry point of the
`ingest.readers` group, found on the path) is detected, routed and read with no file of ours changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ingest.readers import Format, registered

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "seeds" / "000_35b29aa8985b6c6f"

TOY_READER = '''
"""Reports wrapped in a toy container: a TOYREPORT line, then the report's text."""
import tempfile
from pathlib import Path

from ingest.readers import Limits, reader, reader_for


@reader("toy", sniff=lambda s: s.head.startswith(b"TOYREPORT\\n"), order=5, needs_ocr=lambda _p: False)
def read(path: Path, limits: Limits):
    body = path.read_bytes().split(b"\\n", 1)[1]
    with tempfile.TemporaryDirectory() as tmp:
        inner = Path(tmp) / "body.txt"
        inner.write_bytes(body)
        doc = reader_for("text")(inner, limits)
    doc.path, doc.format = str(path), "toy"
    return doc
'''


def _install_toy_plugin(site: Path) -> None:
    """A package on the path, as `pip install` would leave it: the module and its dist-info."""
    (site / "toyreader.py").write_text(TOY_READER, encoding="utf-8")
    info = site / "toy_reader-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: toy-reader\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text("[ingest.readers]\ntoy = toyreader\n", encoding="utf-8")


def test_a_toy_format_from_another_package_is_read(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _install_toy_plugin(site)
    report = tmp_path / "report.dat"
    report.write_bytes(b"TOYREPORT\n" + SEED.with_suffix(".txt").read_bytes())
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{ROOT}"}
    done = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "extract", str(report)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=True,
    )
    record = json.loads(done.stdout)
    truth = json.loads(SEED.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert record["error"] is None and record["source"]["format"] == "toy"
    assert {k: record["fields"][k]["value"] for k in truth["fields"]} == truth["fields"]
    route = (
        "from worker.intake import route; import sys; print(route(__import__('pathlib').Path(sys.argv[1])))"
    )
    routed = subprocess.run(
        [sys.executable, "-c", route, str(report)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=True,
    )
    assert routed.stdout.strip() == "native"


def test_every_built_in_format_has_a_reader_that_detection_asks() -> None:
    specs = {spec.format: spec for spec in registered()}
    assert set(Format) <= set(specs)
    assert all(specs[f].sniff is not None for f in Format)
    assert specs[Format.IMAGE].needs_ocr(Path("x.png"))


def test_routing_imports_no_reading_library_and_load_stages_imports_them_all() -> None:
    """The importer detects and routes every file but reads none: pdfplumber and the other libraries a
    reader imports on use stay out of it (~0.1 s of its start-up); a process that reads preloads them."""
    pdf = ROOT / "tests" / "fixtures" / "real" / "hzq2023_working.pdf"
    probe = f"""
import sys
from pathlib import Path
from ingest.detect import detect_format
from ingest.readers import registered, spec_for
spec = spec_for(detect_format(Path({str(pdf)!r})))
print(spec.format, spec.needs_ocr(Path({str(pdf)!r})))
print(sorted(m for spec in registered() for m in spec.preload if m in sys.modules))
from ingest.pipeline import load_stages
load_stages()
print(sorted(m for spec in registered() for m in spec.preload if m not in sys.modules))
"""
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.splitlines()
    assert out[0] == "pdf False"
    assert out[1] == "[]", "routing imported a reader's library"
    assert out[2] == "[]", "load_stages left a reader's library to the first file"
    assert "pdfplumber" in {m for spec in registered() for m in spec.preload}
