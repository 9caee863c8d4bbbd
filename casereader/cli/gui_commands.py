"""The `gui` command: open the desktop app (Qt is imported only when the command runs)."""

import argparse
import os
import sys
from pathlib import Path

from casereader.cli.common import PASSPHRASE_ENV, CommandFailed
from casereader.process_guard import take_env_secret


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="open the desktop app (last store, or a welcome screen)")
    p.add_argument("store", nargs="?", help="the store to open (default: the last one opened)")
    p.set_defaults(func=cmd_gui)


def has_screen() -> bool:
    """False on Linux without an X or Wayland display (and no Qt platform chosen)."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def cmd_gui(args) -> int:
    """Open STORE (passphrase from CASEREADER_PASSPHRASE, else a dialog), or the last store."""
    store = Path(args.store) if getattr(args, "store", None) else None
    if store is not None and not store.is_file():
        raise CommandFailed(f"{store}: no such store. Check the path, or create one with `init`.")
    if not has_screen():
        # Qt would abort with a long message; say it in one line instead.
        raise CommandFailed(
            "no screen to open a window on (DISPLAY is not set): run casereader on the "
            "desktop, or `casereader demo --screenshot PNG` to render the app to a picture."
        )
    from casereader.app import run_gui  # Qt only from here on

    return run_gui(store, take_env_secret(PASSPHRASE_ENV) or None)
