"""Where a field was read: a crop of the page image, or the lines of text around it.

PDF pages (bbox in points) are rendered once with pdftoppm and cached under `<data dir>/web_cache`; image
files (bbox in pixels) are cropped directly. DOCX, HTML and text have no page image, so the evidence is
the raw text around the field's line.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from PIL import Image

from ingest.document import Cell, Line, SourceDocument
from ingest.pipeline import read_document
from models.db import data_dir
from models.tables import Document, Field

RENDER_DPI = 110
CROP_MARGIN_PX = 60
IMAGE_FORMATS = {"image", "tiff", "jpeg", "png"}
CONTEXT_LINES = 3


def has_page_images(doc: Document) -> bool:
    return (doc.format or "") == "pdf" or (doc.format or "") in IMAGE_FORMATS


def _cache_dir() -> Path:
    path = data_dir() / "web_cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def page_image(doc: Document, page: int) -> Image.Image:
    """The page as an RGB image, and for PDFs at RENDER_DPI."""
    if (doc.format or "") == "pdf":
        return Image.open(_render_pdf_page(doc.store_path, doc.sha256, page)).convert("RGB")
    with Image.open(doc.store_path) as img:
        img.seek(max(0, page - 1))  # multi-page TIFF: one frame per page
        return img.convert("RGB")


def _render_pdf_page(path: str, sha256: str, page: int) -> Path:
    out = _cache_dir() / f"{sha256}-p{page}-{RENDER_DPI}"
    png = out.with_suffix(".png")
    if not png.exists():
        # -singlefile: exact output name; a timeout keeps a hostile PDF from pinning a web worker.
        subprocess.run(["pdftoppm", "-png", "-r", str(RENDER_DPI), "-f", str(page), "-l", str(page),
                        "-singlefile", path, str(out)], check=True, timeout=60, capture_output=True)
    return png


def png_bytes(img: Image.Image) -> bytes:
    buf = BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def crop(doc: Document, f: Field) -> bytes | None:
    """The field's region with some surrounding context, the bbox outlined in red."""
    if not has_page_images(doc) or f.page is None or not f.bbox:
        return None
    img = page_image(doc, f.page)
    scale = RENDER_DPI / 72 if doc.format == "pdf" else 1.0
    x0, y0, x1, y1 = (v * scale for v in f.bbox)
    box = (max(0, int(x0) - CROP_MARGIN_PX * 3), max(0, int(y0) - CROP_MARGIN_PX),
           min(img.width, int(x1) + CROP_MARGIN_PX * 3), min(img.height, int(y1) + CROP_MARGIN_PX))
    from PIL import ImageDraw

    ImageDraw.Draw(img).rectangle((x0 - 3, y0 - 3, x1 + 3, y1 + 3), outline=(220, 30, 30), width=3)
    return png_bytes(img.crop(box))


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
