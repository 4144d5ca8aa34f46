"""The three statistical tables of a report (t2, t3, t4) as `Table`s, with the layout faults real reports
show: labels broken over lines, a lost header cell, a stray empty column, blank sub-row labels, money in
several written forms and full-width digits."""

from __future__ import annotations

import random
from typing import Any

from synth.knobs import CLASSIC, Knobs
from synth.layout import T3_COLUMNS, T4_COLUMNS, T4_GROUPS, t2_items, t3_row_label, t3_rows
from synth.model import Cell, Table

FULLWIDTH = str.maketrans("0123456789-,.", "０１２３４５６７８９－，．")

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_ORG_COLUMNS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
T4_RESULT_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
T3_RESULTS = "三、本年度办理结果"
# t3 grid column widths (cm) per `widths` knob: three label columns, seven value columns.
T3_WIDTHS = {
    "classic": [1.0, 2.4, 4.2] + [1.3] * 7,
    "even": [1.63] * 10,
    "wide_label": [1.2, 2.8, 5.0] + [1.05] * 7,
}
T3_TOP_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "carried_forward": "四、结转下年度继续办理",
}


class Styler:
    """Turns values into cell text under the document's faults; one per document so choices repeat."""

    def __init__(self, rng: random.Random, faults: set[str], template: str, knobs: Knobs = CLASSIC) -> None:
        self.rng = rng
        self.faults = faults
        self.template = template
        self.knobs = knobs

    def number(self, value: Any) -> str:
        text = "" if value is None else str(value)
        if "fullwidth_digits" in self.faults and self.rng.random() < 0.3:
            return text.translate(FULLWIDTH)
        return text

    def money(self, value: float) -> str:
        """万元 amount as written: plain under a 万元 header, else with a unit; yuan when the fault asks."""
        if not value:
            return self.number(0)
        plain = f"{value:.2f}".rstrip("0").rstrip(".")
        if self.template == "2021" and "money_forms" not in self.faults:
            return self.number(plain)
        if "money_forms" in self.faults and self.rng.random() < 0.6:
            return self.number(f"{round(value * 10000):,}") + "元"
        return self.number(plain) + self.rng.choice(("万", "万元"))

    def label(self, text: str, breaks: tuple[int, ...] = ()) -> str:
        """A label, wrapped by hand (as authors do) at the given character offsets under the fault."""
        if "broken_labels" not in self.faults or not breaks:
            return text
        cut = self.rng.choice(breaks)
        return text[:cut] + "\n" + text[cut:] if 0 < cut < len(text) else text

    def head_label(self, text: str, breaks: tuple[int, ...] = ()) -> str:
        """A t3 header label: under the `header: wrapped` knob, two or three characters a line (as a
        narrow column wraps them); otherwise as `label`."""
        if self.knobs.header != "wrapped" or len(text) < 3:
            return self.label(text, breaks)
        step = 2 if len(text) <= 4 else 3
        return "\n".join(text[i : i + step] for i in range(0, len(text), step))


def _head(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan=colspan, rowspan=rowspan, header=True)


def _value(text: str) -> Cell:
    return Cell(text, value=True)


def build_t2(fields: dict[str, Any], template: str, st: Styler) -> Table:
    """One four-column table, each 第二十条 item a sub-table with its own header row."""
    rows: list[list[Cell]] = []
    for item, cols, item_rows in t2_items(template):
        rows.append([_head(item, colspan=4)])
        header = [_head("信息内容")] + [_head(st.label(c, (2, 3))) for c in cols]
        header[-1].colspan = 4 - len(cols)
        rows.append(header)
        for label, keys in item_rows:
            cells = [Cell(st.label(label, (2, 4) if len(label) > 5 else ()))]
            for key in keys:
                value = fields[key]
                cells.append(_value(st.money(value) if isinstance(value, float) else st.number(value)))
            cells[-1].colspan = 4 - len(keys)
            rows.append(cells)
    return Table("t2", rows, widths=[4.6, 3.6, 3.6, 3.6])


def _t3_header(template: str, st: Styler, stray: bool) -> list[list[Cell]]:
    """Three header rows (申请人情况 / 自然人, 法人或其他组织, 总计 / the five organisations), or two under
    the `header: two_rows` knob (no 申请人情况 row, as many portals print it)."""
    natural = "" if "lost_header" in st.faults else "自然人"
    middle = [
        _head(st.head_label(natural), rowspan=2),
        _head(st.head_label("法人或其他组织"), colspan=5),
        _head("总计", rowspan=2),
    ]
    orgs = [_head(st.head_label(c, (2,))) for c in T3_ORG_COLUMNS]
    if st.knobs.header == "two_rows":
        rows = [[_head(T3_NOTE, colspan=3, rowspan=2), *middle], orgs]
    else:
        rows = [
            [_head(T3_NOTE, colspan=3, rowspan=3), _head(st.head_label("申请人情况"), colspan=7)],
            middle,
            orgs,
        ]
    if stray:
        for row in rows:
            row.append(Cell(""))
    return rows


