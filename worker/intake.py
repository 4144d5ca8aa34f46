"""Intake: a complete file in the inbox (or a bulk-import folder) becomes a stored Document.

Order matters, so that a crash at any point loses nothing:
  1. copy the bytes into the content-addressed store (hashing as we copy), fsync, rename into place;
  2. create the Document row (or, for content already stored, a DuplicateDrop row) and commit;
  3. move the inbox file to inbox/processed/ (same sub-folders); originals are never deleted or changed;
  4. put the document id on the queue — if the broker is down, the watcher's reconciler sends it later.
A file we cannot even read goes to inbox/failed/ with `<name>.reason.txt` beside it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models.db import session_scope
from models.tables import Document, DuplicateDrop, utcnow
from worker.inbox import FAILED, PROCESSED, free_path, move_original, write_reason
from worker.queue import send
from worker.settings import Settings, get_settings
from worker.stages import Stages

log = logging.getLogger("ingest.intake")

CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Intake:
    document_id: int
    sha256: str
    duplicate: bool
    queue: str


# ---------------------------------------------------------------- the content-addressed store


def store_path_for(store: Path, sha256: str) -> Path:
    return store / sha256[:2] / sha256[2:4] / sha256


def copy_into_store(src: Path, store: Path) -> tuple[str, int, Path]:
    """Copy `src` into the store under its SHA-256, reading it once. Returns (sha256, size, path)."""
    store.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp_name = tempfile.mkstemp(dir=store, prefix=".incoming-")
    tmp = Path(tmp_name)
    try:
        with src.open("rb") as fh, os.fdopen(fd, "wb") as out:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        dest = store_path_for(store, sha)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            tmp.unlink()
        else:
            os.replace(tmp, dest)
            dest.chmod(0o444)  # the stored original is read-only: nothing may change it
        return sha, size, dest
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- folder hints

REGION = re.compile(r".+(省|自治区|特别行政区|市|地区|自治州|州|盟|区|县|自治县|旗|镇|乡|街道)$")
YEAR = re.compile(r"^((?:19|20)\d{2})年?(?:度)?$")
AGENCY = re.compile(r".+(局|厅|委员会|委|办公室|办|政府|院|中心|部|署|会|所|站|队)$")


def folder_hints(relative: Path) -> tuple[str | None, int | None, str | None]:
    """(region, year, agency) read from the folders above a file, e.g. 山东省/聊城市/2020/."""
    regions: list[str] = []
    year: int | None = None
    agency: str | None = None
    for part in relative.parent.parts:
        if m := YEAR.match(part):
            year = int(m.group(1))
        elif AGENCY.match(part) and not part.endswith(("市", "区", "县")):
            agency = part
        elif REGION.match(part):
            regions.append(part)
    return ("/".join(regions) or None), year, agency


# ---------------------------------------------------------------- routing


def route(path: Path) -> str:
    """Queue for a stored file, as its reader says: images, and PDFs with any page lacking a usable text
    layer (a scanned page in a text PDF is read by OCR inside the same record), go to `ocr`; everything
    else to `native`."""
    try:
        from ingest.detect import detect_format
        from ingest.readers import spec_for

        return "ocr" if spec_for(detect_format(path)).needs_ocr(path) else "native"
    except Exception:  # a file we cannot probe still goes through extract(), which records why
        return "native"


# ---------------------------------------------------------------- intake


def _record(sha: str, size: int, stored: Path, src: Path, final: Path, rel: Path, stages: Stages) -> Intake:
    """Create the Document, or record a duplicate drop of an existing one. Commits."""
    region, year, agency = folder_hints(rel)
    queue = route(stored)
    stages.mark("route")
    try:
        with session_scope() as session:
            doc = Document(
                original_name=src.name,
                inbox_path=str(final),
                sha256=sha,
                size=size,
                store_path=str(stored),
                queue=queue,
                hint_region=region,
                hint_year=year,
                hint_agency=agency,
                enqueued_at=utcnow(),  # marked sent with its creation: see worker.queue.send
            )
            session.add(doc)
            session.flush()
            assert doc.id is not None
            intake = Intake(doc.id, sha, False, queue)
        stages.mark("record")
        return intake
    except IntegrityError:
        pass  # same content stored before (or by a concurrent intake): a visible duplicate
    with session_scope() as session:
        doc = session.exec(select(Document).where(Document.sha256 == sha).with_for_update()).one()
        assert doc.id is not None
        if _interrupted_intake_of(doc, src, final):
            log.warning(
                "intake of %s: document %s was recorded before, its answer lost; completing it", src, doc.id
            )
            return Intake(doc.id, sha, False, doc.queue)
        session.add(DuplicateDrop(document_id=doc.id, original_name=src.name, inbox_path=str(final)))
        doc.duplicates += 1
        session.add(doc)
        return Intake(doc.id, sha, True, doc.queue)


def _interrupted_intake_of(doc: Document, src: Path, final: Path) -> bool:
    """Whether `doc` is this very file's own earlier intake, cut off after its commit reached the database
    and before its answer came back (a connection dropped at COMMIT): recorded under this name, to be moved
    to the place this intake would move it to, and that place still empty (the move never happened). Such
    an intake is completed — moved and sent — not recorded as a duplicate of itself, which would leave the
    document unsent until a reconciler's re-send and show a drop that never happened."""
    return doc.original_name == src.name and doc.inbox_path == str(final) and not final.exists()


def intake_file(src: Path, root: Path, move: bool = True, settings: Settings | None = None) -> Intake | None:
    """Take one complete file. `root` is the inbox (or import folder) it sits under; `move=False` (bulk
    import) leaves the original in place. Returns None when the file could not be read at all."""
    settings = settings or get_settings()
    stages = Stages("intake")
    rel = src.relative_to(root)
    try:
        sha, size, stored = copy_into_store(src, settings.store)
        stages.mark("copy")
    except OSError as exc:
        reason = f"unreadable: could not read the file ({type(exc).__name__}: {exc})"
        log.error("intake %s: %s", src, reason)
        if move and src.exists():
            write_reason(move_original(src, root / FAILED / rel), reason)
        return None
    final = free_path(root / PROCESSED / rel) if move else src
    result = _record(sha, size, stored, src, final, rel, stages)
    stages.doc(result.document_id)
    if move:
        final = move_original(src, final)
        if result.duplicate:
            log.info("duplicate of document %s: %s", result.document_id, src)
        stages.mark("move")
    if not result.duplicate:
        send(result.document_id, result.queue, stages)
    stages.write()
    return result
