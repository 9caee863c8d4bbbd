"""The typing measure, run in a child process by gui_bench.py through gui_child.py: the longest
GUI-thread stall while a note is typed key by key with autosave, beside a bare QPlainTextEdit.
"""

import sys
import time

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit

from benchmarks.gui_child import WAIT, WINDOW, _main_window, _preload, report, settle

KEY_INTERVAL_MS = 80
SENTENCE_PAUSE_MS = 900  # longer than the note's 600 ms typing pause, so autosave runs mid-note
HEARTBEAT_MS = 5
NOTE = (
    "Chronology updated after the IRD; health visitor and school views recorded. "
    "Lead professional named in the child's plan. "
    "Contingency plan not reviewed after the hearing. "
    "Core group minutes show actions carried over twice. "
    "Child's views gathered through advocacy and recorded in their own words."
)

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
