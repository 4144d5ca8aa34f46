"""A page image → `Page`: clean up, find the ruled tables, read their cells, read the prose around them."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import unicodedata
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from ingest.document import Cell, Line, Page, Table
from ingest.errors import CorruptFile, IngestError, TooLarge
from ingest.external import ToolFailed, run_tool
from ingest.ocr.clean import CleanPage, clean_page, page_threshold
from ingest.ocr.engine import TextLineRead, engines
from ingest.ocr.geometry import Grid, components, ink_runs
from ingest.ocr.glyphs import unslash_zeros
from ingest.ocr.grid import find_tables
from ingest.ocr.read import NUMBER, PROSE_LANG, SETTLED, read_cell
from ingest.ocr.seal import Seal, find_seals
from ingest.readers import Limits
from ingest.values import cell_kind

_YEAR = re.compile(r"(19|20)\d\d")

log = logging.getLogger(__name__)

# Bound memory and time per page: ~35 Mpx is A4 at 300 dpi with room to spare (RGB ~100 MB working set).
MAX_PIXELS = 36_000_000
RENDER_TIMEOUT = 120.0  # seconds for poppler to rasterize one page
# Prose is read at ~200 dpi: characters ~30 px tall are read as well as at 300 dpi, in half the time.
PROSE_PPI = 200.0
DPI_RANGE = (200, 300)


def evidence_dir() -> Path | None:
    """Where cleaned page images are kept for evidence crops: `$INGEST_DATA_DIR/ocr-pages` (the service
    sets it). Without a data dir (a plain `ingest extract` over an archive) none are written: thousands
    of pages would otherwise pile up in the temp dir."""
    base = os.environ.get("INGEST_DATA_DIR")
    if not base:
        return None
    d = Path(base) / "ocr-pages"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _save_evidence(page: CleanPage, number: int) -> str | None:
    """JPEG of the cleaned colour page (not binarized), named by content so reruns reuse it. The colour
    page is deskewed here, only when it is kept."""
    folder = evidence_dir()
    if folder is None:
        return None
    ok, buf = cv2.imencode(
        ".jpg", cv2.cvtColor(page.color, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 88]
    )
    if not ok:
        raise CorruptFile("could not encode the page image")
    data = buf.tobytes()
    path = folder / f"{hashlib.sha1(data).hexdigest()[:16]}-p{number}.jpg"
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return str(path)


def _bound(image: Image.Image | np.ndarray) -> Image.Image | np.ndarray:
    h, w = image.shape[:2] if isinstance(image, np.ndarray) else (image.height, image.width)
    if w * h <= MAX_PIXELS:
        return image
    f = (MAX_PIXELS / (w * h)) ** 0.5
    if isinstance(image, np.ndarray):
        return cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    return image.resize((int(w * f), int(h * f)), Image.Resampling.LANCZOS)


def _without_rules(gray: np.ndarray, rules: np.ndarray) -> np.ndarray:
    """The page with its rules lifted out, so a rule stub at the edge of a crop is not read as "1" or
    "|": the page every table's cells are read from."""
    lifted = gray.copy()
    lifted[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = 255
    return lifted


def _table(page: CleanPage, gray: np.ndarray, grid: Grid, thresh: float) -> Table:
    """The grid's cells read from `gray`, the page without its rules (_without_rules)."""
    inset = max(2, int(page.scale * 0.01))
    cells = []
    for gc in grid.cells:
        x0, y0, x1, y1 = gc.box
        inner = (x0 + inset, y0 + inset, x1 - inset, y1 - inset)
        if inner[2] <= inner[0] or inner[3] <= inner[1]:
            continue
        ct, _ink = read_cell(gray, inner, thresh, page.scale)
        cells.append(
            Cell(
                gc.row,
                gc.col,
                ct.text,
                (float(x0), float(y0), float(x1), float(y1)),
                gc.rowspan,
                gc.colspan,
                ct.conf,
                ct.method,
            )
        )
    x0, y0, x1, y1 = grid.box
    return Table(cells, (float(x0), float(y0), float(x1), float(y1)), grid.doubt)


def _reads_as_prose(table: Table) -> bool:
    """A bare grid (no rules) is drawn from aligned ink alone, and a title or a paragraph with a figure in
    it (`本年度共受理政府信息公开申请 18 件，均依法…`, `2023 年政府信息公开工作年度报告`) can align like a
    table's rows. Read, it shows itself: a report's table holds its values in columns (two rows with a value
    in one column) or in rows (a label and its values), where prose is words with at most a stray figure
    and a year among them. Its region is then read as the prose it is."""
    values = [c for c in table.cells if _is_table_value(c.text)]
    words = [c for c in table.cells if cell_kind(c.text) == "text"]
    columns = [c.col for c in values]
    rows = [c.row for c in values]
    scattered = all(columns.count(c) < 2 for c in columns) and all(rows.count(r) < 2 for r in rows)
    return (
        scattered and len(words) >= 2 * max(1, len(values)) and not any(_labelled(table, v) for v in values)
    )


def _labelled(table: Table, value: Cell) -> bool:
    """Does a value end its row with its label left of it and a header over it (t2's one-value section:
    信息内容 | 本年处理决定数量 over 行政许可 | 177, seed 742006)? A figure in prose has words after it
    (…申请 18 件，均依法…)."""
    same_row = [c for c in table.cells if c.row <= value.row < c.row + c.rowspan and c is not value]
    left = any(c.col + c.colspan <= value.col and cell_kind(c.text) == "text" for c in same_row)
    right = any(c.col >= value.col + value.colspan and c.text.strip() for c in same_row)
    above = any(
        c.row + c.rowspan <= value.row
        and c.col < value.col + value.colspan
        and value.col < c.col + c.colspan
        and cell_kind(c.text) == "text"
        for c in table.cells
    )
    return left and above and not right


def _is_table_value(text: str) -> bool:
    """A number or a dash that is not a year (`2023` beside 年 is the title's, not a count)."""
    return cell_kind(text) in ("number", "dash") and not _YEAR.fullmatch(text.strip())


def _read_grid(page: CleanPage, gray: np.ndarray, grid: Grid, thresh: float) -> tuple[Grid, Table]:
    """The grid's table; for an open table with rows taken in beyond its outer rules, the table
    without them (its fallback grid, read afresh) unless each such row reads as one of its rows."""
    table = _table(page, gray, grid, thresh)
    if grid.fallback is not None and not _opened_rows_hold(grid, table):
        log.debug("a row beyond the rules of an open table at %s is no row of it", grid.box)
        return grid.fallback, _table(page, gray, grid.fallback, thresh)
    return grid, table


def _opened_rows_hold(grid: Grid, table: Table) -> bool:
    """Each row taken in over an open table's first rule or under its last holds figures in at least
    half as many cells as the table's fullest other row: a heading, a caption or a header row the ink
    let through reads as words."""
    figures: dict[int, int] = {}
    where: dict[int, float] = {}
    for cell in table.cells:
        figures[cell.row] = figures.get(cell.row, 0) + (cell_kind(cell.text) in ("number", "dash"))
        if cell.rowspan == 1 and cell.bbox:
            where[cell.row] = (cell.bbox[1] + cell.bbox[3]) / 2
    opened = {r: i for r, y in where.items() for i, (a, b) in enumerate(grid.opened) if a <= y <= b}
    rest = [n for r, n in figures.items() if r not in opened]
    need = max(1, (max(rest, default=0) + 1) // 2)
    return all(
        max((n for r, n in figures.items() if opened.get(r) == i), default=0) >= need
        for i in range(len(grid.opened))
    )


def _text_blocks(ink: np.ndarray, gap: int) -> list[tuple[int, int, int, int]]:
    """Bands of text lines separated by blank gaps taller than `gap`, each cropped to its ink."""
    blocks = []
    for y0, y1 in ink_runs(ink.max(axis=1), min_gap=gap + 1, min_run=4):
        cols = np.flatnonzero(ink[y0:y1].max(axis=0) > 0)
        blocks.append((int(cols[0]), y0, int(cols[-1]) + 1, y1))
    return blocks


def _prose(page: CleanPage, grids: list[Grid], thresh: float, seals: list[Seal]) -> list[Line]:
    """Text outside the tables, read block by block (psm 6 on each band of lines: full-page layout
    analysis costs more than the reading on these sparse pages). `seals` are the grey page's."""
    gray = _without_seal_ink(page.gray, page.scale, thresh, seals)
    for g in grids:
        x0, y0, x1, y1 = g.box
        gray[max(0, y0 - 3) : y1 + 4, max(0, x0 - 3) : x1 + 4] = 255
    f = min(1.0, PROSE_PPI / page.scale)
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 0.99 else gray
    ink = cv2.morphologyEx((small < thresh).astype(np.uint8), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    lines = []
    pad = 8
    for bx0, by0, bx1, by1 in _text_blocks(ink, gap=int(PROSE_PPI * 0.25)):
        crop = small[max(0, by0 - pad) : by1 + pad, max(0, bx0 - pad) : bx1 + pad]
        ox, oy = max(0, bx0 - pad), max(0, by0 - pad)
        for read in engines().lines(crop, PROSE_LANG, 6):
            text = "".join(read.text.split()) if _mostly_cjk(read.text) else " ".join(read.text.split())
            lx0, ly0, lx1, ly1 = read.box
            box = ((lx0 + ox) / f, (ly0 + oy) / f, (lx1 + ox) / f, (ly1 + oy) / f)
            runs = _digit_runs(gray, thresh, page.scale, read, (ox, oy, f))
            lines.append(Line(text, box, round(min(0.97, read.conf / 100), 3), runs))
    return lines


# A run of digits (thousands separators within) as OCR read it in a prose line, and the measure words
# after which prose.py reads it as a count: only those are read again (a few per page).
_DIGIT_RUN = re.compile(r"[0-9０-９](?:[0-9０-９,，]*[0-9０-９])?")
_COUNT_WORDS = "条件个项起宗次條個項"
# Ink between glyphs narrower than this share of the line's height is a digit's (or a comma's), wider a
# CJK character's: digits are 0.45-0.68 of a line's height wide, characters 0.85-1.05.
PROSE_DIGIT_WIDTH = 0.75
# ... and a glyph with a stroke whose top stands this share of the line's height (2 px at least) above
# the digits' is a character's: digits are ~0.75 of a CJK character's height, on the same baseline.
PROSE_DIGIT_RISE = 0.05
# What read_cell calls a number its digit passes settled on (not a label, not a figure with a unit).
DIGIT_VOTES = ("ocr-digits", "ocr-digits+vote")


def _digits(run: str) -> str:
    return unicodedata.normalize("NFKC", run).replace(",", "")


def _digit_runs(
    gray: np.ndarray,
    thresh: float,
    ppi: float,
    read: TextLineRead,
    origin: tuple[float, float, float],
) -> tuple[tuple[str, bool], ...]:
    """Every run of digits in the line as read, each with whether the digit vote of table cells
    (read.read_number_passes, read.vote) reads its ink again as the same digits, settled. A prose line is
    read once; a count in it (主动公开政府信息132条) confirmed so is read twice, by independent passes.
    Only runs a measure word follows are read again; any doubt (the symbols do not spell the line, the
    ink around the digits holds a character, the vote does not settle or reads other digits) leaves the
    run unconfirmed."""
    chars = [(ch, box) for sym, box in read.symbols for ch in sym if not ch.isspace()]
    spelled = "".join(ch for ch, _ in chars)
    runs = []
    for m in _DIGIT_RUN.finditer(spelled):
        digits = _digits(m.group())
        confirmed = False
        after = spelled[m.end() : m.end() + 1]
        before = spelled[m.start() - 1 : m.start()]
        if (
            spelled == "".join(read.text.split())
            and after
            and after in _COUNT_WORDS
            and before not in ".．"
            and len(digits) <= 9
        ):
            try:
                confirmed = _vote_agrees(
                    gray, thresh, ppi, chars, (m.start(), m.end()), read.box, origin, digits
                )
            except Exception:  # a fault here costs the second reading, not the page
                log.exception("the digits %s of a prose line could not be read again", digits)
        runs.append((digits, confirmed))
    return tuple(runs)


def _vote_agrees(
    gray: np.ndarray,
    thresh: float,
    ppi: float,
    chars: list[tuple[str, tuple[int, int, int, int] | None]],
    span: tuple[int, int],
    line_box: tuple[int, int, int, int],
    origin: tuple[float, float, float],
    digits: str,
) -> bool:
    """Do the digit passes read the ink of `chars[span]` (symbols of a line read from a block crop at
    `origin`: its left, top and scale on `gray`) as `digits`, settled?"""
    boxes = [box for _, box in chars[span[0] : span[1]]]
    if not boxes or any(b is None for b in boxes):
        return False
    ox, oy, f = origin
    h_img, w_img = gray.shape
    band_y0 = max(0, int((line_box[1] + oy) / f) - 2)
    band_y1 = min(h_img, int(np.ceil((line_box[3] + oy) / f)) + 2)
    height = band_y1 - band_y0
    if height < 6:
        return False
    left = max(0, int((line_box[0] + ox) / f) - height)
    right = min(w_img, int(np.ceil((line_box[2] + ox) / f)) + height)
    band = gray[band_y0:band_y1, left:right] < thresh
    # Tesseract's symbol boxes are approximate (a digit's box can lie a glyph off, over its
    # neighbour's): they say roughly where the digits are; the ink's columns say which glyphs are theirs.
    cx0 = (min(b[0] for b in boxes if b) + ox) / f - left
    cx1 = (max(b[2] for b in boxes if b) + ox) / f - left
    cols = ink_runs(band.max(axis=0))
    picked = [i for i, (a, b) in enumerate(cols) if cx0 <= (a + b) / 2 <= cx1]
    if not picked:
        return False
    i, j = picked[0], picked[-1]
    strokes = [_tallest_stroke(band[:, a:b]) for a, b in cols]
    tops = [strokes[k][0] for k in picked if strokes[k][1] >= 0.4 * height]  # not a comma's
    digit_top = float(np.median(tops)) if tops else 0.0
    rise = max(2.0, PROSE_DIGIT_RISE * height)
    narrow = PROSE_DIGIT_WIDTH * height

    def digit_like(k: int) -> bool:
        """Narrow, and no stroke of a character's height rising over the digits: the left of 条 or the
        讠 of 请 beside them stand taller (a speck over a digit is no such stroke)."""
        top, tall = strokes[k]
        return cols[k][1] - cols[k][0] < narrow and not (tall >= 0.5 * height and top < digit_top - rise)

    # Every digit-like glyph next to them is read too: a digit the symbol boxes missed (or Tesseract
    # dropped) makes the vote read other digits, never the same.
    while i > 0 and digit_like(i - 1):
        i -= 1
    while j + 1 < len(cols) and digit_like(j + 1):
        j += 1
    if any(b - a >= PROSE_DIGIT_WIDTH * height for a, b in cols[i : j + 1]):
        return False  # a character's ink among the digits: not a number alone
    gx0, gx1 = left + cols[i][0], left + cols[j][1]
    rows = np.flatnonzero(band[:, cols[i][0] : cols[j][1]].max(axis=1))
    gy0, gy1 = band_y0 + int(rows[0]), band_y0 + int(rows[-1]) + 1
    margin = max(4, height // 2)
    sx0, sy0 = max(0, gx0 - margin), max(0, gy0 - margin)
    sub = gray[sy0 : min(h_img, gy1 + margin), sx0 : min(w_img, gx1 + margin)].copy()
    sub[:, : gx0 - sx0] = 255
    sub[:, gx1 - sx0 :] = 255
    sub[: gy0 - sy0] = 255
    sub[gy1 - sy0 :] = 255
    # Read as a table cell holding these glyphs alone: its digit passes, vote and second look, and its
    # checks for a glyph or a sign the passes dropped.
    cell, _ink_box = read_cell(sub, (0, 0, sub.shape[1], sub.shape[0]), thresh, ppi)
    return (
        cell.method in DIGIT_VOTES
        and cell.conf >= SETTLED
        and NUMBER.match(cell.text) is not None
        and cell.text.replace(",", "") == digits
    )


def _tallest_stroke(ink: np.ndarray) -> tuple[int, int]:
    """(top, height) of the tallest connected stroke of the ink (a boolean band of columns)."""
    n, _labels, stats, _ = components(ink.astype(np.uint8) * 255)
    if n < 2:
        return 0, 0
    k = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_HEIGHT]))
    return int(stats[k, cv2.CC_STAT_TOP]), int(stats[k, cv2.CC_STAT_HEIGHT])


# A seal whose ring is at least this light (grey level of its ink) is lighter than the text it stamps:
# a red seal kept in grey.
SEAL_GREY = 70
# Inside such a seal, ink this light or lighter, as a share of the ring's grey level, is the seal's.
SEAL_LIFT = 0.7


def _without_seal_ink(gray: np.ndarray, ppi: float, thresh: float, seals: list[Seal]) -> np.ndarray:
    """A copy of the page with the ink of grey seals lifted to paper, for reading prose. A red seal scanned
    in grey is not lifted by its colour (clean.drop_red), yet its ink stays lighter than black text (its
    ring ~115, the date it stamps ~10-30): over the signature, its rim text 计局政务公开 stood on the
    date's line, and the line read 计局政务70年2月26日 (synth_996042, 楷体, 300 dpi grey: no signature
    date). Text under the seal is darker still (the stamp darkens it) and stays; a seal as dark as the
    text (black ink, a 1-bit scan) is left as it is."""
    seals = find_seals(gray, ppi)
    if not seals:
        return gray.copy()
    out = gray.copy()
    for seal in seals:
        reach = seal.outer + ppi * 0.03
        x0, y0 = max(0, int(seal.cx - reach)), max(0, int(seal.cy - reach))
        x1, y1 = min(gray.shape[1], int(seal.cx + reach) + 1), min(gray.shape[0], int(seal.cy + reach) + 1)
        window = gray[y0:y1, x0:x1]
        yy, xx = np.mgrid[y0:y1, x0:x1]
        dist = np.hypot(xx - seal.cx, yy - seal.cy)
        ring = (dist >= seal.inner) & (dist <= seal.outer) & (window < thresh)
        if not ring.any():
            continue
        level = float(np.median(window[ring]))
        if level < SEAL_GREY:
            continue
        out[y0:y1, x0:x1][(dist <= reach) & (window >= level * SEAL_LIFT)] = 255
    return out


def _mostly_cjk(text: str) -> bool:
    cjk = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")
    return cjk * 2 >= len(text.replace(" ", ""))


def ocr_image(image: Image.Image | np.ndarray | str | Path, number: int) -> Page:
    """Read one page image (any orientation, skewed, sealed) into a `Page` in pixel units. A fault of
    the page's analysis (a bug of ours or a library's) costs this page, not the file: the page comes back
    without blocks and with the reason, and the record lists it as not read."""
    if isinstance(image, str | Path):
        with Image.open(image) as im:
            image = im.convert("RGB")
    try:
        return _read_image(image, number)
    except IngestError:
        raise
    except Exception as exc:
        log.exception("page %d: the page image could not be read", number)
        error = f"the page image could not be read: {type(exc).__name__}: {exc}"
        return Page(number=number, width=0.0, height=0.0, unit="px", needs_ocr=True, error=error)


def _read_image(image: Image.Image | np.ndarray, number: int) -> Page:
    page = clean_page(_bound(image))
    # Before any reading: a monospaced face's slashed zero reads as 8 in cells and prose alike.
    unslash_zeros(page.gray, page.scale)
    # Seals are found once on the page for rules; a page without red has no other (the grey page for
    # reading is the same image), a colour page's grey page has its own.
    seals = find_seals(page.rules, page.scale)
    grids, rules = find_tables(page.rules, page.scale, page.gray, page.red, seals)
    thresh = page_threshold(page.gray)
    # One page without its rules for every table on it (the same for each: made once).
    lifted = _without_rules(page.gray, rules) if grids else page.gray
    read = [_read_grid(page, lifted, g, thresh) for g in grids]
    read = [(g, t) for g, t in read if not (g.bare and _reads_as_prose(t))]
    blocks: list[Line | Table] = [t for _, t in read]
    grey_seals = seals if page.red is None else find_seals(page.gray, page.scale)
    blocks += _prose(page, [g for g, _ in read], thresh, grey_seals)
    blocks.sort(key=lambda b: b.bbox[1] if b.bbox else 0.0)
    h, w = page.gray.shape
    out = Page(
        number=number,
        width=float(w),
        height=float(h),
        unit="px",
        blocks=blocks,
        needs_ocr=True,
        image_path=_save_evidence(page, number),
    )
    return out


def _pdf_page_dpi(path: Path, number: int) -> int:
    """Rasterize at the scan's own resolution (from `pdfimages -list`), within 200–300 dpi; a page
    with no image or no tool gets 300."""
    try:
        out = run_tool(
            ["pdfimages", "-f", str(number), "-l", str(number), "-list", str(path)], timeout=30
        ).stdout
    except (OSError, IngestError):
        return DPI_RANGE[1]
    ppis = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) > 13 and parts[12].isdigit():
            ppis.append(int(parts[12]))
    if not ppis:
        return DPI_RANGE[1]
    return max(DPI_RANGE[0], min(DPI_RANGE[1], max(ppis)))


