"""One answer editor per non-grade item kind (grades have theirs in grade.py).

Every editor has the same small surface: ``chosen(value)`` when the reader changes the answer
(the canonical stored value, or None to clear), ``set_value(value)`` to show a saved answer
without emitting, and ``focus_target()`` for jumping to the item.
"""

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from casereader.domain.template import Item, Scale
from casereader.domain.values import NA, UNABLE
from casereader.ui.grading.grade import ButtonChoice, ButtonOption
from casereader.ui.grading.notes import TYPING_PAUSE_MS, DebouncedText

RADIO_LIMIT = 6  # more options than this become a drop-down list


class OptionText(QLabel):
    """An option's words beside its radio button or check box, wrapping to the panel's width
    (a button's own text never wraps, and a long option was cut off in a narrow panel).
    Clicking the words clicks the button, as clicking a button's own text does."""

    def __init__(self, text: str, button: QAbstractButton):
        super().__init__(text)
        self.button = button
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumWidth(60)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton and self.button.isEnabled():
            self.button.click()
            self.button.setFocus(Qt.FocusReason.MouseFocusReason)
        event.accept()


def option_row(button: QAbstractButton, text: str, parent: QWidget) -> QWidget:
    """A button without text and its option's words beside it, named for screen readers."""
    button.setAccessibleName(text)
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
    layout.addWidget(OptionText(text, button), 1)
    return row


def yes_no_editor(item: Item, scale: Scale) -> ButtonChoice:
    """Yes / No / N/A / the scale's unable label, keys Y, N, A, U."""
    key = Qt.Key
    options = [
        ButtonOption("yes", "Yes", key.Key_Y, "Yes"),
        ButtonOption("no", "No", key.Key_N, "No"),
        ButtonOption(NA, "N/A", key.Key_A, scale.not_applicable),
        ButtonOption(UNABLE, scale.unable, key.Key_U, scale.unable),
    ]
    hint = (
        f"Keys: Y yes, N no, A {scale.not_applicable.lower()}, U {scale.unable.lower()}, "
        "Delete clears."
    )
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
            radio = QRadioButton(self)
            radio.setAccessibleDescription(item.label)
            self.group.addButton(radio)
            self.radios[option.id] = radio
            layout.addWidget(option_row(radio, option.label, self))
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
            box = QCheckBox(self)
            box.setAccessibleDescription(item.label)
            box.toggled.connect(self._toggled)
            self.boxes[option.id] = box
            # fill down the first column first, so reading order and Tab order agree
            grid.addWidget(option_row(box, option.label, self), n % rows, n // rows)

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


def make_editor(item: Item, scale: Scale) -> QWidget:
    """The answer editor for a non-grade item kind (grades have their own, in grade.py)."""
    kind = item.kind
    if kind == "yes_no":
        return yes_no_editor(item, scale)
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
