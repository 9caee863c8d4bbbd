"""What the reader is asked before an export: the notes check, then recipients and file."""

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casereader.bundle import keys, signing
from casereader.bundle.export import (
    BUNDLE_SUFFIX,
    default_bundle_path,
    default_recipients,
    export_folder,
)
from casereader.domain.wording import plural
from casereader.errors import CaseReaderError
from casereader.store.completion import NoteWarning
from casereader.store.store import Store
from casereader.ui.bundles.dialogs import (
    BUNDLE_FILTER,
    ask_request,
    default_folder,
    error_label,
    ok_cancel_buttons,
    path_row,
    show_error,
    stack,
)


def signing_fingerprint(store: Store) -> str:
    """The short fingerprint of the store's signing key, as the coordinator sees it."""
    public = store.inspection.signing_public_key
    return signing.fingerprint(bytes.fromhex(public)) if public else "(no signing key)"


class NotesCheckDialog(QMessageBox):
    """The notes check's warnings before an export: export anyway, or go back and edit."""

    def __init__(self, parent: QWidget | None, warnings: list[NoteWarning]):
        super().__init__(parent)
        self.setWindowTitle("Notes check")
        self.setIcon(QMessageBox.Icon.Warning)
        count = len(warnings)
        self.setText(
            f"{plural(count, 'note')} may contain an identifier. Records are "
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
    replace: bool = False  # the reader agreed to replace the file that is there


class ReplaceBundleQuestion(QMessageBox):
    """Asked before a bundle would replace a file that is already there."""

    def __init__(self, parent: QWidget | None, out: Path):
        super().__init__(parent)
        self.setWindowTitle("Replace the file?")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setText(f"{out.name} is already there, perhaps an earlier bundle. Replace it?")
        self.setInformativeText(
            "An earlier bundle the lead inspector has not merged yet would be lost. "
            "Choose No to pick another name."
        )
        self.replace_button = self.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
        keep = self.addButton("No, another name", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(keep)

    @classmethod
    def ask(cls, parent: QWidget | None, out: Path) -> bool:
        """True to replace the file."""
        dialog = cls(parent, out)
        dialog.exec()
        return dialog.clickedButton() is dialog.replace_button


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
        folder = export_folder(store) or default_folder()
        self.out = QLineEdit(str(default_bundle_path(store, folder)))
        self.out.setAccessibleName("Bundle file")
        browse = QPushButton("Choose…")
        browse.setAccessibleName("Choose the bundle file")
        browse.clicked.connect(self._choose_out)
        self.error = error_label()
        buttons = ok_cancel_buttons("Export", self._accept, self.reject)
        form = QFormLayout()
        form.addRow("Reader:", QLabel(reader))
        form.addRow("Signing key:", self.fingerprint)
        recipients_row = QVBoxLayout()
        recipients_row.addWidget(self.recipients)
        recipients_row.addWidget(from_file, 0, Qt.AlignmentFlag.AlignLeft)
        form.addRow("Recipients:", recipients_row)
        form.addRow("Save as:", path_row(self.out, browse))
        stack(self, intro, form, self.error, buttons)
        self.request: ExportRequest | None = None

    @Slot()
    def _read_recipients(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Recipients file", str(default_folder()))
        if not path:
            return
        try:
            found = keys.read_recipients_file(Path(path))
        except CaseReaderError as exc:
            show_error(self.error, str(exc))
            return
        self.recipients.setPlainText("\n".join(found))
        show_error(self.error, "")

    @Slot()
    def _choose_out(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Save bundle as",
            self.out.text(),
            BUNDLE_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,  # asked on Export instead
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
            show_error(self.error, "Give the lead inspector's recipient (age1…).")
            return
        try:
            for text in recipients:
                keys.parse_recipient(text)
        except CaseReaderError as exc:
            show_error(self.error, str(exc))
            return
        out = Path(self.out.text().strip())
        if not self.out.text().strip() or not out.parent.is_dir():
            show_error(self.error, "Choose where to save the bundle (an existing folder).")
            return
        replace = out.exists()
        if replace and not ReplaceBundleQuestion.ask(self, out):
            show_error(self.error, f"{out.name} is already there: choose another name.")
            return
        self.request = ExportRequest(recipients, out, replace)
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, store: Store) -> ExportRequest | None:
        """The recipients and file chosen, or None if cancelled."""
        return ask_request(cls(parent, store))
