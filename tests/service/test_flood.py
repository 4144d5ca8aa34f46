"""200 files dropped at once end as exactly the right documents: none lost, none twice."""

from __future__ import annotations

import os
import threading
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from models.tables import FINAL_STATUSES, Document, DuplicateDrop, Report
from tests.service.conftest import Service, wait_until
from tests.service.corpus import FOLDERS, chunked_write, report_html, report_text, write

N_TEXT, N_HTML, N_SLOW, N_TEMP, N_DUP = 120, 30, 15, 15, 20  # 200 drops, 180 distinct contents


def drop_flood(inbox: Path) -> dict[str, int]:
    """Drop 200 files the ways people and copy tools do. Returns expected counts."""
    contents: list[bytes] = []
    for i in range(N_TEXT):
        contents.append(report_text(i).encode())
        write(inbox / FOLDERS[i % len(FOLDERS)] / f"report_{i:03d}.txt", contents[-1])
    for i in range(N_HTML):
        contents.append(report_html(1000 + i).encode())
        write(inbox / "web" / f"page_{i:03d}.html", contents[-1])
    for i in range(N_DUP):  # same bytes as an earlier drop, another name
        write(inbox / "dups" / f"copy_of_{i:03d}.txt", contents[i])
    for i in range(N_TEMP):  # downloaded under a temporary name, renamed when complete
        tmp = write(inbox / "dl" / f"download_{i:03d}.txt.part", report_text(2000 + i))
        os.rename(tmp, tmp.with_suffix(""))
    writers = [
        threading.Thread(
            target=chunked_write,
            args=(inbox / "slow" / f"slow_{i:03d}.txt", report_text(3000 + i).encode(), 5, 0.4),
        )
        for i in range(N_SLOW)
    ]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    distinct = N_TEXT + N_HTML + N_TEMP + N_SLOW
    return {"drops": distinct + N_DUP, "documents": distinct, "duplicates": N_DUP}


def originals(svc: Service) -> list[Path]:
    return [p for p in svc.inbox.rglob("*") if p.is_file() and not p.name.endswith(".reason.txt")]


def assert_flood_outcome(svc: Service, expected: dict[str, int]) -> None:
    with svc.session() as s:
        docs = list(s.exec(select(Document)))
        dups = s.exec(select(func.count()).select_from(DuplicateDrop)).one()
        reports = s.exec(select(func.count()).select_from(Report)).one()
    assert len(docs) == expected["documents"]
    assert dups == expected["duplicates"]
    assert sum(d.duplicates for d in docs) == expected["duplicates"]
    assert all(d.status in FINAL_STATUSES for d in docs), Counter(d.status for d in docs)
    assert all(d.attempts == 1 for d in docs), (
        "a document was processed more than once",
        [(d.id, d.attempts, d.status) for d in docs if d.attempts != 1],
        svc.log("worker")[-6000:],
    )
    assert reports == sum(1 for d in docs if d.status != "failed")
    assert all(d.reason for d in docs if d.status == "failed")
    # every original is kept, in processed/ or failed/, and nothing is left behind in the inbox
    kept = originals(svc)
    assert len(kept) == expected["drops"]
    assert all(p.relative_to(svc.inbox).parts[0] in ("processed", "failed") for p in kept)
    assert all(Path(d.store_path).is_file() for d in docs)
    assert {d.hint_year for d in docs if "聊城市" in d.inbox_path} == {2020}
    assert not any(".part" in d.original_name for d in docs)


@pytest.mark.services
@pytest.mark.parametrize("backend", ["embedded", "redis+postgres"])
def test_flood_of_200_files(backend: str, make_service, request: pytest.FixtureRequest) -> None:
    if backend == "embedded":
        svc = make_service()
    else:
        svc = make_service(request.getfixturevalue("pg_url"), request.getfixturevalue("redis_url"))
    svc.worker(concurrency=2)
    svc.watcher()
    expected = drop_flood(svc.inbox)

    def settled() -> bool:
        docs = svc.documents()
        return len(docs) == expected["documents"] and all(d.status in FINAL_STATUSES for d in docs)

    wait_until(settled, 240, step=1, what="all documents final")
    wait_until(
        lambda: (
            len(originals(svc)) == expected["drops"]
            and not any(
                p.relative_to(svc.inbox).parts[0] not in ("processed", "failed") for p in originals(svc)
            )
        ),
        20,
        what="inbox emptied",
    )
    assert_flood_outcome(svc, expected)
