"""A synthetic archive: many agencies, each reporting five consecutive years, with the truth of what the
archive should find — the continuity breaks injected and the names printed short in some years.

Each agency is a real place of the gazetteer with an organ. Its years chain: this year's
t3.carried_over per column is last year's carried_forward, except in the (agency, year, column) breaks
injected; every report stays consistent in itself (the balance and outcome rows absorb the change). Some
agencies print their name without the city in some years: a district whose name is unique resolves to
the same agency; a district several cities have (鼓楼区) is only a suggested merge.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from ingest.agency import identify, regions
from ingest.record import FieldValue
from ingest.rules import APPLICANT_COLUMNS, run_rules
from models.db import store_record
from models.tables import Document, Report
from synth.truth import generate_truth

ORGANS = ("人民政府", "人民政府办公室", "财政局", "教育局", "卫生健康委员会", "自然资源局")
# Districts whose names several cities share: printed short, only a person can tell which.
AMBIGUOUS_DISTRICTS = ("350102", "110105", "320106", "130105")  # 福州鼓楼, 北京朝阳, 南京鼓楼, 石家庄新华


@dataclass(slots=True)
class ArchivePlan:
    first_year: int
    years: int
    # agency index → its full printed name, its short name (a district without its city), its id
    full_names: list[str] = field(default_factory=list)
    short_names: dict[int, str] = field(default_factory=dict)
    ambiguous: set[int] = field(default_factory=set)  # short names the gazetteer cannot decide
    short_years: dict[int, set[int]] = field(default_factory=dict)  # agency → years printed short
    breaks: set[tuple[int, int, str]] = field(default_factory=set)  # (agency, this year, column)
    truths: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)

    def printed_name(self, agency: int, year: int) -> str:
        return (
            self.short_names[agency]
            if year in self.short_years.get(agency, set())
            else self.full_names[agency]
        )


def _district_names(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """(city name, district name, code) of districts whose name is unique in the gazetteer."""
    table = regions()
    names: dict[str, int] = {}
    for r in table.values():
        names[r.name] = names.get(r.name, 0) + 1
    unique = [
        r
        for r in table.values()
        if r.level == "county" and r.name.endswith("区") and names[r.name] == 1 and r.code[:4] + "00" in table
    ]
    picked = rng.sample(unique, count)
    return [(table[r.code[:4] + "00"].name, r.name, r.code) for r in picked]


def plan_archive(
    agencies: int = 50,
    years: int = 5,
    first_year: int = 2019,
    seed: int = 0,
    break_share: float = 0.1,
    short_share: float = 0.3,
) -> ArchivePlan:
    rng = random.Random(f"archive:{seed}")
    plan = ArchivePlan(first_year, years)
    districts = _district_names(rng, agencies)
    table = regions()
    for a in range(agencies):
        organ = ORGANS[a % len(ORGANS)]
        if a < len(AMBIGUOUS_DISTRICTS):
            code = AMBIGUOUS_DISTRICTS[a]
            city, district = (
                table[code[:4] + "00"].name if code[:4] + "00" in table else table[code[:2] + "0000"].name,
                table[code].name,
            )
            plan.ambiguous.add(a)
        else:
            city, district, _code = districts[a]
        plan.full_names.append(f"{city}{district}{organ}")
        if a < len(AMBIGUOUS_DISTRICTS) or rng.random() < short_share:
            plan.short_names[a] = f"{district}{organ}"
            plan.short_years[a] = set(rng.sample(range(first_year, first_year + years), 2))
    for a in range(agencies):
        previous: dict[str, Any] | None = None
        for year in range(first_year, first_year + years):
            truth = _year_truth(seed, a, year)
            if previous is not None:
                broken = [c for c in (*APPLICANT_COLUMNS,) if rng.random() < break_share / 3]
                _chain(truth, previous, broken)
                plan.breaks |= {(a, year, c) for c in broken}
                if broken:
                    plan.breaks.add((a, year, "total"))
            truth["meta"]["agency"] = plan.printed_name(a, year)
            plan.truths[(a, year)] = truth
            previous = truth
    return plan


def _year_truth(seed: int, agency: int, year: int) -> dict[str, Any]:
    template = "2021" if year >= 2021 else "2019"
    truth = generate_truth(seed * 100_000 + agency * 100 + year, template, inconsistent=False)
    truth["meta"]["year"] = year
    truth["meta"]["published_date"] = f"{year + 1}-01-20"
    return truth


def _chain(truth: dict[str, Any], previous: dict[str, Any], broken: list[str]) -> None:
    """This year carries over what last year carried forward (one more in a broken column); the report's
    own balance and outcomes stay right: more carried over is more handled (granted), less is more new."""
    f = truth["fields"]
    for col in APPLICANT_COLUMNS:
        wanted = previous["fields"][f"t3.carried_forward.{col}"] + (1 if col in broken else 0)
        delta = wanted - f[f"t3.carried_over.{col}"]
        f[f"t3.carried_over.{col}"] = wanted
        if delta >= 0:
            f[f"t3.total.{col}"] += delta
            f[f"t3.granted.{col}"] += delta
        else:
            f[f"t3.new_received.{col}"] -= delta
    for row in ("carried_over", "total", "granted", "new_received"):
        f[f"t3.{row}.total"] = sum(f[f"t3.{row}.{c}"] for c in APPLICANT_COLUMNS)
    if truth["narrative"].get("n.requests_received") is not None:
        truth["narrative"]["n.requests_received"] = f["t3.new_received.total"]


def record_json(truth: dict[str, Any]) -> dict[str, Any]:
    """The record a clean reading of the truth's document would give: every field `ok`, rules run."""
    values = {**truth["fields"], **{k: v for k, v in truth["narrative"].items() if v is not None}}
    fields = {
        k: FieldValue(value=v, confidence=0.99, status="ok", page=1, method="synth")
        for k, v in values.items()
    }
    checks = run_rules(fields, truth["meta"]["template"])
    meta = {
        k: {"value": v, "confidence": 0.99, "status": "ok", "page": 1, "method": "synth", "reasons": []}
        for k, v in truth["meta"].items()
    }
    name, year = truth["meta"]["agency"], truth["meta"]["year"]
    text = f"{name}{year}年政府信息公开工作年度报告\n本年度新收政府信息公开申请{truth['fields']['t3.new_received.total']}件。"
    return {
        "source": {"format": "synth", "pages": 1, "page_images": []},
        "meta": meta,
        "fields": {k: v.to_json() for k, v in fields.items()},
        "checks": [c.to_json() for c in checks],
        "pages_text": [text],
    }


def store_synthetic(session: Session, name: str, key: str, record: dict[str, Any]) -> Report | None:
    """Store `record` as the reading of a document with no file behind it (an archive made of records):
    a Document row with placeholder paths, then the service's own `store_record`."""
    doc = Document(original_name=name, inbox_path="-", size=1, store_path="-", sha256=key.ljust(64, "0"))
    session.add(doc)
    session.flush()
    return store_record(session, doc, record)


def expected_agency_ids(plan: ArchivePlan) -> dict[int, str]:
    """Each agency's id as the gazetteer gives it for its full name."""
    return {a: identify(name).agency_id for a, name in enumerate(plan.full_names)}
