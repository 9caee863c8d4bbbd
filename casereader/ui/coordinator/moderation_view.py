"""The Moderation view: the queue of double-read cases, one case's readings side by side, and
the moderator's decisions (through the core's moderate and accept_equal)."""

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from casereader.domain.values import display_value
from casereader.errors import CaseReaderError
from casereader.store.coordination import moderation as coordination
from casereader.store.store import Store
from casereader.ui.coordinator import widgets
from casereader.ui.coordinator.moderation_item import ItemDecision
from casereader.ui.coordinator.moderation_models import (
    TO_DECIDE,
    ComparisonModel,
    DifferencesFilter,
    ModerationQueueModel,
    letters,
)
from casereader.ui.coordinator.table import ROW_ROLE
from casereader.ui.coordinator.widgets import plain_label, set_column_widths, table_view


class ModerationView(QWidget):
    """Queue on the left; the chosen case's items, Reader A / Reader B, and the decision."""

    changed = Signal(str)  # case_ref: a moderation was recorded
    evidence_requested = Signal(str, str, int)  # case_ref, document sha256, page

    def __init__(self, parent=None):
        super().__init__(parent)
        self.store: Store | None = None
        self._case_pending = False
        self.queue_model = ModerationQueueModel(self)
        self.queue = table_view(
            "Moderation queue",
            "Double-read cases: open management reviews first, then the largest grade gap.",
        )
        self.queue.setModel(self.queue_model)
        self.queue.viewport().installEventFilter(self)
        self.queue_count = QLabel()
        self.queue_count.setAccessibleName("Number of cases in the queue")

        self.heading = plain_label("", "Case under moderation", wrap=False)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.differences_only = QCheckBox("&Differences only")
        self.differences_only.setAccessibleName("Show only the items where the readers differ")
        self.accept_button = QPushButton("Accept all &equal answers")
        self.accept_button.setAccessibleName(
            "Accept every item all readers answered the same, in one step"
        )
        self.summary = QLabel()
        self.summary.setAccessibleName("Items to decide")
        self.items_model = ComparisonModel(self)
        self.items_proxy = DifferencesFilter(self)
        self.items_proxy.setSourceModel(self.items_model)
        self.items = table_view(
            "Items side by side",
            "Each item with Reader A's and Reader B's answers. Enter moves to the decision.",
        )
        self.items.setModel(self.items_proxy)
        self.items.horizontalHeader().setStretchLastSection(False)
        self.decision = ItemDecision()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(plain_label("Moderation queue", "Moderation queue heading"))
        left_layout.addWidget(self.queue, 1)
        left_layout.addWidget(self.queue_count)
        bar = QHBoxLayout()
        bar.addWidget(self.differences_only)
        bar.addWidget(self.accept_button)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.heading)
        middle_layout.addLayout(bar)
        middle_layout.addWidget(self.items, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(middle)
        right.addWidget(self.decision)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([380, 420])
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("moderation")
        self.split.addWidget(left)
        self.split.addWidget(right)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([430, 1050])
        layout = QVBoxLayout(self)
        layout.addWidget(self.split)

        self.queue.selectionModel().currentRowChanged.connect(self._case_chosen)
        self.items.selectionModel().currentRowChanged.connect(self._item_chosen)
        self.items.activated.connect(lambda _i: self.decision.focus_decision())
        self.differences_only.toggled.connect(self._toggle_differences)
        self.accept_button.clicked.connect(self.accept_equal)
        self.decision.decided.connect(self.record)
        self.decision.evidence_requested.connect(self._evidence)
        self._show_case(None)

    # data ---------------------------------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        self.store = store
        self.reload()

    def reload(self) -> None:
        """Read the queue again, keeping the case and item shown."""
        case_ref = self.current_case_ref()
        queue = coordination.moderation_queue(self.store) if self.store is not None else []
        self.queue_model.set_rows(queue)
        set_column_widths(self.queue, (70, 60, 40, 50, 110))
        to_decide = sum(1 for c in queue if c.differences)
        self.queue_count.setText(f"{len(queue)} double-read cases · {to_decide} with differences")
        row = self.queue_model.row_of(case_ref) if case_ref else None
        if row is None and queue:
            row = 0
        if row is None:
            self._show_case(None)
            return
        # The queue paints first; the chosen case's items follow after that paint (laying out
        # a case's items and readings is the larger part of the page).
        selection = self.queue.selectionModel()
        selection.blockSignals(True)
        self.queue.setCurrentIndex(self.queue_model.index(row, 0))
        selection.blockSignals(False)
        self._case_pending = True
        self.queue.viewport().update()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        """After the queue's first paint since a reload, the chosen case's items follow."""
        if (
            self._case_pending
            and watched is self.queue.viewport()
            and event.type() == QEvent.Type.Paint
        ):
            self._case_pending = False
            QTimer.singleShot(0, self, self._show_current)
        return False

    @Slot()
    def _show_current(self) -> None:
        """Show the queue's current case, unless it is the one shown already."""
        self._case_pending = False
        index = self.queue.currentIndex()
        case = index.data(ROW_ROLE) if index.isValid() else None
        if case is not self.items_model.case:
            self._show_case(case)

    def current_case_ref(self) -> str | None:
        case = self.items_model.case
        return case.case_ref if case is not None else None

    def select_case(self, case_ref: str) -> bool:
        row = self.queue_model.row_of(case_ref)
        if row is None:
            return False
        self.queue.setCurrentIndex(self.queue_model.index(row, 0))
        self._show_current()  # when it was current already, but not yet shown
        return True

    def _show(self, item_key: str, value: str | None) -> str:
        if value is None or self.store is None:
            return ""
        try:
            return display_value(
                self.store.template.item(item_key), value, self.store.template.scale
            )
        except CaseReaderError:
            return value

    def _choices(self, item_key: str) -> list[tuple[str, str]]:
        if self.store is None:
            return []
        item = self.store.template.item(item_key)
        return [
            (v, display_value(item, v, self.store.template.scale)) for v in item.answer_values()
        ]

    def _show_case(self, case) -> None:
        same = case is not None and case.case_ref == self.current_case_ref()
        item_key = self._current_item_key() if same else None
        self.items_model.set_case(case, self._show)
        has = case is not None
        self.accept_button.setEnabled(has)
        self.differences_only.setEnabled(has)
        if not has:
            self.heading.setText("No double-read case chosen.")
            self.summary.clear()
            self.decision.set_item(None, None, self._show)
            return
        self.heading.setText(f"{case.case_ref} · {letters(case)}")
        equal = sum(1 for i in case.items if i.state == "agreed" and i.compared)
        self.summary.setText(
            f"{case.differences} to decide · {equal} equal, not yet accepted"
            if equal
            else f"{case.differences} to decide"
        )
        self._fit_item_columns()
        row = self.items_model.row_of(item_key) if item_key else None
        if row is None:
            row = next((n for n, i in enumerate(case.items) if i.state in TO_DECIDE), None)
        index = (
            self.items_proxy.mapFromSource(self.items_model.index(row, 0))
            if row is not None
            else self.items_proxy.index(0, 0)
        )
        if index.isValid():
            self.items.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self.decision.set_item(None, None, self._show)

    def _fit_item_columns(self) -> None:
        header = self.items.horizontalHeader()
        widths = [110, 240] + [150] * (self.items_model.columnCount() - 4) + [110, 160]
        for col, width in enumerate(widths[: self.items_model.columnCount()]):
            header.resizeSection(col, width)
        if self.items_model.columnCount() > 1:  # the item's words take the room left
            header.setSectionResizeMode(1, header.ResizeMode.Stretch)

    def _current_item_key(self) -> str | None:
        index = self.items.currentIndex()
        item = index.data(ROW_ROLE) if index.isValid() else None
        return item.item_key if item is not None else None

    # slots ---------------------------------------------------------------------------

    @Slot(QModelIndex, QModelIndex)
    def _case_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        case = current.data(ROW_ROLE) if current.isValid() else None
        self._show_case(case)

    @Slot(QModelIndex, QModelIndex)
    def _item_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = current.data(ROW_ROLE) if current.isValid() else None
        template_item = self.store.template.item(item.item_key) if item and self.store else None
        self.decision.set_item(item, template_item, self._show, self._choices)

    @Slot(bool)
    def _toggle_differences(self, only: bool) -> None:
        self.items_proxy.set_differences_only(only)
        if not self.items.currentIndex().isValid() and self.items_proxy.rowCount():
            self.items.setCurrentIndex(self.items_proxy.index(0, 0))

    @Slot(str, str, str)
    def record(self, item_key: str, value: str, rationale: str) -> bool:
        """Record the moderator's agreed value for an item of the case shown."""
        case_ref = self.current_case_ref()
        if self.store is None or case_ref is None:
            return False
        try:
            coordination.moderate(self.store, case_ref, item_key, value, rationale)
        except CaseReaderError as error:
            widgets.show_error(self, "Moderation not recorded", str(error))
            return False
        self._refresh_case(case_ref)
        self._next_to_decide(item_key)
        return True

    @Slot()
    def accept_equal(self) -> int:
        """Accept every item all readers answered the same (one step); how many were."""
        case_ref = self.current_case_ref()
        if self.store is None or case_ref is None:
            return 0
        try:
            count = coordination.accept_equal(self.store, case_ref)
        except CaseReaderError as error:
            widgets.show_error(self, "Equal answers not accepted", str(error))
            return 0
        self._refresh_case(case_ref)
        self.summary.setText(f"{count} equal answers accepted · " + self.summary.text())
        return count

    def _refresh_case(self, case_ref: str) -> None:
        case = coordination.case_comparison(self.store, case_ref)
        self.queue_model.replace_case(case)
        self._show_case(case)
        self.changed.emit(case_ref)

    def _next_to_decide(self, after_key: str) -> None:
        """After a decision, move on to the next item left to decide (if any below)."""
        rows = self.items_proxy.rowCount()
        start = next(
            (
                n
                for n in range(rows)
                if self.items_proxy.index(n, 0).data(ROW_ROLE).item_key == after_key
            ),
            -1,
        )
        for n in range(start + 1, rows):
            item = self.items_proxy.index(n, 0).data(ROW_ROLE)
            if item.state in ("differs", "changed_since_moderation"):
                self.items.setCurrentIndex(self.items_proxy.index(n, 0))
                return

    @Slot(str, int)
    def _evidence(self, document_sha256: str, page: int) -> None:
        case_ref = self.current_case_ref()
        if case_ref is not None:
            self.evidence_requested.emit(case_ref, document_sha256, page)

    def focus_queue(self) -> None:
        self.queue.setFocus(Qt.FocusReason.ShortcutFocusReason)
