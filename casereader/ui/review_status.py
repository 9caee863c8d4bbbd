"""Management reviews not yet sent: the status bar's warning with its Send now button, and the
question asked before the app closes on an unsent review of immediate risk."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from casereader.store.models import FLAG_CATEGORY_LABELS, CarriedReview
from casereader.ui.style import review_text_color


def unsent_text(reviews: list[CarriedReview]) -> str:
    """'Management review not yet sent: SA-002' (the status bar's words)."""
    if not reviews:
        return ""
    refs = sorted({r.case_ref for r in reviews})
    shown = ", ".join(refs[:3]) + (f" and {len(refs) - 3} more" if len(refs) > 3 else "")
    if len(reviews) == 1:
        return f"Management review not yet sent: {shown}"
    return f"{len(reviews)} management reviews not yet sent: {shown}"


class UnsentIndicator(QWidget):
    """'Management review not yet sent: SA-002 [Send now]' in red; hidden when all are sent."""

    send_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAccessibleName("Management reviews not yet sent")
        self.button = QPushButton("Send now")
        self.button.setAccessibleName("Send now")
        self.button.setAccessibleDescription(
            "Export a bundle for the lead inspector now, with every management review"
        )
        self.button.setToolTip("Export a bundle for the lead inspector now (Ctrl+Shift+E)")
        self.button.clicked.connect(self.send_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self._reviews: list[CarriedReview] = []
        self.hide()

    def set_reviews(self, reviews: list[CarriedReview]) -> None:
        self._reviews = list(reviews)
        red = review_text_color().name()
        self.label.setStyleSheet(f"color: {red}; font-weight: bold;")
        self.label.setText(unsent_text(self._reviews))
        self.label.setToolTip(
            "\n".join(f"{r.case_ref}: {FLAG_CATEGORY_LABELS[r.category]}" for r in self._reviews)
        )
        self.setVisible(bool(self._reviews))

    def reviews(self) -> list[CarriedReview]:
        return list(self._reviews)


SEND, QUIT, STAY = "send", "quit", "stay"


class UnsentCloseQuestion(QMessageBox):
    """Asked before the app closes with a review of immediate risk not yet sent."""

    def __init__(self, parent: QWidget | None, reviews: list[CarriedReview]):
        super().__init__(parent)
        self.setWindowTitle("Management review not yet sent")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setTextFormat(Qt.TextFormat.PlainText)
        refs = ", ".join(sorted({r.case_ref for r in reviews}))
        self.setText(
            f"A management review of immediate risk to a child ({refs}) has not been sent to "
            "the lead inspector. Send it before you close?"
        )
        self.setInformativeText(
            "It stays safe in this store if you close, but the lead inspector will not know "
            "about it until you export a bundle."
        )
        self.send_button = self.addButton("Send now", QMessageBox.ButtonRole.AcceptRole)
        self.quit_button = self.addButton("Close without sending",
                                          QMessageBox.ButtonRole.DestructiveRole)  # fmt: skip
        stay = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.send_button)
        self.setEscapeButton(stay)

    @classmethod
    def ask(cls, parent: QWidget | None, reviews: list[CarriedReview]) -> str:
        """SEND, QUIT or STAY."""
        dialog = cls(parent, reviews)
        dialog.exec()
        clicked = dialog.clickedButton()
        if clicked is dialog.send_button:
            return SEND
        return QUIT if clicked is dialog.quit_button else STAY
