"""Work in progress is visible and a dead worker's document comes back within a minute (the heartbeat on
the lease), not after the hard time limit; stuck work raises an alarm in `ingest status` and the
dashboard."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import col

from models.tables import FINAL_STATUSES, PROCESSING, Document, utcnow
from tests.service.conftest import ROOT, Service, wait_until
from tests.service.test_faults import pool_children, reports_per_document

pytestmark = pytest.mark.services

REAL_PDF = ROOT / "tests" / "fixtures" / "real" / "hzq2023_working.pdf"


def scanned_pdf(out: Path, pages: int = 3) -> Path:
    """A real report's first pages as page images only: the OCR route reads it (seconds per page)."""
    from PIL import Image

    renders = out.parent / "renders"
    renders.mkdir()
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-png", "-l", str(pages), str(REAL_PDF), str(renders / "p")],
        check=True,
        timeout=120,
    )
    images = [Image.open(p).convert("L") for p in sorted(renders.glob("p-*.png"))]
    path = out / "扫描件.pdf"
    images[0].save(path, save_all=True, append_images=images[1:], resolution=150)
    return path


def test_sigkill_of_worker_main_process_mid_ocr_is_reclaimed_within_a_minute(
    make_service, tmp_path: Path
) -> None:
    # Service defaults for the heartbeat (10 s) and the reconciler (15 s): what an office install gets.
    svc = make_service(INGEST_RECONCILE_SECONDS="15")
    worker = svc.worker(concurrency=1)
    (tmp_path / "in").mkdir()
    scanned_pdf(tmp_path / "in")
    assert svc.command("import", "--no-wait", str(tmp_path / "in")).returncode == 0
    wait_until(lambda: svc.documents()[0].status == PROCESSING, 60, what="OCR started")
    (doc,) = svc.documents()
    assert doc.queue == "ocr" and doc.worker and doc.worker.startswith("worker-")
    shown = svc.command("status")
    assert "In progress" in shown.stdout and doc.original_name in shown.stdout, shown.stdout
    assert doc.worker.split("@")[0] in shown.stdout

    time.sleep(4)  # well into the OCR of the first page
    (celery_main,) = pool_children(worker.pid)  # `ingest worker` supervises the Celery main process
    (child,) = pool_children(celery_main)
    killed_at = time.monotonic()
    os.kill(celery_main, signal.SIGKILL)
    wait_until(
        lambda: (
            not Path(f"/proc/{child}").exists() or b"zombie" in Path(f"/proc/{child}/status").read_bytes()
        ),
        10,
        what="the pool child to die with its main process",
    )
    # Meanwhile the document is still shown as in progress (its lease has not run out yet).
    after_kill = svc.command("status")
    assert doc.original_name in after_kill.stdout, after_kill.stdout

    wait_until(lambda: svc.documents()[0].attempts == 2, 60, step=0.5, what="document re-claimed")
    reclaimed_after = time.monotonic() - killed_at
    wait_until(
        lambda: svc.documents()[0].status in FINAL_STATUSES,
        90 - reclaimed_after,
        step=0.5,
        what="document final within 90 s of the kill",
    )
    final_after = time.monotonic() - killed_at
    print(f"\nre-claimed {reclaimed_after:.1f} s after the SIGKILL, final after {final_after:.1f} s")
    doc = svc.documents()[0]
    assert reclaimed_after < 60
    assert doc.attempts == 2 and doc.status != "failed", doc.reason
    assert reports_per_document(svc) == {doc.id: 1}
    assert svc.command("status").returncode == 0  # nothing stuck any more


def _stuck_document(svc: Service, tmp_path: Path) -> int:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("政府信息公开工作年度报告\n", encoding="utf-8")
    assert svc.command("import", "--no-wait", str(tmp_path / "in")).returncode == 0
    (doc,) = svc.documents()
    with svc.session() as s:  # what a worker killed with its reconciler leaves behind
        s.execute(
            update(Document)
            .where(col(Document.id) == doc.id)
            .values(
                status=PROCESSING,
                task_id="dead-task",
                worker="ocr-1@office pid 4242",
                started_at=utcnow() - timedelta(minutes=5),
                lease_until=utcnow() - timedelta(seconds=20),
            )
        )
        s.commit()
    assert doc.id is not None
    return doc.id


def test_stuck_work_raises_an_alarm_in_status_and_dashboard(make_service, tmp_path: Path) -> None:
    svc = make_service()
    _stuck_document(svc, tmp_path)
    english = svc.command("status")
    assert english.returncode == 1  # for monitoring: stuck work is an error
    assert "ALARM: 1 document(s) stuck" in english.stdout and "ocr-1@office pid 4242" in english.stdout
    assert "5 min" in english.stdout and "(stuck)" in english.stdout
    chinese = svc.command("status", lang="zh_CN")
    assert "警报" in chinese.stdout and "处理中" in chinese.stdout, chinese.stdout

    from web.render import templates
    from worker.progress import dashboard_view

    with svc.session() as s:
        html = templates.get_template("_in_progress.html").render(wip=dashboard_view(s))
    assert 'role="alert"' in html and "ocr-1@office pid 4242" in html and 'class="stuck"' in html
