"""The archive's bookkeeping: which agency a report belongs to, merges a person decides, year.continuity
between one agency's consecutive years, and the reports' text for full-text search.

Called by `store_record` after every stored reading and by the review app after every decision, so a
neighbouring year's arrival, a correction or a merge re-runs continuity on every pair it touches.

A failed continuity check sends both cells (this year's carried_over, last year's carried_forward) to
`review` with a reason naming the other report; the status the cell had before is kept (ContinuityFlag)
and given back once no continuity check fails on it. Values are never changed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, or_, text
from sqlmodel import Session, col, select

from ingest.agency import AgencyIdentity, identify
from ingest.normalize import halfwidth, simplified_already, to_simplified
from ingest.rules import T3_COLUMNS, continuity_check
from models.tables import (
    DONE,
    MERGE_MERGED,
    MERGE_REJECTED,
    MERGE_SUGGESTED,
    MERGE_UNDONE,
    NEEDS_REVIEW,
    Agency,
    AgencyDecision,
    AgencyMerge,
    ContinuityFlag,
    Correction,
    Document,
    Field,
    Report,
    YearCheck,
    utcnow,
)

CONTINUITY_REASON = "rule year.continuity"
_WHITESPACE = re.compile(r"(\s+)")
CONTINUITY_KEYS = tuple(f"t3.{row}.{c}" for row in ("carried_over", "carried_forward") for c in T3_COLUMNS)


# ---------------------------------------------------------------- hooks


def after_store(session: Session, report: Report, pages: list[str] | None, first_reading: bool) -> None:
    """A reading was stored (its agency already assigned, by `assign_agency` before the report's row
    went out): its text, and continuity with its neighbouring years. `first_reading`: the report was made
    in this transaction, so it has no earlier text and is in no continuity check yet."""
    if pages is not None:
        index_text(session, report, pages, first_reading)
    refresh_continuity(session, report, recomputed=True, first_reading=first_reading)


def after_decision(session: Session, report: Report, key: str) -> None:
    """A person decided a field of `report` (the rules have been re-run on it)."""
    if key in ("meta.agency", "meta.year"):
        document = session.get(Document, report.document_id)
        assign_agency(session, report, document.hint_region if document else None)
    refresh_continuity(session, report, recomputed=True)


# ---------------------------------------------------------------- agencies


def assign_agency(session: Session, report: Report, hint_region: str | None) -> None:
    """The report's agency (as read) and where merges lead it. A report not yet flushed goes out with it."""
    identity = identify(report.agency, hint_region) if report.agency else None
    if identity is None:
        report.agency_key = report.agency_id = None
        session.add(report)
        return
    _lock_agencies(session, identity.agency_id)
    agency, created = _upsert_agency(session, identity)
    report.agency_key = agency.id
    # No merge can lead away from an agency this transaction created: a merge row needs it to exist.
    report.agency_id = agency.id if created else effective_agency(session, agency.id)
    if report.agency_id != agency.id:  # merged into another: its series is locked too (this one already is)
        _lock_agencies(session, report.agency_id)
    session.add(report)
    session.flush()
    suggest_merges(session, agency)


def _lock_agencies(session: Session, *agency_ids: str | None) -> None:
    """Serialize the archive bookkeeping of one agency across workers until this transaction ends. Two
    reports of one agency stored at once (say 2020 and 2021) must not each miss the other as a
    neighbour, nor both insert the agency. SQLite needs nothing: the store already holds its one write
    lock. PostgreSQL: a transaction-level advisory lock per agency id, taken in a fixed order."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted({a for a in agency_ids if a}):
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def _upsert_agency(session: Session, identity: AgencyIdentity) -> tuple[Agency, bool]:
    """The identity's agency row, and whether this transaction created it."""
    agency = session.get(Agency, identity.agency_id)
    if agency is not None:
        if len(identity.name) > len(agency.name):
            agency.name = identity.name  # the full form names the body best (淮安市洪泽区人民政府)
            session.add(agency)
        return agency, False
    regions = {}
    for level in ("province", "city", "county"):
        region = getattr(identity, level)
        regions[f"{level}_code"], regions[level] = (region.code, region.name) if region else (None, None)
    # INSERT … ON CONFLICT DO NOTHING RETURNING the row: one statement; nothing comes back when another
    # worker inserted it meanwhile, and then that row is read.
    inserted = session.scalars(
        _dialect_insert(session, Agency)
        .values(
            id=identity.agency_id,
            name=identity.name,
            kind=identity.kind,
            candidates=list(identity.candidates),
            created_at=utcnow(),
            **regions,
        )
        .on_conflict_do_nothing()
        .returning(Agency)
    ).first()
    if inserted is not None:
        return inserted, True
    agency = session.get(Agency, identity.agency_id, populate_existing=True)
    assert agency is not None
    return agency, False