def ocr_pdf_page(path: Path, number: int, limits: Limits) -> Page:
    """Rasterize one PDF page (poppler's pdftoppm) and read it. DPI is capped so the page stays under
    MAX_PIXELS."""
    pages, w_pt, h_pt = _pdf_page_info(path, number)
    if number > min(pages, limits.max_pages):
        raise TooLarge(f"page {number} is past the page limit")
    dpi = min(_pdf_page_dpi(path, number), int((MAX_PIXELS / max(1.0, w_pt * h_pt / 72 / 72)) ** 0.5))
    return ocr_image(_render_pdf_page(path, number, dpi), number)


def _pdf_page_info(path: Path, number: int) -> tuple[int, float, float]:
    """The PDF's page count and this page's width and height in points."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise CorruptFile(f"{path.name}: the PDF cannot be opened to read its pages: {exc}") from exc
    try:
        if not 1 <= number <= len(pdf):
            return len(pdf), 0.0, 0.0
        width, height = pdf[number - 1].get_size()
        return len(pdf), float(width), float(height)
    finally:
        pdf.close()


def _render_pdf_page(path: Path, number: int, dpi: int) -> Image.Image:
    with tempfile.TemporaryDirectory(prefix="ingest-page-") as folder:
        root = Path(folder) / "page"
        # Raw PPM, not PNG: compressing a noisy 200 dpi page took pdftoppm ~4 s, the rendering itself 0.05 s.
        command = ["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), "-singlefile"]
        try:
            run_tool([*command, str(path), str(root)], timeout=RENDER_TIMEOUT, check=True, what=path.name)
        except ToolFailed as exc:
            raise CorruptFile(f"{path.name}: page {number} did not rasterize: {exc}") from exc
        with Image.open(root.with_suffix(".ppm")) as image:
            image.load()
            return image
