"""The idle lock: after N minutes without input the reading view is hidden behind a screen
that asks for the store's passphrase again (SPEC §5).

``about_to_lock`` is emitted before anything is hidden or closed: the window saves notes still
being typed and keeps the text of open dialogs as drafts, and says what it kept
(``kept_text``), so "Nothing was lost" is said only when it is true. Other windows still open
are hidden and shown again after unlocking. The passphrase is checked by
opening the store file with it, as at start.
"""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from casereader.ui.passphrase import passphrase_opens
from casereader.ui.style import review_text_color

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class LockScreen(QWidget):
    """The screen shown while locked: the store's name and one passphrase field."""

    unlock_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("casereader is locked")
        self.title = QLabel("<h2>casereader is locked</h2>")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Passphrase to unlock")
        self.field.setPlaceholderText("Store passphrase")
        self.field.setMinimumWidth(320)
        self.button = QPushButton("Unlock")
        self.button.setAccessibleName("Unlock")
        self.button.setDefault(True)
        self.error = QLabel()
        self.error.setAccessibleName("Error")
        self.error.setStyleSheet(f"color: {review_text_color().name()};")
        row = QHBoxLayout()
        row.addWidget(self.field)
        row.addWidget(self.button)
        box = QVBoxLayout()
        for w in (self.title, self.detail):
            box.addWidget(w)
        box.addLayout(row)
        box.addWidget(self.error)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addLayout(box)
        centre.addStretch(1)
        outer.addLayout(centre)
        outer.addStretch(2)
        self.field.returnPressed.connect(self._submit)
        self.button.clicked.connect(self._submit)

    def begin(self, store_path: Path, kept: str = "") -> None:
        """Show the lock for this store, with an empty field and no error."""
        kept = kept or "Nothing was lost: every answer is saved as you go."
        self.detail.setText(f"Type the passphrase of {store_path.name} to carry on.\n{kept}")
        self.field.clear()
        self.error.clear()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.field.selectAll()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _submit(self) -> None:
        self.unlock_requested.emit(self.field.text())


class IdleLock(QObject):
    """Locks the main window after a period without keyboard, mouse or touch input."""

    about_to_lock = Signal()  # before anything is hidden or closed: save what was typed
    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        window: QMainWindow,
        stack: QStackedWidget,
        store_path: Callable[[], Path | None],
        minutes: int,
    ):
        super().__init__(window)
        self._window = window
        self._stack = stack
        self._store_path = store_path
        self.screen = LockScreen()
        stack.addWidget(self.screen)
        self.is_locked = False
        self._before: QWidget | None = None
        # what the lock screen says was kept; set by about_to_lock's receivers ("" = all saved)
        self.kept_text = ""
        self._hidden: list[QWidget] = []
        self._disabled: list[QAction] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # Precise, so the time left is exact (a coarse timer may fire 5% late or early).
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.lock)
        self.screen.unlock_requested.connect(self.try_unlock)
        self.set_timeout_ms(minutes * 60_000)
        QApplication.instance().installEventFilter(self)

    def set_timeout_ms(self, ms: int) -> None:
        """Lock after this many milliseconds without input; 0 never locks."""
        self._timer.setInterval(max(0, ms))
        if ms > 0 and not self.is_locked:
            self._timer.start()
        else:
            self._timer.stop()

    def set_minutes(self, minutes: int) -> None:
        self.set_timeout_ms(minutes * 60_000)

    @property
    def timer(self) -> QTimer:
        return self._timer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and not self.is_locked and self._timer.interval() > 0:
            self._timer.start()
        return False

    @Slot()
    def lock(self) -> None:
        """Hide the reading view and any other window; ask for the passphrase."""
        path = self._store_path()
        if self.is_locked or path is None:
            return
        self.is_locked = True
        self._timer.stop()
        self.kept_text = ""
        self.about_to_lock.emit()
        self._hidden = [
            w
            for w in QApplication.topLevelWidgets()
            if w is not self._window and w.isVisible() and w.isWindow()
        ]
        for w in self._hidden:
            w.hide()
        self._disabled = [a for a in self._window.findChildren(QAction) if a.isEnabled()]
        for action in self._disabled:
            action.setEnabled(False)
        self._before = self._stack.currentWidget()
        self._stack.setCurrentWidget(self.screen)
        self.screen.begin(path, self.kept_text)
        self.locked.emit()

    @Slot(str)
    def try_unlock(self, secret: str) -> bool:
        """Unlock if the passphrase opens the store; otherwise say so and stay locked."""
        path = self._store_path()
        if not self.is_locked:
            return True
        if not secret:
            self.screen.show_error("Type the passphrase first.")
            return False
        if path is not None and not passphrase_opens(path, secret):
            self.screen.show_error("That passphrase does not open this store. Try again.")
            return False
        self.is_locked = False
        for action in self._disabled:
            action.setEnabled(True)
        self._disabled = []
        if self._before is not None:
            self._stack.setCurrentWidget(self._before)
        for w in self._hidden:
            w.show()
        self._hidden = []
        self.screen.field.clear()
        if self._timer.interval() > 0:
            self._timer.start()
        self.unlocked.emit()
        return True

    def uninstall(self) -> None:
        """Stop watching input (when the window closes)."""
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
