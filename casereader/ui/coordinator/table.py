"""A read-only table model over a list of rows, described by its columns (the desk's tables).

Cells are drawn as plain text by the views' delegates; no cell has a tooltip, because Qt reads a
tooltip that looks like markup as rich text and a reader's note or id must never be.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column:
    """One column: its header, its text for a row, and optionally what it sorts by and says."""

    title: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    spoken: Callable[[Any], str] | None = None
    numeric: bool = False
    tip: str = ""


class RowsModel(QAbstractTableModel):
    """Rows shown through Columns; ``set_rows()`` replaces them (tested without a window)."""

    columns: tuple[Column, ...] = ()

    def __init__(self, parent=None, columns: tuple[Column, ...] | None = None):
        super().__init__(parent)
        if columns is not None:
            self.columns = columns
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_columns(self, columns: tuple[Column, ...], rows: list[Any]) -> None:
        """Replace the columns and the rows together (a table whose columns follow its data)."""
        self.beginResetModel()
        self.columns = columns
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, n: int) -> Any:
        return self._rows[n]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].tip:
            return self.columns[section].tip
        return None

    def text(self, row: int, col: int) -> str:
        """What the table shows in this cell."""
        return self.columns[col].text(self._rows[row])

    def data(self, index: Index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            spoken = column.spoken(row) if column.spoken else column.text(row)
            return f"{column.title}: {spoken or 'none'}"
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return column.sort(row) if column.sort else column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return RIGHT
        return self.extra_data(row, index.column(), role)

    def extra_data(self, row: Any, col: int, role: int):
        """Colours, fonts or marks a subclass adds (none here)."""
        return None
