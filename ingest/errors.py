"""Typed failures. Each has a stable `code` that the record's `error` and the service's reason files use."""

from __future__ import annotations


class IngestError(Exception):
    """Base class: a file we could not turn into a record, with a reason a person can act on."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class EmptyFile(IngestError):
    code = "empty_file"


class NoContent(IngestError):
    """The file opens, but holds nothing to read: every page blank (no text, no image)."""

    code = "no_content"


class UnsupportedFormat(IngestError):
    code = "unsupported_format"


class CorruptFile(IngestError):
    """The bytes claim a format but do not parse as it (truncated PDF, broken DOCX XML, ...)."""

    code = "corrupt_file"


class EncryptedFile(IngestError):
    code = "encrypted_file"


class TooLarge(IngestError):
    """Over a bound we keep to protect the worker: page count, unpacked size (zip bombs), memory."""

    code = "too_large"


class ConverterMissing(IngestError):
    """A tool the format needs (LibreOffice for .doc/.wps, Tesseract for scans) is not installed."""

    code = "converter_missing"


class NeedsOCR(IngestError):
    """Pages without a text layer, where the OCR route is not available."""

    code = "needs_ocr"


class Timeout(IngestError):
    code = "timeout"


class NotAReport(IngestError):
    """The file reads, but is not a government information-disclosure annual report."""

    code = "not_a_report"
