"""The archive on a real database (SQLite and PostgreSQL): agency identity and merges, year.continuity
stored on both reports and cleared by a fix, over a generated archive of 50 agencies × 5 years."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from ingest.agency import identify
from models.archive import decide_merge
from models.db import make_engine, session_scope, store_record, upgrade
from models.tables import Agency, AgencyDecision, AgencyMerge, Document, Field, Report, User, YearCheck
from synth.archive import ArchivePlan, expected_agency_ids, plan_archive, record_json, store_synthetic
from tests.postgres import scratch_database

# ---------------------------------------------------------------- identity, no database


@pytest.mark.parametrize(
    ("printed", "agency_id", "kind"),
    [
        ("洪泽区人民政府", "320813:人民政府", "人民政府"),
        ("淮安市洪泽区人民政府", "320813:人民政府", "人民政府"),
        ("2024年淮安市 洪泽区人民政府政府信息公开工作年度报告", "320813:人民政府", "人民政府"),
        ("洪泽区政府办公室", "320813:人民政府办公室", "办公室"),
        ("淮安市洪泽区高良涧街道办事处", "320813:高良涧街道办事处", "街道办事处"),
        ("洪泽区岔河镇人民政府", "320813:岔河镇人民政府", "乡镇"),
        ("張掖市審計局", "620700:审计局", "局"),
        ("上海市科学技术委员会", "310000:科学技术委员会", "委员会"),
        ("福州市鼓楼区人民政府", "350102:人民政府", "人民政府"),
    ],
)
def test_names_resolve_to_one_id(printed: str, agency_id: str, kind: str) -> None:
    identity = identify(printed)
    assert (identity.agency_id, identity.kind) == (agency_id, kind)


def test_region_codes_of_a_district() -> None:
    identity = identify("洪泽区人民政府")
    assert identity.province and identity.city and identity.county
    assert (identity.province.code, identity.city.code, identity.county.code) == (
        "320000",
        "320800",
        "320813",
    )
    assert (identity.province.name, identity.city.name) == ("江苏省", "淮安市")


def test_an_ambiguous_or_misread_place_is_not_decided() -> None:
    gulou = identify("鼓楼区人民政府")
    assert (
        not gulou.resolved and "350102:人民政府" in gulou.candidates and "320106:人民政府" in gulou.candidates
    )
    assert identify("鼓楼区人民政府", "福建省/福州市").agency_id == "350102:人民政府"  # the folder decides
    misread = identify("种归县人民政府")  # 秭 read as 种
    assert not misread.resolved and misread.candidates == ("420527:人民政府",)


def test_search_form_piecewise_is_the_whole_texts_conversion() -> None:
    """search_form converts a white-space-separated piece at a time (cached); phrases (頭髮, 乾隆, 皇后),
    full-width digits and brackets come out as converting the whole text would make them."""
    from ingest.normalize import halfwidth, to_simplified
    from models.archive import search_form

    page = "臺灣省 頭髮\t理髮店，乾隆年間\n發展　後來２０２３年（萬元）  皇后 後天 \n\n 0\t12.5\t"
    assert search_form(page) == to_simplified(halfwidth(page))
    assert search_form(page).startswith("台湾省 头发\t理发店,乾隆年间\n发展 后来2023年(万元)  皇后")
    assert search_form(page) == search_form(page)  # the second time from the cache, the same


# ---------------------------------------------------------------- the generated archive


def _store_plan(url: str, plan: ArchivePlan) -> dict[tuple[int, int], int]:
    """Every (agency, year) stored as a record, in a shuffled order (neighbouring years arrive later)."""
    import random

    keys = list(plan.truths)
    random.Random(5).shuffle(keys)
    ids: dict[tuple[int, int], int] = {}
    engine = make_engine(url)
    with session_scope(engine) as session:
        session.add(User(username="adam", password_hash="x", role="admin"))
        for a, year in keys:
            report = store_synthetic(
                session, f"a{a}-{year}.docx", f"{a:04d}{year}", record_json(plan.truths[(a, year)])
            )
            assert report is not None and report.id is not None
            ids[(a, year)] = report.id
    engine.dispose()
    return ids


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def archive(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, ArchivePlan, dict]]:
    plan = plan_archive(agencies=50, years=5, seed=3)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('archive') / 'a.sqlite'}"
        upgrade(url)
        yield url, plan, _store_plan(url, plan)
        return
    with scratch_database("ingest_archive") as url:
        upgrade(url)
        yield url, plan, _store_plan(url, plan)


def _paired_years(plan: ArchivePlan) -> set[tuple[int, int]]:
    """(agency, year) whose printed name resolves to the id last year's did: one series before any merge."""

    def printed_id(a: int, y: int) -> str:
        return identify(plan.printed_name(a, y)).agency_id

    return {
        (a, y)
        for a in range(len(plan.full_names))
        for y in range(plan.first_year + 1, plan.first_year + plan.years)
        if printed_id(a, y) == printed_id(a, y - 1)
    }


