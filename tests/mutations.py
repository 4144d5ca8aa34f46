"""Structural mutations of token streams: the faults that layouts and OCR really produce, injected into the
tokens of correctly read documents. An oracle no generator can bias: whatever the damage, no value that
differs from the document's truth may come out `ok`.

A base document is its token stream, its prose lines and its truth. Its tables are seen as *segments*: a run
of label tokens followed by the value tokens of one printed row (as the table stage sees them). Every
operator takes a random generator and the token list and returns a damaged copy, plus the truth keys it
makes unknowable (none, except the other template's row, whose sub-rows are then not printed).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ingest.meta import TextLine
from ingest.tokens import Token

VALUE_KINDS = ("number", "dash", "blank", "unreadable")
# Characters a vertical 三、本年度办理结果 label leaves behind when read as stray cells.
VERTICAL_LABEL = list("三、本年度办理结果")
LOOKALIKES = "己已巳未末土士日曰人入八儿千干于子孑"


@dataclass(slots=True)
class Base:
    name: str
    tokens: list[Token]
    lines: list[TextLine]
    truth: dict[str, Any]  # table keys (t2/t3/t4) → value as printed
    template: str


@dataclass(slots=True)
class Segment:
    labels: list[int]  # token indices
    values: list[int]


def segments(tokens: list[Token]) -> list[Segment]:
    """Label run + the values of one printed row, in order (value runs with a number or dash only)."""
    out: list[Segment] = []
    labels: list[int] = []
    values: list[int] = []

    def close() -> None:
        if any(tokens[i].kind in ("number", "dash") for i in values):
            out.append(Segment(list(labels), list(values)))

    for i, token in enumerate(tokens):
        if token.kind == "text":
            if values:
                close()
                labels, values = [], []
            labels.append(i)
        else:
            if values and token.row != tokens[values[-1]].row:
                close()
                labels, values = [], []
            values.append(i)
    if values:
        close()
    return out


class _Rows:
    """Fresh row ids for inserted or split rows."""

    def __init__(self, tokens: list[Token]) -> None:
        self.next_id = max((t.row for t in tokens), default=0) + 1000

    def new(self) -> int:
        self.next_id += 1
        return self.next_id


def _text(token: Token, text: str, row: int | None = None) -> Token:
    return replace(token, text=text, kind="text", row=token.row if row is None else row)


def _blank_like(token: Token) -> Token:
    return replace(token, text="", kind="blank")


# --- operators: each returns the damaged tokens, or None when the document offers no place for it ------

Mutation = Callable[[random.Random, list[Token]], list[Token] | None]


def _pick(rng: random.Random, segs: list[Segment], need_labels: bool = False) -> Segment | None:
    pool = [s for s in segs if s.labels or not need_labels]
    return rng.choice(pool) if pool else None


def label_lost(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    seg = _pick(rng, segments(tokens), need_labels=True)
    if seg is None:
        return None
    drop = set(seg.labels[-rng.randint(1, len(seg.labels)) :])
    return [t for i, t in enumerate(tokens) if i not in drop]


def label_garbled(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    seg = _pick(rng, segments(tokens), need_labels=True)
    if seg is None:
        return None
    out = list(tokens)
    i = seg.labels[-1]
    chars = list(out[i].text)
    if not chars:
        return None
    for _ in range(rng.randint(1, 3)):
        chars[rng.randrange(len(chars))] = rng.choice(LOOKALIKES)
    out[i] = _text(out[i], "".join(chars))
    return out


def label_cut(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    """A label cut in two: two cells, or its tail wrapped onto the row's end or the next line."""
    seg = _pick(rng, segments(tokens), need_labels=True)
    if seg is None:
        return None
    i = seg.labels[-1]
    text = tokens[i].text
    if len(text) < 2:
        return None
    cut = rng.randint(1, len(text) - 1)
    head, tail = _text(tokens[i], text[:cut]), _text(tokens[i], text[cut:])
    if rng.random() < 0.5 or not seg.values:
        return [*tokens[:i], head, tail, *tokens[i + 1 :]]
    end = seg.values[-1]
    return [*tokens[:i], head, *tokens[i + 1 : end + 1], tail, *tokens[end + 1 :]]


