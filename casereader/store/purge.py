"""Removing a store at the end of an inspection (SPEC §8): the store, its -wal and -shm, its
lock file and the backups taken before migrations, each overwritten before it is unlinked."""

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from casereader.errors import StoreError
from casereader.store import inuse
from casereader.store.db import connect

EXPORT_ACTIONS = ("bundle.exported", "pack.created")
CHUNK = 1024 * 1024


@dataclass
class Removed:
    path: Path
    size: int
    overwritten: bool
    note: str = ""

    def line(self) -> str:
        how = "overwritten, then removed" if self.overwritten else "removed"
        return f"{how}: {self.path} ({self.size:,} bytes){self.note}"


def store_files(store: Path) -> list[Path]:
    """Every file that belongs to STORE: itself, -wal, -shm, -journal, .lock, .backup-*."""
    store = Path(store)
    names = [store.name + s for s in ("", "-wal", "-shm", "-journal", ".lock")]
    found = [store.with_name(n) for n in names if store.with_name(n).is_file()]
    prefix = store.name + ".backup-"
    backups = sorted(p for p in store.parent.iterdir() if p.name.startswith(prefix))
    return found + [p for p in backups if p.is_file() and not p.is_symlink()]


def was_exported(db) -> bool:
    """Whether a bundle or a reading pack was ever made from this store (its audit log says)."""
    marks = ", ".join("?" for _ in EXPORT_ACTIONS)
    row = db.execute(
        f"SELECT count(*) FROM audit_log WHERE action IN ({marks})", list(EXPORT_ACTIONS)
    ).fetchone()
    return row[0] > 0


def has_been_exported(store: Path, passphrase: str) -> bool:
    db = connect(Path(store), passphrase)
    try:
        return was_exported(db)
    finally:
        db.close()


def purge(store: Path, passphrase: str | None = None, force: bool = False) -> list[Removed]:
    """Remove the store and its companion files; returns what was removed, in order.

    Without FORCE the passphrase must open the store and its audit log must show an export (so
    the reading has left the laptop). Refused while any casereader program has it open.
    """
    store = Path(store)
    if not store.is_file():
        raise StoreError(f"{store}: no such store; nothing was removed.")
    if not force:
        if not passphrase:
            raise StoreError("The store's passphrase is needed to check it was exported.")
        if not has_been_exported(store, passphrase):
            raise StoreError(
                f"{store.name} has never been exported (no bundle or reading pack was made from "
                "it): export first, or use --force to remove it anyway. Nothing was removed."
            )
    lock = inuse.lock_path(store)
    held_before = lock.exists()
    inuse.acquire(store)  # refuses while another program has the store open
    try:
        removed = [_remove(path) for path in store_files(store) if path != lock]
    finally:
        inuse.release(store)
    if lock.exists():  # removed once released (Windows cannot remove a file held open)
        size = lock.stat().st_size
        lock.unlink()
        if held_before:
            removed.append(Removed(lock, size, False, " (the lock file: a process id only)"))
    return removed


def _remove(path: Path) -> Removed:
    """Overwrite the file's bytes with random data (flushed to disk), then unlink it.

    On a copy-on-write or flash file system the old blocks may survive the overwrite; the
    store's contents were encrypted all along, so what could survive is ciphertext.
    """
    size = path.stat().st_size
    overwritten, note = False, ""
    try:
        with open(path, "r+b", buffering=0) as handle:
            left = size
            while left > 0:
                step = min(left, CHUNK)
                handle.write(secrets.token_bytes(step))
                left -= step
            os.fsync(handle.fileno())
        overwritten = True
    except OSError as e:
        note = f" — could not be overwritten first ({e.strerror or e})"
    # A random name first, so the directory entry no longer names the store.
    target = path
    with contextlib.suppress(OSError):
        renamed = path.with_name(f".removed-{secrets.token_hex(8)}")
        os.replace(path, renamed)
        target = renamed
    try:
        target.unlink()
    except OSError as e:
        raise StoreError(f"{path}: could not be removed ({e.strerror or e}).") from e
    return Removed(path, size, overwritten, note)
