"""meta.agency (and the report year) as real reports print them: the agency on its own line above the title,
the year before the agency, 关于…的报告, a red 文件 header, a crawler's header block, no signature at all.

Each layout is written to a text file and read by the real reader, in simplified and in traditional
script; a name is `ok` only on positive evidence (two sources agree, or one names a body with an agency's
shape), and a title fragment (a year, 关于, a report name) is never part of an `ok` name.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import opencc
import pytest

from ingest.meta import TextLine, find_agency, find_title, find_year, prose_lines, shape_doubt
from ingest.normalize import to_simplified
from ingest.pipeline import extract, read_document
from ingest.record import OK, REVIEW, FieldValue

FIXTURES = Path(__file__).parent / "fixtures" / "meta"
_TO_TRADITIONAL = opencc.OpenCC("s2t")

BODY = ["一、总体情况", "2023年，本机关认真贯彻《中华人民共和国政府信息公开条例》，主动公开政府信息120条。"]
SIGNED = "2024年1月20日"
INTRO = "扬州市教育局编制了2023年政府信息公开工作年度报告。"


@dataclass(frozen=True)
class Layout:
    id: str
    head: tuple[str, ...]  # the lines above the body: header block, red header, title lines
    value: str | None
    status: str
    signature: str | None = None  # a name signed above SIGNED at the end
    year: int | None = None


LAYOUTS = [
    # The agency on its own line above the title (hzq2023_working.pdf), spaces inside "2023 年".
    Layout(
        "own-line", ("洪泽区人民政府", "2023 年政府信息公开工作年度报告"), "洪泽区人民政府", OK, year=2023
    ),
    Layout(
        "own-line-signed",
        ("洪泽区人民政府", "2023 年政府信息公开工作年度报告"),
        "洪泽区人民政府",
        OK,
        "洪泽区人民政府",
        2023,
    ),
    Layout(
        "own-line-spaced-name",
        ("洪 泽 区 人 民 政 府", "2023 年政府信息公开工作年度报告"),
        "洪泽区人民政府",
        OK,
    ),
    Layout(
        "own-line-city-prefix",
        ("淮安市洪泽区人民政府", "2023年度政府信息公开工作年度报告"),
        "淮安市洪泽区人民政府",
        OK,
        year=2023,
    ),
    Layout(
        "own-line-with-year",
        ("株洲市审计局2019年度", "政府信息公开工作年度报告"),
        "株洲市审计局",
        OK,
        year=2019,
    ),
    Layout(
        "own-line-year-line",
        ("洪泽区人民政府", "2023年度", "政府信息公开工作年度报告"),
        "洪泽区人民政府",
        OK,
        year=2023,
    ),
    # The year before the agency (kewei-2024-source.md): never "年上海市科委".
    Layout("year-first", ("2024年上海市科委政府信息公开工作年度报告",), "上海市科委", OK, year=2024),
    Layout(
        "year-first-wrapped", ("2024 年上海市科委政府信息公开工作", "年度报告"), "上海市科委", OK, year=2024
    ),
    Layout(
        "year-first-signed",
        ("2024年上海市科委政府信息公开工作年度报告",),
        "上海市科委",
        OK,
        "上海市科委",
        2024,
    ),
    Layout(
        "year-first-cn-numerals",
        ("二〇二三年洪泽区人民政府政府信息公开工作年度报告",),
        "洪泽区人民政府",
        OK,
        year=2023,
    ),
    Layout("year-du-first", ("2023年度聊城市审计局政府信息公开工作年度报告",), "聊城市审计局", OK, year=2023),
    Layout(
        "year-after-in-brackets",
        ("聊城市审计局政府信息公开工作年度报告（2020年度）",),
        "聊城市审计局",
        OK,
        year=2020,
    ),
    # 关于…的报告, and a notice that issues the report.
    Layout(
        "shared-zhengfu", ("2023年度洪泽区人民政府信息公开工作年度报告",), "洪泽区人民政府", OK, year=2023
    ),
    Layout(
        "guanyu-after-name",
        ("洪泽区人民政府关于2023年政府信息公开工作年度报告",),
        "洪泽区人民政府",
        OK,
        year=2023,
    ),
    Layout(
        "guanyu-de-baogao", ("洪泽区人民政府关于2023年度政府信息公开工作情况的报告",), "洪泽区人民政府", OK
    ),
    Layout("guanyu-first", ("关于洪泽区人民政府2023年度政府信息公开工作情况的报告",), "洪泽区人民政府", OK),
    Layout("guanyu-own-line", ("洪泽区人民政府关于", "2023年政府信息公开工作年度报告"), "洪泽区人民政府", OK),
    Layout(
        "yinfa-notice",
        ("洪泽区人民政府办公室关于印发洪泽区人民政府2023年政府信息公开工作年度报告的通知",),
        "洪泽区人民政府",
        OK,
    ),
    # A red 文件 header above the title: its document number is not the report's year.
    Layout(
        "red-header-bare-title",
        ("淮安市洪泽区人民政府文件", "洪政发〔2024〕3号", "2023年政府信息公开工作年度报告"),
        "淮安市洪泽区人民政府",
        OK,
        year=2023,
    ),
    Layout(
        "red-header-named-title",
        ("福州市鼓楼区审计局文件", "鼓审发〔2021〕1号", "鼓楼区审计局 2020 年政府信息公开工作 年度报告"),
        "福州市鼓楼区审计局",
        OK,
        "福州市鼓楼区审计局",
        2020,
    ),
    Layout(
        "red-header-spaced",
        ("淮 安 市 洪 泽 区 人 民 政 府 文 件", "洪政发〔2024〕第3号", "2023年政府信息公开工作年度报告"),
        "淮安市洪泽区人民政府",
        OK,
        year=2023,
    ),
    Layout(
        "red-header-joint",
        ("洪泽区财政局 洪泽区审计局文件", "洪财发〔2024〕3号", "2023年政府信息公开工作年度报告"),
        None,
        REVIEW,
    ),
    # A crawler's header block: 标题 is the title, 发布机构 (possibly empty) a source of its own.
    Layout(
        "crawler-empty-publisher",
        (
            "标题: 平潭综合实验区2020年度政府信息公开工作年度报告",
            "发布时间: 2021-03-05 08:58",
            "发布机构: ",
            "栏目: 政府信息公开年报",
        ),
        "平潭综合实验区",
        REVIEW,
        year=2020,
    ),
    Layout(
        "crawler-publisher-confirms",
        (
            "标题: 平潭综合实验区2022年度政府信息公开工作年度报告",
            "发布机构: 平潭综合实验区",
            "栏目: 政府信息公开年报",
        ),
        "平潭综合实验区",
        OK,
        year=2022,
    ),
    Layout(
        "crawler-publisher-short",
        (
            "标题: 张掖市审计局2020年政府信息公开工作年度报告",
            "发布机构",
            "市审计局",
            "生成日期",
            "2021-02-02 09:55:35",
        ),
        "张掖市审计局",
        OK,
    ),
    Layout(
        "crawler-publisher-only",
        ("标题: 2023年政府信息公开工作年度报告", "发布机构: 扬州市教育局"),
        "扬州市教育局",
        OK,
    ),
    # A name read only from the title that fails the shape check is review, with a reason.
    Layout("place-only", ("平潭综合实验区2020年度政府信息公开工作年度报告",), "平潭综合实验区", REVIEW),
    Layout("no-place", ("市科委2024年政府信息公开工作年度报告",), "市科委", REVIEW),
    Layout("unknown-place", ("青云市审计局2023年政府信息公开工作年度报告",), "青云市审计局", REVIEW),
    Layout(
        "unknown-place-signed",
        ("青云市审计局2023年政府信息公开工作年度报告",),
        "青云市审计局",
        OK,
        "青云市审计局",
    ),
    Layout(
        "national-body",
        ("国家税务总局上海市税务局2023年政府信息公开工作年度报告",),
        "国家税务总局上海市税务局",
        OK,
    ),
    Layout("national-ministry", ("教育部2023年政府信息公开工作年度报告",), "教育部", OK),
    Layout("no-agency", ("2023年政府信息公开工作年度报告",), None, REVIEW, year=2023),
    Layout("no-agency-signed", ("2023年政府信息公开工作年度报告",), "洪泽区人民政府", OK, "洪泽区人民政府"),
    # The signature is the name as signed; a short title name is confirmed by it; a different one is doubt.
    Layout(
        "signature-full-title-short",
        ("市审计局2020年政府信息公开工作年度报告",),
        "聊城市审计局",
        OK,
        "聊城市审计局",
    ),
    Layout(
        "signature-conflict",
        ("聊城市审计局2020年政府信息公开工作年度报告",),
        "聊城市财政局",
        REVIEW,
        "聊城市财政局",
    ),
    Layout(
        "signature-office-title-government",
        ("洪泽区人民政府2023年政府信息公开工作年度报告",),
        "洪泽区人民政府办公室",
        REVIEW,
        "洪泽区人民政府办公室",
    ),
    Layout(
        "red-header-office-yinfa",
        (
            "洪泽区人民政府办公室文件",
            "洪政办发〔2024〕3号",
            "洪泽区人民政府办公室关于印发洪泽区人民政府2023年政府信息公开工作年度报告的通知",
        ),
        "洪泽区人民政府办公室",
        REVIEW,
    ),
    Layout(
        "signature-short-other-body",
        ("洪泽区人民政府2023年政府信息公开工作年度报告",),
        "洪泽区人民政府",
        REVIEW,
        "区政府办公室",
    ),
    Layout(
        "signature-place-only-title",
        ("淮安市洪泽区2023年政府信息公开工作年度报告",),
        "洪泽区人民政府",
        OK,
        "洪泽区人民政府",
    ),
    # OCR and conversion noise at the edges of a name is not part of it.
    Layout(
        "noise-before-own-line", ("·洪泽区人民政府", "2023 年政府信息公开工作年度报告"), "洪泽区人民政府", OK
    ),
    Layout(
        "noise-after-own-line", ("洪泽区人民政府 ..", "2023 年政府信息公开工作年度报告"), "洪泽区人民政府", OK
    ),
    Layout("noise-before-year", ("|2024年上海市科委政府信息公开工作年度报告",), "上海市科委", OK, year=2024),
    Layout(
        "noise-question-marks", ("?张掖市审计局", "2020年政府信息公开工作年度报告", "?"), "张掖市审计局", OK
    ),
    Layout(
        "markdown-heading", ("# 乐清市审计局 2021 年政府信息公开工作总结",), "乐清市审计局", OK, year=2021
    ),
    Layout("noise-in-signature", ("2023年政府信息公开工作年度报告",), "扬州市教育局", OK, "。扬州市教育局"),
    # 关于…的报告 with no name and no signature: the opening sentence names the author (branch s4-native).
    Layout(
        "intro-author",
        ("关于2023年度政府信息公开工作情况的报告", f"根据有关要求，{INTRO}"),
        "扬州市教育局",
        OK,
    ),
    # A place the gazetteer does not know (宁国县 became 宁国市) still names the author, in review.
    Layout(
        "intro-unknown-place",
        (
            "关于2023年度政府信息公开工作情况的报告",
            "根据有关要求，宁国县农业农村局编制了2023年政府信息公开工作年度报告。",
        ),
        "宁国县农业农村局",
        REVIEW,
    ),
    Layout(
        "intro-we",
        ("关于2023年度政府信息公开工作情况的报告", "根据有关要求，我局编制了本报告。"),
        None,
        REVIEW,
    ),
    Layout(
        "intro-conflict",
        ("洪泽区人民政府2023年政府信息公开工作年度报告", f"根据有关要求，{INTRO}"),
        "洪泽区人民政府",
        REVIEW,
    ),
]


def _document(layout: Layout, script: str, tmp_path: Path) -> Path:
    lines = [*layout.head, *BODY]
    if layout.signature:
        lines += [layout.signature, SIGNED]
    text = "\n".join(lines) + "\n"
    if script == "traditional":
        text = _TO_TRADITIONAL.convert(text)
    path = tmp_path / f"{layout.id}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _agency_and_year(path: Path) -> tuple[FieldValue, FieldValue]:
    lines = prose_lines(read_document(path))
    title = find_title(lines)
    agency, year = find_agency(lines, title), find_year(lines, title)
    agency.settle_status()
    year.settle_status()
    return agency, year


@pytest.mark.parametrize("script", ["simplified", "traditional"])
@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.id for layout in LAYOUTS])
def test_agency_as_printed(layout: Layout, script: str, tmp_path: Path) -> None:
    agency, year = _agency_and_year(_document(layout, script, tmp_path))
    assert (agency.value, agency.status) == (layout.value, layout.status), agency.reasons
    if agency.status == REVIEW:
        assert any(not r.startswith("note:") for r in agency.reasons)  # review says why
    if agency.value is not None:
        # The raw text is kept as read (traditional stays traditional); the value is simplified.
        assert agency.raw and agency.value in re.sub(r"[\s·.|?]", "", to_simplified(agency.raw))
        if script == "traditional" and _TO_TRADITIONAL.convert(agency.value) != agency.value:
            assert agency.value not in agency.raw
    if layout.year is not None:
        assert (year.value, year.status) == (layout.year, OK)


def test_layouts_cover_every_form() -> None:
    assert len(LAYOUTS) >= 30
    assert {layout.status for layout in LAYOUTS} == {OK, REVIEW}


_FORBIDDEN = re.compile(r"[年\d０-９]|关于|报告")


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.id for layout in LAYOUTS])
def test_no_ok_agency_holds_a_title_fragment(layout: Layout, tmp_path: Path) -> None:
    agency, _ = _agency_and_year(_document(layout, "simplified", tmp_path))
    assert agency.status != OK or not _FORBIDDEN.search(agency.value)


def test_no_ok_agency_holds_a_title_fragment_in_random_titles(tmp_path: Path) -> None:
    """Titles put together from the parts real titles use, in any order, with noise: whatever the
    reading makes of them, an `ok` name never keeps a year, 关于, a report name or a digit."""
    rng = random.Random(9)
    names = [
        "洪泽区人民政府",
        "上海市科委",
        "市科委",
        "平潭综合实验区",
        "聊城市审计局",
        "国家统计局",
        "本机关",
        "",
    ]
    years = ["2023年", "2023 年度", "（2020年度）", "二〇二三年", "2024", "20 23年", ""]
    reports = [
        "政府信息公开工作年度报告",
        "政府信息公开年度报告",
        "年度报告",
        "工作报告",
        "政务公开工作总结",
        "政府信息公开工作情况的报告",
    ]
    joins = ["", "关于", " ", "关于印发", "的"]
    noise = ["", "·", "|", "?", "1", "。"]
    seen_ok = 0
    for i in range(300):
        parts = [rng.choice(options) for options in (names, joins, years, names, reports)]
        rng.shuffle(parts[:4])
        title = rng.choice(noise) + "".join(parts) + rng.choice(noise)
        head = [title] if rng.random() < 0.6 else [rng.choice(names) + rng.choice(noise), title]
        path = tmp_path / f"{i}.txt"
        path.write_text("\n".join([*head, *BODY]) + "\n", encoding="utf-8")
        agency, _ = _agency_and_year(path)
        if agency.status == OK:
            seen_ok += 1
            assert not _FORBIDDEN.search(agency.value), (title, agency.value)
            assert shape_doubt(agency.value) is None, (title, agency.value)
    assert seen_ok > 30  # the property was exercised, not vacuously true


# Excerpts of the real reports (../shared/real): the title area and the end, as their readers give them.
@pytest.mark.parametrize(
    ("fixture", "value", "status", "year"),
    [
        ("hzq2023_working.head.txt", "洪泽区人民政府", OK, 2023),
        ("kewei-2024-source.head.md", "上海市科委", OK, 2024),
        ("pingtan-2020.head.txt", "平潭综合实验区", REVIEW, 2020),
        ("pingtan-2022.head.txt", "平潭综合实验区", REVIEW, 2022),
    ],
)
def test_real_reports(fixture: str, value: str, status: str, year: int) -> None:
    meta = extract(FIXTURES / fixture).to_json()["meta"]
    assert (meta["agency"]["value"], meta["agency"]["status"]) == (value, status)
    assert (meta["year"]["value"], meta["year"]["status"]) == (year, OK)


def test_a_title_naming_its_agency_takes_nothing_from_the_line_above(tmp_path: Path) -> None:
    path = tmp_path / "banner.txt"
    path.write_text(
        "\n".join(["淮安市人民政府", "洪泽区审计局2023年政府信息公开工作年度报告", *BODY]), encoding="utf-8"
    )
    agency, _ = _agency_and_year(path)
    assert (agency.value, agency.status) == ("洪泽区审计局", OK)


def test_a_crawler_header_date_is_no_signature_date(tmp_path: Path) -> None:
    """A crawler's body may be one line: its header block then sits among the last lines, and its
    发布时间 must not be read as the signature's date."""
    path = tmp_path / "crawler.txt"
    header = [
        "标题: 洪泽区人民政府2023年政府信息公开工作年度报告",
        "日期: 2024-01-20",
        "发布机构: ",
        "==================== 正文 ====================",
        "".join(BODY),
    ]
    path.write_text("\n".join(header) + "\n", encoding="utf-8")
    meta = extract(path).to_json()["meta"]
    assert meta["published_date"]["value"] is None and meta["published_date"]["status"] == REVIEW
    assert (meta["agency"]["value"], meta["agency"]["status"]) == ("洪泽区人民政府", OK)


