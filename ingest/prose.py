"""Figures stated in the prose (`n.*`).

A figure is taken only when the prose states one definite number in a form we know; "200余条" is not
definite (null). A negation ("未收到…申请", "无…行政复议") states 0. When a clause seems to state the
figure in a form we do not know, the field goes to review instead of silently staying null.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.meta import TextLine
from ingest.record import FieldValue

_CLAUSE = re.compile(r"[。；;！!？?\n，,]")
# Table vocabulary that reads like prose ("未经复议直接起诉" is a t4 header, not a negation).
_TABLE_TERMS = re.compile(r"未经复议直接起诉|复议后起诉|行政复议、行政诉讼情况|行政复议或行政诉讼情况")
_APPROX = r"(余|多|近|约|左右|以上|超过)"
# OCR reads 未 ("not") as 末 ("end"); 末 before a verb of receiving is never meant ("年末" stays).
_NOT_LOOKALIKE = re.compile(r"(?<![年期月岁周])末(?=(收到|受理|接到|发生|出现|有))")
# One character of 行政复议 misread (馥议, 复识): after 申请/提起, "行政复?" or "行政?议" can only be 行政复议.
_REVIEW_LOOKALIKE = re.compile(r"(?<=(申请|提起)行政)(?:复[^议\s，,。、\d]|[^复\s，,。、\d]议)")
# A count in a form no finder reads ("110人条": a character OCR slipped in): a doubt, never "no figure".
_LOOSE_COUNT = re.compile(r"\d+[^\d年月日\s，,。]{0,2}(条|件|起|宗)")

# The doubt on a prose figure read by OCR, lifted when its table counterpart agrees.
OCR_UNCONFIRMED = "figure read once by OCR from the prose; no table figure confirms it"

Finder = Callable[[str], tuple[int | None, str] | None]


def _number_after(pattern: str) -> Finder:
    regex = re.compile(pattern + r"\s*(\d[\d,]*)\s*" + _APPROX + r"?\s*(条|件|起|宗|个|项|次)")

    def find(clause: str) -> tuple[int | None, str] | None:
        m = regex.search(clause)
        if not m:
            return None
        if m.group(m.lastindex - 1):  # an approximate figure
            return None, "approximate"
        how = "total" if re.search(r"共|累计|合计|总计", m.group(0)) else "stated"
        return int(m.group(m.lastindex - 2).replace(",", "")), how

    return find


def _negation(topic: str) -> Finder:
    regex = re.compile(r"(未|无|没有|未发生|未出现)[^，,]{0,30}?" + topic)

    def find(clause: str) -> tuple[int | None, str] | None:
        return (0, "negated") if regex.search(clause) else None

    return find


# Per figure: the clause must mention `topic`; finders run in order; `excluded` clauses are skipped.
FIGURES: dict[str, dict] = {
    "n.active_disclosed": {
        "topic": re.compile(r"主动(政务)?公开"),
        "excluded": re.compile(r"历年"),
        "finders": [_number_after(r"主动(?:政务)?公开[^，,、]{0,24}?(?:共|共计|累计|合计)?")],
    },
    "n.requests_received": {
        "topic": re.compile(r"公开申请|申请公开|依申请|信息申请"),
        # A clause saying requests were received that no finder understands is a doubt, not "no figure".
        "claim": re.compile(r"收到|受理|接收|新收"),
        "excluded": re.compile(r"历年|上年结转"),
        "finders": [
            _negation(r"(收到|受理)[^，,]{0,12}?申请"),
            _number_after(r"(?:收到|受理|接收|新收)[^，,。]{0,16}?申请[^，,。\d]{0,8}?(?:共|共计|合计)?"),
            _number_after(r"依申请公开(?:信息|政府信息)?(?:共|共计)?"),
        ],
    },
    "n.reviews": {
        "topic": re.compile(r"复议"),
        "any_mention": True,  # rare outside this figure: any mention we cannot read is a doubt
        "excluded": re.compile(r"^$"),
        "finders": [
            _negation(r"复议"),
            _number_after(r"(?:被申请|提起|申请)?行政复议[^，,。\d]{0,6}?(?:共|共计)?"),
        ],
    },
    "n.lawsuits": {
        "topic": re.compile(r"诉讼"),
        "any_mention": True,
        "excluded": re.compile(r"^$"),
        "finders": [
            _negation(r"诉讼"),
            _number_after(r"(?:被提起|提起)?行政诉讼[^，,。\d]{0,6}?(?:共|共计)?"),
        ],
    },
}


def prose_figures(lines: list[TextLine]) -> dict[str, FieldValue]:
    return {key: _figure(key, spec, lines) for key, spec in FIGURES.items()}


def _figure(key: str, spec: dict, lines: list[TextLine]) -> FieldValue:
    found: list[tuple[int | None, str, TextLine, str]] = []
    unparsed: list[TextLine] = []
    for line in lines:
        text = _REVIEW_LOOKALIKE.sub("复议", _NOT_LOOKALIKE.sub("未", _TABLE_TERMS.sub(" ", line.text)))
        for clause in _CLAUSE.split(text):
            if not spec["topic"].search(clause) or spec["excluded"].search(clause):
                continue
            hit = next((r for f in spec["finders"] if (r := f(clause)) is not None), None)
            if hit:
                found.append((hit[0], hit[1], line, clause))
            elif _unparsed_claim(spec, clause):
                unparsed.append(line)
    return _decide(found, unparsed)


def _unparsed_claim(spec: dict, clause: str) -> bool:
    if spec.get("any_mention") and len(clause) >= 10:
        return True
    claim = spec.get("claim")
    return bool(claim and claim.search(clause)) or bool(_LOOSE_COUNT.search(clause))


def _decide(found: list, unparsed: list[TextLine]) -> FieldValue:
    definite = [f for f in found if f[0] is not None]
    totals = [f for f in definite if f[1] == "total"]
    # Sub-counts ("其中…1条") beside one figure stated as the total: the total is the figure.
    if len({f[0] for f in definite}) > 1 and len({f[0] for f in totals}) == 1:
        definite = totals
    values = {f[0] for f in definite}
    if len(values) == 1:
        value, how, line, clause = definite[0]
        field = FieldValue(
            value=value, confidence=0.96, raw=clause, page=line.page, bbox=line.bbox, method=f"prose-{how}"
        )
        if line.by_ocr:
            # One reading of a figure in running text (no digit vote as in table cells): settled only
            # when the table's counterpart agrees (rules.run_rules).
            field.confidence = 0.85
            field.reasons.append(OCR_UNCONFIRMED)
        return field
    if len(values) > 1:
        value, how, line, clause = definite[0]
        return FieldValue(
            value=value,
            confidence=0.5,
            raw=clause,
            page=line.page,
            bbox=line.bbox,
            method=f"prose-{how}",
            reasons=[f"the prose states different figures: {sorted(values)}"],
        )
    field = FieldValue(value=None, confidence=0.9, method="prose", null_is_answer=True)
    if found:  # only approximate figures
        _, _, line, clause = found[0]
        field.raw, field.page, field.bbox = clause, line.page, line.bbox
        field.reasons.append("note: the prose gives only an approximate figure")
    elif unparsed:
        field.null_is_answer = False
        field.page, field.bbox, field.raw = unparsed[0].page, unparsed[0].bbox, unparsed[0].raw[:200]
        field.reasons.append("a sentence on this figure was not understood")
    else:
        field.reasons.append("note: the prose states no figure")
    return field
