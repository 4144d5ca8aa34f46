"""Figures stated in the prose (`n.*`).

The prose is read as sentences: lines a plain-text layout wrapped at a fixed width are joined first, so
"…的行政复" / "议" and "…数为" / "0 件" read as one sentence. Every finder reads its number through one
grammar (`figure`, `parse_number`): digits with thousands separators ("2,085", "2，085", "20 085"),
full-width digits, Chinese numerals (一百二十, 两千零五, 二〇八五, 贰仟零捌拾伍), multipliers (1.2万, 3.5千),
and the forms that make a figure indefinite: approximations before or after it (近、约、逾、超过、多、余、
左右、以上、上下), ranges ("20-30条", "二三十件"). A count of a part (其中…, one channel, one category, one
quarter) is not the figure. A figure is taken only when the prose states one definite number; an
approximate one gives null (the prose has no single figure, `null_is_answer`). A negation ("未收到…申请",
"无…行政复议") states 0 only when it negates the case itself ("未被…纠错" negates a correction, not the
review), and a figure stated in the same sentence wins over it. When a sentence seems to state the figure
in a form we do not read, or reads it with a doubt, the field goes to review: never a silent null or guess.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from ingest.meta import TextLine
from ingest.normalize import clean_text, label_key
from ingest.record import FieldValue
from ingest.templates import load_template, template_names
from ingest.textrows import looks_like_pipe_row

# --- the number grammar ----------------------------------------------------------------------------

# With the financial forms (壹贰叁…拾佰仟) some reports use for figures that must not be altered.
_CN_DIGITS = {
    c: i for digits in ("〇一二三四五六七八九", "零壹贰叁肆伍陆柒捌玖") for i, c in enumerate(digits)
}
_CN_DIGITS["两"] = 2
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "拾": 10, "佰": 100, "仟": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
# Set where two text lines were joined between two digits: a number running over it was cut in two.
BREAK = "\x00"
_ARABIC = r"\d{1,3}(?:,\d{3})+(?![\d,])|\d{1,3}(?: \d{3})+(?! ?\d)|\d+(?:\.\d+)?"
# A Chinese numeral counts only things of a report (条, 件, 起, 宗): "一个专栏", "一项制度", "一次性告知"
# use 一 as an article.
_CN_COUNT = rf"(?=\s*(?:[-~—–至到]\s*[{_CN}\d]+)?\s*[余多来]?\s*[条件起宗])"
_ONE_NUMBER = rf"(?:(?:{_ARABIC})(?:\s?[万千百亿])?(?![\d.])|[{_CN}]+{_CN_COUNT}|[数几][十百千万]+)"
# Not a count: an ordinal (第二十条), a digit run continued from before, "每一件" (every one), or the upper
# end of a range whose lower end was not read.
_START = rf"(?<![\d.,{_CN}第每数几\-~—–至])(?<!第 )"
_PREFIX = r"将近|接近|近|大约|约|逾|超过|超|不足|不到|不少于|至少|上(?=[百千万])"  # 上百, 上千: hundreds
# The units each figure is counted in: information in 条/件 ("目录3次" is no count of it), requests also
# in 个/项, cases also in 起/宗/次.
INFO_UNITS, REQUEST_UNITS, CASE_UNITS = "条|件", "件|条|个|项", "件|起|宗|个|次|项"
# OCR splits the top of a 楷体 条 off as 人 ("主动公开政府信息49人条", synth_989961, 998052, 998062): read
# as part of the unit. Such a figure is not read again by the digit vote (its digits are not followed by a
# count word), so it stays an unconfirmed OCR reading, in review.
_UNIT_SPLIT = r"人(?=条)"
# One figure: an optional approximation before it, the number (or a range of two), an optional
# approximation after it, then the unit of a count ("2,085条", "近2万件", "20-30条", "200余条", "10件左右",
# "20件至30件").
_FIGURE = (
    rf"(?P<pre>{_PREFIX})?\s*{_START}(?P<num>{_ONE_NUMBER})"
    rf"(?:\s*(?P<to>[-~—–至到])\s*(?P<num2>{_ONE_NUMBER}))?"
    rf"\s*(?P<suf>余|多|来)?\s*(?:{_UNIT_SPLIT})?(?P<unit>UNITS)(?!性)"
    rf"(?P<post>\s*(?:左右|以上|上下|之多|有余|[-~—–至到]\s*(?:{_ONE_NUMBER})\s*(?:UNITS)))?"
)


def figure(units: str) -> str:
    """The grammar's pattern of one figure counted in `units` ("条|件")."""
    return _FIGURE.replace("UNITS", units)


