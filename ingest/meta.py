"""Meta fields: agency (full name as signed), report year, signature date.

The signature block at the end (agency, then date) is the authority for the agency and the date; the title
is the fallback for the agency, and a web page's 生成日期 for the date.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ingest.document import BBox, Line, SourceDocument
from ingest.gazetteer import unknown_place
from ingest.normalize import clean_text, to_simplified
from ingest.record import FieldValue

_ORG_SUFFIX = re.compile(
    r"(局|厅|委员会|委|办公室|办公厅|人民政府|政府|法院|检察院|院|部|署|会|中心|所|处|站|馆|队|街道办事处|办事处|管委会|公司)$"
)
_DATE = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_CN_DATE = re.compile(
    r"([〇零一二三四五六七八九○Ｏ]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}
_TITLE_YEAR = re.compile(r"(\d{4})\s*年")
_STOP_TAIL = re.compile(r"^(抄送|附件|扫一扫|打印|关闭|【)")


@dataclass(slots=True)
class TextLine:
    text: str  # cleaned: simplified, half-width
    raw: str
    page: int
    bbox: BBox
    by_ocr: bool = False  # read from a page image: one reading of a name is not proof of it


# Specks and dashes OCR reads at the ends of a name ("。扬州市…", ".泉州市…"): never part of it.
_NAME_EDGES = re.compile(r"^[^\u3400-\u9fff]+|[^\u3400-\u9fff）)]+$")
_TERMINAL = ("。", "！", "？", "；", "：", ":", "!", "?", ";")
_HEADING = re.compile(
    r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|第[一二三四五六七八九十]+)"
)


def prose_lines(doc: SourceDocument) -> list[TextLine]:
    """Running text as paragraphs. On laid-out pages (PDF, scans) a line that runs to the right margin
    without ending its sentence continues on the next line, so the two are joined."""
    out: list[TextLine] = []
    for page in doc.pages:
        lines = list(page.lines())
        left = min((ln.bbox[0] for ln in lines), default=0)
        right = max((ln.bbox[2] for ln in lines), default=0)
        previous: Line | None = None
        for line in lines:
            text = clean_text(line.text.replace("\t", " "))
            if not text:
                continue
            if page.unit != "line" and previous and out and _continues(previous, line, text, left, right):
                last = out[-1]
                last.text += text
                last.raw += line.text.strip()
                last.bbox = (
                    min(last.bbox[0], line.bbox[0]),
                    last.bbox[1],
                    max(last.bbox[2], line.bbox[2]),
                    line.bbox[3],
                )
            else:
                out.append(TextLine(text, line.text.strip(), page.number, line.bbox, page.needs_ocr))
            previous = line
    return out


def _continues(previous: Line, line: Line, text: str, left: float, right: float) -> bool:
    """A wrapped body line: the previous one ran to the right margin without ending its sentence, this
    one starts at the left margin in the same type size (titles are larger, signatures right-aligned)."""
    height = lambda ln: ln.bbox[3] - ln.bbox[1]  # noqa: E731
    same_size = abs(height(previous) - height(line)) <= 0.25 * max(height(previous), height(line), 1e-6)
    # CJK text wraps a whole character early when the next one (or its punctuation) does not fit.
    slack = max(0.04 * (right - left), 2 * height(previous))
    return (
        previous.bbox[2] >= right - slack
        and line.bbox[0] <= left + 0.02 * (right - left)
        and same_size
        and not clean_text(previous.text).endswith(_TERMINAL)
        and not _HEADING.match(text)
    )


def _field(value: object, line: TextLine | None, confidence: float, method: str, *reasons: str) -> FieldValue:
    return FieldValue(
        value=value,
        confidence=confidence,
        raw=line.raw if line else None,
        page=line.page if line else None,
        bbox=line.bbox if line else None,
        method=method,
        reasons=list(reasons),
    )


def find_title(lines: list[TextLine]) -> TextLine | None:
    """The first line naming the report; one that also names its year wins over a bare heading, and a
    web page's breadcrumb (首页 > 政府信息公开 > 年度报告) is not a title."""
    candidates = [
        line
        for line in _with_wrapped_titles(lines[:40])
        if "政府信息公开" in line.text
        and ("报告" in line.text or "总结" in line.text)
        and len(line.text) < 80
        and not re.search(r"[>›»]", line.text)
    ]
    with_year = [line for line in candidates if _TITLE_YEAR.search(line.text)]
    return (with_year or candidates or [None])[0]


def _with_wrapped_titles(lines: list[TextLine]) -> list[TextLine]:
    """A long title wraps onto a short second line (…工作 / 年度报告): offer the joined pair too."""
    out = list(lines)
    for first, second in itertools.pairwise(lines):
        complete = ("报告" in first.text or "总结" in first.text) and not re.match(r"^[年度)）]", second.text)
        if (
            "政府信息公开" in first.text
            and not complete
            and len(second.text) <= 12
            and not _HEADING.match(second.text)
        ):
            bbox = (
                min(first.bbox[0], second.bbox[0]),
                first.bbox[1],
                max(first.bbox[2], second.bbox[2]),
                second.bbox[3],
            )
            out.insert(
                out.index(first),
                TextLine(first.text + second.text, first.raw + second.raw, first.page, bbox, first.by_ocr),
            )
    return out


