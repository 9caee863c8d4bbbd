"""The per-bundle result list shown after an import: imported, already imported, refused."""

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from casereader.bundle.merge import BundleOutcome
from casereader.ui.bundles.arrived_reviews import ArrivedReviewsPanel
from casereader.ui.list_model import ListModel
from casereader.ui.plain import plain_tooltip
from casereader.ui.style import review_text_color


class BundleOutcomeModel(ListModel):
    """One row per bundle file: file, result, reader, sequence, what happened."""

    HEADERS = ("File", "Result", "Reader", "Bundle", "Details")
    _RESULTS = {"imported": "Imported", "unchanged": "Already imported", "refused": "Refused"}

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            shown = (
                row.file,
                self._RESULTS[row.outcome],
                row.reader_id or "",
                str(row.sequence) if row.sequence is not None else "",
                row.message,
            )[index.column()]
            return plain_tooltip(shown) if role == Qt.ItemDataRole.ToolTipRole else shown
        if role == Qt.ItemDataRole.ForegroundRole and row.outcome == "refused":
            return review_text_color()
        return None


class ImportResultDialog(QDialog):
    """The per-bundle result list after an import."""

    def __init__(self, parent: QWidget | None, outcomes: list[BundleOutcome]):
        super().__init__(parent)
        self.setWindowTitle("Import bundles — results")
        self.setAccessibleName("Import results")
        refused = sum(not o.ok for o in outcomes)
        imported = sum(o.outcome == "imported" for o in outcomes)
        summary = QLabel(
            f"{imported} imported, {len(outcomes) - imported - refused} already imported, "
            f"{refused} refused." + (" A refused bundle changed nothing." if refused else "")
        )
        summary.setAccessibleName("Summary")
        # What a reader found that may put a child at risk comes before everything else.
        self.reviews = ArrivedReviewsPanel(outcomes, self)
        self.model = BundleOutcomeModel(self)
        self.model.set_rows(outcomes)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Result per bundle")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reviews)
        layout.addWidget(summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(860, 320)

    @classmethod
    def show_results(cls, parent: QWidget | None, outcomes: list[BundleOutcome]) -> None:
        cls(parent, outcomes).exec()
