"""Synthetic reports with known truth: `generate_truth` makes the numbers, `render` writes the document."""

from ingest.synth.render import docx_to_pdf, render
from ingest.synth.truth import generate_truth, truth_from_seed

__all__ = ["docx_to_pdf", "generate_truth", "render", "truth_from_seed"]