def parse_number(text: str) -> float | None:
    """The value of one number in the grammar's forms; None for a form with no single value."""
    text = text.replace(" ", "").replace(",", "")
    mult = 1
    if text and text[-1] in "万千百亿" and text[0].isdigit():
        mult = {**_CN_UNITS, **_CN_BIG}[text[-1]]
        text = text[:-1]
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text) * mult
    return _parse_chinese(text)


def _parse_chinese(text: str) -> float | None:
    if not text or any(c not in _CN for c in text) or _is_cn_range(text):
        return None
    if all(c in _CN_DIGITS for c in text):  # digit by digit: "二〇八五"
        return float("".join(str(_CN_DIGITS[c]) for c in text))
    total, wan, section, digit = 0, 0, 0, None
    for c in text:
        if c in _CN_DIGITS:
            if digit not in (None, 0):
                return None  # "二三" inside a number with units: no reading
            digit = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[c]  # 十二: a bare 十 is 10
            digit = None
        elif c == "万":
            wan, section, digit = (section + (digit or 0)) * 10_000, 0, None
        else:  # 亿
            total, wan, section, digit = (total + wan + section + (digit or 0)) * 100_000_000, 0, 0, None
    if digit and text[-2] in "百千万佰仟":
        return None  # "三百二" is 320 said short, or 302: no reading
    return float(total + wan + section + (digit or 0))


def _is_cn_range(text: str) -> bool:
    """Two digits side by side before a unit or alone ("二三十" = 20 to 30, "三五件", "十一二件") name a
    range; a longer run of bare digits is a number written digit by digit ("二〇八五")."""
    if len(text) > 2 and all(c in _CN_DIGITS for c in text):
        return False
    return bool(re.search(r"[一二两三四五六七八九壹贰叁肆伍陆柒捌玖]{2}(?=[十百千万拾佰仟]|$)", text))


@dataclass(slots=True)
class Reading:
    """What one figure in the grammar's form says: a value, or why it has none."""

    value: int | None
    kind: str  # "exact", "approximate" (approximations, ranges), "doubt" (a form we cannot settle)


def read_figure(m: re.Match[str]) -> Reading:
    num = m.group("num")
    if BREAK in m.string[max(m.start("num") - 1, 0) : m.end("num") + 1]:
        return Reading(None, "doubt")  # digits on both sides of a line break: one number or two?
    if m.group("pre") or m.group("suf") or m.group("post") or m.group("num2") or num[0] in "数几":
        return Reading(None, "approximate")
    if _is_cn_range(num):
        return Reading(None, "approximate")
    value = parse_number(num)
    if value is None or value != int(value):
        return Reading(None, "doubt")  # "12.5条" is no count
    return Reading(int(value), "exact")


# --- sentences -------------------------------------------------------------------------------------

