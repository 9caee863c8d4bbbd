"""F1 lists every key of the app from casereader/keymap.py, and every key the main window
binds (its actions and shortcuts, the viewer's and template's included) is in that table;
Help → Reading guide opens the guide."""

import pytest
from PySide6.QtGui import QAction, QKeySequence, QShortcut

from casereader import guide, keymap
from casereader.ui import help as help_module
from casereader.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("modal_guard")

PORTABLE = QKeySequence.SequenceFormat.PortableText


@pytest.fixture
def window(qtbot, writable_store):
    w = MainWindow(writable_store, remember_layout=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w._workspace is not None)
    w.welcome  # noqa: B018 - every screen built, so its keys are walked too
    yield w
    w.close()


def bound_in(window) -> dict[str, list[str]]:
    """Every key sequence bound in the window -> what binds it."""
    found: dict[str, list[str]] = {}
    for action in {*window.findChildren(QAction), *window.actions()}:
        for sequence in action.shortcuts():
            found.setdefault(sequence.toString(PORTABLE), []).append(action.text())
    for shortcut in window.findChildren(QShortcut):
        for sequence in shortcut.keys():  # noqa: SIM118 - a QShortcut, not a dict
            found.setdefault(sequence.toString(PORTABLE), []).append(
                type(shortcut.parent()).__name__
            )
    return found


def test_every_key_bound_in_the_window_is_in_the_table(window):
    bound = bound_in(window)
    missing = {key: what for key, what in bound.items() if key not in keymap.bound_keys()}
    assert missing == {}, "add these keys to casereader/keymap.py (and rewrite the README)"
    assert "Ctrl+PgUp" in bound and "Ctrl+PgDown" in bound and "Ctrl+G" in bound


def test_every_key_the_table_says_is_bound_is_bound(window):
    assert keymap.bound_keys() - set(bound_in(window)) == set()


def test_f1_shows_the_table(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(help_module.KeysDialog, "ask", classmethod(lambda cls, p: shown.append(p)))
    f1 = next(a for a in window.actions() if a.shortcut().toString(PORTABLE) == "F1")
    f1.trigger()
    assert shown == [window]
    dialog = help_module.KeysDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.rows() == [(k.where, k.keys, k.what) for k in keymap.KEYS]


def test_help_menu_opens_the_reading_guide(qtbot, window, monkeypatch):
    opened = []
    monkeypatch.setattr(
        help_module.GuideDialog, "ask", classmethod(lambda cls, p: opened.append(p))
    )
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    guide_action = next(a for a in help_menu.actions() if a.text() == "Reading &guide")
    guide_action.trigger()
    assert opened == [window]
    dialog = help_module.GuideDialog(window)
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    for topic in guide.TOPICS:
        assert topic in text
    assert "#" not in text.splitlines()[0]  # rendered, not raw Markdown
