"""Typed failures and the codes they end in: one `ErrorCode` for records, reasons and the database, one
`ExitCode` for every command. Each failure class has a stable `code` from `ErrorCode`."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class ErrorCode(StrEnum):
    """Every code a record's `error.code`, a failed document's `error_code` and a reason file can carry."""

    NOT_FOUND = "not_found"
    EMPTY_FILE = "empty_file"
    UNSUPPORTED_FORMAT = "unsupported_format"
    CORRUPT_FILE = "corrupt_file"
    ENCRYPTED_FILE = "encrypted_file"
    TOO_LARGE = "too_large"
    NO_CONTENT = "no_content"
    CONVERTER_MISSING = "converter_missing"
    NEEDS_OCR = "needs_ocr"
    TIMEOUT = "timeout"
    NOT_A_REPORT = "not_a_report"
    WORKER_CRASHED = "worker_crashed"
    IO_ERROR = "io_error"
    INTERNAL_ERROR = "internal_error"


class ExitCode(IntEnum):
    """What every `ingest` command returns (as OCRmyPDF's `ExitCode` does)."""

    OK = 0
    FILES_FAILED = 1  # some input ended with an error record, or the command could not do what was asked
    BAD_ARGS = 2
    MISSING_DEPENDENCY = 3  # `ingest doctor`: a program or language pack the service needs is not installed
    INTERRUPTED = 130  # Ctrl-C: the shell's 128 + SIGINT


def error_dict(code: ErrorCode, message: str) -> dict[str, str]:
    """The `error` object of a record."""
    return {"code": code.value, "message": message}


class IngestError(Exception):
    """Base class: a file we could not turn into a record, with a reason a person can act on."""

    code: ErrorCode = ErrorCode.INTERNAL_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return error_dict(self.code, self.message)


class EmptyFile(IngestError):
    code = ErrorCode.EMPTY_FILE


class NoContent(IngestError):
    """The file opens, but holds nothing to read: every page blank (no text, no image)."""

    code = ErrorCode.NO_CONTENT


class UnsupportedFormat(IngestError):
    code = ErrorCode.UNSUPPORTED_FORMAT


class CorruptFile(IngestError):
    """The bytes claim a format but do not parse as it (truncated PDF, broken DOCX XML, ...)."""

    code = ErrorCode.CORRUPT_FILE


class EncryptedFile(IngestError):
    code = ErrorCode.ENCRYPTED_FILE


class TooLarge(IngestError):
    """Over a bound we keep to protect the worker: page count, unpacked size (zip bombs), memory."""

    code = ErrorCode.TOO_LARGE


class ConverterMissing(IngestError):
    """A tool the format needs (LibreOffice for .doc/.wps, Tesseract for scans) is not installed."""

    code = ErrorCode.CONVERTER_MISSING


class NeedsOCR(IngestError):
    """Pages without a text layer, where the OCR route is not available."""

    code = ErrorCode.NEEDS_OCR


class Timeout(IngestError):
    code = ErrorCode.TIMEOUT


class NotAReport(IngestError):
    """The file reads, but is not a government information-disclosure annual report."""

    code = ErrorCode.NOT_A_REPORT
