"""An import commits its documents a batch at a time, and reports a document imported only
once it is committed; it commits before it waits for a slow file."""

import threading
import time
from pathlib import Path

import pytest
import sqlcipher3
from helpers_ingest import PASSPHRASE, assert_whole_documents, create_store, minimal_pdf, put

from casereader.errors import ImportRejected
from casereader.ingest import documents as ingest_documents
from casereader.ingest.budget import Budget, run_bounded
from casereader.ingest.documents import ImportReport, import_documents
from casereader.store.db import connect


def write_documents(root: Path, count: int) -> None:
    for n in range(count):
        case_ref = "SA-001" if n % 2 else "SA-002"
        if n % 3 == 0:
            data = minimal_pdf([f"Visit record {n}.", f"Follow-up {n} agreed."], "D:20240101")
            put(root, f"{case_ref}/Social work/2024-01-{n % 28 + 1:02d} Visit {n}.pdf", data)
        else:
            data = f"Appointment {n}: attended with the carer.\n".encode()
            put(root, f"{case_ref}/Health/2024-02-{n % 28 + 1:02d} Appointment {n}.txt", data)


def committed_ids(path: Path) -> set[int]:
    """The documents another connection sees: what is committed."""
    db = connect(path, PASSPHRASE)
    try:
        return {row[0] for row in db.execute("SELECT id FROM documents").fetchall()}
    finally:
        db.conn.close()


def untimed_batches(monkeypatch, documents: int | None = None) -> None:
    """Batches closed by their count only (never by their age), of DOCUMENTS if given."""
    monkeypatch.setattr(ingest_documents, "BATCH_SECONDS", 3600.0)
    if documents is not None:
        monkeypatch.setattr(ingest_documents, "BATCH_DOCUMENTS", documents)


def counting_commits(store) -> list[str]:
    commits: list[str] = []
    store.db.conn.set_trace_callback(
        lambda sql: commits.append(sql) if sql.strip().upper() == "COMMIT" else None
    )
    return commits


def test_a_document_is_reported_imported_only_once_it_is_committed(tmp_path, monkeypatch):
    untimed_batches(monkeypatch, documents=4)
    write_documents(tmp_path / "documents", 10)
    path = tmp_path / "inspection.casereader"
    with create_store(path) as store:
        report = ImportReport()
        seen_uncommitted = False
        for progress in import_documents(store, tmp_path / "documents", report, workers=0):
            reported = {f.document_id for f in report.files if f.outcome == "imported"}
            committed = committed_ids(path)
            assert reported <= committed
            seen_uncommitted |= progress.done > len(committed)
        assert seen_uncommitted, "every document was committed alone: no batch was seen"
        assert report.imported == 10 and committed_ids(path) == {
            f.document_id for f in report.files
        }
        assert assert_whole_documents(store) == 10


def test_the_import_commits_a_batch_at_a_time_not_a_document_at_a_time(tmp_path, monkeypatch):
    untimed_batches(monkeypatch)
    write_documents(tmp_path / "documents", 30)
    with create_store(tmp_path / "inspection.casereader") as store:
        commits = counting_commits(store)
        report = ImportReport()
        list(import_documents(store, tmp_path / "documents", report, workers=0))
        assert report.imported == 30 and len(commits) == 1

        monkeypatch.setattr(ingest_documents, "BATCH_DOCUMENTS", 4)
        write_documents(tmp_path / "more", 0)
        for n in range(30, 40):
            put(tmp_path / "more", f"SA-001/Health/2024-03-01 Note {n}.txt", f"Note {n}.".encode())
        commits.clear()
        again = ImportReport()
        list(import_documents(store, tmp_path / "more", again, workers=0))
        assert again.imported == 10 and len(commits) == 3  # 4 + 4 + 2
        assert assert_whole_documents(store) == 40


def test_a_cancelled_import_commits_the_documents_written_before_the_cancel(tmp_path, monkeypatch):
    untimed_batches(monkeypatch)
    write_documents(tmp_path / "documents", 12)
    path = tmp_path / "inspection.casereader"
    with create_store(path) as store:
        report = ImportReport()
        run = import_documents(store, tmp_path / "documents", report, workers=0)
        for _ in range(6):  # "Found 12 files", then five documents
            next(run)
        assert committed_ids(path) == set()  # all five in the open batch
        run.close()
        assert report.cancelled and report.imported == 5
        assert len(committed_ids(path)) == 5 and assert_whole_documents(store) == 5


