"""Page clean-up before reading: orientation, deskew, red seal removal, lighting normalization.

Two images leave this stage: the upright, deskewed colour page (kept as evidence, never binarized) and a
grey page with the red ink lifted out and the lighting flattened, which is what gets read.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ingest.ocr.engine import engines
from ingest.ocr.geometry import components

# Long side of the copy used for orientation and skew checks: big enough for text lines, cheap to rotate.
CHECK_SIDE = 1100


@dataclass(slots=True)
class CleanPage:
    upright: np.ndarray  # RGB, turned upright, not deskewed (see color)
    gray: np.ndarray  # red removed, lighting flattened, 0 = ink, 255 = paper
    rules: np.ndarray  # the same page for finding table rules: under red ink, the red channel (see drop_red)
    rotation: int  # degrees the input was turned (clockwise) to stand upright
    skew: float  # degrees corrected
    scale: float  # pixels per inch estimate, from the page width
    red: np.ndarray | None = None  # 255 on red ink (widened), upright and deskewed; None: no red on the page

    @property
    def color(self) -> np.ndarray:
        """RGB, upright and deskewed: the evidence image. Deskewed when asked for, not with the grey page:
        only the evidence kept for the service needs it, and turning a colour page costs ~25 ms."""
        if abs(self.skew) > DESKEW_MIN:
            return rotate(self.upright, self.skew, (255, 255, 255))
        return np.ascontiguousarray(self.upright)


def to_rgb(image: Image.Image | np.ndarray) -> np.ndarray:
    if isinstance(image, np.ndarray):
        return image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    # An RGB image is not converted again: `convert` to its own mode copies the page.
    return np.asarray(image if image.mode == "RGB" else image.convert("RGB"))


def drop_red(rgb: np.ndarray, ppi: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Two grey images where red ink (seals, red signatures) reads as paper: one to read, one to find
    table rules in; a third to take the paper's light from (see flatten_light); and the mask (255) of
    the red ink, none on a page without it (see seal.without_red). Red lines of text (a 红头文件's
    masthead, "XX人民政府办公室文件") are read like black.

    Stamp ink darkens what is under it, so black text and rules printed under a seal stay dark in the
    red channel while the seal itself is bright there. JPEG smears the seal's colour over a pixel or two
    around each stroke, so the red mask is widened before deciding, pixel by pixel, from the red channel.
    For reading, anything fairly bright in red is lifted to paper (seal residue must not look like ink in
    a cell). For rules, only the seal's clear body is lifted: a thin rule under the seal is blurred to a
    mid grey in red, and lifting it would break the grid into merged cells.

    A seal's thin strokes keep only part of their colour in a colour scan at 150 dpi: the JPEG stores the
    colour at half the resolution and shares it out with the paper and the black figures around them, and
    a stroke's edge a few pixels from the seal's clear red is pinkish grey. For reading, a pixel with a
    tinge of red (FAINT_RED) within SEAL_REACH of clear red that is bright in red is lifted too (black
    ink has no tinge of red, and is dark in red: it stays).

    The page's light is taken from the page seen through the red channel where it is red (the seal as
    good as paper there, black as black): taken from the page as read, the seal's lifted body (paper-white)
    brightened the light estimate around it, and the paper left between its strokes was flattened to a
    grey just dark enough to be ink (t4's 0 read 0二 beside the seal's ring, synth_996030 page 2)."""
    r = rgb[..., 0].astype(np.int16)
    gb = np.maximum(rgb[..., 1], rgb[..., 2]).astype(np.int16)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    reddish = ((r - gb) > 25).astype(np.uint8)
    if not reddish.any():
        return gray, gray, gray, None
    near = cv2.dilate(reddish, np.ones((5, 5), np.uint8)) > 0
    reach = max(5, round(ppi * SEAL_REACH) | 1)
    tinged = (cv2.dilate(reddish, np.ones((reach, reach), np.uint8)) > 0) & ((r - gb) > FAINT_RED)
    paper = float(np.percentile(gray, 90))
    red = r.astype(np.uint8)
    read, rules, light = gray.copy(), gray.copy(), gray.copy()
    lift = (near | tinged) & (r > 0.55 * paper) & ~red_text_mask(reddish, ppi)
    read[lift] = 255
    keep = near & ~lift
    read[keep] = np.minimum(read[keep], red[keep])
    rules[near] = red[near]
    light[near] = red[near]
    rules[near & (r > 0.8 * paper)] = 255
    return read, rules, light, near.astype(np.uint8) * 255


