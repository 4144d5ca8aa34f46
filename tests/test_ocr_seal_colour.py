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
from ingest.ocr.grid import find_tables
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


def _stamp(image: Image.Image, box: tuple[int, int, int, int]) -> None:
    """A stroke of stamp ink (one of a seal's characters' strokes), blended as synth.scan.draw_seal's."""
    layer = Image.new("L", image.size, 0)
    ImageDraw.Draw(layer).rectangle(box, fill=255)
    alpha = np.asarray(layer, dtype=np.float32)[..., None] / 255.0 * 0.8
    base = np.asarray(image, dtype=np.float32)
    ink = np.array([215, 35, 45], dtype=np.float32)
    image.paste(Image.fromarray((base * (1 - alpha) + base * ink / 255.0 * alpha).astype(np.uint8)))


def _scan(page: Image.Image) -> Image.Image:
    rgb = cv2.GaussianBlur(np.asarray(page).astype(np.float32), (0, 0), 1.2)
    rgb = cv2.resize(rgb, None, fx=1 / DRAWN, fy=1 / DRAWN, interpolation=cv2.INTER_AREA)
    out = io.BytesIO()
    Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=70, subsampling=2)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def test_a_seal_stroke_beside_a_figure_is_no_column_rule() -> None:
    """t4 of horizontal rules only, a seal over its last columns, one of the seal's strokes standing
    upright against a 0 across the value row (synth_996030 page 2: 用 beside suit_after_review.other's
    0). The stroke, dark enough in red to stay in the page for rules, was taken for a column rule, and
    lifting it from the page as read cut the 0 in half (read 9). The table's black rules under the
    seal stay rules."""
    dpi = DPI * DRAWN
    page = Image.new("RGB", (int(11 * dpi), int(8.5 * dpi)), PAPER)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 38)
    for y in range(240, 900, 72):
        draw.text((300, y), "本年度共受理政府信息公开申请40件，均依法按时答复。" * 2, fill="black", font=font)
    top, header, bottom = 1000, 1120, 1180  # rules: the table's top, under its header, its bottom
    for y in (top, header, bottom):
        draw.line((300, y, 3000, y), fill="black", width=2)
    digits = ImageFont.truetype(FONT, 34)
    for i, x in enumerate(range(400, 3000, 130)):
        draw.text(
            (x, (top + header) // 2), "合计" if i % 2 else "结果", fill="black", font=digits, anchor="mm"
        )
        draw.text((x, (header + bottom) // 2), "0", fill="black", font=digits, anchor="mm")
    zero = 400 + 130 * 15  # the 0 under the seal's stroke
    draw_seal(page, zero + 60, header, int(0.75 * dpi), random.Random(3))
    stroke = zero - 13  # just left of the 0's left side, from above the row to below it
    _stamp(page, (stroke - 2, header - 30, stroke + 2, bottom + 50))
    page = clean_page(_scan(page))
    red = getattr(page, "red", None)
    _grids, rules = find_tables(page.rules, page.scale, page.gray, *([red] if red is not None else []))
    x = stroke // DRAWN
    assert not rules[header // DRAWN + 3 : bottom // DRAWN - 3, x - 4 : x + 5].any()
    for y in (top, header, bottom):  # the rules crossing the seal are whole under it
        row = rules[y // DRAWN - 3 : y // DRAWN + 4, 300 // DRAWN + 10 : 3000 // DRAWN - 10]
        assert row.any(axis=0).mean() > 0.97, y