def _t3_label_cells(template: str, row: str, st: Styler, first_in_group: dict[str, int]) -> list[Cell]:
    """Label cells of one t3 row; group cells ((三)(四)(五)(六)) span their sub-rows."""
    if row in T3_TOP_LABELS:
        return [Cell(st.label(T3_TOP_LABELS[row], (8, 11)), colspan=3)]
    label = t3_row_label(template, row)
    cells: list[Cell] = []
    if row == "granted":
        outcome_rows = len(t3_rows(template)) - 4 + 1  # outcomes plus （七）总计
        vertical = st.knobs.vlabel == "vertical"
        cells.append(Cell("\n".join(T3_RESULTS) if vertical else T3_RESULTS, rowspan=outcome_rows))
    if row == "total":
        return [*cells, Cell("（七）总计", colspan=2)]
    if " " not in label:
        return [*cells, Cell(st.label(label, (6, 10)), colspan=2)]
    group, sub = label.split(" ", 1)
    if group not in first_in_group:
        first_in_group[group] = sum(1 for r in t3_rows(template) if t3_row_label_group(template, r) == group)
        cells.append(Cell(group, rowspan=first_in_group[group]))
    blank = "missing_sublabels" in st.faults and not group.startswith("（六）")
    cells.append(Cell("" if blank else st.label(sub, (5, 8) if len(sub) > 9 else ())))
    return cells


def t3_row_label_group(template: str, row: str) -> str | None:
    if row in T3_TOP_LABELS or row == "total":
        return None
    label = t3_row_label(template, row)
    return label.split(" ", 1)[0] if " " in label else None


def build_t3(fields: dict[str, Any], template: str, st: Styler) -> Table:
    stray = "stray_column" in st.faults
    rows = _t3_header(template, st, stray)
    header_rows = len(rows)
    groups: dict[str, int] = {}
    for row in t3_rows(template):
        cells = _t3_label_cells(template, row, st, groups)
        cells += [_value(st.number(fields[f"t3.{row}.{c}"])) for c in T3_COLUMNS]
        if stray:
            cells.append(Cell(""))
        rows.append(cells)
    widths = _t3_widths(st.knobs)
    if not st.knobs.classic:
        widths = _fit_values(widths, rows, st.knobs.table_size)
    widths += [0.6] if stray else []
    split = "page_split" in st.faults
    # Text and HTML break at a group boundary, (四) or (五), so the break cuts only 三、本年度办理结果.
    at = header_rows + t3_rows(template).index(st.rng.choice(("unable_not_held", "ignored_petition")))
    repeat = split if st.knobs.classic else st.knobs.header_repeat == "yes"
    return Table(
        "t3",
        rows,
        header_rows=header_rows,
        repeat_header=repeat,
        tall_rows=split,
        widths=widths,
        split_at=at if split else None,
    )


PT_CM = 2.54 / 72
CELL_MARGINS_CM = 0.45  # LibreOffice's default left and right cell margins, and a little air


def _fit_values(widths: list[float], rows: list[list[Cell]], size: float) -> list[float]:
    """Widen the value columns so no figure wraps inside its cell (`１０３` in full-width digits at 10 pt
    would break over three lines in a 1.05 cm column: no author prints that); the sub-row label column
    gives up the room."""

    def ems(text: str) -> float:
        return sum(1.0 if ord(ch) > 0xFF else 0.6 for ch in text)

    longest = max((ems(c.text) for row in rows for c in row if c.value), default=0.0)
    need = longest * size * PT_CM + CELL_MARGINS_CM
    if need <= widths[3]:
        return widths
    grow = (need - widths[3]) * 7
    return [widths[0], widths[1], max(2.0, widths[2] - grow)] + [need] * 7


def _t3_widths(knobs: Knobs) -> list[float]:
    widths = list(T3_WIDTHS[knobs.widths])
    if knobs.vlabel == "vertical":  # a column one character wide; the sub-row labels get the rest
        widths[2] += widths[0] - 0.75
        widths[0] = 0.75
    return widths


def build_t4(fields: dict[str, Any], st: Styler) -> Table:
    rows = [
        [_head("行政复议", colspan=5), _head("行政诉讼", colspan=10)],
        [_head(st.label(t, (2,)), rowspan=2) for t in T4_RESULT_LABELS]
        + [_head("未经复议直接起诉", colspan=5), _head("复议后起诉", colspan=5)],
        [_head(st.label(t, (2,))) for t in T4_RESULT_LABELS * 2],
        [_value(st.number(fields[f"t4.{g}.{c}"])) for g in T4_GROUPS for c in T4_COLUMNS],
    ]
    return Table("t4", rows, header_rows=3, widths=[1.15] * 15)
