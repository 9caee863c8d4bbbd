"""The new-inspection wizard (template, store, sample CSV, documents folder) and the flow that
creates the store and imports into it as a cancellable job."""

from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
    QWizard,
    QWizardPage,
)

from casereader.domain.passphrase_strength import passphrase_problem
from casereader.domain.progress import Progress
from casereader.domain.template import available_templates
from casereader.errors import CaseReaderError
from casereader.ingest.documents import ImportReport, import_documents
from casereader.ingest.sample import import_sample, parse_sample
from casereader.store import Store
from casereader.store.db import STORE_SUFFIX
from casereader.ui.jobs import Job, JobRunner, start_job
from casereader.ui.passphrase import suggest_button
from casereader.ui.style import review_text_color

STORE_FILTER = f"casereader stores (*{STORE_SUFFIX})"


@dataclass(frozen=True)
class NewInspection:
    """Everything the wizard asks for."""

    template_id: str
    template_version: str
    name: str
    role: str
    reader_id: str
    store_path: Path
    passphrase: str
    sample_csv: Path
    documents_dir: Path | None


def import_task(spec: NewInspection, report: ImportReport):
    """The job's task: the sample, then the documents folder (report filled as it goes)."""

    def factory(store_path: Path, passphrase: str) -> Generator[Progress, None, ImportReport]:
        with Store.open(store_path, passphrase) as store:
            yield Progress(0, 0, "Importing the sample list")
            import_sample(store, spec.sample_csv)
            if spec.documents_dir is not None:
                yield from import_documents(store, spec.documents_dir, report)
        return report

    return factory


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName("Error")
    label.setStyleSheet(f"color: {review_text_color().name()};")
    return label


def _browse_row(field: QLineEdit, button_text: str, chooser) -> QHBoxLayout:
    button = QPushButton(button_text)
    button.setAccessibleName(f"{button_text} for {field.accessibleName()}")
    button.clicked.connect(chooser)
    row = QHBoxLayout()
    row.addWidget(field, 1)
    row.addWidget(button)
    return row


class _Page(QWizardPage):
    def __init__(self, title: str, subtitle: str):
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.form = QFormLayout(self)
        self.error = _error_label()

    def field_(self, label: str, accessible: str, password=False) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(accessible)
        if password:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def add_browse_row(self, label: str, field: QLineEdit, chooser) -> None:
        """A labelled field with a Choose… button; the label's key (Alt+letter) goes to the
        field (a label without a buddy would show its "&" as it is)."""
        shown = QLabel(label)
        shown.setBuddy(field)
        self.form.addRow(shown, _browse_row(field, "Choose…", chooser))

    def fail(self, text: str) -> bool:
        self.error.setText(text)
        return False

    def ok(self) -> bool:
        self.error.clear()
        return True


def newest_first(templates: list) -> list:
    """Each template id in turn, its versions newest first (so the default is the newest)."""
    ids = list(dict.fromkeys(t.id for t in templates))
    return [t for tid in ids for t in reversed([t for t in templates if t.id == tid])]


class InspectionPage(_Page):
    def __init__(self):
        super().__init__("The inspection", "The record-reading template and who this store is for.")
        self.template_box = QComboBox()
        self.template_box.setAccessibleName("Record-reading template")
        for t in newest_first(available_templates()):
            note = " (provisional)" if t.provisional else ""
            self.template_box.addItem(f"{t.title} — {t.id} {t.version}{note}", (t.id, t.version))
        self.name = self.field_("Inspection", "Inspection name")
        self.name.setPlaceholderText("e.g. Joint inspection, Example partnership, 2025")
        self.role_box = QComboBox()
        self.role_box.setAccessibleName("Role of this store")
        self.role_box.addItem("Reader: my own assigned cases", "reader")
        self.role_box.addItem("Coordinator: the whole inspection", "coordinator")
        self.reader = self.field_("Reader id", "Reader id")
        self.reader.setPlaceholderText("e.g. R1")
        self.role_box.currentIndexChanged.connect(self._role_changed)
        for label, w in (("&Template", self.template_box), ("&Inspection name", self.name),
                         ("&Role", self.role_box), ("Reader &id", self.reader)):  # fmt: skip
            self.form.addRow(label, w)
        self.form.addRow(self.error)

    @Slot()
    def _role_changed(self) -> None:
        self.reader.setEnabled(self.role_box.currentData() == "reader")

    def validatePage(self) -> bool:
        if self.template_box.count() == 0:
            return self.fail("No record-reading templates were found in the forms folder.")
        if not self.name.text().strip():
            return self.fail("Give the inspection a name.")
        if self.role_box.currentData() == "reader" and not self.reader.text().strip():
            return self.fail("A reader store needs a reader id (for example R1).")
        return self.ok()


