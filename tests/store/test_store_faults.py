"""Faults, each with a clear message and nothing lost: a read-only store, a full disk during an
import and an export, the store's folder removed while it is open. (Two programs on one store:
test_store_purge.py; wrong passphrases in a row: tests/ui/test_faults_ui.py.)"""

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlcipher3
from helpers_store import PASSPHRASE

from casereader.errors import CaseReaderError, ImportRejected, StoreError, StoreGone
from casereader.ingest.documents import ImportReport, import_documents
from casereader.store import Store, answers
from casereader.store import documents as store_documents


def _integrity(path: Path) -> str:
    with Store.open(path, PASSPHRASE) as store:
        return store.db.execute("PRAGMA integrity_check").fetchone()[0]


# a read-only store ------------------------------------------------------------------------


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nobody may write to: by permissions, or (as root, who ignores them) a read-only
    mount. Skips where neither can be had."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.name == "nt":
        pytest.skip("a read-only folder is tested on Linux and macOS")
    if os.geteuid() != 0:
        yield folder, lambda: folder.chmod(0o555), lambda: folder.chmod(0o755)
        folder.chmod(0o755)
        return
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)],
                      capture_output=True).returncode:  # fmt: skip
        pytest.skip("cannot make a read-only folder here")

    def remount(mode):
        return lambda: subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)

    try:
        yield folder, remount("ro"), remount("rw")
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_store_in_a_read_only_folder_is_refused_plainly_and_unchanged(
    cases_copy, read_only_folder
):
    folder, make_read_only, _ = read_only_folder
    store = Path(shutil.copy2(cases_copy, folder / "inspection.casereader"))
    before = store.read_bytes()
    make_read_only()
    with pytest.raises(StoreError, match="read-only.*Copy the store to a folder you can write to"):
        Store.open(store, PASSPHRASE)
    assert store.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["inspection.casereader"]


def test_a_read_only_store_file_is_refused_plainly(cases_copy, monkeypatch):
    """The file itself read-only (SQLite opens it read-only and cannot switch to WAL)."""
    real_connect = sqlcipher3.connect

    def read_only(path, *args, **kwargs):
        return real_connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(sqlcipher3, "connect", read_only)
    before = cases_copy.read_bytes()
    with pytest.raises(StoreError, match="read-only") as info:
        Store.open(cases_copy, PASSPHRASE)
    assert "wrong passphrase" not in str(info.value)
    assert cases_copy.read_bytes() == before


# a full disk ------------------------------------------------------------------------------


def _documents_folder(tmp_path: Path) -> Path:
    from helpers_ingest_bridge import minimal_pdf

    folder = tmp_path / "documents"
    for i in range(5):
        agency = folder / f"SA-00{1 + i % 2}" / "Health"
        agency.mkdir(parents=True, exist_ok=True)
        (agency / f"2025-01-0{i + 1} Letter {i}.pdf").write_bytes(
            minimal_pdf([f"Letter {i} about the plan."])
        )
    return folder


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        sqlcipher3.OperationalError("database or disk is full"),
    ],  # fmt: skip
    ids=["ENOSPC", "SQLITE_FULL"],
)
def test_a_full_disk_stops_an_import_plainly_keeping_what_came_before(
    cases_copy, tmp_path, monkeypatch, error
):
    folder = _documents_folder(tmp_path)
    real_add = store_documents.write_document
    calls = []

    def add(store, doc):
        calls.append(doc.source_path)
        if len(calls) == 3:
            raise error
        return real_add(store, doc)

    monkeypatch.setattr(store_documents, "write_document", add)
    report = ImportReport()
    with Store.open(cases_copy, PASSPHRASE) as store:
        with pytest.raises(ImportRejected, match="disk is full.*2 documents imported before it"):
            list(import_documents(store, folder, report, workers=0))
        assert len(store_documents.list_documents(store)) == 2
    assert _integrity(cases_copy) == "ok"
    monkeypatch.setattr(store_documents, "write_document", real_add)
    again = ImportReport()
    with Store.open(cases_copy, PASSPHRASE) as store:
        list(import_documents(store, folder, again, workers=0))
        assert again.imported == 3 and again.duplicates == 2
        assert len(store_documents.list_documents(store)) == 5


def test_a_full_disk_during_an_export_leaves_no_file_and_the_store_unchanged(
    cases_copy, tmp_path, monkeypatch
):
    from pyrage import x25519

    from casereader.bundle import export

    recipient = str(x25519.Identity.generate().to_public())
    with Store.open(cases_copy, PASSPHRASE) as store:
        answers.save_answer(store, "SA-001", store.template.graded_keys()[0], value="4")
    out = tmp_path / "out"
    out.mkdir()

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export.os, "fsync", full)
    with Store.open(cases_copy, PASSPHRASE) as store:
        audit_before = store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        with pytest.raises(CaseReaderError, match="No space left on device; choose another"):
            export.export_bundle(store, [recipient], out / "R1-1.crbundle")
        assert store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_before
    assert list(out.iterdir()) == []  # no partial bundle, no temporary file
    monkeypatch.undo()
    with Store.open(cases_copy, PASSPHRASE) as store:
        result = export.export_bundle(store, [recipient], out / "R1-1.crbundle")
        assert result.path.is_file() and result.sequence >= 1


# the store's folder removed while it is open -----------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="Windows does not let an open store's folder go")
def test_the_folder_removed_while_open_is_said_plainly_and_a_rescue_copy_keeps_everything(
    cases_copy, tmp_path
):
    store = Store.open(cases_copy, PASSPHRASE)
    key = store.template.graded_keys()[0]
    answers.save_answer(store, "SA-001", key, value="5", note="Saved before the folder went.")
    shutil.rmtree(cases_copy.parent)
    assert store.gone()
    with pytest.raises(StoreGone, match="no longer there.*Save a rescue copy"):
        answers.save_answer(store, "SA-001", key, value="2")
    rescue = tmp_path / "rescued.casereader"
    store.rescue_copy(rescue, PASSPHRASE)
    store.close()
    with Store.open(rescue, PASSPHRASE) as rescued:
        assert rescued.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        saved = answers.answers_for(rescued, "SA-001")[key]
        assert (saved.value, saved.note) == ("5", "Saved before the folder went.")
        assert len(rescued.db.execute("SELECT * FROM cases").fetchall()) == 14
        answers.save_answer(rescued, "SA-001", key, value="2")  # and it carries on


def test_a_rescue_copy_never_overwrites(cases_copy, tmp_path):
    with Store.open(cases_copy, PASSPHRASE) as store, pytest.raises(StoreError, match="already"):
        store.rescue_copy(cases_copy, PASSPHRASE)
