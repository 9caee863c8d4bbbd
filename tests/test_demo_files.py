"""The synthetic demo inspection on disk (SPEC §4, §11), at small sizes so the file stays fast."""

import csv
import io
import os
import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from docx import Document

from casereader.demo import hostile
from casereader.demo.files import (
    MARKER,
    SAMPLE_COLUMNS,
    STANDARD_DOCUMENTS,
    generate_inspection_files,
    write_hostile_folder,
)
from casereader.errors import UsageError
from casereader.ingest.extract import Unreadable, extract
from casereader.ingest.folder import agency_for, scan, title_and_date

AGENCIES = {"social work", "health", "education", "police", "scra", "third sector"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return generate_inspection_files(tmp_path_factory.mktemp("demo"), cases=4)


@pytest.fixture(scope="module")
def pdf_texts(demo):
    """Every PDF's text, page count and info dictionary, read once with pypdfium2."""
    out = {}
    for doc in demo.manifest:
        if doc.format != "pdf":
            continue
        pdf = pdfium.PdfDocument(demo.documents_dir / doc.path)
        try:
            pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
            out[doc.path] = (len(pdf), "\n".join(pages), pdf.get_metadata_dict())
        finally:
            pdf.close()
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_sample_csv_has_the_columns_and_a_scaled_down_sample(demo):
    rows = _rows(demo.sample_csv)
    assert tuple(rows[0]) == SAMPLE_COLUMNS
    assert [row["case_ref"] for row in rows] == ["SA-001", "SA-002", "SA-003", "SA-004"]
    assert demo.case_refs == ["SA-001", "SA-002", "SA-003", "SA-004"]
    assert Counter(row["group"] for row in rows) == {"core": 3, "reserve": 1}
    assert [row["follow_up"] for row in rows if row["group"] == "core"].count("yes") == 1
    reserve = next(row for row in rows if row["group"] == "reserve")
    assert (reserve["follow_up"], reserve["reader"]) == ("no", "")
    readers = [row["reader"] for row in rows if row["group"] == "core"]
    assert all(re.fullmatch(r"R[1-6](;R[1-6])?", reader) for reader in readers)
    assert sum(";" in reader for reader in readers) == 1
    assert {row["age_band"] for row in rows} <= {"0-4", "5-11", "12-15", "16-17"}
    assert all(row["locality"] and row["allocated_team"] for row in rows)


def test_full_size_sample_has_the_published_shape(tmp_path):
    files = generate_inspection_files(tmp_path, cases=75, documents=0)
    rows = _rows(files.sample_csv)
    assert Counter(row["group"] for row in rows) == {"core": 60, "reserve": 15}
    assert sum(row["follow_up"] == "yes" for row in rows) == 15
    assert all(row["follow_up"] == "no" for row in rows if row["group"] == "reserve")
    assert sum(";" in row["reader"] for row in rows) == 8
    first_readers = Counter(row["reader"].split(";")[0] for row in rows if row["group"] == "core")
    assert first_readers == {f"R{n}": 10 for n in range(1, 7)}
    assert files.case_refs[-1] == "SA-075"
    assert files.manifest == [] and not any(files.documents_dir.iterdir())


def test_documents_are_counted_spread_and_on_disk(demo):
    assert len(demo.manifest) == round(4 * STANDARD_DOCUMENTS / 75) == 124
    on_disk = _files(demo.documents_dir)
    assert sorted(on_disk) == sorted(doc.path for doc in demo.manifest)
    per_case = Counter(doc.case_ref for doc in demo.manifest)
    assert set(per_case) == set(demo.case_refs) and min(per_case.values()) >= 10
    formats = Counter(doc.format for doc in demo.manifest)
    assert set(formats) == {"pdf", "docx", "txt", "png", "jpeg", "tiff"}
    assert formats["pdf"] / len(demo.manifest) > 0.8
    assert {"Social work", "Health", "Education", "Police", "SCRA"} <= {
        doc.agency for doc in demo.manifest
    }


def test_agency_folders_match_spec_names_case_insensitively_or_are_other(demo):
    for doc in demo.manifest:
        case_ref, folder, _ = doc.path.split("/")
        assert case_ref == doc.case_ref
        if doc.agency == "Other":
            assert folder.casefold() not in AGENCIES
        else:
            assert folder.casefold() == doc.agency.casefold()
    spellings = {doc.path.split("/")[1] for doc in demo.manifest}
    assert len(spellings) > len({s.casefold() for s in spellings})  # some differ only in case


def test_pdfs_have_their_stated_pages_and_text(demo, pdf_texts):
    pdfs = [doc for doc in demo.manifest if doc.format == "pdf"]
    assert len(pdf_texts) == len(pdfs)
    for doc in pdfs:
        pages, text, _ = pdf_texts[doc.path]
        assert pages == doc.pages
        assert doc.title in text and doc.case_ref in text
        assert f"Page {pages} of {pages}" in text
    assert sum(doc.pages >= 2 for doc in pdfs) / len(pdfs) > 0.9
    assert max(doc.pages for doc in pdfs) <= 8


def test_document_dates_come_from_names_or_pdf_metadata(demo, pdf_texts):
    how = Counter()
    for doc in demo.manifest:
        name = doc.path.rsplit("/", 1)[1]
        named = re.match(r"(\d{4}-\d{2}-\d{2}) ", name)
        created = pdf_texts[doc.path][2].get("CreationDate", "") if doc.format == "pdf" else ""
        if named:
            assert named.group(1) == doc.date
            how["name"] += 1
        elif doc.date:
            assert doc.format == "pdf"
            assert created.startswith("D:" + doc.date.replace("-", ""))
            how["metadata"] += 1
        else:
            assert created == ""
            how["none"] += 1
    assert how["name"] / len(demo.manifest) > 0.7
    assert how["metadata"] >= 1 and how["none"] >= 1


def test_records_are_pseudonymous_and_carry_search_words(demo, pdf_texts):
    names = demo.names_file.read_text(encoding="utf-8").splitlines()
    assert len(names) == len(set(names)) == 40
    assert all(re.fullmatch(r"[A-Z][a-z]+ [A-Z][A-Za-z]+", name) for name in names)
    corpus = {path: text for path, (_, text, _) in pdf_texts.items()}
    for doc in demo.manifest:
        if doc.format in ("txt", "docx"):
            raw = (demo.documents_dir / doc.path).read_bytes()
            if doc.format == "txt":
                corpus[doc.path] = raw.decode("utf-8", errors="replace")
            else:
                corpus[doc.path] = "\n".join(p.text for p in Document(io.BytesIO(raw)).paragraphs)
    surnames = {name.split()[1] for name in names}
    assert not [path for path, text in corpus.items() if surnames & set(re.findall(r"\w+", text))]
    for case_ref, words in demo.search_words.items():
        case_text = " ".join(t for path, t in corpus.items() if path.startswith(case_ref + "/"))
        assert any(word in case_text for word in words), case_ref
    wellbeing = " ".join(corpus.values())
    assert all(word in wellbeing for word in ("safe", "nurtured", "respected", "included"))


def test_docx_txt_and_scans_are_readable(demo):
    by_format = {}
    for doc in demo.manifest:
        by_format.setdefault(doc.format, []).append(demo.documents_dir / doc.path)
    for path in by_format["docx"]:
        document = Document(str(path))
        assert document.tables and document.paragraphs[0].style.name == "Heading 1"
    windows = 0
    for path in by_format["txt"]:
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            windows += 1
            assert "£50" in raw.decode("cp1252") and "café" in raw.decode("cp1252")
            assert b"\r\n" in raw
    assert windows >= 1
    magic = {"png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff", "tiff": b"II*\x00"}
    image = pytest.importorskip("PIL.Image")  # Pillow comes with reportlab; used to check only
    for fmt, start in magic.items():
        for path in by_format[fmt]:
            assert path.read_bytes().startswith(start)
            with image.open(path) as scan:
                scan.load()
                assert scan.size == (1654, 2338) and scan.mode == "L"  # A4 at 200 dpi
                assert scan.getextrema()[0] < 100  # dark typed text on pale paper


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path):
    first = generate_inspection_files(tmp_path / "a", cases=4, documents=40)
    again = generate_inspection_files(tmp_path / "b", cases=4, documents=40)
    other = generate_inspection_files(tmp_path / "c", cases=4, documents=40, seed=8)
    assert {doc.format for doc in first.manifest} >= {"pdf", "docx", "txt", "png", "jpeg", "tiff"}
    assert _files(first.documents_dir) == _files(again.documents_dir)
    assert first.sample_csv.read_bytes() == again.sample_csv.read_bytes()
    assert first.names_file.read_bytes() == again.names_file.read_bytes()
    assert _files(first.documents_dir) != _files(other.documents_dir)
    assert first.sample_csv.read_bytes() != other.sample_csv.read_bytes()


