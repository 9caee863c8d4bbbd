"""The idle lock really locks: store closed, caches dropped, dialogs covered (not ended),
windows shown while locked covered, the app's clipboard cleared, drafts written first."""

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from casereader.store import Store, cases
from casereader.ui.main_window import MainWindow
from tests.ui.conftest import DEMO_PASSPHRASE


@pytest.fixture
def window(qtbot, demo_store_path):
    w = MainWindow(Store.open(demo_store_path, DEMO_PASSPHRASE))
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitUntil(lambda: w._workspace is not None and w._workspace.case_ref is not None)  # noqa: SLF001
    yield w
    w.close()


def _unlock(qtbot, lock, screen=None) -> None:
    screen = screen or lock.screen
    screen.field.setText(DEMO_PASSPHRASE)
    with qtbot.waitSignal(lock.unlocked, timeout=5000):
        screen.button.click()


def test_locking_closes_the_store_and_drops_the_caches_then_reopens(qtbot, window):
    lock, workspace = window.idle_lock, window.workspace
    case_ref = workspace.case_ref
    seen_open = []
    lock.about_to_lock.connect(lambda: seen_open.append(cases.overview(window.store)[0].case_ref))
    old_store = window.store
    lock.lock()
    assert seen_open, "about_to_lock ran while the store was still open"
    assert window.store is None and workspace.store is None
    with pytest.raises(Exception):  # noqa: B017 - the connection is closed
        old_store.db.execute("SELECT 1")
    assert workspace.viewer.current_document() is None
    assert not workspace.viewer._docx.cache._futures  # noqa: SLF001
    assert window.case_list.model.rowCount() == 0
    # a wrong passphrase keeps it locked and closed
    lock.screen.field.setText("not it")
    lock.screen.button.click()
    assert lock.is_locked and window.store is None
    _unlock(qtbot, lock)
    assert window.store is not None and workspace.store is window.store
    assert workspace.case_ref == case_ref


def test_a_modal_dialog_is_covered_and_carries_on_after_unlocking(qtbot, window):
    lock = window.idle_lock
    dialog = QDialog(window)
    dialog.setWindowTitle("Still here")
    steps = []

    def while_open():
        lock.lock()
        steps.append(("locked", dialog.isVisible(), lock._covers[dialog].isVisible()))  # noqa: SLF001
        # Escape would end the dialog: the lock swallows it
        qtbot.keyClick(lock._covers[dialog].field, Qt.Key.Key_Escape)  # noqa: SLF001
        steps.append(("escape", dialog.isVisible()))
        _unlock(qtbot, lock, lock._covers.get(dialog))  # noqa: SLF001
        steps.append(("unlocked", dialog.isVisible()))
        dialog.accept()

    QTimer.singleShot(50, while_open)
    QTimer.singleShot(20_000, dialog.reject)  # never hang the suite
    result = dialog.exec()
    assert steps == [("locked", True, True), ("escape", True), ("unlocked", True)]
    assert result == QDialog.DialogCode.Accepted


def test_a_window_shown_while_locked_shows_only_the_lock(qtbot, window):
    lock = window.idle_lock
    lock.lock()
    late = QMessageBox(QMessageBox.Icon.Information, "Job finished", "R1: 4 answers", parent=window)
    late.show()
    qtbot.waitUntil(lambda: late in lock._covers)  # noqa: SLF001
    cover = lock._covers[late]  # noqa: SLF001
    assert cover.isVisible() and cover.geometry() == late.rect()
    _unlock(qtbot, lock)
    assert not lock._covers  # noqa: SLF001
    late.close()


def test_the_apps_clipboard_text_is_cleared(qtbot, window):
    clipboard = QApplication.clipboard()
    clipboard.setText("SA-001: grade 2, poor planning")
    if not clipboard.ownsClipboard():
        pytest.skip("this platform's clipboard does not say who owns it")
    window.idle_lock.lock()
    assert clipboard.text() == ""
    _unlock(qtbot, window.idle_lock)
