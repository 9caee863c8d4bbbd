"""Management review: the red banner, raising a review, moving it forward, and its history."""

from datetime import datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from casereader.domain.identifiers import find_identifiers
from casereader.errors import CaseReaderError
from casereader.store import completion, flags
from casereader.store.models import (
    FLAG_CATEGORY_LABELS,
    FLAG_STATUS_LABELS,
    FLAG_STATUS_ORDER,
    Flag,
)
from casereader.store.store import Store
from casereader.ui.grading.notes import warning_lines

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


def day_text(stamp: str) -> str:
    """'21 Nov 2026' for a stored UTC timestamp, in the reader's local time."""
    moment = datetime.fromisoformat(stamp).astimezone()
    return f"{moment.day} {moment:%b %Y}"


def moment_text(stamp: str) -> str:
    """'21 Nov 2026 14:02' for a stored UTC timestamp, in the reader's local time."""
    moment = datetime.fromisoformat(stamp).astimezone()
    return f"{moment.day} {moment:%b %Y %H:%M}"


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """Tell the reader why something was not done (replaced in tests)."""
    QMessageBox.warning(parent, title, message)


def summary(flag: Flag) -> str:
    """'Immediate risk to a child — Raised' for the banner and dialogs."""
    return f"{FLAG_CATEGORY_LABELS[flag.category]} — {FLAG_STATUS_LABELS[flag.status]}"


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
        while self._rows.count():
            widget = self._rows.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for flag in self._flags:
            self._rows.addWidget(self._row(flag))
        self.setVisible(bool(self._flags))

    def flags(self) -> list[Flag]:
        return list(self._flags)

    def _row(self, flag: Flag) -> QWidget:
        row = QWidget(self)
        title = QLabel(f"Management review: {summary(flag)}", row)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
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


