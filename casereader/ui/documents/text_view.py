"""Plain-text documents, and the in-document search shared with the Word view."""

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

MAX_MARKED_HITS = 2000  # beyond this the highlights cost more than they help


# Between the words of a phrase: spaces, line and paragraph breaks, and the frame marks a
# Word table puts in the document's raw text.
_BETWEEN = "[\\s\ufdd0\ufdd1\ufffc]+"


def phrase_spans(raw: str, text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) of each case-insensitive hit of the text's words, in order, in the raw
    text of a QTextDocument, as the document's positions (UTF-16 code units)."""
    words = text.split()
    if not words:
        return []
    pattern = re.compile(_BETWEEN.join(re.escape(word) for word in words), re.IGNORECASE)
    wide = any(ord(c) > 0xFFFF for c in raw)  # positions count UTF-16 units, not characters

    def position(index: int) -> int:
        return len(raw[:index].encode("utf-16-le")) // 2 if wide else index

    spans = []
    for match in pattern.finditer(raw):
        spans.append((position(match.start()), position(match.end())))
        if len(spans) >= limit:
            break
    return spans


class TextFinder:
    """Marks every hit of a search in a text widget and steps through them."""

    def __init__(self, edit: QPlainTextEdit | QTextEdit, changed):
        self._edit = edit
        self._changed = changed  # called with (current hit from 1, number of hits)
        self._hits: list[QTextCursor] = []
        self._current = -1

    def find(self, text: str) -> None:
        """Highlight every (case-insensitive) hit of the text; the words of a phrase match
        across a line or paragraph break and a run of spaces, so the whole phrase is marked."""
        self._hits, self._current = [], -1
        document = self._edit.document()
        for start, end in phrase_spans(document.toRawText(), text, MAX_MARKED_HITS):
            cursor = QTextCursor(document)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            self._hits.append(cursor)
        self._mark()
        if self._hits:
            self.step(+1)
        else:
            self._changed(0, 0)

    def clear(self) -> None:
        self._hits, self._current = [], -1
        self._edit.setExtraSelections([])

    def step(self, step: int) -> None:
        """Make the next (or previous) hit current and scroll to it."""
        if not self._hits:
            return
        self._current = (self._current + step) % len(self._hits)
        self._mark()
        cursor = QTextCursor(self._hits[self._current])
        cursor.clearSelection()
        self._edit.setTextCursor(cursor)
        self._edit.ensureCursorVisible()
        self._changed(self._current + 1, len(self._hits))

    def _mark(self) -> None:
        palette = self._edit.palette()
        every, current = QTextCharFormat(), QTextCharFormat()
        soft = QColor(palette.color(QPalette.ColorRole.Highlight))
        soft.setAlpha(80)
        every.setBackground(soft)
        current.setBackground(palette.color(QPalette.ColorRole.Highlight))
        current.setForeground(palette.color(QPalette.ColorRole.HighlightedText))
        selections = []
        for n, hit in enumerate(self._hits):
            selection = QTextEdit.ExtraSelection()
            selection.cursor = hit
            selection.format = current if n == self._current else every
            selections.append(selection)
        self._edit.setExtraSelections(selections)


class TextDocumentMixin:
    """The viewer's common interface for a one-page text widget (plain text or Word)."""

    can_page = can_fit = False
    can_find = True

    def _setup_text_view(self) -> None:
        self.finder = TextFinder(self, self.hits_changed.emit)
        self.document().setDocumentMargin(12)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )

    def page_count(self) -> int:
        return 1 if self.document().characterCount() > 1 else 0

    def current_page(self) -> int:
        return self.page_count()

    def go_to_page(self, page: int) -> None:
        pass

    def zoom_in(self) -> None:
        self.zoomIn(2)

    def zoom_out(self) -> None:
        self.zoomOut(2)

    def fit_width(self) -> None:
        pass

    def fit_page(self) -> None:
        pass

    def find(self, text: str, from_page: int | None = None) -> None:
        self.finder.find(text)

    def find_next(self) -> None:
        self.finder.step(+1)

    def find_previous(self) -> None:
        self.finder.step(-1)


class PlainTextView(TextDocumentMixin, QPlainTextEdit):
    """A .txt document, read-only, in the system's fixed-width font (chronologies line up)."""

    page_changed = Signal(int)
    hits_changed = Signal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._setup_text_view()
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setAccessibleName("Text document")

    def load(self, text: str, page: int = 1) -> str:
        """Show this text; returns '' (text can always be shown)."""
        self.finder.clear()
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        return ""

    def release(self) -> None:
        self.finder.clear()
        self.clear()
