"""Evidence notes: debounced autosave, the "required" mark, the notes check and citation chips."""

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFocusEvent, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from casereader.domain.identifiers import Finding, find_identifiers
from casereader.store.models import EvidenceLink
from casereader.ui.plain import plain_tooltip

TYPING_PAUSE_MS = 600
# Differs from any text, so a note whose save failed is committed again at the next chance.
_NOTHING_COMMITTED = "\x00not saved"


class DebouncedText(QPlainTextEdit):
    """A plain text edit that commits its text after a pause in typing and on focus-out."""

    committed = Signal(str)
    focused = Signal()

    def __init__(self, parent: QWidget | None = None, lines: int = 4):
        super().__init__(parent)
        self._committed_text = ""
        # Tab must move to the next control, or the keyboard-only flow gets stuck in a note.
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        height = self.fontMetrics().lineSpacing() * lines + 14
        self.setFixedHeight(height)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.flush)
        self.textChanged.connect(self._typed)

    def set_committed_text(self, text: str) -> None:
        """Show text already saved, without committing it again."""
        self._timer.stop()
        self.blockSignals(True)
        self.setPlainText(text)
        self.blockSignals(False)
        self._committed_text = text

    def is_pending(self) -> bool:
        """Whether typed text is waiting for the pause to be saved."""
        return self.toPlainText() != self._committed_text

    @Slot()
    def _typed(self) -> None:
        self._timer.start()

    @Slot()
    def flush(self) -> None:
        """Commit now if the text differs from what was last committed."""
        self._timer.stop()
        text = self.toPlainText()
        if text != self._committed_text:
            self._committed_text = text
            self.committed.emit(text)

    def mark_uncommitted(self) -> None:
        """The last commit failed: keep the text and try again on the next pause or focus-out."""
        self._committed_text = _NOTHING_COMMITTED

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        self.focused.emit()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        self.flush()
        super().focusOutEvent(event)


def warning_lines(findings: list[Finding]) -> list[str]:
    """One line per distinct finding, e.g. "looks like a CHI number: 1503121234"."""
    lines: list[str] = []
    for finding in findings:
        line = f"{finding.message}: {finding.text}"
        if line not in lines:
            lines.append(line)
    return lines


class ElidedButton(QPushButton):
    """A push button whose text is shortened at its end ("Police IRD rec…") when there is no room.

    Its size hint stays that of the whole text, so it grows back when room is given.
    """

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self._full_text = text
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("[…]") + 12)

    def full_text(self) -> str:
        return self._full_text

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        missing = metrics.horizontalAdvance(self._full_text) - metrics.horizontalAdvance(
            self.text()
        )
        return QSize(hint.width() + max(missing, 0), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.minimumWidth(), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        metrics = self.fontMetrics()
        room = self.width() - (super().sizeHint().width() - metrics.horizontalAdvance(self.text()))
        shown = metrics.elidedText(self._full_text, Qt.TextElideMode.ElideRight, max(room, 0))
        if shown != self.text():
            self.setText(shown)


class CitationChip(QWidget):
    """ "[Police concern report, p. 3]" as a link-like button, with a remove button."""

    activated = Signal(object)  # EvidenceLink
    remove_requested = Signal(object)  # EvidenceLink

    def __init__(self, link: EvidenceLink, parent: QWidget | None = None):
        super().__init__(parent)
        self.link = link
        text = f"[{link.label}]"
        self.open_button = ElidedButton(text, self)
        self.open_button.setObjectName("citation")
        # Enter opens the citation too, not only Space (autoDefault is off outside dialogs).
        self.open_button.setAutoDefault(True)
        self.open_button.setFlat(True)
        self.open_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.open_button.setStyleSheet(
            "QPushButton#citation { color: palette(link); text-decoration: underline;"
            " border: none; padding: 1px 2px; text-align: left; }"
            "QPushButton#citation:focus { border: 1px solid palette(highlight); }"
        )
        self.open_button.setAccessibleName(f"Open evidence {link.label}")
        self.open_button.setToolTip(plain_tooltip(f"Open {text} in the viewer"))
        self.open_button.clicked.connect(self._open)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("×")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setAccessibleName(f"Remove evidence link {link.label}")
        self.remove_button.setToolTip("Remove this evidence link")
        self.remove_button.clicked.connect(self._remove)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.open_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)

    @Slot()
    def _open(self) -> None:
        self.activated.emit(self.link)

    @Slot()
    def _remove(self) -> None:
        self.remove_requested.emit(self.link)


