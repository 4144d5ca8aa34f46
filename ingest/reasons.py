"""Failure reasons in words. A failed document's `reason` is `<code>: <detail>`; the code is stable (the
record's `error.code`), the detail names the file's own facts and, for a limit, the setting that set it
(e.g. `INGEST_MAX_PAGES=200`). People see the code as a sentence in their language, the detail beside it."""

from __future__ import annotations

from ingest.errors import ErrorCode
from ingest.i18n import _


def code_titles() -> dict[str, str]:
    """Built per call: the words follow the current language."""
    return {
        ErrorCode.EMPTY_FILE: _("the file is empty"),
        ErrorCode.NO_CONTENT: _("the document has no content: its pages are blank"),
        ErrorCode.UNSUPPORTED_FORMAT: _(
            "not a format the service reads (PDF, Word, WPS, HTML, text, images)"
        ),
        ErrorCode.CORRUPT_FILE: _("the file is damaged: it does not open as the format it claims"),
        ErrorCode.ENCRYPTED_FILE: _("the file is password-protected"),
        ErrorCode.TOO_LARGE: _("the file is over a size limit of the service"),
        ErrorCode.CONVERTER_MISSING: _("a conversion tool this format needs is not installed on the server"),
        ErrorCode.NEEDS_OCR: _("pages without a text layer, and text recognition (OCR) is not available"),
        ErrorCode.TIMEOUT: _("reading the file took longer than the time limit"),
        ErrorCode.NOT_A_REPORT: _(
            "the file reads, but is not a government information disclosure annual report"
        ),
        ErrorCode.IO_ERROR: _("the file could not be read from the disk"),
        ErrorCode.INTERNAL_ERROR: _("the program failed on this file (a fault to report to the developers)"),
        ErrorCode.WORKER_CRASHED: _(
            "the worker stopped on this file several times (killed, out of memory or too slow)"
        ),
        ErrorCode.NOT_FOUND: _("no such file"),
        # `ingest import`'s own outcome for a path, before any document exists
        "unreadable": _("the file could not be read"),
    }


def split_reason(reason: str | None) -> tuple[str, str]:
    """'too_large: x.pdf has …' → ('too_large', 'x.pdf has …')."""
    code, _sep, detail = (reason or "").partition(": ")
    return (code, detail) if detail or code in code_titles() else ("error", reason or "")


def describe(reason: str | None, code: str | None = None) -> str:
    """A stored reason as a person reads it: the code in words, then the detail."""
    found, detail = split_reason(reason)
    title = code_titles().get(code or found) or (code or found)
    return f"{title} — {detail}" if detail else title
