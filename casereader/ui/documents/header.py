"""The line above the viewer naming the document on screen: its title, then case, agency,
date, type and pages beside the agency's colour."""

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from casereader.domain.wording import plural
from casereader.store.models import Document
from casereader.ui.documents.models import TYPE_LABELS, agency_colour, describe, display_date
from casereader.ui.plain import plain_tooltip

MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 6, 4, 2
CHIP = 9  # the agency colour's square, in pixels


class DocumentHeader(QWidget):
    """Two lines drawn in its own paint, of a fixed height: opening a document repaints this
    strip only, and never moves the toolbar or the page below it. A title too long for the
    width ends in "…" and is given whole in the tooltip."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._title, self._facts, self._chip = "", "", QColor()
        self._empty = True
        self.setAccessibleName("Document details")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(MARGIN_TOP + 2 * self.fontMetrics().lineSpacing() + MARGIN_BOTTOM)
        self.clear()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(200, self.height())

    def show_document(self, document: Document) -> None:
        """Name this document."""
        facts = [document.case_ref, document.agency, display_date(document.doc_date),
                 TYPE_LABELS.get(document.doc_type, document.doc_type.upper())]  # fmt: skip
        if document.page_count:
            facts.append(plural(document.page_count, "page"))
        tip = document.title
        if document.repaired:
            facts.append("repaired")
            tip += (
                "\nRepaired: the file received was damaged; this is the copy a repair library"
                f" made of it. The received file's SHA-256: {document.original_sha256}"
            )
        self._title, self._facts = document.title, " · ".join(facts)
        self._chip, self._empty = agency_colour(document.agency), False
        self.setToolTip(plain_tooltip(tip))
        self.setAccessibleDescription(describe(document))
        self.update()

    def clear(self) -> None:
        """Say that no document is open."""
        self._title, self._facts, self._empty = "No document open", "", True
        self.setToolTip("")
        self.setAccessibleDescription("No document open")
        self.update()

    def text(self) -> str:
        """What the header says, as plain text (title, then the facts)."""
        return "\n".join(t for t in (self._title, self._facts) if t)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        line = self.fontMetrics().lineSpacing()
        width = self.width() - 2 * MARGIN_X
        title_font = QFont(self.font())
        title_font.setBold(not self._empty)
        title_font.setItalic(self._empty)
        painter.setFont(title_font)
        title = painter.fontMetrics().elidedText(self._title, Qt.TextElideMode.ElideRight, width)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRect(MARGIN_X, MARGIN_TOP, width, line), flags, title)
        if self._facts:
            painter.setFont(self.font())
            top = MARGIN_TOP + line
            painter.fillRect(QRect(MARGIN_X, top + (line - CHIP) // 2, CHIP, CHIP), self._chip)
            left = MARGIN_X + CHIP + 5
            facts = self.fontMetrics().elidedText(
                self._facts, Qt.TextElideMode.ElideRight, width - CHIP - 5
            )
            painter.drawText(QRect(left, top, width - CHIP - 5, line), flags, facts)
        painter.end()
