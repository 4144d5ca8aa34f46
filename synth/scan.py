"""Scanned renderings: turn a rendered PDF into what a scanner and a tired office make of it.

Pages are rasterized at 150–300 dpi, then given the faults real scans carry: skew (±2°), noise, blur,
JPEG artefacts, uneven lighting, a red official seal (公章, also over table cells), one page upside
down, one page turned to landscape. Output is a multi-page image PDF, a multi-page TIFF, or one
JPEG/PNG per page.

`sample_docx` builds a small report (prose, a t4 grid with a two-level merged header, a t3 fragment
with merged group cells) with python-docx, for tests that must not wait for the full generator.
"""

from __future__ import annotations

import io
import math
import random
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ingest.external import run_tool

FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"


@dataclass(slots=True)
class ScanFaults:
    dpi: int = 200
    skew: float = 1.5  # max |degrees|
    noise: float = 8.0  # gaussian sigma in grey levels
    blur: float = 0.6  # gaussian radius in px
    jpeg_quality: int | None = 60
    uneven_light: float = 0.25  # darkest corner loses this share of brightness
    seal_pages: Sequence[int] = (-1,)  # indexes of pages (negative from the end) that get a seal
    seal_over_cells: bool = False  # put an extra seal over the middle of the page (table cells)
    upside_down: Sequence[int] = ()
    landscape: Sequence[int] = ()  # pages turned 90° as a sideways scan of a landscape page
    landscape_turn: int = 90  # which way those pages are turned (90 or 270, counter-clockwise)
    colour: str = "colour"  # what the scanner stores: "colour" (RGB), "gray" (8 bit) or "bilevel" (1 bit)


@dataclass(slots=True)
class ScannedPage:
    image: Image.Image
    rotation: int  # degrees counter-clockwise applied to the upright page (0, 90, 180, 270)
    skew: float
    seals: list[tuple[int, int, int]] = field(default_factory=list)  # (cx, cy, radius) before rotation


# --- the sample document -------------------------------------------------------------------------------

T4_TOP = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
T3_COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
T3_DENIED = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益"]


def sample_numbers(seed: int, n: int, big: bool = True) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        roll = rng.random()
        value = (
            rng.randint(0, 9)
            if roll < 0.5
            else rng.randint(10, 99)
            if roll < 0.85 or not big
            else rng.randint(100, 4999)
        )
        out.append(str(value))
    return out


