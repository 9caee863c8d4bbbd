"""One export from a reader's store: the dialogs, then the encryption and the file as a job."""

from collections.abc import Generator
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from casereader.bundle.export import (
    ExportResult,
    PreparedBundle,
    finish_export,
    prepare_export,
    remember_export,
    write_bundle,
)
from casereader.domain.progress import Progress
from casereader.domain.wording import plural
from casereader.errors import CaseReaderError
from casereader.store import completion
from casereader.store.models import FLAG_CATEGORY_LABELS
from casereader.store.store import Store
from casereader.ui.bundles import dialogs
from casereader.ui.bundles.export_dialogs import ExportDialog, ExportRequest, NotesCheckDialog
from casereader.ui.jobs import Job, JobRunner


def _write_task(prepared: PreparedBundle, out: Path, replace: bool):
    """A job task that encrypts and writes the bundle (no store needed on the worker)."""

    def factory(_store_path: Path, _passphrase: str) -> Generator[Progress, None, str]:
        yield Progress(0, 1, "Encrypting the bundle")
        return write_bundle(prepared, out, overwrite=replace)

    return factory


class ExportFlow(QObject):
    """One export: dialogs, then the job; `done(ExportResult)` or `failed(str)` at the end.

    Given a `request` (recipients and file, as Send now makes them), the export dialog is not
    shown; with `announce` False the caller says what was written instead of the summary box.
    """

    done = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        store: Store,
        request: ExportRequest | None = None,
        announce: bool = True,
    ):
        super().__init__(parent)
        self._parent = parent
        self._request = request
        self._announce = announce
        self.store = store
        self.prepared: PreparedBundle | None = None
        self.out: Path | None = None
        self.runner: JobRunner | None = None

    def start(self) -> bool:
        """Ask everything; False if the reader stopped (nothing exported)."""
        if self.store.role != "reader":
            self._fail("Bundles are exported from a reader's store; this is the coordinator's.")
            return False
        warnings = completion.check_notes(self.store)
        if warnings and not NotesCheckDialog.ask(self._parent, warnings):
            return False
        request = self._request or ExportDialog.ask(self._parent, self.store)
        if request is None:
            return False
        try:
            self.prepared = prepare_export(self.store, request.recipients)
        except CaseReaderError as exc:
            self._fail(str(exc))
            return False
        self.out = request.out
        job = Job(_write_task(self.prepared, request.out, request.replace), self.store.path, "")
        self.runner = JobRunner(self._parent, job, "Export bundle", "Encrypting the bundle…")
        self.runner.finished.connect(self._written)
        self.runner.failed.connect(self._fail)
        self.runner.start()
        return True

    @Slot(object)
    def _written(self, sha256: str) -> None:
        try:
            result = finish_export(self.store, self.prepared, self.out, sha256)
            remember_export(self.store, result)
        except CaseReaderError as exc:
            self._fail(str(exc))
            return
        if self._announce:
            dialogs.inform(self._parent, "Bundle exported", _export_summary(result))
        self.done.emit(result)

    @Slot(str)
    def _fail(self, message: str) -> None:
        dialogs.warn(self._parent, "Bundle not exported", message)
        self.failed.emit(message)


def _export_summary(result: ExportResult) -> str:
    c = result.counts
    return (
        f"Bundle {result.sequence} saved as {result.path}.\n"
        f"{plural(c.get('answers', 0), 'answer')}, "
        f"{plural(c.get('evidence_links', 0), 'evidence link')}, "
        f"{plural(c.get('flags', 0), 'management review')}, {plural(c.get('cases', 0), 'case')}.\n"
        f"Signed by {result.reader_id}, key fingerprint {result.fingerprint}."
        + reviews_sent_text(result)
    )


def reviews_sent_text(result: ExportResult) -> str:
    """The management reviews whose latest step this bundle sends for the first time."""
    fresh = [r for r in result.reviews if not r.sent]
    if not fresh:
        return ""
    lines = [f"{r.case_ref}: {FLAG_CATEGORY_LABELS[r.category]}" for r in fresh]
    return "\nIt sends the latest step of:\n" + "\n".join(lines)


def export_bundle(parent: QWidget, store: Store) -> ExportFlow | None:
    """Export the reader's bundle (see the package docstring); the flow, or None if stopped."""
    flow = ExportFlow(parent, store)
    return flow if flow.start() else None
