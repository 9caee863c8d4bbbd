"""Bundles and reading packs in the desktop app: export, import (coordinator), open a pack.

- `export_bundle(parent, store)`: the notes check first (its warnings shown), then a dialog with
  the recipient (pasted or read from a file) and the store's signing-key fingerprint; the
  manifest is signed on the GUI thread, the encryption and the file run as a job.
- `import_bundles(parent, store)`: pick bundle files and the lead inspector's key (and its
  passphrase); decrypting and checking run as a job, the quick writes on the GUI thread (the
  one Store never crosses threads); then a per-bundle result list.
- `open_reading_pack(parent)`: pack file, pack passphrase, the new store and its passphrase
  twice; the work runs in a separate process (pyrage holds the GIL) with a progress dialog.
"""

import multiprocessing
from collections.abc import Generator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QEventLoop,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from casereader.bundle import keys, signing
from casereader.bundle.export import (
    BUNDLE_SUFFIX,
    ExportResult,
    PreparedBundle,
    default_recipients,
    finish_export,
    prepare_export,
    write_bundle,
)
from casereader.bundle.manifest import PACK_SUFFIX
from casereader.bundle.merge import BundleOutcome, merge_opened, open_bundle_files
from casereader.bundle.pack import open_pack_in_child
from casereader.domain.progress import Progress
from casereader.errors import CaseReaderError
from casereader.store import completion
from casereader.store.completion import NoteWarning
from casereader.store.db import STORE_SUFFIX
from casereader.store.store import Store
from casereader.ui.jobs import Job, JobRunner
from casereader.ui.style import review_text_color

BUNDLE_FILTER = f"casereader bundles (*{BUNDLE_SUFFIX})"
PACK_FILTER = f"casereader reading packs (*{PACK_SUFFIX})"
_ERROR_STYLE = "color: {};"


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName("Error")
    label.setStyleSheet(_ERROR_STYLE.format(review_text_color().name()))
    label.setVisible(False)
    return label


