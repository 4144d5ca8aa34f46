"""Glued table cells (`ingest.glued`): runs cut by the table's own arithmetic, and only where it decides."""

from __future__ import annotations

from ingest.glued import GluedRow, split_glued

T3_2021 = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "（五）不予处理1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]
ZEROS = "0000000"


def _crawled_t3(runs: dict[int, str]) -> str:
    """One line as a crawler keeps a portal page: every label followed by its glued run."""
    header = "三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
    return header + "".join(label + runs.get(i, ZEROS) for i, label in enumerate(T3_2021))


def _rows(lines: list[str], hint: str | None = "2021") -> list[GluedRow]:
    return [p for pieces in split_glued(lines, hint).values() for p in pieces if isinstance(p, GluedRow)]


def _values(row: GluedRow) -> list[str]:
    return [c.text for c in row.cells]


def test_the_row_sum_cuts_a_run_it_alone_decides() -> None:
    (row,) = _rows(["一、本年新收政府信息公开申请数量713000074"])
    assert _values(row) == ["71", "3", "0", "0", "0", "0", "74"]
    assert all(c.sure for c in row.cells)
    assert row.split
    assert row.cells[0].reason.startswith("note:") and "row sum" in row.cells[0].reason


def test_as_many_digits_as_cells_is_one_digit_per_cell() -> None:
    (row,) = _rows(["（一）予以公开6000017"])
    assert _values(row) == ["6", "0", "0", "0", "0", "1", "7"]
    assert all(c.sure and c.reason.startswith("note:") for c in row.cells)


def test_spaces_are_borders_and_a_spaced_row_needs_no_cut() -> None:
    (row,) = _rows(["（七）总计20 0 00 0 121"])
    assert _values(row) == ["20", "0", "0", "0", "0", "1", "21"]
    (spaced,) = _rows(["（六）其他处理4 0 0 0 0 0 4"], hint="2019")
    assert _values(spaced) == ["4", "0", "0", "0", "0", "0", "4"]
    assert not spaced.split and all(c.sure and not c.reason for c in spaced.cells)


def test_two_cuts_that_both_fit_the_row_leave_the_differing_cells_doubtful() -> None:
    # 110000011 = 11 0 0 0 0 0 11 or 1 10 0 0 0 0 11: both satisfy the row sum.
    (row,) = _rows(["（一）予以公开110000011"])
    natural, commercial, *_, total = row.cells
    assert not natural.sure and not commercial.sure
    assert "2 ways" in natural.reason and not natural.reason.startswith("note:")
    assert total.sure and total.text == "11"  # every cut agrees on it


def test_the_column_equations_decide_what_a_row_alone_cannot() -> None:
    line = _crawled_t3({0: "11 0 0 0 0 0 11", 2: "110000011", 23: "11 0 0 0 0 0 11"})
    granted = _rows([line])[2]
    assert _values(granted) == ["11", "0", "0", "0", "0", "0", "11"]
    assert all(c.sure for c in granted.cells)
    assert "column equations" in granted.cells[0].reason


def test_columns_that_do_not_add_up_decide_nothing() -> None:
    # The total row says 12 where the outcome rows can give 11 at most: no cut solves the columns, so the
    # ambiguous row stays doubtful instead of being forced.
    line = _crawled_t3({0: "12 0 0 0 0 0 12", 2: "110000011", 23: "12 0 0 0 0 0 12"})
    granted = _rows([line])[2]
    assert not granted.cells[0].sure and not granted.cells[1].sure


def test_a_row_whose_own_sum_fails_is_cut_by_the_columns() -> None:
    # Seed 723049: the document printed 一、本年新收 as 25 1 6 0 0 0 31 (the six make 32), so no cut of
    # 251600031 satisfies its row sum; the columns, which the document kept, decide its cells as printed.
    line = _crawled_t3({0: "251600031", 2: "25 1 6 0 0 0 31", 23: "25 1 6 0 0 0 31"})
    new = _rows([line])[0]
    assert _values(new) == ["25", "1", "6", "0", "0", "0", "31"]
    assert all(c.sure for c in new.cells)
    assert "no cut satisfies the row's own sum" in new.cells[0].reason


