"""Where casereader keeps its files: user_dir() for preferences, resource() for shipped data."""

import os
import sys
from pathlib import Path


def user_dir() -> Path:
    """The per-user folder for preferences (CASEREADER_HOME overrides). Never holds case data."""
    override = os.environ.get("CASEREADER_HOME")
    if override:
        base = Path(override)
    elif os.name == "nt":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "casereader"
    else:
        config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        base = Path(config) / "casereader"
    base.mkdir(parents=True, exist_ok=True)
    return base


def _root() -> Path:
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parent.parent


def resource(*parts: str) -> Path:
    """A file shipped with the app (works from a checkout and from a PyInstaller build)."""
    return _root().joinpath("resources", *parts)


def forms_dir() -> Path:
    """The folder of record-reading templates (CASEREADER_FORMS overrides, for tests)."""
    override = os.environ.get("CASEREADER_FORMS")
    return Path(override) if override else _root() / "forms"
