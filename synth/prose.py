"""The prose of a report: the six sections' paragraphs, stating the n.* figures in the seeds' forms.

A stated figure is written so a careful reader gets exactly the truth's value; a null figure is either
absent, approximate ("200余条") or split over channels with no single total (seed 000).
"""

from __future__ import annotations

import random
from typing import Any

GOVERNANCE = (
    "进一步建立健全政府信息公开工作领导机制，按照统一协调、分工负责的原则，明确分管领导和具体承办科室，"
    "形成主要领导亲自抓、分管领导具体抓、责任科室抓落实的工作格局。",
    "坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "坚持“以公开为常态、不公开为例外”原则，不断提升政府信息公开工作质量。",
    "严格落实保密审查和逐级审核制度，将公开事项纳入办文程序，切实把好政治关、政策关、文字关，"
    "确保公开信息规范、及时、准确。",
)
PLATFORM = (
    "加强门户网站内容建设和信息发布审核，优化栏目设置，做好重点领域信息公开、政策解读、互动交流等专栏建设，"
    "增强信息查询便利性。",
    "统筹推进政务新媒体与门户网站协同联动、融合发展，及时更新政府信息公开指南和主动公开目录。",
)
PROBLEMS = (
    "{year}年，我们的政府信息公开工作取得了一定成效，但也存在一些不足：公开内容的广度和深度有待拓展，"
    "政策解读形式还不够丰富，工作人员业务能力有待提高。",
    "主要问题是：信息发布的及时性还需加强，主动公开的范围还不够广，个别栏目更新不及时。",
)
IMPROVE = (
    "下一步，我们将继续深化重点领域信息公开，规范依申请公开办理流程，加强工作人员培训，"
    "不断提升政府信息公开工作水平。",
    "{next_year}年，将进一步完善工作机制，加强平台建设和日常监测，自觉接受社会监督，推动政务公开工作再上新台阶。",
)


def self_name(agency: str) -> str:
    return "我局" if agency.endswith("局") else "我厅" if agency.endswith("厅") else "本机关"


def active_sentence(rng: random.Random, n: Any, year: int, me: str) -> str:
    """The sentence about 主动公开; `n` None → approximate, per-channel or absent."""
    if n is not None:
        return rng.choice(
            (
                f"{year}年，{me}主动公开政府信息共 {n} 条。",
                f"全年累计主动公开政府信息{n}条，涵盖机构职能、工作动态、规划计划、财政预决算等内容。",
                f"{year}年{me}通过门户网站主动公开政府信息{n}条，做到应公开尽公开。",
            )
        )
    form = rng.choice(("approx", "channels", "absent"))
    if form == "approx":
        return f"全年主动公开各类政府信息{rng.randint(2, 9) * 100}余条，及时回应社会关切。"
    if form == "channels":
        a, b, c = rng.randint(20, 400), rng.randint(50, 900), rng.randint(10, 300)
        return (
            f"{year}年，{me}通过政务公开系统发布信息{a}条，通过门户网站发布信息{b}条，"
            f"通过微信公众号发布信息{c}条，对法定主动公开内容进行了公开。"
        )
    return "严格按照主动公开基本目录及时发布各类政府信息，确保法定主动公开内容全面公开。"


def request_sentence(rng: random.Random, n: Any, year: int, me: str) -> str:
    if n is None:
        return "规范依申请公开工作，畅通受理渠道，严格按照法定时限和程序答复申请人。"
    if n == 0:
        return rng.choice((f"{year}年{me}未收到政府信息公开申请。", "全年受理依申请公开件 0 件。"))
    return rng.choice(
        (
            f"全年共收到政府信息公开申请{n}件，均在规定时限内答复。",
            f"{year}年{me}收到依申请公开政府信息申请{n}件，已按照相关规定办结。",
            f"本年度共受理政府信息公开申请 {n} 件，均依法依规按时答复。",
        )
    )


def remedy_sentence(rng: random.Random, reviews: Any, suits: Any) -> str:
    if reviews is None or suits is None:
        return ""
    if reviews == 0 and suits == 0:
        return rng.choice(
            (
                "未发生因政府信息公开被申请行政复议、提起行政诉讼的情况。",
                "全年无因政府信息公开引起的行政复议或行政诉讼。",
            )
        )
    return f"全年因政府信息公开被申请行政复议{reviews}件，被提起行政诉讼{suits}件。"


def distractor(rng: random.Random) -> str:
    """Other figures real reports mention: training sessions, staff, meetings. Not n.* values."""
    return rng.choice(
        (
            f"全年举办政务公开业务培训{rng.randint(2, 6)}次，目前有{rng.randint(1, 3)}名专职工作人员。",
            f"对{rng.randint(3, 12)}次办公会议议题及决定事项予以公开，并配发解读材料。",
            f"在门户网站政策解读栏目发布解读材料{rng.randint(3, 30)}篇。",
        )
    )


def overview(rng: random.Random, truth: dict[str, Any]) -> list[tuple[str, str]]:
    """Section 一 as (kind, text) blocks; the figures of truth["narrative"] appear here."""
    meta, n = truth["meta"], truth["narrative"]
    year, me = meta["year"], self_name(meta["agency"])
    reqs = request_sentence(rng, n["n.requests_received"], year, me)
    remedy = remedy_sentence(rng, n["n.reviews"], n["n.lawsuits"])
    return [
        ("para", rng.choice(GOVERNANCE)),
        ("subheading", "（一）主动公开情况"),
        ("para", active_sentence(rng, n["n.active_disclosed"], year, me) + rng.choice(PLATFORM)),
        ("subheading", "（二）依申请公开情况"),
        ("para", reqs + remedy),
        ("subheading", "（三）政府信息管理"),
        ("para", rng.choice(GOVERNANCE) + distractor(rng)),
        ("subheading", "（四）平台建设"),
        ("para", rng.choice(PLATFORM)),
        ("subheading", "（五）监督保障"),
        ("para", "将政府信息公开工作纳入年度目标考核，强化日常监督检查，对发现的问题即知即改。"),
    ]


def closing(rng: random.Random, truth: dict[str, Any]) -> tuple[str, str]:
    year = truth["meta"]["year"]
    problems = rng.choice(PROBLEMS).format(year=year)
    improve = rng.choice(IMPROVE).format(next_year=year + 1)
    other = "本年度未收取信息处理费。" if truth["meta"]["template"] == "2021" else "无。"
    return problems + improve, other
