"""Image files (PNG, JPEG, TIFF with several pages, BMP): every page goes through the OCR route."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from ingest.detect import is_image
from ingest.document import SourceDocument
from ingest.errors import CorruptFile, EmptyFile, TooLarge
from ingest.readers import Format, Limits, reader

# Pillow's own decompression-bomb guard, kept explicit: ~4x an A4 page at 300 dpi.
Image.MAX_IMAGE_PIXELS = 150_000_000


@reader(Format.IMAGE, sniff=lambda s: is_image(s.head), order=40, needs_ocr=lambda _p: True)
def read(path: Path, limits: Limits) -> SourceDocument:
    from ingest.ocr import ocr_image

    size = path.stat().st_size
    if size == 0:
        raise EmptyFile(f"{path.name} is empty")
    if size > limits.max_file_bytes:
        raise limits.file_too_big(path.name, size)
    doc = SourceDocument(
        path=str(path), format="image", info={"ocr": "tesseract chi_sim+chi_tra, eng digits"}
    )
    try:
        with Image.open(path) as im:
            n = getattr(im, "n_frames", 1)
            if n > limits.max_pages:
                raise limits.too_many_pages(path.name, n)
            for i, frame in enumerate(ImageSequence.Iterator(im), 1):
                # One frame decoded at a time: a multi-page TIFF never sits in memory whole.
                doc.pages.append(ocr_image(frame.convert("RGB"), i))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        if isinstance(exc, Image.DecompressionBombError):
            raise TooLarge(
                f"{path.name}: over the image pixel limit (decompression bomb guard): {exc}"
            ) from exc
        raise CorruptFile(f"{path.name} is not a readable image: {exc}") from exc
    doc.info["pages_ocr"] = str(len(doc.pages))
    return doc
