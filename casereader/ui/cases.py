"""The case list pane: the cases' table with its filters, and keyboard moves between cases.

The model and the filter proxy are in ui/case_model.py."""

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from casereader.domain.wording import plural
from casereader.store.models import CASE_STATUS_LABELS, CaseOverview
from casereader.ui.case_model import (
    COLUMNS,
    REF,
    REVIEW,
    ROW_ROLE,
    CaseFilter,
    CaseListModel,
)


def _combo(name: str, choices: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(f"{name} filter")
    for label, value in choices:
        box.addItem(label, value)
    return box


class CaseTable(QTableView):
    """The cases' table; says when it has painted (the window then builds the rest)."""

    painted = Signal()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        self.painted.emit()

    def moveCursor(self, action, modifiers):  # noqa: N802 - Qt override
        # Home and End go to the first and last case (a table's own go to the first and
        # last column of the row)
        rows = self.model().rowCount() if self.model() is not None else 0
        if rows and action == QAbstractItemView.CursorAction.MoveHome:
            return self.model().index(0, self.currentIndex().column())
        if rows and action == QAbstractItemView.CursorAction.MoveEnd:
            return self.model().index(rows - 1, self.currentIndex().column())
        return super().moveCursor(action, modifiers)


class CaseListPane(QWidget):
    """The reader's cases with their filters; emits case_chosen when a case is opened (a click,
    Enter, Next/Previous case), not when the arrow keys move through the list."""

    case_chosen = Signal(str)  # a click, Enter or a menu key opens a case; arrows only move
    case_entered = Signal(str)  # Enter on a case: the reader wants to start reading it

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = CaseListModel(self)
        self.proxy = CaseFilter(self)
        self.proxy.setSourceModel(self.model)
        self._emitted: str | None = None
        self._fitted = [0] * len(COLUMNS)  # each column's width for its contents

        self.status_box = _combo(
            "Status", [("Any status", None), *((v, k) for k, v in CASE_STATUS_LABELS.items())]
        )
        self.group_box = _combo("Group", [("Core and reserve", None), ("Core", "core"),
                                          ("Reserve", "reserve")])  # fmt: skip
        self.follow_box = _combo(
            "Follow-up", [("With and without follow-up", None), ("Follow-up", True),
                          ("No follow-up", False)],
        )  # fmt: skip
        self.reader_box = _combo("Reader", [("Any reader", None)])
        self.flagged_box = QCheckBox("Open management review only")
        self.flagged_box.setAccessibleName("Show only cases with an open management review")
        self.text_box = QLineEdit()
        self.text_box.setPlaceholderText("Filter by case, age band, legal status…")
        self.text_box.setAccessibleName("Case text filter")
        self.text_box.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of cases shown")
        self.count_label.setWordWrap(True)  # never wider than the list's columns

        self.view = CaseTable()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Cases")
        self.view.setAccessibleDescription(
            "The cases to read. Up, down, Home and End move through the list; Enter opens the "
            "case and moves on to its documents."
        )
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(REF, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

        filters = QGridLayout()
        filters.addWidget(self.status_box, 0, 0)
        filters.addWidget(self.group_box, 0, 1)
        filters.addWidget(self.follow_box, 1, 0)
        filters.addWidget(self.reader_box, 1, 1)
        filters.addWidget(self.flagged_box, 2, 0, 1, 2)
        filters.addWidget(self.text_box, 3, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        for box in (self.status_box, self.group_box, self.follow_box, self.reader_box):
            box.currentIndexChanged.connect(self._apply_filters)
        self.flagged_box.toggled.connect(self._apply_filters)
        self.text_box.textChanged.connect(self._apply_filters)
        self.view.activated.connect(self._on_activated)
        self.view.clicked.connect(self._on_clicked)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)

    def set_rows(self, rows: list[CaseOverview]) -> None:
        """Show these cases, keeping the current case selected if it is still there."""
        current = self.current_case()
        self.model.set_rows(rows)
        readers = sorted({r for row in rows for r in row.readers})
        wanted = self.reader_box.currentData()
        self.reader_box.blockSignals(True)
        self.reader_box.clear()
        self.reader_box.addItem("Any reader", None)
        for reader in readers:
            self.reader_box.addItem(f"Reader {reader}", reader)
        self.reader_box.setCurrentIndex(max(0, self.reader_box.findData(wanted)))
        self.reader_box.blockSignals(False)
        self._apply_filters()
        self._fit_columns()
        if current:
            self.select_case(current, emit=False)

    def _fit_columns(self) -> None:
        """Fit each column to its widest cell and its header word (not the sort arrow's
        reserve: the list then fits its pane at the default width).

        Asking the view for a whole column's size hint walks every row through the delegate
        (~90 ms for 75 cases at start-up). A cell's width is its text's plus margins and a
        decoration that are the same down a column, so only the two rows with the widest text,
        and a row showing the review mark, are asked.
        """
        metrics = self.view.fontMetrics()
        header = self.view.horizontalHeader().fontMetrics()
        grid = 1 if self.view.showGrid() else 0
        rows = self.model.rows()
        for col, title in enumerate(COLUMNS):
            widths = {
                n: metrics.horizontalAdvance(self.model.text(r, col)) for n, r in enumerate(rows)
            }
            chosen = sorted(widths, key=widths.__getitem__, reverse=True)[:2]
            if col == REVIEW:
                chosen += [n for n, r in enumerate(rows)
                           if r.open_flags or self.model.unsent(r.case_ref)][:1]  # fmt: skip
            indexes = [self.proxy.mapFromSource(self.model.index(n, col)) for n in chosen]
            cells = max((self.view.sizeHintForIndex(i).width() + grid for i in indexes
                         if i.isValid()), default=0)  # fmt: skip
            self._fitted[col] = max(cells, header.horizontalAdvance(title) + 14)
            self.view.setColumnWidth(col, self._fitted[col])

    def wanted_width(self) -> int:
        """The width that shows every column and the scroll bar without scrolling sideways."""
        view = self.view
        columns = sum(self._fitted)  # not the widths on screen: the last one stretches
        scroll = view.style().pixelMetric(view.style().PixelMetric.PM_ScrollBarExtent)
        return columns + scroll + 2 * view.frameWidth() + 2

    def update_row(self, row: CaseOverview) -> None:
        """Refresh one case's line (after answers, completion or a management review)."""
        self.model.update_row(row)
        self.proxy.refilter()
        self._update_count()

    def current_case(self) -> str | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.data(index, ROW_ROLE).case_ref

    def first_case(self) -> str | None:
        """The first case in the list as shown, or None."""
        if not self.proxy.rowCount():
            return None
        return self.proxy.data(self.proxy.index(0, 0), ROW_ROLE).case_ref

    def select_case(self, case_ref: str, emit: bool = True) -> bool:
        """Make this case current (clearing filters that hide it); False if not listed."""
        source_row = self.model.row_of(case_ref)
        if source_row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            self.clear_filters()
            index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not emit:
            self._emitted = case_ref
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        if emit:
            self._choose(index)
        return True

    def step(self, delta: int) -> str | None:
        """Move to the next (+1) or previous (-1) case in the list as shown; its ref or None."""
        count = self.proxy.rowCount()
        if not count:
            return None
        current = self.view.currentIndex()
        row = current.row() + delta if current.isValid() else (0 if delta > 0 else count - 1)
        if not 0 <= row < count:
            return None
        self.view.setCurrentIndex(self.proxy.index(row, 0))
        self._choose(self.proxy.index(row, 0))
        return self.current_case()

    @Slot()
    def next_case(self) -> None:
        self.step(1)

    @Slot()
    def previous_case(self) -> None:
        self.step(-1)

    @Slot()
    def clear_filters(self) -> None:
        for box in (self.status_box, self.group_box, self.follow_box, self.reader_box):
            box.setCurrentIndex(0)
        self.flagged_box.setChecked(False)
        self.text_box.clear()

    def focus_list(self) -> None:
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.view.currentIndex().isValid() and self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(0, 0))

    @Slot()
    def _apply_filters(self) -> None:
        self.proxy.set_filter(
            status=self.status_box.currentData(),
            group=self.group_box.currentData(),
            follow_up=self.follow_box.currentData(),
            reader=self.reader_box.currentData(),
            flagged_only=self.flagged_box.isChecked(),
            text=self.text_box.text(),
        )
        self._update_count()

    @Slot()
    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        flagged = sum(1 for r in self.model.rows() if r.open_flags)
        text = f"{shown} of {plural(total, 'case')}" if shown != total else plural(total, "case")
        if flagged:
            text += f" · {flagged} with an open management review"
        unsent = sum(1 for r in self.model.rows() if self.model.unsent(r.case_ref))
        if unsent:
            text += f" · {unsent} with a review not yet sent"
        self.count_label.setText(text)

    def set_unsent(self, counts: dict[str, int]) -> None:
        """Mark the cases whose management reviews are not yet sent (case_ref -> count)."""
        if counts != self.model.unsent_counts():
            self.model.set_unsent(counts)
            self._fit_columns()  # "Not sent" is wider than "Open"
        self._update_count()

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self._choose(index)
            self.case_entered.emit(self.proxy.data(index, ROW_ROLE).case_ref)

    @Slot(QModelIndex)
    def _on_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self._choose(index)

    def _choose(self, index: QModelIndex) -> None:
        ref = self.proxy.data(index, ROW_ROLE).case_ref
        if ref != self._emitted:
            self._emitted = ref
            self.case_chosen.emit(ref)