def _show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def _password_field(name: str, description: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setAccessibleDescription(description)
    return field


def _path_row(field: QLineEdit, button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(field, 1)
    row.addWidget(button)
    return row


def _warn(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def _inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def signing_fingerprint(store: Store) -> str:
    """The short fingerprint of the store's signing key, as the coordinator sees it."""
    public = store.inspection.signing_public_key
    return signing.fingerprint(bytes.fromhex(public)) if public else "(no signing key)"


# export ---------------------------------------------------------------------------------------


class NotesCheckDialog(QMessageBox):
    """The notes check's warnings before an export: export anyway, or go back and edit."""

    def __init__(self, parent: QWidget | None, warnings: list[NoteWarning]):
        super().__init__(parent)
        self.setWindowTitle("Notes check")
        self.setIcon(QMessageBox.Icon.Warning)
        count = len(warnings)
        self.setText(
            f"{count} note{'s' if count != 1 else ''} may contain an identifier. Records are "
            "pseudonymous: check before the bundle leaves this computer."
        )
        lines = [
            f"{w.case_ref} {w.item_key}: {w.finding.message}: {w.finding.text!r}"
            for w in warnings[:40]
        ]
        if count > 40:
            lines.append(f"… and {count - 40} more")
        self.setDetailedText("\n".join(lines))
        self.setInformativeText("\n".join(lines[:5]))
        self.export_button = self.addButton("Export anyway", QMessageBox.ButtonRole.AcceptRole)
        self.addButton("Go back and edit", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.buttons()[-1])
        self.setAccessibleName("Notes check warnings")

    @classmethod
    def ask(cls, parent: QWidget | None, warnings: list[NoteWarning]) -> bool:
        """True to export despite the warnings."""
        dialog = cls(parent, warnings)
        dialog.exec()
        return dialog.clickedButton() is dialog.export_button


@dataclass(frozen=True)
class ExportRequest:
    recipients: list[str]
    out: Path


class ExportDialog(QDialog):
    """Where the bundle goes and to whom; shows the signing key's fingerprint."""

    def __init__(self, parent: QWidget | None, store: Store):
        super().__init__(parent)
        self.setWindowTitle("Export bundle")
        self.setAccessibleName("Export bundle")
        reader = store.reader_id
        intro = QLabel(
            f"The bundle holds {reader}'s answers, notes, evidence links, management reviews, "
            "case statuses and audit log — never the documents. It is encrypted to the lead "
            "inspector's recipient and signed with this store's key."
        )
        intro.setWordWrap(True)
        self.fingerprint = QLabel(signing_fingerprint(store))
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setAccessibleName("Signing key fingerprint")
        self.fingerprint.setAccessibleDescription(
            "Read this to the coordinator so they can check the bundle came from this store"
        )
        self.recipients = QPlainTextEdit("\n".join(default_recipients(store)))
        self.recipients.setPlaceholderText("age1… (one recipient a line)")
        self.recipients.setAccessibleName("Recipients")
        self.recipients.setAccessibleDescription(
            "The lead inspector's public key, age1…, one a line; paste it or read it from a file"
        )
        self.recipients.setTabChangesFocus(True)
        self.recipients.setFixedHeight(self.recipients.fontMetrics().lineSpacing() * 4 + 12)
        from_file = QPushButton("Read from file…")
        from_file.setAccessibleName("Read recipients from a file")
        from_file.clicked.connect(self._read_recipients)
        self.out = QLineEdit(str(_default_folder() / f"{reader}-{date.today()}{BUNDLE_SUFFIX}"))
        self.out.setAccessibleName("Bundle file")
        browse = QPushButton("Choose…")
        browse.setAccessibleName("Choose the bundle file")
        browse.clicked.connect(self._choose_out)
        self.error = _error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Reader:", QLabel(reader))
        form.addRow("Signing key:", self.fingerprint)
        recipients_row = QVBoxLayout()
        recipients_row.addWidget(self.recipients)
        recipients_row.addWidget(from_file, 0, Qt.AlignmentFlag.AlignLeft)
        form.addRow("Recipients:", recipients_row)
        form.addRow("Save as:", _path_row(self.out, browse))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.request: ExportRequest | None = None

    @Slot()
    def _read_recipients(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Recipients file", str(_default_folder()))
        if not path:
            return
        try:
            found = keys.read_recipients_file(Path(path))
        except CaseReaderError as exc:
            _show_error(self.error, str(exc))
            return
        self.recipients.setPlainText("\n".join(found))
        _show_error(self.error, "")

    @Slot()
    def _choose_out(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save bundle as", self.out.text(), BUNDLE_FILTER
        )
        if path:
            self.out.setText(path if path.endswith(BUNDLE_SUFFIX) else path + BUNDLE_SUFFIX)

    def recipient_lines(self) -> list[str]:
        lines = self.recipients.toPlainText().splitlines()
        return [line.strip() for line in lines if line.strip() and not line.startswith("#")]

    @Slot()
    def _accept(self) -> None:
        recipients = self.recipient_lines()
        if not recipients:
            _show_error(self.error, "Give the lead inspector's recipient (age1…).")
            return
        try:
            for text in recipients:
                keys.parse_recipient(text)
        except CaseReaderError as exc:
            _show_error(self.error, str(exc))
            return
        out = Path(self.out.text().strip())
        if not self.out.text().strip() or not out.parent.is_dir():
            _show_error(self.error, "Choose where to save the bundle (an existing folder).")
            return
        self.request = ExportRequest(recipients, out)
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, store: Store) -> ExportRequest | None:
        """The recipients and file chosen, or None if cancelled."""
        dialog = cls(parent, store)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.request


def _default_folder() -> Path:
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def _write_task(prepared: PreparedBundle, out: Path):
    """A job task that encrypts and writes the bundle (no store needed on the worker)."""

    def factory(_store_path: Path, _passphrase: str) -> Generator[Progress, None, str]:
        yield Progress(0, 1, "Encrypting the bundle")
        return write_bundle(prepared, out, overwrite=True)

    return factory


class ExportFlow(QObject):
    """One export: dialogs, then the job; `done(ExportResult)` or `failed(str)` at the end."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget, store: Store):
        super().__init__(parent)
        self._parent = parent
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
        request = ExportDialog.ask(self._parent, self.store)
        if request is None:
            return False
        try:
            self.prepared = prepare_export(self.store, request.recipients)
        except CaseReaderError as exc:
            self._fail(str(exc))
            return False
        self.out = request.out
        job = Job(_write_task(self.prepared, request.out), self.store.path, "")
        self.runner = JobRunner(self._parent, job, "Export bundle", "Encrypting the bundle…")
        self.runner.finished.connect(self._written)
        self.runner.failed.connect(self._fail)
        self.runner.start()
        return True

    @Slot(object)
    def _written(self, sha256: str) -> None:
        try:
            result = finish_export(self.store, self.prepared, self.out, sha256)
        except CaseReaderError as exc:
            self._fail(str(exc))
            return
        _inform(self._parent, "Bundle exported", _export_summary(result))
        self.done.emit(result)

    @Slot(str)
    def _fail(self, message: str) -> None:
        _warn(self._parent, "Bundle not exported", message)
        self.failed.emit(message)


def _export_summary(result: ExportResult) -> str:
    c = result.counts
    return (
        f"Bundle {result.sequence} saved as {result.path}.\n"
        f"{c.get('answers', 0)} answers, {c.get('evidence_links', 0)} evidence links, "
        f"{c.get('flags', 0)} management reviews, {c.get('cases', 0)} cases.\n"
        f"Signed by {result.reader_id}, key fingerprint {result.fingerprint}."
    )


def export_bundle(parent: QWidget, store: Store) -> ExportFlow | None:
    """Export the reader's bundle (see the module docstring); the flow, or None if stopped."""
    flow = ExportFlow(parent, store)
    return flow if flow.start() else None


# import (coordinator) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRequest:
    files: list[Path]
    key_file: Path
    key_passphrase: str | None


class ImportDialog(QDialog):
    """Which bundles to merge, and the lead inspector's key to open them."""

    def __init__(self, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle("Import bundles")
        self.setAccessibleName("Import bundles")
        self.files = QListWidget()
        self.files.setAccessibleName("Bundle files")
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        add = QPushButton("Add bundles…")
        add.setAccessibleName("Add bundle files")
        add.clicked.connect(self._add_files)
        remove = QPushButton("Remove")
        remove.setAccessibleName("Remove the selected bundle files")
        remove.clicked.connect(self._remove_files)
        self.key_file = QLineEdit()
        self.key_file.setAccessibleName("Key file")
        self.key_file.setAccessibleDescription("The lead inspector's secret key file")
        browse = QPushButton("Choose…")
        browse.setAccessibleName("Choose the key file")
        browse.clicked.connect(self._choose_key)
        self.key_passphrase = _password_field(
            "Key passphrase", "Only if the key file is protected by a passphrase"
        )
        self.key_passphrase.setPlaceholderText("only if the key file is protected")
        self.error = _error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(add)
        file_buttons.addWidget(remove)
        file_buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("Key file:", _path_row(self.key_file, browse))
        form.addRow("Key passphrase:", self.key_passphrase)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Bundles from the readers:"))
        layout.addWidget(self.files)
        layout.addLayout(file_buttons)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.request: ImportRequest | None = None

    def add_files(self, paths: list[str]) -> None:
        present = {self.files.item(i).text() for i in range(self.files.count())}
        for path in paths:
            if path not in present:
                self.files.addItem(path)

    @Slot()
    def _add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Bundles", str(_default_folder()), BUNDLE_FILTER
        )
        self.add_files(paths)

    @Slot()
    def _remove_files(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))

    @Slot()
    def _choose_key(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Key file", str(_default_folder()))
        if path:
            self.key_file.setText(path)

    @Slot()
    def _accept(self) -> None:
        files = [Path(self.files.item(i).text()) for i in range(self.files.count())]
        if not files:
            _show_error(self.error, "Add at least one bundle file.")
            return
        key_file = Path(self.key_file.text().strip())
        try:
            protected = keys.is_protected(key_file)
        except CaseReaderError as exc:
            _show_error(self.error, str(exc))
            return
        secret = self.key_passphrase.text() or None
        if protected and not secret:
            _show_error(self.error, "This key file is protected: type its passphrase.")
            return
        self.request = ImportRequest(files, key_file, secret if protected else None)
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None) -> ImportRequest | None:
        """The files, key and passphrase chosen, or None if cancelled."""
        dialog = cls(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.request


class BundleOutcomeModel(QAbstractTableModel):
    """One row per bundle file: file, result, reader, sequence, what happened."""

    HEADERS = ("File", "Result", "Reader", "Bundle", "Details")
    _RESULTS = {"imported": "Imported", "unchanged": "Already imported", "refused": "Refused"}

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[BundleOutcome] = []

    def set_rows(self, rows: list[BundleOutcome]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (
                row.file,
                self._RESULTS[row.outcome],
                row.reader_id or "",
                str(row.sequence) if row.sequence is not None else "",
                row.message,
            )
            return values[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and row.outcome == "refused":
            return review_text_color()
        return None


class ImportResultDialog(QDialog):
    """The per-bundle result list after an import."""

    def __init__(self, parent: QWidget | None, outcomes: list[BundleOutcome]):
        super().__init__(parent)
        self.setWindowTitle("Import bundles — results")
        self.setAccessibleName("Import results")
        refused = sum(not o.ok for o in outcomes)
        imported = sum(o.outcome == "imported" for o in outcomes)
        summary = QLabel(
            f"{imported} imported, {len(outcomes) - imported - refused} already imported, "
            f"{refused} refused." + (" A refused bundle changed nothing." if refused else "")
        )
        summary.setAccessibleName("Summary")
        self.model = BundleOutcomeModel(self)
        self.model.set_rows(outcomes)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Result per bundle")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(860, 320)

    @classmethod
    def show_results(cls, parent: QWidget | None, outcomes: list[BundleOutcome]) -> None:
        cls(parent, outcomes).exec()


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
        _warn(self._parent, "Bundles not imported", message)
        self.failed.emit(message)


def import_bundles(parent: QWidget, store: Store) -> ImportFlow | None:
    """Import readers' bundles into the coordinator store; returns when done (None if stopped)."""
    flow = ImportFlow(parent, store)
    return flow if flow.start() else None


# reading packs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenPackRequest:
    pack: Path
    pack_passphrase: str
    store_path: Path
    store_passphrase: str


class OpenPackDialog(QDialog):
    """The pack, its passphrase, and the new store with its own passphrase (twice)."""

    def __init__(self, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle("Open reading pack")
        self.setAccessibleName("Open reading pack")
        intro = QLabel(
            "The coordinator gave you a reading pack file and, separately, its passphrase "
            "(a few words). Opening it creates your own store, under a passphrase you choose."
        )
        intro.setWordWrap(True)
        self.pack = QLineEdit()
        self.pack.setAccessibleName("Reading pack file")
        browse_pack = QPushButton("Choose…")
        browse_pack.setAccessibleName("Choose the reading pack file")
        browse_pack.clicked.connect(self._choose_pack)
        self.pack_passphrase = _password_field(
            "Pack passphrase", "The words the coordinator gave you, with spaces or hyphens"
        )
        self.pack_passphrase.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.store_path = QLineEdit()
        self.store_path.setAccessibleName("New store file")
        browse_store = QPushButton("Choose…")
        browse_store.setAccessibleName("Choose where to create the store")
        browse_store.clicked.connect(self._choose_store)
        self.passphrase = _password_field("New store passphrase", "At least 8 characters")
        self.again = _password_field("New store passphrase again", "The same passphrase again")
        self.error = _error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Open pack")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Reading pack:", _path_row(self.pack, browse_pack))
        form.addRow("Pack passphrase:", self.pack_passphrase)
        form.addRow("New store:", _path_row(self.store_path, browse_store))
        form.addRow("Store passphrase:", self.passphrase)
        form.addRow("Again:", self.again)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.request: OpenPackRequest | None = None

    def set_pack(self, path: str) -> None:
        self.pack.setText(path)
        if not self.store_path.text():
            self.store_path.setText(str(Path(path).with_suffix(STORE_SUFFIX)))

    @Slot()
    def _choose_pack(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Reading pack", str(_default_folder()), PACK_FILTER + ";;All files (*)"
        )
        if path:
            self.set_pack(path)

    @Slot()
    def _choose_store(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New store", self.store_path.text(), f"casereader stores (*{STORE_SUFFIX})"
        )
        if path:
            self.store_path.setText(path if path.endswith(STORE_SUFFIX) else path + STORE_SUFFIX)

    @Slot()
    def _accept(self) -> None:
        pack = Path(self.pack.text().strip())
        store = Path(self.store_path.text().strip())
        problem = ""
        if not self.pack.text().strip() or not pack.is_file():
            problem = "Choose the reading pack file."
        elif not self.pack_passphrase.text().strip():
            problem = "Type the pack passphrase the coordinator gave you."
        elif not self.store_path.text().strip() or not store.parent.is_dir():
            problem = "Choose where to create your store (an existing folder)."
        elif store.exists():
            problem = f"{store.name} exists already; choose a new name."
        elif len(self.passphrase.text()) < 8:
            problem = "Choose a store passphrase of at least 8 characters."
        elif self.passphrase.text() != self.again.text():
            problem = "The two store passphrases differ."
        if problem:
            _show_error(self.error, problem)
            return
        self.request = OpenPackRequest(
            pack, self.pack_passphrase.text(), store, self.passphrase.text()
        )
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None) -> OpenPackRequest | None:
        """What was typed, or None if cancelled."""
        dialog = cls(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.request


class PackOpener(QObject):
    """Runs `open_pack` in a separate process and follows its reports with a progress dialog."""

    POLL_MS = 100

    def __init__(self, parent: QWidget | None, request: OpenPackRequest):
        super().__init__(parent)
        self._parent = parent
        self.request = request
        self.result: Path | None = None
        self.error = ""
        self._finished = False
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe(duplex=False)
        self.process = context.Process(
            target=open_pack_in_child,
            args=(
                child,
                str(request.pack),
                request.pack_passphrase,
                str(request.store_path),
                request.store_passphrase,
            ),
            daemon=True,
        )
        self._child = child
        self.dialog = QProgressDialog("Opening the reading pack…", "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle("Open reading pack")
        self.dialog.setAccessibleName("Open reading pack progress")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self._timer = QTimer(self)
        self._timer.setInterval(self.POLL_MS)
        self._timer.timeout.connect(self._poll)

    def run(self) -> Path | None:
        """Open the pack; the new store's path, or None (see `error`)."""
        self.process.start()
        self._child.close()
        self._timer.start()
        self.dialog.exec()
        self._timer.stop()
        self.process.join(5)
        return self.result

    @Slot()
    def _poll(self) -> None:
        try:
            while self._conn.poll():
                self._handle(self._conn.recv())
        except (EOFError, OSError):
            if not self.result and not self.error:
                self.error = "The reading pack could not be opened (the helper process stopped)."
            self._finish()
            return
        if not self.process.is_alive() and not self._conn.poll():
            if not self.result and not self.error:
                self.error = "The reading pack could not be opened (the helper process stopped)."
            self._finish()

    def _handle(self, message: tuple) -> None:
        kind = message[0]
        if kind == "progress":
            _, done, total, text = message
            self.dialog.setMaximum(total)
            self.dialog.setValue(done)
            self.dialog.setLabelText(f"Opening the reading pack…\n{done} of {total}: {text}")
        elif kind == "done":
            self.result = Path(message[1])
            self._finish()
        elif kind == "error":
            self.error = message[1]
            self._finish()

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        self._timer.stop()
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()

    @Slot()
    def cancel(self) -> None:
        """Stop the helper process and remove its unfinished store."""
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
        store = self.request.store_path
        for leftover in store.parent.glob(f".{store.name}.*.opening*"):
            leftover.unlink(missing_ok=True)
        self.error = "cancelled"
        self._timer.stop()


def open_reading_pack(parent: QWidget | None) -> Path | None:
    """Ask for a reading pack and open it into a new store; that store's path, or None."""
    request = OpenPackDialog.ask(parent)
    if request is None:
        return None
    opener = PackOpener(parent, request)
    path = opener.run()
    opener.deleteLater()
    if path is None and opener.error != "cancelled":
        _warn(parent, "Reading pack not opened", opener.error)
    return path
