"""The idle lock: after N minutes without input the reading view is hidden behind a screen
that asks for the store's passphrase again (SPEC §5, §8).

Locking really locks: the window's store is closed and the decrypted document and Word caches
are dropped (`on_lock`, set by the main window), and reopened with the passphrase typed
(`on_unlock`). Every answer is already saved; typed text not yet saved is written as a draft by
the slots of `about_to_lock`, which run before anything is closed. Other windows (dialogs left
open, even modal ones) are covered by a lock screen of their own, not ended, and a window that
appears while locked (a job's result, an error) is covered as it shows. Text the app put on
the clipboard is cleared.
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

from casereader.ui.passphrase import (
    delay_note,
    passphrase_opens,
    retry_delay,
    wait_responsive,
)
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


class _Cover(LockScreen):
    """A lock screen laid over another window (a dialog), hiding its content without ending it."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setAutoFillBackground(True)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()


class IdleLock(QObject):
    """Locks the main window after a period without keyboard, mouse or touch input.

    Signals, in order:

    - `about_to_lock`: emitted BEFORE anything is closed, while the store is still open. Its
      slots must be connected directly (the default, in the GUI thread) and do their work
      synchronously — write drafts of typed text, for example: the lock waits for them to
      return, then closes the store.
    - `locked`: the store is closed and the caches are dropped.
    - `unlocked`: the store is open again (the passphrase typed opened it).
    """

    about_to_lock = Signal()
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
        self.failures = 0  # wrong passphrases in a row: each slows the next check down
        self.wait = wait_responsive
        # Set by the window: close the store and drop caches; reopen with the passphrase typed
        # (returning "" when it opened, else why not).
        self.on_lock: Callable[[], None] | None = None
        self.on_unlock: Callable[[str], str] | None = None
        self._path: Path | None = None
        self._before: QWidget | None = None
        self._covers: dict[QWidget, _Cover] = {}
        # what the lock screen says was kept; set by about_to_lock's receivers ("" = all saved)
        self.kept_text = ""
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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if not self.is_locked:
            if kind in INPUT_EVENTS and self._timer.interval() > 0:
                self._timer.start()
            return False
        if kind == QEvent.Type.Show and self._needs_cover(watched):
            self._cover(watched)  # a window that appeared while locked shows only the lock
        elif kind == QEvent.Type.Resize and watched in self._covers:
            self._covers[watched].setGeometry(watched.rect())
        elif kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            # Escape would end a covered dialog; the lock keeps it as it was.
            return event.key() == Qt.Key.Key_Escape
        return False

    def _needs_cover(self, widget: QObject) -> bool:
        return (
            isinstance(widget, QWidget)
            and widget.isWindow()
            and widget is not self._window
            and widget not in self._covers
            and widget.windowType()
            in (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet)
        )

    def _cover(self, window: QWidget) -> None:
        cover = _Cover(window)
        cover.begin(self._path or Path("the store"))
        cover.unlock_requested.connect(self.try_unlock)
        self._covers[window] = cover
        window.destroyed.connect(lambda *_: self._covers.pop(window, None))

    @Slot()
    def lock(self) -> None:
        """Cover the reading view and every other window; close the store; ask the passphrase."""
        path = self._store_path()
        if self.is_locked or path is None:
            return
        self._timer.stop()
        self.kept_text = ""
        self.about_to_lock.emit()  # drafts are written now, while the store is open
        self.is_locked = True
        self._path = path
        for window in QApplication.topLevelWidgets():
            if window.isVisible() and self._needs_cover(window):
                self._cover(window)
        self._disabled = [a for a in self._window.findChildren(QAction) if a.isEnabled()]
        for action in self._disabled:
            action.setEnabled(False)
        self._before = self._stack.currentWidget()
        self._stack.setCurrentWidget(self.screen)
        self.screen.begin(path, self.kept_text)
        if self.on_lock is not None:
            self.on_lock()
        clipboard = QApplication.clipboard()
        if clipboard is not None and clipboard.ownsClipboard():
            clipboard.clear()
        self.locked.emit()

    def _screens(self) -> list[LockScreen]:
        return [self.screen, *self._covers.values()]

    @Slot(str)
    def try_unlock(self, secret: str) -> bool:
        """Unlock if the passphrase opens the store; otherwise say so and stay locked."""
        if not self.is_locked:
            return True
        path = self._path
        error = ""
        if not secret:
            error = "Type the passphrase first."
        else:
            self.wait(retry_delay(self.failures))  # wrong tries in a row slow the next check
            if self.on_unlock is not None:
                error = self.on_unlock(secret)
            elif path is not None and not passphrase_opens(path, secret):
                error = "That passphrase does not open this store. Try again."
            if error:
                self.failures += 1
                error += delay_note(self.failures)
        if error:
            for screen in self._screens():
                screen.show_error(error)
            return False
        self.failures = 0
        self.is_locked = False
        self._path = None
        for action in self._disabled:
            action.setEnabled(True)
        self._disabled = []
        if self._before is not None:
            self._stack.setCurrentWidget(self._before)
        for cover in self._covers.values():
            cover.hide()
            cover.deleteLater()
        self._covers = {}
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
