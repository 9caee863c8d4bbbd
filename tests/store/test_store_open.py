"""Creating and opening the encrypted store; every wrong input leaves the file untouched."""

import os
import sqlite3

import pytest
import sqlcipher3
from helpers_store import PASSPHRASE, create_store, digest, folder_state, template

from casereader.errors import StoreError, StoreTooNew, WrongPassphrase
from casereader.store import Store, audit


def test_create_then_open_gives_back_the_same_inspection(tmp_path):
    path = tmp_path / "inspection.casereader"
    with Store.create(path, PASSPHRASE, template(), "  Example partnership  ", "reader", "R2") as s:
        created = s.inspection
    with Store.open(path, PASSPHRASE) as store:
        assert store.inspection == created
        assert store.inspection.name == "Example partnership"
        assert (store.role, store.reader_id) == ("reader", "R2")
        assert store.template.sha256 == template().sha256
        assert store.template.id == "cso-at-home-2025"
        assert len(store.signing_private_key()) == 32
        assert [e.action for e in audit.entries(store)] == ["store.created"]


def test_a_coordinator_store_needs_no_reader_id(tmp_path):
    path = tmp_path / "coordinator.casereader"
    with Store.create(path, PASSPHRASE, template(), "Example partnership", "coordinator") as s:
        assert (s.role, s.reader_id) == ("coordinator", "coordinator")


@pytest.mark.parametrize(
    ("name", "passphrase", "reader", "message"),
    [
        ("", PASSPHRASE, "R1", "name"),
        ("   ", PASSPHRASE, "R1", "name"),
        ("Example", "short", "R1", "at least 10"),
        ("Example", "password1234", "R1", "too easy to guess"),
        ("Example", PASSPHRASE, "", "reader id"),
        ("Example", PASSPHRASE, "   ", "reader id"),
    ],
)
def test_create_refuses_bad_settings_and_writes_no_file(
    tmp_path, name, passphrase, reader, message
):
    path = tmp_path / "inspection.casereader"
    with pytest.raises(StoreError, match=message):
        Store.create(path, passphrase, template(), name, "reader", reader)
    assert list(tmp_path.iterdir()) == [tmp_path / "home"]


def test_create_never_overwrites_an_existing_file(tmp_path):
    path = tmp_path / "inspection.casereader"
    path.write_bytes(b"someone else's work")
    with pytest.raises(StoreError, match="already there"):
        create_store(path)
    assert path.read_bytes() == b"someone else's work"


def test_create_refuses_a_missing_folder(tmp_path):
    with pytest.raises(StoreError, match="no such folder"):
        create_store(tmp_path / "not-there" / "inspection.casereader")
    assert not (tmp_path / "not-there").exists()


def test_wrong_passphrase_is_refused_and_nothing_is_written(blank_copy):
    before = folder_state(blank_copy.parent)
    with pytest.raises(WrongPassphrase, match="wrong passphrase") as raised:
        Store.open(blank_copy, "correct horse battery stapler")
    assert "\n" not in str(raised.value)
    assert folder_state(blank_copy.parent) == before


def test_an_empty_passphrase_is_refused(blank_copy):
    before = folder_state(blank_copy.parent)
    with pytest.raises(WrongPassphrase, match="No passphrase"):
        Store.open(blank_copy, "")
    assert folder_state(blank_copy.parent) == before


def test_a_missing_store_is_reported_and_not_created(tmp_path):
    path = tmp_path / "missing.casereader"
    with pytest.raises(StoreError, match="no such store"):
        Store.open(path, PASSPHRASE)
    assert not path.exists()


def test_a_file_of_noise_is_refused_unchanged(tmp_path):
    path = tmp_path / "noise.casereader"
    path.write_bytes(os.urandom(8192))
    before = folder_state(tmp_path)
    with pytest.raises(WrongPassphrase):
        Store.open(path, PASSPHRASE)
    assert folder_state(tmp_path) == before


def test_an_unencrypted_sqlite_file_is_refused_unchanged(tmp_path):
    path = tmp_path / "plain.casereader"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE cases (case_ref TEXT)")
    before = folder_state(tmp_path)
    with pytest.raises(WrongPassphrase):
        Store.open(path, PASSPHRASE)
    assert folder_state(tmp_path) == before


def test_an_encrypted_file_without_our_schema_is_refused_unchanged(tmp_path):
    path = tmp_path / "other.casereader"
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    conn.execute("CREATE TABLE shopping (item TEXT)")
    conn.commit()
    conn.close()
    before = folder_state(tmp_path)
    with pytest.raises(StoreError, match="not a casereader store"):
        Store.open(path, PASSPHRASE)
    assert folder_state(tmp_path) == before


def test_a_store_from_a_newer_version_is_refused_and_left_byte_identical(blank_copy):
    with Store.open(blank_copy, PASSPHRASE) as store:
        store.db.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('casereader', 'm999_future', '2031-01-01 00:00:00+00:00')"
        )
    before = folder_state(blank_copy.parent)
    assert list(before) == [blank_copy.name]
    with pytest.raises(StoreTooNew, match="newer version") as raised:
        Store.open(blank_copy, PASSPHRASE)
    assert "m999_future" in str(raised.value)
    assert folder_state(blank_copy.parent) == before
    assert digest(blank_copy) == before[blank_copy.name]
