"""A red seal on a colour scan at 150 dpi, its paper a light grey darker under the seal than elsewhere
(synth_996030 page 2: a seal over t4, its 0s read 0二 and 9). The seal is lifted by its colour
(clean.drop_red); what is left of it in the page as read must not be ink. Lifted to paper-white, the
seal's body brightened the light estimate around it, and the grey paper and faint seal edges left between
its strokes were flattened to ink. A drawn page, read by no Tesseract."""

from __future__ import annotations

import io
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ingest.ocr.clean import clean_page, page_threshold
from synth.scan import FONT, draw_seal

DPI = 150
DRAWN = 2  # drawn at twice the scan's resolution, then scanned down
PAPER = (232, 230, 228)


def _page() -> tuple[Image.Image, tuple[int, int, int]]:
    """A landscape letter page of grey paper, black prose at its top (for the orientation), a seal."""
    dpi = DPI * DRAWN
    page = Image.new("RGB", (int(11 * dpi), int(8.5 * dpi)), PAPER)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 38)
    for y in range(240, 1240, 72):
        draw.text(
            (300, y),
            "本年度共受理政府信息公开申请40件，均依法按时答复，未发生行政复议。" * 2,
            fill="black",
            font=font,
        )
    cx, cy, radius = 1600, 1800, int(0.75 * dpi)
    draw_seal(page, cx, cy, radius, random.Random(3))
    # The scan: its light, brighter at the top than at the seal, its optics' blur, its grain, and JPEG
    # with the colour stored at half the resolution (4:2:0), as a scanner's colour page is.
    rgb = np.asarray(page).astype(np.float32)
    light = np.linspace(1.1, 0.94, rgb.shape[0], dtype=np.float32)[:, None, None]
    rgb = cv2.GaussianBlur(rgb * light, (0, 0), 1.2)
    rgb = cv2.resize(rgb, None, fx=1 / DRAWN, fy=1 / DRAWN, interpolation=cv2.INTER_AREA)
    grain = np.random.default_rng(5).normal(0, 3, rgb.shape[:2]).astype(np.float32)[..., None]
    out = io.BytesIO()
    Image.fromarray(np.clip(rgb + grain, 0, 255).astype(np.uint8)).save(
        out, "JPEG", quality=70, subsampling=2
    )
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB"), (cx // DRAWN, cy // DRAWN, radius // DRAWN)


def test_no_ink_is_left_of_a_red_seal_on_grey_paper() -> None:
    image, (cx, cy, radius) = _page()
    page = clean_page(image)
    assert page.rotation == 0
    gray = page.gray
    ys, xs = np.ogrid[: gray.shape[0], : gray.shape[1]]
    disc = (xs - cx) ** 2 + (ys - cy) ** 2 <= (radius * 1.15) ** 2
    ink = (gray < page_threshold(gray)) & disc
    # Measured: 69 px of ink in the disc when the light was taken from the page as read, 9 now (specks
    # of JPEG at the seal's edge).
    assert ink.sum() < 25, int(ink.sum())
