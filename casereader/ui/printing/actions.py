"""File → Print case summary…, Print all summaries…, Print analysis report…, Print concern
form… — the actions, when they are enabled, and what they start."""

from dataclasses import dataclass

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from casereader.errors import CaseReaderError
from casereader.store import flags


@dataclass
class PrintActions:
    case_summary: QAction
    all_summaries: QAction
    report: QAction
    concern: QAction


class Printing(QObject):
    """The print actions of a main window (which has `store` and `case_list`)."""

    def __init__(self, window, menu: QMenu):
        super().__init__(window)
        self.window = window
        self.flows: list = []  # the running flows, kept until they are done

        def add(text: str, slot, shortcut=None, tip: str = "") -> QAction:
            action = QAction(text, window)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.setStatusTip(tip)
            action.triggered.connect(slot)
            menu.addAction(action)
            window.addAction(action)
            return action

        self.actions = PrintActions(
            add(
                "Print case &summary…",
                self.print_case_summary,
                QKeySequence.StandardKey.Print,
                "Print the summary of the case shown (or save it as a PDF)",
            ),
            add(
                "Print &all summaries…",
                self.print_all_summaries,
                None,
                "Print every case's summary, or save them as PDFs (one per case and one file)",
            ),
            add(
                "Print analysis &report…",
                self.print_report,
                None,
                "Print the record-reading analysis report",
            ),
            add(
                "Print c&oncern form…",
                self.print_concern,
                None,
                "Print the concern form of the case's management review for the partnership",
            ),
        )
        menu.aboutToShow.connect(self.refresh)
        window.case_list.case_chosen.connect(self.refresh)
        self.refresh()

    def _case(self) -> str | None:
        return self.window.case_list.current_case() if self.window.store is not None else None

    def _has_review(self, case_ref: str | None) -> bool:
        return bool(case_ref and flags.list_flags(self.window.store, case_ref))

    @Slot()
    def refresh(self, *_args) -> None:
        """Enable what can be printed now."""
        has_store = self.window.store is not None
        case_ref = self._case()
        self.actions.case_summary.setEnabled(case_ref is not None)
        self.actions.all_summaries.setEnabled(has_store)
        self.actions.report.setEnabled(has_store)
        try:
            review = self._has_review(case_ref)
        except CaseReaderError:
            review = False
        self.actions.concern.setEnabled(review)

    def _flow(self):
        from casereader.ui.printing.flows import PrintFlow

        flow = PrintFlow(self.window, self.window.store)
        self.flows.append(flow)
        flow.done.connect(lambda _outcome, f=flow: self._forget(f))
        return flow

    def _forget(self, flow) -> None:
        if flow in self.flows:
            self.flows.remove(flow)

    def _start(self, start) -> None:
        try:
            start()
        except CaseReaderError as e:
            QMessageBox.warning(self.window, "Nothing printed", str(e))

    @Slot()
    def print_case_summary(self) -> None:
        case_ref = self._case()
        if case_ref is not None:
            self._start(lambda: self._flow().case_summary(case_ref))

    @Slot()
    def print_all_summaries(self) -> None:
        if self.window.store is not None:
            self._start(lambda: self._flow().all_summaries())

    @Slot()
    def print_report(self) -> None:
        if self.window.store is not None:
            self._start(lambda: self._flow().analysis_report())

    @Slot()
    def print_concern(self) -> None:
        case_ref = self._case()
        if case_ref is None:
            return
        if not self._has_review(case_ref):
            QMessageBox.information(
                self.window,
                "No management review",
                f"{case_ref} has no management review to print a concern "
                "form for. Raise one with Case → Management review….",
            )
            return
        self._start(lambda: self._flow().concern_form(case_ref))
