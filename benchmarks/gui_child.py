"""One GUI measurement in its own process (run by gui_bench.py; prints one JSON line).

    python benchmarks/gui_child.py start-ours STORE
    python benchmarks/gui_child.py start-bare STORE
    python benchmarks/gui_child.py open STORE COUNT      (benchmarks/gui_pages.py)
    python benchmarks/gui_child.py turn STORE COUNT      (benchmarks/gui_pages.py)
    python benchmarks/gui_child.py typing-ours STORE     (benchmarks/gui_typing.py)
    python benchmarks/gui_child.py typing-bare STORE     (benchmarks/gui_typing.py)
    python benchmarks/gui_child.py rss STORE COUNT

Every mode imports what it needs before its clock starts (`_preload`), so interpreter start and
imports are left out of the timings on both sides alike; the parent reports them separately.
Qt runs with QT_QPA_PLATFORM=offscreen (set by the parent).
"""

import contextlib
import importlib
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import (  # noqa: E402
    QEvent,
    QEventLoop,
    QObject,
    QSize,
    QTimer,
)
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
)

from benchmarks.common import PASSPHRASE  # noqa: E402
from casereader.ui.documents.page_view import PageArea  # noqa: E402

WINDOW = QSize(1600, 1000)
WAIT = QEventLoop.ProcessEventsFlag.WaitForMoreEvents