def effective_agency(session: Session, agency_id: str) -> str:
    """Where merges lead `agency_id` (a merged name's merges are followed too)."""
    seen = {agency_id}
    while True:
        target = session.exec(
            select(AgencyMerge.target_id).where(
                AgencyMerge.source_id == agency_id, AgencyMerge.state == MERGE_MERGED
            )
        ).first()
        if target is None or target in seen:
            return agency_id
        seen.add(target)
        agency_id = target


def suggest_merges(session: Session, agency: Agency) -> None:
    """Offer each merge the gazetteer leaves open: an unresolved name and an agency it could be."""
    pairs = [(agency.id, c) for c in agency.candidates or [] if session.get(Agency, c) is not None]
    if not agency.id.startswith("name:"):
        unresolved = session.execute(
            select(Agency.id, Agency.candidates).where(col(Agency.id).startswith("name:"))
        )
        pairs += [(name, agency.id) for name, candidates in unresolved if agency.id in (candidates or [])]
    for source, target in pairs:
        _insert_if_absent(
            session,
            AgencyMerge,
            source_id=source,
            target_id=target,
            state=MERGE_SUGGESTED,
            reason="the gazetteer allows this place, but not only this one",
            created_at=utcnow(),
        )
    session.flush()


def _insert_if_absent(session: Session, model: Any, **values: Any) -> None:
    """INSERT … ON CONFLICT DO NOTHING: a row another worker added meanwhile is kept, not an error."""
    session.execute(_dialect_insert(session, model).values(**values).on_conflict_do_nothing())


def _dialect_insert(session: Session, model: Any) -> Any:
    """The database's own INSERT, which has ON CONFLICT."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


class MergeError(ValueError):
    """A decision that does not apply to the merge in its current state."""


def decide_merge(session: Session, merge_id: int, action: str, who: str) -> AgencyMerge:
    """merge (a suggestion or an undone merge), reject (a suggestion) or undo (a merge); reports are
    re-pointed and continuity re-run on every report whose agency changed."""
    merge = session.get(AgencyMerge, merge_id)
    allowed = {
        MERGE_MERGED: (MERGE_SUGGESTED, MERGE_UNDONE, MERGE_REJECTED),
        MERGE_REJECTED: (MERGE_SUGGESTED,),
        MERGE_UNDONE: (MERGE_MERGED,),
    }
    if merge is None or action not in allowed or merge.state not in allowed[action]:
        raise MergeError(f"cannot {action} merge {merge_id}")
    merge.state, merge.decided_by, merge.decided_at = action, who, utcnow()
    session.add(merge)
    session.add(AgencyDecision(merge_id=merge_id, action=action, who=who))
    session.flush()
    if action != MERGE_REJECTED:
        _repoint_reports(session, {merge.source_id, merge.target_id})
    return merge


def _repoint_reports(session: Session, agency_ids: set[str]) -> None:
    keys = _merged_into(session, agency_ids)
    reports = list(session.exec(select(Report).where(col(Report.agency_key).in_(keys))))
    changed = []
    for report in reports:
        assert report.agency_key is not None
        new = effective_agency(session, report.agency_key)
        if new != report.agency_id:
            report.agency_id = new
            session.add(report)
            changed.append(report)
    session.flush()
    for report in changed:
        refresh_continuity(session, report, recomputed=False)


def _merged_into(session: Session, agency_ids: set[str]) -> set[str]:
    """The ids together with every id whose merges (in any state) lead to them: each may re-point."""
    found, frontier = set(agency_ids), set(agency_ids)
    while frontier:
        sources = set(
            session.exec(select(AgencyMerge.source_id).where(col(AgencyMerge.target_id).in_(frontier)))
        )
        frontier = sources - found
        found |= sources
    return found


# ---------------------------------------------------------------- year.continuity


def _current_values(session: Session, report_id: int) -> dict[str, Any]:
    """Continuity's cells as a person would sign them off: the latest correction, else the reading."""
    rows = list(
        session.exec(select(Field).where(Field.report_id == report_id, col(Field.key).in_(CONTINUITY_KEYS)))
    )
    latest: dict[int, Correction] = {}
    for c in session.exec(
        select(Correction)
        .where(col(Correction.field_id).in_([f.id for f in rows]))
        .order_by(col(Correction.at), col(Correction.id))
    ):
        latest[c.field_id] = c
    values: dict[str, Any] = {}
    for f in rows:
        correction = latest.get(f.id or 0)
        text_value = correction.new if correction is not None else f.value
        values[f.key] = _number(text_value)
    return values


