"""The card that holds one template item: its label and help, answer editor, errors and note.

The editor is any widget with the surface described in editors.py (or grade.py's GradeEditor).
"""

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from casereader.domain.template import Item
from casereader.domain.values import note_required
from casereader.store.models import EvidenceLink
from casereader.ui.grading.notes import NoteEditor


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

    def flush(self) -> None:
        """Save the note, and a typed answer, still waiting for a pause in typing."""
        self.note.edit.flush()
        flush = getattr(self.editor, "flush", None)
        if flush is not None:
            flush()

    def value_saved(self, value: str | None) -> None:
        """The answer was stored as ``value``: the editor and the note follow it."""
        self.apply_saved(value)
        if hasattr(self.editor, "mark_saved"):
            self.editor.mark_saved(value)

    def value_not_saved(self, message: str) -> None:
        """The answer was not stored: say why, and show the editor as it really stands."""
        self.show_error(message)
        if hasattr(self.editor, "save_failed"):
            self.editor.save_failed()  # typed input stays, to be corrected or saved again
        else:
            # a button that could not be saved must not look chosen
            self.editor.set_value(self.value())

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