@pytest.mark.parametrize(("label", "status"), [("生成日期", OK), ("发布时间", REVIEW), ("发布日期", REVIEW)])
def test_a_page_date_stands_in_for_a_missing_signature_date(label: str, status: str, tmp_path: Path) -> None:
    """pingtan-2020/2022 (real crawler texts): no signature, the portal's 发布时间 in the header block. The
    spec's fallback is the page's 生成日期; a 发布时间 is offered with its value, for a person to confirm."""
    path = tmp_path / "crawler.txt"
    header = [
        "标题: 洪泽区人民政府2023年政府信息公开工作年度报告",
        f"{label}: 2024-01-20 08:58",
        "==================== 正文 ====================",
        "".join(BODY),
    ]
    path.write_text("\n".join(header) + "\n", encoding="utf-8")
    date_field = extract(path).to_json()["meta"]["published_date"]
    assert (date_field["value"], date_field["status"]) == ("2024-01-20", status)


def test_a_date_read_once_by_ocr_is_for_a_person_to_confirm() -> None:
    """Seed 838455 (楷体 11 pt, 1-bit, skewed): the signature's 2020年3月18日 was read as 2020年5月18日 and
    stored `ok`. No rule checks a month or a day, so a date read from a page image stands only when the
    document states it twice; from a text layer it stands as printed."""
    from ingest.meta import find_date

    def lines(by_ocr: bool, *texts: str) -> list[TextLine]:
        return [TextLine(t, t, 1, (0.0, 10.0 * i, 100.0, 10.0 * i + 8), by_ocr) for i, t in enumerate(texts)]

    signed = ("扬州市教育局", "2020年5月18日")
    once = find_date(lines(True, *BODY, *signed))
    once.settle_status()
    assert once.value == "2020-05-18" and once.status == REVIEW
    assert "date read once by OCR" in " ".join(once.reasons)
    twice = find_date(lines(True, "本报告于2020年5月18日发布。", *BODY, *signed))
    twice.settle_status()
    assert (twice.value, twice.status) == ("2020-05-18", OK)
    native = find_date(lines(False, *BODY, *signed))
    native.settle_status()
    assert (native.value, native.status) == ("2020-05-18", OK)