def _session(url: str) -> Session:
    return Session(make_engine(url), expire_on_commit=False)


def test_every_injected_break_is_flagged_on_both_reports_and_no_other(archive) -> None:  # type: ignore[no-untyped-def]
    url, plan, ids = archive
    assert len(plan.full_names) >= 50 and plan.breaks and len(ids) == 250
    by_id = {v: k for k, v in ids.items()}
    with _session(url) as session:
        checks = list(session.exec(select(YearCheck)))
        failed = {(*by_id[c.report_id], c.scope) for c in checks if not c.ok}
        paired = _paired_years(plan)
        injected = {b for b in plan.breaks if (b[0], b[1]) in paired}
        assert failed == injected
        for c in checks:
            if c.ok:
                continue
            this = session.exec(
                select(Field).where(Field.report_id == c.report_id, Field.key == f"t3.carried_over.{c.scope}")
            ).one()
            before = session.exec(
                select(Field).where(
                    Field.report_id == c.previous_report_id, Field.key == f"t3.carried_forward.{c.scope}"
                )
            ).one()
            assert this.status == before.status == "review"
            assert any(f"report {c.previous_report_id}" in r for r in this.reasons)
            assert any(f"report {c.report_id}" in r for r in before.reasons)
            assert session.get(Report, c.report_id).status == "needs_review"  # type: ignore[union-attr]
        # Pairs checked: every consecutive pair of a decided series, seven columns each.
        pairs = {(by_id[c.report_id], by_id[c.previous_report_id]) for c in checks}
        assert pairs == {((a, y), (a, y - 1)) for a, y in paired}
        unflagged = session.exec(
            select(Field).where(col(Field.key).startswith("t3.carried_"), Field.status == "review")
        ).all()
        flagged_keys = {(by_id[f.report_id], f.key) for f in unflagged}
        assert all(any(b[0] == a for b in injected) for (a, _y), _k in flagged_keys)


def test_short_and_full_names_the_gazetteer_decides_are_one_agency(archive) -> None:  # type: ignore[no-untyped-def]
    url, plan, ids = archive
    expected = expected_agency_ids(plan)
    with _session(url) as session:
        for (a, year), report_id in ids.items():
            report = session.get(Report, report_id)
            assert report is not None
            if a in plan.ambiguous and year in plan.short_years[a]:
                assert report.agency_id and report.agency_id.startswith("name:")
            else:
                assert report.agency_id == expected[a], (a, year, report.agency)
        agency = session.get(Agency, expected[len(plan.full_names) - 1])
        assert agency is not None and agency.county_code and agency.city_code and agency.province_code
        suggestions = list(session.exec(select(AgencyMerge)))
        assert {(m.source_id, m.target_id) for m in suggestions} == {
            (identify(plan.short_names[a]).agency_id, expected[a]) for a in plan.ambiguous
        }
        assert all(m.state == "suggested" for m in suggestions)


