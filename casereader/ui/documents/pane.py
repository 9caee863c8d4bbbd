"""The case's documents: grouped by agency, and the cross-agency timeline."""

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from casereader.store import Store
from casereader.store import documents as store_documents
from casereader.ui.documents.models import DocumentIdRole, DocumentTreeModel, TimelineModel


def _list_view(name: str, description: str) -> QTreeView:
    view = QTreeView()
    view.setAccessibleName(name)
    view.setAccessibleDescription(description)
    view.setUniformRowHeights(True)
    view.setAllColumnsShowFocus(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    return view


class DocumentsPane(QWidget):
    """Tabs 'By agency' and 'Timeline'; Enter or a double-click opens a document."""

    document_chosen = Signal(int, int)  # document id, page

    def __init__(self, parent=None):
        super().__init__(parent)
        self.tree_model = DocumentTreeModel(self)
        self.timeline_model = TimelineModel(self)

        self.tree = _list_view(
            "Documents by agency", "Each agency's documents by date; Enter opens one."
        )
        self.tree.setModel(self.tree_model)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        self.timeline = _list_view(
            "Timeline", "Every document of the case by date, across agencies; Enter opens one."
        )
        self.timeline.setRootIsDecorated(False)
        self.timeline.setModel(self.timeline_model)
        header = self.timeline.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Documents")
        self.tabs.addTab(self.tree, "By agency")
        self.tabs.addTab(self.timeline, "Timeline")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._summary = QLabel()
        self._summary.setAccessibleName("Number of documents")
        self._summary.setContentsMargins(4, 2, 4, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self._summary)
        self.setFocusProxy(self.tree)
        self.setAccessibleName("Case documents")

        for view in (self.tree, self.timeline):
            # `activated` is Enter, and a double-click (or a single one where the style says so).
            view.activated.connect(self._on_activated)
        self.clear()

    def set_case(self, store: Store, case_ref: str) -> None:
        """Show the documents of one case."""
        rows = store_documents.list_documents(store, case_ref)
        self.tree_model.set_rows(rows)
        self.timeline_model.set_rows(store_documents.timeline(store, case_ref))
        self.tree.expandAll()
        for row in range(self.tree_model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        count = len(rows)
        self._summary.setText(
            f"{count} document{'s' if count != 1 else ''}" if count else "No documents"
        )
        first = self.tree_model.index(0, 0)
        if first.isValid():
            self.tree.setCurrentIndex(self.tree_model.index(0, 0, first))
        if self.timeline_model.rowCount():
            self.timeline.setCurrentIndex(self.timeline_model.index(0, 0))

    def clear(self) -> None:
        """Show no case."""
        self.tree_model.set_rows([])
        self.timeline_model.set_rows([])
        self._summary.setText("No case open")

    def select_document(self, document_id: int) -> None:
        """Mark the document on screen in both lists (without emitting document_chosen)."""
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        index = self.tree_model.document_index(document_id)
        if index.isValid():
            self.tree.selectionModel().setCurrentIndex(index, flags)
            self.tree.scrollTo(index)
        row = self.timeline_model.row_of(document_id)
        if row >= 0:
            index = self.timeline_model.index(row, 0)
            self.timeline.selectionModel().setCurrentIndex(index, flags)
            self.timeline.scrollTo(index)

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        document_id = index.data(DocumentIdRole)
        # An agency row has no id: the tree itself expands it (double-click, or the arrow keys).
        if document_id is not None:
            self.document_chosen.emit(int(document_id), 1)

    @Slot(int)
    def _on_tab_changed(self, tab: int) -> None:
        self.setFocusProxy(self.tree if tab == 0 else self.timeline)
