"""The OCR route: a page image in, a `Page` of lines and grid tables out (see docs/ocr.md)."""

from __future__ import annotations

from ingest.ocr.page import ocr_image, ocr_pdf_page

__all__ = ["ocr_image", "ocr_pdf_page"]
