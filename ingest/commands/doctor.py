"""`ingest doctor`: is everything the service needs installed and reachable? Exit code 3 (ExitCode.MISSING_DEPENDENCY) when not."""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from dataclasses import dataclass

from ingest.commands import add_command
from ingest.errors import ExitCode
from ingest.external import run_tool
from ingest.i18n import _


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str
    required: bool = True


def _run(cmd: list[str]) -> str:
    out = run_tool(cmd, timeout=30)
    return (out.stdout + out.stderr).strip()


def check_tesseract() -> list[Check]:
    fix = "apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra"
    if not shutil.which("tesseract"):
        return [Check("tesseract", False, "not found on PATH", fix)]
    version = _run(["tesseract", "--version"]).splitlines()[0]
    langs = set(_run(["tesseract", "--list-langs"]).splitlines()[1:])
    checks = [Check("tesseract", True, version, "")]
    for lang, pkg in (
        ("chi_sim", "tesseract-ocr-chi-sim"),
        ("chi_tra", "tesseract-ocr-chi-tra"),
        ("eng", "tesseract-ocr-eng"),
    ):
        checks.append(
            Check(
                f"tesseract {lang}",
                lang in langs,
                "installed" if lang in langs else "missing",
                f"apt-get install {pkg}",
            )
        )
    return [*checks, check_inprocess_ocr()]


def check_inprocess_ocr() -> Check:
    """The OCR route reads cells through tesserocr (in process), which needs the language data path."""
    try:
        from ingest.ocr.engine import engines

        engines().api("eng", 7)
        from ingest.ocr.engine import tessdata_dir

        return Check("tesserocr (in-process OCR)", True, f"tessdata {tessdata_dir()}", "")
    except Exception as exc:
        return Check(
            "tesserocr (in-process OCR)",
            False,
            f"{type(exc).__name__}: {exc}"[:200],
            "pip install -e . (tesserocr wheel); set INGEST_TESSDATA to the tessdata folder",
        )


def check_tool(name: str, binary: str, fix: str) -> Check:
    path = shutil.which(binary)
    return Check(name, bool(path), path or "not found on PATH", fix)


def check_database() -> Check:
    from sqlalchemy import text

    from models.db import database_url, make_engine

    url = database_url()
    shown = url.split("@")[-1] if "@" in url else url
    try:
        engine = make_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return Check("database", True, shown, "")
    except Exception as exc:
        return Check(
            "database",
            False,
            f"{shown}: {type(exc).__name__}: {exc}"[:200],
            "start PostgreSQL or fix DATABASE_URL (unset: SQLite under INGEST_DATA_DIR)",
        )


def check_broker() -> Check:
    from worker.settings import get_settings

    url = get_settings().broker_url
    shown = url.split("@")[-1] if "@" in url else url
    try:
        from kombu import Connection

        with Connection(url, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
        return Check("broker", True, shown, "")
    except Exception as exc:
        return Check(
            "broker",
            False,
            f"{shown}: {type(exc).__name__}: {exc}"[:200],
            "start Redis or fix CELERY_BROKER_URL/REDIS_URL (unset: embedded SQLite queue)",
        )


def all_checks() -> list[Check]:
    probes: list[Callable[[], list[Check]]] = [
        check_tesseract,
        lambda: [check_tool("poppler (pdftoppm)", "pdftoppm", "apt-get install poppler-utils")],
        lambda: [check_tool("LibreOffice (soffice)", "soffice", "apt-get install libreoffice-writer-nogui")],
        lambda: [check_database()],
        lambda: [check_broker()],
    ]
    return [c for probe in probes for c in probe()]


def run(_args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    checks = all_checks()
    table = Table(title="ingest doctor")
    for col in ("check", "status", "detail", "how to fix"):
        table.add_column(col)
    for c in checks:
        status = "[green]ok" if c.ok else ("[red]MISSING" if c.required else "[yellow]missing")
        table.add_row(c.name, status, c.detail, "" if c.ok else c.fix)
    Console().print(table)
    missing = [c.name for c in checks if c.required and not c.ok]
    if missing:
        Console().print(f"[red]missing: {', '.join(missing)}")
    return ExitCode.MISSING_DEPENDENCY if missing else ExitCode.OK


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = add_command(subparsers, "doctor", _("check tools, languages, broker and database"), "ingest doctor")
    p.set_defaults(func=run)
