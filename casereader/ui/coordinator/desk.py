"""The coordinator's desk: Cases, Readers, Moderation, Analysis and Reviews, one page each.

The desk reads the merged work through the coordination core and refreshes what a change
touches: a moderation refreshes the overview and marks the analysis stale; the analysis runs
again when its page is next shown.
"""

import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QFileDialog, QStackedWidget

from casereader.errors import CaseReaderError
from casereader.store.coordination import analysis as core_analysis
from casereader.store.coordination import overview as core_overview
from casereader.store.store import Store
from casereader.ui.coordinator import widgets
from casereader.ui.coordinator.moderation_view import ModerationView
from casereader.ui.coordinator.overview_view import CasesView, ReadersView
from casereader.ui.coordinator.reviews_view import ReviewsView

PAGES = ("cases", "readers", "moderation", "analysis", "reviews")
PAGE_TITLES = {
    "cases": "Cases",
    "readers": "Readers",
    "moderation": "Moderation",
    "analysis": "Analysis",
    "reviews": "Reviews",
}


def ask_export_target(parent, kind: str) -> Path | None:
    """A folder for the CSV files or a file name for the workbook; None if cancelled."""
    if kind == "csv":
        chosen = QFileDialog.getExistingDirectory(parent, "Folder for the analysis CSV files")
    else:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "Save the analysis workbook", "analysis.xlsx", "Excel workbook (*.xlsx)"
        )
        if chosen and not chosen.lower().endswith(".xlsx"):
            chosen += ".xlsx"
    return Path(chosen) if chosen else None


