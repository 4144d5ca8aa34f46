"""Native layouts of issue 10 that a tuning corpus showed read wrong, each rebuilt here in a few lines: a
rule-less table whose label lines and rows are set equally far apart, t4's header at the foot of one page
and its values on the next, crawler text whose sub-row labels were lost, a header repeated over a row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.glued import GluedRow, split_glued
from ingest.meta import TextLine
from ingest.pipeline import read_document
from ingest.prose import prose_figures
from ingest.readers.pdf_layout import open_tables
from ingest.record import OK, REVIEW, FieldValue
from ingest.tables import read_rows, read_t4
from ingest.templates import load_template
from ingest.tokens import Token, document_tokens

# --- a table without rules: numbered labels start cells ----------------------------------------------


def _word(text: str, x0: float, top: float) -> dict[str, Any]:
    return {"text": text, "x0": x0, "x1": x0 + 10.0 * len(text), "top": top, "bottom": top + 10.0}


def _line(label: str | None, top: float, values: int = 7) -> list[dict[str, Any]]:
    words = [_word(label, 118.0, top)] if label else []
    return words + [_word("0", 280.0 + 35.0 * i, top) for i in range(values)]


def test_a_numbered_label_line_starts_a_new_cell_where_lines_and_rows_are_equally_spaced() -> None:
    # Single spacing, no rules: every line 15 pt below the last, whether it wraps a label or starts a row.
    # "（三）" stands on the next row's value line right under the last line of （二）'s wrapped label, and
    # the group label （三）不予公开 runs on beside the second sub-row.
    lines = [
        _line("（二）部分公开", 438.0),
        [_word("（区分处理的，", 118.0, 453.0)],
        [_word("只计这一情形，", 118.0, 468.0)],
        [_word("不计其他情形）", 118.0, 483.0)],
        _line("（三）", 498.0),
        [_word("不予公", 118.0, 513.0)],
        _line("开", 528.0),
        _line(None, 558.0),
    ]
    (table,), _ = open_tables(lines, [])
    labels = {cell.row: cell for cell in table.cells if cell.col == 0 and cell.text}
    first = min(labels)
    assert labels[first].text.replace("\n", "") == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    group = labels[first + 1]
    assert group.text.replace("\n", "") == "（三）不予公开"
    assert group.rowspan == 2  # over the two rows it stands beside, as a merged cell
    assert first + 2 not in labels and first + 3 not in labels  # the sub-rows keep no label of their own


# --- t4: header at the foot of a page, values at the top of the next ---------------------------------


def _token(text: str, kind: str, page: int, row: int, in_table: bool) -> Token:
    return Token(text, kind, page, (0.0, 0.0, 1.0, 1.0), 1.0, "pdf-text", row, in_table)


T4_VALUES = ["2", "0", "0", "1", "3", "0", "0", "0", "0", "0", "1", "0", "0", "0", "1"]


def test_t4_header_printed_as_lines_of_text_above_values_on_the_next_page() -> None:
    header = [
        "行政复议 行政诉讼",
        "结果 结果 其他 尚未 总计 未经复议直接起诉 复议后起诉",
        "维持 纠正 结果 审结 结果 结果 其他 尚未 总计 结果 结果 其他 尚未 总计",
        "维持 纠正 结果 审结 维持 纠正 结果 审结",
    ]
    tokens = [_token(text, "text", 4, row, False) for row, text in enumerate(header, start=1)]
    tokens += [_token(v, "number", 5, 9, True) for v in T4_VALUES]
    tokens.append(_token("五、存在的主要问题及改进情况", "text", 5, 10, False))
    reading = read_t4(tokens, load_template("2021"))
    assert reading is not None
    assert [t.text for t in reading.cells if t is not None] == T4_VALUES


def test_prose_opening_with_the_word_does_not_start_t4() -> None:
    tokens = [_token("行政复议和行政诉讼情况良好", "text", 1, 1, False)]
    tokens += [_token(v, "number", 1, 2, True) for v in T4_VALUES]
    assert read_t4(tokens, load_template("2021")) is None


# --- crawler text: sub-row labels lost -------------------------------------------------------------

T3_LABELS_2021 = {
    0: "一、本年新收政府信息公开申请数量",
    1: "二、上年结转政府信息公开申请数量",
    2: "三、本年度办理结果（一）予以公开",
    3: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    4: "（三）不予公开",
    12: "（四）无法提供",
    15: "（五）不予处理",
    20: "（六）其他处理",
    23: "（七）总计",
    24: "四、结转下年度继续办理",
}
# 141000015 fits its row sum as 14 1 0 0 0 0 15 and as 1 4 10 0 0 0 15; only the columns decide:
# 予以公开 140000014 and 部分公开 0100001 each cut one way, and 总计 = their sum, 新收 = 总计.
RUNS = {0: "141000015", 2: "140000014", 3: "0100001", 23: "141000015"}


def _t3_lines(drop: int | None = None) -> list[str]:
    """One row a line; the sub-rows of each group print no label, only the group's first one its name."""
    lines = ["三、收到和处理政府信息公开申请情况", "申请人情况自然人法人或其他组织总计"]
    for index in range(25):
        if index != drop:
            lines.append(T3_LABELS_2021.get(index, "") + RUNS.get(index, "0000000"))
    return [*lines, "四、政府信息公开行政复议、行政诉讼情况"]


