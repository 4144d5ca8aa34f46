"""Red ink on a colour scan: a seal is lifted before reading, a red line of text is read. Held-out seed
931313's scan 931395 (colour, red 文件 masthead, no signature): the masthead "三台县人民政府办公室文件" was
lifted with the seals, the opening sentence's 三台县 was misread and the agency was lost. Pages drawn here
and read by real Tesseract."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ingest.normalize import to_simplified
from ingest.ocr import ocr_image
from ingest.ocr.clean import red_text_mask
from synth.scan import FONT, draw_seal

DPI = 200
RED = (210, 30, 35)
MASTHEAD = "三台县人民政府办公室文件"
SEAL_TEXT = "某某市审计局政务公开专用章"  # what synth.scan.draw_seal prints on the rim


def _page(masthead: bool, turn: int = 0) -> Image.Image:
    """An A4 page: the red masthead and its red rule (when asked), a black title and paragraph, a seal."""
    page = Image.new("RGB", (int(8.27 * DPI), int(11.69 * DPI)), "white")
    draw = ImageDraw.Draw(page)
    if masthead:
        draw.text((page.width // 2, 260), MASTHEAD, fill=RED, font=ImageFont.truetype(FONT, 96), anchor="mm")
        draw.line((150, 360, page.width - 150, 368), fill=RED, width=6)  # the rule, a little skewed
    body = ImageFont.truetype(FONT, 46)
    draw.text(
        (page.width // 2, 480),
        "关于2022年政府信息公开工作年度报告的报告",
        fill="black",
        font=body,
        anchor="mm",
    )
    draw.text((200, 600), "本年度共受理政府信息公开申请4件，均依法按时答复。", fill="black", font=body)
    draw_seal(page, int(page.width * 0.65), int(page.height * 0.6), 200, random.Random(7))
    return page.rotate(turn, expand=True) if turn else page


def _reddish(page: Image.Image) -> np.ndarray:
    rgb = np.asarray(page).astype(np.int16)
    return ((rgb[..., 0] - np.maximum(rgb[..., 1], rgb[..., 2])) > 25).astype(np.uint8)


def test_a_red_line_of_text_is_kept_and_a_seal_is_not() -> None:
    for turn in (0, 90):  # the mask is made before the page is turned upright
        page = _page(masthead=True, turn=turn)
        mask = red_text_mask(_reddish(page), DPI)
        ys, xs = np.nonzero(mask)
        assert len(ys), turn
        # Only the masthead: the rule and the seal (lower half, right) are left out.
        along, across = (xs, ys) if turn == 0 else (ys, xs)
        assert across.max() - across.min() < 0.75 * DPI, turn
        assert along.max() - along.min() > 4 * DPI, turn
    assert not red_text_mask(_reddish(_page(masthead=False)), DPI).any()


def test_the_red_masthead_is_read_and_the_seal_is_not() -> None:
    lines = [to_simplified(line.text) for line in ocr_image(_page(masthead=True), 1).lines()]
    assert any(MASTHEAD in line for line in lines), lines
    assert not any(ch in "".join(lines) for ch in "审计专用章"), lines
