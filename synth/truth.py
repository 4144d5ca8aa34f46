"""Random but realistic report truths, in exactly the schema of the seeds' `*.expected.json`.

Tables are built from the inside out (per-column outcome counts first, then the totals) so every rule of
the spec holds unless a deliberate source inconsistency is asked for; `must_flag` is then computed by the
independent checker in `synth.consistency`.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from synth.consistency import failed_keys
from synth.layout import (
    NARRATIVE_KEYS,
    T3_APPLICANTS,
    T4_COLUMNS,
    T4_GROUPS,
    field_type,
    t3_outcome_rows,
    t3_rows,
    template_keys,
)

# Place names chosen so that simplified → traditional → simplified (OpenCC) comes back unchanged: the
# agency of a traditional-script document must still normalise to the simplified name in the truth.
PROVINCES = ("山东", "甘肃", "湖南", "福建", "浙江", "江苏", "四川", "河南", "广东", "江西", "安徽", "湖北")
CITIES = (
    "聊城",
    "张掖",
    "株洲",
    "福州",
    "乐清",
    "温州",
    "泉州",
    "常德",
    "洛阳",
    "绵阳",
    "赣州",
    "芜湖",
    "宜昌",
    "扬州",
    "湖州",
    "德阳",
    "漳州",
    "衡阳",
    "开封",
    "韶关",
    "九江",
    "安庆",
    "荆州",
    "嘉兴",
)
DISTRICTS = ("鼓楼", "城关", "新华", "雨花", "江北", "长安", "城南", "和平", "高新", "开发")
COUNTIES = ("平阳", "永嘉", "安溪", "桃源", "新安", "三台", "寻乌", "宁国", "秭归", "宝应", "长兴", "澧县")
CITY_BODIES = (
    "审计局",
    "人民政府办公室",
    "自然资源和规划局",
    "生态环境局",
    "财政局",
    "教育局",
    "民政局",
    "卫生健康委员会",
    "住房和城乡建设局",
    "市场监督管理局",
    "交通运输局",
    "统计局",
)
DISTRICT_BODIES = ("人民政府办公室", "审计局", "财政局", "民政局", "教育局", "应急管理局")
COUNTY_BODIES = ("自然资源局", "人民政府办公室", "审计局", "水利局", "农业农村局", "林业局")
PROVINCE_BODIES = ("生态环境厅", "审计厅", "财政厅", "自然资源厅", "交通运输厅", "水利厅")

# Relative weights of the outcome rows: most requests are granted; a few are refused or not held.
OUTCOME_WEIGHTS = {
    "granted": 40,
    "partial": 8,
    "denied_third_party": 2,
    "denied_process": 2,
    "denied_internal": 1,
    "unable_not_held": 14,
    "unable_create": 3,
    "unable_unclear": 2,
    "ignored_petition": 3,
    "ignored_duplicate": 2,
    "ignored_confirm": 1,
    "other": 3,
    "other_no_correction": 2,
    "other_misc": 2,
}


def _agency(rng: random.Random) -> str:
    level = rng.choices(("city", "district", "county", "province"), weights=(5, 2, 2, 1))[0]
    if level == "city":
        return f"{rng.choice(CITIES)}市{rng.choice(CITY_BODIES)}"
    if level == "district":
        return f"{rng.choice(CITIES)}市{rng.choice(DISTRICTS)}区{rng.choice(DISTRICT_BODIES)}"
    if level == "county":
        return f"{rng.choice(COUNTIES)}县{rng.choice(COUNTY_BODIES)}"
    return f"{rng.choice(PROVINCES)}省{rng.choice(PROVINCE_BODIES)}"


def _skewed(rng: random.Random, zero_p: float, scale: int) -> int:
    """Many zeros, otherwise a long-tailed count (a handful, sometimes tens or hundreds)."""
    if rng.random() < zero_p:
        return 0
    return max(1, int(rng.paretovariate(1.3) * scale / 3))


def _money(rng: random.Random, zero_p: float) -> float:
    if rng.random() < zero_p:
        return 0.0
    return round(rng.uniform(0.5, 900.0), 2)


def _t2_2019(rng: random.Random) -> dict[str, Any]:
    f: dict[str, Any] = {}
    for item in ("regulations", "normative"):
        made = _skewed(rng, 0.85 if item == "regulations" else 0.45, 6)
        published = made if rng.random() < 0.8 else made + rng.randint(0, 3)
        f[f"t2.{item}.made"] = made
        f[f"t2.{item}.published"] = published
        f[f"t2.{item}.total"] = published + _skewed(rng, 0.5, 30)
    for item in ("license", "other_services", "penalty", "coercion"):
        prev = _skewed(rng, 0.5, 40)
        f[f"t2.{item}.prev"] = prev
        f[f"t2.{item}.change"] = rng.choice((0, 0, 0, rng.randint(-min(prev, 12), 15)))
        f[f"t2.{item}.decisions"] = _skewed(rng, 0.5, 300)
    f["t2.fees.prev"] = _skewed(rng, 0.7, 6)
    f["t2.fees.change"] = rng.choice((0, 0, 0, -1, 1))
    f["t2.procurement.count"] = _skewed(rng, 0.4, 12)
    f["t2.procurement.amount"] = _money(rng, 0.0) if f["t2.procurement.count"] else 0.0
    if f["t2.fees.prev"] + f["t2.fees.change"] < 0:
        f["t2.fees.change"] = 0
    return f


def _t2_2021(rng: random.Random) -> dict[str, Any]:
    f: dict[str, Any] = {}
    for item in ("regulations", "normative"):
        made = _skewed(rng, 0.85 if item == "regulations" else 0.4, 6)
        repealed = min(_skewed(rng, 0.75, 3), 12)  # repeals are rare and few
        f[f"t2.{item}.made"] = made
        f[f"t2.{item}.repealed"] = repealed
        f[f"t2.{item}.in_force"] = made + _skewed(rng, 0.35, 40)
    for item in ("license", "penalty", "coercion"):
        f[f"t2.{item}.decisions"] = _skewed(rng, 0.45, 400)
    f["t2.fees.amount"] = _money(rng, 0.7)
    return f


def _column_outcomes(rng: random.Random, handled: int, outcomes: list[str]) -> dict[str, int]:
    weights = [OUTCOME_WEIGHTS.get(r, 0.2) for r in outcomes]
    counts = dict.fromkeys(outcomes, 0)
    for row in rng.choices(outcomes, weights=weights, k=handled):
        counts[row] += 1
    return counts


def _t3(rng: random.Random, template: str) -> dict[str, Any]:
    """Per applicant column: carried over, new, carried forward and the outcome split; totals derived."""
    outcomes = t3_outcome_rows(template)
    busy = rng.random()
    f: dict[str, Any] = {}
    for col in T3_APPLICANTS:
        if col == "natural":
            new = 0 if busy < 0.25 else _skewed(rng, 0.0, 60 if busy > 0.85 else 8)
        else:
            new = _skewed(rng, 0.8 if col in ("commercial", "other_org") else 0.93, 4)
        over = rng.choice((0, 0, 0, 0, 1, 2)) if busy > 0.5 else 0
        forward = rng.randint(0, min(2, new)) if busy > 0.5 and rng.random() < 0.4 else 0
        handled = new + over - forward
        f[f"t3.new_received.{col}"] = new
        f[f"t3.carried_over.{col}"] = over
        f[f"t3.carried_forward.{col}"] = forward
        f[f"t3.total.{col}"] = handled
        for row, n in _column_outcomes(rng, handled, outcomes).items():
            f[f"t3.{row}.{col}"] = n
    for row in t3_rows(template):
        f[f"t3.{row}.total"] = sum(f[f"t3.{row}.{c}"] for c in T3_APPLICANTS)
    return f


def _t4(rng: random.Random) -> dict[str, Any]:
    f: dict[str, Any] = {}
    for group in T4_GROUPS:
        parts = [0, 0, 0, 0]
        if rng.random() < (0.25 if group == "review" else 0.12):
            for _ in range(rng.randint(1, 4)):
                parts[rng.choices(range(4), weights=(6, 1, 2, 2))[0]] += 1
        for col, n in zip(T4_COLUMNS[:-1], parts, strict=True):
            f[f"t4.{group}.{col}"] = n
        f[f"t4.{group}.total"] = sum(parts)
    return f


def _inject_inconsistency(rng: random.Random, fields: dict[str, Any], template: str) -> str:
    """Like seed 001: one applicant column counts a request the row totals do not (new, outcome, total).

    Each column still balances, so only t3.row_sum fails, on exactly three rows.
    """
    col = rng.choice(T3_APPLICANTS[1:])
    row = rng.choice(("granted", "unable_not_held", "partial"))
    for r in ("new_received", row, "total"):
        fields[f"t3.{r}.{col}"] += 1
    return (
        f"Source inconsistency: column {col} of rows new_received/{row}/total counts one more request "
        "than the rows' 总计; transcribed as written and flagged."
    )


def _narrative(rng: random.Random, fields: dict[str, Any], template: str) -> dict[str, Any]:
    """Which prose figures the report states; rendering writes them in the seeds' forms."""
    n: dict[str, Any] = dict.fromkeys(NARRATIVE_KEYS)
    if rng.random() < 0.65:
        n["n.active_disclosed"] = _skewed(rng, 0.0, 120)
    if template == "narrative":
        n["n.requests_received"] = _skewed(rng, 0.5, 6)
        both = 0 if rng.random() < 0.8 else None
        n["n.reviews"], n["n.lawsuits"] = both, both
        return n
    if rng.random() < 0.75:
        n["n.requests_received"] = fields["t3.new_received.total"]
    reviews = fields["t4.review.total"]
    suits = fields["t4.suit_direct.total"] + fields["t4.suit_after_review.total"]
    if rng.random() < 0.6:
        n["n.reviews"], n["n.lawsuits"] = reviews, suits
    return n


