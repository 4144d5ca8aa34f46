"""In-process Tesseract: one `PyTessBaseAPI` per (language, page-segmentation mode) per process.

Creating an API loads the traineddata (0.1–0.25 s); a call on a cell crop costs 5–20 ms. Spawning the
`tesseract` binary per cell would cost 0.1–0.27 s each, so the APIs live as long as the worker.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

# Tesseract's OpenMP threads fight the process pool for the two cores: one thread per worker.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np
from PIL import Image

from ingest.errors import ConverterMissing

TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)
NEEDED = ("chi_sim", "chi_tra", "eng")
DIGITS = "0123456789"


def tessdata_dir() -> str:
    """The tesserocr wheel bundles its own libtesseract without data: the path must be passed."""
    env = os.environ.get("INGEST_TESSDATA") or os.environ.get("TESSDATA_PREFIX")
    for cand in ([env] if env else []) + list(TESSDATA_CANDIDATES):
        if cand and all((Path(cand) / f"{lang}.traineddata").exists() for lang in NEEDED):
            return cand
    raise ConverterMissing("Tesseract language data (chi_sim, chi_tra, eng) not found; set INGEST_TESSDATA")


@dataclass(slots=True)
class Reading:
    text: str
    conf: float  # Tesseract's weakest word confidence, 0–100 (0 when nothing was read)
    mean: float = 0.0  # Tesseract's mean text confidence, 0–100


class Engines:
    """Lazily created, reused APIs. Not thread-safe by design: one per process (the worker model)."""

    def __init__(self) -> None:
        self._apis: dict[tuple[str, int, str], object] = {}
        self._lock = threading.Lock()

    def api(self, lang: str, psm: int, whitelist: str = "") -> object:
        key = (lang, psm, whitelist)
        with self._lock:
            if key not in self._apis:
                self._apis[key] = self._make(lang, psm, whitelist)
            return self._apis[key]

    @staticmethod
    def _make(lang: str, psm: int, whitelist: str) -> object:
        try:
            import tesserocr
        except ImportError as exc:  # pragma: no cover - the wheel is a dependency
            raise ConverterMissing(f"tesserocr is not installed: {exc}") from exc
        api = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang=lang, psm=psm, oem=tesserocr.OEM.LSTM_ONLY)
        if whitelist:
            api.SetVariable("tessedit_char_whitelist", whitelist)
        # Cells are tiny images: without a resolution Tesseract guesses one and warns on every call.
        api.SetVariable("user_defined_dpi", "300")
        return api

    def read(self, image: Image.Image | np.ndarray, lang: str, psm: int, whitelist: str = "") -> Reading:
        api = self.api(lang, psm, whitelist)
        pixels = _set_image(api, image)  # noqa: F841 - Tesseract reads this buffer without copying it
        text = api.GetUTF8Text().strip()  # type: ignore[attr-defined]
        confs = api.AllWordConfidences() if text else []  # type: ignore[attr-defined]
        # The weakest word, not the mean: one bad digit group makes the whole cell doubtful.
        mean = float(api.MeanTextConf()) if text else 0.0  # type: ignore[attr-defined]
        return Reading(text, float(min(confs)) if confs else 0.0, mean)

    def lines(self, image: Image.Image | np.ndarray, lang: str, psm: int) -> list[TextLineRead]:
        """Text lines of a block with their boxes, mean confidence and each symbol's box: one walk of the
        recognized symbols, a line starting at each symbol that begins one."""
        import tesserocr

        api = self.api(lang, psm)
        pixels = _set_image(api, image)  # noqa: F841 - Tesseract reads this buffer without copying it
        api.Recognize()  # type: ignore[attr-defined]
        out: list[TextLineRead] = []
        it = api.GetIterator()  # type: ignore[attr-defined]
        line_level, symbol_level = tesserocr.RIL.TEXTLINE, tesserocr.RIL.SYMBOL
        current: TextLineRead | None = None
        for r in tesserocr.iterate_level(it, symbol_level):
            if r.IsAtBeginningOf(line_level):
                current = None
                try:
                    text = (r.GetUTF8Text(line_level) or "").strip()
                except RuntimeError:  # a line Tesseract found but read nothing from
                    continue
                box = r.BoundingBox(line_level)
                if text and box:
                    current = TextLineRead(text, float(r.Confidence(line_level)), box, [])
                    out.append(current)
            if current is None:
                continue
            try:
                symbol = r.GetUTF8Text(symbol_level) or ""
            except RuntimeError:
                symbol = ""
            box = r.BoundingBox(symbol_level)
            current.symbols.append((symbol, box if box else None))
        return out


@dataclass(slots=True)
class TextLineRead:
    """One text line as Tesseract read it: its text, mean confidence (0–100), box, and its symbols in
    reading order with their boxes (None when Tesseract gave none), in the image's pixels."""

    text: str
    conf: float
    box: tuple[int, int, int, int]
    symbols: list[tuple[str, tuple[int, int, int, int] | None]]


# Bytes per pixel of the image modes Tesseract takes raw.
_RAW_MODES = {"L": 1, "RGB": 3, "RGBA": 4}


def _set_image(api: object, image: Image.Image | np.ndarray) -> bytes | None:
    """Hands the pixels over as they are. `SetImage` encodes each crop as a BMP for Leptonica to decode
    (with a 256-entry palette built in Python for a gray one): ~4 % of a scanned page's CPU for the same
    pixels. A grey (h × w) or RGB (h × w × 3) uint8 array is handed over as its bytes: the same bytes a
    PIL image of it gives, without making one (`Image.fromarray` and PIL's chunked `tobytes` cost ~2 %
    of a page's CPU over its ~150 crops). The caller keeps the returned buffer alive until Tesseract has
    read it."""
    if isinstance(image, np.ndarray):
        if image.dtype != np.uint8 or image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] != 3):
            raise ValueError(f"a grey or RGB uint8 image is needed, not {image.dtype} {image.shape}")
        height, width = image.shape[:2]
        channels = 1 if image.ndim == 2 else 3
        data = image.tobytes()  # C order: rows of width * channels bytes, whatever the array's strides
        api.SetImageBytes(data, width, height, channels, width * channels)  # type: ignore[attr-defined]
        return data
    depth = _RAW_MODES.get(image.mode)
    if depth is None:
        api.SetImage(image)  # type: ignore[attr-defined]
        return None
    pixels = image.tobytes()
    api.SetImageBytes(pixels, image.width, image.height, depth, image.width * depth)  # type: ignore[attr-defined]
    return pixels


_ENGINES: Engines | None = None


def engines() -> Engines:
    global _ENGINES
    if _ENGINES is None:
        _ENGINES = Engines()
    return _ENGINES
