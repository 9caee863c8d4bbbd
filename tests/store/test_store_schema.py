"""The store's schema: snapshot, pragmas, append-only audit log and migrations of older stores.

Regenerate the schema snapshot after adding a migration (never after editing a released one):

    CASEREADER_UPDATE_SCHEMA_SNAPSHOT=1 pytest tests/store/test_store_schema.py

When a migration is released, commit a store written at it (never rewrite an older one):

    python tests/store/test_store_schema.py --write-fixture \
        tests/store/fixtures/store-m00N.casereader m00N_name
"""

import os
import shutil
import sys
from pathlib import Path

import pytest
import sqlcipher3
from helpers_store import PASSPHRASE, add_cases, create_store, template
from sqlite_utils import Migrations

from casereader.store import Store, answers, audit, documents, flags
from casereader.store.db import connect, known_migrations
from casereader.store.documents import DocumentIn
from casereader.store.migrations import migrations

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE / "schema_snapshot.sql"
FIXTURES = HERE / "fixtures"
FIXTURE_PASSPHRASE = "fixture store passphrase"
UPDATE_ENV = "CASEREADER_UPDATE_SCHEMA_SNAPSHOT"


def schema_sql(db) -> str:
    """Every CREATE statement in the store, sorted by type and name."""
    rows = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
    ).fetchall()
    return "".join(f"-- {kind} {name}\n{sql.strip()};\n\n" for kind, name, sql in rows)


def applied(path: Path, passphrase: str = PASSPHRASE) -> list[str]:
    db = connect(path, passphrase)
    try:
        return [m.name for m in migrations.applied(db)]
    finally:
        db.close()


def backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".backup-*"))


# schema snapshot -------------------------------------------------------------------------


def test_a_blank_store_has_exactly_the_snapshot_schema(blank_store_file):
    db = connect(blank_store_file, PASSPHRASE)
    try:
        schema = schema_sql(db)
        names = [m.name for m in migrations.applied(db)]
    finally:
        db.close()
    assert names == known_migrations()
    if os.environ.get(UPDATE_ENV):
        SNAPSHOT.write_text(schema, encoding="utf-8")
    assert SNAPSHOT.is_file(), f"no snapshot yet: run with {UPDATE_ENV}=1 to write it"
    assert schema == SNAPSHOT.read_text(encoding="utf-8"), (
        f"the migrated schema differs from {SNAPSHOT.name}; if a new migration is meant to "
        f"change it, regenerate with {UPDATE_ENV}=1 pytest {Path(__file__).name}"
    )


def test_the_snapshot_holds_the_tables_the_spec_needs():
    snapshot = SNAPSHOT.read_text(encoding="utf-8")
    tables = ["cases", "assignments", "substitutions", "documents", "document_content"]
    tables += ["answers", "flags", "flag_events", "audit_log", "templates", "settings"]
    for table in tables:
        assert f"-- table {table}\n" in snapshot
    assert "USING fts5" in snapshot


# pragmas and constraints on an opened store ------------------------------------------------


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    path = tmp_path_factory.mktemp("opened") / "inspection.casereader"
    with create_store(path) as store:
        add_cases(store, core=3, reserve=1)
    store = Store.open(path, PASSPHRASE)
    yield store
    store.close()


def pragma(store: Store, name: str):
    return store.db.execute(f"PRAGMA {name}").fetchone()[0]


def test_an_opened_store_runs_in_wal_mode_with_foreign_keys_on(opened):
    assert pragma(opened, "journal_mode") == "wal"
    assert pragma(opened, "foreign_keys") == 1
    assert pragma(opened, "synchronous") == 2  # FULL: an autosave survives a power cut
    assert pragma(opened, "temp_store") == 2  # MEMORY: no plaintext spill files
    assert Path(str(opened.path) + "-wal").exists()


