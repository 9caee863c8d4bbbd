"""Small widgets the desk's views share: plain-text labels, read-only tables, error messages."""

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QWidget,
)


def plain_label(text: str, name: str = "", wrap: bool = True) -> QLabel:
    """A label that never reads its text as markup (a reader's note or id may hold "<")."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name or text)
    return label


def table_view(name: str, description: str) -> QTableView:
    """A read-only, row-selecting, keyboard-driven table as the desk uses them."""
    view = QTableView()
    view.setAccessibleName(name)
    view.setAccessibleDescription(description)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return view


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """Say why something was not done (replaced in tests)."""
    QMessageBox.warning(parent, title, message)


def set_column_widths(view: QTableView, widths: Iterable[int]) -> None:
    """Start the table's columns at these widths (in order; the user may drag them after)."""
    for col, width in enumerate(widths):
        view.setColumnWidth(col, width)