# A sentence ends here; the thousands comma of "2,085" is not a clause break.
_SENTENCE = re.compile(r"[。;!?！？；]")
_CLAUSE = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))")
_TERMINAL = ("。", "！", "？", "；", ";", "!", "?", "：", ":")
_HEADING = re.compile(
    r"^([一二三四五六七八九十]+、|[(][一二三四五六七八九十\d]+[)]|\d+[、.]\D|第[一二三四五六七八九十]+[章节部])"
)
# Table vocabulary that reads like prose ("未经复议直接起诉" is a t4 header, not a negation).
_TABLE_TERMS = re.compile(r"未经复议直接起诉|复议后起诉|行政复议、行政诉讼情况|行政复议或行政诉讼情况")
# OCR reads 未 ("not") as 末 ("end"); 末 before a verb of receiving is never meant ("年末" stays).
_NOT_LOOKALIKE = re.compile(r"(?<![年期月岁周])末(?=(收到|受理|接到|发生|出现|有))")
# One character of 行政复议 misread (馥议, 复识): after 申请/提起, "行政复?" or "行政?议" can only be 行政复议.
_REVIEW_LOOKALIKE = re.compile(r"(?<=(申请|提起)行政)(?:复[^议\s，,。、\d]|[^复\s，,。、\d]议)")
# A count in a form no finder reads ("110人条": a character OCR slipped in): a doubt, never "no figure".
_LOOSE_COUNT = re.compile(r"\d+[^\d年月日\s，,。%]{0,2}(条|件|起|宗)")


@dataclass(slots=True)
class Sentence:
    text: str
    line: TextLine  # the line it starts on: its evidence
    context: str  # its section's heading and the section's text before it
    lines: tuple[TextLine, ...] = ()  # every line it runs over


def sentences(lines: list[TextLine]) -> list[Sentence]:
    """The prose as sentences. Lines of a plain-text layout that run to the page's usual width without
    ending their sentence are wrapped: they continue on the next line."""
    out: list[Sentence] = []
    context = ""
    for text, starts in _paragraphs(lines):
        if _HEADING.match(text):
            context = ""
        bounds = [0] + [m.end() for m in _SENTENCE.finditer(text)]
        for start, end in zip(bounds, [*bounds[1:], len(text)], strict=True):
            if text[start:end].strip():
                line = next(ln for offset, ln in reversed(starts) if offset <= start)
                ends = [*(offset for offset, _ln in starts[1:]), len(text) + 1]
                over = tuple(
                    ln
                    for (offset, ln), stop in zip(starts, ends, strict=True)
                    if offset < end and stop > start
                )
                out.append(Sentence(text[start:end].rstrip("。;!?！？；").strip(), line, context, over))
                context += text[start:end]
    return out


# Markdown markup around prose: heading marks, bold.
_MARKDOWN = re.compile(r"^#{1,6}\s+|\*\*")


def _paragraphs(lines: list[TextLine]) -> list[tuple[str, list[tuple[int, TextLine]]]]:
    """Lines joined into paragraphs: each paragraph's text and the offset in it where each line starts."""
    texts = [_prepare(ln.text) for ln in lines]
    widths = _usual_widths(lines, texts)
    out: list[tuple[str, list[tuple[int, TextLine]]]] = []
    for i, (line, text) in enumerate(zip(lines, texts, strict=True)):
        if out and _wraps(lines[i - 1], texts[i - 1], line, text, widths):
            joined, starts = out[-1]
            glue = BREAK if joined[-1:].isdigit() and text[:1].isdigit() else ""
            out[-1] = (joined + glue + text, [*starts, (len(joined) + len(glue), line)])
        else:
            out.append((text, [(0, line)]))
    return out


def _prepare(text: str) -> str:
    text = _MARKDOWN.sub("", clean_text(text))
    return _REVIEW_LOOKALIKE.sub("复议", _NOT_LOOKALIKE.sub("未", _TABLE_TERMS.sub(" ", text)))


def _usual_widths(lines: list[TextLine], texts: list[str]) -> dict[int, float]:
    """Per page, the width (in characters) of a full line of running text: the 90th percentile."""
    by_page: dict[int, list[int]] = {}
    for line, text in zip(lines, texts, strict=True):
        if not text.startswith(("|", "#")):
            by_page.setdefault(line.page, []).append(len(text.replace(" ", "")))
    return {
        page: (statistics.quantiles(n, n=10)[-1] if len(n) >= 5 else max(n)) for page, n in by_page.items()
    }


