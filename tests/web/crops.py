"""Checks that a crop PNG shows the place a field was read: the red outline where the bbox says, ink inside
it, and that ink read back by real Tesseract as the field's raw text."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import numpy as np
from PIL import Image

RED = (220, 30, 30)


@dataclass(frozen=True, slots=True)
class StoredField:
    key: str
    id: int
    raw: str
    page: int
    bbox: tuple[float, float, float, float]
    method: str


def stored_field(db: Path, report_id: int, key: str) -> StoredField:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "select id, raw, page, bbox, method from field where report_id = ? and key = ?", (report_id, key)
        ).fetchone()
    assert row is not None, f"{key} not stored for report {report_id}"
    return StoredField(key, int(row[0]), str(row[1]), int(row[2]), tuple(json.loads(row[3])), str(row[4]))


def box_in_crop(
    f: StoredField, scale: float, crop_size: tuple[int, int], page_size: tuple[int, int]
) -> tuple[int, int, int, int]:
    """Where the bbox lands inside the crop, computed the way web.evidence.crop cuts it."""
    from web.evidence import crop_box

    (x0, y0, x1, y1), (cx0, cy0, cx1, cy1) = crop_box(f.bbox, scale, page_size)
    assert (cx1 - cx0, cy1 - cy0) == crop_size, "the crop is not the region around this field's box"
    return int(x0 - cx0), int(y0 - cy0), int(x1 - cx0), int(y1 - cy0)


def _is_red(px: tuple[int, int, int]) -> bool:
    return px[0] > 180 and px[1] < 80 and px[2] < 80


def tesseract_digits(img: Image.Image) -> str:
    buf = BytesIO()
    img.save(buf, format="PNG")
    out = subprocess.run(
        ["tesseract", "stdin", "stdout", "--psm", "7", "-c", "tessedit_char_whitelist=0123456789.-"],
        input=buf.getvalue(),
        capture_output=True,
        timeout=60,
        check=True,
    )
    return "".join(out.stdout.decode().split())


def assert_crop_shows(png: bytes, f: StoredField, scale: float, page_size: tuple[int, int]) -> None:
    img = Image.open(BytesIO(png)).convert("RGB")
    x0, y0, x1, y1 = box_in_crop(f, scale, img.size, page_size)
    # The outline is drawn 3 px outside the box: its top and left edges must be red.
    assert _is_red(img.getpixel(((x0 + x1) // 2, y0 - 3))), "no red outline above the box"
    assert _is_red(img.getpixel((x0 - 3, (y0 + y1) // 2))), "no red outline left of the box"
    inside = img.crop((x0 + 4, y0 + 4, x1 - 4, y1 - 4))
    px = np.asarray(inside).astype(int)
    red = (px[..., 0] > 180) & (px[..., 1] < 80) & (px[..., 2] < 80)
    ink = int(((px.sum(axis=2) < 450) & ~red).sum())
    assert ink > 15, f"no ink inside the box ({ink} dark pixels)"
    big = inside.resize((inside.width * 3, inside.height * 3), Image.Resampling.LANCZOS)
    assert tesseract_digits(big) == f.raw, "Tesseract reads something else inside the crop's box"


def widest_number(db: Path, report_id: int, prefix: str = "t3.") -> StoredField:
    """The table cell with the most digits: the best test of a crop's place (and for Tesseract)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "select key, raw from field where report_id = ? and key like ? and bbox is not null",
            (report_id, prefix + "%"),
        ).fetchall()
    numbers = [(len(raw), key) for key, raw in rows if raw and raw.isdigit()]
    assert numbers, f"no numeric cell stored for report {report_id}"
    return stored_field(db, report_id, max(numbers)[1])