# Inches: how far from a seal's clear red its faded edges reach (JPEG's colour is stored in 2x2 blocks).
# Red minus the brighter of green and blue: a tinge of red that paper and black ink lack (their noise in a
# colour scan is under ~8).
SEAL_REACH = 0.05
FAINT_RED = 12

# Inches. A seal's ring is one stroke this wide at least; red text is set between the two glyph sizes
# (a masthead at up to ~42 pt); a red rule, even skewed, is thinner than a glyph.
SEAL_MIN = 0.9
GLYPH_SIZES = (0.12, 0.75)
LINE_MIN_GLYPHS = 4
MAX_RED_GLYPHS = 300
MASK_PPI = 75


def red_text_mask(reddish: np.ndarray, ppi: float) -> np.ndarray:
    """Where red ink forms lines of text outside any seal: blobs of glyph height (a masthead's glyphs
    joined into one, or set apart) making a run at least LINE_MIN_GLYPHS glyphs long, across or down the
    page (it is not yet turned upright). A seal's rim text runs in a circle inside the ring's box; a red
    rule is too thin to be a glyph. Worked out at ~MASK_PPI (blobs of glyph size lose nothing there; the
    page's components at 300 dpi cost 0.1 s)."""
    step = max(1, round(ppi / MASK_PPI))
    if step > 1:
        small = cv2.resize(
            reddish, (reddish.shape[1] // step, reddish.shape[0] // step), interpolation=cv2.INTER_AREA
        )
        mask = red_text_mask((small > 0).astype(np.uint8), ppi / step)
        full = cv2.resize(
            mask.astype(np.uint8), (reddish.shape[1], reddish.shape[0]), interpolation=cv2.INTER_NEAREST
        )
        return full > 0
    joined = cv2.dilate(reddish, np.ones((max(3, int(ppi * 0.03)),) * 2, np.uint8))
    count, labels, stats, _ = components(joined)
    boxes = [tuple(int(v) for v in stats[i, :4]) for i in range(1, count)]
    seals = [b for b in boxes if min(b[2], b[3]) >= SEAL_MIN * ppi]
    sealed = {i for i, b in enumerate(boxes, 1) if any(_overlaps(b, seal) for seal in seals)}
    free = [b for i, b in enumerate(boxes, 1) if i not in sealed]
    low, high = (v * ppi for v in GLYPH_SIZES)
    glyphs = [
        b
        for i, b in enumerate(boxes, 1)
        if i not in sealed and min(b[2], b[3]) >= low and low <= _thickness(labels, i, b) <= high
    ]
    mask = np.zeros(reddish.shape, bool)
    if len(glyphs) > MAX_RED_GLYPHS:  # not a line or two of red text: a page printed in red, left as was
        return mask
    for box in glyphs:
        for axis in (1, 0):  # a line across the page (centres share a y), then down it
            line = [b for b in glyphs if _on_centre_line(b, box, axis)]
            if sum(b[2 + 1 - axis] / b[2 + axis] for b in line) < LINE_MIN_GLYPHS:
                continue
            # The whole band: a glyph's thin strokes standing apart (三's) are read with the rest.
            band = [b for b in free if _on_centre_line(b, box, axis) and b[2 + axis] <= high]
            x0, y0 = min(b[0] for b in band), min(b[1] for b in band)
            x1, y1 = max(b[0] + b[2] for b in band), max(b[1] + b[3] for b in band)
            mask[y0:y1, x0:x1] = True
    return mask


def _on_centre_line(b: tuple[int, ...], box: tuple[int, ...], axis: int) -> bool:
    """Whether blob `b`'s centre lies within `box`'s extent along `axis` (1: y, a line across)."""
    return box[axis] <= b[axis] + b[2 + axis] / 2 <= box[axis] + box[2 + axis]


def _thickness(labels: np.ndarray, label: int, box: tuple[int, ...]) -> float:
    """The short side of the tightest rotated rectangle around a blob: a skewed rule stays thin."""
    x, y, w, h = box
    points = np.column_stack(np.nonzero(labels[y : y + h, x : x + w] == label)).astype(np.float32)
    return float(min(cv2.minAreaRect(points)[1]))


def _overlaps(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def flatten_light(gray: np.ndarray, ppi: float, light: np.ndarray | None = None) -> np.ndarray:
    """Divide by a background estimate (a large closing keeps paper, drops ink) to undo uneven light. The
    estimate is taken from `light` when given (the same page, its red ink seen through the red channel:
    see drop_red)."""
    source = gray if light is None else light
    small = cv2.resize(source, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    k = max(9, int(ppi * 0.25 * 0.25) | 1)
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg = cv2.GaussianBlur(bg, (0, 0), k / 2)
    bg = cv2.resize(bg, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(gray, np.maximum(bg, 1), scale=255)
    return flat


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Binary ink (255) from a flattened grey page: Otsu, then drop isolated specks."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))


def _small_ink(gray: np.ndarray) -> tuple[np.ndarray, float]:
    f = CHECK_SIDE / max(gray.shape)
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink, f


def _long_lines(ink: np.ndarray) -> np.ndarray:
    """Runs of ink longer than 40 px across or down: table rules (on a ~100 or ~200 ppi copy)."""
    long_h = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, 40), np.uint8))
    long_v = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((40, 1), np.uint8))
    return cv2.bitwise_or(long_h, long_v)


