"""The case's documents: grouped by agency, and the cross-agency timeline."""

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from casereader.store import Store, places
from casereader.store import documents as store_documents
from casereader.ui.documents.models import (
    DetailRole,
    DocumentIdRole,
    DocumentTreeModel,
    TimelineModel,
    read_count_text,
)

ROW_PADDING = 8


class TwoLineDelegate(QStyledItemDelegate):
    """Draws a row's title and its DetailRole (date, pages or agency) on two lines."""

    def __init__(self, parent=None, detail_first: bool = False):
        super().__init__(parent)
        self._detail_first = detail_first

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        detail = index.data(DetailRole)
        if detail is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else QApplication.style()
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        title, opt.text = opt.text, ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = opt.palette.currentColorGroup()
        text = opt.palette.color(
            group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = text if selected else opt.palette.color(group, QPalette.ColorRole.PlaceholderText)
        # an unread title is bold (FontRole); its detail line stays in the plain font
        plain = QFont(opt.font)
        plain.setBold(option.font.bold())
        lines = (
            [(detail, muted, plain), (title, text, opt.font)]
            if self._detail_first
            else [(title, text, opt.font), (detail, muted, plain)]
        )
        height = opt.fontMetrics.height()
        top = area.top() + (area.height() - 2 * height) // 2
        painter.save()
        for n, (line, colour, font) in enumerate(lines):
            painter.setFont(font)
            painter.setPen(colour)
            rect = QRect(area.left(), top + n * height, area.width(), height)
            elided = QFontMetrics(font).elidedText(line, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided
            )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(DetailRole) is not None:
            size.setHeight(max(size.height(), 2 * option.fontMetrics.height() + ROW_PADDING))
        return size


def _list_view(name: str, description: str, detail_first: bool) -> QTreeView:
    view = QTreeView()
    view.setAccessibleName(name)
    view.setAccessibleDescription(description)
    view.setHeaderHidden(True)
    view.setItemDelegate(TwoLineDelegate(view, detail_first))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    return view


class DocumentsPane(QWidget):
    """Tabs 'By agency' and 'Timeline'; Enter or a double-click opens a document."""

    document_chosen = Signal(int, int)  # document id, page

    def __init__(self, parent=None):
        super().__init__(parent)
        self.tree_model = DocumentTreeModel(self)
        self.timeline_model = TimelineModel(self)

        self.tree = _list_view(
            "Documents by agency",
            "Each agency's documents by date, with the date and pages under each title; "
            "Enter opens one.",
            detail_first=False,
        )
        self.tree.setModel(self.tree_model)
        self.tree.setIndentation(14)

        self.timeline = _list_view(
            "Timeline",
            "Every document of the case by date, across agencies, with its agency; "
            "Enter opens one.",
            detail_first=True,
        )
        self.timeline.setRootIsDecorated(False)
        self.timeline.setUniformRowHeights(True)
        self.timeline.setModel(self.timeline_model)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Documents")
        self.tabs.addTab(self.tree, "By agency")
        self.tabs.addTab(self.timeline, "Timeline")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._summary = QLabel()
        self._summary.setAccessibleName("Documents read")
        self._summary.setContentsMargins(4, 2, 4, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self._summary)
        self.setFocusProxy(self.tree)
        self.setAccessibleName("Case documents")

        for view in (self.tree, self.timeline):
            # Not `activated`: after a double-click Qt emits it only on some platforms.
            view.doubleClicked.connect(self._on_chosen)
            view.installEventFilter(self)
        self.clear()

    def set_case(self, store: Store, case_ref: str) -> None:
        """Show the documents of one case, those never opened in bold."""
        rows = store_documents.list_documents(store, case_ref)
        self._store = store
        self._ids = {d.id for d in rows}
        self._read = places.read_documents(store, case_ref) & self._ids
        self.tree_model.set_rows(rows, self._read)
        self.timeline_model.set_rows(store_documents.timeline(store, case_ref), self._read)
        self.tree.expandAll()
        self._summary.setText(read_count_text(len(self._read), len(rows)))
        # The first document is where the keys start (Enter opens it), but it is not selected:
        # a highlighted row beside an empty viewer would look open.
        none = QItemSelectionModel.SelectionFlag.NoUpdate
        first = self.tree_model.index(0, 0)
        if first.isValid():
            self.tree.selectionModel().setCurrentIndex(self.tree_model.index(0, 0, first), none)
        if self.timeline_model.rowCount():
            self.timeline.selectionModel().setCurrentIndex(self.timeline_model.index(0, 0), none)

    @Slot(int)
    def note_opened(self, document_id: int) -> None:
        """A document of the case is on screen in the viewer: it is read (kept in the store)."""
        if self._store is None or document_id not in self._ids or document_id in self._read:
            return
        places.mark_read(self._store, document_id)
        self._read.add(document_id)
        self.tree_model.mark_read(document_id)
        self.timeline_model.mark_read(document_id)
        self._summary.setText(read_count_text(len(self._read), len(self._ids)))

    def read_documents(self) -> set[int]:
        """The ids of the case's documents shown as read."""
        return set(self._read)

    def clear(self) -> None:
        """Show no case."""
        self._store: Store | None = None
        self._ids: set[int] = set()
        self._read: set[int] = set()
        self.tree_model.set_rows([])
        self.timeline_model.set_rows([])
        self._summary.setText("No case open")

    def summary_text(self) -> str:
        """The line under the lists: how many of the case's documents were read."""
        return self._summary.text()

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

    def eventFilter(self, watched, event) -> bool:
        """Enter or Return on a document opens it."""
        if (
            (watched is self.tree or watched is self.timeline)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and watched.currentIndex().data(DocumentIdRole) is not None
        ):
            self._on_chosen(watched.currentIndex())
            return True
        return super().eventFilter(watched, event)

    @Slot(QModelIndex)
    def _on_chosen(self, index: QModelIndex) -> None:
        document_id = index.data(DocumentIdRole)
        # An agency row has no id: the tree itself expands it (double-click, or the arrow keys).
        if document_id is not None:
            self.document_chosen.emit(int(document_id), 1)

    @Slot(int)
    def _on_tab_changed(self, tab: int) -> None:
        self.setFocusProxy(self.tree if tab == 0 else self.timeline)
