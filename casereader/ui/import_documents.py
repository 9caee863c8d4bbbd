"""Import → Documents…: a documents folder into the open store, as a cancellable job.

The import is the one `casereader import-documents` runs (ingest/documents.py). It runs on a
worker thread with a Store of its own, so it needs the store's passphrase again (the window
does not keep it). Documents are committed a batch at a time, each whole: a cancelled import
commits and keeps the documents written before it, and nothing of the one being read.
"""

from collections.abc import Generator
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from casereader.domain.progress import Progress
from casereader.domain.wording import plural
from casereader.ingest.documents import ImportReport, import_documents
from casereader.store import Store
from casereader.ui.jobs import Job, JobRunner, TaskFactory, start_job, store_task
from casereader.ui.passphrase import PassphraseDialog, open_store_dialog

TITLE = "Import documents"
CANCELLED_NOTE = (
    "Import cancelled. The documents imported before it are kept, each whole; import the "
    "folder again to carry on (documents already in the store are not imported twice)."
)


def documents_task(folder: Path, report: ImportReport) -> TaskFactory:
    """The job's task: import FOLDER into the store, filling REPORT; returns REPORT."""

    def run(store: Store) -> Generator[Progress, None, ImportReport]:
        yield from import_documents(store, folder, report)
        return report

    return store_task(run)


class DocumentsFolder:
    """Which folder to import (a classmethod tests replace)."""

    @classmethod
    def ask(cls, parent: QWidget) -> Path | None:
        folder = QFileDialog.getExistingDirectory(
            parent, "Import documents: the folder that holds one folder per case", ""
        )
        return Path(folder) if folder else None


class ImportPassphrase:
    """The store's passphrase, asked again for the import's own connection."""

    @classmethod
    def ask(cls, parent: QWidget | None, store_path: Path, error: str = "") -> str | None:
        dialog = PassphraseDialog(parent, store_path, error)
        dialog.setWindowTitle(f"{TITLE}: the store's passphrase")
        if dialog.exec() != PassphraseDialog.DialogCode.Accepted:
            return None
        return dialog.field.text()


def result_lines(report: ImportReport) -> tuple[str, str]:
    """The result's first line (documents imported) and its counts line: only the counts that
    are not zero ("" when nothing was repaired, skipped or already held)."""
    first = f"Imported {plural(report.imported, 'document')}."
    parts = []
    if report.repaired:
        parts.append(
            f"{plural(len(report.repaired), 'document')} repaired "
            "(damaged PDFs kept as repaired copies)"
        )
    if report.skipped:
        parts.append(f"{plural(len(report.skipped), 'file')} skipped")
    if report.duplicates:
        parts.append(f"{plural(report.duplicates, 'document')} already in the store")
    counts = "; ".join(parts)
    return first, f"{counts[0].upper()}{counts[1:]}." if counts else ""


def result_box(parent: QWidget | None, report: ImportReport, note: str = "") -> QMessageBox:
    """What the import did: the counts on top, every repaired or skipped file in the details."""
    box = QMessageBox(parent)
    box.setWindowTitle("Import cancelled" if report.cancelled else "Documents imported")
    box.setIcon(QMessageBox.Icon.Information)
    first, counts = result_lines(report)
    box.setText(first)
    box.setInformativeText("\n\n".join(t for t in (counts, note) if t))
    rest = report.summary().partition("\n")[2]
    if rest:
        box.setDetailedText(rest)
    box.setAccessibleName("Import result")
    # room for the counts on two lines rather than five
    box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 420px; }")
    return box


class ImportResult:
    """Shows the result (a classmethod tests replace)."""

    @classmethod
    def show(cls, parent: QWidget | None, report: ImportReport, note: str = "") -> None:
        result_box(parent, report, note).exec()


class ImportDocumentsFlow(QObject):
    """Folder, passphrase, the job with its progress dialog, then the result.

    `done(report)` fires at the end, whether the import finished or was cancelled (something
    may have been imported either way); `failed(message)` when it was refused.
    """

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget, store_path: Path):
        super().__init__(parent)
        self._parent = parent
        self.store_path = Path(store_path)
        self.report = ImportReport()
        self.runner: JobRunner | None = None

    def start(self) -> bool:
        """Ask for the folder and the passphrase, then start; False if the reader cancelled."""
        folder = DocumentsFolder.ask(self._parent)
        if folder is None:
            return False
        opened = open_store_dialog(self._parent, self.store_path, ask=ImportPassphrase.ask)
        if opened is None:
            return False
        check, secret = opened
        check.close()  # only the passphrase was wanted: the job opens its own
        job = Job(documents_task(folder, self.report), self.store_path, secret)
        self.runner = start_job(self._parent, job, TITLE, f"Importing {folder.name}", self)
        return True

    @Slot(object)
    def _finished(self, _report: object) -> None:
        ImportResult.show(self._parent, self.report)
        self.done.emit(self.report)

    @Slot()
    def _cancelled(self) -> None:
        self.report.cancelled = True
        ImportResult.show(self._parent, self.report, CANCELLED_NOTE)
        self.done.emit(self.report)

    @Slot(str)
    def _failed(self, message: str) -> None:
        QMessageBox.warning(self._parent, "Documents not imported", message)
        self.failed.emit(message)
