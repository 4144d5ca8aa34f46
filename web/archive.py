"""The archive in the web app: an agency's years side by side with charts, the archive filtered by region,
kind, year, template and status with totals, full-text search, and the agency merges admins decide."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import case, func, text
from sqlmodel import Session, col, select

from ingest.i18n import gettext as _
from models.archive import MergeError, decide_merge, effective_agency, search_form, year_checks
from models.db import session_scope
from models.tables import NEEDS_REVIEW, STATUSES, Agency, AgencyDecision, AgencyMerge, Field, Report, User
from web import review
from web.charts import Series, stacked_bars
from web.layout import col_label
from web.render import render
from web.security import DbId, admin_user, check_csrf, page_user

router = APIRouter()
PageUser = Annotated[User, Depends(page_user)]
Admin = Annotated[User, Depends(admin_user)]
Csrf = Depends(check_csrf)

# A figure this many times last year's (or a this-many-th of it) is marked for a look.
JUMP_FACTOR = float(os.environ.get("INGEST_JUMP_FACTOR", "3"))
JUMP_MIN = 10  # from or to zero: a jump only when the other side is at least this
ARCHIVE_ROWS = 200
SEARCH_HITS = 50
HANDLING = (
    ("granted", _("granted")),
    ("partial", _("partly granted")),
    ("denied", _("denied")),
    ("unable", _("unable to provide")),
    ("ignored", _("not processed")),
    ("other", _("other")),
)
OUTCOMES = (
    ("upheld", _("upheld")),
    ("corrected", _("corrected")),
    ("other", _("other outcome")),
    ("pending", _("pending")),
)


# ---------------------------------------------------------------- the agency page


@dataclass(slots=True)
class YearCell:
    value: Any
    status: str
    field_id: int | None
    jump: bool = False


def _year_reports(session: Session, agency_id: str) -> dict[int, Report]:
    """The agency's report for each year (the newest when a year was stored twice)."""
    reports = session.exec(
        select(Report)
        .where(Report.agency_id == agency_id, col(Report.year).is_not(None))
        .order_by(col(Report.year), col(Report.id))
    )
    return {r.year: r for r in reports if r.year is not None}


def _cells(session: Session, reports: dict[int, Report]) -> dict[str, dict[int, YearCell]]:
    """key → year → the value a person would sign off, with its status."""
    by_report = {r.id: y for y, r in reports.items()}
    rows = list(session.exec(select(Field).where(col(Field.report_id).in_(list(by_report)))))
    latest = review.latest_corrections(session, [f.id for f in rows if f.id is not None])
    out: dict[str, dict[int, YearCell]] = {}
    for f in rows:
        if f.key.startswith("meta."):
            continue
        correction = latest.get(f.id or 0)
        out.setdefault(f.key, {})[by_report[f.report_id]] = YearCell(
            review.current_value(f, correction), "ok" if correction else f.status, f.id
        )
    return out


def _mark_jumps(cells: dict[str, dict[int, YearCell]]) -> int:
    marked = 0
    for by_year in cells.values():
        for year, cell in by_year.items():
            before = by_year.get(year - 1)
            if before is not None and _is_jump(before.value, cell.value):
                cell.jump = True
                marked += 1
    return marked


def _is_jump(before: Any, now: Any) -> bool:
    if not isinstance(before, int | float) or not isinstance(now, int | float) or isinstance(now, bool):
        return False
    low, high = sorted((abs(before), abs(now)))
    if low == 0:
        return high >= JUMP_MIN
    return high / low >= JUMP_FACTOR and high >= JUMP_MIN


def _sum(cells: dict[str, dict[int, YearCell]], keys: list[str], year: int) -> float | None:
    values = [c.value for k in keys if (c := cells.get(k, {}).get(year)) is not None and c.value is not None]
    return sum(values) if values else None


def _charts(cells: dict[str, dict[int, YearCell]], years: list[int]) -> list[Any]:
    received = [
        Series(_("new requests"), {y: _sum(cells, ["t3.new_received.total"], y) for y in years}),
        Series(_("carried over"), {y: _sum(cells, ["t3.carried_over.total"], y) for y in years}),
    ]
    handled = [
        Series(
            label,
            {
                y: _sum(cells, [k for k in cells if k.startswith(f"t3.{prefix}") and k.endswith(".total")], y)
                for y in years
            },
        )
        for prefix, label in HANDLING
    ]
    outcomes = [
        Series(
            f"{group_label}·{label}", {y: _sum(cells, [f"t4.{g}.{part}" for g in groups], y) for y in years}
        )
        for groups, group_label in (
            (["review"], _("review")),
            (["suit_direct", "suit_after_review"], _("lawsuit")),
        )
        for part, label in OUTCOMES
    ]
    return [
        stacked_bars("chart-requests", _("Requests received"), years, received),
        stacked_bars("chart-handling", _("How requests were handled"), years, handled),
        stacked_bars("chart-outcomes", _("Reviews and lawsuits: outcomes"), years, outcomes),
    ]


