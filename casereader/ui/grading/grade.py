"""The six-point grade editor: the reader's grade and the grade agreed with the paired inspector."""

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from casereader.domain.template import Item, Scale
from casereader.domain.values import NA, UNABLE, display_value
from casereader.ui.grading.items import ButtonChoice, ButtonOption, caption, swatch

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
        self.descriptor = caption("", self)
        self.descriptor.setAccessibleName(f"Meaning of the grade for {item.label}")
        self.descriptor.setMinimumHeight(self.descriptor.fontMetrics().lineSpacing() * 2)
        self.agreed = ButtonChoice(
            f"{item.label}: grade agreed with the paired inspector",
            grade_options(scale, True),
            8,
            KEYS_HINT,
        )
        self.agreed_label = QLabel("Agreed with paired inspector:", self)
        self.agreed_label.setBuddy(self.agreed)
        agreed_row = QHBoxLayout()
        agreed_row.setContentsMargins(0, 0, 0, 0)
        agreed_row.addWidget(self.agreed_label)
        agreed_row.addWidget(self.agreed, 0)
        agreed_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.grade)
        layout.addWidget(self.descriptor)
        layout.addLayout(agreed_row)
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
