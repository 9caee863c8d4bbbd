"""The main window: menus, the case list beside the case workspace, the status bar.

Wiring only: every action is a call into a widget, a dialog flow or the store's functions.
The welcome screen, the case workspace and the bundle dialogs are imported when first needed
(together about half a second of imports a reader with a store need not wait for).
"""

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from casereader.errors import CaseReaderError, StoreLocked, WrongPassphrase
from casereader.store import Store, cases, inuse, places
from casereader.ui.cases import CaseListPane
from casereader.ui.coordinator.wiring import CoordinatorViews
from casereader.ui.drafts import keep_typed_work
from casereader.ui.jobs import stop_all_jobs
from casereader.ui.lock import IdleLock
from casereader.ui.menus import build_menus
from casereader.ui.passphrase import open_store_dialog
from casereader.ui.prefs import (
    load_prefs,
    restore_layout,
    restore_splitters,
    save_layout,
    save_prefs,
)
from casereader.ui.reading_layout import FoldedCaseList
from casereader.ui.review_status import UnsentIndicator
from casereader.ui.window_files import FileActions
from casereader.ui.window_lock import LockActions
from casereader.ui.window_reviews import ReviewActions


def signing_fingerprint(store: Store) -> str:
    """The store's signing-key fingerprint ("" for a store without a signing key)."""
    from casereader.bundle.signing import fingerprint

    public = store.inspection.signing_public_key
    return fingerprint(bytes.fromhex(public)) if public else ""