# A figure and its measure word on two lines: Markdown writers (pandoc, html2text) wrap a paragraph at a
# space, and the spaces of "共 79 条" are where they wrap ("…共 79" / "条。…"): one sentence, however short.
_FIGURE_END = re.compile(r"\d$")
_MEASURE_START = re.compile(r"^(?:\d+(?:\.\d+)?\s*)?[条件个项次起宗家人余%％]")


def _cut_at_a_figure(prev_text: str, text: str) -> bool:
    if _FIGURE_END.search(prev_text):
        return bool(_MEASURE_START.match(text)) and not text[:1].isdigit()
    return bool(re.match(r"^\d+(?:\.\d+)?\s*[条件个项次起宗家人余%％]", text))


def _wraps(prev: TextLine, prev_text: str, line: TextLine, text: str, widths: dict[int, float]) -> bool:
    return (
        prev.page == line.page
        and (
            len(prev_text.replace(" ", "")) >= 0.8 * widths.get(prev.page, 0)
            or _cut_at_a_figure(prev_text, text)
        )
        and not prev_text.endswith(_TERMINAL)
        and not _HEADING.match(prev_text)
        and not _HEADING.match(text)
        and not text.startswith(("|", "#"))
        and not prev_text.startswith(("|", "#"))
        and not looks_like_pipe_row(prev.raw)  # a table's border of dashes runs to the margin too
    )


# --- finders ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class Hit:
    value: int | None
    how: str  # "total", "stated", "negated", "approximate", "part", "doubt"
    why: str = "the prose states this figure in a form not read"  # of a doubt
    digits: str = ""  # the figure as written, when written in digits alone ("2,085" → "2085")


Finder = Callable[[str, str], Hit | None]  # (clause, the sentence before the clause) → hit

_TOTAL = re.compile(r"共|累计|合计|总计")
# A count of one part of the figure, not the figure: after 其中 (still open: not closed by the parenthesis
# it opened), or of one part of the year.
_PART = re.compile(r"其中[^)]*$|季度|上半年|下半年")
_CHANNEL = re.compile(r"网上|网络|当面|信函|传真|电子邮件|邮寄|现场|电话")
# One kind of what was disclosed ("主动公开规范性文件20件", "工作动态类信息"), not all of it ("各类").
_CATEGORY = re.compile(r"(?<!各)类|文件|解读|规章|预算|决算|公告|指南|目录")


def _finder(pattern: str, units: str, parts: re.Pattern[str] | None = None) -> Finder:
    """The figure `pattern` reads where it says FIGURE: after its topic ("主动公开政府信息2,085条",
    `+ _STATED`) or before it ("有 1 件…行政复议"). `parts`: words before the number that make it a count of
    one part (a channel, a category)."""
    regex = re.compile(pattern.replace("FIGURE", figure(units)))

    def find(clause: str, before: str) -> Hit | None:
        m = regex.search(clause)
        return _hit(m, clause, before, parts) if m else None

    return find


# A figure after its topic, or a zero said without a unit ("行政诉讼数为零").
_STATED = r"(?:FIGURE|(?P<zero>为\s*[0零])(?![\d.]))"


def _hit(m: re.Match[str], clause: str, before: str, parts: re.Pattern[str] | None) -> Hit:
    reading = Reading(0, "exact") if m.groupdict().get("zero") else read_figure(m)
    if reading.kind == "approximate":  # an approximate part is no more definite than an approximate whole
        return Hit(None, "approximate")
    ahead = clause[: m.start("num") if m.group("num") else m.end()]
    if _PART.search(before + ahead) or (parts and parts.search(ahead)):
        return Hit(None, "part")
    if reading.value is None:
        return Hit(None, reading.kind)
    num = (m.group("num") or "").replace(",", "").replace(" ", "")
    digits = num if re.fullmatch(r"[0-9]+", num) else ""
    return Hit(reading.value, "total" if _TOTAL.search(m.group(0)) else "stated", digits=digits)


