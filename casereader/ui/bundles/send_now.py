"""Send now: one action that gets a management review to the lead inspector the same day.

It exports a bundle to the lead inspector's recipient (the one the reading pack brought, or the
one the reader was asked for once and which the store now remembers), into the folder of the
last export under a name no earlier bundle has, then says where the file is and suggests the
concern form. Every question is a dialog with an ``ask`` class method, so tests replace them.
"""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from casereader.bundle import keys
from casereader.bundle.export import (
    ExportResult,
    default_bundle_path,
    default_recipients,
    export_folder,
    remember_lead_recipient,
)
from casereader.errors import CaseReaderError
from casereader.store.models import FLAG_CATEGORY_LABELS, FLAG_STATUS_LABELS, CarriedReview
from casereader.store.store import Store
from casereader.ui.bundles import dialogs
from casereader.ui.bundles.export_dialogs import ExportRequest
from casereader.ui.bundles.export_flow import ExportFlow


def review_words(review: CarriedReview) -> str:
    """'SA-002: Immediate risk to a child (referred to the partnership)'."""
    status = FLAG_STATUS_LABELS[review.status].lower()
    return f"{review.case_ref}: {FLAG_CATEGORY_LABELS[review.category]} ({status})"


class SendNowOffer(QMessageBox):
    """Offered as soon as a review is raised or moves a step: Send now, or Later."""

    def __init__(self, parent: QWidget | None, reviews: list[CarriedReview]):
        super().__init__(parent)
        self.setWindowTitle("Send the management review")
        self.setAccessibleName("Send the management review now")
        risk = any(r.immediate_risk for r in reviews)
        self.setIcon(QMessageBox.Icon.Warning if risk else QMessageBox.Icon.Question)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(
            "This management review is on this computer only. Send it to the lead inspector now?"
            if len(reviews) == 1
            else f"{len(reviews)} management reviews are on this computer only. "
            "Send them to the lead inspector now?"
        )
        urgency = (
            "A child may be at risk: the lead inspector needs to know today.\n\n" if risk else ""
        )
        self.setInformativeText(
            urgency
            + "\n".join(review_words(r) for r in reviews[:6])
            + "\n\nSend now writes an encrypted bundle of your work for the lead inspector and "
            "tells you where it is, so you can hand it over."
        )
        self.send_button = self.addButton("Send now", QMessageBox.ButtonRole.AcceptRole)
        self.send_button.setAccessibleName("Send now")
        later = self.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        later.setAccessibleName("Later")
        self.setDefaultButton(self.send_button)
        self.setEscapeButton(later)

    @classmethod
    def ask(cls, parent: QWidget | None, reviews: list[CarriedReview]) -> bool:
        """True to send now."""
        dialog = cls(parent, reviews)
        dialog.exec()
        return dialog.clickedButton() is dialog.send_button


class RecipientDialog(QDialog):
    """The lead inspector's recipient (age1…), asked once when the store does not hold it."""

    def __init__(self, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle("The lead inspector's key")
        self.setAccessibleName("The lead inspector's recipient")
        intro = QLabel(
            "Bundles are locked so that only the lead inspector can open them. This store does "
            "not know the lead inspector's public key yet (a reading pack brings it). Paste the "
            "key the lead inspector gave you — it starts age1 — or read it from their file. "
            "It is remembered for every later bundle."
        )
        intro.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setPlaceholderText("age1…")
        self.field.setAccessibleName("Lead inspector's recipient")
        from_file = QPushButton("Read from file…")
        from_file.setAccessibleName("Read the recipient from a file")
        from_file.clicked.connect(self._read_file)
        self.error = dialogs.error_label()
        buttons = dialogs.ok_cancel_buttons("Remember and send", self._accept, self.reject)
        row = dialogs.path_row(self.field, from_file)
        dialogs.stack(self, intro, row, self.error, buttons)
        self.request: str | None = None

    @Slot()
    def _read_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Lead inspector's recipient", str(dialogs.default_folder())
        )
        if not path:
            return
        try:
            found = keys.read_recipients_file(Path(path))
        except CaseReaderError as exc:
            dialogs.show_error(self.error, str(exc))
            return
        self.field.setText(found[0] if found else "")

    @Slot()
    def _accept(self) -> None:
        text = self.field.text().strip()
        if not text:
            dialogs.show_error(self.error, "Paste the lead inspector's key (age1…).")
            return
        try:
            keys.parse_recipient(text)
        except CaseReaderError as exc:
            dialogs.show_error(self.error, str(exc))
            return
        self.request = text
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None) -> str | None:
        """The recipient given, checked; None if cancelled."""
        return dialogs.ask_request(cls(parent))


PRINT, CLOSE = "print", "close"


class SentDialog(QMessageBox):
    """Where the bundle was written, what it sends, and the concern form."""

    def __init__(self, parent: QWidget | None, result: ExportResult, can_print: bool):
        super().__init__(parent)
        self.setWindowTitle("Management review sent to a bundle")
        self.setAccessibleName("Bundle written")
        self.setIcon(QMessageBox.Icon.Information)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(
            f"Bundle {result.sequence} is written to:\n{result.path}\n\n"
            "Give this file to the lead inspector today, the way your inspection agreed "
            "(it is encrypted: only the lead inspector can open it)."
        )
        fresh = [review_words(r) for r in result.reviews if not r.sent]
        carried = "It sends:\n" + "\n".join(fresh) + "\n\n" if fresh else ""
        form = (
            "Fill in the concern form too: Print concern form… prints it for this case."
            if can_print
            else "If your inspection uses a paper concern form, fill it in as well and tell "
            "the lead inspector by phone."
        )
        self.setInformativeText(carried + form)
        self.print_button = self.addButton("Print concern form…", QMessageBox.ButtonRole.ActionRole)
        self.print_button.setEnabled(can_print)
        self.print_button.setVisible(can_print)
        close = self.addButton(QMessageBox.StandardButton.Close)
        self.setDefaultButton(close)
        self.setEscapeButton(close)

    @classmethod
    def ask(cls, parent: QWidget | None, result: ExportResult, can_print: bool) -> str:
        """PRINT to print the concern form, else CLOSE."""
        dialog = cls(parent, result, can_print)
        dialog.exec()
        return PRINT if can_print and dialog.clickedButton() is dialog.print_button else CLOSE


def send_now(
    parent: QWidget,
    store: Store,
    print_concern: Callable[[], None] | None = None,
    sent: Callable[[ExportResult], None] | None = None,
) -> ExportFlow | None:
    """Export the reader's bundle to the lead inspector at once; the flow, or None if stopped.

    `sent` is called as soon as the file is written (before the reader is told where it is);
    `print_concern`, when the app can print the concern form, is offered then.
    """
    if store.role != "reader":
        dialogs.warn(parent, "Not sent", "Bundles are sent from a reader's store.")
        return None
    recipients = default_recipients(store)
    if not recipients:
        recipient = RecipientDialog.ask(parent)
        if recipient is None:
            return None
        try:
            recipients = [remember_lead_recipient(store, recipient)]
        except CaseReaderError as exc:
            dialogs.warn(parent, "Not sent", str(exc))
            return None
    out = default_bundle_path(store, export_folder(store) or dialogs.default_folder())
    flow = ExportFlow(parent, store, ExportRequest(recipients, out), announce=False)

    def written(result: ExportResult) -> None:
        if sent is not None:
            sent(result)
        if SentDialog.ask(parent, result, print_concern is not None) == PRINT and print_concern:
            print_concern()

    flow.done.connect(written)
    return flow if flow.start() else None
