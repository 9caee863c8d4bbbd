"""Launch to a usable window, as a reader lives it: from starting the process, imports included.

    python benchmarks/gui_launch.py ours STORE
    python benchmarks/gui_launch.py bare STORE

Imports nothing beyond what each side needs (gui_child.py preloads the whole app, which is
right for timing the app's own start-up but hides what its imports cost). Prints one JSON line
with the wall-clock time.time() at which the case list had painted its rows.
"""

import json
import os
import sys
import time

PASSPHRASE = "benchmark-passphrase"  # benchmarks/common.py's, not imported to keep this lean


def watch_first_paint(view, rows, done) -> object:
    """Calls done() on the turn after `view` first paints with rows()."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Watch(QObject):
        fired = False

        def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
            if not self.fired and event.type() == QEvent.Type.Paint and rows():
                self.fired = True
                QTimer.singleShot(0, done)
            return False

    watch = Watch()
    view.installEventFilter(watch)
    return watch


def ours(store: str) -> None:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from PySide6.QtCore import QTimer

    from casereader.app import create_app, run_gui
    from casereader.ui.main_window import MainWindow

    app = create_app()
    state: dict = {}

    def done() -> None:
        state["painted_wall"] = time.time()
        state["window"].close()
        app.quit()

    def hook() -> None:
        window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
        window.resize(1600, 1000)
        state["window"] = window
        view = window.case_list.view
        state["watch"] = watch_first_paint(view.viewport(), lambda: view.model().rowCount(), done)

    QTimer.singleShot(0, hook)
    run_gui(store, PASSPHRASE)
    print(json.dumps({"painted_wall": state["painted_wall"]}), flush=True)


def bare(store: str) -> None:
    import sqlcipher3
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    table = QTableWidget(0, 5)
    window.setCentralWidget(table)
    window.resize(1600, 1000)
    window.show()
    state: dict = {}

    def load() -> None:
        conn = sqlcipher3.connect(store)
        conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
        rows = conn.execute(
            "SELECT case_ref, sample_group, follow_up, age_band, legal_status FROM cases"
            " ORDER BY case_ref"
        ).fetchall()
        state["conn"] = conn
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(str(value)))

    def done() -> None:
        state["painted_wall"] = time.time()
        app.quit()

    watch = watch_first_paint(table.viewport(), table.rowCount, done)  # noqa: F841
    QTimer.singleShot(0, load)
    app.exec()
    print(json.dumps({"painted_wall": state["painted_wall"]}), flush=True)


if __name__ == "__main__":
    {"ours": ours, "bare": bare}[sys.argv[1]](sys.argv[2])
    os._exit(0)
