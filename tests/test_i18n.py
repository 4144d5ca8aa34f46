"""The Chinese catalogue covers every message the code and the templates mark for translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from ingest import i18n

ROOT = Path(__file__).resolve().parents[1]
METHODS = [
    ("ingest/**.py", "python"),
    ("worker/**.py", "python"),
    ("web/**.py", "python"),
    ("models/**.py", "python"),
    ("web/templates/**.html", "jinja2.ext:babel_extract"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}


def _marked_messages() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT,
        METHODS,
        keywords=KEYWORDS,
        options_map={"web/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def test_every_marked_message_has_a_chinese_translation() -> None:
    with i18n.catalogue_path("zh_CN").open("rb") as po:
        catalog = read_po(po)
    translated = {
        m.id
        for m in catalog
        if m.id and m.string and (m.string if isinstance(m.string, str) else all(m.string))
    }
    missing = sorted(_marked_messages() - {t if isinstance(t, str) else t[0] for t in translated})
    assert not missing, f"add these to {i18n.catalogue_path('zh_CN')}: {missing}"


def test_default_language_is_chinese_and_english_is_the_ids(monkeypatch) -> None:
    monkeypatch.delenv("INGEST_LANG", raising=False)
    assert i18n.gettext("needs review") == "待复核"
    monkeypatch.setenv("INGEST_LANG", "en_US.UTF-8")
    assert i18n.gettext("needs review") == "needs review"
    assert i18n.normalize_locale("zh-CN") == "zh_CN"