def test_a_merge_makes_one_series_and_its_undo_splits_it(archive) -> None:  # type: ignore[no-untyped-def]
    url, plan, ids = archive
    a = min(plan.ambiguous)
    target = expected_agency_ids(plan)[a]
    series = {ids[(a, y)] for y in range(plan.first_year, plan.first_year + plan.years)}
    with _session(url) as session:
        merge = session.exec(select(AgencyMerge).where(AgencyMerge.target_id == target)).one()
        assert merge.id is not None
        decide_merge(session, merge.id, "merged", "adam")
        session.commit()
        reports = session.exec(select(Report).where(Report.agency_id == target)).all()
        assert {r.id for r in reports} == series
        pairs = {
            (c.report_id, c.previous_report_id)
            for c in session.exec(select(YearCheck).where(YearCheck.agency_id == target))
        }
        assert len(pairs) == plan.years - 1
        breaks = {(a, y, c) for (b, y, c) in plan.breaks if b == a}
        by_id = {v: k for k, v in ids.items()}
        failed = {
            (*by_id[c.report_id], c.scope)
            for c in session.exec(
                select(YearCheck).where(YearCheck.agency_id == target, col(YearCheck.ok).is_(False))
            )
        }
        assert failed == breaks
        decide_merge(session, merge.id, "undone", "adam")
        session.commit()
        assert len(session.exec(select(Report).where(Report.agency_id == target)).all()) == plan.years - len(
            plan.short_years[a]
        )
        decisions = session.exec(select(AgencyDecision).where(AgencyDecision.merge_id == merge.id)).all()
        assert [(d.action, d.who) for d in decisions] == [("merged", "adam"), ("undone", "adam")]


def test_a_fix_clears_the_break_and_gives_back_the_cells(archive) -> None:  # type: ignore[no-untyped-def]
    from web.review import decide

    url, plan, ids = archive
    a, year, column = sorted(b for b in plan.breaks if b[0] not in plan.ambiguous and b[2] != "total")[0]
    with _session(url) as session:
        user = session.exec(select(User)).first()
        check = session.exec(
            select(YearCheck).where(YearCheck.report_id == ids[(a, year)], YearCheck.scope == column)
        ).one()
        assert not check.ok
        cell = session.exec(
            select(Field).where(Field.report_id == ids[(a, year)], Field.key == f"t3.carried_over.{column}")
        ).one()
        decide(session, cell, user, "corrected", check.previous_value or "")  # type: ignore[arg-type]
        session.commit()
        check = session.exec(
            select(YearCheck).where(YearCheck.report_id == ids[(a, year)], YearCheck.scope == column)
        ).one()
        assert check.ok
        before = session.exec(
            select(Field).where(
                Field.report_id == ids[(a, year - 1)], Field.key == f"t3.carried_forward.{column}"
            )
        ).one()
        assert before.status == "ok" and not any("year.continuity" in r for r in before.reasons)


def test_values_are_never_changed(archive) -> None:  # type: ignore[no-untyped-def]
    url, plan, ids = archive
    a, year, column = sorted(plan.breaks)[-1]
    with _session(url) as session:
        cell = session.exec(
            select(Field).where(Field.report_id == ids[(a, year)], Field.key == f"t3.carried_over.{column}")
        ).one()
        assert int(cell.value or -1) == plan.truths[(a, year)]["fields"][f"t3.carried_over.{column}"]


