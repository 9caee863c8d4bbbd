"""Closed management reviews: kept in sight over the case, quietly, with each step they took."""

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casereader.store.models import FLAG_CATEGORY_LABELS, Flag
from casereader.ui.grading.review_dialogs import ReviewHistoryList, bold_label, replace_rows
from casereader.ui.grading.review_menu import SHORT_STATUS, short_day


def lifecycle_text(flag: Flag) -> str:
    """'Raised 1 Dec by R1 → Referred 3 Dec → Closed 5 Dec by Lead inspector': every step."""
    steps = []
    for n, event in enumerate(flag.history):
        step = f"{SHORT_STATUS[event.status]} {short_day(event.at)}"
        if n == 0 or event.status == "closed" or event.actor != flag.history[n - 1].actor:
            step += f" by {event.actor}"
        steps.append(step)
    return " → ".join(steps)


def closed_title(flag: Flag) -> str:
    return f"Management review closed: {FLAG_CATEGORY_LABELS[flag.category]}"


class ReviewHistoryDialog(QDialog):
    """The whole story of one review: what was raised, and each step with its note."""

    def __init__(self, parent: QWidget | None, flag: Flag):
        super().__init__(parent)
        self.setWindowTitle(f"Management review — {flag.case_ref}")
        self.setAccessibleName("Management review history")
        concern = QLabel(f"{FLAG_CATEGORY_LABELS[flag.category]}\n\n{flag.description}")
        concern.setTextFormat(Qt.TextFormat.PlainText)
        concern.setWordWrap(True)
        concern.setAccessibleName("The concern raised")
        self.history = ReviewHistoryList(self)
        self.history.set_flag(flag)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(concern)
        layout.addWidget(self.history, 1)
        layout.addWidget(buttons)
        self.resize(520, 420)

    @classmethod
    def show_for(cls, parent: QWidget | None, flag: Flag) -> None:
        """Show the history (replaced in tests)."""
        cls(parent, flag).exec()


class ClosedReviews(QFrame):
    """One quiet line a closed review of the case (with its steps); hidden when none is closed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("closedReviews")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Closed management reviews")
        self._flags: list[Flag] = []
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(8, 4, 8, 4)
        self._rows.setSpacing(4)
        self.hide()

    def set_flags(self, flags_shown: list[Flag]) -> None:
        """Show the closed reviews among these flags (open ones are the red banner's)."""
        self._flags = [f for f in flags_shown if not f.is_open]
        replace_rows(self._rows, [self._row(flag) for flag in self._flags])
        self.setVisible(bool(self._flags))

    def flags(self) -> list[Flag]:
        return list(self._flags)

    def row_texts(self) -> list[str]:
        """What each row says (title and steps), as the reader sees it."""
        return [f"{closed_title(f)} · {lifecycle_text(f)}" for f in self._flags]

    def _row(self, flag: Flag) -> QWidget:
        row = QWidget(self)
        title = bold_label(closed_title(flag), row)
        steps = QLabel(lifecycle_text(flag), row)
        steps.setWordWrap(True)
        closing = flag.history[-1].note if flag.history else ""
        tip = "\n".join(p for p in (flag.description, closing and f"Closed: {closing}") if p)
        for label in (title, steps):
            label.setAccessibleName(label.text())
            label.setToolTip(tip)
        button = QPushButton("History…", row)
        button.setAccessibleName(f"History of the closed management review: {flag.category}")
        button.setToolTip("Each step of this review, with who, when and the note")
        button.setProperty("flag_id", flag.flag_id)
        button.clicked.connect(self._history_clicked)
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(title)
        text.addWidget(steps)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(text, 1)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        return row

    @Slot()
    def _history_clicked(self) -> None:
        flag_id = self.sender().property("flag_id")
        flag = next((f for f in self._flags if f.flag_id == flag_id), None)
        if flag is not None:
            ReviewHistoryDialog.show_for(self, flag)
