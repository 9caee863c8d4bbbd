"""`purge` removes a store and everything that belongs to it, only after an export (or --force),
and says exactly what it removed; the in-use lock keeps a second program off an open store."""

import subprocess
import sys

import pytest
from helpers_store import PASSPHRASE

from casereader.cli import main
from casereader.errors import StoreError, StoreLocked
from casereader.store import Store, inuse
from casereader.store.purge import purge, store_files


def _add_companions(store):
    """A -wal, -shm, lock file and two migration backups beside the store (after any open:
    SQLite clears a -wal it cannot use when it closes)."""
    for suffix in ("-wal", "-shm", ".backup-m001_initial-20260101T000000",
                   ".backup-m002_bundles-20260102T000000"):  # fmt: skip
        store.with_name(store.name + suffix).write_bytes(b"\x01" * 4096)
    inuse.lock_path(store).write_text("1")


@pytest.fixture
def store_with_files(cases_copy):
    """The store with its companion files, and a neighbouring store that must survive."""
    _add_companions(cases_copy)
    neighbour = cases_copy.with_name("other.casereader")
    neighbour.write_bytes(b"another store")
    return cases_copy, neighbour


def _mark_exported(path):
    with Store.open(path, PASSPHRASE) as store:
        store.audit("bundle.exported", target="R1-1.crbundle")


def test_purge_refuses_a_store_never_exported_and_removes_nothing(store_with_files):
    store, _ = store_with_files
    before = store.read_bytes()
    with pytest.raises(StoreError, match="never been exported.*--force.*Nothing was removed"):
        purge(store, PASSPHRASE)
    assert store.read_bytes() == before
    assert {p.name[len(store.name) :] for p in store_files(store)} >= {
        "",
        ".lock",
        ".backup-m001_initial-20260101T000000",
        ".backup-m002_bundles-20260102T000000",
    }


def test_purge_after_an_export_removes_every_file_and_says_so(
    store_with_files, capsys, monkeypatch
):
    store, neighbour = store_with_files
    _mark_exported(store)
    _add_companions(store)
    files = store_files(store)
    assert {p.name[len(store.name) :] for p in files} >= {"", "-wal", "-shm", ".lock"}
    monkeypatch.setenv("CASEREADER_PASSPHRASE", PASSPHRASE)
    assert main(["purge", str(store)]) == 0
    out = capsys.readouterr().out
    # (checking the export opens the store, and SQLite clears the -wal/-shm as it closes)
    listed = [p for p in files if str(p) in out]
    assert {p.name[len(store.name) :] for p in listed} >= {
        "",
        ".lock",
        ".backup-m001_initial-20260101T000000",
        ".backup-m002_bundles-20260102T000000",
    }
    assert out.count("overwritten, then removed") == len(listed) - 1  # the lock file: removed
    assert f"Removed {len(listed)} files" in out
    assert not any(p.exists() for p in files)
    assert neighbour.read_bytes() == b"another store"
    assert not [p for p in store.parent.iterdir() if p.name.startswith(".removed-")]


def test_purge_overwrites_before_unlinking(store_with_files, monkeypatch):
    store, _ = store_with_files
    seen = {}
    real_unlink = type(store).unlink

    def spy(self, *a, **k):
        seen[self.name] = self.read_bytes()
        return real_unlink(self, *a, **k)

    monkeypatch.setattr(type(store), "unlink", spy)
    removed = purge(store, force=True)
    wal = [r for r in removed if r.path.name.endswith("-wal")][0]
    assert wal.overwritten and wal.size == 4096
    contents = [v for k, v in seen.items() if k.startswith(".removed-")]
    assert contents and all(b"\x01" * 64 not in c for c in contents)


def test_purge_with_force_needs_no_passphrase_and_a_wrong_one_changes_nothing(store_with_files):
    store, _ = store_with_files
    with pytest.raises(StoreError, match="wrong passphrase"):
        purge(store, "not the passphrase")
    assert store.exists()
    assert main(["purge", str(store), "--force"]) == 0
    assert not store.exists()


def test_purge_of_a_missing_store_says_so():
    assert main(["purge", "/nonexistent/x.casereader", "--force"]) == 1


HOLDER = """
import sys, time
from casereader.store import Store
store = Store.open(sys.argv[1], sys.argv[2], exclusive=True)
print("open", flush=True)
time.sleep(60)
"""


def test_a_store_open_in_another_program_is_refused_plainly(cases_copy, monkeypatch, capsys):
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(cases_copy), PASSPHRASE],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "open"
        with pytest.raises(StoreLocked, match=r"open in another casereader window or command "
                                              rf"\(process {child.pid}\)"):  # fmt: skip
            Store.open(cases_copy, PASSPHRASE, exclusive=True)
        with pytest.raises(StoreLocked):
            purge(cases_copy, force=True)
        monkeypatch.setenv("CASEREADER_PASSPHRASE", PASSPHRASE)
        assert main(["status", str(cases_copy)]) == 1
        assert "is open in another casereader window" in capsys.readouterr().err
        assert cases_copy.exists()
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
    # The lock goes with the process, even killed: the store opens at once.
    with Store.open(cases_copy, PASSPHRASE, exclusive=True) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_one_process_may_open_a_store_twice(cases_copy):
    first = Store.open(cases_copy, PASSPHRASE, exclusive=True)
    second = Store.open(cases_copy, PASSPHRASE, exclusive=True)
    second.close()
    assert inuse.is_held_here(cases_copy)
    first.close()
    assert not inuse.is_held_here(cases_copy)