def test_foreign_keys_are_enforced(opened):
    with pytest.raises(sqlcipher3.IntegrityError, match="FOREIGN KEY"):
        opened.db.execute(
            "INSERT INTO assignments (case_ref, reader_id, updated_at) VALUES ('SA-404', 'R1', 'x')"
        )


def test_the_audit_log_refuses_update_and_delete(opened):
    answers.save_answer(opened, "SA-001", "initial_response.grade", value="4")
    answers.save_answer(opened, "SA-001", "initial_response.grade", value="5")
    before = audit.entries(opened)
    changes = [(e.old_value, e.new_value) for e in before if e.action == "answer.value"]
    assert changes == [(None, "4"), ("4", "5")]
    for statement in (
        "UPDATE audit_log SET new_value = '6' WHERE action = 'answer.value'",
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log WHERE action = 'answer.value'",
        "DELETE FROM audit_log",
    ):
        with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
            opened.db.execute(statement)
    assert audit.entries(opened) == before


def test_the_audit_log_cannot_be_rewritten_with_insert_or_replace(opened):
    # REPLACE deletes the old row; only recursive triggers (sqlite-utils turns them on) see it.
    assert pragma(opened, "recursive_triggers") == 1
    first = audit.entries(opened)[0]
    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
        opened.db.execute(
            "INSERT OR REPLACE INTO audit_log (id, at, actor, action) VALUES (?, 'then', 'x', 'y')",
            [first.id],
        )


def test_audit_entries_can_be_read_by_case_and_action(opened):
    answers.save_answer(opened, "SA-002", "chronology.present", value="yes")
    by_case = audit.entries(opened, case_ref="SA-002")
    assert by_case and all(e.case_ref == "SA-002" for e in by_case)
    by_action = audit.entries(opened, action="answer.value")
    assert by_action and all(e.action == "answer.value" for e in by_action)
    assert all(e.actor == "R1" and e.at for e in by_action)


# migrations ---------------------------------------------------------------------------------


def test_an_older_store_is_backed_up_then_migrated(cases_copy, monkeypatch):
    """A migration this store has not seen yet: the backup is the store as it was before."""

    def m900_test_upgrade(db):
        db.execute("INSERT INTO settings (key, value) VALUES ('upgraded', 'yes')")

    extra = Migrations._Migration("m900_test_upgrade", m900_test_upgrade)
    monkeypatch.setattr(migrations, "_migrations", [*migrations._migrations, extra])
    old = applied(cases_copy)
    assert backups(cases_copy) == []
    with Store.open(cases_copy, PASSPHRASE) as store:
        assert [m.name for m in migrations.applied(store.db)] == [*old, "m900_test_upgrade"]
        assert store.setting("upgraded") == "yes"
        assert len(store.db.execute("SELECT * FROM cases").fetchall()) == 14
    [backup] = backups(cases_copy)
    assert old[-1] in backup.name
    db = connect(backup, PASSPHRASE)  # not Store.open: that would migrate the backup too
    try:
        assert [m.name for m in migrations.applied(db)] == old
        assert db.execute("SELECT value FROM settings WHERE key = 'upgraded'").fetchone() is None
        assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 14
    finally:
        db.close()
    with Store.open(cases_copy, PASSPHRASE):  # already migrated: no second backup
        pass
    assert len(backups(cases_copy)) == 1


def _m001_settings(db, t) -> None:
    """The settings and template rows a store has had since m001 (what Store.create writes)."""
    settings = {
        "inspection_id": "00000000-0000-4000-8000-000000000001",
        "inspection_name": "Older partnership",
        "role": "reader",
        "reader_id": "R1",
        "template_sha256": t.sha256,
        "created_at": "2025-01-31T09:00:00.000+00:00",
    }
    with db.atomic():
        db["templates"].insert(
            {
                "sha256": t.sha256,
                "template_id": t.id,
                "version": t.version,
                "source": t.source_text,
                "added_at": settings["created_at"],
            }  # fmt: skip
        )
        db["settings"].insert_all([{"key": k, "value": v} for k, v in settings.items()])


