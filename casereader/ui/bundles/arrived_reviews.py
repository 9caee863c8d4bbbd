"""The management reviews a merge brought, shown first in the merge report: immediate risk at
the top and in red, each with its case, reader, category and when it was raised."""

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from casereader.bundle.merge import BundleOutcome, arrived_reviews
from casereader.store.models import FLAG_CATEGORY_LABELS, FLAG_STATUS_LABELS, ArrivedReview
from casereader.ui.grading.review_dialogs import moment_text
from casereader.ui.list_model import ListModel
from casereader.ui.review_emphasis import review_emphasis
from casereader.ui.style import review_text_color


def _what(review: ArrivedReview) -> str:
    if review.new_review:
        return "New review"
    steps = ", ".join(FLAG_STATUS_LABELS[s.status] for s in review.new_steps)
    return f"New step: {steps}"


class ArrivedReviewsModel(ListModel):
    """One row per review that arrived: case, reader, category, raised, what is new, status."""

    HEADERS = ("Case", "Reader", "Category", "Raised", "What arrived", "Now", "Description")

    def set_outcomes(self, outcomes: list[BundleOutcome]) -> None:
        self.set_rows([review for review, _file in arrived_reviews(outcomes)])

    def reviews(self) -> list[ArrivedReview]:
        return list(self._rows)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        review = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (
                review.case_ref,
                review.reader_id,
                FLAG_CATEGORY_LABELS[review.category],
                moment_text(review.raised_at),
                _what(review),
                FLAG_STATUS_LABELS[review.status],
                review.description,
            )
            return values[index.column()]
        if review.immediate_risk:
            return review_emphasis(role, mark=False)
        return None


class ArrivedReviewsPanel(QWidget):
    """A heading and the table of arrived reviews; hidden when none arrived."""

    def __init__(self, outcomes: list[BundleOutcome], parent: QWidget | None = None):
        super().__init__(parent)
        self.model = ArrivedReviewsModel(self)
        self.model.set_outcomes(outcomes)
        reviews = self.model.reviews()
        risk = sum(r.immediate_risk for r in reviews)
        text = f"Management reviews arrived: {len(reviews)}"
        if risk:
            text += f" — {risk} of immediate risk to a child: tell the inspection lead now"
        self.heading = QLabel(text)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setAccessibleName("Management reviews arrived")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        if risk:
            self.heading.setStyleSheet(f"color: {review_text_color().name()};")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Management reviews arrived")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)  # one line a review; the whole description in its tooltip
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(len(ArrivedReviewsModel.HEADERS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.resizeRowsToContents()
        shown = range(min(len(reviews), 6))
        rows = sum(self.table.rowHeight(r) for r in shown) or self.table.fontMetrics().height()
        frame = 2 * self.table.frameWidth()
        self.table.setFixedHeight(header.sizeHint().height() + rows + frame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setVisible(bool(reviews))
