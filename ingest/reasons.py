"""Failure reasons in words. A failed document's `reason` is `<code>: <detail>`; the code is stable (the
record's `error.code`), the detail names the file's own facts and, for a limit, the setting that set it
(e.g. `INGEST_MAX_PAGES=200`). People see the code as a sentence in their language, the detail beside it."""

from __future__ import annotations

from ingest.i18n import _


def code_titles() -> dict[str, str]:
    """Built per call: the words follow the current language."""
    return {
        "empty_file": _("the file is empty"),
        "no_content": _("no content: every page is blank"),
        "unsupported_format": _("not a format we read"),
        "corrupt_file": _("damaged or not what its name says"),
        "encrypted_file": _("password-protected"),
        "too_large": _("over a limit"),
        "converter_missing": _("a conversion tool is not installed"),
        "needs_ocr": _("scanned pages, and OCR is not available"),
        "timeout": _("took too long"),
        "not_a_report": _("not an information-disclosure annual report"),
        "worker_crashed": _("the file kept crashing its worker"),
        "internal_error": _("an error of ours while reading"),
        "io_error": _("the stored original could not be read"),
        "not_found": _("no such file"),
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