class ReviewHistoryList(QListWidget):
    """Each step of a review: when, what, who and the note."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Management review history")
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)

    def set_flag(self, flag: Flag) -> None:
        self.clear()
        for event in flag.history:
            text = f"{moment_text(event.at)} · {FLAG_STATUS_LABELS[event.status]} · {event.actor}"
            if event.note:
                text += f"\n{event.note}"
            self.addItem(text)


def _radio_group(parent: QWidget, choices: dict[str, str], layout: QVBoxLayout) -> QButtonGroup:
    group = QButtonGroup(parent)
    for value, label in choices.items():
        radio = QRadioButton(label, parent)
        radio.setAccessibleName(label)
        radio.setProperty("value", value)
        group.addButton(radio)
        layout.addWidget(radio)
    return group


def _checked(group: QButtonGroup) -> str:
    button = group.checkedButton()
    return button.property("value") if button is not None else ""


def _check(group: QButtonGroup, value: str) -> None:
    for button in group.buttons():
        button.setChecked(button.property("value") == value)


class RaiseReviewDialog(QDialog):
    """Category and description of a new management review; OK only when both are given."""

    def __init__(
        self,
        parent: QWidget | None,
        case_ref: str,
        names: tuple[str, ...] = (),
        category: str = "",
        description: str = "",
    ):
        super().__init__(parent)
        self._names = tuple(names)
        self.setWindowTitle(f"Raise a management review — {case_ref}")
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(480)
        intro = QLabel(
            f"Raise this when something in {case_ref}'s records needs the attention of the "
            "inspection's managers. The case will show a red banner and the review goes into "
            "every export.",
            self,
        )
        intro.setWordWrap(True)
        category_label = QLabel("Reason", self)
        categories = QVBoxLayout()
        self.category = _radio_group(self, FLAG_CATEGORY_LABELS, categories)
        _check(self.category, category)
        self.description = QPlainTextEdit(self)
        self.description.setTabChangesFocus(True)
        self.description.setAccessibleName("Description of the concern")
        self.description.setPlaceholderText(
            "What in the records gives rise to the concern, and where (document and page)?"
        )
        self.description.setPlainText(description)
        description_label = QLabel("&Description (required)", self)
        description_label.setBuddy(self.description)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Notes check")
        self.warning.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Raise management review")
        self.ok.setAccessibleName("Raise management review")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(category_label)
        layout.addLayout(categories)
        layout.addWidget(description_label)
        layout.addWidget(self.description, 1)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.category.buttonToggled.connect(self._update)
        self.description.textChanged.connect(self._update)
        self._update()

    def values(self) -> tuple[str, str]:
        """(category id, description) as entered."""
        return _checked(self.category), self.description.toPlainText().strip()

    @Slot()
    def _update(self) -> None:
        category, description = self.values()
        self.ok.setEnabled(bool(category and description))
        lines = warning_lines(find_identifiers(description, self._names))
        self.warning.setText("\n".join(f"⚠ {line} — records are pseudonymous" for line in lines))
        self.warning.setVisible(bool(lines))

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        case_ref: str,
        names: tuple[str, ...] = (),
        category: str = "",
        description: str = "",
    ) -> tuple[str, str] | None:
        """(category, description), or None if the reader cancelled."""
        dialog = cls(parent, case_ref, names, category, description)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.values()


class AdvanceReviewDialog(QDialog):
    """The next step of a review (forward only), who took it and a note (required to close)."""

    def __init__(
        self,
        parent: QWidget | None,
        flag: Flag,
        who: str = "",
        status: str = "",
        note: str = "",
    ):
        super().__init__(parent)
        self.setWindowTitle(f"Update the management review — {flag.case_ref}")
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(520)
        heading = QLabel(summary(flag), self)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        raised = QLabel(f"Raised by {flag.raised_by} on {day_text(flag.raised_at)}", self)
        self.history = ReviewHistoryList(self)
        self.history.set_flag(flag)
        self.history.setMaximumHeight(140)
        later = FLAG_STATUS_ORDER[FLAG_STATUS_ORDER.index(flag.status) + 1 :]
        steps = QVBoxLayout()
        self.status = _radio_group(self, {s: FLAG_STATUS_LABELS[s] for s in later}, steps)
        _check(self.status, status or (later[0] if later else ""))
        self.who = QLineEdit(who or flag.reader_id, self)
        self.who.setAccessibleName("Who took this step")
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setAccessibleName("Note on this step")
        self.note.setPlainText(note)
        self.note_label = QLabel("Note", self)
        self.note_label.setBuddy(self.note)
        form = QFormLayout()
        form.addRow("Next step", steps)
        form.addRow("&Who", self.who)
        form.addRow(self.note_label, self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Record step")
        self.ok.setAccessibleName("Record step")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(raised)
        layout.addWidget(QLabel("History", self))
        layout.addWidget(self.history)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.status.buttonToggled.connect(self._update)
        self.who.textChanged.connect(self._update)
        self.note.textChanged.connect(self._update)
        self._update()

    def values(self) -> tuple[str, str, str]:
        """(status, note, who) as entered."""
        return _checked(self.status), self.note.toPlainText().strip(), self.who.text().strip()

    @Slot()
    def _update(self) -> None:
        status, note, who = self.values()
        closing = status == "closed"
        self.note_label.setText("&Note (required to close)" if closing else "&Note")
        self.ok.setEnabled(bool(status and who and (note or not closing)))

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        flag: Flag,
        who: str = "",
        status: str = "",
        note: str = "",
    ) -> tuple[str, str, str] | None:
        """(status, note, who), or None if the reader cancelled."""
        dialog = cls(parent, flag, who, status, note)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.values()


def raise_review(parent: QWidget | None, store: Store, case_ref: str) -> Flag | None:
    """Ask for a category and description and raise the review; None if cancelled."""
    names = tuple(completion.identifier_names(store))
    category, description = "", ""
    while True:
        answer = RaiseReviewDialog.ask(parent, case_ref, names, category, description)
        if answer is None:
            return None
        category, description = answer
        try:
            return flags.raise_flag(store, case_ref, category, description)
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
    status, note, who = "", "", store.reader_id
    while True:
        answer = AdvanceReviewDialog.ask(parent, flag, who, status, note)
        if answer is None:
            return None
        status, note, who = answer
        try:
            return flags.advance_flag(store, flag.flag_id, status, note, who)
        except CaseReaderError as error:
            show_error(parent, "Management review not updated", str(error))