# Words that deny the case happened; "未经复议" (without review), "未予受理" (not accepted), "无法" are not.
# OCR's look-alikes of 未 and 无 where only a negation can stand (仿宋 and 宋体 scans: 未发生因… read
# 示发生因…, 全年无因… read 全年天-因…, synth_776008/776009): a figure read through one is an OCR reading
# like any other, settled only when the table's counterpart agrees (rules._confirmed_by_table).
_NEGATION = (
    r"(?:未曾?(?=发生|出现|有|收到|受理|接到|接收|被|因)|无(?![法论需])|没有"
    r"|(?<![表显指提展公批请告演暗揭标])示(?=发生|出现|收到|受理|接到|接收|被|因)"
    r"|(?<![今每昨明当])天(?=[-—一]?\s*因))"
)
# A negation of a correction, not of the case: "该行政复议件未被复议审查机关纠错".
_OUTCOME = re.compile(r"纠错|纠正|撤销|败诉|确认违法|被.{0,8}(改变|变更)")


def _negation(topic: str) -> Finder:
    regex = re.compile(_NEGATION + r"[^,]{0,30}?" + topic)

    def find(clause: str, before: str) -> Hit | None:
        m = regex.search(clause)
        if not m or _OUTCOME.search(clause[m.end() :]):
            return None
        return Hit(0, "negated")

    return find


# Between a topic and its figure: no change from another year ("同比增加12条" is no total).
# Nor a figure shared out over several things ("分别为1件、2件").
_NO_CHANGE = r"(?!增|减|下降|提高|上升|比|较|分别)"
_REQUESTS_AFTER = (
    r"(?:收到|受理|接收|新收)[^,。]{0,16}?申请(?:" + _NO_CHANGE + r"[^,。\d]){0,8}?(?:共|共计|合计)?\s*"
)
# The other topic between the figure and this one ("有2件行政复议和行政诉讼"): not read as this one's.
_SUIT_OR_REVIEW_BEFORE = r"(?:有|发生|收到|共|涉及)\s*FIGURE(?:(?!复议|诉讼)[^,。\d、]){0,20}?"

# Between a case word and its figure: no outcome ("行政复议纠错0件" counts corrections, not cases).
_CASE_GAP = r"(?:(?!纠错|纠正|撤销|维持|败诉|胜诉)" + _NO_CHANGE + r"[^,。\d])"
# "有2件行政复议和行政诉讼": one figure for two topics is neither one's.
_NOT_PAIRED = r"(?![和及与、或]行政(?:复议|诉讼))"

