"""One program at a time on a store: an operating-system lock on ``NAME.lock`` beside it.

The desktop app holds it while a store is open and every CLI command holds it while it runs, so
a second app window, or a CLI command while the app has the store, is told plainly that the store
is open elsewhere (SQLite itself would keep both safe, but two windows on one store would each
show answers the other has changed). The lock is the operating system's (flock on Linux and
macOS, msvcrt.locking on Windows): it goes when the process ends, even by a crash or kill, so a
stale lock file never blocks anyone. The file holds only the holder's process id; it stays
beside the store until `purge` removes it.
"""

import contextlib
import os
import sys
from pathlib import Path

from casereader.errors import StoreLocked

# This process's locks: a store opened twice in one process (two windows of one app, a test)
# shares the one lock.
_HELD: dict[str, tuple[int, int, bool]] = {}  # path → (descriptor, count, created by us)


def lock_path(store_path: Path) -> Path:
    return Path(store_path).with_name(Path(store_path).name + ".lock")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        import fcntl
    except ImportError:  # no locking on this system: SQLite's own locking still keeps it safe
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii").strip()
    except OSError:
        return ""
    return f" (process {pid})" if pid.isdigit() else ""


def acquire(store_path: Path) -> None:
    """Hold the store's lock, or raise StoreLocked saying it is open elsewhere."""
    key = os.path.realpath(store_path)
    if key in _HELD:
        fd, count, created = _HELD[key]
        _HELD[key] = (fd, count + 1, created)
        return
    path = lock_path(store_path)
    created = not path.exists()
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
    except OSError:
        return  # a read-only folder: nobody can write a lock there, and SQLite keeps reads safe
    if not _try_lock(fd):
        os.close(fd)
        if created:
            with contextlib.suppress(OSError):
                path.unlink()
        raise StoreLocked(
            f"{Path(store_path).name} is open in another casereader window or command"
            f"{_holder(path)}. Close it there (or wait for the command to finish), then try "
            "again; nothing was changed."
        )
    _HELD[key] = (fd, 1, created)


def mark_holder(store_path: Path) -> None:
    """Write this process's id into the held lock file (once the store has opened), so that a
    second program can say who has it."""
    held = _HELD.get(os.path.realpath(store_path))
    if held is None:
        return
    fd = held[0]
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, str(os.getpid()).encode())


def release(store_path: Path, discard: bool = False) -> None:
    """Let the lock go. DISCARD (the store did not open): a lock file this call's acquire
    created is removed too, so a refused open leaves the folder as it was."""
    key = os.path.realpath(store_path)
    if key not in _HELD:
        return
    fd, count, created = _HELD.pop(key)
    if count > 1:
        _HELD[key] = (fd, count - 1, created)
        return
    if discard and created:
        with contextlib.suppress(OSError):
            lock_path(store_path).unlink()
    # The file stays (unlinking it could let two processes lock two different files); closing
    # the descriptor lets the lock go. `purge` removes it with the store.
    with contextlib.suppress(OSError):
        os.close(fd)


def is_held_here(store_path: Path) -> bool:
    return os.path.realpath(store_path) in _HELD


@contextlib.contextmanager
def held(store_path: Path):
    acquire(store_path)
    try:
        yield
    finally:
        release(store_path)
