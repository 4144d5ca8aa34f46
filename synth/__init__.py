"""Synthetic reports with known truth: `generate_truth` makes the numbers, `render` writes the document.

A test-data tool beside `bench/`, not part of the runtime package: nothing the service runs imports it
(`tests/test_imports.py` checks). `ingest synth` drives it when it is installed (a development install).
"""

from synth.render import docx_to_pdf, render
from synth.truth import generate_truth, truth_from_seed

__all__ = ["docx_to_pdf", "generate_truth", "render", "truth_from_seed"]