# Per figure: the clause must mention `topic`; finders run in order; `excluded` clauses are skipped;
# `doubt_if` (on the sentence) sends a figure found in it to review. `context_finders` read clauses that do
# not name the topic, in a sentence or section that does.
FIGURES: dict[str, dict] = {
    "n.active_disclosed": {
        "topic": re.compile(r"主动(政务)?公开"),
        "excluded": re.compile(r"历年"),  # cumulative over the years
        # "2008年以来", "截至目前": may count more than this year ("今年以来" is this year).
        "doubt_if": (re.compile(r"(?<!今年)以来|截至目前"), "the figure may count more than this year"),
        "finders": [
            _finder(
                r"主动(?:政务)?公开(?:" + _NO_CHANGE + r"[^,、]){0,24}?(?:共|共计|累计|合计)?\s*" + _STATED,
                INFO_UNITS,
                parts=_CATEGORY,
            )
        ],
        # "通过部门网站当年发布政府信息 393 件" in a section on 主动公开.
        "context_finders": [
            _finder(r"(?:发布|公开|公布)(?:各类)?政府信息(?:共|共计)?\s*" + _STATED, INFO_UNITS)
        ],
        "context_excluded": re.compile(r"历年|申请|予|同意|部分|答复|提供|办结|处理"),  # a request's outcome
    },
    "n.requests_received": {
        "topic": re.compile(r"公开申请|申请公开|依申请|信息申请"),
        # A clause saying requests were received that no finder understands is a doubt, not "no figure".
        "claim": re.compile(r"收到|受理|接收|新收|无|未|没有"),
        "excluded": re.compile(r"历年|上年结转"),
        # "收到申请36件，其中上年结转2件": the figure stated may hold last year's requests too.
        "doubt_if": (
            re.compile(r"(其中|含|包括)[^。]*结转"),
            "the figure stated may include requests carried over",
        ),
        "finders": [
            _finder(_REQUESTS_AFTER + _STATED, REQUEST_UNITS, parts=_CHANNEL),
            _finder(r"依申请公开(?:信息|政府信息)?(?:共|共计)?\s*" + _STATED, REQUEST_UNITS, parts=_CHANNEL),
            _finder(
                r"(?:收到|受理|接收|新收)[^,。\d]{0,6}?FIGURE[^,。\d、]{0,12}?申请",
                REQUEST_UNITS,
                parts=_CHANNEL,
            ),
            _negation(r"(收到|受理)[^,]{0,12}?申请"),
            _negation(r"(?<=[无有])(政府信息)?(公开申请|依申请公开)"),  # "全年无政府信息公开申请"
        ],
        # "依申请公开方面，全年共收到申请14件".
        "context_finders": [
            _finder(
                r"(?:收到|受理|接收|新收)(?:各类)?申请(?:共|共计|合计)?\s*" + _STATED,
                REQUEST_UNITS,
                parts=_CHANNEL,
            )
        ],
        "context_excluded": re.compile(r"历年|结转"),
    },
    "n.reviews": {
        "topic": re.compile(r"复议"),
        "any_mention": True,  # rare outside this figure: any mention we cannot read is a doubt
        "finders": [
            _finder(
                r"(?:被申请|提起|申请)?行政复议" + _CASE_GAP + r"{0,6}?(?:共|共计)?\s*" + _STATED, CASE_UNITS
            ),
            _finder(r"行政复议" + _CASE_GAP + r"{0,12}?[均各]\s*" + _STATED, CASE_UNITS),
            _finder(_SUIT_OR_REVIEW_BEFORE + r"行政复议" + _NOT_PAIRED, CASE_UNITS),
            _negation(r"复议"),
        ],
    },
    "n.lawsuits": {
        "topic": re.compile(r"诉讼"),
        "any_mention": True,
        "finders": [
            _finder(r"(?:被提起|提起)?行政诉讼" + _CASE_GAP + r"{0,6}?(?:共|共计)?\s*" + _STATED, CASE_UNITS),
            _finder(r"行政诉讼" + _CASE_GAP + r"{0,12}?[均各]\s*" + _STATED, CASE_UNITS),
            _finder(_SUIT_OR_REVIEW_BEFORE + r"行政诉讼" + _NOT_PAIRED, CASE_UNITS),
            _negation(r"诉讼"),
        ],
    },
}

# The doubt on a prose figure read by OCR, lifted when its table counterpart agrees.
OCR_UNCONFIRMED = "figure read once by OCR from the prose; no table figure confirms it"
# ... or, instead of it, when the digit vote of table cells read the figure's digits alike on its line.
VOTE_CONFIRMED = "note: the figure's digits read again by the digit vote, alike"


@dataclass(slots=True)
class Found:
    hit: Hit
    line: TextLine
    clause: str
    lines: tuple[TextLine, ...] = ()  # the lines of its sentence


