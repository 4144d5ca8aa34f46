"""Files for the service tests: variants of the seed reports (distinct hashes) and hostile inputs."""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path

SEEDS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "seeds").glob("*.txt"))
FOLDERS = ["山东省/聊城市/2020", "浙江省/杭州市/2021", "北京市/2019", "", "某市财政局/2022"]


def report_text(i: int) -> str:
    """A seed report with a line that makes its hash unique."""
    return SEEDS[i % len(SEEDS)].read_text(encoding="utf-8") + f"\n（本报告电子版编号：{i:05d}）\n"


def report_html(i: int) -> str:
    body = report_text(i).replace("&", "&amp;").replace("<", "&lt;")
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><pre>{body}</pre></body></html>"


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def docx_bytes(document_xml: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def zip_bomb_docx(unpacked_mb: int = 400) -> bytes:
    """A .docx whose document.xml inflates to `unpacked_mb` MB of zeros (about 400 KB packed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1 << 20)
            for _ in range(unpacked_mb):
                fh.write(block)
    return buf.getvalue()


def pdf_bytes(pages: int, text: str = "") -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for _ in range(pages):
        if text:
            c.drawString(72, 720, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(1, "secret"))))
    writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(img).text((20, 80), "not a report", fill="black")
    buf = io.BytesIO()
    img.save(buf, "JPEG")
    return buf.getvalue()


def bad_inputs(seed: int = 0) -> dict[str, bytes]:
    """name → bytes for every hostile input the service must survive."""
    rnd = random.Random(seed)
    good = pdf_bytes(3, "report")
    return {
        "empty.pdf": b"",
        "truncated.pdf": good[: len(good) // 2],
        "encrypted.pdf": encrypted_pdf(),
        "photo named.pdf": jpeg_bytes(),
        "random.docx": bytes(rnd.getrandbits(8) for _ in range(4096)),
        "malformed.docx": docx_bytes(b"<w:document><w:body><w:p>unclosed"),
        "bomb.docx": zip_bomb_docx(),
        "blank 300 pages.pdf": pdf_bytes(300),
        "unrelated.txt": "今天的菜谱：西红柿炒鸡蛋。先把鸡蛋打散，再放入西红柿翻炒。\n" * 20,
    }


def odd_name() -> str:
    return "2020年 \"聊城市\" 'report' 政府信息公开工作年度报告.txt"


def chunked_write(path: Path, data: bytes, chunks: int, pause: float) -> None:
    """Write like a slow network copy: the file exists, growing, for chunks × pause seconds."""
    import time

    path.parent.mkdir(parents=True, exist_ok=True)
    step = max(1, len(data) // chunks)
    with path.open("wb") as fh:
        for i in range(0, len(data), step):
            fh.write(data[i : i + step])
            fh.flush()
            os.fsync(fh.fileno())
            time.sleep(pause)