def _remove_rules(ink: np.ndarray) -> np.ndarray:
    """Table rules would dominate projection profiles; text is what tells the orientation."""
    return cv2.subtract(ink, _long_lines(ink))


def _whiten_rules(window: np.ndarray) -> np.ndarray:
    """The window with its cell rules lifted: seed 630023's upright window of ruled labels, 2° skewed,
    read as nothing at every scale with its rules and at 90 without them, and the page was turned on
    its side (90° read 32, a sideways window's usual score)."""
    _, ink = cv2.threshold(window, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    out = window.copy()
    out[cv2.dilate(_long_lines(ink), np.ones((3, 3), np.uint8)) > 0] = 255
    return out


def _line_edge_score(ink: np.ndarray) -> float:
    """How sharply the row profile steps at the top and bottom of text lines: the squared change of the
    ink per row, two rows apart (Postl's criterion)."""
    prof = ink.sum(axis=1, dtype=np.float64)
    return float(np.square(prof[2:] - prof[:-2]).sum())


def _line_mass_score(ink: np.ndarray) -> float:
    """How unevenly the ink falls on the rows: the row profile's variance."""
    return float(ink.sum(axis=1, dtype=np.float64).var())


def _text_windows(
    gray: np.ndarray, ppi: float, count: int, small: tuple[np.ndarray, float] | None = None
) -> list[np.ndarray]:
    """Squares of the page (1.6 in a side, about six lines of text) with the most ink that is not a rule,
    densest first and none overlapping another, cut from the full-resolution page and brought to
    ~200 ppi. A square reads the same in every turn, and characters at full resolution are big enough
    for confident reading."""
    ink, f = small or _small_ink(gray)
    ink = _remove_rules(ink)
    side = int(ppi * 1.6)
    k = max(3, int(side * f))
    sums = cv2.boxFilter(ink.astype(np.float32), -1, (k, k), normalize=False, borderType=cv2.BORDER_CONSTANT)
    scale = min(1.0, 200 / ppi)
    windows = []
    for _ in range(count):
        y, x = np.unravel_index(int(np.argmax(sums)), sums.shape)
        if sums[y, x] <= 0:
            break
        sums[max(0, y - k) : y + k, max(0, x - k) : x + k] = 0  # the next window lies elsewhere
        cy, cx = int(y / f), int(x / f)
        y0, x0 = max(0, cy - side // 2), max(0, cx - side // 2)
        window = gray[y0 : y0 + side, x0 : x0 + side]
        if scale < 0.99:
            window = cv2.resize(window, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        windows.append(_whiten_rules(window))
    return windows


def _reading_conf(window: np.ndarray, turn: int) -> float:
    """chi_sim's mean confidence on the window turned by `turn`: 80–95 upright, under 50 otherwise
    (Chinese characters on their side still look like characters, but not like confident ones)."""
    img = cv2.rotate(window, TURNS[turn]) if turn else window
    return engines().read(img, "chi_sim", 6).mean


TURNS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
# Mean confidence from which the page is taken as upright without trying the other turns (measured:
# upright windows read at 56–86, turned ones at 2–34).
UPRIGHT_CONF = 50.0


# Windows read before a page no window reads clearly is judged by them all: the densest square can be a
# seal over a few characters, read at 12–28 in every turn (seed 716501's upright page turned by 270 on 28
# against 17).
WINDOWS = 3


def orient(
    rgb: np.ndarray, gray: np.ndarray, ppi: float, small: tuple[np.ndarray, float] | None = None
) -> tuple[np.ndarray, int]:
    """Turn the page upright; returns the turned colour page and the turn (apply it to other copies).
    One read settles the common upright case; otherwise the turns are read until one reads upright, or
    all four and the most confident wins, if clearly (a page we cannot judge stays as scanned). A window
    no turn reads clearly gives way to the next densest one; when none does, their sums decide."""
    totals = dict.fromkeys((0, 90, 270, 180), 0.0)
    windows = _text_windows(gray, ppi, WINDOWS, small)
    for i, window in enumerate(windows):
        confs, turn = _window_turn(window)
        if turn == 0:
            return rgb, 0
        if turn is not None and _turn_confirmed(windows[i + 1 :], turn):
            return cv2.rotate(rgb, TURNS[turn]), turn
        for t, conf in confs.items():
            totals[t] += conf
    best = max(totals, key=lambda t: totals[t])
    if not best or totals[best] <= totals[0] + 10 * max(1, len(windows)):
        return rgb, 0
    return cv2.rotate(rgb, TURNS[best]), best


def _turn_confirmed(others: list[np.ndarray], turn: int) -> bool:
    """A page is turned only if the next window reads upright in that turn too (or there is no other
    window). The densest window can be a seal stamped over a line of prose, its ring and characters
    round: synth_776015's upright page 4 (仿宋 10 pt, 300 dpi grey) read 21 as scanned and 52 on its
    side in that window, and the page was turned and read as garbage (its t3 rows and t4 lost); the
    next window read 19 on its side and 77 as scanned. One read more on a turned page."""
    return not others or _reading_conf(others[0], turn) >= UPRIGHT_CONF


def _window_turn(window: np.ndarray) -> tuple[dict[int, float], int | None]:
    """The window's reading confidence per turn read, and the turn it reads upright in, clearly ahead of
    the page as scanned (None when none does). Sideways scans first, then upside down. A turned window
    never reads UPRIGHT_CONF, so the first turn that does is the upright one: the other turns need no
    reading (0.17 s each on a 150-dpi page, a third of a landscape page's cleaning)."""
    confs = {0: _reading_conf(window, 0)}
    if confs[0] >= UPRIGHT_CONF:
        return confs, 0
    for turn in (90, 270, 180):
        confs[turn] = _reading_conf(window, turn)
        if confs[turn] >= UPRIGHT_CONF and confs[turn] > confs[0] + 10:
            return confs, turn
    return confs, None


def skew_angle(gray: np.ndarray, limit: float = 3.0, small: tuple[np.ndarray, float] | None = None) -> float:
    """Angle (degrees) that makes text rows and rules horizontal. `small` is the page's _small_ink when the
    caller has it.

    The sharpest line edges (Postl's criterion) find the angle to 0.5 degree; the most uneven rows
    settle it to 0.025, as before. Variance alone also rewards where the ink sits: on a rule-less table
    whose values stand in a lattice of sparse rows it peaked 2-3.5 degrees off (752105 p3 turned +2.3
    where it needed -1.2, and t3 was read with broken rows: 177 of 206 fields). Against the skew the
    generator applied (`python -m bench skew`), on 223 scanned pages of fresh seeds: largest error 5.6
    (variance) / 0.97 (edges, then variance) degrees."""
    ink, _ = small or _small_ink(gray)
    h, w = ink.shape
    centre = (w / 2, h / 2)

    def turned(angle: float) -> np.ndarray:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        return cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST)

    best = 0.0
    for half_width, step, score in (
        (limit, 0.5, _line_edge_score),
        (0.5, 0.1, _line_mass_score),
        (0.1, 0.025, _line_mass_score),
    ):
        # Never past the limit: a flat score on a near-empty page walked the search to 3.6 degrees.
        low, high = max(best - half_width, -limit), min(best + half_width, limit)
        # Of angles that score alike the first: within +-0.075 degrees a 1100-px copy turns to the same
        # pixels, and a page printed straight is then turned by -0.075, which thickens its 1-px strokes
        # by interpolation; the readers' text masks lose such strokes on a page left unturned (the Word
        # file of test_metamorphic, seed 640062: 71 of 208 fields unturned, 208 turned).
        best = max(np.arange(low, high + step / 10, step), key=lambda a: score(turned(a)))
    return float(best)


# Skew (degrees) from which a page is deskewed.
DESKEW_MIN = 0.05


def rotate(img: np.ndarray, angle: float, border: int | tuple[int, int, int]) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(
        img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border
    )


def bilevel(rgb: np.ndarray) -> bool:
    """A page stored at 1 bit (fax-style office scans): nothing but black and white pixels."""
    sample = rgb[::7, ::7]
    return float(np.mean((sample == 0) | (sample == 255))) > 0.995


def soften(rgb: np.ndarray, ppi: float) -> np.ndarray:
    """Give a 1-bit page back the grey edges a scanner's sensor sees. Tesseract's Chinese model reads a
    hard-edged serif "1" as 工 or ] (a 1-bit t3 cell: eng 96, chi_sim 工 34, the cell lost); blurred
    by ~1 px at 200 ppi both models read 1 with confidence 89–95."""
    return cv2.GaussianBlur(rgb, (0, 0), max(0.5, ppi / 200))


def page_threshold(gray: np.ndarray) -> float:
    """The grey level under which a pixel is read as ink."""
    t, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    # Halfway between Otsu and paper: faint strokes of thin digits survive, flattened paper noise not.
    return float(min(t + 25, 215))


def clean_page(image: Image.Image | np.ndarray) -> CleanPage:
    rgb = to_rgb(image)
    # Pages are A4/Letter: the short side is ~8.3 in whichever way the page stands.
    ppi = min(rgb.shape[:2]) / 8.3
    if bilevel(rgb):
        rgb = soften(rgb, ppi)
    read, rules, light, red = drop_red(rgb, ppi)
    # Light first: a dark corner would otherwise count as ink in the orientation and skew checks.
    gray = flatten_light(read, ppi, None if light is read else light)
    rules = gray if rules is read else flatten_light(rules, ppi)
    small = _small_ink(gray)  # for the orientation and, when the page is not turned, the skew
    rgb, turn = orient(rgb, gray, ppi, small)
    # A page with no red has one grey page for reading and for rules: it is turned once, and the rules
    # get their own copy of it once turned (as when each was turned on its own).
    shared, flat = rules is gray, gray
    if turn:
        gray = cv2.rotate(gray, TURNS[turn])
        rules = gray if shared else cv2.rotate(rules, TURNS[turn])
        red = None if red is None else cv2.rotate(red, TURNS[turn])
    angle = skew_angle(gray, small=None if turn else small)
    if abs(angle) > DESKEW_MIN:
        gray = rotate(gray, angle, 255)
        rules = gray if shared else rotate(rules, angle, 255)
        red = None if red is None else rotate(red, angle, 0)
    if shared and gray is not flat:
        rules = gray.copy()
    return CleanPage(rgb, gray, rules, turn, angle, ppi, red)
