"""The README's table of error codes and the code's `ErrorCode` say the same; every failure class uses one."""

from __future__ import annotations

import re
from pathlib import Path

from ingest import errors
from ingest.errors import ErrorCode, IngestError

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_lists_exactly_the_error_codes() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- error-codes -->", 1)[1].split("<!-- /error-codes -->", 1)[0]
    listed = re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.M)
    assert sorted(listed) == sorted(code.value for code in ErrorCode)
    assert len(listed) == len(set(listed))


def test_every_failure_class_has_its_own_code() -> None:
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, IngestError)]
    codes = [c.code for c in classes if c is not IngestError]
    assert all(isinstance(code, ErrorCode) for code in codes)
    assert len(codes) == len(set(codes))
    assert errors.CorruptFile("x").as_dict() == {"code": "corrupt_file", "message": "x"}


def test_every_error_code_has_words() -> None:
    from ingest.reasons import code_titles

    assert set(ErrorCode) <= set(code_titles())
