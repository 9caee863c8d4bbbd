"""File → Idle lock time…: the minutes before the lock (at least one); for a coordinator store
only, "never", chosen deliberately and confirmed."""

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from casereader.ui.prefs import MIN_LOCK_MINUTES, Prefs

MAX_LOCK_MINUTES = 240
NEVER_QUESTION = (
    "Never lock this coordinator store's window?\n\nAnyone at this computer while you are away "
    "could read every case and every management review. Choose this only on a computer that "
    "locks itself when you leave it."
)


def confirm_never(parent: QWidget) -> bool:
    """The deliberate choice: asked, with No as the default (tests replace it)."""
    answer = QMessageBox.warning(
        parent,
        "Never lock",
        NEVER_QUESTION,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class IdleLockDialog(QDialog):
    """The idle lock's preference for a store of ROLE."""

    def __init__(self, parent: QWidget | None, prefs: Prefs, role: str | None):
        super().__init__(parent)
        self.setWindowTitle("Idle lock")
        self.role = role
        self.minutes = QSpinBox()
        self.minutes.setRange(MIN_LOCK_MINUTES, MAX_LOCK_MINUTES)
        self.minutes.setSuffix(" min")
        self.minutes.setValue(prefs.idle_lock_minutes)
        self.minutes.setAccessibleName("Minutes without input before the lock")
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        label = QLabel("&Lock after")
        label.setBuddy(self.minutes)
        form.addRow(label, self.minutes)
        self.never: QCheckBox | None = None
        if role == "coordinator":
            self.never = QCheckBox("&Never lock this coordinator store's window")
            self.never.setChecked(prefs.coordinator_never_locks)
            self.never.toggled.connect(self._never_toggled)
            form.addRow("", self.never)
            self._never_toggled(self.never.isChecked(), ask=False)
        else:
            note = QLabel(
                "A reader store always locks when left: at least one minute without input."
            )
            note.setWordWrap(True)
            form.addRow(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(420)

    @Slot(bool)
    def _never_toggled(self, checked: bool, ask: bool = True) -> None:
        if checked and ask and not confirm_never(self):
            self.never.setChecked(False)  # toggles again, unchecked: nothing more asked
            return
        self.minutes.setEnabled(not checked)

    def chosen(self, prefs: Prefs) -> Prefs:
        """PREFS with what the dialog shows."""
        update = {"idle_lock_minutes": self.minutes.value()}
        if self.never is not None:
            update["coordinator_never_locks"] = self.never.isChecked()
        return prefs.model_copy(update=update)

    @classmethod
    def ask(cls, parent: QWidget | None, prefs: Prefs, role: str | None) -> Prefs | None:
        """The preferences as chosen, or None if cancelled."""
        dialog = cls(parent, prefs, role)
        return dialog.chosen(prefs) if dialog.exec() == QDialog.DialogCode.Accepted else None