def rows_merged(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    """A lost rule merges two printed rows: the second's label is lost, its values join the first's row."""
    segs = segments(tokens)
    pairs = [(a, b) for a, b in itertools.pairwise(segs) if a.values and b.values]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    row = tokens[a.values[0]].row
    drop = set(b.labels)
    out = []
    for i, t in enumerate(tokens):
        if i in drop:
            continue
        out.append(replace(t, row=row) if i in b.values else t)
    return out


def _header_of(tokens: list[Token], seg: Segment, segs: list[Segment]) -> list[Token]:
    """The text tokens between the previous value row and this table's first labelled row."""
    index = segs.index(seg)
    start = segs[index - 1].values[-1] + 1 if index else 0
    labels = seg.labels[:-1] if seg.labels else []
    return [t for t in tokens[start : labels[-1] + 1] if t.kind == "text"] if labels else []


def page_split(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    """A row cut by a page break, with or without the header repeated between its two parts."""
    segs = segments(tokens)
    seg = _pick(rng, [s for s in segs if len(s.values) > 2])
    if seg is None:
        return None
    at = rng.randint(1, len(seg.values) - 1)
    rows = _Rows(tokens)
    second = rows.new()
    header: list[Token] = []
    if rng.random() < 0.5:
        first_of_table = next(s for s in segs if s.labels)
        header = [replace(t, row=rows.new()) for t in _header_of(tokens, first_of_table, segs)[-12:]]
    cut = seg.values[at]
    moved = [replace(t, row=second) for t in tokens[cut : seg.values[-1] + 1]]
    return [*tokens[:cut], *header, *moved, *tokens[seg.values[-1] + 1 :]]


def header_lost(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    segs = segments(tokens)
    starts = [s for k, s in enumerate(segs) if len(s.labels) > 3 and (k == 0 or segs[k - 1].values)]
    if not starts:
        return None
    seg = rng.choice(starts)
    drop = set(seg.labels[: -1 if rng.random() < 0.7 else len(seg.labels)])
    return [t for i, t in enumerate(tokens) if i not in drop]


def value_lost(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    """A value not read; the rest of the row shifts left."""
    seg = _pick(rng, segments(tokens))
    if seg is None:
        return None
    drop = rng.choice(seg.values)
    return [t for i, t in enumerate(tokens) if i != drop]


def stray_column(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    seg = _pick(rng, segments(tokens))
    if seg is None:
        return None
    at = rng.choice([*seg.values, seg.values[-1] + 1])
    like = tokens[seg.values[0]]
    extra = replace(like, text=rng.choice(["", "", "0", "1", str(rng.randint(2, 99))]))
    extra.kind = "blank" if not extra.text else "number"
    return [*tokens[:at], extra, *tokens[at:]]


def row_repeated(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    """The last row of a page printed again at the top of the next, header between or not."""
    segs = segments(tokens)
    seg = _pick(rng, segs, need_labels=True)
    if seg is None:
        return None
    rows = _Rows(tokens)
    row = rows.new()
    copy = [replace(tokens[i], row=row) for i in [*seg.labels[-1:], *seg.values]]
    header = []
    if rng.random() < 0.5:
        first = next(s for s in segs if s.labels)
        header = [replace(t, row=rows.new()) for t in _header_of(tokens, first, segs)[-12:]]
    end = seg.values[-1] + 1
    return [*tokens[:end], *header, *copy, *tokens[end:]]


def edge_row_lost(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    """The first or last row of a table lost whole (label and values)."""
    segs = segments(tokens)
    firsts = [s for k, s in enumerate(segs) if s.labels and (k == 0 or len(s.labels) > 3)]
    lasts = [segs[k] for k in range(len(segs)) if k + 1 == len(segs) or len(segs[k + 1].labels) > 3]
    pool = firsts + lasts
    if not pool:
        return None
    seg = rng.choice(pool)
    drop = set(seg.values) | set(seg.labels[-1:])
    return [t for i, t in enumerate(tokens) if i not in drop]


def vertical_label_stray(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    """A vertical label read as stray characters between rows (each its own cell or line)."""
    segs = segments(tokens)
    seg = _pick(rng, segs[1:], need_labels=True)
    if seg is None:
        return None
    at = seg.labels[0]
    rows = _Rows(tokens)
    k = rng.randint(1, 4)
    start = rng.randrange(len(VERTICAL_LABEL) - k + 1)
    stray = [_text(tokens[at], ch, rows.new()) for ch in VERTICAL_LABEL[start : start + k]]
    return [*tokens[:at], *stray, *tokens[at:]]


def column_shift(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    """A row's values shifted by one column (an empty cell gained on one side, one lost on the other)."""
    seg = _pick(rng, [s for s in segments(tokens) if len(s.values) > 2])
    if seg is None:
        return None
    first, last = seg.values[0], seg.values[-1]
    if rng.random() < 0.5:
        moved = [_blank_like(tokens[first]), *tokens[first:last]]
    else:
        moved = [*tokens[first + 1 : last + 1], _blank_like(tokens[last])]
    return [*tokens[:first], *moved, *tokens[last + 1 :]]


def digit_misread(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    """A confident misreading of one digit in t3 or t4 (rows of 7 or 15 cells), where the arithmetic, not
    the reader, must catch it. t2 has no arithmetic: there a sure reading is the only evidence."""
    rows = [s for s in segments(tokens) if len(s.values) in (7, 15)]
    numbers = [
        i
        for s in rows
        for i in s.values
        if tokens[i].kind == "number" and any(c.isdigit() for c in tokens[i].text)
    ]
    if not numbers:
        return None
    i = rng.choice(numbers)
    text = tokens[i].text
    at = rng.choice([k for k, c in enumerate(text) if c.isdigit()])
    digit = rng.choice([d for d in "0123456789" if d != text[at]])
    out = list(tokens)
    out[i] = replace(tokens[i], text=text[:at] + digit + text[at + 1 :])
    return out


def value_split(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    """A number broken in two cells by a misplaced cell boundary ("412" → "41", "2")."""
    seg = _pick(rng, segments(tokens))
    wide = [i for i in seg.values if tokens[i].kind == "number" and len(tokens[i].text) > 1] if seg else []
    if not wide:
        return None
    i = rng.choice(wide)
    cut = rng.randint(1, len(tokens[i].text) - 1)
    head, tail = replace(tokens[i], text=tokens[i].text[:cut]), replace(tokens[i], text=tokens[i].text[cut:])
    return [*tokens[:i], head, tail, *tokens[i + 1 :]]


def values_glued(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    """Two neighbouring numbers read as one ("0", "12" → "012"): a lost cell boundary."""
    pairs = [
        (i, j)
        for s in segments(tokens)
        for i, j in itertools.pairwise(s.values)
        if tokens[i].kind == tokens[j].kind == "number"
    ]
    if not pairs:
        return None
    i, j = rng.choice(pairs)
    glued = replace(tokens[i], text=tokens[i].text + tokens[j].text)
    return [*tokens[:i], glued, *tokens[j + 1 :]]


def cell_unreadable(rng: random.Random, tokens: list[Token]) -> list[Token] | None:
    """Ink in a number's place that no OCR pass could read (a seal, a smudge): an unreadable slot."""
    seg = _pick(rng, segments(tokens))
    if seg is None:
        return None
    i = rng.choice(seg.values)
    out = list(tokens)
    out[i] = replace(tokens[i], text=rng.choice(["", "l1.", "0-"]), kind="unreadable", conf=0.3)
    return out


OPERATORS: dict[str, Mutation] = {
    "cell_unreadable": cell_unreadable,
    "value_split": value_split,
    "values_glued": values_glued,
    "label_lost": label_lost,
    "label_garbled": label_garbled,
    "label_cut": label_cut,
    "rows_merged": rows_merged,
    "page_split": page_split,
    "header_lost": header_lost,
    "value_lost": value_lost,
    "stray_column": stray_column,
    "row_repeated": row_repeated,
    "edge_row_lost": edge_row_lost,
    "vertical_label_stray": vertical_label_stray,
    "column_shift": column_shift,
    "digit_misread": digit_misread,
}


OTHER_GROUP = ("t3.other_no_correction", "t3.other_unpaid_fee", "t3.other_misc")
T3_COLUMNS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")


def other_template_row(
    base: Base, rows: dict[str, int], tokens: list[Token]
) -> tuple[list[Token], set[str]] | None:
    """A 2021 table printing the 2019 single row （六）其他处理: the three sub-rows become one row of their
    sums. `rows` maps each row key to the printed row id of its values in the undamaged document. The
    sub-row keys are then not printed: their truth is unknown."""
    if base.template != "2021" or not all(r in rows for r in OTHER_GROUP):
        return None
    segs = segments(tokens)
    ids = [rows[r] for r in OTHER_GROUP]
    subs = [next((s for s in segs if s.values and tokens[s.values[0]].row == i), None) for i in ids]
    if any(s is None or not s.labels for s in subs):
        return None
    first, last = subs[0], subs[-1]
    assert first is not None and last is not None
    sums = [sum(base.truth.get(f"{r}.{c}") or 0 for r in OTHER_GROUP) for c in T3_COLUMNS]
    row = tokens[first.values[0]].row
    label = _text(tokens[first.labels[-1]], "（六）其他处理", row)
    cells = [replace(tokens[first.values[0]], text=str(v), kind="number", row=row) for v in sums]
    start, end = first.labels[-1], last.values[-1] + 1
    unknown = {f"{r}.{c}" for r in OTHER_GROUP for c in T3_COLUMNS}
    return [*tokens[:start], label, *cells, *tokens[end:]], unknown