def test_an_ocr_misread_place_is_offered_mended_and_left_to_a_person() -> None:
    """Held-out seed 931313's scan 931376: the signature 秭归县林业局 was read 种归县林业局. 种归县 is no
    place; 秭归县 is the one known place a character away, so it is the value offered, in review, with the
    reading kept in raw. A text layer's unknown place is a name as printed and is not touched."""
    from ingest.meta import find_agency

    def lines(by_ocr: bool, *texts: str) -> list[TextLine]:
        return [TextLine(t, t, 1, (0.0, 10.0 * i, 100.0, 10.0 * i + 8), by_ocr) for i, t in enumerate(texts)]

    signed = ("种归县林业局", "2023年1月20日")
    mended = find_agency(lines(True, *BODY, *signed), None)
    mended.settle_status()
    assert (mended.value, mended.raw, mended.status) == ("秭归县林业局", "种归县林业局", REVIEW)
    assert "gives 秭归县林业局" in " ".join(mended.reasons)
    printed = find_agency(lines(False, *BODY, *signed), None)
    printed.settle_status()
    assert (printed.value, printed.status) == ("种归县林业局", REVIEW)
    # 朝杨区 is a character away from both 朝阳区 and 朝天区: nothing to choose between, nothing offered.
    two_near = find_agency(lines(True, *BODY, "朝杨区林业局", "2023年1月20日"), None)
    assert two_near.value == "朝杨区林业局"


