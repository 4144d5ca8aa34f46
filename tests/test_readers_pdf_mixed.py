"""A text PDF with one scanned page: the scanned page is read by the OCR route inside the same record, the
service routes such a file to the OCR queue, and a page that cannot be read leaves a trace in the record."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from pdf2image import convert_from_path

from ingest.pipeline import extract
from ingest.readers import Limits
from ingest.readers import pdf as pdf_reader
from ingest.readers.pdf import pages_needing_ocr, read, text_layer_usable
from synth.truth import generate_truth
from tests.pdf_layouts import Layout, write_report
from worker.intake import route

SCAN_DPI = 200


def _with_scanned_page(text_pdf: Path, page: int, out: Path) -> Path:
    """`text_pdf` with page `page` (1-based) replaced by a picture of itself: no text layer on it."""
    image = convert_from_path(str(text_pdf), dpi=SCAN_DPI, first_page=page, last_page=page)[0]
    picture = out.with_suffix(".scan.pdf")
    image.convert("L").save(picture, "PDF", resolution=SCAN_DPI)
    pdf = pdfium.PdfDocument(str(text_pdf))
    pdf.del_page(page - 1)
    pdf.import_pages(pdfium.PdfDocument(str(picture)), index=page - 1)
    pdf.save(str(out))
    return out


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("mixed")
    truth = generate_truth(11, "2021", inconsistent=False)
    text_pdf = write_report(truth, folder / "text.pdf", Layout("grid"))
    assert len(read(text_pdf, Limits(ocr=False)).pages) == 3  # t2/t3 on pages 1-2, t4 on page 3
    return _with_scanned_page(text_pdf, 3, folder / "mixed.pdf"), truth


def test_the_scanned_page_is_found_and_routed_to_ocr(mixed: tuple[Path, dict], tmp_path: Path) -> None:
    path, truth = mixed
    assert pages_needing_ocr(path) == [3]
    assert route(path) == "ocr"
    text_only = write_report(truth, tmp_path / "text.pdf", Layout("horizontal"))
    assert pages_needing_ocr(text_only) == [] and route(text_only) == "native"


def test_the_reader_follows_the_routing_decision_page_by_page(
    mixed: tuple[Path, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = mixed
    doc = read(path, Limits(ocr=False))
    assert [p.number for p in doc.pages if p.needs_ocr] == pages_needing_ocr(path) == [3]
    # One decision: whatever `pages_needing_ocr` says of a page is what the reader does with it.
    monkeypatch.setattr("ingest.readers.pdf.pages_needing_ocr", lambda _path, _n=200: [1])
    doc = read(path, Limits(ocr=False))
    assert [p.number for p in doc.pages if p.needs_ocr] == [1] and doc.pages[0].blocks == []
    assert doc.pages[2].blocks == []  # page 3 is a picture: without OCR nothing is read from it


def test_values_from_text_pages_and_the_scanned_page(mixed: tuple[Path, dict]) -> None:
    path, truth = mixed
    record = extract(path)
    assert record.error is None and record.pages == 3
    assert "pages_not_read" not in record.info
    pages = {f.page for f in record.fields.values() if f.value is not None}
    assert {1, 2, 3} <= pages
    for key, expected in truth["fields"].items():
        field = record.fields[key]
        assert field.value == pytest.approx(expected), key
        if key.startswith("t4."):  # printed on the scanned page; an OCR reading may still ask a person
            assert field.page == 3 and field.method.startswith("ocr"), key
        else:
            assert field.page in (1, 2) and field.method.startswith("pdf-text"), key
            assert field.status == "ok", (key, field.reasons)


def test_an_unread_page_leaves_a_trace(mixed: tuple[Path, dict]) -> None:
    path, _ = mixed
    record = extract(path, Limits(ocr=False))
    assert record.info["pages_not_read"] == [3]
    assert all(f.status == "review" for k, f in record.fields.items() if k.startswith("t4."))


def _fault_on_page(number: int, real: Callable[..., Any]) -> Callable[..., Any]:
    """`real` with a bug on page `number`: the fault a table finder's bug would raise there."""

    def faulty(*args: Any, **kwargs: Any) -> Any:
        if args[0].page_number == number:
            raise ValueError("zero-size array to reduction operation maximum which has no identity")
        return real(*args, **kwargs)

    return faulty


