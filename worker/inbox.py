"""The inbox's folders: originals move to processed/ once stored and to failed/ (with `<name>.reason.txt`)
when they fail; a retried success goes back. An original is never overwritten or deleted."""

from __future__ import annotations

import fnmatch
import shutil
from pathlib import Path

PROCESSED = "processed"
FAILED = "failed"

# Names in the inbox (or an imported folder) that are never documents: lock files, partial downloads and OS
# litter. Here, not in the watcher, so that `ingest import` and the web app need not load watchdog.
SKIP_PATTERNS = (
    "~$*",
    "*.part",
    "*.crdownload",
    ".~lock*",
    "Thumbs.db",
    ".DS_Store",
    "*.tmp",
    ".*",
    "*.reason.txt",
    "desktop.ini",
    "*.partial",
    "*.download",
)


def skipped_name(name: str) -> bool:
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(name.lower(), p.lower()) for p in SKIP_PATTERNS)


def free_path(dest: Path) -> Path:
    """`dest`, or `name (2).ext`, `name (3).ext`... when taken: an original is never overwritten."""
    candidate, n = dest, 1
    while candidate.exists() or candidate.with_name(candidate.name + ".reason.txt").exists():
        n += 1
        candidate = dest.with_name(f"{dest.stem} ({n}){dest.suffix}")
    return candidate


def move_original(src: Path, dest: Path) -> Path:
    dest = free_path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(src, dest)
    return dest


def write_reason(path: Path, reason: str) -> None:
    path.with_name(path.name + ".reason.txt").write_text(reason.rstrip() + "\n", encoding="utf-8")


def move_to_failed(inbox: Path, current: Path, reason: str) -> Path | None:
    """Move an original from inbox/processed/ to inbox/failed/ (same sub-folders) with its reason file.
    Files outside inbox/processed/ (bulk imports) are left where they are."""
    processed = inbox / PROCESSED
    if current.is_relative_to(inbox / FAILED) and current.exists():
        write_reason(current, reason)  # failed again after a retry: the reason file tells the latest cause
        return None
    if not current.is_relative_to(processed) or not current.exists():
        return None
    dest = move_original(current, inbox / FAILED / current.relative_to(processed))
    write_reason(dest, reason)
    return dest


def move_to_processed(inbox: Path, current: Path) -> Path | None:
    """A retried document that now succeeded: its original goes back from inbox/failed/ to
    inbox/processed/ (same sub-folders), where successful files live, and the reason file beside it,
    which no longer holds, is removed (it is ours, not an original). Other files are left alone."""
    failed = inbox / FAILED
    if not current.is_relative_to(failed) or not current.exists():
        return None
    reason = current.with_name(current.name + ".reason.txt")
    dest = move_original(current, inbox / PROCESSED / current.relative_to(failed))
    reason.unlink(missing_ok=True)
    return dest