def _glued_rows(lines: list[str]) -> list[GluedRow]:
    return [p for pieces in split_glued(lines, "2021").values() for p in pieces if isinstance(p, GluedRow)]


def test_rows_without_labels_take_their_template_place_and_the_columns_decide_the_cut() -> None:
    rows = _glued_rows(_t3_lines())
    assert len(rows) == 25  # every row, the unlabelled ones included
    new_received = rows[0]
    assert [c.text for c in new_received.cells] == ["14", "1", "0", "0", "0", "0", "15"]
    assert all(c.sure for c in new_received.cells)
    assert "column equations" in new_received.cells[0].reason


def test_unlabelled_rows_that_do_not_fit_the_template_count_decide_nothing() -> None:
    # One lost sub-row of （三）: the rows placed by position no longer end where （四） starts, so they are
    # left out of the column equations and the ambiguous run stays in doubt.
    rows = _glued_rows(_t3_lines(drop=7))
    new_received = rows[0]
    assert not new_received.cells[0].sure and not new_received.cells[1].sure


# --- a header repeated right above a row -------------------------------------------------------------


def test_a_header_repeated_above_a_row_does_not_lend_it_another_rows_label(tmp_path: Path) -> None:
    # 2019 t3 continued after a page break with its header repeated: "…法律服务机构其他" right above
    # "（五）不予处理" holds 其他 and 处理 in order, which alone would read as （六）其他处理.
    lines = [
        "三、收到和处理政府信息公开申请情况",
        "\t申请人情况",
        "\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计",
        "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1",
        "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
        "\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计",
        "（五）不予处理\t1\t0\t0\t0\t0\t0\t1",
    ]
    path = tmp_path / "t3.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    readings = read_rows(document_tokens(read_document(path)), load_template("2019"))
    assert "t3.other" not in readings
    assert readings["t3.ignored_petition"].how == "group"


# --- a row broken across a page break ----------------------------------------------------------------


def test_a_row_label_broken_across_a_page_break_is_joined_with_its_rest() -> None:
    # Word lets a row break across pages: the label's head beside the values at the foot of page 2, its
    # rest in a row of empty cells at the top of page 3 (under the repeated header).
    values = ["3", "0", "1", "0", "0", "2", "6"]
    tokens = [_token("一、本年新收政府信息公", "text", 2, 10, True)]
    tokens += [_token(v, "number", 2, 10, True) for v in values]
    tokens += [_token("申请人情况", "text", 3, 11, True), _token("开申请数量", "text", 3, 12, True)]
    tokens += [_token("", "blank", 3, 12, True) for _ in values]
    tokens.append(_token("二、上年结转政府信息公开申请数量", "text", 3, 13, True))
    tokens += [_token("0", "number", 3, 13, True) for _ in values]
    readings = read_rows(tokens, load_template("2021"))
    assert readings["t3.new_received"].how == "label"
    assert [t.text for t in readings["t3.new_received"].cells if t is not None] == values
    assert readings["t3.carried_over"].how == "label"


# --- prose: table rows and Markdown markup are no sentences --------------------------------------------


def _prose(*texts: str) -> dict[str, FieldValue]:
    fields = prose_figures([TextLine(t, t, 1, (0.0, 0.0, 100.0, 10.0)) for t in texts])
    for f in fields.values():
        f.settle_status()
    return fields


def test_table_rows_kept_as_text_state_no_figure_in_prose() -> None:
    # A glued crawler row, a Markdown pipe row and a Markdown heading name the figures; none states one.
    fields = _prose(
        "## 三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量8000008",
        "| 行政复议 | 行政诉讼 |",
    )
    for key in ("n.requests_received", "n.reviews"):
        assert fields[key].value is None and fields[key].status == OK, fields[key].reasons


def test_a_sentence_with_a_figure_in_a_form_not_read_is_still_doubted() -> None:
    # Ends like a row (a t2 row's label, then digits) but is prose: too long to be a row's label.
    fields = _prose(
        "全年因政府信息公开被申请行政复议的案件均已依法按期办结并全部向社会公开涉及其他对外管理服务事项12"
    )
    assert fields["n.reviews"].status == REVIEW


def test_a_bare_number_between_t2_rows_is_no_row_of_its_own() -> None:
    # Only a t3 group's sub-rows lose their labels; a page number between t2 rows must not take the place
    # of the next row (行政强制), whose value would then be read as the stray figure.
    lines = ["第二十条第（六）项", "信息内容本年处理决定数量", "行政处罚12", "2", "行政强制5"]
    rows = _glued_rows(lines)
    assert [(r.label, [c.text for c in r.cells]) for r in rows] == [("行政处罚", ["12"]), ("行政强制", ["5"])]


def test_a_short_label_numbered_for_another_row_does_not_name_that_row() -> None:
    # "2.其他" is what is left of 2.其他法律行政法规禁止公开 when its wrapped lines were read as rows of their
    # own (an OCR'd page without rules); it must not jump to 3.其他 (（六）其他处理) and skip every row between.
    values = ["0"] * 7
    tokens = [_token("（三）不予公开1.属于国家秘密", "text", 2, 1, True)]
    tokens += [_token(v, "number", 2, 1, True) for v in values]
    tokens.append(_token("2.其他", "text", 2, 2, True))
    tokens += [_token(v, "number", 2, 2, True) for v in values]
    readings = read_rows(tokens, load_template("2021"))
    assert "t3.other_misc" not in readings
    assert readings["t3.denied_law"].how == "position"
