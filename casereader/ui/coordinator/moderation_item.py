"""One item under moderation: every reader's value, note and evidence links, and the decision.

Every text that came from a reader's bundle (ids, values, notes, link labels) is shown as plain
text; the moderator's own rationale is typed into a plain-text field.
"""

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from casereader.ui.coordinator.moderation_models import ValueText, state_label
from casereader.ui.coordinator.widgets import plain_label


def link_text(link) -> str:
    page = f", page {link.page}" if link.page else ""
    return f"{link.label or 'Cited document'}{page}"


class ReadingBox(QFrame):
    """One reader's answer to the item: value, note and evidence links (buttons)."""

    link_clicked = Signal(str, int)  # document sha256, page

    def __init__(self, letter: str, reading, show: ValueText, item_key: str, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        who = f"Reader {letter} ({reading.reader_id})"
        self.setAccessibleName(who)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        value = show(item_key, reading.value) or "Not answered"
        heading = plain_label(f"{who}: {value}", f"{who}'s answer: {value}")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        if reading.agreed_value is not None and reading.agreed_value != reading.value:
            agreed = show(item_key, reading.agreed_value)
            layout.addWidget(
                plain_label(f"Agreed with the paired inspector: {agreed} (counted for this reader)")
            )
        note = reading.note.strip()
        layout.addWidget(plain_label(note or "No note.", f"{who}'s note: {note or 'none'}"))
        for link in reading.links:
            button = QPushButton(f"Open {link_text(link)}")
            button.setAccessibleName(f"Open the evidence {who} cited: {link_text(link)}")
            button.setFlat(True)
            button.setStyleSheet("text-align: left; text-decoration: underline;")
            button.clicked.connect(
                lambda _=False, s=link.document_sha256, p=link.page or 1: self.link_clicked.emit(
                    s, p
                )
            )
            layout.addWidget(button)


class ItemDecision(QWidget):
    """The selected item: the readings, what was decided before, and the moderator's decision.

    Emits ``decided(item_key, value, rationale)`` when "Record agreed value" is pressed and
    ``evidence_requested(document_sha256, page)`` when a cited page is asked for.
    """

    decided = Signal(str, str, str)
    evidence_requested = Signal(str, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.item = None
        self.title = plain_label("Choose an item to moderate.", "Item")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.state = plain_label("", "Item state")
        self._readings = QWidget()
        self._readings_layout = QVBoxLayout(self._readings)
        self._readings_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._readings)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.previous = plain_label("", "Earlier moderation")
        self.value_box = QComboBox()
        self.value_box.setAccessibleName("Agreed value")
        self.value_line = QLineEdit()
        self.value_line.setAccessibleName("Agreed value")
        self.value_line.setPlaceholderText("The agreed answer")
        self.rationale = QPlainTextEdit()
        self.rationale.setAccessibleName("Rationale")
        self.rationale.setPlaceholderText("Why this value: what the moderator and readers agreed")
        self.rationale.setTabChangesFocus(True)
        self.rationale.setMaximumHeight(80)
        self.record = QPushButton("&Record agreed value")
        self.record.setAccessibleName("Record the agreed value and rationale")
        self.record.setToolTip("Ctrl+Return in the rationale")
        self.record.clicked.connect(self._record)
        QShortcut(
            QKeySequence("Ctrl+Return"),
            self.rationale,
            self._record,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        value_row = QHBoxLayout()
        value_row.addWidget(self.value_box, 1)
        value_row.addWidget(self.value_line, 1)
        form = QFormLayout()
        value_label = QLabel("Agreed &value")
        value_label.setBuddy(self.value_box)
        form.addRow(value_label, value_row)
        rationale_label = QLabel("R&ationale")
        rationale_label.setBuddy(self.rationale)
        form.addRow(rationale_label, self.rationale)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.state)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.previous)
        layout.addLayout(form)
        layout.addWidget(self.record, 0, Qt.AlignmentFlag.AlignRight)
        self.set_item(None, None, lambda _k, v: v or "")

    def set_item(
        self,
        item,
        template_item,
        show: ValueText,
        choices: Callable[[str], list[tuple[str, str]]] | None = None,
    ) -> None:
        """Show one ItemComparison (None: nothing chosen)."""
        self.item = item
        while self._readings_layout.count():
            widget = self._readings_layout.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        enabled = item is not None and getattr(item, "compared", True)
        for widget in (self.value_box, self.value_line, self.rationale, self.record):
            widget.setEnabled(enabled)
        if item is None:
            self.title.setText("Choose an item to moderate.")
            self.state.clear()
            self.previous.clear()
            self.value_box.hide()
            self.value_line.hide()
            return
        self.title.setText(f"{item.stage_title} · {item.label}")
        self.title.setAccessibleName(f"Item: {item.stage_title}, {item.label}")
        self.state.setText(state_label(item.state))
        for n, reading in enumerate(item.readings):
            box = ReadingBox(chr(65 + n), reading, show, item.item_key)
            box.link_clicked.connect(self.evidence_requested)
            self._readings_layout.addWidget(box)
        self._readings_layout.addStretch(1)
        if not getattr(item, "compared", True):
            self.previous.setText("Free-text answers are shown side by side, not moderated.")
        elif item.moderated_value is not None:
            when = (item.moderated_at or "")[:16].replace("T", " ")
            self.previous.setText(
                f"Moderated: {show(item.item_key, item.moderated_value)} by "
                f"{item.moderator or 'the moderator'} {when}. Rationale: {item.rationale}"
            )
        else:
            self.previous.setText("Not moderated yet.")
        options = choices(item.item_key) if choices else []
        self.value_box.setVisible(bool(options))
        self.value_line.setVisible(not options)
        self.value_box.clear()
        for value, text in options:
            self.value_box.addItem(text, value)
        start = item.moderated_value or _common(item)
        if options:
            found = self.value_box.findData(start) if start is not None else -1
            self.value_box.setCurrentIndex(found)
        else:
            self.value_line.setText(start or "")
        self.rationale.setPlainText(item.rationale if item.moderated_value is not None else "")

    def value(self) -> str:
        if self.value_box.isVisible() or self.value_box.count():
            data = self.value_box.currentData()
            return data if isinstance(data, str) else ""
        return self.value_line.text().strip()

    @Slot()
    def _record(self) -> None:
        if self.item is not None and self.record.isEnabled():
            self.decided.emit(self.item.item_key, self.value(), self.rationale.toPlainText())

    def focus_decision(self) -> None:
        target = self.value_box if self.value_box.count() else self.value_line
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)


def _common(item) -> str | None:
    """The value every reader gave, if they gave the same one."""
    values = {v for v in item.effective_values.values()}
    return next(iter(values)) if len(values) == 1 else None