class NoteEditor(QWidget):
    """An item's evidence note with its label, notes-check warning and citations."""

    committed = Signal(str)
    focused = Signal()
    link_activated = Signal(object)  # EvidenceLink
    link_remove_requested = Signal(object)  # EvidenceLink

    def __init__(self, item_label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._item_label = item_label
        self._names: tuple[str, ...] = ()
        self.label = QLabel("Evidence note", self)
        self.edit = DebouncedText(self)
        self.edit.setAccessibleName(f"Evidence note for {item_label}")
        self.edit.setPlaceholderText("What in the records supports this answer?")
        self.label.setBuddy(self.edit)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setObjectName("notesCheck")
        font = self.warning.font()
        font.setBold(True)
        self.warning.setFont(font)
        self.warning.setAccessibleName(f"Notes check for {item_label}")
        self.warning.hide()
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setAccessibleName(f"Saving problem for the note on {item_label}")
        self.error.hide()
        self._chips = QWidget(self)
        self._chip_layout = QVBoxLayout(self._chips)
        self._chip_layout.setContentsMargins(0, 0, 0, 0)
        self._chip_layout.setSpacing(0)
        self._chips.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        for widget in (self.label, self.edit, self.warning, self.error, self._chips):
            layout.addWidget(widget)
        self.edit.committed.connect(self._committed)
        self.edit.focused.connect(self.focused)
        self.edit.textChanged.connect(self._restart_check)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(TYPING_PAUSE_MS)
        self._check_timer.timeout.connect(self.run_check)
        self._required = False
        self._links: list[EvidenceLink] = []
        self._chip_widgets: list[CitationChip] = []

    # --- state ----------------------------------------------------------------------------

    def set_names(self, names: tuple[str, ...]) -> None:
        """The coordinator's list of names the notes check looks for."""
        self._names = names

    def set_text(self, text: str) -> None:
        """Show a saved note (no save) and check it."""
        self.edit.set_committed_text(text)
        self.show_error("")
        self.run_check()

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_required(self, required: bool) -> None:
        """Mark the note as required by the current answer."""
        self._required = required
        text = "Evidence note — required for this answer" if required else "Evidence note"
        self.label.setText(text)
        font = self.label.font()
        font.setBold(required)
        self.label.setFont(font)
        needed = "required" if required else "optional"
        self.edit.setAccessibleDescription(f"Evidence note, {needed} for the current answer")

    def is_required(self) -> bool:
        return self._required

    def has_content(self) -> bool:
        """Whether the note holds text or citations (so it must stay visible)."""
        return bool(self.edit.toPlainText().strip()) or bool(self._links)

    def show_error(self, message: str) -> None:
        """Show why the note could not be saved; the text stays as typed."""
        self.error.setText(f"Not saved: {message}" if message else "")
        self.error.setVisible(bool(message))
        if message:
            self.edit.mark_uncommitted()

    @Slot()
    def _committed(self, text: str) -> None:
        self.run_check()
        self.committed.emit(text)

    @Slot()
    def _restart_check(self) -> None:
        self._check_timer.start()

    @Slot()
    def run_check(self) -> None:
        """The notes check on the note as it stands: warn about likely identifiers."""
        self._check_timer.stop()
        lines = warning_lines(find_identifiers(self.edit.toPlainText(), self._names))
        text = "\n".join(f"⚠ {line} — records are pseudonymous" for line in lines)
        self.warning.setText(text)
        self.warning.setVisible(bool(lines))
        self.warning.setAccessibleDescription(text)

    def warnings(self) -> list[str]:
        """The notes-check lines currently shown (for tests and the completion dialog)."""
        return [] if self.warning.isHidden() else self.warning.text().splitlines()

    # --- citations ------------------------------------------------------------------------

    def set_links(self, links: list[EvidenceLink]) -> None:
        """Show the item's evidence links as chips."""
        self._links = list(links)
        while self._chip_layout.count():
            widget = self._chip_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for link in self._links:
            chip = CitationChip(link, self._chips)
            chip.activated.connect(self.link_activated)
            chip.remove_requested.connect(self.link_remove_requested)
            self._chip_layout.addWidget(chip)
        self._chip_widgets = [
            self._chip_layout.itemAt(i).widget() for i in range(self._chip_layout.count())
        ]
        self._chips.setVisible(bool(self._links))

    def links(self) -> list[EvidenceLink]:
        return list(self._links)

    def chips(self) -> list[CitationChip]:
        return list(self._chip_widgets)