def test_worker_processes_write_the_same_bytes(tmp_path):
    alone = generate_inspection_files(tmp_path / "alone", cases=3, documents=8, workers=1)
    pooled = generate_inspection_files(tmp_path / "pooled", cases=3, documents=8, workers=2)
    assert _files(alone.documents_dir) == _files(pooled.documents_dir)
    assert alone.manifest == pooled.manifest


def test_tiny_samples_have_no_reserve_below_four_cases(tmp_path):
    rows = _rows(generate_inspection_files(tmp_path, cases=3, documents=0).sample_csv)
    assert [row["group"] for row in rows] == ["core"] * 3


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [({"cases": 0}, "at least one case"), ({"cases": 2, "documents": -1}, "cannot be negative")],
)
def test_bad_sizes_are_refused(tmp_path, kwargs, words):
    with pytest.raises(UsageError, match=words):
        generate_inspection_files(tmp_path / "demo", **kwargs)
    assert not (tmp_path / "demo").exists()


def test_a_folder_with_someone_elses_sample_is_refused_and_left_alone(tmp_path):
    (tmp_path / "sample.csv").write_text("case_ref\nREAL-1\n", encoding="utf-8")
    (tmp_path / "documents" / "REAL-1").mkdir(parents=True)
    before = _files(tmp_path)
    with pytest.raises(UsageError, match="did not generate"):
        generate_inspection_files(tmp_path, cases=1, documents=2)
    assert _files(tmp_path) == before and not (tmp_path / MARKER).exists()


