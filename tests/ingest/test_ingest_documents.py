"""Importing a documents folder: every SPEC §4 rule, hostile files, cancelling and re-importing."""

import json
import os
from pathlib import Path

import pytest
from helpers_ingest import (
    assert_whole_documents,
    create_store,
    docx_bytes,
    image_bytes,
    minimal_pdf,
    put,
    sha256,
)

from casereader.demo import hostile
from casereader.domain.progress import Progress
from casereader.errors import ImportRejected
from casereader.ingest.documents import ImportReport, import_documents
from casereader.store import audit, documents

PLAN_PAGES = [
    "Child's plan for the family.\nThe kinship carer arrangement continues.",
    "Contingency plan: the grandmother will care for the child.",
]
PLAN = minimal_pdf(PLAN_PAGES, creation_date="D:20230101120000Z")
UTF8_TEXT = "Hearing decision: travel costs of £120 agreed; the café meeting is cancelled.\n"
CP1252_TEXT = "Rent arrears of £45 noted; résumé of the housing officer’s visit.\r\n"


def write_rule_folder(root: Path) -> dict[str, dict]:
    """One file for each rule; returns what the importer should make of each (by path)."""
    expected = {}

    def doc(relative, data, **facts):
        put(root, relative, data)
        facts.setdefault("case_ref", relative.split("/")[0].upper())
        facts.setdefault("sha256", sha256(data))
        expected[relative] = facts

    doc("SA-001/Social Work/2024-03-14 Child's plan.pdf", PLAN, agency="Social work",
        title="Child's plan", doc_date="2024-03-14", date_source="name", doc_type="pdf",
        page_count=2, pages=PLAN_PAGES)  # fmt: skip
    doc("SA-001/HEALTH/Health visitor notes.pdf",
        minimal_pdf(["Weight gain noted."], "D:20240506093000+01'00'"), agency="Health",
        title="Health visitor notes", doc_date="2024-05-06", date_source="metadata",
        doc_type="pdf", page_count=1, pages=["Weight gain noted."])  # fmt: skip
    doc("SA-001/education/Undated letter.pdf", minimal_pdf(["A letter with no date."]),
        agency="Education", title="Undated letter", doc_date=None, date_source=None,
        doc_type="pdf", page_count=1, pages=["A letter with no date."])  # fmt: skip
    doc("SA-001/education/Impossible metadata date.pdf",
        minimal_pdf(["Minute."], "D:20241341"), agency="Education",
        title="Impossible metadata date", doc_date=None, date_source=None, doc_type="pdf",
        page_count=1, pages=["Minute."])  # fmt: skip
    doc("SA-002/Health/2024-05-02 Note with a byte order mark.txt",
        "\ufeffNote saved by Notepad.\n".encode("utf-8"), agency="Health",
        title="Note with a byte order mark", doc_date="2024-05-02", date_source="name",
        doc_type="txt", page_count=None, pages=["Note saved by Notepad.\n"])  # fmt: skip
    doc("SA-001/Police/2024-02-30 Impossible date.pdf",
        minimal_pdf(["Concern report."], "D:20240101"), agency="Police",
        title="2024-02-30 Impossible date", doc_date="2024-01-01", date_source="metadata",
        doc_type="pdf", page_count=1, pages=["Concern report."])  # fmt: skip
    doc("SA-001/Third_Sector/2024-04-01_Youth work summary.docx",
        docx_bytes(["Youth work summary.", "Attends the drop-in weekly."]),
        agency="Third sector", title="Youth work summary", doc_date="2024-04-01",
        date_source="name", doc_type="docx", page_count=None,
        pages=["Youth work summary.\nAttends the drop-in weekly."])  # fmt: skip
    doc("SA-001/scra/2024-04-02 Hearing decision.TXT", UTF8_TEXT.encode("utf-8"),
        agency="SCRA", title="Hearing decision", doc_date="2024-04-02", date_source="name",
        doc_type="txt", page_count=None, pages=[UTF8_TEXT])  # fmt: skip
    doc("SA-001/Housing/2024-04-03 Tenancy note.txt", CP1252_TEXT.encode("cp1252"),
        agency="Other", title="Tenancy note", doc_date="2024-04-03", date_source="name",
        doc_type="txt", page_count=None, pages=[CP1252_TEXT])  # fmt: skip
    doc("SA-001/Health/2024-04-04 Scan.png", image_bytes("png"), agency="Health",
        title="Scan", doc_date="2024-04-04", date_source="name", doc_type="png",
        page_count=1, pages=[])  # fmt: skip
    doc("SA-001/health/2024-04-05 Scan.JPG", image_bytes("jpeg"), agency="Health",
        title="Scan", doc_date="2024-04-05", date_source="name", doc_type="jpeg",
        page_count=1, pages=[])  # fmt: skip
    doc("SA-001/health/Scanned page.tiff", image_bytes("tiff"), agency="Health",
        title="Scanned page", doc_date=None, date_source=None, doc_type="tiff", page_count=1,
        pages=[])  # fmt: skip
    doc("SA-001/2024-04-06 Loose note.txt", b"Filed outside any agency folder.\n",
        agency="Other", title="Loose note", doc_date="2024-04-06", date_source="name",
        doc_type="txt", page_count=None, pages=["Filed outside any agency folder.\n"])  # fmt: skip
    # The same bytes twice in one case are one document; in another case they are that case's.
    put(root, "SA-001/scra/copy of the plan.pdf", PLAN)
    expected["SA-001/scra/copy of the plan.pdf"] = {"duplicate": True}
    doc("SA-002/Social work/2024-03-14 Child's plan.pdf", PLAN, agency="Social work",
        title="Child's plan", doc_date="2024-03-14", date_source="name", doc_type="pdf",
        page_count=2, pages=PLAN_PAGES)  # fmt: skip
    doc("sa-003/Education/2024-06-01 School report.txt", b"Attendance 92%.\n",
        agency="Education", title="School report", doc_date="2024-06-01", date_source="name",
        doc_type="txt", page_count=None, pages=["Attendance 92%.\n"])  # fmt: skip
    return expected