def prose_figures(lines: list[TextLine]) -> dict[str, FieldValue]:
    sents = sentences(lines)
    figures = {key: _figure(spec, sents) for key, spec in FIGURES.items()}
    if any(line.by_ocr for line in lines):
        for field in figures.values():
            if field.value is None and field.null_is_answer:
                # OCR can lose a line: not finding a figure in what it read does not show there is none.
                field.null_is_answer = False
                field.reasons.append("no figure found in prose read by OCR, which may have lost a line")
    return figures


def _figure(spec: dict, sents: list[Sentence]) -> FieldValue:
    found: list[Found] = []
    unparsed: list[TextLine] = []
    for sentence in sents:
        hits, doubtful = _sentence_hits(spec, sentence)
        # A figure stated anywhere in the sentence wins over a negation in it.
        if any(f.hit.how != "negated" for f in hits):
            hits = [f for f in hits if f.hit.how != "negated"]
        found += hits
        unparsed += [sentence.line] if doubtful and not hits else []
    return _decide(found, unparsed)


_PAREN = re.compile(r"\([^)]*\)")


def _sentence_hits(spec: dict, sentence: Sentence) -> tuple[list[Found], bool]:
    hits: list[Found] = []
    doubtful = False
    topical = bool(spec["topic"].search(sentence.context + sentence.text))
    before = ""
    for clause in _CLAUSE.split(sentence.text):
        hit = None
        # What a parenthesis adds ("36件(含上年结转2件)") does not exclude the clause.
        excluded = spec.get("excluded")
        if spec["topic"].search(clause) and not (excluded and excluded.search(_PAREN.sub("", clause))):
            hit = next((h for f in spec["finders"] if (h := f(clause, before)) is not None), None)
            doubtful |= hit is None and not _outline(sentence.text) and _unparsed_claim(spec, clause)
        elif topical and spec.get("context_finders") and not spec["context_excluded"].search(clause):
            hit = next((h for f in spec["context_finders"] if (h := f(clause, before)) is not None), None)
            if hit and sentence.text.count("通过") > 1:  # one figure per channel named: none is the whole
                hit = Hit(None, "part")
        if hit is not None:
            hits.append(Found(hit, sentence.line, clause, sentence.lines))
        before += clause + ","
    if BREAK in sentence.text and spec["topic"].search(sentence.text):
        # Digits on both sides of a line break ("2,0" / "85条"): one number or two? Never a guess.
        hits.append(
            Found(Hit(None, "doubt", "a number runs over a line break"), sentence.line, sentence.text)
        )
    doubt_if, why = spec.get("doubt_if", (None, ""))
    if hits and doubt_if and doubt_if.search(sentence.text):
        hits.append(Found(Hit(None, "doubt", why), sentence.line, sentence.text))
    return hits, doubtful


# A heading, the sentence listing the report's parts, or a table row kept as text (a label and bare
# numbers): names the figures, states none in prose.
_OUTLINE = re.compile(r"(报告|全文)[^。]{0,10}包括|(?:\s+\d+){3,}$")


def _outline(text: str) -> bool:
    return (
        bool(_HEADING.match(text) and len(text) <= 30 and not re.search(r"\d", text))
        or bool(_OUTLINE.search(text))
        or _table_row(text)
    )


# A Markdown pipe row, or a table row whose cells ran together (crawler text): a template row's label and a
# bare run of digits, nothing else.
_GLUED_ROW = re.compile(r"^(.*?[\u3400-\u9fff）)])\s*[\d\s]+$")
# The longest row label with its enumerators and a character of a vertical label: longer text is prose.
_MAX_ROW_LABEL = 45


def _table_row(text: str) -> bool:
    if looks_like_pipe_row(text):
        return True
    glued = _GLUED_ROW.match(text)
    label = label_key(glued.group(1)) if glued else ""
    return len(label) <= _MAX_ROW_LABEL and label.endswith(_row_labels())


