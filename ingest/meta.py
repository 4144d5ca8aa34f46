"""Meta fields: agency (full name as signed), report year, signature date.

The agency is read from every source that names it (the signature block at the end, a red 文件 header, a
web page's 发布机构, the title with the lines set above it) and is `ok` only on positive evidence: two
sources agree, or one names a body with an agency's shape checked against the gazetteer. The signature
date is the date; a web page's 生成日期 is the fallback (its 发布时间, for review).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date

from ingest.agency import place_misread_mended
from ingest.document import BBox, Line, SourceDocument
from ingest.gazetteer import leading_place, national_body, places, unknown_place
from ingest.normalize import clean_text
from ingest.record import FieldValue

_ORG_SUFFIX = re.compile(
    r"(局|厅|委员会|委|办公室|办公厅|人民政府|政府|法院|检察院|院|部|署|会|中心|所|处|站|馆|队|街道办事处|办事处|管委会|公司)$"
)
_DATE = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_CN_DATE = re.compile(
    r"([〇零一二三四五六七八九○Ｏ]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
# A date that bounds a period ("…至" / "2023年12月31日止。", the statistics' span wrapped onto a line of its
# own) is no signature date (synth_998061: 2023-12-31 taken for an unsigned report's date).
_PERIOD_BOUND = re.compile(r"\d{4}\s*年[^。]*?日\s*(止|起|为止|以来|之?前)")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}
# What a page prints after the body (抄送, 【打印】【关闭】); 【 before a year is a document number's
# bracket (〔2025〕30号, which OCR reads 【2025] 30 号), the masthead's, not page furniture. Furniture
# brackets a short word: a 【 opening a long line of nothing closed is OCR's reading of ink that is no
# text (t3's header read as prose, 【石iHhirH吉上hm人…法人或其他组织, synth_996039 page 2),
# and it cut the body before its signature date.
_STOP_TAIL = re.compile(r"^(抄送|附件|扫一扫|打印|关闭|【(?!\s*(?:19|20)\d\d)[^】\]]{1,12}[】\]])")


@dataclass(slots=True)
class TextLine:
    text: str  # cleaned: simplified, half-width
    raw: str
    page: int
    bbox: BBox
    by_ocr: bool = False  # read from a page image: one reading of a name is not proof of it
    # The digit runs of its OCR'd lines and whether the digit vote confirmed each (document.Line).
    digit_runs: tuple[tuple[str, bool], ...] = ()


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
                last.digit_runs += line.digit_runs
                last.bbox = (
                    min(last.bbox[0], line.bbox[0]),
                    last.bbox[1],
                    max(last.bbox[2], line.bbox[2]),
                    line.bbox[3],
                )
            else:
                out.append(
                    TextLine(text, line.text.strip(), page.number, line.bbox, page.needs_ocr, line.digit_runs)
                )
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


_HEADER_TITLE = re.compile(r"^标题\s*[:：]\s*(.+)$")


def find_title(lines: list[TextLine]) -> TextLine | None:
    """The first line naming the report; one that also names its year wins over a bare heading, and a
    web page's breadcrumb (首页 > 政府信息公开 > 年度报告) is not a title. A crawler's header block
    ("标题: …") names it outright."""
    for line in lines[:10]:
        if (m := _HEADER_TITLE.match(line.text)) and "政府信息公开" in m.group(1):
            return TextLine(m.group(1).strip(), line.raw, line.page, line.bbox, line.by_ocr)
    candidates = [
        line
        for line in _with_wrapped_titles(lines[:40])
        if "政府信息公开" in line.text
        and ("报告" in line.text or "总结" in line.text)
        and len(line.text) < 80
        and not re.search(r"[>›»]", line.text)
    ]
    with_year = [line for line in candidates if _years_in(line.text)]
    found = with_year or candidates
    return found[0] if found else None


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
            out.insert(out.index(first), _joined([first, second]))
    return out


def _joined(parts: list[TextLine]) -> TextLine:
    first, last = parts[0], parts[-1]
    bbox = (
        min(p.bbox[0] for p in parts),
        first.bbox[1],
        max(p.bbox[2] for p in parts),
        last.bbox[3],
    )
    return TextLine(
        "".join(p.text for p in parts),
        "".join(p.raw for p in parts),
        first.page,
        bbox,
        first.by_ocr,
        tuple(run for p in parts for run in p.digit_runs),
    )


# A year as titles print it: "2023年", "2023 年度", "（2020年度）", "二〇二三年".
_YEAR_PART = re.compile(r"[（(]?\s*(\d{4}|[〇零一二三四五六七八九○Ｏ]{4})\s*年度?\s*[)）]?")


def _years_in(text: str) -> list[int]:
    years = []
    for digits in _YEAR_PART.findall(text):
        year = int(digits) if digits.isdigit() else int("".join(str(_CN_DIGITS[c]) for c in digits))
        if 1990 < year < 2100:
            years.append(year)
    return years


def title_block(lines: list[TextLine], title: TextLine) -> TextLine:
    """The title with the lines above it that belong to it: real reports set the agency on its own line
    above "2023 年政府信息公开工作年度报告", or "株洲市审计局2019年度" above "政府信息公开工作年度报告". A
    title that names its agency itself takes nothing from above (a portal's banner is not part of it)."""
    at = _index_of(lines, title)
    if at is None or _title_name(title):
        return title
    above: list[TextLine] = []
    for line in reversed(lines[max(0, at - 2) : at]):
        if line.page != title.page or not _is_title_part(line.text):
            break
        above.insert(0, line)
    return _joined([*above, title]) if above else title


def _index_of(lines: list[TextLine], title: TextLine) -> int | None:
    """Where the title stands: the line itself, or the first line of a title joined from two."""
    at = next((i for i, ln in enumerate(lines) if ln is title), None)
    if at is not None:
        return at
    starts = (
        i for i, ln in enumerate(lines) if ln.page == title.page and ln.raw and title.raw.startswith(ln.raw)
    )
    return next(starts, None)


def _is_title_part(text: str) -> bool:
    """A short line that is only a name (with an organ suffix), a year, or both: no sentence, no heading."""
    bare = re.sub(r"\s", "", text)
    if not bare or len(bare) > 30 or _HEADING.match(bare):
        return False
    rest = re.sub(r"关于$", "", _NAME_EDGES.sub("", _YEAR_PART.sub("", bare)))
    if rest == "":
        return bool(_YEAR_PART.search(bare))
    return bool(_CJK_NAME.fullmatch(rest) and _ORG_SUFFIX.search(rest))


def find_year(lines: list[TextLine], title: TextLine | None) -> FieldValue:
    year = _read_year(lines, title)
    if year.value is not None:
        _check_year(year, lines)
    return year


def _check_year(year: FieldValue, lines: list[TextLine]) -> None:
    """A report's year lies between the 2008 regulation and this year; one read by OCR needs a second
    mention (the statistics period, the opening sentence, a date of the next year): 楷体's 0 reads as 9."""
    if not 2008 <= year.value <= date.today().year:
        year.flag(f"implausible report year {year.value}")
        return
    read_by_ocr = any(ln.by_ocr and ln.raw == year.raw for ln in lines) or all(ln.by_ocr for ln in lines[:5])
    mentions = sum(
        1
        for ln in lines
        if f"{year.value}年" in ln.text.replace(" ", "") or f"{year.value + 1}年" in ln.text.replace(" ", "")
    )
    if read_by_ocr and mentions < 2:
        year.flag("year read once by OCR; no other mention of it confirms it")


def _read_year(lines: list[TextLine], title: TextLine | None) -> FieldValue:
    if title:
        block = title_block(lines, title)
        if years := _years_in(block.text):
            return _field(years[0], block, 0.99, "title")
        at = _index_of(lines, title)
        after = lines[at + 1] if at is not None and at + 1 < len(lines) else None
        if after and (m := re.search(r"[（(]?(\d{4})\s*年度?[)）]?$", after.text)):
            return _field(int(m.group(1)), after, 0.95, "title")
    for line in lines[:12]:  # "…编制了2023年政府信息公开工作年度报告" in the opening sentence
        if m := re.search(r"(\d{4})\s*年度?政府信息公开工作(年度)?(报告|总结)", line.text):
            return _field(int(m.group(1)), line, 0.93, "intro", "note: year taken from the opening sentence")
    return _field(None, None, 0.0, "title", "report year not found in the title")


# --- agency ---------------------------------------------------------------------------------------

_CJK_NAME = re.compile(r"[\u3400-\u9fff（）()]+")
# What a title adds to the agency's name: the report's own name (cut there), a year, 关于, 印发.
_REPORT_NAME = re.compile(r"政府信息公开|政务公开|信息公开|年度报告|工作报告|工作总结|年报")
# A title fragment is never an agency: these never stand in a name that is `ok`.
_NOT_A_NAME = re.compile(r"[年\d]|关于|报告|总结")
_SOURCE_NAMES = {
    "signature": "signature",
    "red-header": "red 文件 header",
    "publisher": "发布机构",
    "title": "title",
    "intro": "opening sentence",
}


@dataclass(slots=True)
class NameReading:
    """One source's reading of the agency's name: simplified value, the line it was read from."""

    name: str
    line: TextLine
    source: str  # a key of _SOURCE_NAMES
    doubt: str | None = None  # the source itself is unsure (a title naming two bodies)


def find_agency(lines: list[TextLine], title: TextLine | None) -> FieldValue:
    """The agency as the signature, a red 文件 header, a page's 发布机构 and the title name it. Two sources
    that agree make it `ok`; one source alone is `ok` only when the name has an agency's shape (an organ
    suffix after a known place or national body). A name read by OCR is trusted only when two readings
    agree: one misread character (秭→种) makes another agency."""
    # In the order that decides which name is kept: the spec's "full name as signed" first.
    readings = [
        r
        for r in (
            _signature(lines),
            _red_header(lines),
            _publisher(lines),
            _title_name(title_block(lines, title)) if title else None,
            _intro(lines),
        )
        if r
    ]
    if not readings:
        return _field(
            None,
            None,
            0.0,
            "signature",
            "agency not found in a signature, red 文件 header, 发布机构, the title or the opening sentence",
        )
    chosen = next((r for r in readings if shape_doubt(r.name) is None), readings[0])
    others = [r for r in readings if r is not chosen]
    confirmed = [r for r in others if _same_agency(r.name, chosen.name)]
    doubts = _agency_doubts(chosen, confirmed, others)
    confidence = 0.99 if confirmed else 0.93 if chosen.source == "title" else 0.95
    if doubts:
        confidence = min(confidence, 0.6)
    if not confirmed and not doubts:
        doubts.append(f"note: agency read from the {_SOURCE_NAMES[chosen.source]} alone")
    name = chosen.name
    if chosen.line.by_ocr and (mended := place_misread_mended(name)):
        # A likelier reading to offer the reviewer, never a settled one: the field is in review already
        # (an OCR'd name opening with an unknown place), and raw keeps what was read.
        doubts.append(f"read as {name}; the known place one character away gives {mended}")
        name = mended
    return _field(name, chosen.line, confidence, chosen.source, *doubts)


def _agency_doubts(chosen: NameReading, confirmed: list[NameReading], others: list[NameReading]) -> list[str]:
    doubts = [chosen.doubt] if chosen.doubt else []
    if _NOT_A_NAME.search(chosen.name):
        doubts.append(f"{chosen.name} holds a year, 关于 or a report name: a title fragment, not a name")
    shape = shape_doubt(chosen.name)
    if shape and not confirmed:
        doubts.append(f"{shape}, and no other source names the agency")
    for other in others:  # a title naming a place only (淮安市洪泽区) names no agency to disagree with
        if other not in confirmed and (other.source != "title" or shape_doubt(other.name) is None):
            doubts.append(
                f"the {_SOURCE_NAMES[chosen.source]} names {chosen.name}, "
                f"the {_SOURCE_NAMES[other.source]} names {other.name}"
            )
    if chosen.line.by_ocr:
        if not confirmed:
            doubts.append("agency read by OCR and not confirmed by another source")
        elif place := unknown_place(chosen.name):
            doubts.append(f"agency read by OCR opens with {place}, which is not a known place name")
    return doubts


UNKNOWN_PLACE = "which is not a known place name"


def shape_doubt(name: str) -> str | None:
    """Why `name` does not look like an agency's full name; None when it does: an organ suffix, opening
    with a known place (洪泽区人民政府, 上海市科委) or a national body (国家税务总局上海市税务局)."""
    if not (3 <= len(name) <= 40 and _CJK_NAME.fullmatch(name)):
        return f"{name} is not a name"
    if not _ORG_SUFFIX.search(name):
        return f"{name} has no organ suffix (局, 委员会, 人民政府 …): a place or a fragment, not an agency"
    if national_body(name):
        return None
    place = leading_place(name)
    if place is None:
        return f"{name} opens with no place or national body"
    if place not in places():
        return f"{name} opens with {place}, {UNKNOWN_PLACE}"
    return None


def _same_agency(a: str, b: str) -> bool:
    """Two readings name one agency when one ends the other, the place before it left out (市审计局,
    鼓楼区审计局 in 福州市鼓楼区审计局), 政府 = 人民政府. 洪泽区人民政府 opens 洪泽区人民政府办公室 but names
    another body: the government, not its office."""
    ka, kb = (x.replace("人民政府", "政府") for x in (a, b))
    return len(min(ka, kb, key=len)) >= 3 and (ka.endswith(kb) or kb.endswith(ka))


def _title_name(block: TextLine) -> NameReading | None:
    """The agency a title names, without what the title adds to it: "2024年上海市科委政府信息公开工作
    年度报告" → 上海市科委; "XX关于2023年…的报告", "关于印发XX…的通知" → XX."""
    text = re.sub(r"[\s#*]", "", block.text)
    cut = _REPORT_NAME.search(text)
    head = text[: cut.start()] if cut else text
    if head.endswith("人民") and text[len(head) :].startswith(
        "政府"
    ):  # 洪泽区人民政府信息公开…: 政府 is shared
        head += "政府"
    if "印发" in head:  # "A关于印发B…的通知": the report is B's, A only issues it
        head = head.split("印发", 1)[1]
    segments = [
        _NAME_EDGES.sub("", seg).removesuffix("的")
        for part in head.split("关于")
        for seg in _YEAR_PART.split(part)[::2]  # split() keeps the captured year between segments
    ]
    names = [seg for seg in segments if len(seg) >= 2]
    if not names:
        return None
    organs = [n for n in names if _ORG_SUFFIX.search(n)]
    doubt = f"the title names {'、'.join(names)}: which is the agency is unclear" if len(names) > 1 else None
    return NameReading((organs or names)[0], block, "title", doubt if len(organs) != 1 else None)


# "…有关要求，聊城市审计局编制了2020年政府信息公开工作报告": the body that wrote the report.
_INTRO_AUTHOR = re.compile(r"[，,：:]([\u3400-\u9fff（）()]{3,40}?)编制了?(?:\d{4}年|本)")


def _intro(lines: list[TextLine]) -> NameReading | None:
    """The agency the opening sentence names as the report's author; only a name with an agency's shape
    (我局, 本机关 name no one). A place the gazetteer does not know (宁国县, a county that became 宁国市)
    still names the author: the reading carries that doubt to review rather than leaving the agency null."""
    for line in lines[:12]:
        if (m := _INTRO_AUTHOR.search(line.text)) and _organ_shaped(m.group(1)):
            return NameReading(m.group(1), line, "intro")
    return None


def _organ_shaped(name: str) -> bool:
    """A name with an organ suffix opening with a place, known or not, or with a national body."""
    doubt = shape_doubt(name)
    return doubt is None or doubt.endswith(UNKNOWN_PLACE)


_DOC_NUMBER = re.compile(r"[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*第?\s*\d+\s*号")


def _red_header(lines: list[TextLine]) -> NameReading | None:
    """ "XX人民政府文件" above a document number ("X政发〔2024〕3号"): the issuing agency."""
    for i, line in enumerate(lines[:8]):
        m = re.fullmatch(r"(.+?)文\s*件", _NAME_EDGES.sub("", line.text))
        if not m or sum(1 for part in m.group(1).split() if len(part) >= 3 and _ORG_SUFFIX.search(part)) > 1:
            continue  # two names side by side: a joint issue, not one agency
        name = re.sub(r"\s", "", m.group(1))
        numbered = any(_DOC_NUMBER.search(ln.text) for ln in lines[i + 1 : i + 4])
        if _ORG_SUFFIX.search(name) and _CJK_NAME.fullmatch(name) and (numbered or i <= 1):
            return NameReading(name, line, "red-header")
    return None


_PUBLISHER = re.compile(r"^(发布机构|发文机关|发布单位)\s*[:：]?\s*(.*)$")


def _publisher(lines: list[TextLine]) -> NameReading | None:
    """A web page's or crawler's 发布机构 (its value after the colon, or alone on the next line)."""
    for i, line in enumerate(lines[:60]):
        if not (m := _PUBLISHER.match(line.text)):
            continue
        value, where = m.group(2).strip(), line
        below = lines[i + 1].text if i + 1 < len(lines) else ""
        if not value and _ORG_SUFFIX.search(below) and not re.search(r"[:：]", below):  # label over value
            value, where = below, lines[i + 1]
        name = _NAME_EDGES.sub("", re.sub(r"\s", "", value))
        return NameReading(name, where, "publisher") if _CJK_NAME.fullmatch(name or "-") else None
    return None


_BODY_MARK = re.compile(r"[=\-]{3,}\s*正文\s*[=\-]{3,}")  # a crawler's line between header block and body


def _tail(lines: list[TextLine]) -> list[TextLine]:
    """The last lines of the body, up to what a page prints after it (抄送, 扫一扫). A crawler's header
    block is not part of it even when the body is a single line ("发布时间: 2021-03-05" is no signature)."""
    start = next((i + 1 for i, ln in enumerate(lines[:15]) if _BODY_MARK.fullmatch(ln.text)), 0)
    tail = lines[max(start, len(lines) - 30) :]
    for i, line in enumerate(tail):
        if _STOP_TAIL.match(line.text):
            return tail[:i]
    return tail


def _signature(lines: list[TextLine]) -> NameReading | None:
    """The name above the closing date; with no date, a last line that is an agency's full name."""
    tail = _tail(lines)
    for i in range(len(tail) - 1, 0, -1):
        if _parse_date(tail[i].text) and len(tail[i].text) <= 20:
            name = _NAME_EDGES.sub("", re.sub(r"\s", "", tail[i - 1].text))
            if _ORG_SUFFIX.search(name) and 3 <= len(name) <= 40:
                return NameReading(name, tail[i - 1], "signature")
    last = next((ln for ln in reversed(tail) if re.search(r"[\u3400-\u9fff]", ln.text)), None)
    name = _NAME_EDGES.sub("", re.sub(r"\s", "", last.text)) if last else ""
    if last and len(name) <= 25 and shape_doubt(name) is None:
        return NameReading(name, last, "signature")
    return None


# A web page's own dates, for a report with no signature date: the spec names 生成日期; a portal's (or its
# crawler's) 发布时间 / 发布日期 is the day the page went up, which is the report's publication day as often
# as not, so it is offered for a person to confirm rather than stored as read.
PAGE_DATE_LABELS = ("生成日期", "发布时间", "发布日期")


def find_date(lines: list[TextLine]) -> FieldValue:
    tail = _tail(lines)
    for i in range(len(tail) - 1, -1, -1):
        parsed = _parse_date(tail[i].text)
        if parsed and len(tail[i].text) <= 20 and not _PERIOD_BOUND.search(tail[i].text):
            signed = i > 0 and _ORG_SUFFIX.search(re.sub(r"\s", "", tail[i - 1].text))
            found = _field(parsed, tail[i], 0.99 if signed else 0.9, "signature")
            if tail[i].by_ocr and sum(1 for ln in lines if _parse_date(ln.text) == parsed) < 2:
                # No rule checks a date's month or day, and OCR misreads them with confidence (楷体's
                # 3 read as 5 on a 1-bit scan: 2020-03-18 stored as 2020-05-18, `ok`): a date read once
                # from a page image is a person's to confirm.
                found.flag("date read once by OCR; no other mention of it confirms it")
            return found
    for label in PAGE_DATE_LABELS:
        for i, line in enumerate(lines[:60]):
            if label not in line.text:
                continue
            for candidate in (line, *lines[i + 1 : i + 3]):
                if parsed := _parse_date(candidate.text):
                    found = _field(
                        parsed, candidate, 0.97, "page-meta", f"note: date is the web page's {label}"
                    )
                    if label != "生成日期":
                        found.flag(f"no signature date; the web page's {label} is a person's to confirm")
                    return found
    return _field(None, None, 0.0, "signature", "no signature date found")


def check_date(published: FieldValue, year: int | None) -> None:
    """A report on year Y is published in Y or Y+1 (the regulation's deadline is 31 January of Y+1), and
    never after today: a date outside that is a misread (楷体 2023 read as 2025 by OCR) or the document's
    own slip, and either way a person's to decide."""
    if published.value is None:
        return
    if str(published.value) > date.today().isoformat():
        published.flag(f"date {published.value} is after today")
    elif year is not None and int(str(published.value)[:4]) not in (year, year + 1):
        published.flag(f"date {published.value}: a report on {year} is published in {year} or {year + 1}")


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