def _number(text_value: str | None) -> float | int | None:
    if text_value is None:
        return None
    try:
        return int(text_value)
    except ValueError:
        try:
            return float(text_value)
        except ValueError:
            return None


def _neighbours(session: Session, report: Report) -> list[Report]:
    """The same agency's reports of the year before and the year after, in one query."""
    if report.agency_id is None or report.year is None:
        return []
    return list(
        session.exec(
            select(Report).where(
                Report.agency_id == report.agency_id,
                col(Report.year).in_((report.year - 1, report.year + 1)),
                Report.id != report.id,
            )
        )
    )


def _checks_naming(session: Session, report_id: int) -> list[YearCheck]:
    """The continuity checks `report_id` is in, as this year or as last year."""
    return list(
        session.exec(
            select(YearCheck).where(
                or_(col(YearCheck.report_id) == report_id, col(YearCheck.previous_report_id) == report_id)
            )
        )
    )


def refresh_continuity(
    session: Session, report: Report, recomputed: bool, first_reading: bool = False
) -> None:
    """Re-run year.continuity on every pair `report` is in. `recomputed`: its cells' statuses were just
    derived afresh (a store or a decision), so they are the statuses to give back when a flag clears.
    `first_reading`: the report was made in this transaction, so no check names it yet."""
    assert report.id is not None
    old = [] if first_reading else _checks_naming(session, report.id)
    neighbours = _neighbours(session, report)  # none for a report without a year
    year = report.year or 0
    pairs = [(report, before) for before in neighbours if before.year == year - 1]
    pairs += [(after, report) for after in neighbours if after.year == year + 1]
    if not old and not pairs:
        return  # no neighbouring year, and none before: no check to run, no flag to give back
    touched = {report.id} | {c.report_id for c in old} | {c.previous_report_id for c in old}
    if old:
        session.execute(delete(YearCheck).where(col(YearCheck.id).in_([c.id for c in old])))
    values = {report.id: _current_values(session, report.id)}
    for this, before in pairs:
        assert this.id is not None and before.id is not None and this.agency_id is not None
        touched |= {this.id, before.id}
        now = values.setdefault(this.id, _current_values(session, this.id))
        then = values.setdefault(before.id, _current_values(session, before.id))
        for result in continuity_check(now, then):
            session.add(
                YearCheck(
                    agency_id=this.agency_id,
                    report_id=this.id,
                    previous_report_id=before.id,
                    scope=result.scope,
                    ok=result.ok,
                    detail=result.detail,
                    this_value=_text(now.get(f"t3.carried_over.{result.scope}")),
                    previous_value=_text(then.get(f"t3.carried_forward.{result.scope}")),
                )
            )
    session.flush()
    settle_flags(session, touched, fresh={report.id} if recomputed else set())


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _flags_wanted(session: Session, report_ids: set[int]) -> dict[tuple[int, str], str]:
    """(report id, key) → the reason, for every cell of these reports that a failed check names."""
    failed = session.exec(
        select(YearCheck).where(
            col(YearCheck.ok).is_(False),
            or_(col(YearCheck.report_id).in_(report_ids), col(YearCheck.previous_report_id).in_(report_ids)),
        )
    )
    wanted: dict[tuple[int, str], str] = {}
    for c in failed:
        wanted[(c.report_id, f"t3.carried_over.{c.scope}")] = (
            f"{CONTINUITY_REASON} ({c.scope}) fails: {c.detail} (last year: report {c.previous_report_id})"
        )
        wanted[(c.previous_report_id, f"t3.carried_forward.{c.scope}")] = (
            f"{CONTINUITY_REASON} ({c.scope}) fails: {c.detail} (next year: report {c.report_id})"
        )
    return wanted


