"""Where a field was read: a crop of the page image, or the lines of text around it.

Which image a bbox belongs to depends on how the page was read (`Document.page_images`, stored from the
record's `source.page_images`):
  - an OCR'd page (unit "px"): the cleaned, upright page image the OCR route saved; its boxes are pixels
    of that image, so it is cropped as is (the original scan may be rotated or skewed);
  - a PDF text-layer page (unit "pt"): the page rendered once with pdftoppm, cached under
    `<data dir>/web_cache`, points scaled to pixels;
  - DOCX, HTML and text have no page image: the evidence is the raw text around the field's line.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from ingest.document import Cell, Line, SourceDocument
from ingest.external import run_tool
from ingest.pipeline import read_document
from models.db import data_dir
from models.tables import Document, Field

RENDER_DPI = 110
CROP_MARGIN_PX = 60
IMAGE_FORMATS = {"image", "tiff", "jpeg", "png"}
CONTEXT_LINES = 3
SERVABLE = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}

_render_locks: dict[str, threading.Lock] = {}
_render_locks_guard = threading.Lock()


@dataclass(frozen=True, slots=True)
class PageImage:
    """An image file of one page and how the page's bbox units map onto its pixels."""

    path: Path
    scale: float  # bbox units → pixels of this image
    media: str | None = None  # set when the file can be sent as it is


def _page_info(doc: Document, page: int) -> dict[str, Any] | None:
    for info in doc.page_images or []:
        if info.get("page") == page:
            return dict(info)
    return None


def has_page_images(doc: Document) -> bool:
    fmt = doc.format or ""
    return fmt == "pdf" or fmt in IMAGE_FORMATS or any(i.get("image") for i in doc.page_images or [])


def read_by_ocr(doc: Document, f: Field) -> bool:
    """Was this field's page read by the OCR route (bbox in pixels of the cleaned page image)?"""
    info = _page_info(doc, f.page or 0)
    if info is not None:
        return info.get("unit") == "px"
    return (doc.format or "") in IMAGE_FORMATS or "ocr" in (f.method or "")


def page_source(doc: Document, page: int) -> PageImage | None:
    """The image a page's boxes refer to, or None when there is none (or it is gone)."""
    info = _page_info(doc, page)
    if info is not None and info.get("unit") == "px":
        # An OCR'd page: its boxes fit only the cleaned image (None when that is gone).
        image = _cleaned_image(doc, page)
        return PageImage(image, 1.0, SERVABLE.get(image.suffix.lower())) if image else None
    if (doc.format or "") == "pdf":
        return PageImage(_render_pdf_page(doc.store_path, doc.sha256, page), RENDER_DPI / 72, "image/png")
    # Never the original of a scan (image files, or a scanned PDF page without its cleaned image): it may
    # be rotated or skewed, and its boxes belong to the cleaned image, so no image beats a wrong one.
    return None


def open_page(source: PageImage) -> Image.Image:
    with Image.open(source.path) as img:
        return img.convert("RGB")


def _cache_dir() -> Path:
    path = data_dir() / "web_cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _render_lock(key: str) -> threading.Lock:
    with _render_locks_guard:
        return _render_locks.setdefault(key, threading.Lock())


def _render_pdf_page(path: str, sha256: str, page: int) -> Path:
    """Render once per (document, page). The report page asks for the crop and the page images at the
    same moment, so the render is locked per page in this process and written under a temporary name
    then renamed: a reader (another request, another worker process) never opens a half-written PNG."""
    png = _cache_dir() / f"{sha256}-p{page}-{RENDER_DPI}.png"
    with _render_lock(png.name):
        if png.exists():
            return png
        tmp = png.with_name(f".{png.stem}-{uuid.uuid4().hex}")
        try:
            # -singlefile: exact output name; a timeout keeps a hostile PDF from pinning a web worker.
            run_tool(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    str(RENDER_DPI),
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    path,
                    str(tmp),
                ],
                timeout=60,
                check=True,
                what="page image",
            )
            os.replace(tmp.with_suffix(".png"), png)
        finally:
            tmp.with_suffix(".png").unlink(missing_ok=True)
    return png


def png_bytes(img: Image.Image) -> bytes:
    buf = BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def crop_box(
    bbox: Sequence[float], scale: float, size: tuple[int, int]
) -> tuple[tuple[float, ...], tuple[int, ...]]:
    """(the bbox in image pixels, the crop around it with some context) on an image of `size`."""
    x0, y0, x1, y1 = (v * scale for v in bbox)
    width, height = size
    box = (
        max(0, int(x0) - CROP_MARGIN_PX * 3),
        max(0, int(y0) - CROP_MARGIN_PX),
        min(width, int(x1) + CROP_MARGIN_PX * 3),
        min(height, int(y1) + CROP_MARGIN_PX),
    )
    return (x0, y0, x1, y1), box


def _cleaned_image(doc: Document, page: int) -> Path | None:
    image = (_page_info(doc, page) or {}).get("image")
    return Path(image) if image and Path(image).exists() else None


def can_crop(doc: Document, f: Field) -> bool:
    if not has_page_images(doc) or f.page is None or not f.bbox:
        return False
    # OCR boxes are pixels of the cleaned page image; on any other image they would point elsewhere.
    return not read_by_ocr(doc, f) or _cleaned_image(doc, f.page) is not None


def crop(doc: Document, f: Field) -> bytes | None:
    """The field's region with some surrounding context, the bbox outlined in red."""
    if not can_crop(doc, f):
        return None
    assert f.page is not None
    source = page_source(doc, f.page)
    if source is None:
        return None
    img = open_page(source)
    (x0, y0, x1, y1), box = crop_box(f.bbox or (), source.scale, img.size)
    ImageDraw.Draw(img).rectangle((x0 - 3, y0 - 3, x1 + 3, y1 + 3), outline=(220, 30, 30), width=3)
    return png_bytes(img.crop((box[0], box[1], box[2], box[3])))


@lru_cache(maxsize=32)
def _read(path: str) -> SourceDocument:
    return read_document(Path(path))


def _page_texts(source: SourceDocument, page: int) -> list[tuple[float, str]]:
    """(line position, text) of every line and table cell on the page, in reading order."""
    out: list[tuple[float, str]] = []
    for p in source.pages:
        if p.number != page:
            continue
        for block in p.blocks:
            if isinstance(block, Line):
                out.append((block.bbox[1], block.text))
            else:
                out.extend((c.bbox[1], c.text) for c in block.cells if isinstance(c, Cell))
    return out


def text_context(doc: Document, f: Field) -> list[tuple[str, bool]]:
    """Lines around the field's line, as (text, is the field's own line)."""
    if f.page is None or not f.bbox:
        return []
    try:
        source = _read(doc.store_path)
    except Exception:  # the store file may be gone or unreadable now; the raw text still shows
        return []
    lo, hi = f.bbox[1], f.bbox[3]
    rows = [(y, t) for y, t in _page_texts(source, f.page) if lo - CONTEXT_LINES <= y < hi + CONTEXT_LINES]
    return [(t, lo <= y < hi) for y, t in rows]