SKIPPED_HERE = {
    "SA-001/Social Work/Thumbs.db": "hidden or system file",
    "SA-001/Social Work/.~lock.plan.docx#": "hidden or system file",
    "SA-001/Social Work/notes.rtf": "unsupported file type (.rtf)",
    "SA-001/Social Work/README": "unsupported file type (no extension)",
    "SA-001/Health/Blank.txt": "empty file",
    "SA-001/Health/binary.txt": "binary data",
    "SA-001/Health/fake.png": "not a valid PNG",
    "SA-001/Health/fake.docx": "corrupt DOCX",
    "SA-001/Health/not really.pdf": "not a PDF",
    "SA-001/Health/fifo.pdf": "not a regular file",
    "notes at the top.txt": "not inside a case folder",
}


def write_skipped_here(root: Path) -> None:
    for relative in SKIPPED_HERE:
        data = {
            "binary.txt": b"text\x00\x01\x02",
            "fake.png": b"GIF89a not a png",
            "fake.docx": b"PK\x03\x04 broken zip",
            "not really.pdf": b"<html>a web page</html>",
            "Blank.txt": b"",
        }.get(Path(relative).name, b"something")
        if relative.endswith("fifo.pdf"):
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            os.mkfifo(root / relative)
        else:
            put(root, relative, data)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The rule folder imported once (inline path) into a store with SA-001…SA-004."""
    base = tmp_path_factory.mktemp("rules")
    folder = base / "documents"
    expected = write_rule_folder(folder)
    write_skipped_here(folder)
    store = create_store(base / "inspection.casereader")
    report = ImportReport()
    steps = list(import_documents(store, folder, report))
    yield store, folder, expected, report, steps
    store.close()


def stored(store) -> dict[str, dict]:
    rows = {}
    for d in documents.list_documents(store):
        rows[d.source_path] = {
            "case_ref": d.case_ref, "sha256": d.sha256, "agency": d.agency, "title": d.title,
            "doc_date": d.doc_date, "date_source": d.date_source, "doc_type": d.doc_type,
            "page_count": d.page_count, "size": d.size, "id": d.id,
        }  # fmt: skip
    return rows


def test_each_file_gets_its_case_agency_title_date_type_and_pages(imported):
    store, folder, expected, report, _ = imported
    rows = stored(store)
    wanted = {p: e for p, e in expected.items() if not e.get("duplicate")}
    assert sorted(rows) == sorted(wanted)
    for path, facts in wanted.items():
        row = rows[path]
        for key in ("case_ref", "sha256", "agency", "title", "doc_date", "date_source",
                    "doc_type", "page_count"):  # fmt: skip
            assert row[key] == facts[key], (path, key)
        assert row["size"] == (folder / path).stat().st_size
        assert documents.content(store, row["id"]) == (folder / path).read_bytes()


def test_text_is_stored_per_page_and_images_have_none(imported):
    store, _, expected, _, _ = imported
    for path, row in stored(store).items():
        pages = documents.page_text(store, row["id"])
        want = [(n, t) for n, t in enumerate(expected[path]["pages"], 1)]
        normalised = [(n, t.replace("\r\n", "\n")) for n, t in pages]
        assert normalised == [(n, t.replace("\r\n", "\n")) for n, t in want], path


def test_windows_1252_and_utf8_text_files_read_pounds_and_accents(imported):
    store, *_ = imported
    assert [h.title for h in documents.search(store, "résumé")] == ["Tenancy note"]
    assert [h.title for h in documents.search(store, "cafe")] == ["Hearing decision"]
    tenancy = stored(store)["SA-001/Housing/2024-04-03 Tenancy note.txt"]
    [(_, text)] = documents.page_text(store, tenancy["id"])
    assert "£45" in text and "résumé" in text and "’" in text


def test_a_duplicate_within_a_case_is_reported_not_stored_twice(imported):
    store, _, _, report, _ = imported
    duplicates = [f for f in report.files if f.outcome == "duplicate"]
    assert [(f.path, f.case_ref) for f in duplicates] == [
        ("SA-001/scra/copy of the plan.pdf", "SA-001")
    ]
    plan = sha256(PLAN)
    owners = store.db.execute(
        "SELECT case_ref FROM documents WHERE sha256 = ? ORDER BY case_ref", [plan]
    ).fetchall()
    assert owners == [("SA-001",), ("SA-002",)]


def test_files_that_cannot_be_used_are_listed_with_their_reason(imported):
    _, _, _, report, _ = imported
    reasons = {f.path: f.reason for f in report.skipped}
    assert sorted(reasons) == sorted(SKIPPED_HERE)
    for path, reason in SKIPPED_HERE.items():
        assert reason.lower() in reasons[path].lower(), path
    assert report.stray_cases == []
    assert not report.cancelled


def test_progress_counts_every_candidate_file(imported):
    _, _, expected, report, steps = imported
    assert all(isinstance(p, Progress) for p in steps)
    total = len(expected) + 4  # the unreadable files are only found out on reading
    assert steps[0].done == 0 and steps[0].total == total
    assert [p.done for p in steps] == list(range(total + 1))
    assert steps[-1].fraction == 1.0
    assert len(report.files) == total + len(SKIPPED_HERE) - 4


def test_the_report_as_json_lists_the_skipped_files(imported):
    _, _, expected, report, _ = imported
    data = json.loads(json.dumps(report.to_json()))
    assert data["imported"] == len(expected) - 1
    assert data["duplicates"] == 1
    assert {s["path"] for s in data["skipped"]} == set(SKIPPED_HERE)
    assert data["cancelled"] is False
    assert "skipped" in report.summary()


def test_importing_the_same_folder_again_adds_nothing(imported):
    store, folder, expected, _, _ = imported
    before = assert_whole_documents(store)
    fts = store.db.execute("SELECT count(*) FROM document_text").fetchone()[0]
    again = ImportReport()
    for _ in import_documents(store, folder, again):
        pass
    assert again.imported == 0
    assert again.duplicates == len(expected)
    assert assert_whole_documents(store) == before
    assert store.db.execute("SELECT count(*) FROM document_text").fetchone()[0] == fts
    logged = audit.entries(store, action="documents.imported")
    assert [json.loads(e.detail)["imported"] for e in logged] == [len(expected) - 1, 0]


def test_an_unknown_folder_is_refused(imported, tmp_path):
    store, *_ = imported
    with pytest.raises(ImportRejected, match="no such folder"):
        list(import_documents(store, tmp_path / "not-there"))
    put(tmp_path, "a-file", b"x")
    with pytest.raises(ImportRejected, match="is a file; import-documents needs a folder"):
        list(import_documents(store, tmp_path / "a-file"))


def test_a_folder_with_no_case_folders_is_refused(imported, tmp_path):
    store, *_ = imported
    wrong_level = tmp_path / "SA-001"
    put(wrong_level, "Health/2024-01-01 Note.txt", b"Chose the case folder, not its parent.")
    (tmp_path / "empty").mkdir()
    count = len(audit.entries(store))
    for folder in (wrong_level, tmp_path / "empty"):
        with pytest.raises(ImportRejected, match="choose the folder that holds the case folders"):
            list(import_documents(store, folder))
    assert len(audit.entries(store)) == count


def test_a_store_without_cases_refuses_documents(tmp_path):
    with create_store(tmp_path / "empty.casereader", sample=None) as store:
        put(tmp_path / "documents", "SA-001/Health/note.txt", b"A note.")
        with pytest.raises(ImportRejected, match="import the sample list first"):
            list(import_documents(store, tmp_path / "documents"))
        assert store.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


# the hostile folder ----------------------------------------------------------------------------


def test_the_hostile_folder_imports_what_it_can_and_lists_every_skipped_file(imported, tmp_path):
    store, *_ = imported
    root = tmp_path / "hostile"
    skipped = hostile.write_hostile_folder(root, "SA-004", huge_size=3 * 1024 * 1024)
    report = ImportReport()
    for _ in import_documents(store, root, report, max_bytes=2 * 1024 * 1024):
        pass
    stray = {path for path, why in skipped.items() if why == hostile.NOT_IN_SAMPLE}
    assert set(report.stray_cases) == stray
    reasons = {f.path: f.reason for f in report.skipped}
    assert set(reasons) == set(skipped) - stray
    for path, why in skipped.items():
        if path not in stray:
            assert why.lower() in reasons[path].lower(), (path, reasons[path])
    usable = {
        str(p.relative_to(root))
        for p in (root / "SA-004").rglob("*")
        if p.is_file()
        and not p.is_symlink()
        and not any(
            str(p.relative_to(root)) == bad or str(p.relative_to(root)).startswith(bad + "/")
            for bad in skipped
        )
    }
    assert usable, "the hostile folder should hold some good files too"
    assert {f.path for f in report.files if f.outcome == "imported"} == usable
    assert report.imported == len(usable)
    sources = {d.source_path for d in documents.list_documents(store, "SA-004")}
    assert usable <= sources
    assert not any(d.source_path.startswith(tuple(stray)) for d in documents.list_documents(store))
    assert_whole_documents(store)


def test_a_case_folder_that_is_a_link_is_skipped_and_nothing_is_filed_under_it(imported, tmp_path):
    """SA-002 linked to another case's folder, SA-003 linked outside: neither is followed.

    Following SA-002 would file SA-004's documents under SA-002, one child's records under
    another child's reference.
    """
    store, *_ = imported
    root = tmp_path / "linked"
    hostile.write_hostile_folder(root, "SA-004", huge_size=1)
    (root / "SA-002").symlink_to(root / "SA-004", target_is_directory=True)
    outside = tmp_path / "elsewhere"
    put(outside, "Health/2024-03-01 Someone else's record.txt", b"Not part of this sample.\n")
    (root / "SA-003").symlink_to(outside, target_is_directory=True)
    before = {ref: len(documents.list_documents(store, ref)) for ref in ("SA-002", "SA-003")}
    report = ImportReport()
    for _ in import_documents(store, root, report):
        pass
    reasons = {f.path: f.reason for f in report.skipped}
    assert reasons["SA-002"] == "symbolic link (not followed)"
    assert reasons["SA-003"] == "symbolic link (not followed)"
    assert not [f for f in report.files if f.path.startswith(("SA-002/", "SA-003/"))]
    kept = [f for f in report.files if f.outcome in ("imported", "duplicate")]
    assert kept and {f.case_ref for f in kept} == {"SA-004"}
    after = {ref: len(documents.list_documents(store, ref)) for ref in ("SA-002", "SA-003")}
    assert after == before


def test_a_file_swapped_for_a_link_after_the_scan_is_not_read_through_the_link(tmp_path):
    """The read itself refuses links (O_NOFOLLOW), not only the scan before it."""
    from casereader.ingest.documents import _read_and_extract

    target = put(tmp_path, "outside/2024-03-01 Someone else's record.txt", b"Not ours.\n")
    link = tmp_path / "SA-001" / "Health" / "2024-03-01 Note.txt"
    link.parent.mkdir(parents=True)
    link.symlink_to(target)
    result = _read_and_extract(str(link), "txt", 1024)
    assert isinstance(result, str), "the link was followed and its target read"
    assert result.startswith("cannot be read"), result
    real = _read_and_extract(str(target), "txt", 1024)  # the same call reads a plain file
    assert not isinstance(real, str) and real.pages == ["Not ours.\n"]


def test_a_file_name_that_is_not_utf8_still_imports(imported, tmp_path):
    store, *_ = imported
    root = tmp_path / "odd"
    folder = root / "SA-004" / "Education"
    folder.mkdir(parents=True)
    with open(os.fsencode(folder) + b"/2024-03-01 Caf\xe9 note.txt", "wb") as f:
        f.write(b"Latin-1 name.")
    report = ImportReport()
    for _ in import_documents(store, root, report):
        pass
    assert report.imported == 1
    [doc] = [d for d in documents.list_documents(store, "SA-004") if d.doc_type == "txt"
             and d.doc_date == "2024-03-01"]  # fmt: skip
    assert doc.title == "Caf\ufffd note"
    json.dumps(report.to_json())  # a name that is not UTF-8 must not break the JSON report
