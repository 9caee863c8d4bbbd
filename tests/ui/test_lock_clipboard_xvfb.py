"""The idle lock clears the clipboard text the app put there, on a real X display.

The offscreen platform has no clipboard owner, so tests/ui/test_lock_really_locks.py cannot see
it there; this runs the same check in a subprocess on Xvfb's X11 clipboard (QT_QPA_PLATFORM=xcb).
Skipped when there is no DISPLAY; scripts/test.sh runs the suite under xvfb-run.
"""

import json
import os
import subprocess
import sys

import pytest

from tests.ui.conftest import DEMO_PASSPHRASE

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display (xvfb-run)"),
]

DRIVER = r"""
import json, sys
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from casereader.store import Store
from casereader.ui.main_window import MainWindow

app = QApplication([])
window = MainWindow(Store.open(sys.argv[1], sys.argv[2]), remember_layout=False)
window.show()
clipboard = QApplication.clipboard()
clipboard.setText("SA-001: grade 2, poor planning")
for _ in range(100):
    if clipboard.ownsClipboard():
        break
    QTest.qWait(20)
result = {"owned": clipboard.ownsClipboard()}
window.idle_lock.lock()
QTest.qWait(100)
result["after_lock"] = clipboard.text()
result["store_closed"] = window.store is None
print(json.dumps(result))
sys.stdout.flush()
window.close()
"""


def test_locking_clears_the_apps_clipboard_text_on_x11(demo_store_path, tmp_path):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "CASEREADER_HOME": str(tmp_path / "home"),
    }
    env.pop("CASEREADER_PASSPHRASE", None)
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(demo_store_path), DEMO_PASSPHRASE],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["owned"], "the app should own the X11 clipboard after setting its text"
    assert result["after_lock"] == ""
    assert result["store_closed"]
