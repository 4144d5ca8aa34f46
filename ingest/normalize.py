"""Text normalization for matching. The raw text is always kept as read; these forms are for comparing.

- Traditional → simplified with OpenCC (t2s), so 張掖市審計局 matches 张掖市审计局.
- Full-width ASCII (０-９, （）, ／) → half-width, so labels and numbers compare equal in any width.
- Punctuation and spacing variants dropped from match keys (labels wrap, gain spaces and quotes).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")

# Characters that differ between documents of the same label without changing its meaning.
_LABEL_NOISE = re.compile(
    r"[\s\u3000\"'“”‘’「」『』《》〈〉()（）\[\]【】,，、.。:：;；!！?？/／\\|·・\-—–_~～*＊#]+"
)

# OCR and typing look-alikes inside numbers: O/o→0, l/I/|→1, etc. Applied only to number candidates.
_DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8"}
)


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    # Most text is simplified already: OpenCC's pure-Python walk (~0.3 ms a line) changes nothing there.
    return text if simplified_already(text) else _T2S.convert(text)


def simplified_already(text: str) -> bool:
    """True when OpenCC's t2s would return `text` unchanged (no character any entry changes)."""
    return _changeable_chars().isdisjoint(text)


@cache
def _changeable_chars() -> frozenset[str]:
    """Every character that some t2s dictionary entry changes: for a character entry its key, for a
    phrase the key's characters that its value replaces (all of them when the lengths differ). Text
    without any of them converts to itself — an entry matching it would have to change one of them —
    so `to_simplified` skips OpenCC for it (tests/test_normalize.py compares the two)."""
    _T2S.convert("")  # loads the dictionaries
    chars: set[str] = set()

    def collect(chain: list[object]) -> None:
        for item in chain:
            if isinstance(item, list):
                collect(item)
                continue
            mapping: dict[str, str] = item[2]  # type: ignore[index]  # (max_len, min_len, mapping)
            for key, value in mapping.items():
                if key == value:
                    continue
                if len(key) == len(value):
                    chars.update(k for k, v in zip(key, value, strict=True) if k != v)
                else:
                    chars.update(key)

    collect(_T2S._dict_chain_data)
    return frozenset(chars)


def halfwidth(text: str) -> str:
    """NFKC folds full-width digits, letters and ASCII punctuation to their half-width forms."""
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """The form in which two labels are compared: simplified, half-width, no punctuation or spaces."""
    return _LABEL_NOISE.sub("", to_simplified(halfwidth(text)))


def clean_text(text: str) -> str:
    """Simplified, half-width text with runs of white space collapsed: for prose patterns."""
    return re.sub(r"[ \t\u3000\xa0]+", " ", to_simplified(halfwidth(text))).strip()


def fix_digit_lookalikes(token: str) -> str:
    return token.translate(_DIGIT_LOOKALIKES)
