"""Damaged PDFs are repaired and imported as the repaired copy; multi-page TIFFs count pages."""

import hashlib
import json

import pypdfium2 as pdfium
import pytest
from damaged import damaged_pdfs, hopeless_pdf, multipage_tiff
from helpers_ingest import create_store, minimal_pdf

from casereader.ingest.documents import ImportReport, import_documents
from casereader.ingest.extract import Unreadable, extract
from casereader.ingest.repair import repair_pdf, tiff_page_count
from casereader.store import documents as store_documents

DAMAGED = damaged_pdfs()


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_pdfium_refuses_each_damaged_file(name):
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(DAMAGED[name])


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_a_damaged_pdf_is_repaired_with_its_text_and_the_original_hash(name):
    damaged = DAMAGED[name]
    result = extract(damaged, "pdf")
    assert result.repaired
    assert result.original_sha256 == hashlib.sha256(damaged).hexdigest()
    assert result.sha256 == hashlib.sha256(result.content).hexdigest() != result.original_sha256
    assert result.page_count == 2
    assert "Chronology reviewed" in result.pages[0]
    assert "Child's plan agreed" in result.pages[1]
    assert len(pdfium.PdfDocument(result.content)) == 2


def test_repairing_the_same_file_twice_gives_the_same_bytes():
    damaged = DAMAGED["no-xref-rootless-trailer"]
    assert repair_pdf(damaged) == repair_pdf(damaged)


def test_a_sound_pdf_is_not_marked_repaired():
    good = minimal_pdf(["A sound letter."])
    result = extract(good, "pdf")
    assert not result.repaired and result.original_sha256 is None and result.content == good


def test_what_no_library_opens_is_skipped_as_corrupt():
    with pytest.raises(Unreadable, match="corrupt"):
        extract(hopeless_pdf(), "pdf")
    with pytest.raises(Unreadable, match="not a PDF"):
        extract(b"just some words, no PDF here", "pdf")


def test_import_marks_repaired_documents_and_lists_them(tmp_path):
    store = create_store(tmp_path / "s.casereader")
    folder = tmp_path / "docs"
    health = folder / "SA-001" / "Health"
    health.mkdir(parents=True)
    for name, data in DAMAGED.items():
        (health / f"2025-01-0{len(name) % 9 + 1} {name}.pdf").write_bytes(data)
    (health / "hopeless.pdf").write_bytes(hopeless_pdf())
    report = ImportReport()
    list(import_documents(store, folder, report, workers=0))
    assert report.imported == 3
    assert sorted(f.path for f in report.repaired) == sorted(
        str(p.relative_to(folder)) for p in health.iterdir() if p.name != "hopeless.pdf"
    )
    assert [f.path for f in report.skipped] == ["SA-001/Health/hopeless.pdf"]
    assert "corrupt" in report.skipped[0].reason
    assert "repaired SA-001/Health/" in report.summary()
    assert len(json.loads(json.dumps(report.to_json()))["repaired"]) == 3

    docs = store_documents.list_documents(store, "SA-001")
    originals = {hashlib.sha256(d).hexdigest() for d in DAMAGED.values()}
    assert {d.original_sha256 for d in docs} == originals
    for doc in docs:
        assert doc.repaired
        data = store_documents.content(store, doc.id)
        assert hashlib.sha256(data).hexdigest() == doc.sha256
        assert len(pdfium.PdfDocument(data)) == doc.page_count == 2
    assert store_documents.search(store, "chronology", case_ref="SA-001")

    again = ImportReport()
    list(import_documents(store, folder, again, workers=0))
    assert again.imported == 0 and again.duplicates == 3
    store.close()


def test_a_multipage_tiff_counts_every_page():
    assert tiff_page_count(multipage_tiff(3)) == 3
    assert extract(multipage_tiff(3), "tiff").page_count == 3
    assert extract(multipage_tiff(1), "tiff").page_count == 1


def test_a_tiff_whose_directories_are_damaged_is_skipped_or_counted_up_to_the_damage():
    three = multipage_tiff(3)
    with pytest.raises(Unreadable, match="corrupt TIFF"):
        extract(three[:8] + b"\xff" * 32, "tiff")  # first directory points past the end
    assert tiff_page_count(b"II*\x00\x08\x00\x00\x00") == 0
    assert tiff_page_count(b"MM\x00*") == 0
    # a directory chain that loops back on itself stops at the loop
    looped = bytearray(b"II*\x00" + (8).to_bytes(4, "little") + (1).to_bytes(2, "little"))
    looped += b"\x00" * 12 + (8).to_bytes(4, "little")
    assert tiff_page_count(bytes(looped)) == 1


def test_import_stores_a_multipage_tiff_with_its_page_count(tmp_path):
    store = create_store(tmp_path / "s.casereader")
    folder = tmp_path / "docs"
    (folder / "SA-002" / "Police").mkdir(parents=True)
    (folder / "SA-002" / "Police" / "2025-02-03 Scanned statement.tif").write_bytes(
        multipage_tiff(3)
    )
    report = ImportReport()
    list(import_documents(store, folder, report, workers=0))
    assert report.imported == 1
    (doc,) = store_documents.list_documents(store, "SA-002")
    assert doc.doc_type == "tiff" and doc.page_count == 3 and not doc.repaired
    store.close()
