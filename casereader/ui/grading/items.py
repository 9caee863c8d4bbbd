"""One answer editor per template item kind, and the card that holds an item with its note.

Every editor has the same small surface: ``chosen(value)`` when the reader changes the answer
(the canonical stored value, or None to clear), ``set_value(value)`` to show a saved answer
without emitting, and ``focus_target()`` for jumping to the item.
"""

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from casereader.domain.template import Item
from casereader.domain.values import NA, UNABLE, note_required
from casereader.store.models import EvidenceLink
from casereader.ui.grading.grade import ButtonChoice, ButtonOption
from casereader.ui.grading.notes import TYPING_PAUSE_MS, DebouncedText, NoteEditor

RADIO_LIMIT = 6  # more options than this become a drop-down list


def yes_no_editor(item: Item) -> ButtonChoice:
    """Yes / No / N/A / Unable to determine, keys Y, N, A, U."""
    key = Qt.Key
    options = [
        ButtonOption("yes", "Yes", key.Key_Y, "Yes"),
        ButtonOption("no", "No", key.Key_N, "No"),
        ButtonOption(NA, "N/A", key.Key_A, "Not applicable"),
        ButtonOption(UNABLE, "Unable to determine", key.Key_U, "Unable to determine"),
    ]
    hint = "Keys: Y yes, N no, A not applicable, U unable to determine, Delete clears."
    return ButtonChoice(item.label, options, 4, hint)


