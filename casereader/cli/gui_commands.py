"""The `gui` command: open the desktop app (Qt is imported only when the command runs)."""

import argparse
import os
from pathlib import Path

from casereader.cli.common import PASSPHRASE_ENV, CommandFailed


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="open the desktop app (last store, or a welcome screen)")
    p.add_argument("store", nargs="?", help="the store to open (default: the last one opened)")
    p.set_defaults(func=cmd_gui)


def cmd_gui(args) -> int:
    """Open STORE (passphrase from CASEREADER_PASSPHRASE, else a dialog), or the last store."""
    store = Path(args.store) if getattr(args, "store", None) else None
    if store is not None and not store.is_file():
        raise CommandFailed(f"{store}: no such store. Check the path, or create one with `init`.")
    from casereader.app import run_gui  # Qt only from here on

    return run_gui(store, os.environ.get(PASSPHRASE_ENV) or None)
