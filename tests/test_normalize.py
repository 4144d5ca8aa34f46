"""`to_simplified` skips OpenCC for text without a character any t2s entry changes: the result must be
OpenCC's, on simplified and traditional text alike, phrases included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.normalize import _T2S, _changeable_chars, to_simplified
from synth.render import to_traditional

FIXTURES = Path(__file__).parent / "fixtures"
PHRASES = "頭髮 理髮店 乾隆年間 皇后 發展 後來 著作 於是 臺灣 萬元 政府資訊公開 不予公開 行政複議 行政訴訟"


def _pieces() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.md"))]
    texts += [to_traditional(t) for t in texts] + [PHRASES]
    return sorted({piece for text in texts for piece in re.split(r"\s+", text) if piece})


def test_fast_path_gives_opencc_result() -> None:
    pieces = _pieces()
    assert len(pieces) > 1000
    skipped = [p for p in pieces if _changeable_chars().isdisjoint(p)]
    assert len(skipped) > len(pieces) // 3  # the fast path is taken for much of the text
    for piece in pieces:
        assert to_simplified(piece) == _T2S.convert(piece), piece


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [("頭髮", "头发"), ("乾隆", "乾隆"), ("著作", "著作"), ("於", "于"), ("萬元", "万元")],
)
def test_changing_text_still_converts(traditional: str, simplified: str) -> None:
    assert to_simplified(traditional) == simplified