class MainWindow(FileActions, ReviewActions, LockActions, QMainWindow):
    """casereader — <inspection>: the welcome screen, or the reader's cases and a case."""

    def __init__(
        self,
        store: Store | None = None,
        remember_layout: bool = True,
        opening: str | None = None,
    ):
        """With `opening` (a store's path the caller opens next), "Opening…" is shown
        instead of the welcome screen until then.

        The welcome screen and the case workspace are built when first needed: a store given
        at start-up paints its case list first, and the workspace and first case follow on
        the next turn of the event loop (see _open_first_case).
        """
        super().__init__()
        self._remember_layout = remember_layout
        self.store: Store | None = None
        self.prefs = load_prefs()
        self._welcome = None  # the WelcomeScreen, once shown
        self._workspace = None  # the CaseWorkspace, once a case is to be shown
        self._first_case_pending = False
        self.stack = QStackedWidget()
        self.opening = QLabel()
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.opening.setAccessibleName("Opening the store")
        self.case_list = CaseListPane()
        self.reading = QSplitter(Qt.Orientation.Horizontal)
        self.reading.setObjectName("reading")
        self.list_fold = FoldedCaseList(self.case_list, self.reading)
        self.reading.addWidget(self.list_fold)
        self.reading.addWidget(QWidget())  # the workspace's place until it is built
        self.reading.setStretchFactor(1, 1)
        self.reading.setSizes([410, 1190])  # room for the list and its scroll bar
        self.stack.addWidget(self.opening)
        self.stack.addWidget(self.reading)
        self.setCentralWidget(self.stack)
        self.idle_lock = IdleLock(self, self.stack, self._store_path, self.prefs.idle_lock_minutes)
        self.idle_lock.on_lock = self._release_for_lock
        self.idle_lock.on_unlock = self._reopen_after_lock
        self._locked_at: tuple[Path, str | None] | None = None
        self.idle_lock.about_to_lock.connect(self._keep_typed_work)
        self.idle_lock.unlocked.connect(self._resume_drafts)
        self.saved_label = QLabel()
        self.saved_label.setAccessibleName("Saved state")
        self.who_label = QLabel()
        self.who_label.setAccessibleName("Reader")
        self.key_label = QLabel()
        self.key_label.setAccessibleName("Signing key fingerprint")
        self.unsent = UnsentIndicator()  # "Management review not yet sent … [Send now]"
        self.unsent.send_requested.connect(self.send_now)
        self._quitting = False  # File → Quit asks, like the window's close button
        self.statusBar().addWidget(self.saved_label, 1)
        self.statusBar().addPermanentWidget(self.unsent)
        self.statusBar().addPermanentWidget(self.who_label)
        self.statusBar().addPermanentWidget(self.key_label)
        actions = build_menus(self)
        self.open_pack_action, self.export_action = actions.open_pack, actions.export
        self.import_action, self.lock_action = actions.import_, actions.lock
        self.review_action, self.complete_action = actions.review, actions.complete
        self.toggle_list = actions.toggle_list
        self.purge_action = actions.purge
        self.store_actions = actions.needs_store
        self.coordinator = CoordinatorViews(self)  # the desk, for a coordinator store
        self.send_action = actions.send_now

        self.case_list.case_chosen.connect(self.open_case)
        self.case_list.case_entered.connect(self._enter_case)
        self.list_fold.fold_changed.connect(self._fold_changed)
        self.case_list.view.painted.connect(self._list_painted)
        # Without a remembered layout, the case list gets the width of its columns.
        self._fit_list = not (remember_layout and "reading" in restore_layout(self, [self.reading]))
        if opening is not None and store is None:
            self.opening.setText(f"Opening {Path(opening).name}…")
            self._update_actions()
        else:
            self.set_store(store)

    @property
    def welcome(self):
        """The WelcomeScreen (recent stores, new inspection, open pack), built when needed."""
        if self._welcome is None:
            from casereader.ui.welcome import WelcomeScreen

            self._welcome = WelcomeScreen(self.prefs)
            self._welcome.open_requested.connect(self.open_store_path)
            self._welcome.created.connect(self.open_store_path)
            self._welcome.pack_opened.connect(self.open_store_path)
            self.stack.addWidget(self._welcome)
        return self._welcome

    @property
    def workspace(self):
        """The CaseWorkspace (documents, viewer, template panel), built when needed."""
        if self._workspace is None:
            from casereader.ui.workspace import CaseWorkspace

            workspace = CaseWorkspace()
            workspace.case_changed.connect(self.refresh_case)
            workspace.review_changed.connect(self._review_changed)
            workspace.saved_state.connect(self.saved_label.setText)
            workspace.other_case_hit.connect(self._open_hit_elsewhere)
            workspace.case_requested.connect(self.open_case)
            workspace.viewer.set_zoom_setting(self.prefs.pdf_zoom)
            workspace.viewer.zoom_chosen.connect(self._remember_zoom)
            workspace.set_store(self.store)
            workspace.template.undo.use_group(self.undo_group)
            self.reading.replaceWidget(1, workspace).deleteLater()
            if self._remember_layout:
                restore_splitters(workspace.splitters())
            self._workspace = workspace
        return self._workspace

    # the store ----------------------------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        """Show this store (closing the one shown before), or the welcome screen for None.

        A store another casereader window or command has open is closed again with a message.
        """
        if store is not None and store is not self.store:
            try:
                inuse.acquire(store.path)
                inuse.mark_holder(store.path)
            except StoreLocked as e:
                store.close()
                QMessageBox.warning(self, "The store is open elsewhere", str(e))
                if self.store is None:
                    self.set_store(None)
                return
        self._close_store(keep=store)
        self.store = store
        if self._workspace is not None:
            self._workspace.set_store(store)
        self._update_actions()
        self.coordinator.set_store(store)
        if store is None:
            self.setWindowTitle("casereader")
            for label in (self.who_label, self.key_label, self.saved_label):
                label.clear()
            self.welcome.refresh(self.prefs)
            self.stack.setCurrentWidget(self.welcome)
            return
        self.setWindowTitle(f"casereader — {store.inspection.name}")
        self.idle_lock.set_minutes(self.prefs.lock_minutes(store.role))
        self.who_label.setText(f"{store.role.capitalize()} store · {store.reader_id}")
        fingerprint = signing_fingerprint(store)
        self.key_label.setText(f"Signing key {fingerprint}" if fingerprint else "")
        self.saved_label.setText("Every change is saved as you go.")
        self.prefs = self.prefs.remember_store(store.path)
        save_prefs(self.prefs)
        self.case_list.set_rows(cases.overview(store))
        self.refresh_unsent()
        if self.isVisible():
            self._fit_case_list()
        self.stack.setCurrentWidget(self.reading)
        if store.role == "coordinator":
            self.coordinator.show("cases")
        # The list paints first; the workspace and the first case follow (_list_painted).
        self._first_case_pending = True
        if not self.case_list.view.isVisible():
            QTimer.singleShot(0, self._open_first_case)

    def _close_store(self, keep: Store | None = None) -> None:
        if self.store is not None and self.store is not keep:
            if self._workspace is not None:
                self._workspace.set_store(None)
            self.store.close()
            inuse.release(self.store.path)
            self.store = None

    def _update_actions(self) -> None:
        store = self.store
        has = store is not None
        self.printing.refresh()
        for action in (self.review_action, self.complete_action, self.lock_action,
                       *self.store_actions):  # fmt: skip
            action.setEnabled(has)
        coordinator = has and store.role == "coordinator"
        self.export_action.setEnabled(has)
        if self.purge_action is not None:
            self.purge_action.setEnabled(has)
        if self.send_action is not None:
            self.send_action.setEnabled(has and store.role == "reader")
        if not has:
            self.unsent.set_reviews([])
        self.import_action.setVisible(coordinator)
        self.import_action.setEnabled(coordinator)

    @Slot()
    def _list_painted(self) -> None:
        if self._first_case_pending:
            # After this paint has reached the screen: the reader sees the cases at once.
            QTimer.singleShot(0, self._open_first_case)

    @Slot()
    def _open_first_case(self) -> None:
        """Build the workspace and open the current case (the first, for a new store)."""
        if not self._first_case_pending or self.store is None:
            return
        self._first_case_pending = False
        self.workspace  # noqa: B018 - built now, so the first case fills it
        last = places.last_place(self.store)  # the app reopens at the case last read
        if last is not None:
            self.case_list.select_case(last.case_ref, emit=False)
        current = self.case_list.current_case() or self.case_list.first_case()
        if current is not None:
            self.open_case(current)
            # the reading layout: the page gets the list's width (Ctrl+1 brings the list back)
            self.list_fold.fold()
            self.workspace.focus_viewer()
        else:
            self.case_list.focus_list()

    def _fit_case_list(self) -> None:
        """Once, without a remembered layout: the case list as wide as its columns."""
        if self._fit_list and self.store is not None:
            self._fit_list = False
            # The reading view may not be laid out yet (the stack shows "Opening…"): give it
            # its size first, so the sizes below are taken as they are, not rescaled.
            self.reading.resize(self.stack.size())
            wanted = self.case_list.wanted_width()
            rest = self.reading.width() - wanted - self.reading.handleWidth()
            self.reading.setSizes([wanted, max(rest, 0)])

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fit_case_list()  # a store given before the window had its size

    def _store_path(self) -> Path | None:
        return self.store.path if self.store is not None else None

    @Slot(str)
    @Slot(str, str)
    def open_store_path(self, path: str, passphrase: str | None = None) -> bool:
        """Open a store file, asking for its passphrase (again, if one was given and wrong)."""
        try:
            error = ""
            if passphrase:
                try:
                    self.set_store(Store.open(path, passphrase))
                    return True
                except WrongPassphrase as e:
                    error = str(e)
            opened = open_store_dialog(self, Path(path), error)
        except CaseReaderError as e:
            QMessageBox.warning(self, "Cannot open the store", str(e))
            if not Path(path).is_file():
                self.prefs = self.prefs.forget_store(path)
                save_prefs(self.prefs)
            if self.store is None:
                self.set_store(None)  # the welcome screen, with the recent stores refreshed
            return False
        if opened is None:
            if self.store is None and self.stack.currentWidget() is self.opening:
                self.set_store(None)  # nothing opened at start-up: the welcome screen
            return False
        self.set_store(opened[0])
        return True

    # cases --------------------------------------------------------------------------

    @Slot(str)
    def open_case(self, case_ref: str) -> None:
        """Show one case in the workspace."""
        if self.store is not None:
            self._first_case_pending = False  # a case chosen before the first one opened
            self.workspace.set_case(case_ref)
            if self.case_list.current_case() != case_ref:
                self.case_list.select_case(case_ref, emit=False)

    @Slot(str)
    def _enter_case(self, _case_ref: str) -> None:
        self.list_fold.fold()
        self.workspace.focus_documents()

    @Slot()
    def show_case_list(self) -> None:
        """Unfold the case list and put the keyboard on it (Ctrl+1)."""
        self.list_fold.unfold()
        self.case_list.focus_list()

    @Slot(bool)
    def _fold_changed(self, folded: bool) -> None:
        self.toggle_list.setChecked(not folded)

    @Slot(str)
    def refresh_case(self, case_ref: str) -> None:
        """Refresh the case's line in the list (answers, status or review changed)."""
        if self.store is None:
            return
        for row in cases.overview(self.store):
            if row.case_ref == case_ref:
                self.case_list.update_row(row)

    @Slot(str, int, int, str)
    def _open_hit_elsewhere(self, case_ref: str, document_id: int, page: int, query: str):
        self.open_case(case_ref)
        self.workspace.show_document(document_id, page, query)

    # menu actions --------------------------------------------------------------------

    @Slot(str)
    def _remember_zoom(self, setting: str) -> None:
        self.prefs = self.prefs.model_copy(update={"pdf_zoom": setting})
        save_prefs(self.prefs)

    @Slot()
    def toggle_case_list(self) -> None:
        self.list_fold.set_folded(not self.list_fold.is_folded())

    # layout ---------------------------------------------------------------------------

    def save_layout(self) -> None:
        """Remember the window geometry and splitter positions (QSettings, nothing else)."""
        workspace = [] if self._workspace is None else self._workspace.splitters()
        save_layout(self, [self.reading, *workspace])

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._leave_unsent_review(event):
            event.ignore()
            return
        if self._remember_layout:
            self.save_layout()
        keep_typed_work(self._workspace)
        stop_all_jobs()
        self.idle_lock.uninstall()
        self._close_store()
        event.accept()
