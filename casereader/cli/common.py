"""Helpers shared by the command modules: passphrases, opening stores, JSON output."""

import getpass
import json
import re
import sys
from pathlib import Path

from casereader.domain.wording import plural  # noqa: F401 - the commands import it from here
from casereader.errors import CaseReaderError, UsageError
from casereader.process_guard import take_env_secret
from casereader.store import Store

PASSPHRASE_ENV = "CASEREADER_PASSPHRASE"
PACK_PASSPHRASE_ENV = "CASEREADER_PACK_PASSPHRASE"


class CommandFailed(CaseReaderError):
    """A command could not do what was asked (exit 1)."""


def passphrase(prompt: str = "Store passphrase: ", env: str = PASSPHRASE_ENV, confirm=False) -> str:
    """The passphrase from the environment (then removed from it), else asked on the terminal."""
    value = take_env_secret(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UsageError(f"No passphrase: set {env} or run from a terminal to be asked.")
    if confirm:  # a new passphrase: offer a strong one
        sys.stderr.write(f"A strong passphrase you could use: {suggested_passphrase()}\n")
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again, to confirm: ") != value:
        raise UsageError("The two passphrases differ; nothing was created.")
    return value


# C0 and C1 controls (but tab), DEL, and the Unicode marks that reorder or hide text on a
# terminal (bidi embeddings, overrides and isolates; zero-width and line/paragraph separators).
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_CONTROL_KEEPING_LINES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]"
)


def plain(text: object, lines: bool = False) -> str:
    """`text` with every terminal control character stripped (newlines too unless `lines`).

    Whatever came from a bundle or a document (reader ids, file names, titles, messages that
    quote them) goes through this before it is printed, so it cannot move the cursor, erase or
    rewrite a line, or fake another line of output.
    """
    return (_CONTROL_KEEPING_LINES if lines else _CONTROL).sub("", str(text))


def out(text: object = "", lines: bool = False) -> None:
    """Print one line (or, with `lines`, several) of output, control characters stripped."""
    print(plain(text, lines))


def err(text: object) -> None:
    """Write one line to standard error, control characters stripped."""
    sys.stderr.write(plain(text) + "\n")


def suggested_passphrase() -> str:
    """Six random words (about 77 bits): a passphrase that passes the strength rule."""
    from casereader.bundle import words

    return words.one_off_passphrase(SUGGESTED_BITS)


SUGGESTED_BITS = 72


def open_store(path: str) -> Store:
    """Open the store for one command, refusing plainly if the app (or a command) has it open."""
    return Store.open(Path(path), passphrase(), exclusive=True)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def print_json(data) -> None:
    """JSON on standard output; characters a terminal would act on are \\u-escaped."""
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)
    # json escapes C0 controls itself; DEL, C1 and bidi marks are escaped here (still valid JSON).
    sys.stdout.write(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def progress_printer(prefix: str):
    """Prints progress to stderr on one line, only when stderr is a terminal."""
    tty = sys.stderr.isatty()

    def show(p) -> None:
        if tty:
            sys.stderr.write(f"\r{prefix} {p.done}/{p.total}")
            if p.done == p.total:
                sys.stderr.write("\n")

    return show
