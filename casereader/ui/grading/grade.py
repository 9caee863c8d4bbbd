"""Answer buttons, and the six-point grade editor: the reader's grade and the agreed grade.

``ButtonChoice`` is also the yes/no editor (items.py); a row of answer buttons is one keyboard stop.
"""

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QIcon,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from casereader.domain.template import Item, Scale
from casereader.domain.values import NA, UNABLE, display_value
from casereader.ui.grading.hover import HoverTracker
from casereader.ui.grading.reflow import ReflowGrid
from casereader.ui.style import field_edge_color

_CLEAR_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


def button_style(palette: QPalette) -> str:
    """The answer buttons' style sheet, in the palette's colours, with a border that shows."""
    role = QPalette.ColorRole
    # the palette's "mid" all but vanishes on a dark window: an edge with 3:1 against the window
    border = field_edge_color(palette)
    # written out, not palette(button): a style sheet's palette() roles are fixed when the
    # buttons are polished, so a live light/dark switch would leave built pages in the old colours
    button, button_text = palette.color(role.Button).name(), palette.color(role.ButtonText).name()
    highlight = palette.color(role.Highlight).name()
    highlighted_text = palette.color(role.HighlightedText).name()
    return (
        f"QPushButton {{ border: 1px solid {border.name()}; border-radius: 4px;"
        f" background: {button}; color: {button_text}; padding: 4px 8px;"
        " text-align: left; }"
        f"QPushButton:hover {{ border-color: {highlight}; }}"
        f"QPushButton:checked {{ background: {highlight}; color: {highlighted_text};"
        f" border-color: {highlight}; font-weight: bold; }}"
    )


@dataclass(frozen=True)
class ButtonOption:
    value: str
    text: str
    key: Qt.Key
    accessible: str
    icon: QIcon | None = None


class ButtonChoice(QWidget):
    """A row of answer buttons that is ONE keyboard stop: keys pick, Delete clears, arrows step.

    The buttons take no focus themselves, so Tab moves item by item instead of button by button;
    the whole row shows a highlight frame while it has focus. The row wraps onto more lines
    (up to ``columns`` buttons a line) when the panel is narrow; with ``fill`` the buttons share
    the width, otherwise they keep their natural width.
    """

    chosen = Signal(object)  # str | None
    hovered = Signal(object)  # str | None: the option under the mouse (see hover.py)

    def __init__(
        self,
        name: str,
        options: list[ButtonOption],
        columns: int,
        keys_hint: str,
        parent: QWidget | None = None,
        fill: bool = True,
    ):
        super().__init__(parent)
        self._name = name
        self._options = options
        self._keys_hint = keys_hint
        self._value: str | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(name)
        self._style_buttons()
        QApplication.instance().paletteChanged.connect(self._follow_palette)
        self.buttons: dict[str, QPushButton] = {}
        self.grid = ReflowGrid(self, columns, fill)
        self.grid.setContentsMargins(4, 4, 4, 4)
        policy = QSizePolicy.Policy.Preferred if fill else QSizePolicy.Policy.Maximum
        self.setSizePolicy(policy, QSizePolicy.Policy.Preferred)
        for option in options:
            button = QPushButton(option.text, self)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAccessibleName(option.accessible)
            button.setToolTip(option.accessible)
            if option.icon is not None:
                button.setIcon(option.icon)
            button.clicked.connect(self._clicked)
            self.buttons[option.value] = button
            self.grid.addWidget(button)
        self.hover = HoverTracker(self, self.buttons)
        self.hover.hovered.connect(self.hovered)
        self._describe()

    def value(self) -> str | None:
        return self._value

    def set_value(self, value: str | None) -> None:
        """Show a saved answer without emitting ``chosen``."""
        self._value = value if value in self.buttons else None
        for option_value, button in self.buttons.items():
            button.setChecked(option_value == self._value)
        self._describe()

    def focus_target(self) -> QWidget:
        return self

    def choose(self, value: str | None) -> None:
        """Pick an answer as the reader would (emits ``chosen`` if it changed)."""
        if value == self._value:
            self.set_value(value)
            return
        self.set_value(value)
        self.chosen.emit(self._value)

    def _text_of(self, value: str | None) -> str:
        for option in self._options:
            if option.value == value:
                return option.accessible
        return "not answered"

    def _describe(self) -> None:
        self.setAccessibleDescription(
            f"Current answer: {self._text_of(self._value)}. {self._keys_hint}"
        )

    @Slot()
    def _clicked(self) -> None:
        button = self.sender()
        value = next(v for v, b in self.buttons.items() if b is button)
        # clicking the chosen answer again clears it, the mouse's way of "Delete"
        self.choose(None if value == self._value else value)
        self.setFocus(Qt.FocusReason.MouseFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers == Qt.KeyboardModifier.NoModifier:
            key = event.key()
            for option in self._options:
                if option.key == key:
                    self.choose(option.value)
                    return
            if key in _CLEAR_KEYS:
                self.choose(None)
                return
            if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
                self._step(-1 if key == Qt.Key.Key_Left else 1)
                return
        super().keyPressEvent(event)

    def _step(self, delta: int) -> None:
        values = [o.value for o in self._options]
        if self._value is None:
            index = 0 if delta > 0 else len(values) - 1
        else:
            index = max(0, min(len(values) - 1, values.index(self._value) + delta))
        self.choose(values[index])

    def _style_buttons(self) -> None:
        style = button_style(QApplication.palette())
        if style != self.styleSheet():  # setting it sends a change event of its own
            self.setStyleSheet(style)

    @Slot(QPalette)
    def _follow_palette(self, palette: QPalette) -> None:
        # a widget with a style sheet keeps the palette it was polished with and gets no
        # palette-change event of its own, so the application's signal is what tells it
        self._style_buttons()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 5, 5)


