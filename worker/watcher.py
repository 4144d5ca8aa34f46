"""The inbox watcher: takes each file once it is complete, and runs the reconciler.

Native events (inotify) where they work; a PollingObserver on network shares (SMB/NFS/sshfs send no
events for writes made by other machines). Events only make a file a *candidate*: it is taken when its
size and mtime have stayed the same for INGEST_SETTLE_SECONDS, so half-copied files, slow writers and
`x.part` → `x.pdf` renames are all handled the same way. A periodic full rescan catches anything an
event queue overflow dropped, and the start-up scan takes files that arrived while we were down.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from worker.inbox import FAILED, PROCESSED, skipped_name
from worker.intake import intake_file
from worker.reconcile import safe_reconcile
from worker.settings import Settings, get_settings

log = logging.getLogger("ingest.watch")

NETWORK_FS = {
    "cifs",
    "smb3",
    "smbfs",
    "nfs",
    "nfs4",
    "fuse.sshfs",
    "sshfs",
    "9p",
    "fuse.rclone",
    "fuse.s3fs",
    "afpfs",
    "davfs",
    "fuse.davfs2",
    "glusterfs",
    "ceph",
    "fuse.ceph",
}


def mount_fstype(path: Path, mounts_file: Path = Path("/proc/mounts")) -> str:
    """The filesystem type of the mount holding `path` (longest matching mount point)."""
    path = path.resolve()
    best, fstype = "", "unknown"
    try:
        lines = mounts_file.read_text().splitlines()
    except OSError:
        return fstype
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        if (path == Path(point) or Path(point) in path.parents) and len(point) > len(best):
            best, fstype = point, parts[2]
    return fstype


def choose_mode(settings: Settings) -> tuple[str, str]:
    """(events|poll, why)."""
    if settings.watch_mode in ("events", "poll"):
        return settings.watch_mode, f"INGEST_WATCH_MODE={settings.watch_mode}"
    fstype = mount_fstype(settings.inbox)
    if fstype in NETWORK_FS:
        return "poll", f"inbox is on a network filesystem ({fstype})"
    return "events", f"inbox is on a local filesystem ({fstype})"


@dataclass(slots=True)
class _Seen:
    size: int
    mtime: float
    stable_since: float


class Inbox(FileSystemEventHandler):
    """Candidates from events and scans; `take_settled` hands complete files to intake."""

    def __init__(self, settings: Settings) -> None:
        self.s = settings
        self.pending: dict[Path, _Seen | None] = {}
        self.lock = threading.Lock()

    def ignored(self, path: Path) -> bool:
        try:
            rel = path.relative_to(self.s.inbox)
        except ValueError:
            return True
        return rel.parts[:1] in ((PROCESSED,), (FAILED,)) or any(skipped_name(p) for p in rel.parts)

    def add(self, path: Path) -> None:
        if not self.ignored(path):
            with self.lock:
                self.pending.setdefault(path, None)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            if event.event_type in ("created", "moved"):  # a folder moved in at once: scan it
                self.scan(Path(os.fsdecode(getattr(event, "dest_path", "") or event.src_path)))
            return
        for attr in ("dest_path", "src_path"):
            raw = getattr(event, attr, "")
            if raw and event.event_type != "deleted":
                self.add(Path(os.fsdecode(raw)))

    def scan(self, root: Path | None = None) -> None:
        for dirpath, dirnames, filenames in os.walk(root or self.s.inbox):
            base = Path(dirpath)
            if base == self.s.inbox:
                dirnames[:] = [d for d in dirnames if d not in (PROCESSED, FAILED)]
            for name in filenames:
                self.add(base / name)

    def settled(self, now: float) -> list[Path]:
        """Files whose size and mtime have not changed for the settling delay."""
        ready: list[Path] = []
        with self.lock:
            for path, seen in list(self.pending.items()):
                try:
                    st = path.stat()
                except FileNotFoundError:
                    del self.pending[path]  # renamed away (x.part → x.pdf) or taken by someone
                    continue
                if seen is None or (st.st_size, st.st_mtime) != (seen.size, seen.mtime):
                    self.pending[path] = _Seen(st.st_size, st.st_mtime, now)
                elif now - seen.stable_since >= self.s.settle_seconds:
                    ready.append(path)
                    del self.pending[path]
        return ready


def _take(path: Path, settings: Settings) -> None:
    try:
        intake_file(path, settings.inbox, move=True, settings=settings)
    except Exception:  # the DB is down, say: leave the file in the inbox; the next rescan retries it
        log.exception("intake failed for %s; will retry", path)


def make_observer(mode: str, settings: Settings) -> BaseObserver:
    return PollingObserver(timeout=settings.poll_seconds) if mode == "poll" else Observer()


def watch(settings: Settings | None = None, stop: threading.Event | None = None) -> None:
    """Run until `stop` is set (or forever)."""
    s = settings or get_settings()
    stop = stop or threading.Event()
    s.inbox.mkdir(parents=True, exist_ok=True)
    mode, why = choose_mode(s)
    log.info(
        "watching %s with %s (%s); settle %.1fs",
        s.inbox,
        "polling" if mode == "poll" else "native events",
        why,
        s.settle_seconds,
    )
    inbox = Inbox(s)
    observer = make_observer(mode, s)
    observer.schedule(inbox, str(s.inbox), recursive=True)
    observer.start()
    inbox.scan()
    last_scan = last_reconcile = time.monotonic()
    try:
        while not stop.is_set():
            now = time.monotonic()
            for path in inbox.settled(now):
                _take(path, s)
            if now - last_scan >= s.rescan_seconds:
                inbox.scan()
                last_scan = now
            if now - last_reconcile >= s.reconcile_seconds:
                safe_reconcile()
                last_reconcile = now
            stop.wait(min(0.5, s.settle_seconds / 2 or 0.5))
    finally:
        observer.stop()
        observer.join(timeout=5)
