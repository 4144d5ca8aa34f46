"""A heading over a justified paragraph with a figure in it can align like a rule-less table's rows; read,
no cell holds a value, and the region is read as the prose it is. Seed 716029 (grid, 仿宋 9 pt, 150 dpi,
1 bit) lost `本年度共受理政府信息公开申请 18 件` so: its n.requests_received was null. Drawn here and read
by real Tesseract."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from ingest.document import Cell, Line, Table
from ingest.ocr.page import _reads_as_prose, ocr_image
from tests.test_ocr_bare_enumerators import A4, _font, pytestmark  # noqa: F401

PARAGRAPH = [*"本年度共受理政府信息公开申请", " 18 ", "件，", *"均依法依规按时答复。全年"]


def _justified(draw: ImageDraw.ImageDraw, y: int, parts: list[str], font: ImageFont.FreeTypeFont) -> None:
    """A line set flush to both margins: the gaps between its characters stretch, as a word processor's."""
    x0, x1 = 260, 1440
    widths = [draw.textlength(p, font=font) for p in parts]
    gap = (x1 - x0 - sum(widths)) / (len(parts) - 1)
    x = float(x0)
    for part, width in zip(parts, widths, strict=True):
        draw.text((x, y), part, font=font, fill="black")
        x += width + gap


def _page() -> Image.Image:
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    font = _font(30)
    draw.text((190, 300), "和主动公开目录。", font=font, fill="black")
    draw.text((280, 390), "（二）依申请公开情况", font=font, fill="black")
    _justified(draw, 480, PARAGRAPH, font)
    draw.text((190, 570), "因政府信息公开被申请行政复议 0 件，被提起行政诉讼 1 件。", font=font, fill="black")
    return page


def test_a_paragraph_aligned_like_a_table_is_read_as_prose() -> None:
    blocks = ocr_image(_page(), 1).blocks
    assert not [b for b in blocks if isinstance(b, Table)]
    texts = [b.text for b in blocks if isinstance(b, Line)]
    assert any("申请18件" in t.replace(" ", "") for t in texts), texts
    assert any("依申" in t for t in texts), texts


def test_a_grid_with_a_figure_or_a_dash_is_a_table() -> None:
    def table(*texts: str) -> Table:
        return Table([Cell(0, i, t, (0.0, 0.0, 1.0, 1.0)) for i, t in enumerate(texts)], (0.0, 0.0, 1.0, 1.0))

    assert _reads_as_prose(table("(二)依申请公开情况", "", "本年度共受理", "18件，"))
    assert not _reads_as_prose(table("行政许可", "23", "0"))
    assert not _reads_as_prose(table("行政处罚", "—"))
    assert not _reads_as_prose(table("政府集中采购", "2,545,800元"))
    # A title read as a grid (a real report's rough JPEG scan): the year and one stray figure among words.
    assert _reads_as_prose(table("2023", "生:政說定息公還:", "2", ":度:", "烛鱼=又口"))
    assert not _reads_as_prose(table("行政复议", "2023", "5"))


def test_a_one_value_section_under_its_header_is_a_table() -> None:
    # Seed 742006 (28 pt spacing): t2's 第二十条第（五）项 read as a grid of its own, its header cells on
    # lines of their own (本年处 / 信息内容 / 理决定数量), its one row 行政许可 | 177, the next heading under
    # it: one figure among five words, taken for prose, and 177 was lost.
    box = (0.0, 0.0, 1.0, 1.0)
    cells = [
        Cell(0, 0, "", box),
        Cell(0, 1, "本年处", box),
        Cell(1, 0, "信息内容", box),
        Cell(1, 1, "", box),
        Cell(2, 0, "", box),
        Cell(2, 1, "理决定数量", box),
        Cell(3, 0, "行政许可", box),
        Cell(3, 1, "177", box),
        Cell(4, 0, "第二十条第(六)项", box, colspan=2),
    ]
    assert not _reads_as_prose(Table(cells, box))
    # A figure with words after it on its row is prose still.
    prose = [
        *cells[:6],
        Cell(3, 0, "本年度共受理", box),
        Cell(3, 1, "18", box),
        Cell(3, 2, "件，均依法", box),
    ]
    assert _reads_as_prose(Table(prose, box))
