"""Full-text search across the case's documents, or across all cases."""

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from casereader.store import Store
from casereader.store import documents as store_documents
from casereader.ui.documents.hit_delegate import HitDelegate
from casereader.ui.documents.models import HitRole, SearchResultsModel

RESULT_LIMIT = 50
TYPING_PAUSE_MS = 300  # search while typing, once the reader pauses


def results_text(shown: int, total: int, case_ref: str | None) -> str:
    """'50 of 213 pages in all cases.' (the best first), '3 pages in SA-001.', or why none."""
    where = f"in {case_ref}" if case_ref else "in all cases"
    if not total:
        return f"No page {where} has all these words."
    if shown < total:
        return f"{shown} of {total} pages {where}."
    return f"{total} page{'s' if total != 1 else ''} {where}."


class ResultsList(QListView):
    """A list of hits that says what to do, centred in it, while it is empty."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._placeholder = ""

    def placeholder_text(self) -> str:
        """The hint drawn while the list is empty ("" for none)."""
        return self._placeholder

    def set_placeholder_text(self, text: str) -> None:
        """Draw this hint while the list is empty."""
        if text != self._placeholder:
            self._placeholder = text
            self.viewport().update()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        model = self.model()
        if not self._placeholder or (model is not None and model.rowCount()):
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        margin = 2 * self.fontMetrics().averageCharWidth()
        painter.drawText(
            self.viewport().rect().adjusted(margin, margin, -margin, -margin),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            self._placeholder,
        )
        painter.end()


class SearchPanel(QWidget):
    """A query, a scope (this case or all cases) and the best hits; Enter on a hit opens it."""

    hit_chosen = Signal(str, int, int, str)  # case_ref, document id, page, query
    results_shown = Signal(bool)  # hits are listed (True) or the list is empty (False)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._store: Store | None = None
        self._case_ref: str | None = None
        self._last_query = ""
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.run_search)

        self.query = QLineEdit()
        self.query.setPlaceholderText("Search documents")
        self.query.setClearButtonEnabled(True)
        self.query.setAccessibleName("Search documents")
        self.query.setAccessibleDescription(
            'Words must all be on the page; "quotes" for a phrase, word* for a prefix. '
            "Enter searches; Down moves to the results."
        )
        self.query.textEdited.connect(lambda _text: self._typing.start())
        self.query.returnPressed.connect(self._on_return)
        self.query.installEventFilter(self)

        self.this_case = QRadioButton("This case")
        self.this_case.setAccessibleName("Search this case")
        self.all_cases = QRadioButton("All cases")
        self.all_cases.setAccessibleName("Search all cases")
        self._scope = QButtonGroup(self)
        self._scope.addButton(self.this_case)
        self._scope.addButton(self.all_cases)
        self.this_case.setChecked(True)
        self._scope.buttonClicked.connect(self._on_scope_clicked)
        self._scope_forced = False  # "All cases" chosen because no case is open

        self.model = SearchResultsModel(self)
        self.results = ResultsList()
        self.results.setModel(self.model)
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.setUniformItemSizes(True)
        self.results.setWordWrap(True)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setAlternatingRowColors(True)
        self.results.setAccessibleName("Search results")
        self.results.setAccessibleDescription("Enter opens the document at the page of the hit.")
        # Not `activated`: after a double-click Qt emits it only on some platforms.
        self.results.doubleClicked.connect(self._on_activated)
        self.results.installEventFilter(self)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Search status")
        self.status.hide()  # an empty status would leave a blank band above the results

        scope = QHBoxLayout()
        scope.addWidget(self.this_case)
        scope.addWidget(self.all_cases)
        scope.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.query)
        layout.addLayout(scope)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self.setFocusProxy(self.query)
        self.setAccessibleName("Search")
        self.set_case(None)

    def set_store(self, store: Store | None) -> None:
        """Search this store (None while locked or closed: the results are cleared)."""
        self._store = store
        self.model.set_rows([])
        self._last_query = ""
        self._set_status("" if store else "No inspection open")
        if store is not None and self.query.text().strip():
            self.run_search()

    def set_case(self, case_ref: str | None) -> None:
        """The case 'This case' means; with none, only 'All cases' can be searched."""
        self._case_ref = case_ref
        self.this_case.setEnabled(case_ref is not None)
        self.this_case.setText(f"This case ({case_ref})" if case_ref else "This case")
        if case_ref is None and self.this_case.isChecked():
            self.all_cases.setChecked(True)
            self._scope_forced = True
        elif case_ref is not None and self._scope_forced:
            self.this_case.setChecked(True)
            self._scope_forced = False
        if self.this_case.isChecked() and self.query.text().strip():
            self.run_search()
        self._update_placeholder()

    def scope_case(self) -> str | None:
        """The case searched, or None for all cases."""
        return self._case_ref if self.this_case.isChecked() else None

    @Slot()
    def run_search(self) -> int:
        """Search now with the query as typed; returns the number of hits shown."""
        self._typing.stop()
        query = self.query.text().strip()
        self._last_query = query
        if self._store is None or not query:
            self._last_query = ""
            self.model.set_rows([])
            self.results_shown.emit(False)
            self._set_status("" if self._store else "No inspection open")
            return 0
        case_ref = self.scope_case()
        found = store_documents.find_pages(self._store, query, case_ref, limit=RESULT_LIMIT)
        hits = found.hits
        self.model.set_rows(hits)
        self._set_status(results_text(len(hits), found.total, case_ref))
        self.results_shown.emit(bool(hits))
        return len(hits)

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self._update_placeholder()

    def _update_placeholder(self) -> None:
        """Until a search is made, the empty results say what typing will search."""
        hint = ""
        if self._store is not None and not self._last_query:
            where = "this case's documents" if self.this_case.isChecked() else "all cases"
            hint = f"Type words to search {where}"
        self.results.set_placeholder_text(hint)
        self.results.setAccessibleDescription(
            self.status.text() or hint or "Enter opens the document at the page of the hit."
        )

    def eventFilter(self, watched, event) -> bool:
        """Down in the query field moves to the results; Enter on a result opens it."""
        if event.type() == QEvent.Type.KeyPress:
            if watched is self.query and event.key() == Qt.Key.Key_Down and self.model.rowCount():
                self._focus_results()
                return True
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if watched is self.results and enter and self.results.currentIndex().isValid():
                self._on_activated(self.results.currentIndex())
                return True
        return super().eventFilter(watched, event)

    def _focus_results(self) -> None:
        if not self.results.currentIndex().isValid():
            self.results.setCurrentIndex(self.model.index(0, 0))
        self.results.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _on_return(self) -> None:
        if self.run_search():
            self.results.setCurrentIndex(self.model.index(0, 0))
            self._focus_results()

    @Slot()
    def _on_scope_clicked(self) -> None:
        self._scope_forced = False
        if self.query.text().strip():
            self.run_search()
        self._update_placeholder()

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        hit = index.data(HitRole)
        if hit is not None:
            self.hit_chosen.emit(hit.case_ref, hit.document_id, hit.page, self._last_query)
