"""The four print flows: generate the PDF (long work as a job), then print or save it.

Reading the store happens on the GUI thread (a Store never crosses threads); laying out the
pages, the slow part, runs as a cancellable job over the records read. The PDFs stay in memory
until they are printed or saved where the user chooses: nothing decrypted is left in a
temporary folder.
"""

from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from casereader.domain.progress import Progress
from casereader.domain.wording import plural
from casereader.errors import CaseReaderError
from casereader.reports import (
    SummaryPdfs,
    build_concern,
    build_report,
    build_summary,
    file_name,
    gather_concern,
    gather_summaries,
    gather_summary,
    lay_out_all,
    write_summary_files,
)
from casereader.reports.document import write_file
from casereader.store import flags
from casereader.store.coordination.analysis import analyse
from casereader.store.models import FLAG_CATEGORY_LABELS, FLAG_STATUS_LABELS
from casereader.store.store import Store
from casereader.ui.jobs import Job, JobRunner
from casereader.ui.printing.dialogs import PrintOrSave, SaveTarget
from casereader.ui.printing.pdf_print import PdfPrintJob, a4_printer, print_with_progress


@dataclass
class Generated:
    """A generated document ready to print or save."""

    title: str  # "the case summary of SA-001"
    data: bytes  # the PDF that is printed
    pages: int
    file_name: str  # suggested name when saved
    parts: dict[str, bytes] = field(default_factory=dict)  # all summaries: every case's file


class PrintFlow(QObject):
    """One print action from start to end; `done(str)` says what happened ("printed",
    "saved", "cancelled", or the error)."""

    done = Signal(str)

    def __init__(self, parent: QWidget, store: Store):
        super().__init__(parent)
        self._parent = parent
        self.store = store
        self.runner: JobRunner | None = None
        self.printing: PdfPrintJob | None = None
        self.generated: Generated | None = None

    # generating ------------------------------------------------------------------------

    def case_summary(self, case_ref: str) -> None:
        summary = gather_summary(self.store, case_ref)
        data = build_summary(summary)
        self.offer(
            Generated(f"the case summary of {case_ref}", data, _pages(data), file_name(case_ref))
        )

    def concern_form(self, case_ref: str) -> None:
        on_case = flags.list_flags(self.store, case_ref)
        flag_id = None
        if len(on_case) > 1:
            flag_id = ChooseReview.ask(self._parent, case_ref, on_case)
            if flag_id is None:
                self.done.emit("cancelled")
                return
        concern = gather_concern(self.store, case_ref, flag_id)
        data = build_concern(concern)
        self.offer(
            Generated(
                f"the concern form for {case_ref}", data, 1, f"concern-{file_name(case_ref)[8:]}"
            )
        )

    def all_summaries(self) -> None:
        summaries = list(gather_summaries(self.store))

        def factory(_path: Path, _passphrase: str) -> Generator[Progress, None, SummaryPdfs]:
            return lay_out_all(summaries)

        job = Job(factory, self.store.path, "")
        self._run(
            job,
            "Print all summaries",
            f"Laying out {plural(len(summaries), 'case summary', 'case summaries')}…",
        )

    def analysis_report(self) -> None:
        analysis = analyse(self.store).to_json()
        template = self.store.template

        def factory(_path: Path, _passphrase: str) -> Generator[Progress, None, bytes]:
            yield Progress(0, 1, "Laying out the report")
            return build_report(analysis, template)

        self._run(
            Job(factory, self.store.path, ""),
            "Print analysis report",
            "Laying out the analysis report…",
        )

    def _run(self, job: Job, title: str, label: str) -> None:
        self.runner = JobRunner(self._parent, job, title, label)
        self.runner.finished.connect(self._generated)
        self.runner.failed.connect(self._fail)
        self.runner.cancelled.connect(self._cancelled)
        self.runner.start()

    @Slot(object)
    def _generated(self, result) -> None:
        if isinstance(result, SummaryPdfs):
            generated = Generated(
                "every case's summary",
                result.combined,
                result.pages,
                "all-summaries.pdf",
                result.parts,
            )
        else:
            generated = Generated(
                "the analysis report", result, _pages(result), "analysis-report.pdf"
            )
        self.offer(generated)

    @Slot()
    def _cancelled(self) -> None:
        self.done.emit("cancelled")

    @Slot(str)
    def _fail(self, message: str) -> None:
        QMessageBox.warning(self._parent, "Nothing printed", message)
        self.done.emit(message)

    # printing or saving ----------------------------------------------------------------

    def offer(self, generated: Generated) -> None:
        self.generated = generated
        printer = a4_printer()
        choice = PrintOrSave.ask(self._parent, printer, generated.title, generated.pages)
        if choice == "print":
            self.printing = print_with_progress(
                self._parent, generated.data, printer, generated.title
            )
            self.printing.finished.connect(self._printed)
            self.printing.failed.connect(self._fail)
            self.printing.cancelled.connect(self._cancelled)
        elif choice == "save":
            self.save(generated)
        else:
            self.done.emit("cancelled")

    def save(self, generated: Generated) -> None:
        folder = self.store.path.parent
        try:
            if generated.parts:
                target = SaveTarget.ask_folder(self._parent, generated.title, folder)
                if target is None:
                    self.done.emit("cancelled")
                    return
                pdfs = SummaryPdfs(generated.data, generated.pages, generated.parts)
                result = write_summary_files(pdfs, target)
                files = plural(len(result.files), "case file")
                where = f"{files} and {result.combined.name} in {target}"
            else:
                target = SaveTarget.ask_file(
                    self._parent, generated.title, folder / generated.file_name
                )
                if target is None:
                    self.done.emit("cancelled")
                    return
                write_file(target, generated.data)
                where = str(target)
        except CaseReaderError as e:
            self._fail(str(e))
            return
        QMessageBox.information(self._parent, "Saved", f"Saved {generated.title}: {where}.")
        self.done.emit("saved")

    @Slot(int)
    def _printed(self, pages: int) -> None:
        self.done.emit("printed")


class ChooseReview:
    """Which of a case's management reviews the concern form is for."""

    @classmethod
    def ask(cls, parent: QWidget, case_ref: str, on_case) -> str | None:
        labels = [
            f"{FLAG_CATEGORY_LABELS.get(f.category, f.category)} — "
            f"{FLAG_STATUS_LABELS.get(f.status, f.status)}, raised {f.raised_at[:10]} "
            f"by {f.raised_by} ({f.flag_id[:8]})"
            for f in on_case
        ]
        label, ok = QInputDialog.getItem(
            parent,
            "Print concern form",
            f"{case_ref} has {plural(len(on_case), 'management review')}. Which one?",
            labels,
            0,
            False,
        )
        return on_case[labels.index(label)].flag_id if ok and label in labels else None


def _pages(data: bytes) -> int:
    """The page count of a generated PDF."""
    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()
