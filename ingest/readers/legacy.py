"""Legacy Word files (.doc, .wps, RTF): converted to DOCX by LibreOffice, then read by the DOCX reader.

Each conversion runs in its own temporary directory with its own LibreOffice profile: two soffice
processes sharing a profile block each other (the second exits at once having done nothing), and the
workers convert in parallel. A conversion that hangs is killed with its whole process group.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ingest.detect import is_legacy_word
from ingest.document import SourceDocument
from ingest.errors import ConverterMissing, CorruptFile
from ingest.external import run_tool
from ingest.readers import Format, Limits, reader
from ingest.readers import docx as docx_reader

CONVERT_TIMEOUT_SECONDS = 120
SOFFICE_NAMES = ("soffice", "libreoffice")
RTF_MAGIC = b"{\\rtf"


@reader(Format.DOC, sniff=lambda s: is_legacy_word(s.head), order=30)
def read(path: Path, limits: Limits) -> SourceDocument:
    path = Path(path)
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise limits.file_too_big(path.name, size)
    soffice = _soffice()
    with tempfile.TemporaryDirectory(prefix="ingest-lo-") as tmp:
        work = Path(tmp)
        converted = convert_to_docx(soffice, path, work)
        doc = docx_reader.read(converted, limits)
    doc.path = str(path)
    doc.format = "doc"
    doc.info.update({"converter": "libreoffice", "converted_to": "docx"})
    return doc


def _soffice() -> str:
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ConverterMissing("LibreOffice is needed to read .doc/.wps files; install libreoffice-writer-nogui")


def convert_to_docx(soffice: str, source: Path, work: Path) -> Path:
    """Convert `source` into `work`; returns the DOCX path or raises a typed error."""
    # A private copy under a plain name: the original name may hold characters soffice mishandles, and
    # its extension may lie (LibreOffice goes by content for OLE2, but RTF needs the .rtf hint).
    suffix = ".rtf" if source.read_bytes()[:16].lstrip().startswith(RTF_MAGIC) else ".doc"
    staged = work / f"input{suffix}"
    shutil.copyfile(source, staged)
    outdir = work / "out"
    command = [
        soffice,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "docx",
        "--outdir",
        str(outdir),
        str(staged),
    ]
    # A private HOME as well: soffice still touches ~/.config, which a worker may not be able to write.
    stderr = run_tool(
        command,
        timeout=CONVERT_TIMEOUT_SECONDS,
        what=f"{source.name}: LibreOffice conversion",
        env={"HOME": str(work)},
    ).stderr
    result = outdir / "input.docx"
    if not result.exists() or result.stat().st_size == 0:
        raise CorruptFile(
            f"{source.name}: LibreOffice could not convert it to DOCX (damaged file, or not a "
            f"text document — e.g. a WPS/Excel spreadsheet). {stderr.strip()[-300:]}"
        )
    return result
