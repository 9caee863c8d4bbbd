"""Helpers shared by the command modules: passphrases, opening stores, JSON output."""

import getpass
import json
import os
import sys
from pathlib import Path

from casereader.errors import CaseReaderError, UsageError
from casereader.store import Store

PASSPHRASE_ENV = "CASEREADER_PASSPHRASE"
PACK_PASSPHRASE_ENV = "CASEREADER_PACK_PASSPHRASE"


class CommandFailed(CaseReaderError):
    """A command could not do what was asked (exit 1)."""


def passphrase(prompt: str = "Store passphrase: ", env: str = PASSPHRASE_ENV, confirm=False) -> str:
    """The passphrase from the environment, else asked on the terminal (never echoed)."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UsageError(f"No passphrase: set {env} or run from a terminal to be asked.")
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again, to confirm: ") != value:
        raise UsageError("The two passphrases differ; nothing was created.")
    return value


def open_store(path: str) -> Store:
    """Open the store for one command, refusing plainly if the app (or a command) has it open."""
    return Store.open(Path(path), passphrase(), exclusive=True)


def print_json(data) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, sort_keys=False)
    sys.stdout.write("\n")


def progress_printer(prefix: str):
    """Prints progress to stderr on one line, only when stderr is a terminal."""
    tty = sys.stderr.isatty()

    def show(p) -> None:
        if tty:
            sys.stderr.write(f"\r{prefix} {p.done}/{p.total}")
            if p.done == p.total:
                sys.stderr.write("\n")

    return show
