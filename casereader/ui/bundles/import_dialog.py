"""What the coordinator is asked before an import: the bundle files and the lead's key."""

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QWidget,
)

from casereader.bundle import keys
from casereader.errors import CaseReaderError
from casereader.ui.bundles.dialogs import (
    BUNDLE_FILTER,
    ask_request,
    default_folder,
    error_label,
    ok_cancel_buttons,
    password_field,
    path_row,
    show_error,
    stack,
)


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
        self.key_passphrase = password_field(
            "Key passphrase", "Only if the key file is protected by a passphrase"
        )
        self.key_passphrase.setPlaceholderText("only if the key file is protected")
        self.error = error_label()
        buttons = ok_cancel_buttons("Import", self._accept, self.reject)
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(add)
        file_buttons.addWidget(remove)
        file_buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("Key file:", path_row(self.key_file, browse))
        form.addRow("Key passphrase:", self.key_passphrase)
        heading = QLabel("Bundles from the readers:")
        stack(self, heading, self.files, file_buttons, form, self.error, buttons)
        self.request: ImportRequest | None = None

    def add_files(self, paths: list[str]) -> None:
        present = {self.files.item(i).text() for i in range(self.files.count())}
        for path in paths:
            if path not in present:
                self.files.addItem(path)

    @Slot()
    def _add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Bundles", str(default_folder()), BUNDLE_FILTER
        )
        self.add_files(paths)

    @Slot()
    def _remove_files(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))

    @Slot()
    def _choose_key(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Key file", str(default_folder()))
        if path:
            self.key_file.setText(path)

    @Slot()
    def _accept(self) -> None:
        files = [Path(self.files.item(i).text()) for i in range(self.files.count())]
        if not files:
            show_error(self.error, "Add at least one bundle file.")
            return
        key_file = Path(self.key_file.text().strip())
        try:
            protected = keys.is_protected(key_file)
        except CaseReaderError as exc:
            show_error(self.error, str(exc))
            return
        secret = self.key_passphrase.text() or None
        if protected and not secret:
            show_error(self.error, "This key file is protected: type its passphrase.")
            return
        self.request = ImportRequest(files, key_file, secret if protected else None)
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None) -> ImportRequest | None:
        """The files, key and passphrase chosen, or None if cancelled."""
        return ask_request(cls(parent))
