"""How a row that needs attention for a management review stands out in a table: the red mark,
red text and bold type."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from casereader.ui.style import review_mark, review_text_color


def review_emphasis(role: int, mark: bool = True):
    """The value for role of an emphasised cell (the mark only when asked); None otherwise."""
    if mark and role == Qt.ItemDataRole.DecorationRole:
        return review_mark()
    if role == Qt.ItemDataRole.ForegroundRole:
        return review_text_color()
    if role == Qt.ItemDataRole.FontRole:
        bold = QFont()
        bold.setBold(True)
        return bold
    return None
