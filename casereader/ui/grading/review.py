"""Management review: the red banner over a case, and the flows that raise and move reviews on."""

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casereader.errors import CaseReaderError
from casereader.store import completion, drafts, flags
from casereader.store.models import Flag
from casereader.store.store import Store
from casereader.ui.grading.review_dialogs import (
    AdvanceReviewDialog,
    RaiseReviewDialog,
    ReviewHistoryList,
    bold_label,
    day_text,
    moment_text,
    replace_rows,
    summary,
)

# The one colour not taken from the palette: a management review must look the same, and
# alarming, in light and dark mode. White on this red passes WCAG AA (contrast about 6:1).
REVIEW_RED = "#b3261e"
BANNER_STYLE = f"""
QFrame#managementReview {{ background: {REVIEW_RED}; border-radius: 4px; }}
QFrame#managementReview QLabel {{ color: #ffffff; background: transparent; }}
QFrame#managementReview QPushButton {{
    color: #ffffff; background: transparent; border: 1px solid #ffffff;
    border-radius: 3px; padding: 3px 10px; }}
QFrame#managementReview QPushButton:hover {{ background: rgba(255, 255, 255, 40); }}
QFrame#managementReview QPushButton:focus {{ border: 2px solid #ffffff; }}
"""


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """Tell the reader why something was not done (replaced in tests)."""
    QMessageBox.warning(parent, title, message)


class ManagementReviewBanner(QFrame):
    """The red banner over a case with open management reviews; hidden when there are none.

    Given the store (``set_flags(flags, store)``), "Update…" runs the whole advance flow and
    emits ``flags_changed``; without it, it emits ``advance_requested(flag)`` for the caller.
    """

    advance_requested = Signal(object)  # Flag
    flags_changed = Signal(str)  # case_ref

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("managementReview")
        self.setStyleSheet(BANNER_STYLE)
        self.setAccessibleName("Management review")
        self._store: Store | None = None
        self._flags: list[Flag] = []
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(10, 6, 10, 6)
        self._rows.setSpacing(6)
        self.hide()

    def set_flags(self, flags_shown: list[Flag], store: Store | None = None) -> None:
        """Show the open reviews among these flags (closed ones are left out)."""
        self._store = store
        self._flags = [f for f in flags_shown if f.is_open]
        replace_rows(self._rows, [self._row(flag) for flag in self._flags])
        self.setVisible(bool(self._flags))

    def flags(self) -> list[Flag]:
        return list(self._flags)

    def _row(self, flag: Flag) -> QWidget:
        row = QWidget(self)
        title = bold_label(f"Management review: {summary(flag)}", row)
        raised = QLabel(f"Raised by {flag.raised_by} on {day_text(flag.raised_at)}", row)
        description = QLabel(flag.description, row)
        description.setWordWrap(True)
        description.setTextFormat(Qt.TextFormat.PlainText)
        for label in (title, raised, description):
            label.setAccessibleName(label.text())
        button = QPushButton("Update review…", row)
        button.setAccessibleName(f"Update the management review: {summary(flag)}")
        button.setToolTip("Record the next step: referred, response received or closed")
        button.setProperty("flag_id", flag.flag_id)
        button.clicked.connect(self._update_clicked)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(title, 1)
        top.addWidget(button)
        layout = QVBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(raised)
        layout.addWidget(description)
        return row

    @Slot()
    def _update_clicked(self) -> None:
        flag_id = self.sender().property("flag_id")
        flag = next((f for f in self._flags if f.flag_id == flag_id), None)
        if flag is not None:
            self.advance(flag)

    def advance(self, flag: Flag) -> None:
        """Run "Update review…" for one of the banner's reviews."""
        if self._store is None:
            self.advance_requested.emit(flag)
            return
        if advance_review(self, self._store, flag) is not None:
            self.set_flags(
                flags.list_flags(self._store, flag.case_ref, open_only=True), self._store
            )
            self.flags_changed.emit(flag.case_ref)


def raise_review(
    parent: QWidget | None, store: Store, case_ref: str, cite: Callable[[], str] | None = None
) -> Flag | None:
    """Ask for a category and description and raise the review; None if cancelled. With
    ``cite``, the page in the viewer can be cited into the description."""
    names = tuple(completion.identifier_names(store))
    draft = drafts.get_draft(store, case_ref, "review") or {}
    category, description = draft.get("category", ""), draft.get("description", "")

    def keep(body: dict) -> None:
        drafts.save_draft(store, case_ref, "review", "", body)

    while True:
        answer = RaiseReviewDialog.ask(
            parent, case_ref, names, category, description, keep=keep, cite=cite
        )
        if answer is None:
            return None
        category, description = answer
        try:
            flag = flags.raise_flag(store, case_ref, category, description)
            drafts.discard_draft(store, case_ref, "review")
            return flag
        except CaseReaderError as error:
            # ask again with what was typed, so a long description is never lost
            show_error(parent, "Management review not raised", str(error))


def advance_review(parent: QWidget | None, store: Store, flag: Flag) -> Flag | None:
    """Ask for the next step of a review and record it; None if cancelled or already closed."""
    try:
        flag = flags.get_flag(store, flag.flag_id)
    except CaseReaderError as error:
        show_error(parent, "Management review", str(error))
        return None
    if not flag.is_open:
        show_error(parent, "Management review", "This management review is already closed.")
        return None
    draft = drafts.get_draft(store, flag.case_ref, "review_step", flag.flag_id) or {}
    status, note = draft.get("status", ""), draft.get("note", "")
    who = draft.get("who") or store.reader_id

    def keep(body: dict) -> None:
        drafts.save_draft(store, flag.case_ref, "review_step", flag.flag_id, body)

    while True:
        answer = AdvanceReviewDialog.ask(parent, flag, who, status, note, keep=keep)
        if answer is None:
            return None
        status, note, who = answer
        try:
            advanced = flags.advance_flag(store, flag.flag_id, status, note, who)
            drafts.discard_draft(store, flag.case_ref, "review_step", flag.flag_id)
            return advanced
        except CaseReaderError as error:
            show_error(parent, "Management review not updated", str(error))


__all__ = [
    "REVIEW_RED",
    "AdvanceReviewDialog",
    "ManagementReviewBanner",
    "RaiseReviewDialog",
    "ReviewHistoryList",
    "advance_review",
    "day_text",
    "moment_text",
    "raise_review",
    "show_error",
    "summary",
]
