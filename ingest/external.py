"""External programs (LibreOffice, poppler, Tesseract's CLI) through one wrapper, as OCRmyPDF's
`subprocess/` does: a time-out that kills the program's whole process group (soffice forks soffice.bin),
and typed errors a person can act on: not installed → `ConverterMissing`, too slow → `Timeout`,
a non-zero exit with `check` → `ToolFailed` carrying the end of its stderr."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

from ingest.errors import ConverterMissing, Timeout

INSTALL_HINTS = {
    "soffice": "apt-get install libreoffice-writer-nogui",
    "pdftoppm": "apt-get install poppler-utils",
    "pdfimages": "apt-get install poppler-utils",
    "tesseract": "apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra",
}


class ToolFailed(RuntimeError):
    """The program ran and exited non-zero; the caller decides what that means for the file."""

    def __init__(self, program: str, returncode: int, stderr: str) -> None:
        super().__init__(f"{program} exited with {returncode}: {stderr.strip()[-300:]}")
        self.program, self.returncode, self.stderr = program, returncode, stderr


@dataclass(frozen=True, slots=True)
class ToolOutput:
    returncode: int
    stdout: str
    stderr: str


def run_tool(
    command: list[str],
    *,
    timeout: float,
    check: bool = False,
    what: str = "",
    env: Mapping[str, str] | None = None,
) -> ToolOutput:
    """Run `command` to completion within `timeout` seconds. `what` names the file or job in errors."""
    program = command[0]
    if shutil.which(program) is None:
        hint = INSTALL_HINTS.get(program, "install it")
        raise ConverterMissing(f"{what + ': ' if what else ''}{program} is not installed ({hint})")
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, **env} if env else None,
    ) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise Timeout(
                f"{what + ': ' if what else ''}{program} took over {timeout:g} s and was stopped"
            ) from None
    out = ToolOutput(proc.returncode, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"))
    if check and out.returncode != 0:
        raise ToolFailed(program, out.returncode, out.stderr)
    return out


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended by itself just now
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