def rss_mb() -> float:
    """This process's resident set size in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def report(result: dict) -> None:
    print(json.dumps(result), flush=True)


PRELOAD = (
    "casereader.app",
    "casereader.ui.main_window",
    "casereader.ui.workspace",
    "casereader.ui.documents.pane",
    "casereader.ui.documents.search",
    "casereader.ui.documents.viewer",
    "casereader.ui.grading.panel",
    "casereader.ui.grading.review",
    "casereader.ui.grading.completion",
    "casereader.ui.bundles",
    "casereader.bundle.signing",
)


def _preload() -> None:
    """Import the app and every module it may load lazily, before any clock starts."""
    for name in PRELOAD:
        # A module not written yet (or renamed) is fine: the app copes, and so does this.
        with contextlib.suppress(ModuleNotFoundError):
            importlib.import_module(name)


class PaintWatch(QObject):
    """Calls `done` on the event-loop turn after the first paint of `widget` once `ready()`."""

    def __init__(self, widget, ready, done):
        super().__init__()
        self.widget, self.ready, self.done = widget, ready, done
        self.painted_at: float | None = None
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if (
            watched is self.widget
            and event.type() == QEvent.Type.Paint
            and self.painted_at is None
            and self.ready()
        ):
            self.painted_at = time.perf_counter()
            # The zero timer runs after this paint has been drawn and flushed.
            QTimer.singleShot(0, self.done)
        return False


# 1. start to a usable window -------------------------------------------------------------------


def start_ours(store: str) -> None:
    _preload()
    from casereader.app import create_app, run_gui
    from casereader.ui.main_window import MainWindow

    t0_wall, t0 = time.time(), time.perf_counter()
    app = create_app()
    state: dict = {}

    def done() -> None:
        state["seconds"] = time.perf_counter() - t0
        state["rss_mb"] = rss_mb()
        poll.start()

    def case_shown() -> None:
        # The workspace is built and the first case set in it; this turn follows its paint.
        state["case_seconds"] = time.perf_counter() - t0
        state["window"].close()
        app.quit()

    def check_case() -> None:
        workspace = state["window"]._workspace
        if workspace is not None and workspace.case_ref is not None:
            poll.stop()
            QTimer.singleShot(0, case_shown)

    poll = QTimer()
    poll.setInterval(0)
    poll.timeout.connect(check_case)

    def hook() -> None:
        # run_gui has made and shown the window; its own zero timer (opening the store) is next.
        window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
        window.resize(WINDOW)
        state["window"] = window
        view = window.case_list.view
        state["watch"] = PaintWatch(view.viewport(), lambda: view.model().rowCount() > 0, done)

    QTimer.singleShot(0, hook)
    run_gui(store, PASSPHRASE)
    report(
        {
            "seconds": state["seconds"],
            "case_seconds": state["case_seconds"],
            "rss_mb": state["rss_mb"],
            "t0_wall": t0_wall,
        }
    )


def start_bare(store: str) -> None:
    import sqlcipher3

    t0_wall, t0 = time.time(), time.perf_counter()
    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    table = QTableWidget(0, 5)
    table.setHorizontalHeaderLabels(["Case", "Group", "Follow-up", "Age band", "Legal status"])
    window.setCentralWidget(table)
    window.resize(WINDOW)
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
        state["seconds"] = time.perf_counter() - t0
        state["rss_mb"] = rss_mb()
        app.quit()

    watch = PaintWatch(table.viewport(), lambda: table.rowCount() > 0, done)
    QTimer.singleShot(0, load)
    app.exec()
    del watch
    report({"seconds": state["seconds"], "rss_mb": state["rss_mb"], "t0_wall": t0_wall})


def settle(ms: int) -> None:
    """Run the event loop for a while (lets in-flight renders and timers finish)."""
    app = QApplication.instance()
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        app.processEvents(WAIT, 10)


def _main_window(store_path: str):
    from casereader.app import create_app
    from casereader.store import Store
    from casereader.ui.main_window import MainWindow

    app = create_app()
    window = MainWindow(Store.open(store_path, PASSPHRASE))
    window.resize(WINDOW)
    window.show()
    settle(200)
    return app, window


def _pdf_view(window) -> PageArea:
    view = window.workspace.viewer.findChild(PageArea)
    if view is None:
        raise RuntimeError("the document viewer holds no PDF page area")
    return view


# 4. RSS after opening many documents ---------------------------------------------------------


def rss(store_path: str, count: int) -> None:
    _preload()
    from casereader.store import documents as store_documents

    app, window = _main_window(store_path)
    store = window.store
    every = store_documents.list_documents(store)
    chosen = random.Random(5).sample(every, min(count, len(every)))  # a smaller inspection
    chosen.sort(key=lambda d: (d.case_ref, d.doc_date or "", d.id))  # a reader goes case by case
    from benchmarks.gui_pages import FirstPage

    view = _pdf_view(window)
    timer = FirstPage(view)
    samples = [(0, rss_mb())]
    slowest: dict[str, float] = {}
    case_ref, start = None, time.perf_counter()
    for n, doc in enumerate(chosen, 1):
        if doc.case_ref != case_ref:
            window.open_case(doc.case_ref)
            case_ref = doc.case_ref
            settle(300)  # a reader looks at the case before choosing a document
        if doc.doc_type == "pdf":
            timer.time(lambda d=doc: window.workspace.show_document(d.id, 1))
        else:
            begun = time.perf_counter()
            window.workspace.show_document(doc.id, 1)
            held = time.perf_counter() - begun
            slowest[doc.doc_type] = max(held, slowest.get(doc.doc_type, 0.0))
            settle(20)
        if n % 50 == 0:
            samples.append((n, rss_mb()))
    report(
        {
            "samples": samples,
            "opened": len(chosen),
            "seconds": time.perf_counter() - start,
            "types": sorted({d.doc_type for d in chosen}),
            "slowest_other": slowest,
        }
    )
    window.close()


def typing_ours(store_path: str) -> None:
    from benchmarks.gui_typing import typing_ours as measure

    measure(store_path)


def typing_bare(store_path: str) -> None:
    from benchmarks.gui_typing import typing_bare as measure

    measure(store_path)


def open_documents(store_path: str, count: int) -> None:
    from benchmarks.gui_pages import open_documents as measure

    measure(store_path, count)


def page_turns(store_path: str, count: int) -> None:
    from benchmarks.gui_pages import page_turns as measure

    measure(store_path, count)


MODES = {
    "start-ours": start_ours,
    "start-bare": start_bare,
    "open": open_documents,
    "turn": page_turns,
    "typing-ours": typing_ours,
    "typing-bare": typing_bare,
    "rss": rss,
}


if __name__ == "__main__":
    mode, store_arg, *rest = sys.argv[1:]
    try:
        MODES[mode](store_arg, *(int(x) for x in rest))
    except BaseException:  # noqa: BLE001 - said, then out: Qt's teardown could hang
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
    sys.stdout.flush()
    # Skip Qt's and Python's teardown: nothing more is measured, and it can be slow.
    os._exit(0)