@pytest.mark.parametrize("stop_before", known_migrations()[1:])
def test_a_store_stopped_before_each_real_migration_is_backed_up_then_migrated(
    tmp_path, stop_before
):
    path = tmp_path / "older.casereader"
    db = connect(path, PASSPHRASE)
    db.execute("PRAGMA journal_mode = WAL")
    migrations.apply(db, stop_before=stop_before)
    _m001_settings(db, template())
    db.close()
    old = applied(path)
    assert stop_before not in old
    with Store.open(path, PASSPHRASE) as store:
        assert [m.name for m in migrations.applied(store.db)] == known_migrations()
        assert store.inspection.name == "Older partnership"
    [backup] = backups(path)
    assert applied(backup) == old


# committed stores from older versions ------------------------------------------------------


def write_fixture_store(path: Path, up_to: str) -> None:
    """A small store with one of everything at migration up_to, kept in git for future versions."""
    names = known_migrations()
    kept = migrations._migrations[: names.index(up_to) + 1]
    migrations._migrations, everything = kept, migrations._migrations
    try:
        _write_fixture_store(path)
    finally:
        migrations._migrations = everything


def _write_fixture_store(path: Path) -> None:
    store = Store.create(
        path, FIXTURE_PASSPHRASE, template(), "Fixture partnership", "reader", "R1"
    )
    with store:
        add_cases(store, core=1, reserve=1)
        answers.save_answer(store, "SA-001", "initial_response.child_seen", value="yes",
                            note="Seen alone at home.")  # fmt: skip
        answers.save_answer(store, "SA-001", "initial_response.grade", value="4", agreed_value="3")
        flags.raise_flag(store, "SA-001", "investigate", "Fictional concern for a fixture.")
        documents.add_document(
            store,
            DocumentIn(
                case_ref="SA-001", sha256="0" * 64, agency="Health", doc_date="2024-01-02",
                date_source="name", title="Lighthouse note", doc_type="txt", page_count=None,
                source_path="SA-001/Health/2024-01-02 Lighthouse note.txt",
                content=b"The lighthouse keeper visited.", pages=["The lighthouse keeper visited."],
            ),
        )  # fmt: skip
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


FIXTURE_STORES = sorted(FIXTURES.glob("*.casereader"))


def applied_names_of(path: Path) -> list[str]:
    return applied(path, FIXTURE_PASSPHRASE)


@pytest.mark.parametrize("fixture", FIXTURE_STORES, ids=lambda p: p.name)
def test_a_committed_older_store_opens_with_its_data_after_migration(tmp_path, fixture):
    path = Path(shutil.copy2(fixture, tmp_path / fixture.name))
    pending = [m for m in known_migrations() if m not in applied_names_of(path)]
    with Store.open(path, FIXTURE_PASSPHRASE) as store:
        assert [m.name for m in migrations.applied(store.db)] == known_migrations()
        assert store.inspection.name == "Fixture partnership"
        saved = answers.answers_for(store, "SA-001")
        assert saved["initial_response.child_seen"].value == "yes"
        assert saved["initial_response.child_seen"].note == "Seen alone at home."
        grade = saved["initial_response.grade"]
        assert (grade.value, grade.agreed_value) == ("4", "3")
        assert [f.status for f in flags.list_flags(store, "SA-001")] == ["raised"]
        assert [h.title for h in documents.search(store, "lighthouse")] == ["Lighthouse note"]
    assert len(backups(path)) == (1 if pending else 0)


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "--write-fixture":
        sys.exit(f"usage: python {sys.argv[0]} --write-fixture PATH.casereader MIGRATION")
    write_fixture_store(Path(sys.argv[2]), sys.argv[3])
    print(f"wrote {sys.argv[2]} at {sys.argv[3]} (passphrase {FIXTURE_PASSPHRASE!r})")
