"""Named links for the reader: a task reads a stored file (named by its hash) through a symbolic link
that carries the original's name, made in one folder per process."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_LINK_DIRS: dict[int, Path] = {}


def _link_dir() -> Path:
    """This process's folder for named links (a task runs one file at a time per process): made once per
    process (keyed by pid, so a forked child never shares its parent's), instead of a temporary folder
    made and removed for every file, and in memory (/dev/shm) where there is one: on a disk's file
    system, creating and removing a link waits behind other processes' fsyncs (5 ms a file on the
    loaded development VM, for 0.6 ms of CPU)."""
    pid = os.getpid()
    if pid not in _LINK_DIRS:
        shm = Path("/dev/shm")
        where = shm if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else Path(tempfile.gettempdir())
        _sweep_link_dirs(where)
        _LINK_DIRS[pid] = Path(tempfile.mkdtemp(prefix=f"ingest-{pid}-", dir=where))
        atexit.register(remove_link_dir)
    return _LINK_DIRS[pid]


def _sweep_link_dirs(where: Path) -> None:
    """Remove the link folders of processes that are gone (killed, so they could not remove their own)."""
    for folder in where.glob("ingest-*-*"):
        pid = folder.name.split("-")[1]
        if not pid.isdigit() or Path(f"/proc/{pid}").exists():
            continue
        shutil.rmtree(folder, ignore_errors=True)


def remove_link_dir() -> None:
    """At a process's end (pool children end without running atexit: see celery_app)."""
    path = _LINK_DIRS.pop(os.getpid(), None)
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def named_link(target: Path, name: str) -> Iterator[Path]:
    """A symbolic link called `name` to `target`, for the duration of the block."""
    link = _link_dir() / name
    link.unlink(missing_ok=True)  # left by a task that was stopped mid-file (soft time limit)
    link.symlink_to(target)
    try:
        yield link
    finally:
        link.unlink(missing_ok=True)