def sample_docx(out: Path, seed: int = 0) -> dict[str, list[str]]:
    """Write a one-to-two page report to `out`; return the numbers printed in each table, row-major."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    style.font.name = "Noto Serif CJK SC"
    rpr = style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "Noto Serif CJK SC"
    )
    doc.add_paragraph("某某市审计局2021年政府信息公开工作年度报告")
    doc.add_paragraph(
        "一、总体情况。2021年，本局认真贯彻落实政府信息公开条例，全年主动公开政府信息196条，"
        "收到政府信息公开申请4件，均已按期答复。"
    )
    doc.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    t4 = _t4_table(doc, sample_numbers(seed, 15, big=False))
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    t3 = _t3_table(doc, sample_numbers(seed + 1, 7 * 7))
    doc.add_paragraph("五、存在的主要问题及改进情况：公开的方式及渠道有待探索和创新。")
    doc.add_paragraph("某某市审计局　2022年1月20日")
    doc.save(str(out))
    return {"t4": t4, "t3": t3}


def _grid(doc, rows: int, cols: int):  # type: ignore[no-untyped-def]
    table = doc.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    return table


def _t4_table(doc, numbers: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    t = _grid(doc, 4, 15)
    t.cell(0, 0).merge(t.cell(0, 4)).text = "行政复议"
    t.cell(0, 5).merge(t.cell(0, 14)).text = "行政诉讼"
    for i, label in enumerate(T4_TOP):
        t.cell(1, i).merge(t.cell(2, i)).text = label
    t.cell(1, 5).merge(t.cell(1, 9)).text = "未经复议直接起诉"
    t.cell(1, 10).merge(t.cell(1, 14)).text = "复议后起诉"
    for i in range(10):
        t.cell(2, 5 + i).text = T4_TOP[i % 5]
    for i, value in enumerate(numbers):
        t.cell(3, i).text = value
    return numbers


def _t3_table(doc, numbers: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    t = _grid(doc, 9, 10)
    t.cell(0, 0).merge(
        t.cell(1, 2)
    ).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    t.cell(0, 3).merge(t.cell(0, 9)).text = "申请人情况"
    for i, label in enumerate(T3_COLS):
        t.cell(1, 3 + i).text = label
    t.cell(2, 0).merge(t.cell(2, 2)).text = "一、本年新收政府信息公开申请数量"
    t.cell(3, 0).merge(t.cell(3, 2)).text = "二、上年结转政府信息公开申请数量"
    t.cell(4, 0).merge(t.cell(8, 0)).text = "三、本年度办理结果"
    t.cell(4, 1).merge(t.cell(4, 2)).text = "（一）予以公开"
    t.cell(5, 1).merge(t.cell(8, 1)).text = "（三）不予公开"
    for i, label in enumerate(T3_DENIED[:3]):
        t.cell(6 + i - 1, 2).text = label
    t.cell(8, 2).text = T3_DENIED[3]
    for r in range(7):
        for c in range(7):
            t.cell(2 + r, 3 + c).text = numbers[r * 7 + c]
    return numbers


def docx_to_pdf(docx: Path, out_dir: Path, timeout: float = 120) -> Path:
    """LibreOffice headless conversion, with its own profile dir so parallel runs do not collide."""
    with tempfile.TemporaryDirectory() as profile:
        run_tool(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(docx),
            ],
            timeout=timeout,
            check=True,
            what=docx.name,
        )
    return out_dir / (docx.stem + ".pdf")


# --- faults ---------------------------------------------------------------------------------------------


def rasterize(pdf: Path, dpi: int) -> list[Image.Image]:
    from pdf2image import convert_from_path

    return [im.convert("RGB") for im in convert_from_path(str(pdf), dpi=dpi)]


def draw_seal(image: Image.Image, cx: int, cy: int, radius: int, rng: random.Random) -> None:
    """A red round seal: ring, star, and text along the rim, semi-transparent like stamp ink."""
    layer = Image.new("L", image.size, 0)
    d = ImageDraw.Draw(layer)
    width = max(3, radius // 14)
    d.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=255, width=width)
    star = [
        (
            cx + (radius * 0.3 if i % 2 == 0 else radius * 0.12) * math.cos(math.pi / 2 + i * math.pi / 5),
            cy - (radius * 0.3 if i % 2 == 0 else radius * 0.12) * math.sin(math.pi / 2 + i * math.pi / 5),
        )
        for i in range(10)
    ]
    d.polygon(star, fill=255)
    font = ImageFont.truetype(FONT, max(10, radius // 4))
    text = "某某市审计局政务公开专用章"
    for i, ch in enumerate(text):
        angle = math.pi * (1.15 - 1.3 * i / (len(text) - 1))
        x = cx + radius * 0.72 * math.cos(angle)
        y = cy - radius * 0.72 * math.sin(angle)
        d.text((x, y), ch, fill=255, font=font, anchor="mm")
    alpha = np.asarray(layer, dtype=np.float32) / 255.0 * rng.uniform(0.7, 0.9)
    ink = np.array([rng.randint(200, 235), rng.randint(20, 50), rng.randint(30, 60)], dtype=np.float32)
    base = np.asarray(image, dtype=np.float32)
    # Multiply blend: stamp ink darkens what is under it, so black text stays black under the seal.
    stamped = base * (1 - alpha[..., None]) + (base * ink / 255.0) * alpha[..., None]
    image.paste(Image.fromarray(stamped.clip(0, 255).astype(np.uint8)))


def _uneven_light(arr: np.ndarray, strength: float, rng: random.Random) -> np.ndarray:
    h, w = arr.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    dist = np.hypot(xx - cx, yy - cy) / math.hypot(w, h)
    gain = 1.0 - strength * dist
    return arr * gain[..., None]


def degrade(
    image: Image.Image, faults: ScanFaults, rng: random.Random, exact_skew: bool = False
) -> tuple[Image.Image, float]:
    """Skew, light, noise, blur; returns the image and the skew applied (degrees). With `exact_skew`
    the page is turned by the full ±skew, not by up to it."""
    if exact_skew:
        angle = faults.skew * rng.choice((-1.0, 1.0))
    else:
        angle = rng.uniform(-faults.skew, faults.skew) if faults.skew else 0.0
    if angle:
        image = image.rotate(
            angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(255, 255, 255)
        )
    arr: np.ndarray = np.asarray(image, dtype=np.float32)
    if faults.uneven_light:
        arr = _uneven_light(arr, faults.uneven_light, rng)
    if faults.noise:
        noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, faults.noise, arr.shape[:2])
        arr = arr + noise[..., None]
    image = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    if faults.blur:
        image = image.filter(ImageFilter.GaussianBlur(faults.blur))
    return image, angle


def jpeg_roundtrip(image: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def _page_index(i: int, n: int, wanted: Sequence[int]) -> bool:
    return any(i == (w if w >= 0 else n + w) for w in wanted)


def scan_pages(
    pages: list[Image.Image], faults: ScanFaults, seed: int = 0, exact_skew: bool = False
) -> list[ScannedPage]:
    rng = random.Random(seed)
    out: list[ScannedPage] = []
    n = len(pages)
    for i, page in enumerate(pages):
        page = page.copy()
        seals = []
        if _page_index(i, n, faults.seal_pages):
            w, h = page.size
            r = int(w * 0.09)
            seals.append((int(w * 0.7), int(h * 0.78), r))
            if faults.seal_over_cells:
                seals.append((int(w * 0.55), int(h * 0.45), r))
            for cx, cy, rad in seals:
                draw_seal(page, cx, cy, rad, rng)
        page, skew = degrade(page, faults, rng, exact_skew)
        rotation = 0
        if _page_index(i, n, faults.upside_down):
            rotation = 180
        elif _page_index(i, n, faults.landscape):
            rotation = faults.landscape_turn
        if rotation:
            page = page.rotate(rotation, expand=True)
        if faults.jpeg_quality:
            page = jpeg_roundtrip(page, faults.jpeg_quality)
        out.append(ScannedPage(store_colour(page, faults.colour), rotation, skew, seals))
    return out


BILEVEL_THRESHOLD = 150  # grey level below which a binarizing scanner prints black (no dithering)


def store_colour(image: Image.Image, colour: str) -> Image.Image:
    """The page as the scanner stores it: RGB, 8-bit grey, or binarized to 1 bit by a fixed threshold
    (a red seal turns black there, as on real binarized scans)."""
    if colour == "colour":
        return image
    grey = image.convert("L")
    if colour == "gray":
        return grey
    return grey.point(lambda v: 255 if v >= BILEVEL_THRESHOLD else 0).convert("1", dither=Image.Dither.NONE)


def scan_pdf(
    pdf: Path, faults: ScanFaults | None = None, seed: int = 0, exact_skew: bool = False
) -> list[ScannedPage]:
    faults = faults or ScanFaults()
    return scan_pages(rasterize(pdf, faults.dpi), faults, seed, exact_skew)


# What the pages a caller does not want go through instead of their rasterized image.
_STAND_IN_SIZE = (64, 64)


def scan_pdf_page(
    pdf: Path, number: int, faults: ScanFaults | None = None, seed: int = 0, exact_skew: bool = False
) -> ScannedPage:
    """Page `number` (1-based) of `scan_pdf(pdf, faults, seed, exact_skew)`, the same pixels, made alone: a
    test that reads one page of a generated scan need not rasterize and degrade the rest. The other pages
    still go through `scan_pages`, as small blank stand-ins, because every page takes its draws (seal ink,
    skew, light, noise) from the one random stream in page order; the number of draws does not depend on
    a page's image (tests/test_synth_knobs.py holds the two ways equal)."""
    from pdf2image import convert_from_path, pdfinfo_from_path

    faults = faults or ScanFaults()
    count = int(pdfinfo_from_path(str(pdf))["Pages"])
    if not 1 <= number <= count:
        raise ValueError(f"{pdf.name} has {count} page(s), not a page {number}")
    wanted = convert_from_path(str(pdf), dpi=faults.dpi, first_page=number, last_page=number)[0].convert(
        "RGB"
    )
    stand_in = Image.new("RGB", _STAND_IN_SIZE, "white")
    images = [wanted if i == number else stand_in for i in range(1, count + 1)]
    return scan_pages(images, faults, seed, exact_skew)[number - 1]


