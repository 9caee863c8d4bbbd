"""The merged overview: every case with its readers' readings, and every reader's progress."""

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from casereader.store.models import CASE_STATUS_LABELS
from casereader.ui.coordinator.overview_models import (
    CaseReadingsModel,
    MergedCaseFilter,
    MergedCaseModel,
    ReaderProgressModel,
    status_label,
)
from casereader.ui.coordinator.table import ROW_ROLE
from casereader.ui.coordinator.widgets import plain_label, set_column_widths, table_view


class CasesView(QWidget):
    """The merged case list with filters; the chosen case's readers below it.

    Enter on a case (or "Open the case's documents") emits ``open_case``; "Moderate" emits
    ``moderate_case`` for a double-read case.
    """

    open_case = Signal(str)
    moderate_case = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = MergedCaseModel(self)
        self.proxy = MergedCaseFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = table_view(
            "Merged cases",
            "Every case with its readers and overall status. Enter opens the case's documents.",
        )
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.status_box = QComboBox()
        self.status_box.setAccessibleName("Overall status filter")
        self.status_box.addItem("Any overall status", None)
        for key, label in CASE_STATUS_LABELS.items():
            self.status_box.addItem(label, key)
        self.reader_box = QComboBox()
        self.reader_box.setAccessibleName("Reader filter")
        self.reader_box.addItem("Any reader", None)
        self.double_box = QCheckBox("Double reads only")
        self.double_box.setAccessibleName("Show only double-read cases")
        self.flagged_box = QCheckBox("Open management review only")
        self.flagged_box.setAccessibleName("Show only cases with an open management review")
        self.text_box = QLineEdit()
        self.text_box.setPlaceholderText("Filter by case, reader, age band, legal status…")
        self.text_box.setAccessibleName("Case text filter")
        self.text_box.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setAccessibleName("Number of cases shown")
        self.readings_model = CaseReadingsModel(self)
        self.readings = table_view("Readers of the case", "Each reader's reading of the case.")
        self.readings.setModel(self.readings_model)
        self.readings.horizontalHeader().setStretchLastSection(False)
        self.case_heading = plain_label("", "Chosen case")
        self.open_button = QPushButton("Open the case's &documents")
        self.open_button.setAccessibleName("Open the chosen case's documents in the reading view")
        self.moderate_button = QPushButton("&Moderate this case")
        self.moderate_button.setAccessibleName("Moderate the chosen double-read case")

        filters = QHBoxLayout()
        for widget in (self.status_box, self.reader_box, self.double_box, self.flagged_box):
            filters.addWidget(widget)
        filters.addWidget(self.text_box, 1)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(filters)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addWidget(self.count)
        buttons = QHBoxLayout()
        buttons.addWidget(self.case_heading, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.moderate_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(buttons)
        lower_layout.addWidget(self.readings, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

        for box in (self.status_box, self.reader_box):
            box.currentIndexChanged.connect(self._apply_filters)
        for box in (self.double_box, self.flagged_box):
            box.toggled.connect(self._apply_filters)
        self.text_box.textChanged.connect(self._apply_filters)
        self.table.selectionModel().currentRowChanged.connect(self._chosen)
        self.table.activated.connect(self._activated)
        self.open_button.clicked.connect(lambda: self._emit(self.open_case))
        self.moderate_button.clicked.connect(lambda: self._emit(self.moderate_case))
        self._show(None)

    def set_rows(self, rows) -> None:
        """Show these MergedCase rows, keeping the chosen case and the reader filter."""
        chosen = self.current_case()
        wanted = self.reader_box.currentData()
        self.model.set_rows(rows)
        self.reader_box.blockSignals(True)
        self.reader_box.clear()
        self.reader_box.addItem("Any reader", None)
        for reader in sorted({r.reader_id for c in rows for r in c.readers}):
            self.reader_box.addItem(f"Reader {reader}", reader)
        self.reader_box.setCurrentIndex(max(0, self.reader_box.findData(wanted)))
        self.reader_box.blockSignals(False)
        self._apply_filters()
        set_column_widths(self.table, (80, 100, 230, 100, 70, 80, 90))
        kept = chosen is not None and self.select_case(chosen.case_ref)
        if not kept and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def current_case(self):
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def select_case(self, case_ref: str) -> bool:
        row = self.model.row_of(case_ref)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.clear_filters()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.setCurrentIndex(index)
        return True

    def clear_filters(self) -> None:
        self.status_box.setCurrentIndex(0)
        self.reader_box.setCurrentIndex(0)
        self.double_box.setChecked(False)
        self.flagged_box.setChecked(False)
        self.text_box.clear()

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot()
    def _apply_filters(self) -> None:
        self.proxy.set_filter(
            status=self.status_box.currentData(),
            double_only=self.double_box.isChecked(),
            flagged_only=self.flagged_box.isChecked(),
            reader=self.reader_box.currentData(),
            text=self.text_box.text(),
        )
        rows = self.model.rows()
        shown, total = self.proxy.rowCount(), len(rows)
        double = sum(1 for c in rows if c.double_read)
        flagged = sum(1 for c in rows if c.open_flags)
        text = f"{shown} of {total} cases" if shown != total else f"{total} cases"
        text += f" · {double} double reads · {flagged} with an open management review"
        self.count.setText(text)

    def _show(self, case) -> None:
        self.open_button.setEnabled(case is not None)
        self.moderate_button.setEnabled(case is not None and case.double_read)
        if case is None:
            self.case_heading.setText("No case chosen.")
            self.readings_model.set_rows([])
            return
        bits = [
            case.case_ref,
            case.sample_group,
            "follow-up" if case.follow_up else "",
            case.age_band,
            case.legal_status,
            status_label(case.overall_status),
        ]
        self.case_heading.setText(" · ".join(b for b in bits if b))
        self.readings_model.set_rows(case.readers)
        set_column_widths(self.readings, (90, 120, 90, 140))

    @Slot(QModelIndex, QModelIndex)
    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(current.data(ROW_ROLE) if current.isValid() else None)

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_case.emit(index.data(ROW_ROLE).case_ref)

    def _emit(self, signal) -> None:
        case = self.current_case()
        if case is not None:
            signal.emit(case.case_ref)


class ReadersView(QWidget):
    """Per reader: cases assigned, complete, in progress, flagged, and the last bundle."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = ReaderProgressModel(self)
        self.table = table_view(
            "Readers", "Each reader's progress and the last bundle merged from them."
        )
        self.table.setModel(self.model)
        self.summary = QLabel()
        self.summary.setAccessibleName("Readers summary")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

    def set_rows(self, rows) -> None:
        self.model.set_rows(rows)
        set_column_widths(self.table, (80, 80, 80, 90, 90, 70, 90, 150, 150))
        if rows and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
        bundles = sum(1 for r in rows if r.last_bundle)
        self.summary.setText(f"{len(rows)} readers · bundles merged from {bundles}")

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
