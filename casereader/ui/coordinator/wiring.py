"""How a coordinator reaches the desk: a "Coordinator" menu and a row of view buttons.

Shown only while a coordinator store is open. Documents (the reading view) shows the reader's
window as before; Cases, Readers, Moderation, Analysis and Reviews show the desk's pages
(Ctrl+5 … Ctrl+8, Ctrl+Shift+M). The reading view's own keys (Ctrl+1 … Ctrl+4, search) bring
the reading view forward first. The desk itself is imported and built when first needed.
"""

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QToolBar

VIEWS = (
    ("reading", "&Documents", None, "Read the cases' documents (the reading view)"),
    ("cases", "&Cases", "Ctrl+5", "Every case with its readers and overall status"),
    ("readers", "&Readers", "Ctrl+6", "Each reader's progress and last bundle"),
    ("moderation", "&Moderation", "Ctrl+7", "Double-read cases side by side"),
    ("analysis", "&Analysis", "Ctrl+8", "The record-reading analysis: tables and charts"),
    ("reviews", "Management &reviews", "Ctrl+Shift+M", "Every reader's management reviews"),
)
# The reading view's own keys: pressed on a desk page, they bring the reading view forward.
READING_KEYS = ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+Shift+F", "Alt+PgDown", "Alt+PgUp")


class CoordinatorViews(QObject):
    """The window's coordinator views: menu, view buttons and the desk in the window's stack."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._desk = None
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        self.toolbar = QToolBar("Coordinator views", window)
        self.toolbar.setObjectName("coordinatorViews")
        self.toolbar.setAccessibleName("Coordinator views")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.menu = QMenu("C&oordinator", window)
        self.menu.setAccessibleName("Coordinator views")
        for name, text, key, tip in VIEWS:
            action = QAction(text, window)
            action.setCheckable(True)
            action.setStatusTip(tip)
            action.setToolTip(tip)
            if key:
                action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _=False, n=name: self.show(n))
            self.group.addAction(action)
            self.menu.addAction(action)
            self.toolbar.addAction(action)
            self.actions[name] = action
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        for action in window.actions():
            if action.shortcut().toString() in READING_KEYS:
                action.triggered.connect(self._reading_key)
        self._set_visible(False)

    @property
    def desk(self):
        """The CoordinatorDesk, built and put in the window's stack when first needed."""
        if self._desk is None:
            from casereader.ui.coordinator.desk import CoordinatorDesk

            desk = CoordinatorDesk()
            desk.open_case.connect(self.open_case)
            desk.evidence_requested.connect(self.open_evidence)
            desk.case_changed.connect(self.window.refresh_case)
            self.window.stack.addWidget(desk)
            self._desk = desk
        return self._desk

    def _set_visible(self, shown: bool) -> None:
        """The menu is in the menu bar (before Help) only while a coordinator store is open."""
        self.toolbar.setVisible(shown)
        bar = self.window.menuBar()
        present = self.menu.menuAction() in bar.actions()
        if shown and not present:
            help_menu = next((a for a in bar.actions() if a.text() == "&Help"), None)
            bar.insertAction(help_menu, self.menu.menuAction())
        elif not shown and present:
            bar.removeAction(self.menu.menuAction())
        for action in self.actions.values():
            action.setEnabled(shown)
            # The window holds them (their keys, the shortcuts list) only for a coordinator.
            if shown:
                self.window.addAction(action)
            else:
                self.window.removeAction(action)

    def set_store(self, store) -> None:
        """Give the desk a coordinator store (the window then shows its Cases page); any other
        store hides the menu and the view buttons."""
        coordinator = store is not None and store.role == "coordinator"
        self._set_visible(coordinator)
        if coordinator:
            self.desk.set_store(store)
        elif self._desk is not None:
            self._desk.set_store(None)

    @Slot()
    def refresh(self) -> None:
        """Read the merged work again (after bundles were imported)."""
        if self._desk is not None and self._desk.store is not None:
            self._desk.refresh()

    def show(self, name: str) -> None:
        """Show the reading view ("reading") or one of the desk's pages."""
        self.actions[name].setChecked(True)
        if name == "reading":
            self.window.stack.setCurrentWidget(self.window.reading)
            return
        self.window.stack.setCurrentWidget(self.desk)
        self.desk.show_page(name)

    def on_desk(self) -> bool:
        return self._desk is not None and self.window.stack.currentWidget() is self._desk

    @Slot()
    def _reading_key(self) -> None:
        action = self.sender()
        if self.on_desk() and isinstance(action, QAction):
            self.show("reading")
            action.trigger()  # again, now that the reading view's panes are on screen

    @Slot(str)
    def open_case(self, case_ref: str) -> None:
        """Show a case's documents in the reading view."""
        self.show("reading")
        self.window.open_case(case_ref)
        self.window.workspace.focus_documents()

    @Slot(str, str, int)
    def open_evidence(self, case_ref: str, document_sha256: str, page: int) -> None:
        """Open the page a reader cited, in the reading view's viewer."""
        from casereader.store import documents

        store = self.window.store
        doc = documents.find_by_sha(store, case_ref, document_sha256) if store else None
        if doc is None:
            QMessageBox.information(
                self.window, "Evidence", "The cited document is not in this store."
            )
            return
        self.show("reading")
        self.window.open_case(case_ref)
        self.window.workspace.show_document(doc.id, page)
