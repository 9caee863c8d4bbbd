"""Cancelling an import part-way leaves only whole documents; inline and worker-pool paths."""

import json
from pathlib import Path

from helpers_ingest import assert_whole_documents, create_store, minimal_pdf, put

from casereader.ingest.documents import POOL_THRESHOLD, ImportReport, import_documents
from casereader.store import audit, documents


def write_many(root: Path, count: int) -> dict[str, bytes]:
    """count small documents over two cases, a third of them PDFs."""
    files = {}
    for n in range(count):
        case_ref = "SA-001" if n % 2 else "SA-002"
        if n % 3 == 0:
            name = f"{case_ref}/Social work/2024-01-{n % 28 + 1:02d} Visit record {n}.pdf"
            data = minimal_pdf([f"Visit record {n}.", f"Follow-up {n} agreed."], "D:20240101")
        else:
            name = f"{case_ref}/Health/2024-02-{n % 28 + 1:02d} Appointment {n}.txt"
            data = f"Appointment {n}: attended with the carer.\n".encode()
        files[name] = put(root, name, data).read_bytes()
    return files


def close_after(store, folder: Path, steps: int, **options) -> ImportReport:
    report = ImportReport()
    run = import_documents(store, folder, report, **options)
    first = next(run)
    assert first.done == 0
    for _ in range(steps):
        next(run)
    run.close()
    return report


def test_closing_the_import_mid_way_leaves_whole_documents_and_a_reimport_finishes(tmp_path):
    folder = tmp_path / "documents"
    files = write_many(folder, 12)
    with create_store(tmp_path / "inspection.casereader") as store:
        report = close_after(store, folder, 5)
        assert report.cancelled and report.imported == 5
        assert assert_whole_documents(store) == 5
        [entry] = audit.entries(store, action="documents.imported")
        assert json.loads(entry.detail) == {"cancelled": True, "imported": 5, "skipped": 0}

        rest = ImportReport()
        for _ in import_documents(store, folder, rest, workers=0):
            pass
        assert (rest.imported, rest.duplicates, rest.cancelled) == (7, 5, False)
        assert assert_whole_documents(store) == len(files)
        assert {d.source_path for d in documents.list_documents(store)} == set(files)


def test_the_worker_pool_imports_the_same_as_inline_and_can_be_cancelled(tmp_path):
    folder = tmp_path / "documents"
    files = write_many(folder, POOL_THRESHOLD + 5)
    with create_store(tmp_path / "inspection.casereader") as store:
        report = close_after(store, folder, 10, workers=2)
        assert report.cancelled and report.imported == 10
        assert assert_whole_documents(store) == 10

        rest = ImportReport()
        for _ in import_documents(store, folder, rest, workers=2):
            pass
        assert (rest.imported, rest.duplicates) == (len(files) - 10, 10)
        assert assert_whole_documents(store) == len(files)
        for doc in documents.list_documents(store):
            assert documents.content(store, doc.id) == files[doc.source_path]
            number = doc.source_path.rsplit(" ", 1)[1].split(".")[0]
            text = " ".join(t for _, t in documents.page_text(store, doc.id))
            assert number in text
            if doc.doc_type == "pdf":
                assert (doc.page_count, doc.date_source) == (2, "name")
        hits = documents.search(store, "agreed", case_ref="SA-002")
        assert hits and all(h.case_ref == "SA-002" for h in hits)
