"""The Moderation page's first paint on a merged inspection (75 cases, 6 readers, 15 double
reads, every item answered; the store of benchmarks/coordination_bench.py).

    python benchmarks/moderation_paint_bench.py
    python benchmarks/run.py --only moderation_paint

Qt runs offscreen, as in the other GUI measures (QT_QPA_PLATFORM is set unless given).

Measured, each the median of several runs in this process (the store already open):
- the page from nothing to its first paint: a new ModerationView given the store (the queue read
  through the core, the first case's items side by side, the first item's readings and
  decision), shown, until the queue's table has painted;
- beside it the floor: a bare QTableView over a QStandardItemModel holding the same queue rows
  (already computed), shown until it has painted;
- and the core's ``moderation_queue`` alone, to show what share of the page is the queue itself.
"""

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView

from benchmarks.common import PASSPHRASE, Row, median
from benchmarks.coordination_bench import build
from casereader.store import Store
from casereader.store.coordination.moderation import moderation_queue

RUNS = 9


class PaintWatch(QObject):
    """Notes when a widget has painted."""

    def __init__(self):
        super().__init__()
        self.painted = False

    def eventFilter(self, _watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def _until_painted(app: QApplication, watch: PaintWatch) -> None:
    while not watch.painted:
        app.processEvents()


def page_first_paint(app: QApplication, store: Store) -> float:
    from casereader.ui.coordinator.moderation_view import ModerationView

    start = time.perf_counter()
    view = ModerationView()
    watch = PaintWatch()
    view.queue.viewport().installEventFilter(watch)
    view.resize(1500, 850)
    view.set_store(store)
    view.show()
    _until_painted(app, watch)
    elapsed = time.perf_counter() - start
    view.close()
    view.deleteLater()
    return elapsed


def bare_first_paint(app: QApplication, rows: list[list[str]]) -> float:
    start = time.perf_counter()
    model = QStandardItemModel(len(rows), len(rows[0]) if rows else 0)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            model.setItem(r, c, QStandardItem(text))
    view = QTableView()
    view.setModel(model)
    watch = PaintWatch()
    view.viewport().installEventFilter(watch)
    view.resize(1500, 850)
    view.show()
    _until_painted(app, watch)
    elapsed = time.perf_counter() - start
    view.close()
    view.deleteLater()
    return elapsed


def run() -> list[Row]:
    app = QApplication.instance() or QApplication(sys.argv)
    path = build()
    with Store.open(path, PASSPHRASE) as store:
        queue = moderation_queue(store)
        rows = [[c.case_ref, str(c.open_flags), str(c.max_gap), str(c.differences),
                 ", ".join(c.readers)] for c in queue]  # fmt: skip
        page_first_paint(app, store), bare_first_paint(app, rows)  # warm: imports, fonts
        pages, bares, cores = [], [], []
        for _ in range(RUNS):
            pages.append(page_first_paint(app, store))
            bares.append(bare_first_paint(app, rows))
            start = time.perf_counter()
            moderation_queue(store)
            cores.append(time.perf_counter() - start)
    return [
        Row(
            f"Moderation page to first paint ({len(queue)} double-read cases)",
            median(pages),
            median(bares),
            "bare QTableView of the same rows to first paint",
            "≤ 200 ms",
            note=f"of which moderation_queue() {median(cores) * 1000:.0f} ms",
        )
    ]


if __name__ == "__main__":
    from benchmarks.common import table

    print(table(run()))