def test_real_pipeline_documents_join_the_archive(tmp_path: Path) -> None:
    """Five years of one agency rendered as documents and read by the real pipeline; one break."""
    from ingest.pipeline import extract
    from synth import render

    plan = plan_archive(agencies=8, years=5, seed=11, short_share=0.0, break_share=0.3)
    a = max(b[0] for b in plan.breaks)
    assert a >= 4  # an agency whose name the gazetteer decides
    url = f"sqlite:///{tmp_path / 'p.sqlite'}"
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        for year in range(plan.first_year, plan.first_year + plan.years):
            path = render(plan.truths[(a, year)], "docx", tmp_path / f"{year}.docx", faults=set())
            record = extract(path)
            out = record.to_json()
            out["pages_text"] = record.pages_text
            doc = Document(
                original_name=path.name, inbox_path="-", sha256=record.sha256, size=1, store_path=str(path)
            )
            session.add(doc)
            session.flush()
            store_record(session, doc, out)
    with Session(engine) as session:
        reports = session.exec(select(Report)).all()
        assert {r.agency_id for r in reports} == {identify(plan.full_names[a]).agency_id}
        failed = {
            (session.get(Report, c.report_id).year, c.scope)  # type: ignore[union-attr]
            for c in session.exec(select(YearCheck))
            if not c.ok
        }
        assert failed == {(y, c) for (b, y, c) in plan.breaks if b == a} and failed
        assert len(session.exec(select(YearCheck)).all()) >= 4
    engine.dispose()


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ArchivePlan, dict]:
    """12 agencies × 5 years: enough for every kind of row, small enough for openpyxl and pandas."""
    plan = plan_archive(agencies=12, years=5, seed=4, break_share=0.3)
    url = f"sqlite:///{tmp_path_factory.mktemp('small') / 's.sqlite'}"
    upgrade(url)
    return url, plan, _store_plan(url, plan)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_long_export_reads_back_in_pandas(small_archive, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    """One row per (report, key), agency id, region codes and Chinese label on every row; the
    continuity results are rows too, naming the other report."""
    import pandas as pd

    from worker.export import write

    url, _plan, _ids = small_archive
    out = tmp_path / f"long.{fmt}"
    with _session(url) as session:
        n = write(session, fmt, True, out)
        fields = len(session.exec(select(Field)).all())
        checks = session.exec(select(YearCheck)).all()
    frame = pd.read_csv(out, dtype=str) if fmt == "csv" else (pd.read_excel(out, dtype=str))
    assert len(frame) == n == fields + 2 * len(checks)
    assert not frame.duplicated(["report_id", "key"]).any()
    assert frame["agency_id"].notna().all() and frame["label_zh"].notna().all()
    resolved = frame[
        ~frame["agency_id"].str.startswith("name:")
    ]  # a name the gazetteer left open has no place
    assert len(resolved) > 0.5 * len(frame) and resolved["province_code"].notna().all()
    assert frame["year"].notna().all()
    assert (resolved["county_code"].str.len() == 6).all()
    cont = frame[frame["key"].str.startswith("year.continuity.")]
    assert len(cont) == 2 * len(checks)
    failed = cont[cont["value"].str.lower() == "false"]
    assert len(failed) == 2 * sum(1 for c in checks if not c.ok) and failed["other_report_id"].notna().all()
    label = frame.loc[frame["key"] == "t3.new_received.total", "label_zh"].iloc[0]
    assert "新收" in label
    decided = frame[frame["decided_by"].notna()]
    assert set(decided["decided_by"]) <= {"adam"}


def test_two_years_stored_at_once_still_meet() -> None:
    """PostgreSQL: one agency's 2020 and 2021 stored by two workers at the same moment (2019 stored
    before). Without a lock the second store cannot see the first's uncommitted report, and the pair is
    never checked (or the agency row is inserted twice)."""
    import threading
    import time

    plan = plan_archive(agencies=1, years=3, seed=8)
    with scratch_database("ingest_archive_race") as url:
        upgrade(url)
        engine = make_engine(url)
        first_stored = threading.Event()
        errors: list[BaseException] = []

        def store(year: int, hold: bool) -> None:
            try:
                with session_scope(engine) as session:
                    truth = plan.truths[(0, year)]
                    truth = {**truth, "meta": {**truth["meta"], "agency": plan.full_names[0]}}  # one name
                    store_synthetic(session, f"{year}.docx", f"race{year}", record_json(truth))
                    if hold:
                        first_stored.set()
                        time.sleep(1.5)  # the other worker stores meanwhile
            except BaseException as exc:
                errors.append(exc)

        store(
            plan.first_year, False
        )  # the agency exists already: no insert makes the two wait for each other
        first = threading.Thread(target=store, args=(plan.first_year + 1, True))
        first.start()
        assert first_stored.wait(30)
        second = threading.Thread(target=store, args=(plan.first_year + 2, False))
        second.start()
        first.join()
        second.join()
        assert not errors, errors
        with session_scope(engine) as session:
            assert len(session.exec(select(Agency)).all()) == 1
            pairs = {(c.report_id, c.previous_report_id) for c in session.exec(select(YearCheck))}
            assert len(pairs) == 2, "two years stored at once were never checked against each other"
        engine.dispose()
