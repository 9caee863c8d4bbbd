"""Wrong passphrases in a row slow the next check down, never lock anyone out; the window says
plainly when its store has gone, and saves a rescue copy."""

import shutil

import pytest

from casereader.store import Store
from casereader.ui.main_window import MainWindow
from casereader.ui.passphrase import open_store_dialog, retry_delay, wait_responsive
from tests.ui.conftest import DEMO_PASSPHRASE

pytestmark = pytest.mark.usefixtures("modal_guard")


def test_the_delay_grows_and_is_capped():
    assert [retry_delay(n) for n in range(8)] == [0, 0, 0, 1, 2, 4, 8, 16]
    assert retry_delay(40) == 30


def test_five_wrong_passphrases_then_the_right_one_opens_the_store(demo_store_path, qapp):
    tries = iter(["wrong 1", "wrong 2", "wrong 3", "wrong 4", "wrong 5", DEMO_PASSPHRASE])
    errors, waits = [], []

    def ask(parent, path, error):
        errors.append(error)
        return next(tries)

    opened = open_store_dialog(None, demo_store_path, ask=ask, wait=waits.append)
    assert opened is not None  # no lock-out
    opened[0].close()
    assert waits == [0, 0, 0, 1, 2, 4]  # before each check
    assert "wrong passphrase" in errors[5] and "no lock-out" in errors[5]
    assert "next one is checked after 4 s" in errors[5]
    assert "no lock-out" not in errors[1]


def test_wait_responsive_keeps_the_window_alive(qapp, qtbot):
    from PySide6.QtCore import QTimer

    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    wait_responsive(0.2)
    timer.stop()
    assert len(ticks) >= 3  # events went on during the wait


@pytest.fixture
def window(qtbot, store_copy_path):
    w = MainWindow(Store.open(store_copy_path, DEMO_PASSPHRASE))
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    yield w
    w.close()


def test_the_lock_screen_slows_wrong_tries_and_then_unlocks(qtbot, window):
    lock = window.idle_lock
    waits = []
    lock.wait = waits.append
    lock.lock()
    for n in range(5):
        assert not lock.try_unlock(f"wrong {n}")
    assert "no lock-out" in lock.screen.error.text()
    assert lock.try_unlock(DEMO_PASSPHRASE) and not lock.is_locked
    assert waits == [0, 0, 0, 1, 2, 4]
    assert lock.failures == 0


def test_a_store_whose_folder_went_is_said_and_rescued(qtbot, window, store_copy_path, tmp_path,
                                                       monkeypatch):  # fmt: skip
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from casereader.store import answers
    from casereader.ui.passphrase import PassphraseDialog

    shutil.rmtree(store_copy_path.parent / "home", ignore_errors=True)
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    # the folder is renamed away while the window has the store open
    store_copy_path.rename(moved / store_copy_path.name)
    key = window.store.template.graded_keys()[0]
    with pytest.raises(Exception, match="no longer there"):
        answers.save_answer(window.store, "SA-001", key, value="3")
    rescue = tmp_path / "rescued.casereader"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(rescue), ""))
    monkeypatch.setattr(PassphraseDialog, "ask", lambda *a: DEMO_PASSPHRASE)
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: said.append(a[2]))
    window.save_rescue_copy()
    assert said and str(rescue) in said[0]
    with Store.open(rescue, DEMO_PASSPHRASE) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.inspection.name == window.store.inspection.name
