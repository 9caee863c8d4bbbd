"""The user's preferences: recent stores, idle lock, last store (JSON in user_dir()).

A small pydantic model written through a temporary file and os.replace, so a crash never
leaves half a file. Only paths and numbers live here, never anything about a child. Window
geometry and splitter states are the only things kept in QSettings (see window_settings()).
"""

import json
import os
import sys
import tempfile
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, field_validator

from casereader.paths import user_dir

PREFS_FILE = "prefs.json"
MAX_RECENT = 8
MIN_LOCK_MINUTES = 1
DEFAULT_LOCK_MINUTES = 10


class Prefs(BaseModel):
    """What the app remembers between runs."""

    recent_stores: list[str] = Field(default_factory=list)
    # at least a minute: only a coordinator store may never lock, by a deliberate choice
    idle_lock_minutes: int = Field(default=10, ge=MIN_LOCK_MINUTES, le=24 * 60)
    coordinator_never_locks: bool = False
    last_store: str | None = None
    # the reader's zoom for PDFs: "width" (fit the width), "page" or a factor such as "1.25"
    pdf_zoom: str = "width"

    @field_validator("idle_lock_minutes", mode="before")
    @classmethod
    def _never_was_a_reader_choice(cls, value):
        # 0 meant "never" for every store; a reader store now always locks
        return DEFAULT_LOCK_MINUTES if value == 0 else value

    def lock_minutes(self, role: str | None) -> int:
        """Minutes without input before the lock for a store of this role (0: never)."""
        if role == "coordinator" and self.coordinator_never_locks:
            return 0
        return self.idle_lock_minutes

    def remember_store(self, path: Path | str) -> "Prefs":
        """A copy with this store first in the recent list and as the last store opened."""
        text = str(Path(path).resolve())
        recent = [text] + [p for p in self.recent_stores if p != text]
        return self.model_copy(update={"recent_stores": recent[:MAX_RECENT], "last_store": text})

    def forget_store(self, path: Path | str) -> "Prefs":
        """A copy without this store (it was moved or deleted)."""
        text = str(Path(path).resolve())
        last = None if self.last_store == text else self.last_store
        recent = [p for p in self.recent_stores if p != text]
        return self.model_copy(update={"recent_stores": recent, "last_store": last})

    def existing_recent(self) -> list[Path]:
        """The recent stores that are still where they were."""
        return [Path(p) for p in self.recent_stores if Path(p).is_file()]


def prefs_path() -> Path:
    return user_dir() / PREFS_FILE


def load_prefs() -> Prefs:
    """The saved preferences; defaults when there are none or the file is unreadable."""
    path = prefs_path()
    try:
        return Prefs.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return Prefs()
    except (OSError, ValueError, ValidationError) as e:
        # A damaged preferences file must never stop the app from starting.
        sys.stderr.write(f"casereader: ignoring unreadable preferences {path} ({e}).\n")
        return Prefs()


def save_prefs(prefs: Prefs) -> None:
    """Write the preferences atomically (temporary file in the same folder, then os.replace)."""
    path = prefs_path()
    fd, tmp = tempfile.mkstemp(prefix=".prefs-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(prefs.model_dump_json(indent=2))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def window_settings():
    """The QSettings file for window geometry and splitter states (and nothing else)."""
    from PySide6.QtCore import QSettings

    return QSettings(str(user_dir() / "window.ini"), QSettings.Format.IniFormat)


def restore_layout(window, splitters) -> set[str]:
    """Restore the window's geometry and state and each named splitter's sizes, if saved;
    the names of the splitters restored."""
    settings = window_settings()
    if geometry := settings.value("window/geometry"):
        window.restoreGeometry(geometry)
    elif window.screen() is not None:
        # First run: most of the screen, up to the size the layout was designed at.
        free = window.screen().availableGeometry()
        window.resize(min(1600, int(free.width() * 0.9)), min(1000, int(free.height() * 0.9)))
    if state := settings.value("window/state"):
        window.restoreState(state)
    return restore_splitters(splitters, settings)


def restore_splitters(splitters, settings=None) -> set[str]:
    """Restore each named splitter's sizes, if saved (for widgets built after the window);
    the names of the splitters restored."""
    settings = settings or window_settings()
    restored = set()
    for splitter in splitters:
        if state := settings.value(f"splitters/{splitter.objectName()}"):
            splitter.restoreState(state)
            restored.add(splitter.objectName())
    return restored


def save_layout(window, splitters) -> None:
    """Remember the window's geometry and state and each named splitter's sizes."""
    settings = window_settings()
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    for splitter in splitters:
        settings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
    settings.sync()
