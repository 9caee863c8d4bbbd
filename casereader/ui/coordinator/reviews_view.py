"""The management-review tracker: every reader's reviews with their lifecycle and history,
moved on by the coordinator (referred, response received, closed: who, when, a note)."""

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from casereader.store import flags
from casereader.store.models import (
    FLAG_CATEGORY_LABELS,
    FLAG_STATUS_LABELS,
    FLAG_STATUS_ORDER,
    Flag,
)
from casereader.store.store import Store
from casereader.ui.coordinator.table import ROW_ROLE, SORT_ROLE, Column, RowsModel
from casereader.ui.coordinator.widgets import plain_label, set_column_widths, table_view
from casereader.ui.grading.review_dialogs import ReviewHistoryList, day_text
from casereader.ui.review_emphasis import review_emphasis


def _day(stamp: str) -> str:
    try:
        return day_text(stamp)
    except ValueError:
        return stamp


def step_text(flag: Flag) -> str:
    return FLAG_STATUS_LABELS.get(flag.status, flag.status)


class ReviewTrackerModel(RowsModel):
    """One row per management review (Flag rows, with their history)."""

    columns = (
        Column("Case", lambda f: f.case_ref),
        Column("Step", step_text, sort=lambda f: FLAG_STATUS_ORDER.index(f.status)),
        Column("Category", lambda f: FLAG_CATEGORY_LABELS.get(f.category, f.category)),
        Column("Reader", lambda f: f.reader_id),
        Column(
            "Raised", lambda f: f"{_day(f.raised_at)} by {f.raised_by}", sort=lambda f: f.raised_at
        ),
        Column("Last step", lambda f: _day(f.updated_at), sort=lambda f: f.updated_at),
        Column("Review id", lambda f: f.flag_id),
        Column("Description", lambda f: " ".join(f.description.split())),
    )

    def extra_data(self, row: Flag, col: int, role: int):
        if col == 1 and row.is_open:
            return review_emphasis(role)
        return None

    def row_of(self, flag_id: str) -> int | None:
        return next((n for n, f in enumerate(self._rows) if f.flag_id == flag_id), None)


def tracker_order(rows: list[Flag]) -> list[Flag]:
    """Open reviews first (earliest step first), then closed ones; oldest raised first."""
    return sorted(
        rows, key=lambda f: (not f.is_open, FLAG_STATUS_ORDER.index(f.status), f.raised_at)
    )


class ClosedFilter(QSortFilterProxyModel):
    """Hides closed reviews when asked (they are shown by default, with their history)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.show_closed = True

    def set_show_closed(self, shown: bool) -> None:
        self.beginFilterChange()
        self.show_closed = shown
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:  # noqa: N802
        flag = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        return self.show_closed or (flag is not None and flag.is_open)


def advance_review(parent, store: Store, flag: Flag) -> Flag | None:
    """Ask for the next step and record it (the reader's own dialog and rules)."""
    from casereader.ui.grading.review import advance_review as flow

    return flow(parent, store, flag)


class ReviewsView(QWidget):
    """Every management review in the store, and the chosen one's history and next step."""

    changed = Signal(str)  # case_ref of a review that moved on
    open_case = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.store: Store | None = None
        self.model = ReviewTrackerModel(self)
        self.proxy = ClosedFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = table_view(
            "Management reviews",
            "Every reader's management reviews; open ones first. Enter records the next step.",
        )
        self.table.setModel(self.proxy)
        self.show_closed = QCheckBox("Show &closed reviews")
        self.show_closed.setChecked(True)
        self.show_closed.setAccessibleName("Show closed management reviews with their history")
        self.count = QLabel()
        self.count.setAccessibleName("Number of management reviews")
        self.heading = plain_label("", "Chosen management review")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.description = plain_label("", "Description")
        self.history = ReviewHistoryList()
        self.next_step = QPushButton("Record the &next step…")
        self.next_step.setAccessibleName(
            "Record the next step: referred, response received or closed"
        )
        self.go_case = QPushButton("Open the case's &documents")
        self.go_case.setAccessibleName("Open the case's documents in the reading view")

        top = QHBoxLayout()
        top.addWidget(self.show_closed)
        top.addStretch(1)
        top.addWidget(self.count)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.next_step)
        buttons.addWidget(self.go_case)
        buttons.addStretch(1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.heading)
        lower_layout.addWidget(self.description)
        lower_layout.addWidget(plain_label("History", "History heading"))
        lower_layout.addWidget(self.history, 1)
        lower_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setSizes([420, 320])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

        self.show_closed.toggled.connect(self._toggle_closed)
        self.table.selectionModel().currentRowChanged.connect(self._chosen)
        self.table.activated.connect(lambda _i: self.advance_current())
        self.next_step.clicked.connect(self.advance_current)
        self.go_case.clicked.connect(self._open_case)
        self._show(None)

    def set_store(self, store: Store | None) -> None:
        self.store = store
        self.reload()

    def set_flags(self, rows: list[Flag]) -> None:
        """Show these reviews (open first), keeping the chosen one."""
        chosen = self.current_flag()
        self.model.set_rows(tracker_order(rows))
        set_column_widths(self.table, (80, 200, 270, 60, 170, 100, 290))
        open_count = sum(1 for f in rows if f.is_open)
        self.count.setText(f"{len(rows)} management reviews · {open_count} open")
        row = self.model.row_of(chosen.flag_id) if chosen else None
        index = (
            self.proxy.mapFromSource(self.model.index(row, 0))
            if row is not None
            else self.proxy.index(0, 0)
        )
        if index.isValid():
            self.table.setCurrentIndex(index)
        else:
            self._show(None)

    def reload(self) -> None:
        self.set_flags(flags.list_flags(self.store) if self.store is not None else [])

    def current_flag(self) -> Flag | None:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def select_flag(self, flag_id: str) -> bool:
        row = self.model.row_of(flag_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.show_closed.setChecked(True)
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.setCurrentIndex(index)
        return True

    def _show(self, flag: Flag | None) -> None:
        self.next_step.setEnabled(flag is not None and flag.is_open)
        self.go_case.setEnabled(flag is not None)
        if flag is None:
            self.heading.setText("No management review chosen.")
            self.description.clear()
            self.history.clear()
            return
        category = FLAG_CATEGORY_LABELS.get(flag.category, flag.category)
        self.heading.setText(
            f"{flag.case_ref} · {category} · {step_text(flag)} "
            f"· raised by {flag.raised_by} on {_day(flag.raised_at)}"
        )
        self.description.setText(flag.description)
        self.history.set_flag(flag)

    @Slot(QModelIndex, QModelIndex)
    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(current.data(ROW_ROLE) if current.isValid() else None)

    @Slot(bool)
    def _toggle_closed(self, shown: bool) -> None:
        self.proxy.set_show_closed(shown)
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        elif not self.proxy.rowCount():
            self._show(None)

    @Slot()
    def advance_current(self) -> Flag | None:
        """Record the next step of the chosen review; the moved review, or None."""
        flag = self.current_flag()
        if self.store is None or flag is None or not flag.is_open:
            return None
        moved = advance_review(self, self.store, flag)
        if moved is not None:
            self.reload()
            self.select_flag(moved.flag_id)
            self.changed.emit(moved.case_ref)
        return moved

    @Slot()
    def _open_case(self) -> None:
        flag = self.current_flag()
        if flag is not None:
            self.open_case.emit(flag.case_ref)

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