def test_a_change_of_digit_width_is_a_border() -> None:
    # Seed 723004: a crawler kept 行政许可３７５00: each cell typed in one width, so 375 | 0 | 0.
    (row,) = _rows(["行政许可３７５00"], hint="2019")
    assert _values(row) == ["375", "0", "0"] and all(c.sure for c in row.cells)
    (glued,) = _rows(["行政许可37500"], hint="2019")  # the same digits in one width: no arithmetic decides
    assert not all(c.sure for c in glued.cells)


def test_t4_is_cut_by_its_group_sums() -> None:
    line = (
        "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
        + "结果维持结果纠正其他结果尚未审结总计" * 3
        + "011021000100000"
    )
    (row,) = _rows([line])
    assert _values(row) == ["0", "1", "1", "0", "2", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0"]
    assert all(c.sure for c in row.cells)


def test_t2_without_arithmetic_is_cut_only_when_the_digits_force_it() -> None:
    rows = _rows(
        ["第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件8855698"]
    )
    regulations, normative = rows
    assert _values(regulations) == ["0", "0", "0"] and all(c.sure for c in regulations.cells)
    assert not any(c.sure for c in normative.cells)
    assert "no arithmetic" in normative.cells[0].reason


def test_a_sign_opens_the_change_cell_so_the_cell_before_it_is_known() -> None:
    (row,) = _rows(["行政处罚2648-18538"], hint="2019")
    prev, change, decisions = row.cells
    assert prev.text == "2648" and prev.sure
    assert not change.sure and not decisions.sure
    (fees,) = _rows(["行政事业性收费35-15"], hint="2019")
    assert _values(fees) == ["35", "-15"] and all(c.sure for c in fees.cells)


def test_an_undecided_cut_shows_the_likeliest_cells_and_leaves_them_in_review() -> None:
    """With no arithmetic to choose, the guess a reviewer sees has the smallest change: most often 0."""
    (license_row,) = _rows(["行政许可190190"], hint="2019")
    assert _values(license_row) == ["19", "0", "190"]
    assert not any(c.sure for c in license_row.cells)
    (normative,) = _rows(
        ["第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数行政规范性文件13055"]
    )
    assert _values(normative)[1] == "0" and not normative.cells[1].sure


def test_a_dash_glued_to_digits_is_guessed_a_minus_sign_not_an_empty_cell() -> None:
    (row,) = _rows(["行政强制18-70"], hint="2019")
    assert _values(row) == ["18", "-7", "0"]
    assert not row.cells[1].sure and not row.cells[2].sure


def test_an_enumerator_glued_behind_a_run_belongs_to_the_next_label() -> None:
    rows = _rows(
        ["（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开00000003.危及“三安全一稳定”1000001"]
    )
    assert [r.label for r in rows] == ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”"]
    assert _values(rows[2]) == ["1", "0", "0", "0", "0", "0", "1"]


def test_prose_figures_are_not_table_rows() -> None:
    lines = [
        "全年收到政府信息公开申请34件，本年新收政府信息公开申请数量34件。",
        "2024年市科委有1件涉及政府信息公开工作的行政复议。",
    ]
    assert split_glued(lines, "2021") == {}


def test_a_lone_labelled_figure_inside_prose_is_not_a_row() -> None:
    assert split_glued(["本年度行政许可 97 在全市排名第一"], "2021") == {}
    (row,) = _rows(["行政许可 97"])
    assert _values(row) == ["97"]


def test_an_unknown_template_leaves_t2_runs_uncut() -> None:
    # 行政许可 has one column in 2021 and three in 2019: with no header to tell, a glued run is not cut.
    assert _rows(["行政许可396442278"], hint=None) == []
    assert _rows(["行政许可 3 -1 2"], hint=None) == []
    # 规章 has three count columns in both templates: printed apart, its cells are known either way.
    (regulations,) = _rows(["规章 0 0 7"], hint=None)
    assert _values(regulations) == ["0", "0", "7"]


def test_t4_header_on_the_line_above_its_run() -> None:
    header = (
        "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
        + "结果维持结果纠正其他结果尚未审结总计" * 2
    )
    (row,) = _rows([header, "000000000000000"])
    assert row.label == "" and _values(row) == ["0"] * 15
    # A bare figure under any other line is no row (a page number under a header that ends in 总计).
    assert _rows(["申请人情况自然人商业企业其他总计", "3"]) == []


def test_many_doubtful_rows_are_solved_together_and_quickly() -> None:
    # Ten outcome rows each read 11 0 0 0 0 0 11 or 1 10 0 0 0 0 11 alone; only all-11 gives the totals.
    runs = {0: "110 0 0 0 0 0 110", 23: "110 0 0 0 0 0 110"} | {i: "110000011" for i in range(2, 12)}
    rows = _rows([_crawled_t3(runs)])
    assert all(_values(rows[i])[:2] == ["11", "0"] for i in range(2, 12))
    assert all(c.sure for i in range(2, 12) for c in rows[i].cells)


def test_a_group_label_alone_names_its_first_sub_row() -> None:
    rows = _rows(["（三）不予公开0000000 2.其他法律行政法规禁止公开1000001 3.危及“三安全一稳定”0000000"])
    assert [r.label for r in rows] == ["（三）不予公开", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”"]
    assert _values(rows[1]) == ["1", "0", "0", "0", "0", "0", "1"]


def test_one_row_per_line_behind_a_group_label_or_a_vertical_label_character() -> None:
    """Crawled from a table whose 三、本年度办理结果 stood vertically: each row's line opens with one of its
    characters, and a group's first sub-row follows the group's label on its line."""
    lines = [
        "一、本年新收政府信息公开申请数量3000003",
        "二、上年结转政府信息公开申请数量0000000",
        "三（一）予以公开2000002",
        "本（三）不予公开1.属于国家秘密1000001",
        "年2.其他法律行政法规禁止公开0000000",
    ]
    pieces = split_glued(lines, "2019")
    rows = [p for line in sorted(pieces) for p in pieces[line] if isinstance(p, GluedRow)]
    assert [r.label for r in rows][-3:] == ["（一）予以公开", "1.属于国家秘密", "2.其他法律行政法规禁止公开"]
    assert _values(rows[3]) == ["1", "0", "0", "0", "0", "0", "1"]


def test_money_in_traditional_script_and_in_yuan_with_thousands_commas_is_one_run() -> None:
    # 萬元 ends the run as 万元 does; 65,934,800元 can only be 6 | 5,934,800元 (a comma stands before
    # each three digits, so 65 | ,934,800元 is no number).
    (traditional,) = _rows(["政府集中採購4130.06萬元"], hint="2019")
    assert traditional.run == "4130.06萬元"
    (yuan,) = _rows(["政府集中采购65,934,800元"], hint="2019")
    assert _values(yuan) == ["6", "5,934,800元"]
    assert all(c.sure for c in yuan.cells)


# A crawled 2021 t2 whose 行政规范性文件 run 8855698 has 15 cuts (real: 平潭 2022).
T2_2021 = (
    "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
    "规章000行政规范性文件8855698第二十条第（五）项信息内容本年处理决定数量行政许可10690"
)


def _normative(prose: str) -> GluedRow:
    rows = _rows([prose, T2_2021])
    return next(r for r in rows if r.label.endswith("行政规范性文件"))


def test_figures_the_prose_states_for_t2_cells_decide_the_cut() -> None:
    row = _normative(
        "设立规范性文件库，集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件。"
    )
    assert _values(row) == ["88", "55", "698"]
    assert all(c.sure for c in row.cells)
    assert "prose states" in row.cells[1].reason and "698" in row.cells[1].reason


def test_one_stated_figure_narrows_the_cuts_without_deciding_them() -> None:
    # 698 in force leaves 8|855|698 and 88|55|698 and 885|5|698: the first two cells stay doubtful.
    row = _normative("集中公开现行有效行政规范性文件698件。")
    made, repealed, in_force = row.cells
    assert in_force.sure and in_force.text == "698"
    assert not made.sure and not repealed.sure
    assert "8, 88, 885" in made.reason


def test_a_figure_stated_for_the_middle_cell_pins_both_borders() -> None:
    row = _normative("经清理，本年废止行政规范性文件55件。")
    assert _values(row) == ["88", "55", "698"] and all(c.sure for c in row.cells)


def test_prose_that_names_no_single_cell_decides_nothing() -> None:
    for prose in (
        "本年度制发规章和规范性文件共88件，现行有效698件。",  # two rows; a column with no row
        "发布规范性文件类信息88条。",  # no column named
        "本年度制发行政规范性文件3件。",  # a figure no cut prints: about something else
    ):
        row = _normative(prose)
        assert not all(c.sure for c in row.cells), prose
