"""One import into the coordinator store: checking as a job, the writes here, then results."""

from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from casereader.bundle import keys
from casereader.bundle.merge import BundleOutcome, merge_opened, open_bundle_files
from casereader.domain.progress import Progress
from casereader.errors import CaseReaderError
from casereader.store.store import Store
from casereader.ui.bundles import dialogs
from casereader.ui.bundles.import_dialog import ImportDialog, ImportRequest
from casereader.ui.bundles.import_results import ImportResultDialog
from casereader.ui.jobs import Job, JobRunner


def _open_task(request: ImportRequest):
    def factory(_store_path: Path, _passphrase: str):
        yield Progress(0, len(request.files), "Opening the key")
        identity = keys.load_identity(request.key_file, request.key_passphrase)
        yield Progress(0, len(request.files), "Decrypting and checking the bundles")
        return open_bundle_files(request.files, identity)

    return factory


class ImportFlow(QObject):
    """One import: dialog, the checking job, the writes, the results; `done(list)` at the end.

    `start` returns only when all of it is over (the GUI stays live meanwhile), so the caller
    can refresh its views straight after.
    """

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget, store: Store):
        super().__init__(parent)
        self._parent = parent
        self.store = store
        self.runner: JobRunner | None = None
        self.outcomes: list[BundleOutcome] = []

    def start(self) -> bool:
        if self.store.role != "coordinator":
            self._fail("Bundles are imported into the coordinator store; this is a reader's.")
            return False
        request = ImportDialog.ask(self._parent)
        if request is None:
            return False
        job = Job(_open_task(request), self.store.path, "")
        self.runner = JobRunner(self._parent, job, "Import bundles", "Checking the bundles…")
        self.runner.finished.connect(self._opened)
        self.runner.failed.connect(self._fail)
        waiting = QEventLoop()
        self.done.connect(waiting.quit)
        self.failed.connect(waiting.quit)
        self.runner.start()
        waiting.exec()
        return True

    @Slot(object)
    def _opened(self, opened: list) -> None:
        try:
            self.outcomes = merge_opened(self.store, opened)
        except CaseReaderError as exc:
            self._fail(str(exc))
            return
        ImportResultDialog.show_results(self._parent, self.outcomes)
        self.done.emit(self.outcomes)

    @Slot(str)
    def _fail(self, message: str) -> None:
        dialogs.warn(self._parent, "Bundles not imported", message)
        self.failed.emit(message)


def import_bundles(parent: QWidget, store: Store) -> ImportFlow | None:
    """Import readers' bundles into the coordinator store; returns when done (None if stopped)."""
    flow = ImportFlow(parent, store)
    return flow if flow.start() else None
