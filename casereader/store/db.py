"""Opening and creating the encrypted store (SQLCipher under sqlite-utils)."""

import errno
import shutil
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3
from sqlite_utils import Database

from casereader.domain.passphrase_strength import passphrase_problem
from casereader.errors import StoreError, StoreTooNew, WrongPassphrase
from casereader.store.migrations import migrations

STORE_SUFFIX = ".casereader"


def now() -> str:
    """The current UTC time as ISO 8601 with seconds, as every table stores it."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def read_only_error(path: Path) -> StoreError:
    return StoreError(
        f"{path.name} cannot be written where it is: the file or its folder is read-only "
        "(casereader saves every answer at once, and keeps its -wal and -shm files beside the "
        "store). Copy the store to a folder you can write to and open the copy; nothing was "
        "changed."
    )


def _cannot_write(e: Exception) -> bool:
    name = getattr(e, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")) or "readonly" in str(e)


def disk_full(e: BaseException) -> bool:
    """Whether an error means the disk (or the store's quota) is full."""
    if isinstance(e, OSError) and e.errno == errno.ENOSPC:
        return True
    name = getattr(e, "sqlite_errorname", "") or ""
    return name.startswith("SQLITE_FULL") or "disk is full" in str(e)


def _quote(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def connect(path: Path, passphrase: str) -> Database:
    """Open an existing store file's connection with the key applied and the pragmas set.

    Raises WrongPassphrase when the key does not decrypt the file, without writing anything.
    """
    if not passphrase:
        raise WrongPassphrase("No passphrase given: the store cannot be opened without one.")
    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        # SQLCipher would otherwise print its own lines on a wrong key; we say it once, clearly.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {_quote(passphrase)}")
        # Sorts and temporary tables stay in memory: no plaintext spill files on disk.
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.OperationalError as e:
        conn.close()
        if _cannot_write(e):
            raise read_only_error(path) from e
        raise StoreError(f"{path.name} cannot be opened: {e}. Nothing was changed.") from e
    except sqlcipher3.DatabaseError as e:
        conn.close()
        raise WrongPassphrase(
            f"{path.name}: wrong passphrase, or not a casereader store. "
            "Check the passphrase and the file; nothing was changed."
        ) from e
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    return Database(conn, execute_plugins=False)


def _set_write_pragmas(db: Database) -> None:
    db.execute("PRAGMA journal_mode = WAL")
    # FULL: each autosaved answer survives a power cut, not only a crash.
    db.execute("PRAGMA synchronous = FULL")


def known_migrations() -> list[str]:
    return [m.name for m in migrations._migrations]


def open_database(path: Path, passphrase: str) -> Database:
    """Open a store file, refusing newer ones and migrating older ones after a backup copy."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: no such store. Check the path, or create one with `init`.")
    db = connect(path, passphrase)
    try:
        applied = [m.name for m in migrations.applied(db)]
        unknown = [name for name in applied if name not in known_migrations()]
        if unknown:
            raise StoreTooNew(
                f"{path.name} was written by a newer version of casereader (schema "
                f"{unknown[-1]}); install that version to open it. The store was not changed."
            )
        if not applied:
            raise StoreError(f"{path.name} is not a casereader store (no schema found).")
        try:
            _set_write_pragmas(db)
            # A read-only file opens read-only without a word: find out now, not at the first
            # autosave, by starting a write that changes nothing and rolling it back.
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("UPDATE settings SET key = key WHERE 0")
            finally:
                db.execute("ROLLBACK")
        except sqlcipher3.OperationalError as e:
            if _cannot_write(e):
                raise read_only_error(path) from e
            raise
        if migrations.pending(db):
            backup_before_migration(db, path, applied[-1])
            migrations.apply(db)
    except Exception:
        db.close()
        raise
    return db


def backup_before_migration(db: Database, path: Path, version: str) -> Path:
    """Copy the (still encrypted) store aside before its schema is upgraded."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    backup = path.with_name(f"{path.name}.backup-{version}-{stamp}")
    shutil.copy2(path, backup)
    return backup


def create_database(path: Path, passphrase: str) -> Database:
    """Create a new empty store file with the current schema; refuses an existing file."""
    path = Path(path)
    if path.exists():
        raise StoreError(f"{path}: a file is already there; choose another name.")
    if not path.parent.is_dir():
        raise StoreError(f"{path.parent}: no such folder.")
    problem = passphrase_problem(passphrase, "store passphrase")
    if problem:
        raise StoreError(problem)
    db = connect(path, passphrase)
    _set_write_pragmas(db)
    migrations.apply(db)
    return db
