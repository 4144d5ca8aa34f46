"""The fixture generator: truths obey the spec's rules, documents carry them faithfully in every format."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document as open_docx

from ingest.cli import main as cli_main
from synth import generate_truth, render, truth_from_seed
from synth.consistency import check_truth, failed_keys
from synth.layout import NARRATIVE_KEYS, T3_APPLICANTS, t3_outcome_rows, template_keys
from synth.render import to_traditional

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


def to_simplified(text: str) -> str:
    import opencc

    return str(opencc.OpenCC("t2s").convert(text))


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_truth_has_every_key_and_obeys_the_rules(template: str) -> None:
    for seed in range(60):
        truth = generate_truth(seed, template, inconsistent=False)
        fields = truth["fields"]
        assert list(fields) == template_keys(template)
        assert set(truth["narrative"]) == set(NARRATIVE_KEYS)
        assert truth["must_flag"] == []
        for col in (*T3_APPLICANTS, "total"):  # checked by hand, not only by the shared checker
            assert fields[f"t3.new_received.{col}"] + fields[f"t3.carried_over.{col}"] == (
                fields[f"t3.total.{col}"] + fields[f"t3.carried_forward.{col}"]
            )
            assert fields[f"t3.total.{col}"] == sum(
                fields[f"t3.{r}.{col}"] for r in t3_outcome_rows(template)
            )
        assert all(c.ok for c in check_truth(fields, template, truth["narrative"]))


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_truth_meta_is_plausible(template: str) -> None:
    years = set()
    for seed in range(40):
        meta = generate_truth(seed, template)["meta"]
        years.add(meta["year"])
        published = date.fromisoformat(meta["published_date"])
        assert published.year == meta["year"] + 1 and published.month <= 3
        assert meta["agency"].endswith(("局", "厅", "办公室", "委员会"))
    assert years <= ({2019, 2020} if template == "2019" else {2021, 2022, 2023, 2024})
    assert len(years) > 1


def test_magnitudes_look_real() -> None:
    values = [v for s in range(40) for v in generate_truth(s, "2019")["fields"].values()]
    zeros = sum(1 for v in values if v == 0)
    assert zeros / len(values) > 0.6, "real reports are mostly zeros"
    assert any(isinstance(v, int) and v >= 100 for v in values)
    amounts = [generate_truth(s, "2019")["fields"]["t2.procurement.amount"] for s in range(40)]
    assert any(a and round(a, 2) != round(a) for a in amounts), "money carries fen: 41.13"


def test_inconsistent_truth_flags_three_whole_rows_like_seed_001() -> None:
    truth = generate_truth(7, "2019", inconsistent=True)
    rows = {k.split(".")[1] for k in truth["must_flag"]}
    assert len(truth["must_flag"]) == 21 and "new_received" in rows and "total" in rows
    assert "Source inconsistency" in truth["notes"]


def test_checker_reproduces_the_hand_checked_must_flag_of_every_seed() -> None:
    for path in sorted(SEEDS.glob("*.expected.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        got = failed_keys(expected["fields"], expected["meta"]["template"], expected["narrative"])
        assert got == sorted(expected["must_flag"]), path.name


def _t3_table(doc: object) -> object:
    return next(t for t in doc.tables if "申请人情况" in t.cell(0, 3).text)  # type: ignore[attr-defined]


def test_docx_t3_has_merged_header_and_values_in_place(tmp_path: Path) -> None:
    truth = generate_truth(3, "2021", inconsistent=False)
    path = render(truth, "docx", tmp_path / "r.docx", faults={"page_split"}, seed=3)
    doc = open_docx(str(path))
    t3 = _t3_table(doc)
    xml = t3._tbl.xml
    assert "w:gridSpan" in xml and "w:vMerge" in xml and "w:tblHeader" in xml
    assert t3.cell(1, 3).text == "自然人" and t3.cell(0, 3).text == "申请人情况"
    granted_row = next(r for r in t3.rows if r.cells[1].text == "（一）予以公开")
    values = [int(c.text) for c in granted_row.cells[3:10]]
    assert values == [truth["fields"][f"t3.granted.{c}"] for c in (*T3_APPLICANTS, "total")]
    assert doc.paragraphs[-1].text.endswith("日") and truth["meta"]["agency"] in doc.paragraphs[-2].text


def test_faults_show_in_the_document(tmp_path: Path) -> None:
    truth = generate_truth(11, "2019", inconsistent=False)
    faults = {"lost_header", "stray_column", "missing_sublabels", "money_forms"}
    t3 = _t3_table(open_docx(str(render(truth, "docx", tmp_path / "f.docx", faults=faults, seed=11))))
    assert t3.cell(1, 3).text == "" and len(t3.columns) == 11
    assert all(t3.cell(r, 2).text == "" for r in range(7, 15)), "（三） sub-row labels are blank"
    assert "faults: lost_header, missing_sublabels, money_forms, stray_column" in truth["notes"]


def test_html_encodings_and_spans(tmp_path: Path) -> None:
    seen = set()
    for seed in range(12):
        truth = generate_truth(seed, "2019")
        raw = render(truth, "html", tmp_path / f"{seed}.html", seed=seed).read_bytes()
        encoding = "gbk" if "gbk" in truth["notes"] else "utf-8"
        text = raw.decode(encoding)
        seen.add((encoding, "no meta" in truth["notes"]))
        assert 'rowspan="' in text and 'colspan="' in text and truth["meta"]["agency"] in text
        assert ('charset="gbk"' in text) == (encoding == "gbk" and "no meta" not in truth["notes"])
    assert {("utf-8", False), ("gbk", False), ("gbk", True)} <= seen


def test_traditional_script_keeps_truth_simplified(tmp_path: Path) -> None:
    truth = generate_truth(5, "2021")
    text = render(truth, "txt", tmp_path / "t.txt", script="traditional", seed=5).read_text(encoding="utf-8")
    assert "政府信息公開" in text and "申請人情況" in text
    assert to_traditional(truth["meta"]["agency"]) in text
    assert to_simplified(to_traditional(truth["meta"]["agency"])) == truth["meta"]["agency"]


def test_seed_truth_rerenders(tmp_path: Path) -> None:
    expected = json.loads(next(SEEDS.glob("000_*.expected.json")).read_text(encoding="utf-8"))
    truth = truth_from_seed(expected)
    text = render(truth, "txt", tmp_path / "s.txt", faults=set(), seed=0).read_text(encoding="utf-8")
    assert "聊城市审计局" in text and "2021年1月27日" in text
    assert "41.13" in text and expected["fields"]["t2.procurement.amount"] == 41.13


def test_pdf_breaks_t3_with_the_header_repeated(tmp_path: Path) -> None:
    truth = generate_truth(9, "2019", inconsistent=False)
    pdf = render(truth, "pdf", tmp_path / "p.pdf", faults={"page_split"}, seed=9)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert truth["meta"]["agency"] in text
    assert text.count("申请人情况") == 2, "t3 spans two pages and its header repeats"


def test_command_writes_documents_and_truths(tmp_path: Path) -> None:
    assert (
        cli_main(["synth", str(tmp_path), "--count", "6", "--formats", "docx,html,txt", "--seed", "40"]) == 0
    )
    docs = sorted(p for p in tmp_path.iterdir() if not p.name.endswith(".json"))
    assert len(docs) == 6 and {p.suffix for p in docs} == {".docx", ".html", ".txt"}
    for doc in docs:
        expected = json.loads((tmp_path / f"{doc.stem}.expected.json").read_text(encoding="utf-8"))
        assert expected["file"] == doc.name and "Rendered as" in expected["notes"]


def test_command_writes_scanned_documents(tmp_path: Path) -> None:
    from PIL import Image

    assert cli_main(["synth", str(tmp_path), "--count", "2", "--seed", "60", "--scanned"]) == 0
    pdf, tif = tmp_path / "synth_00060-base.pdf", tmp_path / "synth_00061-dpi150.tif"
    assert pdf.exists() and tif.exists()
    with Image.open(tif) as im:
        assert im.n_frames >= 3 and abs(im.info["dpi"][0] - 150) < 1
    expected = json.loads((tmp_path / "synth_00061-dpi150.expected.json").read_text(encoding="utf-8"))
    assert expected["file"] == tif.name and "Scanned: dpi150 at 150 dpi" in expected["notes"]
    assert (
        subprocess.run(
            ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
        ).stdout.count("\n")
        >= 5
    )  # image-only pages, no text layer


def test_a_gbk_page_without_a_charset_is_printed_as_a_browser_shows_it(tmp_path: Path) -> None:
    """Chromium can take such a page for another encoding and print mojibake (seed 743105's scan was
    one, its truth the report): the printed copy names its charset; every other page prints as saved."""
    from synth.scanned import _as_the_browser_shows_it

    body = "<!DOCTYPE html>\n<html><head><title>年度报告</title></head><body>政府信息公开</body></html>"
    bare = tmp_path / "bare.html"
    bare.write_bytes(body.encode("gbk"))
    (tmp_path / "copy").mkdir()
    printed = _as_the_browser_shows_it(bare, tmp_path / "copy")
    assert printed != bare and b'<meta charset="gbk">' in printed.read_bytes()
    assert printed.read_bytes().startswith(b"<!DOCTYPE html>")  # no quirks mode
    for saved in (body.encode("utf-8"), body.replace("<head>", '<head><meta charset="gbk">').encode("gbk")):
        bare.write_bytes(saved)
        assert _as_the_browser_shows_it(bare, tmp_path / "copy") == bare
