"""An intake whose commit reached the database but whose answer was lost (a connection dropped at COMMIT,
as in test_faults' PostgreSQL outage) is tried again by the watcher's rescan: the file is still in the
inbox, its Document already exists. That second try completes the first — the original moved where the
Document says, the document sent — and records no duplicate of itself."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlmodel import select

from models.tables import Document, DuplicateDrop
from tests.service.conftest import ROOT
from tests.service.corpus import report_text, write

pytestmark = pytest.mark.services

# The first intake up to its commit (copy into the store, the Document row), then, as the watcher's
# rescan does, the whole intake of the same file again.
INTERRUPTED_THEN_RESCANNED = """
import sys
from pathlib import Path
from worker import intake
from worker.inbox import PROCESSED, free_path
from worker.settings import get_settings
from worker.stages import Stages

inbox, src = Path(sys.argv[1]), Path(sys.argv[2])
rel = src.relative_to(inbox)
sha, size, stored = intake.copy_into_store(src, get_settings().store)
intake._record(sha, size, stored, src, free_path(inbox / PROCESSED / rel), rel, Stages("intake"))
again = intake.intake_file(src, inbox)
print(again.duplicate if again else "none")
"""


def test_an_intake_cut_off_after_its_commit_is_completed_not_counted_twice(make_service) -> None:
    svc = make_service()
    src = write(svc.inbox / "山东省" / "r.txt", report_text(21))
    out = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_THEN_RESCANNED, str(svc.inbox), str(src)],
        cwd=ROOT,
        env=svc.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert out.stdout.strip() == "False", out.stderr
    (doc,) = svc.documents()
    with svc.session() as s:
        assert list(s.exec(select(DuplicateDrop))) == []
    assert doc.duplicates == 0
    assert not src.exists()
    assert doc.inbox_path == str(svc.inbox / "processed" / "山东省" / "r.txt")
    assert (svc.inbox / "processed" / "山东省" / "r.txt").exists()
    assert isinstance(doc, Document) and doc.enqueued_at is not None
