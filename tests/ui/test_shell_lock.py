"""The idle lock: fires after the timeout, hides the work and dialogs, needs the passphrase."""

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QDialog

from casereader.store import Store
from casereader.ui.main_window import MainWindow
from casereader.ui.passphrase import PassphraseDialog, open_store_dialog, passphrase_opens
from tests.ui.conftest import DEMO_PASSPHRASE

pytestmark = pytest.mark.usefixtures("modal_guard")


@pytest.fixture
def window(qtbot, demo_store_path):
    w = MainWindow(Store.open(demo_store_path, DEMO_PASSPHRASE))
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    yield w
    w.close()


def test_locks_after_the_idle_time_and_unlocks_with_the_passphrase(qtbot, window):
    lock = window.idle_lock
    assert window.stack.currentWidget() is window.reading
    dialog = QDialog(window)
    dialog.setWindowTitle("left open")
    dialog.show()
    with qtbot.waitSignal(lock.locked, timeout=5000):
        lock.set_timeout_ms(50)
    assert lock.is_locked
    assert window.stack.currentWidget() is lock.screen
    assert not window.reading.isVisible()
    # the dialog is covered by a lock screen of its own, not ended or hidden
    assert dialog.isVisible() and lock._covers[dialog].isVisible()  # noqa: SLF001
    assert not window.review_action.isEnabled()
    assert "demo.casereader" in lock.screen.detail.text()

    # wrong passphrase, then empty: still locked, told why
    qtbot.keyClicks(lock.screen.field, "not the passphrase")
    qtbot.keyClick(lock.screen.field, Qt.Key.Key_Return)
    assert lock.is_locked and "does not open" in lock.screen.error.text()
    lock.screen.field.clear()
    lock.screen.button.click()
    assert lock.is_locked and lock.screen.error.text() == "Type the passphrase first."

    lock.set_timeout_ms(60_000)
    lock.screen.field.clear()
    qtbot.keyClicks(lock.screen.field, DEMO_PASSPHRASE)
    with qtbot.waitSignal(lock.unlocked, timeout=5000):
        qtbot.keyClick(lock.screen.field, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.reading and window.reading.isVisible()
    assert dialog.isVisible() and window.review_action.isEnabled()
    assert lock.screen.field.text() == ""  # the passphrase is not kept in the field
    assert lock.timer.isActive()


def test_input_resets_the_timer(qtbot, window):
    lock = window.idle_lock
    lock.set_timeout_ms(60_000)
    qtbot.waitUntil(lambda: lock.timer.remainingTime() < 59_800)
    before = lock.timer.remainingTime()
    app = QApplication.instance()
    # input to a label: nothing else happens, so the time left is the filter's doing
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier)
    app.sendEvent(window.saved_label, key)
    assert lock.timer.remainingTime() > before
    qtbot.waitUntil(lambda: lock.timer.remainingTime() < 59_800)
    before = lock.timer.remainingTime()
    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(5, 5), QPointF(5, 5),
                       Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)  # fmt: skip
    app.sendEvent(window.saved_label, move)
    assert lock.timer.remainingTime() > before


def test_zero_minutes_never_locks_and_no_store_nothing_to_lock(qtbot, window):
    lock = window.idle_lock
    lock.set_minutes(0)
    assert not lock.timer.isActive()
    window.set_store(None)
    lock.lock()
    assert not lock.is_locked and window.stack.currentWidget() is window.welcome
    assert not window.lock_action.isEnabled()


def test_lock_action_locks_at_once(qtbot, window):
    window.lock_action.trigger()
    assert window.idle_lock.is_locked
    assert window.idle_lock.screen.isVisible()


def test_passphrase_checks(demo_store_path, tmp_path):
    assert passphrase_opens(demo_store_path, DEMO_PASSPHRASE)
    assert not passphrase_opens(demo_store_path, "wrong")
    assert not passphrase_opens(tmp_path / "gone.casereader", DEMO_PASSPHRASE)


def test_open_store_dialog_asks_again_until_right(demo_store_path, qapp):
    answers = iter(["", "wrong one", DEMO_PASSPHRASE])
    errors = []

    def ask(parent, path, error):
        errors.append(error)
        return next(answers)

    opened = open_store_dialog(None, demo_store_path, ask=ask)
    assert opened is not None
    store, secret = opened
    store.close()
    assert secret == DEMO_PASSPHRASE
    assert errors[0] == "" and errors[1] == "Type the passphrase first."
    assert "wrong passphrase" in errors[2]
    assert open_store_dialog(None, demo_store_path, ask=lambda *a: None) is None


def test_passphrase_dialog_hides_what_is_typed(qtbot, demo_store_path):
    dialog = PassphraseDialog(None, demo_store_path, "That passphrase did not work.")
    qtbot.addWidget(dialog)
    assert dialog.field.echoMode() == dialog.field.EchoMode.Password
    assert dialog.error.text() == "That passphrase did not work."
    assert dialog.field.accessibleName() == "Passphrase"


@pytest.mark.parametrize(("answer", "minutes"), [(3, 3), (None, 10)])
def test_idle_time_is_a_preference(qtbot, window, monkeypatch, answer, minutes):
    from casereader.ui.idle_prefs import IdleLockDialog
    from casereader.ui.prefs import load_prefs

    def ask(cls, parent, prefs, role):
        assert role == "reader"
        return None if answer is None else prefs.model_copy(update={"idle_lock_minutes": answer})

    monkeypatch.setattr(IdleLockDialog, "ask", classmethod(ask))
    idle = next(a for a in window.actions() if a.text() == "Idle lock &time…")
    idle.trigger()
    assert load_prefs().idle_lock_minutes == minutes  # cancelled: the default stays
    assert window.idle_lock.timer.interval() == minutes * 60_000