@pytest.fixture(scope="module")
def text_pdf(mixed: tuple[Path, dict], tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, truth = mixed
    return write_report(truth, tmp_path_factory.mktemp("text") / "text.pdf", Layout("grid"))


def test_a_layout_fault_costs_its_page_not_the_file(
    mixed: tuple[Path, dict], text_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, truth = mixed
    monkeypatch.setattr("ingest.readers.pdf._page_blocks", _fault_on_page(2, pdf_reader._page_blocks))
    record = extract(text_pdf, Limits(ocr=False))
    assert record.error is None and record.pages == 3
    assert record.info["pages_not_read"] == [2]
    assert "ValueError" in record.to_json()["source"]["page_errors"]["2"]
    read_pages = {f.page for f in record.fields.values() if f.value is not None}
    assert 2 not in read_pages and {1, 3} <= read_pages
    for key, expected in truth["fields"].items():  # what the other pages print is read; nothing guessed
        field = record.fields[key]
        assert field.value is None or field.value == pytest.approx(expected), key
        assert field.value is not None or field.status == "review", key


def test_a_page_whose_layout_fails_is_read_by_ocr(
    mixed: tuple[Path, dict], text_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, truth = mixed
    monkeypatch.setattr("ingest.readers.pdf._page_blocks", _fault_on_page(2, pdf_reader._page_blocks))
    record = extract(text_pdf)
    assert record.error is None and "pages_not_read" not in record.info
    on_page_2 = [f for f in record.fields.values() if f.page == 2]
    assert on_page_2 and all(f.method.startswith("ocr") for f in on_page_2)
    for key, expected in truth["fields"].items():
        field = record.fields[key]
        assert field.value == pytest.approx(expected) or field.status == "review", key


def test_an_ocr_fault_costs_its_page_not_the_file(
    mixed: tuple[Path, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, truth = mixed

    def broken_finder(*_args: Any) -> Any:
        raise IndexError("index 0 is out of bounds for axis 0 with size 0")

    monkeypatch.setattr("ingest.ocr.page.find_tables", broken_finder)
    record = extract(path)
    assert record.error is None and record.info["pages_not_read"] == [3]
    assert "IndexError" in record.info["page_errors"]["3"]
    for key, expected in truth["fields"].items():
        field = record.fields[key]
        if key.startswith("t4."):  # printed on the page that was lost
            assert field.value is None and field.status == "review", key
        else:
            assert field.value == pytest.approx(expected) and field.status == "ok", key


@pytest.mark.parametrize(
    ("text", "has_images", "usable"),
    [
        ("二〇二三年政府信息公开工作年度报告", True, True),
        ("政府信息公开\n\t工作年度报告  二〇二三", True, True),  # white space is neither text nor garbage
        ("\ue000" * 4 + "政府信息公开工作年度报告", True, False),  # 4 of 16 private-use: over a fifth
        ("\ue000" * 3 + "政府信息公开工作年度报告", True, True),  # 3 of 15: a fifth, not over
        ("Õþ¸®ÐÅÏ¢¹«¿ª" + "政府", True, False),  # GBK read as Latin-1
        ("Annual report of the bureau", True, False),  # no Chinese at all
        ("第1页", True, False),  # almost no text and an image: a scan
        ("第1页", False, True),  # almost no text and no image: a near-empty page
        ("\x01\x02第1页", False, False),  # control characters are garbage even on a near-empty page
    ],
)
def test_text_layer_judged_by_character_classes(text: str, has_images: bool, usable: bool) -> None:
    assert text_layer_usable(text, has_images) is usable