def _sections(
    cells: dict[str, dict[int, YearCell]], reports: dict[int, Report]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """(section title, [(key, label)]) in the template's order; a key of either template is listed."""
    order = review.template_order()
    keys = sorted(cells, key=lambda k: (order.get(k, 10_000), k))
    template_of = {
        k: next((r.template for y, r in sorted(reports.items(), reverse=True) if y in cells[k]), "")
        for k in keys
    }
    titles = (
        ("t2.", _("Proactive disclosure (table 2)")),
        ("t3.", _("Requests (table 3)")),
        ("t4.", _("Reviews and lawsuits (table 4)")),
        ("n.", _("Figures stated in the text")),
    )
    return [
        (title, [(k, col_label(template_of[k] or "", k)) for k in keys if k.startswith(prefix)])
        for prefix, title in titles
    ]


@router.get("/agency")
def agency_page(request: Request, user: PageUser, id: str = "") -> Response:
    with session_scope() as session:
        agency = session.get(Agency, id)
        if agency is None:
            raise HTTPException(404, "no such agency")
        target = effective_agency(session, id)
        if target != id:
            return RedirectResponse(f"/agency?id={quote(target)}", status_code=303)
        reports = _year_reports(session, id)
        cells = _cells(session, reports)
        checks = year_checks(session, [r.id for r in reports.values() if r.id is not None])
        merges = list(
            session.exec(
                select(AgencyMerge).where((AgencyMerge.source_id == id) | (AgencyMerge.target_id == id))
            )
        )
    years = sorted(reports)
    jumps = _mark_jumps(cells)
    return render(
        request,
        "agency.html",
        {
            "agency": agency,
            "reports": reports,
            "years": years,
            "cells": cells,
            "sections": _sections(cells, reports),
            "charts": _charts(cells, years) if years else [],
            "jumps": jumps,
            "factor": JUMP_FACTOR,
            "checks": [c for c in checks if not c.ok],
            "checks_total": len(checks),
            "merges": merges,
            "report_year": {r.id: y for y, r in reports.items()},
        },
    )


# ---------------------------------------------------------------- the archive


FILTERS = ("province", "city", "county", "kind", "year", "template", "status")


def _filtered(query: Any, f: dict[str, str]) -> Any:
    for level in ("province", "city", "county"):
        if f[level]:
            query = query.where(getattr(Agency, f"{level}_code") == f[level])
    if f["kind"]:
        query = query.where(Agency.kind == f["kind"])
    if re.fullmatch(r"[0-9]{4}", f["year"]):
        query = query.where(Report.year == int(f["year"]))
    if f["template"]:
        query = query.where(Report.template == f["template"])
    if f["status"] in STATUSES:
        query = query.where(Report.status == f["status"])
    return query


def _region_level(f: dict[str, str], options: dict[str, list[tuple[str, str]]]) -> str:
    """Totals are given one level below the narrowest region chosen (a municipality's: its districts)."""
    if f["city"] or (f["province"] and not options["city"]):
        return "county"
    return "city" if f["province"] else "province"


def _options(session: Session, f: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    def pairs(level: str, parent: str | None, code: str) -> list[tuple[str, str]]:
        query = (
            select(getattr(Agency, f"{level}_code"), getattr(Agency, level))
            .where(col(getattr(Agency, f"{level}_code")).is_not(None))
            .distinct()
        )
        if parent:
            query = query.where(getattr(Agency, f"{parent}_code") == code)
        return sorted(session.exec(query).all())

    cities = pairs("city", "province", f["province"]) if f["province"] else []
    # A municipality (北京市) has districts straight under it: they are offered where cities would be.
    counties = (
        pairs("county", "city", f["city"])
        if f["city"]
        else (pairs("county", "province", f["province"]) if f["province"] and not cities else [])
    )
    return {
        "province": pairs("province", None, ""),
        "city": cities,
        "county": counties,
        "kind": [(k, k) for k in sorted(session.exec(select(Agency.kind).distinct()).all())],
        "template": [
            (t, t) for t in sorted(t for t in session.exec(select(Report.template).distinct()).all() if t)
        ],
    }


@router.get("/archive")
def archive_page(
    request: Request,
    user: PageUser,
    province: str = "",
    city: str = "",
    county: str = "",
    kind: str = "",
    year: str = "",
    template: str = "",
    status: str = "",
) -> Response:
    f = {
        k: v[:40]
        for k, v in zip(FILTERS, (province, city, county, kind, year, template, status), strict=True)
    }
    # A region outside the wider one chosen (the province changed, the city select did not) is dropped.
    if not f["city"].startswith(f["province"][:2]):
        f["city"] = ""
    if not f["county"].startswith(f["city"][:4]):
        f["county"] = ""
    base = select(Report, Agency).join(Agency, col(Agency.id) == col(Report.agency_id))
    with session_scope() as session:
        options = _options(session, f)
        level = _region_level(f, options)
        rows = session.exec(
            _filtered(base, f).order_by(col(Agency.id), col(Report.year)).limit(ARCHIVE_ROWS)
        ).all()
        total = session.exec(
            _filtered(
                select(func.count())
                .select_from(Report)
                .join(Agency, col(Agency.id) == col(Report.agency_id)),
                f,
            )
        ).one()
        region = getattr(Agency, level)
        totals_query = _filtered(
            select(
                region,
                Report.year,
                func.count(),
                func.sum(case((col(Report.status) == NEEDS_REVIEW, 1), else_=0)),
            ).join(Agency, col(Agency.id) == col(Report.agency_id)),
            f,
        )
        totals = session.exec(totals_query.group_by(region, Report.year).order_by(region, Report.year)).all()
    years = sorted({t[1] for t in totals if t[1] is not None})
    grid: dict[str, dict[int, tuple[int, int]]] = {}
    for name, y, count, in_review in totals:
        grid.setdefault(name or "—", {})[y] = (count, in_review or 0)
    return render(
        request,
        "archive.html",
        {
            "f": f,
            "rows": rows,
            "total": total,
            "limit": ARCHIVE_ROWS,
            "grid": grid,
            "years": years,
            "level": level,
            "options": options,
            "statuses": STATUSES,
            "quote": quote,
            "link": lambda **change: "/archive?" + urlencode({k: v for k, v in {**f, **change}.items() if v}),
        },
    )


# ---------------------------------------------------------------- full-text search


@dataclass(slots=True)
class Hit:
    report: Report
    page: int
    snippet: str


def _search(session: Session, q: str) -> list[tuple[int, int, str]]:
    """(report id, page, snippet) of pages holding `q`: SQLite FTS5 trigram, PostgreSQL pg_trgm."""
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if session.get_bind().dialect.name == "sqlite":
        if len(q) >= 3:  # the trigram index answers a phrase of three characters or more
            sql = (
                "SELECT report_id, page, snippet(report_text, 0, '[', ']', '…', 16) FROM report_text "
                "WHERE report_text MATCH :m ORDER BY report_id, page LIMIT :n"
            )
            params: dict[str, Any] = {"m": '"' + q.replace('"', '""') + '"', "n": SEARCH_HITS}
        else:
            sql = (
                "SELECT report_id, page, text FROM report_text WHERE text LIKE :p ESCAPE '\\' "
                "ORDER BY report_id, page LIMIT :n"
            )
            params = {"p": pattern, "n": SEARCH_HITS}
        rows = session.execute(text(sql), params).all()
        return [(r, p, s if len(q) >= 3 else _snippet(s, q)) for r, p, s in rows]
    sql = (
        "SELECT report_id, page, text FROM report_text WHERE text ILIKE :p ORDER BY report_id, page LIMIT :n"
    )
    return [
        (r, p, _snippet(s, q)) for r, p, s in session.execute(text(sql), {"p": pattern, "n": SEARCH_HITS})
    ]


def _snippet(page_text: str, q: str, width: int = 40) -> str:
    at = page_text.find(q)
    if at < 0:
        return page_text[: width * 2]
    start = max(0, at - width)
    return (
        ("…" if start else "")
        + page_text[start:at]
        + "["
        + q
        + "]"
        + page_text[at + len(q) : at + len(q) + width]
        + "…"
    )


@router.get("/search")
def search_page(request: Request, user: PageUser, q: str = "") -> Response:
    q = search_form("".join(c for c in q if c.isprintable()).strip()[:100])
    hits: list[Hit] = []
    if q:
        with session_scope() as session:
            found = _search(session, q)
            reports = {
                r.id: r
                for r in session.exec(select(Report).where(col(Report.id).in_([r for r, _p, _s in found])))
            }
        hits = [Hit(reports[r], p, s) for r, p, s in found if r in reports]
    return render(request, "search.html", {"q": q, "hits": hits, "limit": SEARCH_HITS})


# ---------------------------------------------------------------- merges


@router.get("/agencies/merges")
def merges_page(request: Request, user: PageUser) -> Response:
    with session_scope() as session:
        merges = list(session.exec(select(AgencyMerge).order_by(col(AgencyMerge.state), col(AgencyMerge.id))))
        ids = {m.source_id for m in merges} | {m.target_id for m in merges}
        agencies = {a.id: a for a in session.exec(select(Agency).where(col(Agency.id).in_(ids)))}
        counts = dict(
            session.exec(
                select(Report.agency_key, func.count())
                .where(col(Report.agency_key).in_(ids))
                .group_by(Report.agency_key)
            ).all()
        )
        decisions: dict[int, list[AgencyDecision]] = {}
        for d in session.exec(
            select(AgencyDecision).order_by(col(AgencyDecision.at), col(AgencyDecision.id))
        ):
            decisions.setdefault(d.merge_id, []).append(d)
    return render(
        request,
        "merges.html",
        {"merges": merges, "agencies": agencies, "counts": counts, "decisions": decisions, "quote": quote},
    )


@router.post("/agencies/merges/{merge_id}", dependencies=[Csrf])
def merge_decision(request: Request, merge_id: DbId, user: Admin, action: Annotated[str, Form()]) -> Response:
    try:
        with session_scope() as session:
            decide_merge(session, merge_id, action, user.username)
        request.session["flash"] = _("Decision saved.")
    except MergeError as exc:
        request.session["flash"] = str(exc)
    return RedirectResponse("/agencies/merges", status_code=303)
