"""Browser uploads, streamed straight into the inbox folder the watcher reads.

Nothing of the body is read before the session is known (the route's dependency) and nothing of a file
is written before the form's CSRF token has been checked: the token comes first in the form (the
browser sends fields in page order) or in the X-CSRF-Token header. Each file goes to its own dot-named
temp file in the user's inbox folder (a name the watcher skips), capped at the per-file limit, and is
renamed to its final name only when the whole request arrived; on any failure every temp file of the
request is removed. Names are cleaned into one the watcher takes (worker.watcher.skipped_name), so every
accepted upload becomes a document or a visible error, never a file silently left in the inbox.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from fastapi import HTTPException, Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from ingest.i18n import _
from models.tables import User
from web.security import CSRF_FIELD, CSRF_HEADER, USERNAME, csrf_matches
from web.settings import web_settings

NAME_BYTES = 150  # room under the usual 255-byte limit for " (12)" and intake's ".reason.txt"
FIELD_BYTES = 4096
TEMP_PREFIX, TEMP_SUFFIX = ".upload-", ".part"
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}$")
_FORBIDDEN = set('<>:"/\\|?*')


def inside(root: Path, path: Path) -> Path:
    """`path` resolved, refused unless it stays inside `root` (a name must never walk out of its folder)."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise HTTPException(400, _("a name led outside its folder"))
    return resolved


def user_inbox(inbox: Path, user: User) -> Path:
    """`<inbox>/web/<user>`; an account made before names were checked gets `user-<id>` instead."""
    root = inbox / "web"
    folder = user.username if USERNAME.fullmatch(user.username) else f"user-{user.id}"
    path = inside(root, root / folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _shorten(text: str, limit: int) -> str:
    while len(text.encode()) > limit:
        text = text[:-1]
    return text


def upload_name(raw: str) -> str:
    """A browser's file name made into one the inbox takes: the last path part (either slash), printable
    characters only, within NAME_BYTES, and never a name the watcher skips (dot-files, *.part, ~$...)."""
    from worker.watcher import skipped_name

    name = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(c for c in name if c.isprintable() and c not in _FORBIDDEN).strip(" .")
    suffix = _SUFFIX.search(name)
    ext = suffix.group(0) if suffix else ""
    stem = _shorten(name[: len(name) - len(ext)].strip(), NAME_BYTES - len(ext)) or "upload"
    name = stem + ext
    if skipped_name(name):
        name = "upload-" + name.lstrip(".")
    if skipped_name(name):  # *.part, *.tmp, *.reason.txt...: keep the name readable, change the ending
        name += ".upload"
    return name


def free_name(folder: Path, name: str) -> Path:
    dest, n = folder / name, 1
    while dest.exists():
        dest, n = folder / f"{Path(name).stem} ({n}){Path(name).suffix}", n + 1
    return inside(folder, dest)


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)
    out: IO[bytes] | None = None
    temp: Path | None = None
    size: int = 0


class _Receiver:
    """Callbacks of the streaming multipart parser: fields kept (small), files written as they come."""

    def __init__(self, request: Request, folder: Path) -> None:
        self.request, self.folder = request, folder
        self.csrf_ok = csrf_matches(request, request.headers.get(CSRF_HEADER))
        self.limit = web_settings().max_upload_bytes
        self.headers: dict[bytes, bytes] = {}
        self.header = (bytearray(), bytearray())
        self.part = _Part()
        self.files: list[tuple[Path, str]] = []  # (temp file, cleaned name), complete

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self.begin,
            "on_header_field": self.header_field,
            "on_header_value": self.header_value,
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.data,
            "on_part_end": self.end,
        }

    def begin(self) -> None:
        self.headers, self.part = {}, _Part()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.header[0].extend(data[start:end])

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self.header[1].extend(data[start:end])

    def header_end(self) -> None:
        self.headers[bytes(self.header[0]).lower()] = bytes(self.header[1]).strip()
        self.header = (bytearray(), bytearray())

    def headers_finished(self) -> None:
        _disposition, options = parse_options_header(self.headers.get(b"content-disposition"))
        self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if filename is None:
            return
        if not self.csrf_ok:  # a file before a valid token: refused before a byte of it is written
            raise HTTPException(403, _("missing or wrong CSRF token"))
        self.part.filename = filename.decode("utf-8", "replace")
        if self.part.filename:  # an empty file input sends a part with an empty name: nothing to save
            fd, temp = tempfile.mkstemp(dir=self.folder, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
            self.part.out, self.part.temp = os.fdopen(fd, "wb"), Path(temp)

    def data(self, data: bytes, start: int, end: int) -> None:
        part, chunk = self.part, data[start:end]
        part.size += len(chunk)
        if part.out is not None:
            if part.size > self.limit:
                raise HTTPException(
                    413, _("a file may have at most {mb} MB").format(mb=self.limit // (1 << 20))
                )
            part.out.write(chunk)
        elif part.filename is None:
            if part.size > FIELD_BYTES:
                raise HTTPException(413, _("form field too long"))
            part.data.extend(chunk)

    def end(self) -> None:
        part = self.part
        if part.out is not None and part.temp is not None:
            part.out.close()
            part.out = None
            self.files.append((part.temp, upload_name(part.filename or "")))
        elif part.filename is None and part.name == CSRF_FIELD:
            self.csrf_ok = self.csrf_ok or csrf_matches(self.request, part.data.decode("utf-8", "replace"))

    def discard(self) -> None:
        if self.part.out is not None:
            self.part.out.close()
        for temp in [t for t, _name in self.files] + ([self.part.temp] if self.part.temp else []):
            temp.unlink(missing_ok=True)


async def receive_uploads(request: Request, folder: Path) -> list[str]:
    """Stream the request's files into `folder`; their final names (nothing is left behind on failure)."""
    kind, params = parse_options_header(request.headers.get("content-type"))
    if kind != b"multipart/form-data" or not params.get(b"boundary"):
        raise HTTPException(400, _("an upload is multipart/form-data"))
    receiver = _Receiver(request, folder)
    parser = MultipartParser(params[b"boundary"], callbacks=receiver.callbacks())  # type: ignore[arg-type]
    try:
        try:
            async for chunk in request.stream():
                parser.write(chunk)
            parser.finalize()
        except FormParserError as exc:
            raise HTTPException(400, _("malformed upload")) from exc
        if not receiver.csrf_ok:
            raise HTTPException(403, _("missing or wrong CSRF token"))
        saved = []
        for temp, name in receiver.files:
            dest = free_name(folder, name)
            os.replace(temp, dest)
            saved.append(dest.name)
        return saved
    except BaseException:
        receiver.discard()
        raise
