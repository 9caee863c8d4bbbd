"""The welcome screen: recent stores, open a store, start a new inspection, open a reading pack."""

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casereader.ui.new_inspection import STORE_FILTER, NewInspectionFlow, NewInspectionWizard
from casereader.ui.prefs import Prefs

FIRST_RUN_HINT = (
    "<p><b>Where to start:</b> a reader opens the reading pack from the lead inspector "
    "(<i>Open reading pack…</i>); a coordinator makes a <i>New inspection…</i> from the sample "
    "list and documents folder. To try everything on a fictional inspection first, run "
    "<code>casereader&nbsp;demo</code>.</p>"
)


class WelcomeScreen(QWidget):
    """Shown when no store is open: recent stores and the ways to start."""

    open_requested = Signal(str)
    created = Signal(str, str)
    pack_opened = Signal(str)

    def __init__(self, prefs: Prefs, parent=None):
        super().__init__(parent)
        self.flow: NewInspectionFlow | None = None
        title = QLabel("<h1>casereader</h1><p>Read and grade case records for a joint "
                       "inspection. Everything stays on this computer, encrypted.</p>")  # fmt: skip
        title.setWordWrap(True)
        self.first_run = QLabel(FIRST_RUN_HINT)
        self.first_run.setWordWrap(True)
        self.first_run.setTextFormat(Qt.TextFormat.RichText)
        self.first_run.setAccessibleName("Where to start")
        self.recent_label = QLabel("Recent stores")
        self.recent = QListWidget()
        self.recent.setAccessibleName("Recent stores")
        self.recent.setAccessibleDescription("Press Enter to open the chosen store")
        self.recent.itemActivated.connect(self._recent_chosen)
        self.open_button = QPushButton("Open store…")
        self.new_button = QPushButton("New inspection…")
        self.pack_button = QPushButton("Open reading pack…")
        for button, slot in ((self.open_button, self.choose_store),
                             (self.new_button, self.new_inspection),
                             (self.pack_button, self.open_pack)):  # fmt: skip
            button.setAccessibleName(button.text().rstrip("…"))
            button.clicked.connect(slot)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.new_button, self.pack_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout()
        self.above = QWidget()  # with nothing listed, the start sits a third of the way down
        column.addWidget(self.above, 1)
        column.addWidget(title)
        column.addWidget(self.first_run)
        column.addWidget(self.recent_label)
        column.addWidget(self.recent, 1)
        column.addLayout(buttons)
        self.stretch = QWidget()  # below the buttons when there is no list to fill the room
        column.addWidget(self.stretch, 2)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 3)
        outer.addStretch(1)
        self.refresh(prefs)

    def refresh(self, prefs: Prefs) -> None:
        """List the recent stores that still exist."""
        self.recent.clear()
        for path in prefs.existing_recent():
            item = QListWidgetItem(f"{path.stem}    {path.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.recent.addItem(item)
        if self.recent.count():
            self.recent.setCurrentRow(0)
        first_run = not self.recent.count()
        self.first_run.setVisible(first_run)
        self.stretch.setVisible(first_run)
        self.above.setVisible(first_run)
        for widget in (self.recent_label, self.recent):
            widget.setVisible(not first_run)

    @Slot(QListWidgetItem)
    def _recent_chosen(self, item: QListWidgetItem) -> None:
        self.open_requested.emit(item.data(Qt.ItemDataRole.UserRole))

    @Slot()
    def choose_store(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window(), "Open store", "", STORE_FILTER)
        if path:
            self.open_requested.emit(path)

    @Slot()
    def new_inspection(self) -> None:
        spec = NewInspectionWizard.ask(self.window())
        if spec is None:
            return
        self.flow = NewInspectionFlow(self.window(), spec)
        self.flow.created.connect(self.created)
        self.flow.start()

    @Slot()
    def open_pack(self) -> None:
        from casereader.ui.bundles import open_reading_pack

        if (path := open_reading_pack(self.window())) is not None:
            self.pack_opened.emit(str(path))
