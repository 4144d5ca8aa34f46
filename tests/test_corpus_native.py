"""Accuracy on native (text-layer) documents: a generated corpus of both templates, every format, both
scripts and seed-chosen layout faults, extracted by `ingest.pipeline.extract` and scored against truth.

The bar (docs/spec.md): every field right, no silent error, review load under 1 %, every must_flag key
flagged. Failures name the document, the key, expected vs got and the status, to point at the stage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingest.pipeline import extract
from synth.corpus import Case, CorpusItem, build, plan
from synth.render import TABLE_FAULTS
from synth.scoring import Score, aggregate, score

CORPUS_SIZE = 48  # 12 per format
CORPUS_SEED = 1000
CASES: list[Case] = plan(CORPUS_SIZE, ["docx", "pdf", "html", "txt"], CORPUS_SEED)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CorpusItem]:
    """Rendered once per session (one LibreOffice call for all PDFs)."""
    items = build(CASES, tmp_path_factory.mktemp("native-corpus"))
    return {item.path.name: item for item in items}


@pytest.fixture(scope="session")
def scores() -> dict[str, Score]:
    return {}


def _score(item: CorpusItem, cache: dict[str, Score]) -> Score:
    if item.path.name not in cache:
        record = extract(item.path).to_json()
        cache[item.path.name] = score(record, item.expected(), name=f"{item.path.name} [{_notes(item)}]")
    return cache[item.path.name]


def _notes(item: CorpusItem) -> str:
    return str(item.expected().get("notes", ""))


def _item(corpus: dict[str, CorpusItem], case: Case) -> CorpusItem:
    return next(it for it in corpus.values() if it.case == case)


def test_corpus_covers_formats_templates_scripts_and_faults(corpus: dict[str, CorpusItem]) -> None:
    notes = " ".join(_notes(it) for it in corpus.values())
    assert len(corpus) == CORPUS_SIZE
    assert {it.case.fmt for it in corpus.values()} == {"docx", "pdf", "html", "txt"}
    assert {it.case.template for it in corpus.values()} >= {"2019", "2021"}
    assert {it.case.script for it in corpus.values()} == {"simplified", "traditional"}
    missing = [f for f in TABLE_FAULTS if f not in notes]
    assert not missing, f"no document carries {missing}"
    assert "Source inconsistency" in notes
    assert "gbk, no meta charset" in notes


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.name}-{c.fmt}-{c.template}-{c.script[:4]}")
def test_document_is_read_right(case: Case, corpus: dict[str, CorpusItem], scores: dict[str, Score]) -> None:
    result = _score(_item(corpus, case), scores)
    assert result.error is None, result.describe()
    assert not result.silent, "silent errors:\n" + result.describe()
    assert not result.must_flag_missed, "must_flag not flagged:\n" + result.describe()
    assert not result.wrong, "wrong (flagged) fields:\n" + result.describe()


def test_review_load_under_one_percent(corpus: dict[str, CorpusItem], scores: dict[str, Score]) -> None:
    all_scores = [_score(item, scores) for item in corpus.values()]
    totals: dict[str, Any] = aggregate(all_scores)
    worst = sorted(all_scores, key=lambda s: -len(s.needless_review))[:5]
    detail = "\n".join(s.describe(limit=6) for s in worst if s.needless_review)
    assert totals["silent_errors"] == 0, totals
    assert totals["review_load"] < 0.01, f"{totals}\n{detail}"


def test_corpus_files_exist(corpus: dict[str, CorpusItem]) -> None:
    for item in corpus.values():
        assert item.path.stat().st_size > 0 and Path(item.expected_path).exists()
