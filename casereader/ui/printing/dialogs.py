"""The print dialog with "Save as PDF…" beside Print, and where to save. Each has a
classmethod ``ask`` that tests replace."""

from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QWidget,
)

from casereader.domain.wording import plural

PDF_FILTER = "PDF documents (*.pdf)"


class PrintOrSave:
    """The system print dialog for the generated pages, with "Save as PDF…" in its buttons.

    Returns "print", "save" or "" (closed). Where the platform's dialog is native and has no
    buttons of ours, a short question comes first: print, or save the PDF.
    """

    SAVE = 2

    @classmethod
    def ask(cls, parent: QWidget, printer: QPrinter, title: str, pages: int) -> str:
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(f"Print {title}")
        dialog.setMinMax(1, max(pages, 1))
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        box = dialog.findChild(QDialogButtonBox)
        if box is None:
            choice = QMessageBox.question(
                parent,
                f"Print {title}",
                f"{title[0].upper()}{title[1:]} is ready ({plural(pages, 'page')}). "
                "Print it, or save the PDF?",
                QMessageBox.StandardButton.Ok
                | QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Cancel,
            )
            if choice == QMessageBox.StandardButton.Save:
                return "save"
            if choice != QMessageBox.StandardButton.Ok:
                return ""
            return "print" if dialog.exec() else ""
        save = QPushButton("Save as PDF…")
        save.setToolTip("Save the generated PDF (exactly these pages) instead of printing")
        box.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        save.clicked.connect(lambda: dialog.done(cls.SAVE))
        result = dialog.exec()
        if result == cls.SAVE:
            return "save"
        return "print" if result else ""


class SaveTarget:
    """Where to save: a PDF file, or a folder for every case's summary."""

    @classmethod
    def ask_file(cls, parent: QWidget, title: str, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            parent, f"Save {title} as PDF", str(suggested), PDF_FILTER
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")

    @classmethod
    def ask_folder(cls, parent: QWidget, title: str, suggested: Path) -> Path | None:
        name = QFileDialog.getExistingDirectory(parent, f"Folder for {title}", str(suggested))
        return Path(name) if name else None
