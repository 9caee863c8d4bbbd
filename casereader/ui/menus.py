"""The main window's menus and their actions, and the About box (the keys and the reading
guide are in ui/help.py)."""

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QMainWindow, QMessageBox

from casereader import __version__
from casereader.ui.printing import Printing


@dataclass
class WindowActions:
    """The actions the window enables, hides or checks as its state changes."""

    open_pack: QAction
    export: QAction
    import_: QAction
    lock: QAction
    review: QAction
    complete: QAction
    toggle_list: QAction
    send_now: QAction | None = None
    purge: QAction | None = None


def _adder(window: QMainWindow):
    def add(menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        window.addAction(action)  # shortcuts keep working with the menu bar hidden
        return action

    return add


def build_menus(window) -> WindowActions:
    """File, Case, View and Help for the main window; the workspace and welcome screen are
    reached through the window's properties, so they are built only when an action needs them."""
    bar, a, keys = window.menuBar(), _adder(window), QKeySequence.StandardKey
    m = bar.addMenu("&File")
    a(m, "&Open store…", lambda: window.welcome.choose_store(), keys.Open)
    a(m, "&New inspection…", lambda: window.welcome.new_inspection(), keys.New)
    open_pack = a(m, "Open reading &pack…", lambda: window.welcome.open_pack())
    m.addSeparator()
    export = a(m, "&Export bundle…", window.export_bundle, "Ctrl+E")
    send_now = a(m, "&Send now", window.send_now, "Ctrl+Shift+E",
                 "Export a bundle for the lead inspector now")  # fmt: skip
    import_ = a(m, "&Import bundles…", window.import_bundles)
    m.addSeparator()
    window.printing = Printing(window, m)  # Print case summary…, all summaries, report, concern
    m.addSeparator()
    a(m, "Idle lock &time…", window.set_idle_minutes)
    lock = a(m, "&Lock", window.idle_lock.lock, "Ctrl+L")
    a(m, "Save a rescue &copy…", window.save_rescue_copy, None,
      "Write the open store to a new file (when its folder was moved or removed)")  # fmt: skip
    purge = a(m, "&Remove this store…", window.purge_store, None,
              "At the end of the inspection: remove the store from this computer")  # fmt: skip
    m.addSeparator()
    a(m, "&Quit", window.quit_app, "Ctrl+Q")  # the same on every platform (F1 lists it)
    m = bar.addMenu("&Edit")
    window.undo_group = QUndoGroup(window)  # each case's answers have their own undo stack
    for make, text, key in ((window.undo_group.createUndoAction, "&Undo", keys.Undo),
                            (window.undo_group.createRedoAction, "&Redo", keys.Redo)):  # fmt: skip
        action = make(window, text)
        action.setShortcut(QKeySequence(key))
        m.addAction(action)
        window.addAction(action)
    m = bar.addMenu("&Case")
    review = a(m, "&Management review…", lambda: window.workspace.management_review(), "Ctrl+M",
               "Raise a management review when a child may be at risk")  # fmt: skip
    complete = a(m, "Mark &complete…", lambda: window.workspace.complete_case(),
                 "Ctrl+Shift+Return")  # fmt: skip
    m.addSeparator()
    a(m, "&Next case", window.case_list.next_case, "Alt+PgDown")
    a(m, "&Previous case", window.case_list.previous_case, "Alt+PgUp")
    m = bar.addMenu("&View")
    a(m, "Case &list", window.show_case_list, "Ctrl+1")
    a(m, "&Documents", lambda: window.workspace.focus_documents(), "Ctrl+2")
    a(m, "&Viewer", lambda: window.workspace.focus_viewer(), "Ctrl+3")
    a(m, "&Template", lambda: window.workspace.focus_template(), "Ctrl+4")
    a(m, "&Search", lambda: window.workspace.focus_search(), "Ctrl+Shift+F")
    a(m, "&Answers of the case", lambda: answers_view().show_answers(window), "Ctrl+Shift+A",
      "Every stage's answers and notes in one page, as the case summary prints them")  # fmt: skip
    m.addSeparator()
    a(m, "&Back", lambda: window.workspace.go_back(), "Alt+Left",
      "Back to the document and page read before")  # fmt: skip
    a(m, "&Forward", lambda: window.workspace.go_forward(), "Alt+Right")
    toggle_list = a(m, "Show the case list", window.toggle_case_list, "Ctrl+Shift+L")
    toggle_list.setCheckable(True)
    toggle_list.setChecked(True)
    m = bar.addMenu("&Help")
    a(m, "&Keyboard shortcuts", lambda: help_dialogs().show_keys(window), "F1")
    a(m, "Reading &guide", lambda: help_dialogs().show_guide(window), None,
      "How to read, grade, cite, raise a review and send it")  # fmt: skip
    a(m, "&About casereader", lambda: show_about(window), None)
    return WindowActions(
        open_pack,
        export,
        import_,
        lock,
        review,
        complete,
        toggle_list,
        send_now=send_now,
        purge=purge,
    )


def help_dialogs():
    """The help dialogs' module, imported when first used."""
    from casereader.ui import help as help_module

    return help_module


def answers_view():
    """The answers view's module, imported when first used."""
    from casereader.ui import answers_view as answers_module

    return answers_module


def show_about(window) -> None:
    """The version, what the program is for, and the open store with its signing key."""
    text = (
        f"<h3>casereader {__version__}</h3><p>Offline case-file reading for joint "
        "inspections of children's services. No network, no telemetry.</p>"
    )
    if window.store is not None:
        text += f"<p>Store: {window.store.path}<br>{window.key_label.text()}</p>"
    QMessageBox.about(window, "About casereader", text)