def _published(rng: random.Random, year: int) -> str:
    month = rng.randint(1, 3)
    return f"{year + 1}-{month:02d}-{rng.randint(1, 28):02d}"


def generate_truth(seed: int, template: str, *, inconsistent: bool | None = None) -> dict[str, Any]:
    """A report truth for `template` ("2019", "2021" or "narrative"), reproducible from `seed`.

    `inconsistent` forces (or forbids) a deliberate source inconsistency; by default one report in eight
    carries one.
    """
    rng = random.Random(f"truth:{seed}:{template}")
    year = {"2019": rng.choice((2019, 2020)), "2021": rng.randint(2021, 2024)}.get(template)
    year = year or rng.randint(2015, 2018)
    fields: dict[str, Any] = {}
    notes: list[str] = []
    if template in ("2019", "2021"):
        fields = {
            **(_t2_2019(rng) if template == "2019" else _t2_2021(rng)),
            **_t3(rng, template),
            **_t4(rng),
        }
        fields = {k: fields[k] for k in template_keys(template)}  # the order of fields.json
        if inconsistent if inconsistent is not None else rng.random() < 0.125:
            notes.append(_inject_inconsistency(rng, fields, template))
    narrative = _narrative(rng, fields, template)
    truth = {
        "file": f"synth_{seed:05d}_{template}",
        "meta": {
            "agency": _agency(rng),
            "year": year,
            "template": template,
            "published_date": _published(rng, year),
        },
        "fields": fields,
        "narrative": narrative,
        "must_flag": failed_keys(fields, template, narrative),
        "notes": " ".join(notes),
        # Prose choices (phrasing, approximate figures) are drawn at render time from this seed.
    }
    return truth


def truth_from_seed(expected: dict[str, Any]) -> dict[str, Any]:
    """A seed's hand-checked truth, ready to be re-rendered in other formats (money as float, a copy)."""
    truth = copy.deepcopy(expected)
    template = truth["meta"]["template"]
    for key, value in truth["fields"].items():
        if field_type(template, key) == "decimal_wan" and value is not None:
            truth["fields"][key] = float(value)
    truth.setdefault("must_flag", [])
    truth.setdefault("notes", "")
    return truth
