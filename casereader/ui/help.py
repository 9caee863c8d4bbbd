"""Help: every key of the app (F1), from the one table in casereader/keymap.py, and the
reading guide for a first-time reader (casereader/guide.py)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from casereader import guide, keymap


class KeysDialog(QDialog):
    """Every key of the app, grouped by where it works."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keys")
        self.setAccessibleName("Every key of casereader")
        self.table = QTableWidget(len(keymap.KEYS), 3, self)
        self.table.setHorizontalHeaderLabels(["Where", "Keys", "What"])
        self.table.setAccessibleName("Keys")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        previous = ""
        for row, key in enumerate(keymap.KEYS):
            where = QTableWidgetItem(key.where if key.where != previous else "")
            where.setData(Qt.ItemDataRole.AccessibleTextRole, key.where)
            keys = QTableWidgetItem(key.keys)
            font = keys.font()
            font.setBold(True)
            keys.setFont(font)
            for column, item in enumerate((where, keys, QTableWidgetItem(key.what))):
                self.table.setItem(row, column, item)
            previous = key.where
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        guide_button = buttons.addButton("Reading guide…", QDialogButtonBox.ButtonRole.HelpRole)
        guide_button.clicked.connect(lambda: GuideDialog.ask(self))
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(820, 640)

    def rows(self) -> list[tuple[str, str, str]]:
        """(where, keys, what) as the table shows them (where repeated on every row)."""
        return [
            (
                self.table.item(r, 0).data(Qt.ItemDataRole.AccessibleTextRole),
                self.table.item(r, 1).text(),
                self.table.item(r, 2).text(),
            )
            for r in range(self.table.rowCount())
        ]

    @classmethod
    def ask(cls, parent: QWidget | None) -> None:
        cls(parent).exec()


class GuideDialog(QDialog):
    """The reading guide: read, grade, cite, raise a review, send, the lock."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Reading guide")
        self.setAccessibleName("Reading guide")
        self.text = QTextBrowser(self)
        self.text.setAccessibleName("Reading guide")
        self.text.setOpenLinks(False)  # nothing in it leaves the app
        self.text.setMarkdown(guide.GUIDE)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(640, 720)

    @classmethod
    def ask(cls, parent: QWidget | None) -> None:
        cls(parent).exec()


def show_keys(window: QWidget) -> None:
    """F1: every key of the app."""
    KeysDialog.ask(window)


def show_guide(window: QWidget) -> None:
    """Help → Reading guide."""
    GuideDialog.ask(window)