def test_an_error_inside_a_document_rolls_its_batch_back_whole(tmp_path, monkeypatch):
    untimed_batches(monkeypatch)
    write_documents(tmp_path / "documents", 8)
    real_write = ingest_documents.store_documents.write_document
    calls = []

    def fail_half_way(store, doc):
        calls.append(doc.source_path)
        if len(calls) == 5:
            store.db.execute(  # half of a document written, then a failure
                "INSERT INTO documents (case_ref, sha256, agency, title, doc_type, size,"
                " source_path, imported_at) VALUES ('SA-001', 'x', 'Health', 'half', 'txt', 1,"
                " 'half.txt', '2024-01-01T00:00:00')"
            )
            raise RuntimeError("a fault inside one document")
        return real_write(store, doc)

    monkeypatch.setattr(ingest_documents.store_documents, "write_document", fail_half_way)
    path = tmp_path / "inspection.casereader"
    with create_store(path) as store:
        report = ImportReport()
        try:
            list(import_documents(store, tmp_path / "documents", report, workers=0))
        except RuntimeError:
            pass
        else:
            raise AssertionError("the fault was not raised")
        assert report.imported == 0 and committed_ids(path) == set()
        assert not store.db.conn.in_transaction


def _slow(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_run_bounded_calls_idle_before_waiting_and_again_when_asked():
    calls: list[float] = []

    def idle() -> float | None:
        calls.append(time.monotonic())
        return 0.1 if len(calls) == 1 else None

    got = list(run_bounded(_slow, [(0.0,), (1.0,)], Budget(), workers=1, idle=idle))
    assert got == [0.0, 1.0]
    assert len(calls) >= 2  # before the first wait, then once more 0.1 s later, as it asked
    assert calls[1] - calls[0] >= 0.09


def test_the_import_waits_for_another_connection_saving_instead_of_failing(tmp_path):
    """The window's own connection may be saving when the import's batch begins: the batch
    takes the write lock at its start and waits for it (a deferred one failed at once)."""
    write_documents(tmp_path / "documents", 6)
    path = tmp_path / "inspection.casereader"
    with create_store(path) as store:
        other = connect(path, PASSPHRASE)
        holding = threading.Event()

        def save_slowly() -> None:  # another connection of the store, mid-save for 1.5 s
            other.execute("BEGIN IMMEDIATE")
            holding.set()
            time.sleep(1.5)
            other.execute(
                "INSERT INTO audit_log (at, actor, action) VALUES ('2024-01-01', 'R1', 'test')"
            )
            other.execute("COMMIT")

        saver = threading.Thread(target=save_slowly)
        saver.start()
        holding.wait(5)
        report = ImportReport()
        run = import_documents(store, tmp_path / "documents", report, workers=0)
        next(run)  # the folder is scanned; the documents' reading starts
        list(run)
        saver.join()
        other.conn.close()
        assert report.imported == 6 and assert_whole_documents(store) == 6


def test_documents_written_are_committed_while_the_import_waits_for_a_slow_file(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(ingest_documents, "BATCH_SECONDS", 0.05)
    write_documents(tmp_path / "documents", 4)
    path = tmp_path / "inspection.casereader"
    seen_while_waiting: list[set[int]] = []

    def reading_slowly(candidates, max_bytes, workers, budget, recognise=False, idle=None):
        """The files read here, the last one slowly: the import waits for it."""
        for n, cand in enumerate(candidates):
            if n == len(candidates) - 1:
                deadline = time.monotonic() + 5
                while idle is not None and time.monotonic() < deadline:
                    again = idle()
                    if again is None:
                        break
                    time.sleep(again)
                seen_while_waiting.append(committed_ids(path))
            yield cand, ingest_documents._read_and_extract(str(cand.path), cand.doc_type, max_bytes)

    monkeypatch.setattr(ingest_documents, "_extracted", reading_slowly)
    with create_store(path) as store:
        report = ImportReport()
        list(import_documents(store, tmp_path / "documents", report))
        assert report.imported == 4
    [committed] = seen_while_waiting
    assert len(committed) == 3  # the three read before the slow one, committed as it waited


def test_a_full_disk_at_a_commit_keeps_the_batch_but_its_last_document(tmp_path, monkeypatch):
    untimed_batches(monkeypatch, documents=4)
    write_documents(tmp_path / "documents", 6)
    path = tmp_path / "inspection.casereader"
    with create_store(path) as store:
        real_execute = store.db.execute
        commits = []

        def execute(sql, *args, **kwargs):
            if sql == "COMMIT":
                commits.append(sql)
                if len(commits) == 1:  # the first batch's commit meets a full disk
                    raise sqlcipher3.OperationalError("database or disk is full")
            return real_execute(sql, *args, **kwargs)

        monkeypatch.setattr(store.db, "execute", execute)
        report = ImportReport()
        with pytest.raises(ImportRejected, match="disk is full.*3 documents imported before it"):
            list(import_documents(store, tmp_path / "documents", report, workers=0))
        assert report.imported == 3 and len(committed_ids(path)) == 3
        assert assert_whole_documents(store) == 3