def test_a_document_number_in_brackets_does_not_end_the_body() -> None:
    """Held-out seed 931313's scan 931396 (short report, red 文件 header): the document number 〔2025〕30号
    was read 【2025] 30 号, and 【 (a portal's 【打印】【关闭】) cut the body before its signature date."""
    from ingest.meta import find_date

    def lines(*texts: str) -> list[TextLine]:
        return [TextLine(t, t, 1, (0.0, 10.0 * i, 100.0, 10.0 * i + 8), False) for i, t in enumerate(texts)]

    head = ("开封市自然资源和规划局文件", "【2025] 30 号", "关于2024年政府信息公开工作年度报告的报告")
    signed = ("开封市自然资源和规划局", "2025年1月21日")
    assert find_date(lines(*head, *BODY, *signed)).value == "2025-01-21"
    # Page furniture after the body still ends it: a date printed after 【打印本页】 is not the signature's.
    assert find_date(lines(*head, *BODY, "【打印本页】【关闭窗口】", "2025年3月1日")).value is None


def test_a_bracket_opening_a_line_of_ocr_garbage_does_not_end_the_body() -> None:
    """synth_996039 (rules=none, 宋体 13 pt, 200 dpi grey): t3's header on page 2 was read as prose,
    【石iHhirH吉上hm人.秆一T下hn嫩一T百法人或其他组织, and its 【 was taken for a portal's 【打印】, cutting
    the body there, before the signature date on page 3."""
    from ingest.meta import find_date

    def lines(*texts: str) -> list[TextLine]:
        return [TextLine(t, t, 1, (0.0, 10.0 * i, 100.0, 10.0 * i + 8), True) for i, t in enumerate(texts)]

    garbage = "【石iHhirH吉上hm人.秆一T下hn嫩一T百法人或其他组织"
    signed = ("三台县林业局", "2020 年 3 月 6 日")
    assert find_date(lines(*BODY, garbage, "五、存在的主要问题及改进情况", *signed)).value == "2020-03-06"
    # A short bracketed word is page furniture still, 】 read as ] or not.
    for furniture in ("【打印】【关闭】", "【打印本页]", "【字体:大中小】"):
        assert find_date(lines(*BODY, furniture, *signed)).value is None, furniture


def test_a_date_that_ends_a_period_is_no_signature_date() -> None:
    """synth_998061 (unsigned, scanned): the statistics' span 自2023年1月1日起至 / 2023 年 12 月 31 日 止 。
    wrapped its end onto a short line of its own at the body's end, and it was taken for the signature's
    date. A date a period runs to or from is not the day a report was signed."""
    from ingest.meta import find_date

    def lines(*texts: str) -> list[TextLine]:
        return [TextLine(t, t, 1, (0.0, 10.0 * i, 100.0, 10.0 * i + 8), True) for i, t in enumerate(texts)]

    for bound in ("2023 年 12 月 31 日 止 。", "2023年1月1日起", "2023年12月31日为止。"):
        assert find_date(lines(*BODY, bound)).value is None, bound
    assert find_date(lines(*BODY, bound, "三台县林业局", "2024 年 1 月 6 日")).value == "2024-01-06"
