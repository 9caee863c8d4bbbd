"""Every key of the desktop app, in one table: F1 shows it and the README's keyboard section is
written from it (`python -m casereader.keymap README.md` rewrites that section).

`bound` lists the key sequences (Qt's portable text) that the window binds to an action or a
shortcut for the row; tests check that every key the main window binds is in this table and
that every `bound` key here is really bound. Keys handled inside a widget (the grade buttons,
the page keys of a PDF) have no `bound` entry: their own tests cover them.
No Qt here: the README is written without a screen.
"""

import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Key:
    where: str
    keys: str  # as shown to the reader
    what: str
    bound: tuple[str, ...] = ()


ANYWHERE, CASES, DOCUMENTS, VIEWER, TEMPLATE, COORDINATOR, DIALOGS = (
    "Anywhere",
    "Case list",
    "Documents and search",
    "Document viewer",
    "Template",
    "Coordinator's store",
    "Dialogs",
)

KEYS: tuple[Key, ...] = (
    Key(ANYWHERE, "F1", "this list of keys", ("F1",)),
    Key(ANYWHERE, "Ctrl+1 / Ctrl+2 / Ctrl+3 / Ctrl+4", "case list / documents / viewer / template",
        ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4")),
    Key(ANYWHERE, "Alt+PgDown / Alt+PgUp", "next / previous case", ("Alt+PgDown", "Alt+PgUp")),
    Key(ANYWHERE, "Ctrl+Shift+F", "search this case or all cases", ("Ctrl+Shift+F",)),
    Key(ANYWHERE, "Ctrl+Shift+L", "show or hide the case list", ("Ctrl+Shift+L",)),
    Key(ANYWHERE, "Ctrl+Shift+A", "the case's answers and notes in one page, as printed",
        ("Ctrl+Shift+A",)),
    Key(ANYWHERE, "Alt+Left / Alt+Right", "back / forward through documents and cases read",
        ("Alt+Left", "Alt+Right")),  # fmt: skip
    Key(ANYWHERE, "Ctrl+Z / Ctrl+Y", "undo / redo an answer, agreed grade or note",
        ("Ctrl+Z", "Ctrl+Y")),  # fmt: skip
    Key(ANYWHERE, "Ctrl+M", "management review: raise one, or move an open one on", ("Ctrl+M",)),
    Key(ANYWHERE, "Ctrl+Shift+E", "Send now: a bundle for the lead inspector, at once",
        ("Ctrl+Shift+E",)),
    Key(ANYWHERE, "Ctrl+Shift+Return", "mark the case complete (lists exactly what is missing)",
        ("Ctrl+Shift+Return",)),
    Key(ANYWHERE, "Ctrl+Shift+C", "cite the page on screen in the note being written",
        ("Ctrl+Shift+C",)),
    Key(ANYWHERE, "F3 / Shift+F3", "next / previous hit of the find in the document",
        ("F3", "Shift+F3")),
    Key(ANYWHERE, "Ctrl+E", "export a bundle (choose the file and recipients)", ("Ctrl+E",)),
    Key(ANYWHERE, "Ctrl+P", "print the case's summary (or save it as a PDF)", ("Ctrl+P",)),
    Key(ANYWHERE, "Ctrl+L", "lock now (the passphrase opens it again)", ("Ctrl+L",)),
    Key(ANYWHERE, "Ctrl+O / Ctrl+N", "open a store / start a new inspection",
        ("Ctrl+O", "Ctrl+N")),
    Key(ANYWHERE, "Ctrl+Q", "quit (asks first if a review of immediate risk is not yet sent)",
        ("Ctrl+Q",)),
    Key(CASES, "Up / Down", "choose a case (it opens beside the list)"),
    Key(CASES, "Enter", "start reading the case: the keys move to its documents"),
    Key(DOCUMENTS, "Up / Down, Enter", "choose a document, open it in the viewer"),
    Key(DOCUMENTS, "Down, Enter (in the search box)", "go to the hits, open one"),
    Key(VIEWER, "PgUp / PgDn / Home / End", "previous / next / first / last page"),
    Key(VIEWER, "Ctrl+PgUp / Ctrl+PgDn", "previous / next page", ("Ctrl+PgUp", "Ctrl+PgDown")),
    Key(VIEWER, "Ctrl+G", "go to a page", ("Ctrl+G",)),
    Key(VIEWER, "Ctrl+F", "find in the document", ("Ctrl+F",)),
    Key(VIEWER, "Enter / Shift+Enter (in the find box)", "next / previous hit"),
    Key(VIEWER, "Ctrl++ / Ctrl+- / Ctrl+0 / Ctrl+9", "zoom in / out / fit the width / fit the page",
        ("Ctrl++", "Ctrl+=", "Ctrl+-", "Ctrl+0", "Ctrl+9")),
    Key(TEMPLATE, "Tab / Shift+Tab", "next / previous item or field"),
    Key(TEMPLATE, "Ctrl+PgUp / Ctrl+PgDn", "previous / next stage", ("Ctrl+PgUp", "Ctrl+PgDown")),
    Key(TEMPLATE, "1–6", "grade the item: 6 excellent … 1 unsatisfactory"),
    Key(TEMPLATE, "N / U (graded items)", "not applicable / unable to evaluate"),
    Key(TEMPLATE, "Y / N / A / U (yes-or-no items)",
        "yes / no / not applicable / unable to evaluate"),
    Key(TEMPLATE, "Left / Right", "previous / next answer of the item"),
    Key(TEMPLATE, "Delete or Backspace", "clear the item's answer"),
    Key(COORDINATOR, "Ctrl+5 / Ctrl+6 / Ctrl+7 / Ctrl+8", "cases / readers / moderation / analysis",
        ("Ctrl+5", "Ctrl+6", "Ctrl+7", "Ctrl+8")),
    Key(COORDINATOR, "Ctrl+Shift+M", "every reader's management reviews", ("Ctrl+Shift+M",)),
    Key(COORDINATOR, "Enter (moderation items)", "go to the agreed value and rationale"),
    Key(COORDINATOR, "Ctrl+Return (in the rationale)", "record the agreed value"),
    Key(DIALOGS, "Enter / Escape", "the highlighted button / cancel"),
    Key(DIALOGS, "Alt+underlined letter", "go to that field"),
)  # fmt: skip

WHERE_ORDER = (ANYWHERE, CASES, DOCUMENTS, VIEWER, TEMPLATE, COORDINATOR, DIALOGS)


def bound_keys() -> set[str]:
    """Every key sequence the table says the window binds."""
    return {key for row in KEYS for key in row.bound}


def markdown_table() -> str:
    """The README's keyboard table."""
    lines = ["| where | keys | what |", "|---|---|---|"]
    for row in KEYS:
        lines.append(f"| {row.where} | {row.keys} | {row.what} |")
    return "\n".join(lines) + "\n"


BEGIN = "<!-- keys: from casereader/keymap.py; python -m casereader.keymap README.md -->"
END = "<!-- end of keys -->"


def with_table(readme: str) -> str:
    """The README text with its keyboard section replaced by the table."""
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[:start] + "\n" + markdown_table() + readme[end:]


def readme_table(readme: str) -> str:
    """The keyboard table as the README holds it now."""
    return readme[readme.index(BEGIN) + len(BEGIN) : readme.index(END)].strip("\n") + "\n"


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else Path("README.md")
    text = path.read_text(encoding="utf-8")
    path.write_text(with_table(text), encoding="utf-8")
    print(f"Keyboard table written to {path} ({len(KEYS)} rows).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