def swatch(colour: str) -> QIcon:
    """A small square of a scale point's colour (template data, so it reads in either palette)."""
    pixmap = QPixmap(10, 10)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


_DIGIT_KEYS = {
    1: Qt.Key.Key_1,
    2: Qt.Key.Key_2,
    3: Qt.Key.Key_3,
    4: Qt.Key.Key_4,
    5: Qt.Key.Key_5,
    6: Qt.Key.Key_6,
}
KEYS_HINT = "Keys: 1 to 6 grade, N not applicable, U unable to evaluate, Delete clears."


def grade_options(scale: Scale, compact: bool) -> list[ButtonOption]:
    """The eight answers of a grade item, in key order: 1–6, not applicable, unable."""
    options = []
    for grade in range(1, 7):
        point = scale.point(grade)
        text = str(grade) if compact else f"{grade}  {point.label}"
        options.append(
            ButtonOption(
                str(grade),
                text,
                _DIGIT_KEYS[grade],
                f"{grade} – {point.label}",
                None if compact else swatch(point.colour),
            )
        )
    options.append(ButtonOption(NA, "N/A", Qt.Key.Key_N, scale.not_applicable))
    options.append(ButtonOption(UNABLE, "Unable", Qt.Key.Key_U, scale.unable))
    return options


class GradeEditor(QWidget):
    """Six grade buttons plus N/A and Unable, the descriptor of the chosen or hovered grade,
    and a compact row for the grade agreed with the paired inspector (same keys)."""

    chosen = Signal(object)  # "1".."6" | "na" | "unable" | None
    agreed_chosen = Signal(object)

    def __init__(self, item: Item, scale: Scale, parent: QWidget | None = None):
        super().__init__(parent)
        self._item = item
        self._scale = scale
        self.grade = ButtonChoice(f"{item.label}: grade", grade_options(scale, False), 3, KEYS_HINT)
        self.descriptor = QLabel(self)
        self.descriptor.setWordWrap(True)
        self.descriptor.setAccessibleName(f"Meaning of the grade for {item.label}")
        self.descriptor.setMinimumHeight(self.descriptor.fontMetrics().lineSpacing() * 2)
        self.agreed = ButtonChoice(
            f"{item.label}: grade agreed with the paired inspector",
            grade_options(scale, True),
            8,
            KEYS_HINT,
            fill=False,
        )
        self.agreed_label = QLabel("Agreed with paired inspector:", self)
        self.agreed_label.setBuddy(self.agreed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.grade)
        layout.addWidget(self.descriptor)
        layout.addSpacing(4)
        # the label sits beside the buttons, or above them when the panel is narrow
        self.agreed_row = ReflowGrid(None, 2, fill=False)
        self.agreed_row.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.agreed_row)
        self.agreed_row.addWidget(self.agreed_label)
        self.agreed_row.addWidget(self.agreed)
        self.grade.chosen.connect(self._grade_chosen)
        self.grade.hovered.connect(self._show_descriptor)
        self.agreed.chosen.connect(self._agreed_chosen)
        self._show_descriptor(None)

    def set_value(self, value: str | None) -> None:
        """Show the reader's saved grade without emitting."""
        self.grade.set_value(value)
        self._show_descriptor(None)

    def set_agreed(self, value: str | None) -> None:
        """Show the saved agreed grade without emitting."""
        self.agreed.set_value(value)

    def value(self) -> str | None:
        return self.grade.value()

    def agreed_value(self) -> str | None:
        return self.agreed.value()

    def focus_target(self) -> QWidget:
        return self.grade

    def hover_value(self) -> str | None:
        """The grade the mouse is over (its descriptor is shown), or None."""
        return self.grade.hover.value()

    def descriptor_for(self, value: str | None) -> str:
        """'3 – Adequate: Strengths just outweigh weaknesses' for a grade value."""
        if value is None:
            return "Not graded yet. " + KEYS_HINT
        shown = display_value(self._item, value, self._scale)
        if value in (NA, UNABLE):
            return shown
        return f"{shown}: {self._scale.point(int(value)).descriptor}"

    @Slot(object)
    def _show_descriptor(self, hovered: str | None) -> None:
        self.descriptor.setText(self.descriptor_for(hovered or self.grade.value()))

    @Slot(object)
    def _grade_chosen(self, value: str | None) -> None:
        self._show_descriptor(None)
        self.chosen.emit(value)

    @Slot(object)
    def _agreed_chosen(self, value: str | None) -> None:
        self.agreed_chosen.emit(value)
