"""Which answer button of a row the mouse is over, kept true when Qt's Leave never comes.

Qt sends no Leave when the page scrolls under a still mouse, and may miss one when the mouse
leaves fast onto a popup or another window, or when the window is deactivated. A descriptor
that follows the hovered grade would then stay on a grade the mouse left. So the hover is
checked against where the pointer really is: on a short timer while a button is hovered, at
once when a scroll area around the row scrolls, and it is dropped when the keyboard is used,
the keyboard focus moves into or out of the row, the row is hidden or its window deactivated.
"""

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QWidget

CHECK_MS = 200  # while a button is hovered: is the pointer still over it?

_ENTERING = (QEvent.Type.Enter, QEvent.Type.HoverEnter, QEvent.Type.HoverMove)
_LEAVING = (QEvent.Type.Leave, QEvent.Type.HoverLeave)
_FOCUS = (QEvent.Type.FocusIn, QEvent.Type.FocusOut)
# the keyboard moving the focus; not the mouse's click, nor the window being activated again
_KEYBOARD_REASONS = (
    Qt.FocusReason.TabFocusReason,
    Qt.FocusReason.BacktabFocusReason,
    Qt.FocusReason.ShortcutFocusReason,
    Qt.FocusReason.OtherFocusReason,
)
# the focus leaving with the window (deactivated) or for a popup over it
_LEAVING_WINDOW = (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason)


def pointer_widget() -> QWidget | None:
    """The widget under the mouse pointer now (None: none of this program's)."""
    return QApplication.widgetAt(QCursor.pos())


class HoverTracker(QObject):
    """Emits ``hovered`` with the value of the button under the mouse, or None when it leaves."""

    hovered = Signal(object)  # str | None

    def __init__(self, row: QWidget, buttons: dict[str, QAbstractButton]):
        super().__init__(row)
        self._row = row
        self._buttons = buttons
        self._value: str | None = None
        self._watched_bars: set[int] = set()
        self._window: QWidget | None = None  # the row's window, for its deactivation
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)
        row.installEventFilter(self)
        for button in buttons.values():
            button.installEventFilter(self)

    def value(self) -> str | None:
        """The hovered answer, or None."""
        return self._value

    def _set(self, value: str | None) -> None:
        if value is None:
            self._timer.stop()
        else:
            self._timer.start()
        if value != self._value:
            self._value = value
            self.hovered.emit(value)

    @Slot()
    def drop(self) -> None:
        """Forget the hover: the descriptor goes back to the chosen answer."""
        self._set(None)

    @Slot()
    def check(self) -> None:
        """Keep the hover only while the pointer is really over the hovered button."""
        if self._value is None:
            return
        button = self._buttons[self._value]
        under = pointer_widget()
        over = under is not None and (under is button or button.isAncestorOf(under))
        if not (over and button.isVisible()):
            self._set(None)

    def _watch_surroundings(self) -> None:
        """Check again at once whenever a scroll area around the row scrolls; drop the hover
        when the row's window is deactivated."""
        window = self._row.window()
        if window is not self._window:
            if self._window is not None:
                self._window.removeEventFilter(self)
            self._window = window
            window.installEventFilter(self)
        parent = self._row.parentWidget()
        while parent is not None:
            if isinstance(parent, QAbstractScrollArea):
                for bar in (parent.verticalScrollBar(), parent.horizontalScrollBar()):
                    if id(bar) not in self._watched_bars:
                        self._watched_bars.add(id(bar))
                        bar.valueChanged.connect(self.check)
            parent = parent.parentWidget()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if watched is self._window and watched is not self._row:
            if kind == QEvent.Type.ActivationChange and not watched.isActiveWindow():
                self.drop()
            return False
        if watched is self._row:
            if kind == QEvent.Type.Show:
                self._watch_surroundings()
            elif (
                kind in (QEvent.Type.Hide, QEvent.Type.KeyPress)
                or (kind in _FOCUS and event.reason() in _KEYBOARD_REASONS)
                or (kind == QEvent.Type.FocusOut and event.reason() in _LEAVING_WINDOW)
                or (kind == QEvent.Type.ActivationChange and not self._row.isActiveWindow())
            ):
                self.drop()
            return False
        value = next((v for v, b in self._buttons.items() if b is watched), None)
        if value is None:
            return False
        if kind in _ENTERING and watched.isEnabled():
            self._set(value)
        elif kind in _LEAVING and self._value == value:
            self._set(None)  # a Leave from a button left before is no news
        elif kind == QEvent.Type.Hide:
            self.drop()
        return False