def test_generating_again_replaces_an_earlier_demo_completely(tmp_path):
    generate_inspection_files(tmp_path / "demo", cases=3, documents=9, seed=1)
    (tmp_path / "demo" / "documents" / "SA-003" / "left over.pdf").parent.mkdir(exist_ok=True)
    (tmp_path / "demo" / "documents" / "SA-003" / "left over.pdf").write_bytes(b"%PDF-")
    again = generate_inspection_files(tmp_path / "demo", cases=2, documents=4, seed=2)
    fresh = generate_inspection_files(tmp_path / "fresh", cases=2, documents=4, seed=2)
    assert _files(again.documents_dir) == _files(fresh.documents_dir)
    assert again.sample_csv.read_bytes() == fresh.sample_csv.read_bytes()


def test_hostile_folder_holds_everything_the_importer_must_skip(tmp_path):
    documents = tmp_path / "documents"
    skipped = write_hostile_folder(documents, "SA-001", huge_size=64 * 1024 * 1024)
    assert set(skipped.values()) == {
        "corrupt", "password", "empty", "unsupported", "too large", "symbolic link",
        "not in the sample",
    }  # fmt: skip
    for relative in skipped:
        assert os.path.lexists(documents / relative), relative
    by_reason = {reason: documents / path for path, reason in skipped.items()}
    assert by_reason["empty"].stat().st_size == 0
    assert by_reason["too large"].stat().st_size == 64 * 1024 * 1024
    assert hostile.HUGE_SIZE == 300 * 1024 * 1024
    links = [documents / path for path, reason in skipped.items() if reason == "symbolic link"]
    assert any(link.is_dir() for link in links) and any(link.is_file() for link in links)
    for link in links:
        assert link.is_symlink()
        assert not link.resolve().is_relative_to(documents.resolve())
    assert (documents / "SA-999").is_dir()

    with pytest.raises(pdfium.PdfiumError, match="password"):
        pdfium.PdfDocument(documents / "SA-001/Police/2024-02-03 Concern report (VPD).pdf")
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(by_reason["corrupt"])


def test_hostile_folder_keeps_good_files_with_odd_names(tmp_path):
    documents = tmp_path / "documents"
    skipped = write_hostile_folder(documents, "SA-002", huge_size=1)
    good = [
        p
        for p in (documents / "SA-002").rglob("*")
        if p.is_file() and not p.is_symlink()
        and p.relative_to(documents).as_posix() not in skipped
    ]  # fmt: skip
    names = [p.name for p in good]
    assert any("👍" in name and "Gàidhlig" in name for name in names)
    assert any(name.startswith("  ") and "   " in name for name in names)
    assert max(len(name.encode()) for name in names) > 200
    for path in good:
        if path.suffix == ".pdf":
            pdf = pdfium.PdfDocument(path)
            assert len(pdf) == 1
            pdf.close()


def test_the_importers_scan_skips_each_hostile_file_for_the_expected_reason(tmp_path):
    documents = tmp_path / "documents"
    skipped = write_hostile_folder(documents, "SA-001", huge_size=120 * 1024 * 1024)
    found = scan(documents, {"SA-001"}, max_bytes=100 * 1024 * 1024)
    reasons = {path: reason.lower() for path, _case, reason in found.skipped}
    for path, word in skipped.items():
        if word == "not in the sample":
            assert path in found.stray_cases
        elif word in ("corrupt", "password"):
            # Found only when the text is extracted, after the scan has let the file through.
            assert path in {c.relative for c in found.candidates}
            with pytest.raises(Unreadable) as refused:
                extract((documents / path).read_bytes(), "pdf")
            assert word in str(refused.value).lower()
        else:
            assert word in reasons[path], (path, reasons.get(path))


def test_the_importer_reads_each_demo_document_as_the_manifest_says(demo):
    for doc in demo.manifest:
        case_ref, folder, name = doc.path.split("/")
        assert agency_for(folder) == doc.agency
        title, named_date = title_and_date(name)
        extracted = extract((demo.documents_dir / doc.path).read_bytes(), doc.format)
        assert (named_date or extracted.metadata_date) == doc.date, doc.path
        if doc.format == "pdf":
            assert extracted.page_count == doc.pages
        if named_date:
            assert title.startswith(doc.title)