class RadioChoice(QWidget):
    """One option of a few, as radio buttons (arrow keys move within the group)."""

    chosen = Signal(object)

    def __init__(self, item: Item, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(item.label)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.setSpacing(2)
        self.radios: dict[str, QRadioButton] = {}
        for option in item.options:
            radio = QRadioButton(option.label, self)
            radio.setAccessibleName(option.label)
            radio.setAccessibleDescription(item.label)
            self.group.addButton(radio)
            self.radios[option.id] = radio
            layout.addWidget(radio)
        self.group.buttonToggled.connect(self._toggled)

    def set_value(self, value: str | None) -> None:
        """Show a saved answer without emitting ``chosen``."""
        self.group.blockSignals(True)
        # an exclusive group cannot show "nothing chosen" unless exclusivity is lifted
        self.group.setExclusive(False)
        for option_id, radio in self.radios.items():
            radio.setChecked(option_id == value)
        self.group.setExclusive(True)
        self.group.blockSignals(False)

    def value(self) -> str | None:
        return next((v for v, r in self.radios.items() if r.isChecked()), None)

    def focus_target(self) -> QWidget:
        checked = self.group.checkedButton()
        return checked or next(iter(self.radios.values()))

    @Slot()
    def _toggled(self, button, checked: bool) -> None:
        if checked:
            self.chosen.emit(self.value())


class ComboChoice(QComboBox):
    """One option of many, as a drop-down list with "Not answered" first."""

    chosen = Signal(object)

    def __init__(self, item: Item, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(item.label)
        self.addItem("— Not answered —", None)
        for option in item.options:
            self.addItem(option.label, option.id)
        # long option labels must not widen the panel: the list opens as wide as it needs
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.setMaximumWidth(520)
        self.activated.connect(self._activated)

    def set_value(self, value: str | None) -> None:
        """Show a saved answer without emitting ``chosen``."""
        index = self.findData(value) if value is not None else 0
        self.setCurrentIndex(max(index, 0))

    def value(self) -> str | None:
        return self.currentData()

    def focus_target(self) -> QWidget:
        return self

    @Slot(int)
    def _activated(self, index: int) -> None:
        self.chosen.emit(self.itemData(index))


class MultiChoice(QWidget):
    """Any number of options, as check boxes; none ticked means unanswered."""

    chosen = Signal(object)

    def __init__(self, item: Item, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(item.label)
        self._item = item
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        columns = 2 if len(item.options) > 4 else 1
        rows = -(-len(item.options) // columns)
        self.boxes: dict[str, QCheckBox] = {}
        for n, option in enumerate(item.options):
            box = QCheckBox(option.label, self)
            box.setAccessibleName(option.label)
            box.setAccessibleDescription(item.label)
            box.toggled.connect(self._toggled)
            self.boxes[option.id] = box
            # fill down the first column first, so reading order and Tab order agree
            grid.addWidget(box, n % rows, n // rows)

    def set_value(self, value: str | None) -> None:
        """Show a saved answer without emitting ``chosen``."""
        ticked = set((value or "").split(";"))
        for option_id, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(option_id in ticked)
            box.blockSignals(False)

    def value(self) -> str | None:
        ticked = [o.id for o in self._item.options if self.boxes[o.id].isChecked()]
        return ";".join(ticked) or None

    def focus_target(self) -> QWidget:
        return next(iter(self.boxes.values()))

    @Slot()
    def _toggled(self) -> None:
        self.chosen.emit(self.value())


class DateEdit(QLineEdit):
    """A date typed as 2024-03-15 or 15/03/2024 (or a month, for month items); Enter saves."""

    chosen = Signal(object)

    def __init__(self, item: Item, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(item.label)
        if item.precision == "month":
            self.setPlaceholderText("Month, e.g. 2024-03 or 03/2024")
        else:
            self.setPlaceholderText("Date, e.g. 2024-03-15 or 15/03/2024")
        self.setAccessibleDescription(self.placeholderText())
        self.setMaximumWidth(260)
        self._saved: str | None = None
        self.editingFinished.connect(self._finished)

    def set_value(self, value: str | None) -> None:
        """Show a saved answer without emitting ``chosen``."""
        self._saved = value
        self.setText(value or "")

    def value(self) -> str | None:
        return self.text().strip() or None

    def focus_target(self) -> QWidget:
        return self

    def mark_saved(self, value: str | None) -> None:
        """The answer was stored as ``value``: show it in its canonical form."""
        self.set_value(value)

    def save_failed(self) -> None:
        """Keep the typed date; the next Enter or focus-out tries again."""

    @Slot()
    def _finished(self) -> None:
        if self.value() != self._saved:
            self.chosen.emit(self.value())


class NumberSpin(QWidget):
    """A number in a spin box; the value below the minimum means "not answered"."""

    chosen = Signal(object)

    def __init__(self, item: Item, parent: QWidget | None = None):
        super().__init__(parent)
        step = 1 if item.integer else 0.5
        low = item.min if item.min is not None else -1_000_000
        high = item.max if item.max is not None else 1_000_000
        if item.integer:
            self.spin: QSpinBox | QDoubleSpinBox = QSpinBox(self)
            self.spin.setRange(int(low) - 1, int(high))
        else:
            self.spin = QDoubleSpinBox(self)
            self.spin.setDecimals(2)
            self.spin.setRange(float(low) - step, float(high))
            self.spin.setSingleStep(step)
        self._unset = self.spin.minimum()
        self.spin.setSpecialValueText("Not answered")
        self.spin.setAccessibleName(item.label)
        self.spin.setAccessibleDescription("Up and Down change the number; the lowest is blank")
        self.spin.setMaximumWidth(160)
        self.setFocusProxy(self.spin)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin)
        self._saved: str | None = None
        # arrows and typing change the value many times; save after a pause, as notes do
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.flush)
        self.spin.valueChanged.connect(self._timer.start)
        self.spin.editingFinished.connect(self.flush)

    def set_value(self, value: str | None) -> None:
        """Show a saved answer without emitting ``chosen``."""
        self._timer.stop()
        self._saved = value
        self.spin.blockSignals(True)
        self.spin.setValue(float(value) if value is not None else self._unset)
        self.spin.blockSignals(False)

    def value(self) -> str | None:
        number = self.spin.value()
        if number == self._unset:
            return None
        return str(int(number)) if float(number).is_integer() else str(number)

    def focus_target(self) -> QWidget:
        return self.spin

    def mark_saved(self, value: str | None) -> None:
        """The answer was stored as ``value``."""
        self._saved = value

    def save_failed(self) -> None:
        """Keep the number; the next change or focus-out tries again."""

    @Slot()
    def flush(self) -> None:
        """Save now if the number changed."""
        self._timer.stop()
        if self.value() != self._saved:
            self.chosen.emit(self.value())


class TextAnswer(DebouncedText):
    """A free-text answer, saved after a pause in typing; blank means unanswered."""

    chosen = Signal(object)

    def __init__(self, item: Item, parent: QWidget | None = None):
        super().__init__(parent, lines=3)
        self.setAccessibleName(item.label)
        self.committed.connect(self._committed)

    def set_value(self, value: str | None) -> None:
        """Show a saved answer without emitting ``chosen``."""
        self.set_committed_text(value or "")

    def value(self) -> str | None:
        return self.toPlainText().strip() or None

    def focus_target(self) -> QWidget:
        return self

    def mark_saved(self, value: str | None) -> None:
        """The answer was stored (the typed text stays as it is)."""

    def save_failed(self) -> None:
        """Keep the typed text; the next pause or focus-out tries again."""
        self.mark_uncommitted()

    @Slot(str)
    def _committed(self, text: str) -> None:
        self.chosen.emit(text.strip() or None)


def make_editor(item: Item) -> QWidget:
    """The answer editor for a non-grade item kind (grades have their own, in grade.py)."""
    kind = item.kind
    if kind == "yes_no":
        return yes_no_editor(item)
    if kind == "choice":
        return RadioChoice(item) if len(item.options) <= RADIO_LIMIT else ComboChoice(item)
    if kind == "multi_choice":
        return MultiChoice(item)
    if kind == "date":
        return DateEdit(item)
    if kind == "number":
        return NumberSpin(item)
    if kind == "text":
        return TextAnswer(item)
    raise ValueError(f"no editor for item kind {kind!r}")


def caption(text: str, parent: QWidget, small: bool = False) -> QLabel:
    """A wrapped label; small ones use the palette's placeholder colour for quieter help text."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if small:
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        label.setFont(font)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class ItemCard(QFrame):
    """One template item: its label and help, its answer editor, errors and evidence note."""

    value_edited = Signal(str, object)  # item key, canonical value or None
    agreed_edited = Signal(str, object)
    note_edited = Signal(str, str)
    note_focused = Signal(str)
    link_activated = Signal(object)  # EvidenceLink
    link_remove_requested = Signal(object)

    def __init__(self, item: Item, editor: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.editor = editor
        self._value: str | None = None
        self.setObjectName(f"item:{item.key}")
        title = item.label if item.required else f"{item.label} (optional)"
        self.title = caption(title, self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setBuddy(self._focus_widget())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(3)
        layout.addWidget(self.title)
        if item.help:
            layout.addWidget(caption(item.help, self, small=True))
        layout.addWidget(editor)
        self.error = caption("", self)
        self.error.setAccessibleName(f"Saving problem for {item.label}")
        self.error.hide()
        layout.addWidget(self.error)
        self.note = NoteEditor(item.label, self)
        layout.addWidget(self.note)
        editor.chosen.connect(self._chosen)
        if hasattr(editor, "agreed_chosen"):
            editor.agreed_chosen.connect(self._agreed)
        self.note.committed.connect(self._note_committed)
        self.note.focused.connect(self._note_focused)
        self.note.link_activated.connect(self.link_activated)
        self.note.link_remove_requested.connect(self.link_remove_requested)
        self._refresh_note()

    def _focus_widget(self) -> QWidget:
        return self.editor.focus_target()

    def set_answer(self, value: str | None, agreed: str | None, note: str) -> None:
        """Show a saved answer (loading a case); nothing is saved."""
        self._value = value
        self.editor.set_value(value)
        if hasattr(self.editor, "set_agreed"):
            self.editor.set_agreed(agreed)
        self.note.set_text(note)
        self.show_error("")
        self._refresh_note()

    def apply_saved(self, value: str | None) -> None:
        """After a save: the stored value decides whether the note is required."""
        self._value = value
        self.show_error("")
        self._refresh_note()

    def value(self) -> str | None:
        return self._value

    def set_links(self, links: list[EvidenceLink]) -> None:
        self.note.set_links(links)
        self._refresh_note()

    def show_error(self, message: str) -> None:
        """Show why the answer was not saved; what the reader typed stays."""
        self.error.setText(f"Not saved: {message}" if message else "")
        self.error.setVisible(bool(message))

    def focus(self, note: bool = False) -> QWidget:
        """Give the keyboard to the answer editor (or the note) and return that widget."""
        if note:
            self.note.show()
        target = self.note.edit if note else self._focus_widget()
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return target

    def _refresh_note(self) -> None:
        required = note_required(self.item, self._value)
        self.note.set_required(required)
        shown = self.item.kind == "grade" or required or self.note.has_content()
        self.note.setVisible(shown)

    @Slot(object)
    def _chosen(self, value: str | None) -> None:
        self.value_edited.emit(self.item.key, value)

    @Slot(object)
    def _agreed(self, value: str | None) -> None:
        self.agreed_edited.emit(self.item.key, value)

    @Slot(str)
    def _note_committed(self, text: str) -> None:
        self.note_edited.emit(self.item.key, text)

    @Slot()
    def _note_focused(self) -> None:
        self.note_focused.emit(self.item.key)
