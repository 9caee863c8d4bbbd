"""The main window's File and Import actions on the open store: export, import bundles and
documents, a rescue copy, removing the store.

A mixin of MainWindow (it uses the window's `store`, `prefs`, `case_list`, `coordinator`,
`welcome` and workspace); kept apart so that the window itself is wiring and layout only.
"""

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QMessageBox

from casereader.errors import CaseReaderError
from casereader.store import cases
from casereader.ui.prefs import save_prefs


class FileActions:
    """File → Export…, Import → Bundles…/Documents…, Save a rescue copy…, Remove this store…"""

    @Slot()
    def export_bundle(self) -> None:
        if self.store is not None:
            from casereader.ui import bundles

            flow = bundles.export_bundle(self, self.store)
            if flow is not None:
                flow.done.connect(self.refresh_unsent)

    @Slot()
    def import_bundles(self) -> None:
        if self.store is not None:
            from casereader.ui import bundles

            flow = bundles.import_bundles(self, self.store)
            if flow is not None:
                flow.done.connect(self._reload_cases)

    @Slot()
    def import_documents(self) -> None:
        """Import → Documents…: a documents folder into the open store, as a job."""
        if self.store is not None:
            from casereader.ui.import_documents import ImportDocumentsFlow

            self.documents_flow = ImportDocumentsFlow(self, self.store.path)
            self.documents_flow.done.connect(self._documents_imported)
            self.documents_flow.failed.connect(self._documents_imported)
            self.documents_flow.start()

    @Slot()
    def _documents_imported(self) -> None:
        self._reload_cases()
        case_ref = self._workspace.case_ref if self._workspace is not None else None
        if case_ref is not None and self.store is not None:
            self._workspace.documents.set_case(self.store, case_ref)

    @Slot()
    def save_rescue_copy(self) -> None:
        """File → Save a rescue copy…: the whole open store to a new file, with a passphrase."""
        if self.store is None:
            return
        from PySide6.QtWidgets import QFileDialog

        from casereader.ui.passphrase import PassphraseDialog

        start = str(Path.home() / f"{self.store.path.stem}-rescued.casereader")
        target, _ = QFileDialog.getSaveFileName(
            self, "Save a rescue copy", start, "casereader store (*.casereader)"
        )
        if not target:
            return
        secret = PassphraseDialog.ask(self, Path(target), "The store's passphrase, for the copy:")
        if not secret:
            return
        try:
            self.store.rescue_copy(Path(target), secret)
        except CaseReaderError as e:
            QMessageBox.warning(self, "No rescue copy was written", str(e))
            return
        QMessageBox.information(
            self, "Rescue copy saved", f"Everything in the store was written to {target}."
        )

    @Slot()
    def purge_store(self) -> None:
        """File → Remove this store…: confirm, close the store, remove it and its files."""
        if self.store is None:
            return
        from casereader.ui.purge_dialog import confirm_and_purge

        path = self.store.path
        if confirm_and_purge(self, self.store, close=lambda: self.set_store(None)):
            self.prefs = self.prefs.forget_store(path)
            save_prefs(self.prefs)
            self.welcome.refresh(self.prefs)

    @Slot()
    def _reload_cases(self) -> None:
        if self.store is not None:
            self.case_list.set_rows(cases.overview(self.store))
            self.coordinator.refresh()