class StorePage(_Page):
    def __init__(self):
        super().__init__(
            "The store",
            "One encrypted file holds the inspection. Choose where it goes and its passphrase; "
            "the passphrase is never saved, and without it the store cannot be opened.",
        )
        self.path = self.field_("Store file", "Store file")
        self.passphrase = self.field_("Passphrase", "Passphrase", password=True)
        self.again = self.field_("Again", "Passphrase again", password=True)
        self.add_browse_row("Store &file", self.path, self._choose)
        self.form.addRow("&Passphrase", self.passphrase)
        self.form.addRow("&Again", self.again)
        self.suggest = suggest_button(self.passphrase, self.again)
        self.form.addRow("", self.suggest)
        self.form.addRow(self.error)

    @Slot()
    def _choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New store", self.path.text(), STORE_FILTER)
        if path:
            self.path.setText(path if path.endswith(STORE_SUFFIX) else path + STORE_SUFFIX)

    def store_path(self) -> Path:
        text = self.path.text().strip()
        return Path(text if text.endswith(STORE_SUFFIX) else text + STORE_SUFFIX).expanduser()

    def validatePage(self) -> bool:
        if not self.path.text().strip():
            return self.fail("Choose where to save the store.")
        path = self.store_path()
        if path.exists():
            return self.fail(f"{path} already exists; choose another name.")
        if not path.parent.is_dir():
            return self.fail(f"The folder {path.parent} does not exist.")
        problem = passphrase_problem(self.passphrase.text())
        if problem:
            return self.fail(problem)
        if self.passphrase.text() != self.again.text():
            return self.fail("The two passphrases differ.")
        return self.ok()


class ImportPage(_Page):
    def __init__(self):
        super().__init__(
            "Sample and documents",
            "The sample list (CSV with case_ref, group, follow_up, …) and the documents folder "
            "(FOLDER/<case_ref>/<agency>/<files>). The folder can be left empty and imported "
            "later with Import → Documents….",
        )
        self.sample = self.field_("Sample list", "Sample list CSV file")
        self.folder = self.field_("Documents folder", "Documents folder")
        self.add_browse_row("&Sample list", self.sample, self._sample)
        self.add_browse_row("&Documents", self.folder, self._folder)
        self.form.addRow(self.error)

    @Slot()
    def _sample(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Sample list", "", "CSV files (*.csv)")
        if path:
            self.sample.setText(path)

    @Slot()
    def _folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Documents folder")
        if path:
            self.folder.setText(path)

    def validatePage(self) -> bool:
        if not self.sample.text().strip():
            return self.fail("Choose the sample list (CSV).")
        try:
            parse_sample(Path(self.sample.text().strip()).expanduser())
        except CaseReaderError as e:
            return self.fail(str(e))
        folder = self.folder.text().strip()
        if folder and not Path(folder).expanduser().is_dir():
            return self.fail(f"{folder}: no such folder.")
        return self.ok()


class NewInspectionWizard(QWizard):
    """Template, inspection, role and reader; store file and passphrase; sample and folder."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("New inspection")
        self.inspection = InspectionPage()
        self.store = StorePage()
        self.imports = ImportPage()
        for page in (self.inspection, self.store, self.imports):
            self.addPage(page)
        self.setMinimumWidth(640)

    def result_spec(self) -> NewInspection:
        template_id, version = self.inspection.template_box.currentData()
        folder = self.imports.folder.text().strip()
        role = self.inspection.role_box.currentData()
        return NewInspection(
            template_id=template_id,
            template_version=version,
            name=self.inspection.name.text().strip(),
            role=role,
            reader_id=self.inspection.reader.text().strip() if role == "reader" else "",
            store_path=self.store.store_path(),
            passphrase=self.store.passphrase.text(),
            sample_csv=Path(self.imports.sample.text().strip()).expanduser(),
            documents_dir=Path(folder).expanduser() if folder else None,
        )

    @classmethod
    def ask(cls, parent) -> NewInspection | None:
        """Run the wizard; what was asked for, or None if cancelled."""
        wizard = cls(parent)
        return wizard.result_spec() if wizard.exec() == QWizard.DialogCode.Accepted else None


def show_import_report(parent, report: ImportReport | None, note: str = "") -> None:
    """Say what the import did: counts, and every skipped file in the details."""
    box = QMessageBox(parent)
    box.setWindowTitle("Import finished")
    summary = report.summary() if report is not None else ""
    first, _, rest = summary.partition("\n")
    box.setText("\n".join(t for t in (note, first) if t))
    if rest:
        box.setDetailedText(rest)
    box.exec()


class NewInspectionFlow(QObject):
    """Creates the store, imports as a job with a progress dialog, reports, then says created."""

    created = Signal(str, str)  # store path, passphrase

    def __init__(self, parent: QWidget, spec: NewInspection):
        super().__init__(parent)
        self.spec = spec
        self.report = ImportReport()
        self.runner: JobRunner | None = None

    def start(self) -> bool:
        """Create the store file and start the import; False (with a message) if it fails."""
        from casereader.domain.template import find_template

        spec = self.spec
        try:
            template = find_template(spec.template_id, version=spec.template_version)
            Store.create(spec.store_path, spec.passphrase, template, spec.name, spec.role,
                         spec.reader_id or None).close()  # fmt: skip
        except CaseReaderError as e:
            QMessageBox.warning(self.parent(), "Cannot create the store", str(e))
            return False
        job = Job(import_task(spec, self.report), spec.store_path, spec.passphrase)
        self.runner = start_job(self.parent(), job, "Importing", "Importing the inspection", self)
        return True

    @Slot(object)
    def _finished(self, _report) -> None:
        show_import_report(self.parent(), self.report)
        self._done()

    @Slot()
    def _cancelled(self) -> None:
        show_import_report(
            self.parent(), self.report, "Import cancelled: what was imported so far is kept."
        )
        self._done()

    @Slot(str)
    def _failed(self, message: str) -> None:
        QMessageBox.warning(
            self.parent(),
            "Import failed",
            f"{message}\n\nThe store was created at {self.spec.store_path}; the import can be "
            "run again with `casereader import-sample`, the documents with Import → Documents….",
        )
        self._done()

    def _done(self) -> None:
        self.created.emit(str(self.spec.store_path), self.spec.passphrase)