def find_year(lines: list[TextLine], title: TextLine | None) -> FieldValue:
    if title:
        years = [int(y) for y in _TITLE_YEAR.findall(title.text) if 1990 < int(y) < 2100]
        if years:
            return _field(years[0], title, 0.99, "title")
        at = next(i for i, line in enumerate(lines) if title.raw.startswith(line.raw))
        for candidate in (lines[at - 1] if at else None, lines[at + 1] if at + 1 < len(lines) else None):
            if candidate and (m := re.search(r"[（(]?(\d{4})\s*年度?[)）]?$", candidate.text)):
                return _field(int(m.group(1)), candidate, 0.95, "title")
    for line in lines[:12]:  # "…编制了2023年政府信息公开工作年度报告" in the opening sentence
        if m := re.search(r"(\d{4})\s*年度?政府信息公开工作(年度)?(报告|总结)", line.text):
            return _field(int(m.group(1)), line, 0.93, "intro", "note: year taken from the opening sentence")
    return _field(None, None, 0.0, "title", "report year not found in the title")


def find_agency(lines: list[TextLine], title: TextLine | None) -> FieldValue:
    """The signature's name, confirmed by the title where it names the agency too. A name read by OCR
    is trusted only when the two readings agree: one misread character (秭→种) makes another agency."""
    signed = _signature(lines)
    from_title = _agency_from_title(title) if title else None
    if signed:
        line, name = signed
        confirmed = bool(from_title) and (from_title in name or name in from_title)
        if line.by_ocr and (doubt := _ocr_name_doubt(name, confirmed)):
            return _field(name, line, 0.6, "signature", doubt)
        return _field(name, line, 0.99 if confirmed or from_title is None else 0.95, "signature")
    if from_title and title:
        if title.by_ocr:
            return _field(from_title, title, 0.6, "title", "agency read by OCR from the title alone")
        return _field(from_title, title, 0.93, "title", "note: no signature; agency taken from the title")
    return _field(None, None, 0.0, "signature", "agency not found in the signature or the title")


def _ocr_name_doubt(name: str, confirmed: bool) -> str | None:
    if not confirmed:
        return "agency read by OCR and not confirmed by the title"
    if place := unknown_place(name):
        return f"agency read by OCR opens with {place}, which is not a known place name"
    return None


def _agency_from_title(title: TextLine) -> str | None:
    text = re.sub(r"^[#*\s]+", "", title.text)
    m = re.match(r"^(.+?)\s*(?:\d{4}\s*年|关于|政府信息公开)", text)
    if not m:
        return None
    name = _NAME_EDGES.sub("", re.sub(r"[\s?？]", "", m.group(1)))
    return name if _ORG_SUFFIX.search(name) and 3 <= len(name) <= 40 else None


def _tail(lines: list[TextLine]) -> list[TextLine]:
    tail = lines[-30:]
    for i, line in enumerate(tail):
        if _STOP_TAIL.match(line.text):
            return tail[:i]
    return tail


def _signature(lines: list[TextLine]) -> tuple[TextLine, str] | None:
    tail = _tail(lines)
    for i in range(len(tail) - 1, 0, -1):
        if _parse_date(tail[i].text) and len(tail[i].text) <= 20:
            name = _NAME_EDGES.sub("", re.sub(r"\s", "", tail[i - 1].text))
            if _ORG_SUFFIX.search(name) and 3 <= len(name) <= 40:
                return tail[i - 1], to_simplified(name)
    return None


def find_date(lines: list[TextLine]) -> FieldValue:
    tail = _tail(lines)
    for i in range(len(tail) - 1, -1, -1):
        parsed = _parse_date(tail[i].text)
        if parsed and len(tail[i].text) <= 20:
            signed = i > 0 and _ORG_SUFFIX.search(re.sub(r"\s", "", tail[i - 1].text))
            return _field(parsed, tail[i], 0.99 if signed else 0.9, "signature")
    for i, line in enumerate(lines[:60]):
        if "生成日期" in line.text:
            for candidate in (line, *lines[i + 1 : i + 3]):
                if parsed := _parse_date(candidate.text):
                    return _field(
                        parsed, candidate, 0.97, "page-meta", "note: date is the web page's 生成日期"
                    )
    return _field(None, None, 0.0, "signature", "no signature date found")


def _parse_date(text: str) -> str | None:
    m = _DATE.search(text)
    if m:
        y, mo, d = (int(x) for x in m.groups())
    elif m := _CN_DATE.search(text):
        y = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
        mo, d = _cn_number(m.group(2)), _cn_number(m.group(3))
    else:
        return None
    if not (1990 < y < 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]
