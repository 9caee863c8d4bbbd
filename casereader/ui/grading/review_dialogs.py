"""The dialogs of a management review: raising one, recording its next step, its history."""

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from casereader.domain.identifiers import find_identifiers
from casereader.store.models import (
    FLAG_CATEGORY_LABELS,
    FLAG_STATUS_LABELS,
    FLAG_STATUS_ORDER,
    Flag,
)
from casereader.ui.drafts import DraftKeeping
from casereader.ui.grading.notes import warning_lines


def day_text(stamp: str) -> str:
    """'21 Nov 2026' for a stored UTC timestamp, in the reader's local time."""
    moment = datetime.fromisoformat(stamp).astimezone()
    return f"{moment.day} {moment:%b %Y}"


def moment_text(stamp: str) -> str:
    """'21 Nov 2026 14:02' for a stored UTC timestamp, in the reader's local time."""
    moment = datetime.fromisoformat(stamp).astimezone()
    return f"{moment.day} {moment:%b %Y %H:%M}"


def summary(flag: Flag) -> str:
    """'Immediate risk to a child — Raised' for the banner and dialogs."""
    return f"{FLAG_CATEGORY_LABELS[flag.category]} — {FLAG_STATUS_LABELS[flag.status]}"


def replace_rows(layout: QVBoxLayout, rows: list[QWidget]) -> None:
    """Put these rows in the layout in place of the ones it held."""
    while layout.count():
        widget = layout.takeAt(0).widget()
        if widget is not None:
            widget.deleteLater()
    for row in rows:
        layout.addWidget(row)


def bold_label(text: str, parent: QWidget) -> QLabel:
    """A label in the bold of its font (a review's title)."""
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def raise_hint(category: str, description: str) -> str:
    """What a new review still needs before it can be raised ("" when nothing)."""
    if not category and not description:
        return "Choose a reason and describe the concern to raise it."
    if not category:
        return "Choose a reason to raise it."
    if not description:
        return "Describe the concern to raise it."
    return ""


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


def add_cite_button(dialog: QDialog, edit: QPlainTextEdit, cite: Callable[[], str] | None):
    """A "Cite the page in the viewer" button and Ctrl+Shift+C, inserting "[citation]" at the
    cursor of ``edit``; None without a viewer to cite from."""
    if cite is None:
        return None
    button = QPushButton("Cite the page in the viewer", dialog)
    button.setAccessibleName("Cite the page in the viewer")
    button.setToolTip("Insert the document and page on screen (Ctrl+Shift+C)")
    button.setAutoDefault(False)

    def insert() -> None:
        label = cite()
        if label:
            edit.insertPlainText(f"[{label}]")
            edit.setFocus()

    button.clicked.connect(insert)
    shortcut = QShortcut(QKeySequence("Ctrl+Shift+C"), dialog)
    shortcut.activated.connect(insert)
    button.setEnabled(bool(cite()))
    return button


def _ok_cancel(dialog: QDialog, ok_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setAccessibleName(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok


class RaiseReviewDialog(DraftKeeping, QDialog):
    """Category and description of a new management review; OK only when both are given.

    With ``keep``, what is typed is kept as a draft (see ui/drafts.py)."""

    draft_kind = "review"
    draft_what = "a description of the concern"

    def __init__(
        self,
        parent: QWidget | None,
        case_ref: str,
        names: tuple[str, ...] = (),
        category: str = "",
        description: str = "",
        keep: Callable[[dict], None] | None = None,
        cite: Callable[[], str] | None = None,
    ):
        super().__init__(parent)
        self.init_drafts(keep, case_ref)
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
        categories = QVBoxLayout()
        self.category = _radio_group(self, FLAG_CATEGORY_LABELS, categories)
        _check(self.category, category)
        category_label = QLabel("&Reason (required)", self)
        category_label.setBuddy(self.category.buttons()[0])
        self.description = QPlainTextEdit(self)
        self.description.setTabChangesFocus(True)
        self.description.setAccessibleName("Description of the concern")
        self.description.setPlaceholderText(
            "What in the records gives rise to the concern, and where (document and page)?"
        )
        self.description.setPlainText(description)
        description_label = QLabel("&Description (required)", self)
        description_label.setBuddy(self.description)
        # says why "Raise" is not available yet, so a disabled button is never a puzzle
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("What is still needed")
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Notes check")
        self.warning.hide()
        self.buttons, self.ok = _ok_cancel(self, "Raise management review")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(10)  # a paragraph gap: the intro is not the caption of "Reason"
        layout.addWidget(category_label)
        layout.addLayout(categories)
        layout.addWidget(description_label)
        layout.addWidget(self.description, 1)
        self.cite_button = add_cite_button(self, self.description, cite)
        if self.cite_button is not None:
            layout.addWidget(self.cite_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.hint)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.category.buttonToggled.connect(self._update)
        self.description.textChanged.connect(self._update)
        self.category.buttonToggled.connect(self.draft_typed)
        self.description.textChanged.connect(self.draft_typed)
        self._update()

    def values(self) -> tuple[str, str]:
        """(category id, description) as entered."""
        return _checked(self.category), self.description.toPlainText().strip()

    def draft(self) -> dict:
        category, description = self.values()
        return {"category": category, "description": description}

    def has_typed(self) -> bool:
        return bool(self.values()[1])

    @Slot()
    def _update(self) -> None:
        category, description = self.values()
        self.ok.setEnabled(bool(category and description))
        self.hint.setText(raise_hint(category, description))
        self.hint.setVisible(not self.ok.isEnabled())
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
        keep: Callable[[dict], None] | None = None,
        cite: Callable[[], str] | None = None,
    ) -> tuple[str, str] | None:
        """(category, description), or None if the reader cancelled (or the lock came)."""
        dialog = cls(parent, case_ref, names, category, description, keep, cite)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.values()


class AdvanceReviewDialog(DraftKeeping, QDialog):
    """The next step of a review (forward only), who took it and a note (required to close)."""

    draft_kind = "review_step"
    draft_what = "a note on this step"

    def __init__(
        self,
        parent: QWidget | None,
        flag: Flag,
        who: str = "",
        status: str = "",
        note: str = "",
        keep: Callable[[dict], None] | None = None,
    ):
        super().__init__(parent)
        self.init_drafts(keep, flag.case_ref, flag.flag_id)
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
        self.buttons, self.ok = _ok_cancel(self, "Record step")
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
        self.status.buttonToggled.connect(self.draft_typed)
        self.note.textChanged.connect(self.draft_typed)
        self._update()

    def values(self) -> tuple[str, str, str]:
        """(status, note, who) as entered."""
        return _checked(self.status), self.note.toPlainText().strip(), self.who.text().strip()

    def draft(self) -> dict:
        status, note, who = self.values()
        return {"status": status, "note": note, "who": who}

    def has_typed(self) -> bool:
        return bool(self.values()[1])

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
        keep: Callable[[dict], None] | None = None,
    ) -> tuple[str, str, str] | None:
        """(status, note, who), or None if the reader cancelled (or the lock came)."""
        dialog = cls(parent, flag, who, status, note, keep)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.values()
