"""Text recognition of scans: accuracy on generated scans with known text, import, `ocr`."""

import random
from io import BytesIO

import pytest
from helpers_ingest import PASSPHRASE, create_store, minimal_pdf, put

from casereader.cli import main
from casereader.demo.images import encode_scan, plain, record_lines, typed_scan
from casereader.ingest import ocr
from casereader.ingest.documents import ImportReport, import_documents
from casereader.ingest.recognise import RecognitionReport, recognise_store
from casereader.store import Store, documents, recognised

NEEDLES = ("Kilbarchan", "Strathmore")


def scan_png(lines, dpi=200, skew=0.0, noise=0.0, seed=1) -> bytes:
    return encode_scan(typed_scan(lines, random.Random(seed), dpi, skew, noise), "png", dpi)


def scanned_pdf(png: bytes) -> bytes:
    """An image-only PDF page (no text layer) holding the scan."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.drawImage(ImageReader(BytesIO(png)), 0, 0, *A4)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.mark.parametrize(
    ("dpi", "skew", "noise", "limit"), [(200, 0.0, 0.0, 0.03), (150, 2.0, 0.003, 0.08)]
)
def test_character_error_rate_on_generated_scans(dpi, skew, noise, limit):
    lines = record_lines(random.Random(dpi), paragraphs=3)
    result = ocr.recognise_document(scan_png(lines, dpi, skew, noise), "png", [1])[1]
    assert result.status == "text" and result.confidence > 50
    assert ocr.character_error_rate(plain(lines), result.text) <= limit


def test_error_rate_counts_edits():
    assert ocr.character_error_rate("abcd", "abcd") == 0
    assert ocr.character_error_rate("abcd", "abxd") == 0.25
    assert ocr.character_error_rate("a  b\nc", "a b c") == 0


def test_parse_tsv_gives_lines_words_boxes_and_mean_confidence():
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
        "\tconf\ttext\n"
        "5\t1\t1\t1\t1\t1\t10\t20\t30\t10\t90\tPolice\n"
        "5\t1\t1\t1\t1\t2\t50\t20\t30\t10\t80\treport\n"
        "4\t1\t2\t1\t1\t0\t0\t0\t0\t0\t-1\t\n"
        "5\t1\t2\t1\t1\t1\t10\t60\t40\t10\t70\tIRD\n"
    )
    page = ocr.parse_tsv(tsv, 100, 100)
    assert page.text == "Police report\n\nIRD"
    assert page.confidence == 80.0
    assert page.words[0] == ("Police", 0.1, 0.2, 0.4, 0.3)
    assert ocr.parse_tsv(tsv.splitlines()[0], 100, 100).status == "empty"


def test_import_recognises_scans_once_and_search_finds_every_needle(tmp_path):
    folder = tmp_path / "docs"
    lines = record_lines(random.Random(5), paragraphs=2, needles=NEEDLES)
    png = scan_png(lines, 150, 1.5, 0.002)
    put(folder, "SA-001/Police/2024-03-01 Concern report (scan).png", png)
    put(folder, "SA-002/Police/2024-03-02 Concern report.pdf", scanned_pdf(png))
    put(folder, "SA-002/Health/Typed letter.pdf", minimal_pdf(["Health visitor letter text."]))
    put(folder, "SA-001/Police/Blank scan.png", scan_png([""], 150))
    with create_store(tmp_path / "s.casereader") as store:
        report = ImportReport()
        list(import_documents(store, folder, report, workers=2, recognise=True))
        assert report.imported == 4 and not report.skipped
        assert (report.recognised_pages, report.empty_pages) == (2, 1)
        for needle in NEEDLES:
            hits = documents.search(store, needle)
            assert {h.case_ref for h in hits} == {"SA-001", "SA-002"}
            assert all(h.recognised and h.page == 1 for h in hits)
        typed = documents.search(store, "visitor letter")
        assert len(typed) == 1 and not typed[0].recognised
        by_title = {d.title: d for d in documents.list_documents(store)}
        assert recognised.pages(store, by_title["Typed letter"].id) == {}
        page = recognised.pages(store, by_title["Concern report (scan)"].id)[1]
        assert page.status == "text" and 50 < page.confidence <= 100
        box = next(w for w in page.words if w[0] == NEEDLES[0])
        assert 0 < box[1] < box[3] < 1 and 0 < box[2] < box[4] < 1
        assert recognised.pages(store, by_title["Blank scan"].id)[1].status == "empty"
        # Already recognised or typed: nothing left for `casereader ocr`.
        assert recognised.pending(store) == []
    assert "text recognised on 2 scanned pages" in report.summary()


def test_ocr_command_recognises_what_was_imported_before(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "docs"
    put(folder, "SA-003/Police/Note.png", scan_png(record_lines(random.Random(2), 1, NEEDLES)))
    path = tmp_path / "s.casereader"
    with create_store(path) as store:
        list(import_documents(store, folder, recognise=False))
        assert documents.search(store, NEEDLES[0]) == []
        assert len(recognised.pending(store)) == 1
    monkeypatch.setenv("CASEREADER_PASSPHRASE", PASSPHRASE)
    assert main(["ocr", str(path), "--case", "SA-003"]) == 0
    assert "Recognised text on 1 page of 1 scanned document;" in capsys.readouterr().out
    with Store.open(path, PASSPHRASE) as store:
        assert [h.case_ref for h in documents.search(store, NEEDLES[1])] == ["SA-003"]
        report = RecognitionReport()
        list(recognise_store(store, report=report))
        assert report.documents == 0  # a page with text is not recognised again
    assert main(["ocr", str(path), "--case", "NO-SUCH"]) == 1
    assert "No case NO-SUCH" in capsys.readouterr().err


def test_missing_engine_import_goes_on_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # the import's child process finds no tesseract
    folder = tmp_path / "docs"
    put(folder, "SA-001/Police/Note.png", scan_png(["Short note"], 100))
    with create_store(tmp_path / "s.casereader") as store:
        report = ImportReport()
        list(import_documents(store, folder, report, workers=0, recognise=True))
        assert report.imported == 1 and report.unrecognised_pages == 1
        assert "text recognition was not available" in report.summary()
        assert report.to_json()["recognition"]["not_available_pages"] == 1
        assert len(recognised.pending(store)) == 1


def test_damaged_image_is_imported_with_recognition_failed(tmp_path):
    folder = tmp_path / "docs"
    put(folder, "SA-001/Police/Torn.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with create_store(tmp_path / "s.casereader") as store:
        report = ImportReport()
        list(import_documents(store, folder, report, workers=0, recognise=True))
        assert report.failed_pages == 1
        doc = documents.list_documents(store)[0]
        page = recognised.pages(store, doc.id)[1]
        assert page.status == "failed" and "cannot be decoded" in page.reason


def test_no_ocr_store_setting_switches_recognition_off(tmp_path, monkeypatch):
    monkeypatch.delenv("CASEREADER_OCR")
    folder = tmp_path / "docs"
    put(folder, "SA-001/Police/Note.png", scan_png(["Short note"], 100))
    with create_store(tmp_path / "s.casereader") as store:
        assert recognised.enabled(store)
        recognised.set_enabled(store, False)
        report = ImportReport()
        list(import_documents(store, folder, report, workers=0))
        assert not report.recognition and report.recognised_pages == 0
        assert not recognised.enabled(store)


def test_every_page_of_a_multi_page_tiff_is_recognised():
    from casereader.ingest.extract import extract

    first = typed_scan(["# First page", "Nothing to find here."], random.Random(1), 150, 0, 0)
    second = typed_scan(["# Second page", f"The worker met {NEEDLES[0]}."], random.Random(2), 150)
    out = BytesIO()
    first.save(out, "TIFF", save_all=True, append_images=[second], dpi=(150, 150))
    found = extract(out.getvalue(), "tiff", recognise=True)
    assert found.page_count == 2 and sorted(found.recognised) == [1, 2]
    assert NEEDLES[0] in found.recognised[2].text
    assert NEEDLES[0] not in found.recognised[1].text
