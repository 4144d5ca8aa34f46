"""The archive views and full-text search over a stored archive: p50/p95 answer times per page.

    python -m bench archive [--agencies 400] [--years 5] [--rounds 30] [--backends sqlite,postgresql]

Stores `agencies × years` generated reports (synth/archive.py: both templates, continuity breaks,
short names) through the real `store_record` (so agencies, continuity and the search text are built as the
service builds them), each with a page of realistic report prose for the search index, then asks the web
app (in process, through its real routes, signed in) for the archive overview, a region filter, a
year+template filter, an agency page and two searches, `--rounds` times each. Prints one row per backend
and page. Issue 11's target: < 300 ms p95 with 2,000 reports on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

PG_ADMIN = os.environ.get("INGEST_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
PROSE = (
    "一、总体情况\n本机关坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开，"
    "围绕重点领域信息公开、政策解读与回应关切、政府信息公开平台建设等方面开展工作。"
    "（一）主动公开。本年度通过门户网站主动公开政府信息，及时发布规范性文件、财政预决算、重大建设项目等信息。"
    "（二）依申请公开。严格按照《中华人民共和国政府信息公开条例》规定的程序和时限办理。"
    "（三）政府信息管理。完善信息公开保密审查机制，规范发布流程。"
    "（四）平台建设。优化政府网站栏目设置，提升检索和互动功能。"
    "（五）监督保障。将政府信息公开工作纳入绩效考核，开展业务培训。\n"
    "五、存在的主要问题及改进情况\n一是公开内容的全面性有待提升；二是政策解读形式较为单一。"
    "下一步，将进一步加强培训，提高信息公开工作质量。\n六、其他需要报告的事项\n本年度未收取信息处理费。"
)


@contextlib.contextmanager
def _database(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
            yield f"sqlite:///{Path(tmp) / 'archive.sqlite'}"
        return
    from sqlalchemy import create_engine, text

    name = f"bench_archive_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{PG_ADMIN}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_ADMIN}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _store_archive(url: str, agencies: int, years: int) -> tuple[float, list[str]]:
    """Store the archive; returns the seconds it took and the printed agency names (for searches)."""
    from models.db import make_engine, session_scope, upgrade
    from synth.archive import plan_archive, record_json, store_synthetic

    upgrade(url)
    plan = plan_archive(agencies=agencies, years=years, seed=11)
    keys = list(plan.truths)
    random.Random(11).shuffle(keys)
    engine = make_engine(url)
    started = time.perf_counter()
    for chunk in range(0, len(keys), 100):
        with session_scope(engine) as session:
            for a, year in keys[chunk : chunk + 100]:
                record = record_json(plan.truths[(a, year)])
                record["pages_text"] = [record["pages_text"][0] + "\n" + PROSE * 3]
                store_synthetic(session, f"a{a}-{year}.docx", f"{a:05d}{year}", record)
    engine.dispose()
    return time.perf_counter() - started, plan.full_names


def _signed_in_client():  # type: ignore[no-untyped-def]
    import re

    from fastapi.testclient import TestClient

    from models.cli import hash_password
    from models.db import session_scope
    from models.tables import User
    from web.app import create_app

    with session_scope() as session:
        session.add(User(username="bench", password_hash=hash_password("bench-password-1"), role="admin"))
    client = TestClient(create_app())
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token, "no sign-in form"
    done = client.post(
        "/login",
        data={"username": "bench", "password": "bench-password-1", "csrf_token": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text[:300]
    return client


def _pages(names: list[str]) -> dict[str, str]:
    from ingest.agency import identify

    first = identify(names[0])
    province = first.province.code if first.province else ""
    return {
        "archive": "/archive",
        "archive · province": f"/archive?province={province}",
        "archive · year+template": "/archive?year=2021&template=2021",
        "agency page": f"/agency?id={first.agency_id}",
        "search · agency name": f"/search?q={names[len(names) // 2][:4]}",
        "search · phrase": "/search?q=保密审查机制",
    }


def _timed(client, path: str, rounds: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    client.get(path)  # warm: templates compiled, caches filled
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times), statistics.quantiles(times, n=20)[18]


def run_backend(backend: str, agencies: int, years: int, rounds: int) -> list[tuple[str, str, float, float]]:
    with _database(backend) as url, tempfile.TemporaryDirectory(prefix="bench-archive-data-") as data:
        from models.db import reset_engine

        os.environ.update(DATABASE_URL=url, INGEST_DATA_DIR=data)
        reset_engine()  # the process's engine follows DATABASE_URL
        stored_s, names = _store_archive(url, agencies, years)
        print(
            f"{backend}: stored {agencies * years} reports in {stored_s:.1f} s "
            f"({stored_s / (agencies * years) * 1000:.0f} ms each)"
        )
        client = _signed_in_client()
        rows = [(backend, name, *_timed(client, path, rounds)) for name, path in _pages(names).items()]
        client.close()
        reset_engine()
        return rows


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench archive", description=__doc__.split("\n\n")[0])
    p.add_argument("--agencies", type=int, default=400)
    p.add_argument("--years", type=int, default=5)
    p.add_argument("--rounds", type=int, default=30)
    p.add_argument("--backends", default="sqlite,postgresql")
    args = p.parse_args(argv)
    rows = []
    for backend in args.backends.split(","):
        rows += run_backend(backend, args.agencies, args.years, args.rounds)
    print(f"\n{args.agencies * args.years} reports · {args.rounds} requests per page")
    print(f"{'backend':<11} {'page':<26} {'p50 ms':>8} {'p95 ms':>8}")
    for backend, name, p50, p95 in rows:
        print(f"{backend:<11} {name:<26} {p50:>8.1f} {p95:>8.1f}{'  over 300 ms' if p95 >= 300 else ''}")
    return 1 if any(p95 >= 300 for *_, p95 in rows) else 0