def settle_flags(session: Session, report_ids: set[int], fresh: set[int]) -> None:
    """Flag the cells failed checks name; give back their prior status to cells no check fails on."""
    wanted = _flags_wanted(session, report_ids)
    cells = list(
        session.exec(
            select(Field).where(col(Field.report_id).in_(report_ids), col(Field.key).in_(CONTINUITY_KEYS))
        )
    )
    flags = {
        f.field_id: f
        for f in session.exec(
            select(ContinuityFlag).where(col(ContinuityFlag.field_id).in_([c.id for c in cells]))
        )
    }
    # A person's decision settles a cell even when the years disagree (the report shows the failed check).
    decided = set(
        session.exec(select(Correction.field_id).where(col(Correction.field_id).in_([c.id for c in cells])))
    )
    changed_reports: set[int] = set()
    for cell in cells:
        assert cell.id is not None
        flag = flags.get(cell.id)
        reason = None if cell.id in decided else wanted.get((cell.report_id, cell.key))
        if flag is None and reason is None:
            continue
        if flag is not None and cell.report_id in fresh:
            flag.prior_status = cell.status  # derived afresh, without continuity
        before = (cell.status, list(cell.reasons or []))
        reasons = [r for r in cell.reasons or [] if not r.startswith(CONTINUITY_REASON)]
        if reason is not None:
            if flag is None:
                session.add(ContinuityFlag(field_id=cell.id, prior_status=cell.status))
            cell.status, cell.reasons = "review", [*reasons, reason]
        else:
            assert flag is not None
            cell.status = cell.status if cell.report_id in fresh else flag.prior_status
            cell.reasons = reasons
            session.delete(flag)
        if (cell.status, cell.reasons) != before:
            session.add(cell)
            changed_reports.add(cell.report_id)
    session.flush()
    for report_id in changed_reports | (fresh & report_ids):
        _settle_report(session, report_id)


def _settle_report(session: Session, report_id: int) -> None:
    report = session.get(Report, report_id)
    if report is None:
        return
    review = session.exec(
        select(func.count()).select_from(Field).where(Field.report_id == report_id, Field.status != "ok")
    ).one()
    report.fields_review = review
    status = NEEDS_REVIEW if review else DONE if report.checks_failed == 0 else report.status
    report.status = status
    session.add(report)
    document = session.get(Document, report.document_id)
    if document is not None and document.status in (DONE, NEEDS_REVIEW):
        document.status = status
        document.reason = (
            None
            if status == DONE
            else (f"{review} field(s) to review, {report.checks_failed} failed check(s)")
        )
        session.add(document)


def year_checks(session: Session, report_ids: Iterable[int] | None) -> list[YearCheck]:
    """The continuity checks of these reports (as this year or as last year); None: all of them."""
    query = select(YearCheck).order_by(col(YearCheck.report_id), col(YearCheck.scope))
    if report_ids is not None:
        ids = list(report_ids)
        query = query.where(
            or_(col(YearCheck.report_id).in_(ids), col(YearCheck.previous_report_id).in_(ids))
        )
    return list(session.exec(query))


# ---------------------------------------------------------------- full text


def index_text(session: Session, report: Report, pages: list[str], first_reading: bool = False) -> None:
    """The report's text, one row per page, for search (replacing an earlier reading's, if any)."""
    if not first_reading:
        session.execute(text("DELETE FROM report_text WHERE report_id = :r"), {"r": report.id})
    # Kept simplified and half-width, as queries are: 芜湖 finds a report printed 蕪湖.
    rows = [
        {"r": report.id, "p": n, "t": search_form(page)}
        for n, page in enumerate(pages, start=1)
        if page.strip()
    ]
    if rows:
        session.execute(text("INSERT INTO report_text (report_id, page, text) VALUES (:r, :p, :t)"), rows)


def search_form(text_value: str) -> str:
    """Text as it is indexed and searched: simplified script, half-width.

    Converted a whitespace-separated piece at a time: OpenCC never converts across white space (no
    dictionary entry holds any), so the result is that of converting the whole text, but the pieces
    repeat from report to report (the template's row labels, 0, 合计) and `to_simplified` caches them:
    a page costs ~0.1 ms instead of ~2 ms, and every store indexes every page."""
    half = halfwidth(text_value)
    if simplified_already(half):  # most pages: nothing to convert, no pieces to look up
        return half
    parts = _WHITESPACE.split(half)
    return "".join(part if i % 2 else to_simplified(part) for i, part in enumerate(parts))