def write_scan(pages: Sequence[ScannedPage], out_path: Path, dpi: int = 200) -> list[Path]:
    """Write by suffix: .pdf (one image per page), .tif/.tiff (multi-page), else one file per page."""
    images = [p.image for p in pages]
    suffix = out_path.suffix.lower()
    if suffix == ".pdf":
        # 1-bit pages are stored CCITT G4 by Pillow, which takes no JPEG quality.
        quality = {} if images[0].mode == "1" else {"quality": 75}
        images[0].save(out_path, "PDF", save_all=True, append_images=images[1:], resolution=dpi, **quality)
        return [out_path]
    if suffix in (".tif", ".tiff"):
        # 1-bit pages go in as fax archives store them (CCITT G4); others LZW.
        compression = "group4" if images[0].mode == "1" else "tiff_lzw"
        images[0].save(
            out_path, "TIFF", save_all=True, append_images=images[1:], dpi=(dpi, dpi), compression=compression
        )
        return [out_path]
    if len(images) == 1:
        images[0].save(out_path, dpi=(dpi, dpi))
        return [out_path]
    paths = []
    for i, im in enumerate(images, 1):
        p = out_path.with_name(f"{out_path.stem}-{i}{out_path.suffix}")
        im.save(p, dpi=(dpi, dpi))
        paths.append(p)
    return paths


def scan_one_page(pdf: Path, index: int, seed: int, dpi: int = 200) -> int:
    """Replace page `index` (the last one if the PDF is shorter) of a text PDF by a scan of itself: an image
    with the common scan faults and no text layer, as in PDFs assembled from printed and scanned pages.
    Returns the page replaced."""
    from pdf2image import convert_from_path
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(str(pdf))
    index = min(index, len(reader.pages) - 1)
    image = convert_from_path(str(pdf), dpi=dpi, first_page=index + 1, last_page=index + 1)[0].convert("RGB")
    faults = ScanFaults(dpi=dpi, skew=1.0, seal_pages=())
    page = scan_pages([image], faults, seed)[0].image
    buf = io.BytesIO()
    page.save(buf, "PDF", resolution=dpi, quality=75)
    writer = PdfWriter()
    scanned = PdfReader(buf).pages[0]
    for i, original in enumerate(reader.pages):
        writer.add_page(scanned if i == index else original)
    with pdf.open("wb") as fh:
        writer.write(fh)
    return index