class CoordinatorDesk(QStackedWidget):
    """The coordinator's pages over one coordinator store (the window's one Store)."""

    open_case = Signal(str)  # case_ref: show its documents in the reading view
    evidence_requested = Signal(str, str, int)  # case_ref, document sha256, page
    case_changed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("coordinatorDesk")
        self.store: Store | None = None
        self.cases = CasesView()
        self.readers = ReadersView()
        self.moderation = ModerationView()
        self._analysis = None  # built when first shown (QtCharts is a large import)
        self._analysis_stale = True
        self._queue_stale = True  # the moderation queue is read when its page is shown
        self.last_analysis_ms: float | None = None
        self.last_analysis = None  # the Analysis shown (the exports write this one)
        self.reviews = ReviewsView()
        self._placeholder = widgets.plain_label("Running the analysis…", "Analysis")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for page in (self.cases, self.readers, self.moderation, self._placeholder, self.reviews):
            self.addWidget(page)
        self.cases.open_case.connect(self.open_case)
        self.cases.moderate_case.connect(self.moderate)
        self.moderation.changed.connect(self._moderated)
        self.moderation.evidence_requested.connect(self.evidence_requested)
        self.reviews.changed.connect(self._review_moved)
        self.reviews.open_case.connect(self.open_case)
        self.currentChanged.connect(self._page_changed)

    @property
    def analysis(self):
        """The AnalysisView, built when first needed."""
        if self._analysis is None:
            from casereader.ui.coordinator.analysis_view import AnalysisView

            self._analysis = AnalysisView()
            self._analysis.refresh_requested.connect(self.run_analysis)
            self._analysis.export_requested.connect(self.export_analysis)
            index = self.indexOf(self._placeholder)
            current = self.currentIndex()
            self.removeWidget(self._placeholder)
            self.insertWidget(index, self._analysis)
            self.setCurrentIndex(current)
        return self._analysis

    def set_store(self, store: Store | None) -> None:
        """Show this coordinator store's merged work (None clears the desk)."""
        self.store = store
        self._analysis_stale = True
        self.moderation.store = store
        self.reviews.store = store
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read the merged work again (after a merge, a moderation or a review step)."""
        self._analysis_stale = True
        if self.store is None:
            self.cases.set_rows([])
            self.readers.set_rows([])
            self.reviews.set_flags([])
            self.moderation.set_store(None)
            return
        merged = core_overview.merged_overview(self.store)
        self.cases.set_rows(merged.cases)
        self.readers.set_rows(merged.readers)
        self.reviews.set_flags(merged.flags)
        self._queue_stale = True
        if self.current_page() == "moderation":
            self._reload_queue()
        if self.current_page() == "analysis":
            self.run_analysis()

    def show_page(self, name: str) -> None:
        """Bring one page forward and put the keyboard in it."""
        page = {
            "cases": self.cases,
            "readers": self.readers,
            "moderation": self.moderation,
            "reviews": self.reviews,
        }.get(name)
        if name == "analysis":
            page = self.analysis
        self.setCurrentWidget(page)
        focus = {
            "cases": self.cases.focus_table,
            "readers": self.readers.focus_table,
            "moderation": self.moderation.focus_queue,
            "analysis": self.analysis.focus_tables if name == "analysis" else None,
            "reviews": self.reviews.focus_table,
        }[name]
        focus()

    def current_page(self) -> str:
        return PAGES[self.currentIndex()] if self.currentIndex() >= 0 else ""

    @Slot(str)
    def moderate(self, case_ref: str) -> None:
        self.show_page("moderation")
        self.moderation.select_case(case_ref)

    def _reload_queue(self) -> None:
        self._queue_stale = False
        self.moderation.reload()

    @Slot(int)
    def _page_changed(self, index: int) -> None:
        if PAGES[index] == "moderation" and self._queue_stale:
            self._reload_queue()
        if PAGES[index] == "analysis" and self._analysis_stale:
            # After the page has painted (its "Running the analysis…" shows first).
            QTimer.singleShot(0, self, self._run_if_stale)

    @Slot()
    def _run_if_stale(self) -> None:
        if self._analysis_stale:
            self.run_analysis(self.analysis.include_reserve.isChecked())

    @Slot(bool)
    def run_analysis(self, include_reserve: bool = False) -> None:
        """Run the analysis and show its JSON (the same object `analysis --json` prints).

        It runs on the GUI thread: the window's one Store never crosses threads, and the app
        keeps no passphrase to open a second one; for a 75-case inspection it takes a fraction
        of a second (see the benchmark), shown with a busy cursor.
        """
        if self.store is None:
            return
        view = self.analysis
        view.set_busy(True)
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        try:
            started = time.perf_counter()
            result = core_analysis.analyse(self.store, include_reserve)
            data = result.to_json()
            self.last_analysis_ms = (time.perf_counter() - started) * 1000
        except CaseReaderError as error:
            view.set_busy(False)
            widgets.show_error(self, "Analysis not run", str(error))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self._analysis_stale = False
        self.last_analysis = result
        view.set_data(data)

    @Slot(str)
    def export_analysis(self, kind: str) -> Path | None:
        """Write the analysis shown as CSV files (a folder) or an XLSX workbook."""
        from casereader.reports import spreadsheets

        if self.last_analysis is None:
            return None
        target = ask_export_target(self, kind)
        if target is None:
            return None
        try:
            if kind == "csv":
                written = spreadsheets.write_csv(self.last_analysis, target)
                message = f"{len(written)} CSV files written to {target}."
            else:
                spreadsheets.write_xlsx(self.last_analysis, target)
                message = f"Workbook written: {target}."
        except CaseReaderError as error:
            widgets.show_error(self, "Analysis not exported", str(error))
            return None
        self.analysis.summary.setText(message)
        return target

    @Slot(str)
    def _moderated(self, case_ref: str) -> None:
        self._analysis_stale = True
        merged = core_overview.merged_overview(self.store)
        self.cases.set_rows(merged.cases)
        self.case_changed.emit(case_ref)

    @Slot(str)
    def _review_moved(self, case_ref: str) -> None:
        self._analysis_stale = True
        merged = core_overview.merged_overview(self.store)
        self.cases.set_rows(merged.cases)
        self.readers.set_rows(merged.readers)
        self._queue_stale = True  # its open-review counts and order changed
        self.case_changed.emit(case_ref)
