"""One GUI measurement in its own process (run by gui_bench.py; prints one JSON line).

    python benchmarks/gui_child.py start-ours STORE
    python benchmarks/gui_child.py start-bare STORE
    python benchmarks/gui_child.py open STORE COUNT      (benchmarks/gui_pages.py)
    python benchmarks/gui_child.py turn STORE COUNT      (benchmarks/gui_pages.py)
    python benchmarks/gui_child.py typing-ours STORE
    python benchmarks/gui_child.py typing-bare STORE
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
    Qt,
    QTimer,
)
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QMainWindow,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
)

from benchmarks.common import PASSPHRASE  # noqa: E402
from casereader.ui.documents.page_view import PageArea  # noqa: E402

WINDOW = QSize(1600, 1000)
KEY_INTERVAL_MS = 80
SENTENCE_PAUSE_MS = 900  # longer than the note's 600 ms typing pause, so autosave runs mid-note
HEARTBEAT_MS = 5
WAIT = QEventLoop.ProcessEventsFlag.WaitForMoreEvents
NOTE = (
    "Chronology updated after the IRD; health visitor and school views recorded. "
    "Lead professional named in the child's plan. "
    "Contingency plan not reviewed after the hearing. "
    "Core group minutes show actions carried over twice. "
    "Child's views gathered through advocacy and recorded in their own words."
)


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


# 3. longest GUI-thread stall while typing a note ------------------------------------------------


class Heartbeat(QObject):
    """A 5 ms precise timer; the largest gap between its ticks is the longest stall."""

    def __init__(self):
        super().__init__()
        self.ticks: list[float] = []
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def gaps_ms(self) -> list[float]:
        return [(b - a) * 1000 for a, b in zip(self.ticks, self.ticks[1:], strict=False)]


def type_note(target, after_s: float = 1.5) -> dict:
    """Type NOTE into `target` key by key at a reader's pace, timing the heartbeat meanwhile."""
    app = QApplication.instance()
    beat = Heartbeat()
    chars = list(NOTE)
    state = {"typed": 0}
    key_timer = QTimer()
    key_timer.setSingleShot(True)
    key_timer.setTimerType(Qt.TimerType.PreciseTimer)

    def next_key() -> None:
        if state["typed"] == len(chars):
            return
        ch = chars[state["typed"]]
        QTest.keyClicks(target, ch)
        state["typed"] += 1
        pause = SENTENCE_PAUSE_MS if ch == "." else KEY_INTERVAL_MS
        key_timer.start(pause)

    key_timer.timeout.connect(next_key)
    beat.timer.start()
    key_timer.start(KEY_INTERVAL_MS)
    start = time.perf_counter()
    while state["typed"] < len(chars):
        app.processEvents(WAIT, 20)
    end = time.perf_counter() + after_s  # the last pause: the final autosave and notes check
    while time.perf_counter() < end:
        app.processEvents(WAIT, 20)
    beat.timer.stop()
    gaps = sorted(beat.gaps_ms())
    return {
        "max_gap_ms": gaps[-1],
        "p99_gap_ms": gaps[round(0.99 * (len(gaps) - 1))],
        "ticks": len(beat.ticks),
        "typed": state["typed"],
        "seconds": time.perf_counter() - start,
    }


def typing_ours(store_path: str) -> None:
    _preload()
    from casereader.store import answers

    app, window = _main_window(store_path)
    store = window.store
    refs = [r.case_ref for r in window.case_list.model.rows() if not r.answered]
    window.case_list.select_case(refs[0])
    settle(300)
    panel = window.workspace.template
    key = next(
        f"{stage.id}.{item.id}" for stage, item in store.template.items() if item.kind == "grade"
    )
    panel.focus_item(key, note=True)
    settle(300)
    target = QApplication.focusWidget()
    if not isinstance(target, QPlainTextEdit):
        raise RuntimeError(f"the note editor did not take the focus ({target!r})")
    result = type_note(target)
    saved = answers.answers_for(store, refs[0]).get(key)
    result["saved_chars"] = len(saved.note) if saved else 0
    result["case_ref"], result["item_key"] = refs[0], key
    report(result)
    window.close()


def typing_bare(_store_path: str) -> None:
    app = QApplication([sys.argv[0]])  # noqa: F841 - kept alive while typing
    window = QMainWindow()
    edit = QPlainTextEdit()
    window.setCentralWidget(edit)
    window.resize(WINDOW)
    window.show()
    edit.setFocus()
    settle(300)
    result = type_note(edit)
    result["saved_chars"] = len(edit.toPlainText())
    report(result)
    window.close()


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
