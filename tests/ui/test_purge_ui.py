"""File → Remove this store… at the end of an inspection; a second window is refused plainly."""

import pytest
from PySide6.QtWidgets import QMessageBox

from casereader.store import Store
from casereader.ui import prefs as prefs_module
from casereader.ui import purge_dialog
from casereader.ui.main_window import MainWindow
from tests.ui.conftest import DEMO_PASSPHRASE

pytestmark = pytest.mark.usefixtures("modal_guard")


class _Answer:
    """Stands in for the confirmation box: records what it said and clicks one button."""

    said: list[str] = []

    def __init__(self, click: str):
        self.click = click

    def install(self, monkeypatch):
        answer, said = self, []
        _Answer.said = said

        def exec_(box):
            said.append(box.text() + "\n" + box.informativeText())
            for button in box.buttons():
                if button.text().startswith(answer.click):
                    button.click()
                    return 0
            raise AssertionError(f"no button {answer.click!r}")

        monkeypatch.setattr(QMessageBox, "exec", exec_)
        infos = []
        monkeypatch.setattr(purge_dialog.QMessageBox, "information", lambda *a: infos.append(a[2]))
        return infos


@pytest.fixture
def window(qtbot, store_copy_path):
    w = MainWindow(Store.open(store_copy_path, DEMO_PASSPHRASE))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def test_remove_this_store_confirms_then_removes_every_file(window, store_copy_path, monkeypatch):
    assert window.purge_action.isEnabled()
    infos = _Answer("Remove").install(monkeypatch)
    window.purge_action.trigger()
    (said,) = _Answer.said
    assert "NOTHING HAS BEEN EXPORTED" in said  # the demo store was never exported
    assert store_copy_path.name in said
    assert window.store is None and not window.purge_action.isEnabled()
    assert not store_copy_path.exists()
    assert not list(store_copy_path.parent.glob(store_copy_path.name + "*"))
    assert infos and f"removed: {store_copy_path}" in infos[0]
    assert store_copy_path not in prefs_module.load_prefs().existing_recent()


def test_cancel_keeps_the_store(window, store_copy_path, monkeypatch):
    _Answer("Cancel").install(monkeypatch)
    window.purge_action.trigger()
    assert window.store is not None and store_copy_path.exists()


def test_a_store_open_in_another_program_is_refused_plainly(qtbot, store_copy_path, monkeypatch):
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom casereader.store import Store\n"
         "s = Store.open(sys.argv[1], sys.argv[2], exclusive=True)\nprint('open', flush=True)\n"
         "time.sleep(60)", str(store_copy_path), DEMO_PASSPHRASE],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    warnings = []
    monkeypatch.setattr(
        "casereader.ui.main_window.QMessageBox.warning", lambda *a: warnings.append(a[1:])
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        w = MainWindow(Store.open(store_copy_path, DEMO_PASSPHRASE))
        qtbot.addWidget(w)
        assert w.store is None  # the welcome screen instead
        ((title, text),) = warnings
        assert title == "The store is open elsewhere"
        assert f"open in another casereader window or command (process {holder.pid})" in text
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert w.open_store_path(str(store_copy_path), DEMO_PASSPHRASE)
    assert w.store is not None
    w.close()