@cache
def _row_labels() -> tuple[str, ...]:
    """Every t2/t3 row label of the templates, as label keys (long enough to name a row on their own)."""
    labels = {label for name in template_names() for row in load_template(name).rows for label in row.labels}
    return tuple(sorted(label for label in labels if len(label) >= 4))


def _unparsed_claim(spec: dict, clause: str) -> bool:
    if spec.get("any_mention") and len(clause) >= 10:
        return True
    claim = spec.get("claim")
    return bool(claim and claim.search(clause)) or bool(_LOOSE_COUNT.search(clause))


def _decide(found: list[Found], unparsed: list[TextLine]) -> FieldValue:
    definite = [f for f in found if f.hit.value is not None]
    doubts = [f for f in found if f.hit.how == "doubt"]
    totals = [f for f in definite if f.hit.how == "total"]
    # Sub-counts ("其中…1条") beside one figure stated as the total: the total is the figure.
    if len({f.hit.value for f in definite}) > 1 and len({f.hit.value for f in totals}) == 1:
        definite = totals
    values = {f.hit.value for f in definite}
    if values:
        field = _stated(definite[0])
        if len(values) > 1:
            field.confidence = 0.5
            field.reasons.append(
                f"the prose states different figures: {sorted(v for v in values if v is not None)}"
            )
        elif doubts:
            field.reasons.append(f"{doubts[0].hit.why}: {doubts[0].clause.replace(BREAK, '')}")
        return field
    field = FieldValue(value=None, confidence=0.9, method="prose", null_is_answer=True)
    approximate = [f for f in found if f.hit.how == "approximate"]
    if doubts:  # a figure in a form we cannot settle: never "no figure"
        field.null_is_answer = False
        _evidence(field, doubts[0])
        field.reasons.append(doubts[0].hit.why)
    elif approximate:
        _evidence(field, approximate[0])
        field.reasons.append("note: the prose gives only an approximate figure")
    elif found:  # only parts ("其中…12件", one channel): the whole is not stated, or not understood
        field.null_is_answer = False
        _evidence(field, found[0])
        field.reasons.append("the prose states only parts of this figure (其中…, by channel)")
    elif unparsed:
        field.null_is_answer = False
        field.page, field.bbox, field.raw = unparsed[0].page, unparsed[0].bbox, unparsed[0].raw[:200]
        field.reasons.append("a sentence on this figure was not understood")
    else:
        field.reasons.append("note: the prose states no figure")
    return field


def _stated(found: Found) -> FieldValue:
    line = found.line
    field = FieldValue(
        value=found.hit.value,
        confidence=0.96,
        raw=found.clause.replace(BREAK, ""),
        page=line.page,
        bbox=line.bbox,
        method=f"prose-{found.hit.how}",
    )
    if line.by_ocr and _read_twice(found):
        field.reasons.append(VOTE_CONFIRMED)
    elif line.by_ocr:
        # One reading of a figure in running text: settled only when the digit vote read it alike
        # (_read_twice) or the table's counterpart agrees (rules.run_rules).
        field.confidence = 0.85
        field.reasons.append(OCR_UNCONFIRMED)
    return field


def _read_twice(found: Found) -> bool:
    """The figure is written in digits, and every run of those digits on its sentence's lines was read
    again by the digit vote (ocr.page._digit_runs) as the same digits. Every run, not one: the figure
    misread as another count of the line (182条 read 132条 beside a true 132件) is not confirmed by the
    other count's reading. A Chinese numeral (二十条) is never confirmed so."""
    digits = found.hit.digits
    runs = [ok for ln in found.lines or (found.line,) for run, ok in ln.digit_runs if run == digits]
    return bool(digits) and bool(runs) and all(runs)


def _evidence(field: FieldValue, found: Found) -> None:
    field.raw, field.page, field.bbox = found.clause.replace(BREAK, ""), found.line.page, found.line.bbox
