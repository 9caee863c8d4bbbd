"""End to end under a real X display (Xvfb): `casereader gui STORE` driven by the keyboard.

The test starts a subprocess with QT_QPA_PLATFORM=xcb that runs a small driver: it schedules
the drive, then calls the real command line (`casereader gui STORE`, passphrase from the
environment), so the window, the store and the event loop are exactly the app's. The drive
uses QTest key clicks only: Ctrl+1 to the case list, arrows to a case, Ctrl+4 to the template,
Tab to a grade, "4" to grade it; then it takes a screenshot of the whole screen with
QScreen.grabWindow(0) and closes the window. The test then reads the store.

Run by scripts/test.sh under xvfb-run; skipped when there is no DISPLAY.
"""

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from casereader.store import Store, answers
from casereader.store.audit import entries
from tests.ui.conftest import DEMO_PASSPHRASE

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display (xvfb-run)"),
]

DRIVER = r"""
import json, sys
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from casereader.cli import main
from casereader.ui.main_window import MainWindow

store_path, shot_path = sys.argv[1], sys.argv[2]
result = {"steps": []}
CTRL = Qt.KeyboardModifier.ControlModifier


def wait_for(condition, what, ms=30_000):
    waited = 0
    while not condition():
        if waited >= ms:
            raise AssertionError(f"gave up waiting for {what}")
        QTest.qWait(50)
        waited += 50
    result["steps"].append(what)


def focus():
    return QApplication.focusWidget()


def drive():
    try:
        wait_for(lambda: any(isinstance(w, MainWindow) and w.isVisible()
                             for w in QApplication.topLevelWidgets()), "window shown")
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        wait_for(lambda: window.store is not None, "store open")
        QTest.qWaitForWindowExposed(window)
        window.activateWindow()
        wait_for(window.isActiveWindow, "window active")
        result["title"] = window.windowTitle()

        QTest.keyClick(window, Qt.Key.Key_1, CTRL)
        wait_for(lambda: focus() is window.case_list.view, "case list focused")
        QTest.keyClick(focus(), Qt.Key.Key_Home)
        QTest.keyClick(focus(), Qt.Key.Key_Down)
        QTest.keyClick(focus(), Qt.Key.Key_Down)
        QTest.keyClick(focus(), Qt.Key.Key_Return)  # the arrows move; Enter opens the case
        wait_for(lambda: window.workspace.case_ref == "SA-003", "SA-003 open")

        QTest.keyClick(window, Qt.Key.Key_4, CTRL)
        wait_for(lambda: window.workspace.template.isAncestorOf(focus()), "template focused")
        for _ in range(60):  # Tab to the first grade: a row of buttons with the key 4
            buttons = getattr(focus(), "buttons", {})
            if "4" in buttons and "6" in buttons:
                break
            QTest.keyClick(focus(), Qt.Key.Key_Tab)
        else:
            raise AssertionError("no grade reached with Tab")
        result["graded"] = focus().accessibleName()
        QTest.keyClick(focus(), Qt.Key.Key_4)
        wait_for(lambda: focus().value() == "4", "graded 4")
        wait_for(lambda: window.saved_label.text().startswith("Saved"), "saved shown")

        QTest.qWait(300)  # let the screen settle before the real screenshot
        screen = window.screen()
        image = screen.grabWindow(0)
        result["shot"] = [image.width(), image.height(), image.save(shot_path)]
        window.close()
    except BaseException as e:  # report and leave: the test reads the message
        result["error"] = f"{type(e).__name__}: {e}"
        QApplication.instance().exit(3)


app = QApplication(sys.argv[:1])
QTimer.singleShot(0, drive)
code = main(["gui", store_path])
print(json.dumps({**result, "exit": code}))
"""


def test_keyboard_only_grading_in_a_real_window(store_copy_path, tmp_path):
    with Store.open(store_copy_path, DEMO_PASSPHRASE) as store:
        before = answers.answer_map(store, "SA-003")
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    shot = tmp_path / "screen.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "CASEREADER_PASSPHRASE": DEMO_PASSPHRASE}
    # a guard against a hung X server, not a speed requirement
    run = subprocess.run(
        [sys.executable, str(driver), str(store_copy_path), str(shot)],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    assert lines, f"driver printed nothing; stderr:\n{run.stderr[-3000:]}"
    result = json.loads(lines[-1])
    assert "error" not in result, f"{result}\n{run.stderr[-3000:]}"
    assert result["exit"] == 0 and run.returncode == 0
    assert result["title"] == "casereader — Demo partnership (fictional)"
    assert result["steps"][-1] == "saved shown"

    with Store.open(store_copy_path, DEMO_PASSPHRASE) as store:
        after = answers.answer_map(store, "SA-003")
        audit = entries(store, case_ref="SA-003")
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    assert len(changed) == 1 and next(iter(changed.values()))[0] == "4"
    key = next(iter(changed))
    assert any(e.action.startswith("answer") and e.target == key for e in audit)

    width, height, saved = result["shot"]
    assert saved and width > 0 and height > 0
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (width, height)
    small = image.scaled(64, 64)
    colours = {small.pixel(x, y) for x in range(64) for y in range(64)}
    assert len(colours) > 20  # the window is on the screen, not an empty root window
